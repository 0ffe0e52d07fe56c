"""Finding article URLs on a whole site: robots.txt, XML sitemaps, RSS/Atom feeds, pagination.

Pure functions (bytes/text in, dataclasses out), table-tested in ``tests/test_discovery.py``;
the ``site`` spider (``newsspider/spiders/site.py``) does the navigation. Every parser is
namespace-agnostic (sitemaps in the wild use the 0.84/0.9 namespaces, no namespace, or a
Google News extension) and never raises on garbage: a document it can't read gives ``[]``.

XML is parsed with entities and network access off (no XXE / billion-laughs), in recover
mode so a stray ``&`` in a title does not lose the whole feed.
"""

from __future__ import annotations

import io
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree, html

from newsspider.dates import feed_date
from newsspider.urls import canonicalize_url

CHANNELS: tuple[str, ...] = ("listing", "feed", "sitemap")
# a sitemap is at most 50 MB uncompressed (sitemaps.org); refuse to inflate more than that
MAX_SITEMAP_BYTES = 50 * 1024 * 1024

_XML_PARSER = etree.XMLParser(
    resolve_entities=False, no_network=True, recover=True, huge_tree=False, remove_comments=True
)
_SITEMAP_LINE_RE = re.compile(r"^\s*sitemap\s*:\s*(?P<url>\S+)", re.IGNORECASE | re.MULTILINE)
# "Next", "Next page", "Older posts", "Next ›", "»", "→" (link text of a pagination control)
_NEXT_TEXT_RE = re.compile(
    r"^\s*(?:next(?:\s+page)?|older(?:\s+(?:posts|stories|articles|entries))?|more)?\s*"
    r"[›»→>]*\s*$",
    re.IGNORECASE,
)


# --------------------------------------------------------------------------- data


@dataclass(frozen=True)
class SitemapEntry:
    """One ``<url>`` of a urlset (or one ``<sitemap>`` of an index)."""

    url: str  # <loc>, absolute
    lastmod: str | None = None  # <lastmod> as given (W3C datetime)
    news_title: str | None = None  # <news:title> (Google News sitemaps)
    news_published: str | None = None  # <news:publication_date> as given

    @property
    def published(self) -> str | None:
        """The best date the sitemap gives: news publication date, else lastmod."""
        return self.news_published or self.lastmod


@dataclass(frozen=True)
class Sitemap:
    kind: str  # "urlset", "sitemapindex" or "unknown" (not a sitemap)
    entries: list[SitemapEntry] = field(default_factory=list)
    is_news: bool = False  # entries carry Google News <news:news> data


@dataclass(frozen=True)
class FeedEntry:
    """One RSS ``<item>`` or Atom ``<entry>``."""

    url: str  # <link> (RSS text, Atom href of rel=alternate), absolute
    title: str | None = None
    published: str | None = None  # ISO 8601 (RSS RFC 822 dates converted), None if absent


# --------------------------------------------------------------------------- small helpers


def site_root(start_url: str) -> str:
    """Where robots.txt and root-relative feed/sitemap paths live.

    ``https://host/news/`` -> ``https://host/``; for ``file://…/demo_site/index.html`` (the
    bundled demo, read from disk) the folder of the start page.
    """
    parts = urlsplit(start_url)
    if parts.scheme == "file":
        return urljoin(start_url, "./")
    return f"{parts.scheme}://{parts.netloc}/"


def resolve_declared(root: str, paths: Iterable[str]) -> list[str]:
    """Profile-declared feed/sitemap locations ("rss.xml", "/sitemap.xml", full URLs) -> URLs."""
    return [urljoin(root, p.lstrip("/")) for p in paths if p and p.strip()]


def maybe_gunzip(body: bytes, max_size: int = MAX_SITEMAP_BYTES) -> bytes:
    """Inflate a gzip body (``sitemap.xml.gz`` served without Content-Encoding); else as is.

    A body that inflates past ``max_size`` (a decompression bomb) or is corrupt gives ``b""``.
    """
    if not body.startswith(b"\x1f\x8b"):
        return body
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, max_size + 1)
    except zlib.error:
        return b""
    return b"" if len(data) > max_size else data


# --------------------------------------------------------------------------- robots.txt


def sitemaps_in_robots(text: str, robots_url: str) -> list[str]:
    """Every ``Sitemap:`` line of a robots.txt (any group, any case), absolute, in order."""
    urls = [urljoin(robots_url, m.group("url")) for m in _SITEMAP_LINE_RE.finditer(text or "")]
    return list(dict.fromkeys(urls))


# --------------------------------------------------------------------------- XML helpers


def _xml_bytes(body: bytes) -> bytes:
    """The XML document of a response body: inflated if gzipped, without a leading BOM or
    whitespace (libxml2 refuses both before ``<?xml``)."""
    return maybe_gunzip(body).lstrip(b"\xef\xbb\xbf \t\r\n")


def _tree(data: bytes) -> Any:
    """The whole tree's root element of :func:`_xml_bytes`' document; None if unreadable."""
    if not data:
        return None
    try:
        return etree.fromstring(data, parser=_XML_PARSER)
    except (etree.XMLSyntaxError, ValueError):
        return None


