"""Discovery parsers (robots.txt, sitemaps, feeds, pagination) as tables, and the listing page."""

from __future__ import annotations

import gzip
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from newsspider.dates import older_than
from newsspider.discovery import (
    document_kind,
    feed_date,
    feed_links_in_html,
    maybe_gunzip,
    next_page_url,
    parse_feed,
    parse_sitemap,
    resolve_declared,
    site_root,
    sitemaps_in_robots,
)
from newsspider.pages.news1global import ListingPage

DEMO = Path(__file__).resolve().parent.parent / "newsspider" / "demo_site"
BASE = "https://www.example.com/"

# --------------------------------------------------------------------------- robots.txt


@pytest.mark.parametrize(
    ("robots", "expected"),
    [
        ("User-agent: *\nDisallow:\n", []),
        ("Sitemap: https://x.com/a.xml\n", ["https://x.com/a.xml"]),
        (
            "sitemap:https://x.com/a.xml\nSITEMAP :  /b.xml  \n",
            ["https://x.com/a.xml", BASE + "b.xml"],
        ),
        ("User-agent: *\n  Sitemap: news.xml # comment-free\n", [BASE + "news.xml"]),
        ("Sitemap: /a.xml\nSitemap: /a.xml\n", [BASE + "a.xml"]),
        ("# Sitemap: /commented.xml\n", []),
        ("", []),
    ],
)
def test_sitemaps_in_robots(robots: str, expected: list[str]) -> None:
    assert sitemaps_in_robots(robots, BASE + "robots.txt") == expected


# --------------------------------------------------------------------------- sitemaps

URLSET = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<url><loc>https://x.com/a/article/1.html</loc><lastmod>2026-02-21T09:05:00+09:00</lastmod></url>
<url><loc> /a/article/2.html </loc></url>
<url><lastmod>2026-02-21</lastmod></url>
</urlset>"""
INDEX = b"""<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">
<sitemap><loc>https://x.com/s1.xml</loc><lastmod>2026-01-01</lastmod></sitemap>
<sitemap><loc>s2.xml.gz</loc></sitemap></sitemapindex>"""
NEWS = b"""<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
 xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
<url><loc>https://x.com/n/1</loc><news:news><news:publication><news:name>X</news:name>
<news:language>en</news:language></news:publication>
<news:publication_date>2026-02-21T13:05:00+09:00</news:publication_date>
<news:title>Fish &amp; chips</news:title></news:news></url></urlset>"""
NO_NAMESPACE = b"<urlset><url><loc>https://x.com/1</loc></url></urlset>"
OLD_NAMESPACE = (
    b'<urlset xmlns="http://www.google.com/schemas/sitemap/0.84">'
    b"<url><loc>https://x.com/old</loc></url></urlset>"
)
XXE = b"""<?xml version="1.0"?><!DOCTYPE u [<!ENTITY e SYSTEM "file:///etc/passwd">]>
<urlset><url><loc>https://x.com/&e;</loc></url></urlset>"""


@pytest.mark.parametrize(
    ("body", "kind", "urls", "is_news"),
    [
        (URLSET, "urlset", ["https://x.com/a/article/1.html", BASE + "a/article/2.html"], False),
        (INDEX, "sitemapindex", ["https://x.com/s1.xml", BASE + "s2.xml.gz"], False),
        (NEWS, "urlset", ["https://x.com/n/1"], True),
        (NO_NAMESPACE, "urlset", ["https://x.com/1"], False),
        (OLD_NAMESPACE, "urlset", ["https://x.com/old"], False),
        (
            gzip.compress(URLSET),
            "urlset",
            ["https://x.com/a/article/1.html", BASE + "a/article/2.html"],
            False,
        ),
        (b"<html><body>not a sitemap</body></html>", "unknown", [], False),
        (b"", "unknown", [], False),
        (b"\x1f\x8bnot really gzip", "unknown", [], False),
        (b"<urlset><url><loc>https://x.com/1</loc></url>", "urlset", ["https://x.com/1"], False),
    ],
    ids=[
        "urlset",
        "index",
        "news",
        "no-ns",
        "0.84-ns",
        "gzip",
        "html",
        "empty",
        "bad-gzip",
        "truncated",
    ],
)
def test_parse_sitemap(body: bytes, kind: str, urls: list[str], is_news: bool) -> None:
    sitemap = parse_sitemap(body, BASE)
    assert sitemap.kind == kind
    assert [e.url for e in sitemap.entries] == urls
    assert sitemap.is_news is is_news


