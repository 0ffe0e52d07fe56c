"""The sitemap read as it is parsed (``discovery.SitemapReader``): the entries the whole-tree
parse gave, on whole, cut and mangled documents, and a tree that does not grow with the
document (docs/BENCHMARKS.md "Session 8 (perf-mem)")."""

from __future__ import annotations

import random
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
from lxml import etree

from newsspider.discovery import (
    _XML_PARSER,
    SitemapReader,
    _child_text,
    _children,
    _local,
    document_kind,
    maybe_gunzip,
    parse_sitemap,
)
from tests.test_discovery import BASE, INDEX, NEWS, NO_NAMESPACE, OLD_NAMESPACE, URLSET, XXE

DEMO = Path(__file__).resolve().parent.parent / "newsspider" / "demo_site"
Row = tuple[str, list[tuple[str, str | None, str | None, str | None]], bool]


def tree_parse(body: bytes) -> tuple[str, Row]:
    """The whole-tree parse the reader replaced (bf3412f's ``parse_sitemap`` and
    ``document_kind``), as the reference: (document kind, (kind, entries, is_news))."""
    body = maybe_gunzip(body).lstrip(b"\xef\xbb\xbf \t\r\n")
    root: Any = None
    if body:
        try:
            root = etree.fromstring(body, parser=_XML_PARSER)
        except (etree.XMLSyntaxError, ValueError):
            root = None
    kind = _local(root.tag) if root is not None else ""
    doc = {"urlset": "sitemap", "sitemapindex": "sitemap", "rss": "feed", "feed": "feed"}
    doc_kind = doc.get(kind, "feed" if kind == "rdf" else "unknown")
    if kind not in ("urlset", "sitemapindex"):
        return doc_kind, ("unknown", [], False)
    entries, is_news = [], False
    for node in _children(root, "url" if kind == "urlset" else "sitemap"):
        loc = _child_text(node, "loc")
        if not loc:
            continue
        news = next(_children(node, "news"), None)
        title = published = None
        if news is not None:
            is_news = True
            title, published = _child_text(news, "title"), _child_text(news, "publication_date")
        entries.append((urljoin(BASE, loc), _child_text(node, "lastmod"), title, published))
    return doc_kind, (kind, entries, is_news)


def streamed(body: bytes) -> tuple[str, Row]:
    sitemap = parse_sitemap(body, BASE)
    entries = [(e.url, e.lastmod, e.news_title, e.news_published) for e in sitemap.entries]
    return document_kind(body), (sitemap.kind, entries, sitemap.is_news)


DEMO_SITEMAPS = ("sitemap.xml", "sitemap-articles.xml", "news-sitemap.xml")
DOCUMENTS = [URLSET, INDEX, NEWS, NO_NAMESPACE, OLD_NAMESPACE, XXE] + [
    (DEMO / name).read_bytes() for name in DEMO_SITEMAPS
]


def cut(body: bytes) -> list[bytes]:
    """The document cut off at ~100 places (a download that stopped)."""
    return [body[:i] for i in range(0, len(body), max(1, len(body) // 100))]


def mangled(body: bytes, rnd: random.Random) -> list[bytes]:
    """40 copies with a few bytes deleted, inserted (markup pieces, NUL, invalid UTF-8) or
    replaced."""
    out = []
    pieces = [b"<", b">", b"&", b"</url>", b"<url>", b"<loc>", b"]]>", b"\x00", b"<!--", b"\xff"]
    for _ in range(40):
        mangled = bytearray(body)
        for _ in range(rnd.randint(1, 4)):
            at = rnd.randrange(len(mangled))
            change = rnd.random()
            if change < 0.3:
                del mangled[at]
            elif change < 0.6:
                mangled[at:at] = rnd.choice(pieces)
            else:
                mangled[at] = rnd.randrange(256)
        out.append(bytes(mangled))
    return out


@pytest.mark.parametrize("doc", range(len(DOCUMENTS)))
def test_reader_gives_what_the_tree_parse_gave(doc: int) -> None:
    for body in [DOCUMENTS[doc], *cut(DOCUMENTS[doc])]:
        assert outcome(streamed, body) == outcome(tree_parse, body), body[:300]


def test_mangled_documents_mostly_recover_the_same() -> None:
    """Bytes broken inside the document: libxml2's push parser (the reader) recovers from
    some errors differently from its whole-document parser (``<loc>x/1<5loc>``: ``x/1``
    instead of ``x/15loc>``); it never raises what the tree parse did not, and nearly every
    such document reads the same (10 of 360 differed when this was written)."""
    bodies = [b for doc, body in enumerate(DOCUMENTS) for b in mangled(body, random.Random(doc))]
    differ = 0
    for body in bodies:
        got, want = outcome(streamed, body), outcome(tree_parse, body)
        assert isinstance(got, str) is isinstance(want, str), body[:300]  # both raise or neither
        differ += got != want
    assert differ < len(bodies) // 10


def outcome(parse: Any, body: bytes) -> Any:
    """What a parse gives, or the error it raises (urljoin's ValueError for a ``<loc>`` like
    ``http://[x``: raised by both, as before)."""
    try:
        return parse(body)
    except ValueError as exc:
        return repr(exc)


def test_garbage_is_unknown() -> None:
    for body in (b"", b"\x1f\x8bnot gzip", b"not xml at all", b"<html><p>x</p></html>", b"<"):
        assert streamed(body) == tree_parse(body)
        assert list(SitemapReader(body)) == []


def big_urlset(n: int) -> bytes:
    rows = "".join(
        f"<url><loc>a/article/{i}.html</loc><lastmod>2026-01-01T00:00:00Z</lastmod></url>"
        for i in range(n)
    )
    return f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{rows}</urlset>'.encode()


def test_the_tree_does_not_grow_with_the_document() -> None:
    reader = SitemapReader(big_urlset(5000), BASE)
    root = reader._root
    held = []
    for i, entry in enumerate(reader):
        assert entry.url == f"{BASE}a/article/{i}.html"
        held.append(len(root))
    # the tree holds the entries of the chunk being parsed (~400 here), never the document
    assert len(held) == 5000 and max(held) < 1000
    assert held[-1] <= 2


def test_the_urls_bound_counts_the_urls_left_out() -> None:
    """The site spider's NEWSSPIDER_SITEMAP_MAX_URLS over a streamed sitemap: the first URLs
    up to the bound are read, the rest counted in the bound's stat."""
    from scrapy.utils.test import get_crawler

    from newsspider.spiders.site import SiteSpider

    crawler = get_crawler(SiteSpider, {"NEWSSPIDER_SITEMAP_MAX_URLS": 30})
    spider = SiteSpider.from_crawler(crawler, url=BASE)
    spider.sitemap_urls = 10
    links = list(spider.sitemap_links(SitemapReader(big_urlset(50), BASE), BASE + "s.xml"))
    assert links == [(f"{BASE}a/article/{i}.html", "2026-01-01T00:00:00Z") for i in range(20)]
    assert spider.sitemap_urls == 30
    assert crawler.stats.get_value("newsspider/discovery/sitemap/urls_limited") == 30