def _xml_root(body: bytes) -> Any:
    return _tree(_xml_bytes(body))


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1].lower() if isinstance(tag, str) else ""


def _children(el: Any, name: str) -> Iterator[Any]:
    for child in el:
        if _local(child.tag) == name:
            yield child


def _child_text(el: Any, *path: str) -> str | None:
    node = el
    for name in path:
        node = next(_children(node, name), None)
        if node is None:
            return None
    text = "".join(node.itertext()).strip()
    return text or None


def document_kind(body: bytes) -> str:
    """ "sitemap" (urlset or index), "feed" (RSS/Atom/RDF) or "unknown".

    From the root element's start tag alone (a whole tree of a 10,000-URL sitemap is ~8 MB);
    a document the parser met an error in before it is read as a whole tree, as ever."""
    data = _xml_bytes(body)
    name = _root_name(data) if data else ""
    if name is None:
        root = _tree(data)
        name = _local(root.tag) if root is not None else ""
    if name in ("urlset", "sitemapindex"):
        return "sitemap"
    if name in ("rss", "feed", "rdf"):
        return "feed"
    return "unknown"


def _root_name(data: bytes) -> str | None:
    """The local name of the document's root element, read from its start tag; None when the
    parser met an error first."""
    events = etree.iterparse(
        io.BytesIO(data),
        events=("start",),
        resolve_entities=False,
        no_network=True,
        recover=True,
        huge_tree=False,
        remove_comments=True,
    )
    try:
        for _event, node in events:
            return None if len(events.error_log) else _local(node.tag)
    except (etree.XMLSyntaxError, ValueError):
        return None
    return None


# --------------------------------------------------------------------------- sitemaps


def parse_sitemap(body: bytes, base_url: str = "") -> Sitemap:
    """A sitemap urlset or sitemap index (plain or gzipped), Google News extension included.

    Read as a stream: each ``<url>`` (``<sitemap>``) is read when it is complete and then
    dropped, so a 10,000-URL document never stands as a whole tree (~8 MB of libxml2 nodes,
    the crawl's early memory peak on a large site; docs/benchmarks/log.md "Session 10
    (perf-mem)"). A malformed document is read again as a whole tree: libxml2 recovers from
    errors differently in the two modes, and the entries must be the same as ever."""
    data = _xml_bytes(body)
    if not data:
        return Sitemap("unknown")
    streamed = _stream_sitemap(data, base_url)
    if streamed is not None:
        return streamed
    root = _tree(data)
    kind = _local(root.tag) if root is not None else ""
    if kind not in ("urlset", "sitemapindex"):
        return Sitemap("unknown")
    child_name = "url" if kind == "urlset" else "sitemap"
    entries: list[SitemapEntry] = []
    is_news = False
    for node in _children(root, child_name):
        is_news = _read_sitemap_entry(node, base_url, entries) or is_news
    return Sitemap(kind, entries, is_news)


def _stream_sitemap(data: bytes, base_url: str) -> Sitemap | None:
    """:func:`parse_sitemap` as a stream; None when the parser met an error."""
    events = etree.iterparse(
        io.BytesIO(data),
        events=("start", "end"),
        resolve_entities=False,
        no_network=True,
        recover=True,
        huge_tree=False,
        remove_comments=True,
    )
    kind = child_name = ""
    entries: list[SitemapEntry] = []
    is_news = False
    depth = 0
    try:
        for event, node in events:
            if event == "start":
                depth += 1
                if depth == 1:
                    kind = _local(node.tag)
                    if kind not in ("urlset", "sitemapindex"):
                        break
                    child_name = "url" if kind == "urlset" else "sitemap"
                continue
            depth -= 1
            if depth != 1:
                continue
            # a child of the root, complete: read it, then drop it and what came before it
            if _local(node.tag) == child_name:
                is_news = _read_sitemap_entry(node, base_url, entries) or is_news
            node.clear()
            while node.getprevious() is not None:
                del node.getparent()[0]
    except (etree.XMLSyntaxError, ValueError):
        return None
    if len(events.error_log):
        return None
    if kind not in ("urlset", "sitemapindex"):
        return Sitemap("unknown")
    return Sitemap(kind, entries, is_news)


def _read_sitemap_entry(node: Any, base_url: str, entries: list[SitemapEntry]) -> bool:
    """Append ``node``'s entry (one with a ``<loc>``); True when it has Google News data."""
    loc = _child_text(node, "loc")
    if not loc:
        return False
    news = next(_children(node, "news"), None)
    title = published = None
    if news is not None:
        title = _child_text(news, "title")
        published = _child_text(news, "publication_date")
    entries.append(
        SitemapEntry(
            url=urljoin(base_url, loc),
            lastmod=_child_text(node, "lastmod"),
            news_title=title,
            news_published=published,
        )
    )
    return news is not None


# --------------------------------------------------------------------------- feeds


