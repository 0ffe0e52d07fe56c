"""Generate the bundled demo site: ``python -m tools.demo.build [--out DIR]``.

Deterministic: the same content always gives the same bytes (no clock, no randomness), and a
test compares the committed ``newsspider/demo_site`` with a fresh build byte for byte.
"""

from __future__ import annotations

import argparse
import functools
from collections.abc import Callable, Sequence
from pathlib import Path

from tools.demo import content
from tools.demo.model import DemoArticle, slugify
from tools.demo.templates import (
    FEED_PATH,
    Pagination,
    SiteContext,
    Slot,
    render_article,
    render_front_page,
    render_listing_page,
    render_news_sitemap,
    render_rss,
    render_sitemap,
    render_sitemap_index,
    render_static_page,
    render_svg,
    tag_path,
)

DEFAULT_OUT = Path(__file__).resolve().parents[2] / "newsspider" / "demo_site"

# Sitemap lines are relative so the copy works from any host (real sites give absolute URLs)
ROBOTS_TXT = """# News1 Global demo site
User-agent: *
Disallow: /search
Allow: /

Sitemap: sitemap.xml
Sitemap: news-sitemap.xml
"""
LISTING_PAGE_SIZE = 2  # headlines per section/tag page: small, so the demo has real pagination
FEED_SIZE = 20  # newest articles in rss.xml
NEWS_SITEMAP_DAYS = ("2026-02-21",)  # Google News sitemaps list the last two days only

SITE_CSS = """/* print stylesheet; the screen styles are inlined in every page */
@media print{.main-nav,.cookie-banner,.ad-slot,.share-bar,.sidebar,.site-footer{display:none}}
"""

README = """# News1 Global demo site (generated -- do not edit by hand)

A static copy of a news site in the shape of news1global.com, with fictional content. All
links are relative, so it works from disk (`file://…/demo_site/index.html`) and from any
static HTTP server started in this folder (`python -m http.server -d newsspider/demo_site`).

Regenerate with `python -m tools.demo.build` (data: `tools/demo/content.py`,
templates: `tools/demo/templates.py`). `tests/test_demo_site.py` checks that this folder
matches a fresh build byte for byte.

Front page: `index.html`, dated Saturday, February 21, 2026. Articles live at
`<section>/article/<id>.html`:

{sections}

Deliberate edge cases:

| id | edge case |
|----|-----------|
| 1021 | no tags (no "Check Out Other Tags:" block) |
| 1001, 1007, 1016 | updated after publication ("Updated :" line, JSON-LD dateModified) |
| 1004 | non-ASCII: Hangul names "Kim Min-ji (김민지)", curly quotes “ ” ‘ ’, em dash, emoji |
| 1014 | headline starts with "=" ("=SUM of all fears: …"), on the front page |
| 1009 | headline starts with "+" ("+30% exports: …"), on the front page |
| 1017 | paywalled: one teaser paragraph, then `<div class="paywall">` |
| 1028 | broken CMS page: no h1, empty `<title>`, no og:title, no JSON-LD; in Latest News |
| 1007 | also linked as `etc/article/1007.html?utm_source=newsletter&utm_medium=email#comments` |
| 1005 | two authors ("By Park Ji-hoon and Lee Soo-jin, Staff Reporters") |

Other pages: `<section>/index.html` (section listings, continued in `<section>/page-2.html`,
…), `tag/<slug>.html` (tag listings, continued in `tag/<slug>-page-2.html`, …), two headlines
per listing page, newest first, each with its `<time class="slot-time">`, and a
`<nav class="pagination">` with `rel="next"`/`rel="prev"` links; a few static pages linked
from the footer, `images/*.svg`, `static/site.css`.

Discovery files (for `scrapy crawl site`):

* `robots.txt`: disallows `/search`; `Sitemap: sitemap.xml` and `Sitemap: news-sitemap.xml`.
* `sitemap.xml`: a sitemap index of `sitemap-articles.xml` (every article, with `lastmod`)
  and `sitemap-listings.xml` (front, section and tag pages).
* `news-sitemap.xml`: a Google News sitemap of the articles of 2026-02-21.
* `rss.xml`: RSS 2.0, the {feed_size} newest articles; every page announces it with
  `<link rel="alternate" type="application/rss+xml">`.

Locations in the sitemaps and the feed are relative to the document (sitemaps.org asks for
absolute URLs; relative ones keep the copy working from disk and from any host and port).
"""


