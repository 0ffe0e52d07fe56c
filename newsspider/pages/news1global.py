"""Page objects for the news1global.com layout (and the bundled demo copy of it).

Where each field comes from is written next to the selector constant that reads it; the
data dictionary quotes these. Pure: no requests, no clock; never raises on odd HTML (a
missing element gives ``None``; malformed JSON-LD is skipped).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any
from urllib.parse import urlparse

from lxml import etree
from parsel import Selector, SelectorList
from parsel.csstranslator import css2xpath

from newsspider.dates import ParsedDate, parse_date
from newsspider.items import Article, FrontPageSlot, PopularEntry
from newsspider.pages.base import HtmlPage, SiteProfile
from newsspider.text import count_words
from newsspider.urls import (
    ARTICLE_PATH_RE,
    article_id_from_url,
    canonicalize_url,
    is_safe_url,
    section_from_url,
)

SITE = "news1global"
SITE_TITLE_SUFFIX_RE = re.compile(r"\s*[|\-–—]\s*News1 Global\s*$", re.IGNORECASE)
# the site prints times in Korea Standard Time (the profile's zone, used when none is printed)
TIMEZONE = "Asia/Seoul"

# "Saturday, February 21, 2026" (weekday optional, month may be abbreviated)
DATE_LINE_RE = re.compile(
    r"(?:[A-Za-z]+,\s*)?(?P<month>[A-Za-z]{3,9})\.?\s+(?P<day>\d{1,2}),?\s+(?P<year>\d{4})"
)
# "2026-02-21 09:05 KST", also "2026.02.21 09:05", seconds and an explicit offset optional
PRINTED_TIME_RE = re.compile(
    r"(?P<y>\d{4})[-./](?P<m>\d{1,2})[-./](?P<d>\d{1,2})\s+(?P<H>\d{1,2}):(?P<M>\d{2})"
    r"(?::(?P<S>\d{2}))?\s*(?P<zone>KST|[+-]\d{2}:?\d{2}|UTC|GMT|Z)?",
    re.IGNORECASE,
)
TIME_LABEL_RE = re.compile(r"^\s*(?:Published|Updated|Modified|Posted)\s*:?\s*", re.IGNORECASE)
BYLINE_PREFIX_RE = re.compile(r"^\s*By\s+", re.IGNORECASE)
# a byline part that is a job title, not a person: "Staff Reporter", "Defense Correspondent"
AUTHOR_TITLE_RE = re.compile(
    r"\b(?:reporters?|correspondents?|editors?|writers?|columnists?|staff|interns?|"
    r"contributors?|photographers?|desk)\b",
    re.IGNORECASE,
)
AUTHOR_SPLIT_RE = re.compile(r"\s*(?:,|\band\b|&)\s*", re.IGNORECASE)
WHITESPACE_RE = re.compile(r"\s+")


# --------------------------------------------------------------------------- pure helpers


def clean_text(parts: Iterable[str] | str | None) -> str | None:
    """Join text nodes, collapse all whitespace (NBSP included); empty -> None."""
    if parts is None:
        return None
    text = parts if isinstance(parts, str) else " ".join(parts)
    # already clean (the usual paragraph): every white space character str.split() splits on
    # other than " " is non-printable (categories Cc, Zs, Zl, Zp), so one C-level scan proves
    # there is nothing to collapse
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return str(text) or None
    # str.split() splits on exactly the characters \s matches (Unicode white space), and is
    # ~5x faster than WHITESPACE_RE.sub on article paragraphs
    return " ".join(text.split()) or None


# compiled once, plain str results: parsel's .xpath() wraps every text node in a Selector
_TEXT_NODES = etree.XPath(".//text()", smart_strings=False)


def text_of(sel: Selector | SelectorList[Selector]) -> str | None:
    """All descendant text of the first matched element, one clean line (None if no match)."""
    if isinstance(sel, SelectorList):
        if not sel:
            return None
        sel = sel[0]
    root = sel.root
    if isinstance(root, str):  # a text/attribute selector: its own value
        return clean_text(root)
    return clean_text(_TEXT_NODES(root))


# --------------------------------------------------------------------------- lxml fast path
# The page objects evaluate their CSS constants as XPath compiled once (parsel's own CSS
# translation, so the same nodes match) directly on the lxml tree: parsel's ``.css()``
# re-parses the XPath string and wraps every result in a Selector on every call.


@lru_cache(maxsize=512)
def _xpath(css: str) -> etree.XPath:
    """A CSS selector (parsel dialect: ``::text``, ``::attr(name)``) as compiled XPath."""
    return etree.XPath(css2xpath(css), smart_strings=False)


def _select(css: str, node: Any) -> list[Any]:
    """``Selector.css(css)`` evaluated on an lxml node: elements or plain strings."""
    result = _xpath(css)(node)
    return result if isinstance(result, list) else [result]


def _first(css: str, node: Any) -> Any:
    """The first match of ``css`` (an element or a string), None when nothing matches."""
    found = _select(css, node)
    return found[0] if found else None


def _first_str(css: str, node: Any) -> str | None:
    """``Selector.css(css).get()`` for a ``::text``/``::attr()`` selector."""
    found = _select(css, node)
    return str(found[0]) if found else None


@lru_cache(maxsize=64)
def _compiled_xpath(expr: str) -> etree.XPath:
    return etree.XPath(expr, smart_strings=False)


def _first_xpath_str(expr: str, node: Any) -> str | None:
    """``Selector.xpath(expr).get()`` for an XPath selecting strings (attributes, text)."""
    found = _compiled_xpath(expr)(node)
    if not isinstance(found, list):
        return str(found)
    return str(found[0]) if found else None


def element_text(node: Any) -> str | None:
    """:func:`text_of` for an lxml element (or a string result): one clean line or None."""
    if node is None:
        return None
    if isinstance(node, str):
        return clean_text(node)
    if len(node) == 0:  # no child nodes: its own text node is all of ``.//text()``
        text = node.text
        return clean_text(text) if text else None
    return clean_text(_TEXT_NODES(node))


# "div.article-body > p", "div.tags a.tag", "figure.lead-image img::attr(src)": a container
# (tag.class) and one simple selector below it (a child or any descendant)
_SCOPED_CSS_RE = re.compile(
    r"^(?P<tag>[a-z][a-z0-9]*)\.(?P<cls>[A-Za-z_][\w-]*)(?P<comb>\s*>\s*|\s+)"
    r"(?P<rest>[^\s,>+~]+)$"
)
# XPath 1.0 normalize-space() white space: what separates class names in the CSS translation
_XML_SPACE = str.maketrans("\t\n\r", "   ")


@lru_cache(maxsize=512)
def _scoped(css: str) -> tuple[str, str, etree.XPath] | None:
    """(container tag, container class, XPath relative to the container) for a scoped CSS
    selector; None when ``css`` has another shape."""
    m = _SCOPED_CSS_RE.match(css)
    if not m:
        return None
    rest = css2xpath(m["rest"])
    prefix = "descendant-or-self::"
    if not rest.startswith(prefix) or rest.startswith(prefix + "*/") or "|" in rest:
        return None
    axis = "child::" if ">" in m["comb"] else "descendant::"
    return m["tag"], m["cls"], etree.XPath(axis + rest[len(prefix) :], smart_strings=False)


def parse_date_line(raw: str | None) -> str | None:
    """ "Saturday, February 21, 2026" -> "2026-02-21"; None when it does not parse."""
    if not raw or not DATE_LINE_RE.search(raw):
        return None
    value = parse_date(raw, default_tz=TIMEZONE).value
    return value[:10] if value else None


def parse_printed_time(raw: str | None) -> tuple[str | None, bool | None]:
    """ "2026-02-21 09:05 KST" -> ("2026-02-21T09:05:00+09:00", tz_assumed=False).

    Without a zone the site's zone (KST) is assumed and flagged; unparseable -> (None, None).
    """
    parsed = printed_time(raw)
    return parsed.value, parsed.tz_assumed


def parse_iso_time(raw: str | None) -> tuple[str | None, bool | None]:
    """An ISO 8601 declaration (JSON-LD, meta) -> (ISO with offset, tz_assumed)."""
    parsed = declared_time(raw)
    return parsed.value, parsed.tz_assumed


def printed_time(raw: str | None, source: str | None = "profile") -> ParsedDate:
    """A printed "2026-02-21 09:05 KST" as a date group (the fast path: one regex, then the
    project's date parser, so the profile and the generic layer agree on every value)."""
    if not raw or not PRINTED_TIME_RE.search(raw):
        return ParsedDate(raw=raw or None)
    return parse_date(raw, default_tz=TIMEZONE, source=source)


def declared_time(raw: str | None, source: str | None = None) -> ParsedDate:
    """A JSON-LD/meta date (ISO 8601, or printed form) as a date group."""
    return parse_date(raw, default_tz=TIMEZONE, source=source)


def split_byline(raw: str | None) -> list[str]:
    """ "By Park Ji-hoon and Lee Soo-jin, Staff Reporters" -> ["Park Ji-hoon", "Lee Soo-jin"].

    Names keep any Hangul in parentheses as printed: "Kim Min-ji (김민지)".
    """
    text = clean_text(raw)
    if not text:
        return []
    text = BYLINE_PREFIX_RE.sub("", text)
    names: list[str] = []
    for part in AUTHOR_SPLIT_RE.split(text):
        name = part.strip(" .;:-–—")
        if name and not AUTHOR_TITLE_RE.search(name) and name not in names:
            names.append(name)
    return names


def _json_ld_objects(root: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in the page's JSON-LD scripts, @graph and lists flattened."""
    for raw in _select('script[type="application/ld+json"]::text', root):
        try:
            data = json.loads(raw)
        except ValueError:
            continue
        stack = [data]
        while stack:
            node = stack.pop(0)
            if isinstance(node, list):
                stack.extend(node)
            elif isinstance(node, dict):
                yield node
                if isinstance(node.get("@graph"), list):
                    stack.extend(node["@graph"])


def _as_str(value: Any) -> str | None:
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return _as_str(value.get("url") or value.get("name") or value.get("@id"))
    if isinstance(value, list) and value:
        return _as_str(value[0])
    return None


_SIMPLE_CSS_RE = re.compile(r"^(?P<tag>[a-z][a-z0-9]*)\.(?P<cls>[A-Za-z_][\w-]*)$")


def _container_of(css: str) -> tuple[str, str] | None:
    """(tag, class) of a "tag.class" selector or of the container of a scoped one."""
    m = _SIMPLE_CSS_RE.match(css)
    if m:
        return m["tag"], m["cls"]
    scoped = _scoped(css)
    return (scoped[0], scoped[1]) if scoped is not None else None


_ContainersQuery = tuple[frozenset[tuple[str, str]], tuple[str, ...], re.Pattern[str]]
_CONTAINERS_QUERIES: dict[type, _ContainersQuery] = {}


def _containers_query(page_class: type) -> _ContainersQuery:
    """The (tag, class) containers named by a page class's selector constants (each part of
    a comma list too), their tags, and a regex that finds one of their class names in a
    class attribute (a cheap pre-check before splitting it). Cached per class."""
    cached = _CONTAINERS_QUERIES.get(page_class)
    if cached is not None:
        return cached
    wanted: set[tuple[str, str]] = set()
    for name in dir(page_class):
        value = getattr(page_class, name)
        if name.endswith("_CSS") and isinstance(value, str):
            for part in value.split(","):
                container = _container_of(part.strip())
                if container is not None:
                    wanted.add(container)
    names = "|".join(sorted({re.escape(cls) for _, cls in wanted})) or "(?!)"
    query = (
        frozenset(wanted),
        tuple(sorted({tag for tag, _ in wanted})),
        re.compile(f"(?:^|[ \t\n\r])(?:{names})(?:[ \t\n\r]|$)"),
    )
    _CONTAINERS_QUERIES[page_class] = query
    return query


_MISSING: Any = object()
# (scheme://host/directory/ of the base URL, relative href) -> canonical_link()
_CANONICAL_LINKS: dict[tuple[str, str], str | None] = {}
_CANONICAL_LINKS_MAX = 50_000
_PATH_START_RE = re.compile(r"[\w.~%-]")


def _base_directory(url: str | None) -> str | None:
    """ "https://h/politics/article/1.html?x#y" -> "https://h/politics/article/": what
    urljoin() uses of a base URL to resolve a relative path; None for odd URLs."""
    if not url:
        return None
    try:
        parts = urlparse(url)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path[:1] != "/":
        return None
    directory = parts.path.rsplit("/", 1)[0] if "/" in parts.path else ""
    return f"{parts.scheme}://{parts.netloc}{directory}/"


# --------------------------------------------------------------------------- shared parts


class _News1GlobalPage(HtmlPage):
    # <section class="most-popular"><h2>Most Popular Articles</h2><ol><li><span class="rank">1
    # </span><a href="…">Headline</a></li>…  (sidebar of every page)
    POPULAR_LIST_CSS = "section.most-popular"
    POPULAR_TITLE_CSS = "h2"
    POPULAR_ITEM_CSS = "ol > li"
    POPULAR_RANK_CSS = "span.rank::text"
    POPULAR_LINK_CSS = "a[href]"

    def page_url(self) -> str | None:
        try:
            return canonicalize_url(self.url) if self.url else None
        except ValueError:  # an unparseable URL (e.g. "http://[::1") must not raise
            return None

    def absolute_url(self, href: str | None) -> str | None:
        """Absolute form of a link; None for javascript:/mailto:/data: and empty hrefs."""
        try:
            url = self.urljoin(href)
        except ValueError:  # e.g. "http://[bad" -- garbage must not raise
            return None
        return url if url and is_safe_url(url) else None

    def canonical_link(self, href: str | None) -> str | None:
        key = self._link_key(href)
        if key is None:
            return self._canonical_link(href)
        if key in _CANONICAL_LINKS:
            return _CANONICAL_LINKS[key]
        found = self._canonical_link(href)
        if len(_CANONICAL_LINKS) >= _CANONICAL_LINKS_MAX:
            _CANONICAL_LINKS.clear()
        _CANONICAL_LINKS[key] = found
        return found

    def _canonical_link(self, href: str | None) -> str | None:
        url = self.absolute_url(href)
        return canonicalize_url(url) if url else None

    def _link_key(self, href: str | None) -> tuple[str, str] | None:
        """A cache key for a relative link: urljoin() of a reference with no scheme (no
        ":"), starting with a path character, depends only on the base URL's scheme, host
        and directory, so the popular list and slot links printed on every page of a
        section resolve once. None when the link must be resolved afresh."""
        if not href or ":" in href or not _PATH_START_RE.match(href := href.strip()):
            return None
        base = self.__dict__.get("_link_base", _MISSING)
        if base is _MISSING:
            base = _base_directory(self.url)
            self.__dict__["_link_base"] = base
        return (base, href) if base is not None else None

    @property
    def root(self) -> Any:
        """The lxml root element of the page (parsel's ``sel.root``)."""
        return self.sel.root

    def containers(self, tag: str, cls: str) -> list[Any]:
        """The ``tag.cls`` elements of the page, in document order (``sel.css("tag.cls")``).
        The containers named by the class's selector constants are all found in one walk
        over the tree (then cached); any other pair by its own query."""
        wanted, tags, has_wanted = _containers_query(type(self))
        if (tag, cls) not in wanted:
            return _select(f"{tag}.{cls}", self.root)
        index: dict[tuple[str, str], list[Any]] | None = self.__dict__.get("_containers")
        if index is None:
            index = {}
            for el in self.root.iter(*tags):
                classes = el.get("class")
                if classes and has_wanted.search(classes):
                    for name in dict.fromkeys(classes.translate(_XML_SPACE).split(" ")):
                        key = (el.tag, name)
                        if key in wanted:
                            index.setdefault(key, []).append(el)
            self.__dict__["_containers"] = index
        return index.get((tag, cls), [])

    def css(self, css: str) -> list[Any]:
        """``self.sel.css(css)`` as lxml elements / plain strings, same nodes, same order.

        A "tag.class <simple selector>" query runs below its one container when the page has
        exactly one such container (the usual case); otherwise over the whole document."""
        simple = _SIMPLE_CSS_RE.match(css)
        if simple:
            return self.containers(simple["tag"], simple["cls"])
        scoped = _scoped(css)
        if scoped is not None:
            tag, cls, relative = scoped
            containers = self.containers(tag, cls)
            if not containers:
                return []
            if len(containers) == 1:
                found: list[Any] = relative(containers[0])
                return found
        return _select(css, self.root)

    def css_any(self, css: str) -> bool:
        """``bool(self.sel.css(css))``; a plain comma list is tested part by part."""
        if "(" in css or '"' in css or "'" in css:
            return bool(_select(css, self.root))
        return any(self.css(part.strip()) for part in css.split(","))

    def css_first(self, css: str) -> Any:
        found = self.css(css)
        return found[0] if found else None

    def css_str(self, css: str) -> str | None:
        """``self.sel.css(css).get()`` for a ``::text``/``::attr()`` selector."""
        found = self.css(css)
        return str(found[0]) if found else None

    def popular(self) -> list[PopularEntry]:
        entries: list[PopularEntry] = []
        seen_on_url = self.page_url()
        for block in self.css(self.POPULAR_LIST_CSS):
            list_name = element_text(_first(self.POPULAR_TITLE_CSS, block))
            for position, li in enumerate(_select(self.POPULAR_ITEM_CSS, block), start=1):
                link = _first(self.POPULAR_LINK_CSS, li)
                url = self.canonical_link(link.get("href")) if link is not None else None
                rank_text = clean_text(_first_str(self.POPULAR_RANK_CSS, li))
                entries.append(
                    PopularEntry(
                        list_name=list_name,
                        rank=int(rank_text) if rank_text and rank_text.isdigit() else position,
                        headline=element_text(link),
                        article_url=url,
                        article_id=article_id_from_url(url),
                        seen_on_url=seen_on_url,
                    )
                )
        return entries


# --------------------------------------------------------------------------- front page


class FrontPage(_News1GlobalPage):
    """``index.html`` (also section and tag listings, which share the block markup)."""

    # <div class="date-line">Saturday, February 21, 2026</div> at the very top of the page
    DATE_LINE_CSS = "div.date-line"
    # <section class="headline-block" data-block="Latest News"><h2 class="block-title">…
    BLOCK_CSS = "section.headline-block"
    BLOCK_NAME_ATTR = "data-block"
    BLOCK_TITLE_CSS = "h2.block-title"
    # <li class="headline-item"><a class="headline-link" href="…">Headline</a>
    # <p class="teaser">…</p><img class="thumb" src="…"></li>
    SLOT_CSS = "li.headline-item"
    SLOT_LINK_CSS = "a.headline-link"
    SLOT_TEASER_CSS = "p.teaser"
    SLOT_IMAGE_CSS = "img.thumb::attr(src)"

    def date_line_raw(self) -> str | None:
        return element_text(self.css_first(self.DATE_LINE_CSS))

    def page_date(self) -> str | None:
        return parse_date_line(self.date_line_raw())

    def block_name(self, block: Any) -> str | None:
        return clean_text(block.get(self.BLOCK_NAME_ATTR)) or element_text(
            _first(self.BLOCK_TITLE_CSS, block)
        )

    def slot(self, li: Any) -> FrontPageSlot:
        link = _first(self.SLOT_LINK_CSS, li)
        article_url = self.canonical_link(link.get("href")) if link is not None else None
        return FrontPageSlot(
            headline=element_text(link),
            teaser=element_text(_first(self.SLOT_TEASER_CSS, li)),
            article_url=article_url,
            article_id=article_id_from_url(article_url),
            section=section_from_url(article_url),
            image_url=self.absolute_url(_first_str(self.SLOT_IMAGE_CSS, li)),
        )

    def slots(self) -> list[FrontPageSlot]:
        page_url, raw, day = self.page_url(), self.date_line_raw(), self.page_date()
        slots: list[FrontPageSlot] = []
        for block in self.css(self.BLOCK_CSS):
            name = self.block_name(block)
            for position, li in enumerate(_select(self.SLOT_CSS, block), start=1):
                slot = self.slot(li)
                slot.page_url, slot.date_line_raw, slot.page_date = page_url, raw, day
                slot.block, slot.position_in_block = name, position
                slot.position_on_page = len(slots) + 1
                slots.append(slot)
        return slots


# --------------------------------------------------------------------------- listing pages


class ListingPage(FrontPage):
    """Section and tag listings (``politics/index.html``, ``politics/page-2.html``,
    ``tag/kbo.html``) and the front page, for whole-site crawls: slots, next page, times."""

    # <h1 class="listing-title">Politics</h1> (tag pages: "#KBO"); absent on the front page
    LISTING_TITLE_CSS = "h1.listing-title"
    # <nav class="pagination">…<a class="pagination-next" rel="next" href="page-3.html">Older ›
    # and <link rel="next" href="page-3.html"> in <head>
    NEXT_CSS = 'nav.pagination a[rel~="next"]::attr(href), link[rel~="next"]::attr(href)'
    # <li class="headline-item">…<time class="slot-time" datetime="2026-02-21T09:05:00+09:00">
    SLOT_TIME_CSS = "time.slot-time::attr(datetime)"
    # the main menu's section links, and the tag pages of its mega menus and of the footer's
    # "Trending Topics"
    SECTION_LINKS_CSS = "nav.main-nav li.nav-section > a::attr(href)"
    TAG_LINKS_CSS = "nav.main-nav ul.mega-menu a::attr(href), div.footer-trending a::attr(href)"

    def listing_name(self) -> str | None:
        return element_text(self.css_first(self.LISTING_TITLE_CSS))

    def slots(self) -> list[FrontPageSlot]:
        slots = super().slots()
        name = self.listing_name()
        if name:
            for slot in slots:
                slot.block = name
        return slots

    def next_page_url(self) -> str | None:
        here = self.page_url()
        for href in self.css(self.NEXT_CSS):
            url = self.canonical_link(href)
            if url and url != here:
                return url
        return None

    def listing_urls(self) -> list[str]:
        urls: list[str] = []
        for href in self.css(f"{self.SECTION_LINKS_CSS}, {self.TAG_LINKS_CSS}"):
            url = self.canonical_link(href)
            if url and url not in urls:
                urls.append(url)
        return urls

    def published_by_url(self) -> dict[str, str]:
        found: dict[str, str] = {}
        for li in self.css(self.SLOT_CSS):
            link = _first(self.SLOT_LINK_CSS, li)
            url = self.canonical_link(link.get("href")) if link is not None else None
            when, _ = parse_iso_time(_first_str(self.SLOT_TIME_CSS, li))
            if url and when:
                found.setdefault(url, when)
        return found


# --------------------------------------------------------------------------- article page


class ArticlePage(_News1GlobalPage):
    """``<section>/article/<id>.html``."""

    CANONICAL_CSS = 'link[rel="canonical"]::attr(href)'
    LANGUAGE_XPATH = "/html/@lang"
    # <span class="category">Etc</span> above the headline
    CATEGORY_CSS = "div.article-header span.category"
    # <h1 class="article-headline">; fallbacks: JSON-LD headline, og:title, <title> minus suffix
    HEADLINE_CSS = "h1.article-headline"
    OG_TITLE_CSS = 'meta[property="og:title"]::attr(content)'
    TITLE_CSS = "title"
    DESCRIPTION_CSS = 'meta[name="description"]::attr(content)'
    OG_DESCRIPTION_CSS = 'meta[property="og:description"]::attr(content)'
    # <p class="byline">By Kim Min-ji (김민지), Staff Reporter</p>
    BYLINE_CSS = "div.article-header p.byline"
    META_AUTHOR_CSS = 'meta[name="author"]::attr(content)'
    # <div class="article-dates"><span class="published">Published : 2026-02-21 09:05 KST</span>
    # <span class="updated">Updated : 2026-02-21 14:30 KST</span></div>
    PUBLISHED_CSS = "div.article-dates span.published"
    UPDATED_CSS = "div.article-dates span.updated"
    META_PUBLISHED_CSS = 'meta[property="article:published_time"]::attr(content)'
    META_MODIFIED_CSS = 'meta[property="article:modified_time"]::attr(content)'
    # <div class="article-body"><p>…</p> <div class="ad-slot ad-inline"><p class="ad-label">…
    # only direct <p> children: the in-article ad box and the paywall box are excluded
    BODY_CSS = "div.article-body"
    BODY_PARAGRAPHS_CSS = "div.article-body > p"
    PAYWALL_CSS = "div.article-body div.paywall, div.paywall"
    # <div class="tags"><span>Check Out Other Tags:</span><a class="tag" href="…">#KBO</a>
    TAGS_CSS = "div.tags a.tag"
    # <figure class="lead-image"><img src="…"><figcaption>…</figcaption></figure>
    IMAGE_CSS = "figure.lead-image img::attr(src)"
    OG_IMAGE_CSS = 'meta[property="og:image"]::attr(content)'
    CAPTION_CSS = "figure.lead-image figcaption"
    # <section class="related-content"><h2>Check Out Our Content</h2><ul><li><a href="…">
    RELATED_CSS = "section.related-content a[href]::attr(href)"

    JSON_LD_TYPES = frozenset({"NewsArticle", "Article", "ReportageNewsArticle", "BlogPosting"})

    # ------------------------------------------------------------ structured data

    def json_ld(self) -> dict[str, Any]:
        """The page's NewsArticle JSON-LD object ({} when absent or malformed)."""
        if not hasattr(self, "_json_ld"):
            self._json_ld: dict[str, Any] = {}
            for obj in _json_ld_objects(self.root):
                types = obj.get("@type")
                types = types if isinstance(types, list) else [types]
                if any(t in self.JSON_LD_TYPES for t in types if isinstance(t, str)):
                    self._json_ld = obj
                    break
        return self._json_ld

    # ------------------------------------------------------------ ids and URLs

    def url_field(self) -> str | None:
        return self.page_url()

    def canonical_url(self) -> str | None:
        return self.canonical_link(self.css_str(self.CANONICAL_CSS)) or self.url_field()

    def article_id(self) -> str | None:
        return article_id_from_url(self.url_field()) or article_id_from_url(self.canonical_url())

    def section(self) -> str | None:
        return section_from_url(self.url_field()) or section_from_url(self.canonical_url())

    def category(self) -> str | None:
        return element_text(self.css_first(self.CATEGORY_CSS))

    def language(self) -> str | None:
        return clean_text(_first_xpath_str(self.LANGUAGE_XPATH, self.root))

    # ------------------------------------------------------------ headline, description

    def headline_with_source(self) -> tuple[str | None, str | None]:
        headline = element_text(self.css_first(self.HEADLINE_CSS))
        if headline:
            return headline, "profile"
        headline = _as_str(self.json_ld().get("headline"))
        if headline:
            return headline, "structured_data"
        headline = clean_text(self.css_str(self.OG_TITLE_CSS))
        if headline:
            return headline, "meta"
        title = element_text(self.css_first(self.TITLE_CSS))
        title = clean_text(SITE_TITLE_SUFFIX_RE.sub("", title)) if title else None
        if title:
            return title, "meta"
        return None, None

    def description(self) -> str | None:
        return (
            clean_text(self.css_str(self.DESCRIPTION_CSS))
            or clean_text(self.css_str(self.OG_DESCRIPTION_CSS))
            or _as_str(self.json_ld().get("description"))
        )

    # ------------------------------------------------------------ authors

    def authors_with_source(self) -> tuple[list[str], str | None]:
        names = split_byline(element_text(self.css_first(self.BYLINE_CSS)))
        if names:
            return names, "profile"
        declared = self.json_ld().get("author")
        people = declared if isinstance(declared, list) else [declared]
        names = [n for n in (_as_str(p) for p in people) if n]
        if names:
            return names, "structured_data"
        names = split_byline(self.css_str(self.META_AUTHOR_CSS))
        return (names, "meta") if names else ([], None)

    # ------------------------------------------------------------ times

    def published_raw_printed(self) -> str | None:
        raw = element_text(self.css_first(self.PUBLISHED_CSS))
        return clean_text(TIME_LABEL_RE.sub("", raw)) if raw else None

    def updated_raw_printed(self) -> str | None:
        raw = element_text(self.css_first(self.UPDATED_CSS))
        return clean_text(TIME_LABEL_RE.sub("", raw)) if raw else None

    def published(self) -> ParsedDate:
        """The publication date group: printed, else JSON-LD, else meta; when none of them
        parses, the printed raw text is kept (so the unparsed-date warning can fire)."""
        printed = self.published_raw_printed()
        parsed = printed_time(printed)
        if parsed.value:
            return parsed
        declared = (
            (_as_str(self.json_ld().get("datePublished")), "structured_data"),
            (clean_text(self.css_str(self.META_PUBLISHED_CSS)), "meta"),
        )
        for raw, source in declared:
            found = declared_time(raw, source)
            if found.value:
                return found
        return ParsedDate(raw=printed or next((raw for raw, _ in declared if raw), None))

    def updated(self) -> ParsedDate:
        """The update date group; empty when the article was never edited.

        The layout prints "Updated :" only after an edit, so when "Published :" is printed
        and "Updated :" is not, JSON-LD dateModified (= datePublished here) is ignored.
        """
        printed = printed_time(self.updated_raw_printed())
        if printed.value or self.published_raw_printed():
            return printed
        published = self.published().value
        for raw, source in (
            (_as_str(self.json_ld().get("dateModified")), "structured_data"),
            (clean_text(self.css_str(self.META_MODIFIED_CSS)), "meta"),
        ):
            found = declared_time(raw, source)
            if found.value:
                return ParsedDate() if found.value == published else found
        return ParsedDate()

    # ------------------------------------------------------------ body

    def paragraphs(self) -> list[str]:
        return [
            text for text in (element_text(p) for p in self.css(self.BODY_PARAGRAPHS_CSS)) if text
        ]

    def body(self) -> str | None:
        return "\n\n".join(self.paragraphs()) or None

    def is_paywalled(self) -> bool | None:
        if self.css_any(self.PAYWALL_CSS) or self.json_ld().get("isAccessibleForFree") is False:
            return True
        return False if self.css_any(self.BODY_CSS) else None

    # ------------------------------------------------------------ tags, image, related

    def tags(self) -> list[str]:
        tags: list[str] = []
        for a in self.css(self.TAGS_CSS):
            tag = clean_text((element_text(a) or "").lstrip("#"))
            if tag and tag not in tags:
                tags.append(tag)
        return tags

    def image_url(self) -> str | None:
        return self.absolute_url(self.css_str(self.IMAGE_CSS)) or self.absolute_url(
            self.css_str(self.OG_IMAGE_CSS) or _as_str(self.json_ld().get("image"))
        )

    def image_caption(self) -> str | None:
        return element_text(self.css_first(self.CAPTION_CSS))

    def related_urls(self) -> list[str]:
        urls: list[str] = []
        for href in self.css(self.RELATED_CSS):
            url = self.canonical_link(href)
            if url and url not in urls:
                urls.append(url)
        return urls

    # ------------------------------------------------------------ the item

    def article(self) -> Article:
        headline, headline_source = self.headline_with_source()
        authors, authors_source = self.authors_with_source()
        published = self.published()
        updated = self.updated()
        body = self.body()
        return Article(
            url=self.url_field(),
            canonical_url=self.canonical_url(),
            article_id=self.article_id(),
            site=SITE,
            section=self.section(),
            category=self.category(),
            headline=headline,
            description=self.description(),
            authors=authors,
            published_at=published.value,
            published_at_raw=published.raw,
            updated_at=updated.value,
            updated_at_raw=updated.raw,
            published_at_tz_assumed=published.tz_assumed,
            body=body,
            word_count=count_words(body) if body is not None else None,
            is_paywalled=self.is_paywalled(),
            tags=self.tags(),
            image_url=self.image_url(),
            image_caption=self.image_caption(),
            language=self.language(),
            related_urls=self.related_urls(),
            headline_source=headline_source,
            body_source="profile" if body is not None else None,
            authors_source=authors_source,
            published_at_source=published.source,
        )


PROFILE = SiteProfile(
    name=SITE,
    front_page=FrontPage,
    article_page=ArticlePage,
    domains=("news1global.com",),
    timezone="Asia/Seoul",
    # the top-of-page date line followed by <main> holding the ranked popular list: on the
    # front page, every article page (the broken one too) and every listing page
    signature_css="div.date-line ~ main.page-main section.most-popular",
    article_path_regex=ARTICLE_PATH_RE.pattern,
    start_url="https://www.news1global.com/",
    listing_page=ListingPage,
    notes="English-language Korean news; times printed as '2026-02-21 09:05 KST'.",
)