def parse_feed(body: bytes, base_url: str = "") -> list[FeedEntry]:
    """Entries of an RSS 2.0, RSS 1.0 (RDF) or Atom feed, in document order."""
    root = _xml_root(body)
    if root is None:
        return []
    name = _local(root.tag)
    if name == "feed":
        return list(_atom_entries(root, base_url))
    if name == "rss":
        channel = next(_children(root, "channel"), None)
        return list(_rss_items(channel, base_url)) if channel is not None else []
    if name == "rdf":
        return list(_rss_items(root, base_url))
    return []


def _rss_items(parent: Any, base_url: str) -> Iterator[FeedEntry]:
    for item in _children(parent, "item"):
        link = _child_text(item, "link")
        if not link:
            guid = next(_children(item, "guid"), None)
            # <guid isPermaLink="true"> (the default) is the article URL
            if guid is not None and (guid.get("isPermaLink") or "true").lower() == "true":
                link = (guid.text or "").strip() or None
        if not link:
            continue
        raw_date = _child_text(item, "pubdate") or _child_text(item, "date")
        yield FeedEntry(
            url=urljoin(base_url, link),
            title=_child_text(item, "title"),
            published=feed_date(raw_date),
        )


def _atom_entries(root: Any, base_url: str) -> Iterator[FeedEntry]:
    for entry in _children(root, "entry"):
        href = None
        for link in _children(entry, "link"):
            rel = (link.get("rel") or "alternate").lower()
            if rel == "alternate" and link.get("href"):
                href = link.get("href")
                break
        if not href:
            continue
        yield FeedEntry(
            url=urljoin(base_url, href.strip()),
            title=_child_text(entry, "title"),
            published=feed_date(_child_text(entry, "published") or _child_text(entry, "updated")),
        )


# --------------------------------------------------------------------------- HTML pages

FEED_TYPES = frozenset({"application/rss+xml", "application/atom+xml", "application/rdf+xml"})


def _html_root(page_html: str) -> Any:
    if not page_html or not page_html.strip():
        return None
    try:
        return html.document_fromstring(page_html)
    except (etree.ParserError, ValueError):
        return None


def feed_links_in_html(page_html: str, page_url: str) -> list[str]:
    """Feeds a page announces: ``<link rel="alternate" type="application/rss+xml" href=…>``."""
    root = _html_root(page_html)
    if root is None:
        return []
    urls = []
    for link in root.iter("link"):
        rel = (link.get("rel") or "").lower().split()
        kind = (link.get("type") or "").lower().strip()
        href = (link.get("href") or "").strip()
        if "alternate" in rel and kind in FEED_TYPES and href:
            urls.append(urljoin(page_url, href))
    return list(dict.fromkeys(urls))


def next_page_url(page_html: str, page_url: str) -> str | None:
    """The "next page" of a listing on any site, or None.

    In order: ``<link rel="next">``, ``<a rel="next">``, an ``<a>`` whose class says next
    (``pagination-next``, ``next``), an ``<a>`` inside a pagination container whose text is
    "Next"/"Older posts"/"»". Canonical (``newsspider.urls.canonicalize_url``), never the
    page itself (nor the page with tracking parameters added).
    """
    root = _html_root(page_html)
    if root is None:
        return None
    candidates: list[str] = []
    for tag in ("link", "a"):
        for el in root.iter(tag):
            if "next" in (el.get("rel") or "").lower().split() and el.get("href"):
                candidates.append(el.get("href"))
    for a in root.iter("a"):
        classes = (a.get("class") or "").lower().split()
        is_next = any(c == "next" or c.endswith("-next") or c.startswith("next-") for c in classes)
        if is_next and a.get("href"):
            candidates.append(a.get("href"))
    for container in root.iter():
        if not isinstance(container.tag, str):
            continue
        classes = (container.get("class") or "").lower()
        if "pagination" not in classes and "pager" not in classes:
            continue
        for a in container.iter("a"):
            text = "".join(a.itertext()).strip()
            if text and _NEXT_TEXT_RE.match(text) and a.get("href"):
                candidates.append(a.get("href"))
    try:
        here = canonicalize_url(page_url)
    except ValueError:
        return None
    for href in candidates:
        href = href.strip()
        if not href or href.startswith(("#", "javascript:", "mailto:")):
            continue
        try:
            url = canonicalize_url(urljoin(page_url, href))
        except ValueError:
            continue
        if url != here:
            return url
    return None


class GenericListingPage:
    """A listing page of a site without a listing profile: the generic front-page slots plus
    :func:`next_page_url`. No listing links (sitemaps and feeds cover the rest of the site)."""

    def __init__(self, url: str, page_html: str) -> None:
        from newsspider.pages.generic import GenericFrontPage

        self.url = url
        self.html = page_html
        self.front = GenericFrontPage(url, page_html)

    def slots(self) -> list[Any]:
        return self.front.slots()

    def popular(self) -> list[Any]:
        return self.front.popular()

    def next_page_url(self) -> str | None:
        return next_page_url(self.html, self.url)

    def listing_urls(self) -> list[str]:
        return []

    def published_by_url(self) -> dict[str, str]:
        return {}