def test_sitemap_entry_dates() -> None:
    (first, second) = parse_sitemap(URLSET, BASE).entries
    assert first.lastmod == "2026-02-21T09:05:00+09:00" and first.published == first.lastmod
    assert second.lastmod is None and second.published is None
    (news,) = parse_sitemap(NEWS, BASE).entries
    assert news.news_title == "Fish & chips"
    assert news.published == "2026-02-21T13:05:00+09:00"
    assert parse_sitemap(INDEX, BASE).entries[0].lastmod == "2026-01-01"


def test_sitemap_entities_are_not_resolved() -> None:
    sitemap = parse_sitemap(XXE, BASE)
    assert all("root:" not in e.url for e in sitemap.entries)


def test_gunzip_refuses_bombs() -> None:
    bomb = gzip.compress(b"<" * 2_000_000)
    assert maybe_gunzip(bomb, max_size=1_000_000) == b""
    assert maybe_gunzip(b"plain") == b"plain"


# --------------------------------------------------------------------------- feeds

RSS = b"""<?xml version="1.0"?><rss version="2.0"><channel><title>X</title>
<item><title>One</title><link>https://x.com/1</link>
<pubDate>Sat, 21 Feb 2026 09:05:00 +0900</pubDate></item>
<item><title>Two</title><guid>https://x.com/2</guid></item>
<item><title>Three</title><guid isPermaLink="false">id-3</guid></item>
<item><title>Four</title><link>four.html</link><pubDate>not a date</pubDate></item>
</channel></rss>"""
ATOM = b"""<feed xmlns="http://www.w3.org/2005/Atom"><title>X</title>
<entry><title>A</title><link rel="self" href="https://x.com/self"/>
<link rel="alternate" href="https://x.com/a"/><updated>2026-02-20T10:00:00Z</updated></entry>
<entry><title>B</title><link href="/b"/><published>2026-02-21T01:00:00+09:00</published>
<updated>2026-02-22T00:00:00Z</updated></entry>
<entry><title>no link</title></entry></feed>"""
RDF = b"""<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"
 xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>X</title></channel>
<item><title>R</title><link>https://x.com/r</link><dc:date>2026-02-21</dc:date></item></rdf:RDF>"""
BROKEN_RSS = b"""<rss><channel><item><title>Fish & chips</title><link>https://x.com/f</link></item>
</channel></rss>"""


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (
            RSS,
            [
                ("https://x.com/1", "One", "2026-02-21T09:05:00+09:00"),
                ("https://x.com/2", "Two", None),
                (BASE + "four.html", "Four", None),
            ],
        ),
        (
            ATOM,
            [
                ("https://x.com/a", "A", "2026-02-20T10:00:00+00:00"),
                (BASE + "b", "B", "2026-02-21T01:00:00+09:00"),
            ],
        ),
        (RDF, [("https://x.com/r", "R", "2026-02-21")]),  # dc:date without a time: a day
        (BROKEN_RSS, [("https://x.com/f", "Fish  chips", None)]),
        (URLSET, []),
        (b"garbage", []),
    ],
    ids=["rss", "atom", "rdf", "broken-entity", "sitemap", "garbage"],
)
def test_parse_feed(body: bytes, expected: list[tuple[str, str, str | None]]) -> None:
    got = [(e.url, e.title, e.published) for e in parse_feed(body, BASE)]
    # libxml2's recover mode drops the bare "&" (and may keep the space around it)
    assert [(u, (t or "").replace("  ", " "), p) for u, t, p in got] == [
        (u, t.replace("  ", " "), p) for u, t, p in expected
    ]