def site_context() -> SiteContext:
    by_id = content.ARTICLES_BY_ID
    trending: list[str] = []
    for article in content.ARTICLES:
        for tag in article.tags:
            if tag not in trending:
                trending.append(tag)
    return SiteContext(
        site_name=content.SITE_NAME,
        site_url=content.SITE_URL,
        date_line=content.DATE_LINE,
        sections=content.SECTIONS,
        popular=[by_id[i] for i in content.MOST_POPULAR_IDS],
        ticker=[by_id[i] for i in content.LATEST_IDS[:5]],
        trending_tags=trending[:30],
        static_pages=[(name, title) for name, (title, _) in content.STATIC_PAGES.items()],
    )


def _newest_first(articles: Sequence[DemoArticle]) -> list[DemoArticle]:
    return sorted(articles, key=lambda a: (a.published, a.id), reverse=True)


def front_page_blocks() -> list[tuple[str, list[Slot]]]:
    """Latest News, Editor's Picks, then one block per section (articles repeat: realistic)."""
    by_id = content.ARTICLES_BY_ID
    blocks: list[tuple[str, list[Slot]]] = [
        ("Latest News", [Slot(by_id[i]) for i in content.LATEST_IDS]),
        (
            "Editor's Picks",
            [Slot(by_id[i], content.TRACKED_LINKS.get(i, "")) for i in content.EDITORS_PICKS_IDS],
        ),
    ]
    for section in content.SECTIONS:
        articles = [a for a in content.ARTICLES if a.section == section.slug]
        blocks.append((section.label, [Slot(a) for a in _newest_first(articles)]))
    return blocks


def section_page_path(slug: str, n: int) -> str:
    """Page n of a section listing: "politics/index.html", "politics/page-2.html"."""
    return f"{slug}/index.html" if n == 1 else f"{slug}/page-{n}.html"


def tag_page_path(tag: str, n: int) -> str:
    """Page n of a tag listing: "tag/kbo.html", "tag/kbo-page-2.html"."""
    first = tag_path(tag)
    return first if n == 1 else first.removesuffix(".html") + f"-page-{n}.html"


def render_listing_series(
    ctx: SiteContext,
    *,
    title: str,
    articles: Sequence[DemoArticle],
    page_path: Callable[[int], str],
    page_size: int = LISTING_PAGE_SIZE,
) -> dict[str, str]:
    """A paginated listing (newest first): path -> HTML for pages 1..n.

    ``page_path(n)`` gives the site-relative path of page n; every page of a series must be in
    the same folder one level below the root (``politics/…``, ``tag/…``).
    """
    chunks = [list(articles[i : i + page_size]) for i in range(0, len(articles), page_size)]
    chunks = chunks or [[]]
    pages: dict[str, str] = {}
    for n, chunk in enumerate(chunks, start=1):
        pagination = None
        if len(chunks) > 1:
            pagination = Pagination(
                page=n,
                pages=len(chunks),
                prev_href=page_path(n - 1).rsplit("/", 1)[-1] if n > 1 else None,
                next_href=page_path(n + 1).rsplit("/", 1)[-1] if n < len(chunks) else None,
            )
        blocks = [(title, [Slot(a) for a in chunk])] if chunk else []
        pages[page_path(n)] = render_listing_page(
            ctx, title=title, depth=1, blocks=blocks, pagination=pagination
        )
    return pages


