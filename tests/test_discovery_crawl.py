"""End to end: ``scrapy crawl site`` against the demo site over real HTTP."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CrawlResult, run_crawl
from tests.servers import StaticSite
from tools.demo import content

pytestmark = pytest.mark.e2e

ALL_IDS = {str(a.id) for a in content.ARTICLES}
BROKEN_IDS = {str(a.id) for a in content.ARTICLES if a.broken}
# the demo prints two days; -a since=2026-02-21 keeps the second only
NEWEST_IDS = {str(a.id) for a in content.ARTICLES if a.published.startswith("2026-02-21")}


def stats_of(result: CrawlResult) -> dict[str, Any]:
    """The newsspider/discovery/* stats from the crawl log's stats dump."""
    stats: dict[str, Any] = {}
    for line in result.log.splitlines():
        line = line.strip().rstrip(",")
        if line.startswith(("{'newsspider/discovery/", "'newsspider/discovery/")):
            key, _, value = line.lstrip("{").partition(": ")
            stats[key.strip("'")] = int(value.rstrip("}"))
    return stats


def jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def crawl(site: StaticSite, tmp_path: Path, *args: str) -> CrawlResult:
    result = run_crawl(
        "site",
        tmp_path,
        f"url={site.url}",
        *args,
        settings={"AUTOTHROTTLE_ENABLED": "False", "CONCURRENT_REQUESTS_PER_DOMAIN": "16"},
        timeout=120,
    )
    assert result.returncode == 0, result.log[-3000:]
    return result


def test_site_crawl_finds_every_article(demo_site: StaticSite, tmp_path: Path) -> None:
    result = crawl(demo_site, tmp_path)
    articles = jsonl(result.run_dir / "articles.jsonl")
    rejects = jsonl(result.run_dir / "rejects.jsonl")
    exported = {a["article_id"] for a in articles}
    rejected = {r["item"].get("article_id") for r in rejects if r["item_type"] == "Article"}
    assert exported | rejected == ALL_IDS
    assert rejected == BROKEN_IDS
    assert len(articles) == len(exported), "an article was exported twice"
    stats = stats_of(result)
    assert stats["newsspider/discovery/articles"] == len(ALL_IDS)
    for channel in ("listing", "sitemap"):
        assert stats[f"newsspider/discovery/{channel}/articles"] == len(ALL_IDS)
    assert stats["newsspider/discovery/feed/articles"] == 20
    assert stats["newsspider/discovery/feed/documents"] == 1
    assert stats["newsspider/discovery/sitemap/index_documents"] == 1
    assert stats["newsspider/discovery/sitemap/news_documents"] == 1
    assert stats["newsspider/discovery/sitemap/robots_sitemaps"] == 2
    # every page of every section listing was read (7 sections of 4-5 articles, 2 per page)
    assert demo_site.hits("/politics/page-3.html") == 1
    assert stats["newsspider/discovery/listing/only"] == 0
    assert "found only here" in result.log
    slots = jsonl(result.run_dir / "front_page.jsonl")
    assert {"Politics", "Top Story"} <= {s["block"] for s in slots}
    # each article fetched once, whichever channels found it
    assert demo_site.hits("/politics/article/1001.html") == 1


def test_since_stops_paging_and_skips_older_entries(demo_site: StaticSite, tmp_path: Path) -> None:
    result = crawl(demo_site, tmp_path, "since=2026-02-21", "channels=listing,sitemap")
    stats = stats_of(result)
    assert stats["newsspider/discovery/listing/stopped_since"] >= 1
    assert stats["newsspider/discovery/sitemap/skipped_since"] >= 1
    assert demo_site.hits("/politics/page-3.html") == 0  # paging stopped
    assert demo_site.hits("/rss.xml") == 0  # feed channel off
    # the sitemap alone (no listing) would give only the newest articles
    assert stats["newsspider/discovery/sitemap/articles"] == len(NEWEST_IDS)


def test_depth_bound_and_single_channel(demo_site: StaticSite, tmp_path: Path) -> None:
    result = crawl(demo_site, tmp_path, "depth=1", "channels=listing")
    stats = stats_of(result)
    assert stats["newsspider/discovery/listing/depth_limited"] >= 7
    assert demo_site.hits("/politics/index.html") == 1
    assert demo_site.hits("/politics/page-2.html") == 0
    assert demo_site.hits("/robots.txt") <= 1  # only the robots.txt middleware's own fetch
    assert demo_site.hits("/sitemap.xml") == 0
    assert "sitemap/articles" not in " ".join(stats)
    assert stats["newsspider/discovery/listing/only"] == stats["newsspider/discovery/articles"]