@pytest.mark.parametrize(
    ("body", "kind"),
    [(RSS, "feed"), (ATOM, "feed"), (RDF, "feed"), (URLSET, "sitemap"), (INDEX, "sitemap"),
     (b"<html/>", "unknown"), (b"", "unknown")],
)  # fmt: skip
def test_document_kind(body: bytes, kind: str) -> None:
    assert document_kind(body) == kind


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Sat, 21 Feb 2026 09:05:00 +0900", "2026-02-21T09:05:00+09:00"),
        ("Sat, 21 Feb 2026 00:05:00 GMT", "2026-02-21T00:05:00+00:00"),
        ("2026-02-21T09:05:00Z", "2026-02-21T09:05:00+00:00"),
        ("2026-02-21", "2026-02-21"),  # a day without a time stays a day (one format)
        ("Sat, 21 Feb 2026 09:05:00.250 EST", "2026-02-21T09:05:00-05:00"),
        ("2026-02-21T09:05:00.123456+09:00", "2026-02-21T09:05:00+09:00"),
        ("yesterday", None),
        ("", None),
        (None, None),
    ],
)
def test_feed_date(raw: str | None, expected: str | None) -> None:
    assert feed_date(raw) == expected


# --------------------------------------------------------------------------- arguments, dates


@pytest.mark.parametrize(
    ("stamp", "since", "older"),
    [
        ("2026-02-20T23:59:00+09:00", date(2026, 2, 21), True),
        ("2026-02-21T00:00:00+09:00", date(2026, 2, 21), False),
        ("2026-02-21", date(2026, 2, 21), False),
        (None, date(2026, 2, 21), False),  # unknown date: kept
        ("garbage", date(2026, 2, 21), False),
        ("2020-01-01", None, False),  # no bound
    ],
)
def test_older_than(stamp: str | None, since: date | None, older: bool) -> None:
    assert older_than(stamp, since) is older
    as_datetime = datetime(since.year, since.month, since.day) if since else None
    assert older_than(stamp, as_datetime) is older  # what parse_since gives for a day


KST = timezone(timedelta(hours=9))


@pytest.mark.parametrize(
    ("stamp", "since", "older"),
    [
        # an aware since compares instants: 08:59 KST is 23:59 UTC the day before
        ("2026-02-21T08:59:00+09:00", datetime(2026, 2, 21, tzinfo=UTC), True),
        ("2026-02-21T09:00:00+09:00", datetime(2026, 2, 21, tzinfo=UTC), False),
        # a date-only stamp is compared by its day
        ("2026-02-20", datetime(2026, 2, 21, 9, tzinfo=KST), True),
        ("2026-02-21", datetime(2026, 2, 21, 9, tzinfo=KST), False),
        # a naive since with a time: the time as printed
        ("2026-02-21T08:00:00+09:00", datetime(2026, 2, 21, 9), True),
    ],
)
def test_older_than_with_times(stamp: str, since: datetime, older: bool) -> None:
    assert older_than(stamp, since) is older


@pytest.mark.parametrize(
    ("start", "root"),
    [
        ("https://www.x.com/", "https://www.x.com/"),
        ("https://www.x.com/news/index.html?x=1", "https://www.x.com/"),
        ("http://127.0.0.1:8000/index.html", "http://127.0.0.1:8000/"),
        ("file:///srv/demo_site/index.html", "file:///srv/demo_site/"),
    ],
)
def test_site_root(start: str, root: str) -> None:
    assert site_root(start) == root


def test_resolve_declared() -> None:
    assert resolve_declared(
        "https://x.com/", ("/rss.xml", "feeds/a.xml", "https://y.com/s.xml", "")
    ) == [
        "https://x.com/rss.xml",
        "https://x.com/feeds/a.xml",
        "https://y.com/s.xml",
    ]