def discovery_files(
    ctx: SiteContext,
    articles: Sequence[DemoArticle],
    listing_paths: Sequence[str],
    *,
    news_days: Sequence[str] = NEWS_SITEMAP_DAYS,
    feed_size: int = FEED_SIZE,
) -> dict[str, str]:
    """rss.xml, the sitemap index and its children, and the Google News sitemap."""
    newest = _newest_first(articles)
    last = newest[0].updated_iso or newest[0].published_iso if newest else None
    return {
        FEED_PATH: render_rss(ctx, newest[:feed_size], title=f"{ctx.site_name}: Latest News"),
        "sitemap.xml": render_sitemap_index(
            [("sitemap-articles.xml", last), ("sitemap-listings.xml", last)]
        ),
        "sitemap-articles.xml": render_sitemap(
            [(a.path, a.updated_iso or a.published_iso) for a in newest]
        ),
        "sitemap-listings.xml": render_sitemap([(p, None) for p in listing_paths]),
        "news-sitemap.xml": render_news_sitemap(
            ctx, [a for a in newest if a.published[:10] in news_days]
        ),
    }


def render_site() -> dict[str, str]:
    """Every file of the site: relative path -> text (UTF-8, "\\n" line ends)."""
    ctx = site_context()
    by_id = content.ARTICLES_BY_ID
    files: dict[str, str] = {
        "index.html": render_front_page(
            ctx, top_story=by_id[content.TOP_STORY_ID], blocks=front_page_blocks()
        ),
        "robots.txt": ROBOTS_TXT,
        "static/site.css": SITE_CSS,
        "images/logo.svg": render_svg("News1 Global", 0),
        "images/favicon.svg": render_svg("N1", 0),
    }
    section_index = {s.slug: i for i, s in enumerate(content.SECTIONS)}
    for article in content.ARTICLES:
        related = [by_id[i] for i in article.related]
        files[article.path] = render_article(article, ctx, related=related)
        files[article.image_path] = render_svg(str(article.id), section_index[article.section])
    listing_paths: list[str] = ["index.html"]
    for section in content.SECTIONS:
        articles = _newest_first([a for a in content.ARTICLES if a.section == section.slug])
        series = render_listing_series(
            ctx,
            title=section.label,
            articles=articles,
            page_path=functools.partial(section_page_path, section.slug),
        )
        files.update(series)
        listing_paths += series
    tags: dict[str, str] = {}
    for section in content.SECTIONS:
        for topic in section.subtopics:
            tags.setdefault(slugify(topic), topic)
    for article in content.ARTICLES:
        for tag in article.tags:
            tags.setdefault(slugify(tag), tag)
    for tag in tags.values():
        tagged = _newest_first([a for a in content.ARTICLES if tag in a.tags])
        series = render_listing_series(
            ctx,
            title=f"#{tag}",
            articles=tagged,
            page_path=functools.partial(tag_page_path, tag),
        )
        files.update(series)
        listing_paths += series
    files.update(discovery_files(ctx, content.ARTICLES, listing_paths))
    for name, (title, text) in content.STATIC_PAGES.items():
        files[name] = render_static_page(ctx, title=title, text=text)
    sections = "\n".join(
        f"* {s.slug}: " + ", ".join(str(a.id) for a in content.ARTICLES if a.section == s.slug)
        for s in content.SECTIONS
    )
    files["README.md"] = README.replace("{sections}", sections).replace(
        "{feed_size}", str(FEED_SIZE)
    )
    return dict(sorted(files.items()))


def write_site(out: Path) -> list[Path]:
    """Write every file under ``out`` (created if needed); returns the paths written."""
    written = []
    for rel, text in render_site().items():
        path = out / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(text.encode("utf-8"))
        written.append(path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Generate the News1 Global demo site.")
    parser.add_argument(
        "--out", type=Path, default=DEFAULT_OUT, help=f"output folder (default: {DEFAULT_OUT})"
    )
    args = parser.parse_args(argv)
    written = write_site(args.out)
    print(f"wrote {len(written)} files to {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
