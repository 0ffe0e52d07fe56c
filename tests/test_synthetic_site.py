"""The benchmark's synthetic site: complete, consistent with the demo layout, realistic weight."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from newsspider.discovery import next_page_url, parse_feed, parse_sitemap, sitemaps_in_robots
from newsspider.pages.news1global import ArticlePage, ListingPage

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import synthetic_site  # benchmarks/, on the path above

N = 60


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synthetic")
    return Path(synthetic_site.write_site(N, out))


def test_every_listed_url_exists(site: Path) -> None:
    rels = (site / "urls.txt").read_text(encoding="utf-8").split()
    assert len(rels) == len(set(rels))
    missing = [rel for rel in rels if not (site / rel).is_file()]
    assert missing == []
    assert sum("/article/" in rel for rel in rels) == N


def test_articles_weigh_like_real_pages(site: Path) -> None:
    sizes = [p.stat().st_size for p in site.glob("*/article/*.html")]
    assert len(sizes) == N
    assert min(sizes) > 40_000 and max(sizes) < 160_000


def test_sitemaps_and_feed_cover_the_site(site: Path) -> None:
    robots = (site / "robots.txt").read_text(encoding="utf-8")
    assert sitemaps_in_robots(robots, "http://h/robots.txt") == [
        "http://h/sitemap.xml",
        "http://h/news-sitemap.xml",
    ]
    index = parse_sitemap((site / "sitemap.xml").read_bytes(), "http://h/sitemap.xml")
    assert index.kind == "sitemapindex"
    urls = set()
    for entry in index.entries:
        child = parse_sitemap((site / entry.url.rsplit("/", 1)[-1]).read_bytes(), "http://h/")
        urls |= {e.url for e in child.entries if "/article/" in e.url}
    assert len(urls) == N
    assert len(parse_feed((site / "rss.xml").read_bytes(), "http://h/rss.xml")) == 50


def test_section_pagination_reaches_every_article(site: Path) -> None:
    found = set()
    for section in synthetic_site.SECTIONS:
        url: str | None = f"http://h/{section.slug}/index.html"
        while url:
            html = (site / url.removeprefix("http://h/")).read_text(encoding="utf-8")
            page = ListingPage(url, html)
            found |= {s.article_url for s in page.slots()}
            assert page.next_page_url() == next_page_url(html, url)
            url = page.next_page_url()
    assert len(found) == N


def test_articles_parse_with_the_profile(site: Path) -> None:
    path = next(iter(sorted(site.glob("*/article/*.html"))))
    rel = path.relative_to(site).as_posix()
    article = ArticlePage(f"http://h/{rel}", path.read_text(encoding="utf-8")).article()
    assert article.headline and article.body and article.authors and article.published_at
    assert article.word_count and article.word_count > 300