# --------------------------------------------------------------------------- HTML: pagination


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ('<head><link rel="next" href="/p/2"></head>', BASE + "p/2"),
        ('<a rel="next nofollow" href="?page=3">x</a>', BASE + "?page=3"),
        ('<a class="btn pagination-next" href="page-2.html">More</a>', BASE + "page-2.html"),
        (
            '<div class="pagination"><a href="/p/1">1</a><a href="/p/2">Next »</a></div>',
            BASE + "p/2",
        ),
        ('<ul class="pager"><li><a href="/older">Older posts</a></li></ul>', BASE + "older"),
        ('<a rel="next" href="#">x</a><a rel="next" href="javascript:void(0)">y</a>', None),
        ('<a rel="next" href="https://www.example.com/">self</a>', None),
        ('<a rel="next" href="https://www.example.com/?utm_source=x#top">self</a>', None),
        ('<a rel="next" href="?page=3&amp;cat=x#top">x</a>', BASE + "?cat=x&page=3"),
        ('<a href="/p/2">Next</a>', None),  # a bare "Next" outside a pagination block
        ("", None),
    ],
)
def test_next_page_url(html: str, expected: str | None) -> None:
    assert next_page_url(f"<html>{html}</html>", BASE) == expected


def test_feed_links_in_html() -> None:
    html = (
        '<head><link rel="alternate" type="application/rss+xml" href="/rss.xml">'
        '<link rel="alternate" type="application/atom+xml" href="https://x.com/atom">'
        '<link rel="alternate" hreflang="ko" href="/ko/"><link rel="stylesheet" href="a.css">'
        "</head>"
    )
    assert feed_links_in_html(html, BASE) == [BASE + "rss.xml", "https://x.com/atom"]


# --------------------------------------------------------------------------- demo listing page

LISTING_URL = "http://127.0.0.1:8000/politics/page-2.html"


def listing(rel: str, url: str = LISTING_URL) -> ListingPage:
    return ListingPage(url, (DEMO / rel).read_text(encoding="utf-8"))


def test_listing_page_slots_and_pagination() -> None:
    page = listing("politics/page-2.html")
    slots = page.slots()
    assert [s.block for s in slots] == ["Politics", "Politics"]
    assert [s.position_on_page for s in slots] == [1, 2]
    assert all(s.article_url and "/politics/article/" in s.article_url for s in slots)
    assert page.next_page_url() == "http://127.0.0.1:8000/politics/page-3.html"
    published = page.published_by_url()
    assert set(published) == {s.article_url for s in slots}
    assert all(v.endswith("+09:00") for v in published.values())


def test_listing_page_last_page_has_no_next() -> None:
    page = listing("politics/page-3.html", "http://127.0.0.1:8000/politics/page-3.html")
    assert page.next_page_url() is None
    assert page.slots()


def test_front_page_as_listing() -> None:
    page = listing("index.html", "http://127.0.0.1:8000/index.html")
    assert page.next_page_url() is None
    assert page.published_by_url() == {}
    urls = page.listing_urls()
    assert "http://127.0.0.1:8000/politics/index.html" in urls
    assert "http://127.0.0.1:8000/tag/kbo.html" in urls
    blocks = {s.block for s in page.slots()}
    assert {"Top Story", "Latest News", "Politics"} <= blocks


def test_demo_discovery_files() -> None:
    robots = (DEMO / "robots.txt").read_text(encoding="utf-8")
    assert sitemaps_in_robots(robots, "http://h/robots.txt") == [
        "http://h/sitemap.xml",
        "http://h/news-sitemap.xml",
    ]
    index = parse_sitemap((DEMO / "sitemap.xml").read_bytes(), "http://h/sitemap.xml")
    assert index.kind == "sitemapindex" and len(index.entries) == 2
    articles = parse_sitemap((DEMO / "sitemap-articles.xml").read_bytes(), "http://h/x.xml")
    assert len(articles.entries) == len(list(DEMO.glob("*/article/*.html")))
    news = parse_sitemap((DEMO / "news-sitemap.xml").read_bytes(), "http://h/x.xml")
    assert news.is_news and all(e.news_title for e in news.entries)
    assert all(e.published and e.published.startswith("2026-02-21") for e in news.entries)
    feed = parse_feed((DEMO / "rss.xml").read_bytes(), "http://h/rss.xml")
    assert len(feed) == 20 and all(e.published for e in feed)
