"""The page kernel: the contract every site module under ``newsspider/pages/`` provides, and
the selector engine, text and JSON-LD helpers those modules share.

A page object is pure: it gets the page's URL and decoded HTML, never makes a request, never
reads the clock, and returns items whose ``run_id``/``crawled_at`` are left ``None`` (the
spider stamps them). One method per field, selectors as class constants next to the code.
A site module (``pages/news1global.py``) holds only that site's selectors, fields and URL
rules; everything here is site-independent. See docs/ADDING_A_SITE.md.

A site is registered by a :class:`SiteProfile` in ``newsspider/sites.py``; spiders only ever
talk to the profile, so adding a site never touches spider code.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any, Protocol
from urllib.parse import urljoin, urlparse, urlsplit

from lxml import etree
from parsel import Selector, SelectorList
from parsel.csstranslator import css2xpath

from newsspider.items import Article, FrontPageSlot, PopularEntry
from newsspider.urls import canonicalize_url, is_safe_url

# --------------------------------------------------------------------------- text helpers


def clean_text(parts: Iterable[str] | str | None) -> str | None:
    """Join text nodes, collapse all whitespace (NBSP included); empty -> None."""
    if parts is None:
        return None
    text = parts if isinstance(parts, str) else " ".join(parts)
    # already clean (the usual paragraph): every white space character str.split() splits on
    # other than " " is non-printable (categories Cc, Zs, Zl, Zp), so one C-level scan proves
    # there is nothing to collapse; ASCII text is printable when deleting its printable bytes
    # leaves nothing (3x faster than str.isprintable, which looks each character up)
    printable = (
        not text.encode("ascii").translate(None, _PRINTABLE_ASCII)
        if text.isascii()
        else text.isprintable()
    )
    if printable and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return str(text) or None
    # str.split() splits on exactly the characters \s matches (Unicode white space), and is
    # ~5x faster than WHITESPACE_RE.sub on article paragraphs
    return " ".join(text.split()) or None


_PRINTABLE_ASCII = bytes(range(0x20, 0x7F))  # what str.isprintable accepts of ASCII

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
#
# The lru_caches below (here and in _scoped) are the only module-level caches of the kernel:
# they map a selector *string* (a class constant, the same on every page) to its compiled
# XPath, like re.compile's own cache. They hold nothing from any page; what a page computes
# (container index, resolved links, JSON-LD) is cached on the page object itself.


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


def raw_text(node: Any) -> str | None:
    """The text :func:`element_text` cleans: a string result itself, a leaf element's own
    text node, else its text nodes joined by " " (``element_text(node)`` is
    ``clean_text(raw_text(node))`` when that is not empty, else None)."""
    if node is None or isinstance(node, str):
        return node
    if len(node) == 0:
        text: str | None = node.text
        return text
    return " ".join(_TEXT_NODES(node))


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


# --------------------------------------------------------------------------- JSON-LD


_JSON_LD_CSS = 'script[type="application/ld+json"]::text'
_TEXT_CHILDREN = etree.XPath("text()", smart_strings=False)


def _json_ld_texts(root: Any) -> list[str]:
    """``_select(_JSON_LD_CSS, root)``: the text nodes of the page's JSON-LD scripts, in
    document order. The scripts are found by lxml's tag iterator (a C walk that makes a
    Python proxy for each <script> only), not by an XPath that visits every node (~2% of a
    parse worker's CPU); ``@type`` compared exactly, as the XPath does."""
    if not isinstance(root, etree._Element):
        return _select(_JSON_LD_CSS, root)
    found: list[str] = []
    for script in root.iter("script"):
        if script.get("type") == "application/ld+json":
            found.extend(_TEXT_CHILDREN(script))
    return found


def _json_ld_objects(root: Any) -> Iterator[dict[str, Any]]:
    """Every JSON object in the page's JSON-LD scripts, @graph and lists flattened."""
    for raw in _json_ld_texts(root):
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


# --------------------------------------------------------------------------- containers


_SIMPLE_CSS_RE = re.compile(r"^(?P<tag>[a-z][a-z0-9]*)\.(?P<cls>[A-Za-z_][\w-]*)$")


def _container_of(css: str) -> tuple[str, str] | None:
    """(tag, class) of a "tag.class" selector or of the container of a scoped one."""
    m = _SIMPLE_CSS_RE.match(css)
    if m:
        return m["tag"], m["cls"]
    scoped = _scoped(css)
    return (scoped[0], scoped[1]) if scoped is not None else None


_ContainersQuery = tuple[frozenset[tuple[str, str]], tuple[str, ...], re.Pattern[str]]


def _containers_query(page_class: type) -> _ContainersQuery:
    """The (tag, class) containers named by a page class's selector constants (each part of
    a comma list too), their tags, and a regex that finds one of their class names in a
    class attribute (a cheap pre-check before splitting it).

    Stored on the class itself (its own ``__dict__``, so a subclass that adds selectors gets
    its own): it is derived from the class constants only, never from a page."""
    cached: _ContainersQuery | None = page_class.__dict__.get("_CONTAINERS_QUERY")
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
    setattr(page_class, "_CONTAINERS_QUERY", query)  # noqa: B010
    return query


_MISSING: Any = object()
# one element, no combinator: 'tag[attr="value"]…' then an optional ::attr(name) or ::text
_HEAD_FIRST_CSS_RE = re.compile(
    r"""^[a-z][a-z0-9]*(?:\[[\w-]+(?:[~|^$*]?=(?:"[^"\]]*"|'[^'\]]*'|[\w-]+))?\])*"""
    r"(?:::attr\([\w-]+\)|::text)?$"
)
# a relative link of ASCII path characters only (letters, digits, "_~-./"), optionally
# climbing with "../":
# "../../etc/article/1014.html", "page-2.html", "2026/x-1"; no "./", "//", query or fragment
_SIMPLE_RELATIVE_RE = re.compile(r"((?:\.\./)*)([\w~-][\w.~/-]*)", re.ASCII)


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
    directory = (parts.path.rsplit("/", 1)[0] if "/" in parts.path else "") + "/"
    if "//" in directory or "/." in directory:
        return None  # urljoin() rewrites such a base path; leave those links to it
    return f"{parts.scheme}://{parts.netloc}{directory}"


def join_simple_relative(base_directory: str, href: str) -> str | None:
    """``urljoin(base, href)`` for a plain relative path (see ``_SIMPLE_RELATIVE_RE``) given
    the base URL's directory; None for any other href (then use urljoin). Links printed on
    news pages are mostly of this shape, and urljoin parses both URLs on every call."""
    m = _SIMPLE_RELATIVE_RE.fullmatch(href)
    if m is None or "/." in m[2] or "//" in m[2]:
        return None
    origin_end = base_directory.index("/", base_directory.index("//") + 2)
    origin, directory = base_directory[:origin_end], base_directory[origin_end:]
    for _ in range(len(m[1]) // 3):  # each "../" leaves one directory, never above the root
        if directory != "/":
            directory = directory[:-1].rsplit("/", 1)[0] + "/"
    return f"{origin}{directory}{m[2]}"


# "https://host…": a scheme and a non-empty host (urljoin() then ignores the base URL); the
# characters urlsplit() deletes anywhere in a URL (tab, CR, LF) could empty the host
_ABSOLUTE_HTTP_RE = re.compile(r"https?://[^\x00-\x20/?#\\\x7f]", re.IGNORECASE)
_URL_REMOVED_CHARS_RE = re.compile(r"[\t\r\n]")


def _canonical_or_none(url: str) -> str | None:
    try:
        return canonicalize_url(url)
    except ValueError:  # e.g. a port out of range: a link of the page must not raise
        return None


# --------------------------------------------------------------------------- the HTML parse


def page_selector(url: str, html: str, utf8_body: bytes | None = None) -> Selector:
    """``Selector(text=html or "<html></html>", base_url=url)``, the page's one parse.

    ``utf8_body``: the bytes ``html`` was decoded from, when they are exactly its UTF-8
    encoding (a parse worker knows: newsspider/parsepool.py). parsel strips the text, drops
    NUL characters and encodes it back to UTF-8 before lxml parses it: on a 76 KB page with a
    few non-ASCII characters that round trip costs ~0.2 ms, ~30% of the parse. When the
    stripped body is provably the bytes parsel would parse (an HTML document that starts with
    "<" but not "<?" (parsel's JSON and XML detection), ends in a printable ASCII byte (so
    ``str.strip`` strips no more than ``bytes.strip``), holds no NUL), lxml parses them with
    the options parsel uses (the same tree; its elements are plain lxml elements, not
    ``lxml.html``'s classes); anything else takes parsel's own path.
    """
    if utf8_body and html:
        body = utf8_body.strip()
        if (
            body[:1] == b"<"
            and body[1:2] != b"?"
            and 0x20 < body[-1] < 0x80
            and b"\x00" not in body
        ):
            # libxml2's HTML parser as parsel runs it; plain lxml elements (lxml.html's element
            # classes cost a Python call per element proxy; nothing here uses their methods)
            parser = etree.HTMLParser(recover=True, encoding="utf-8", huge_tree=True)
            try:
                root = etree.fromstring(body, parser=parser, base_url=url)
            except etree.XMLSyntaxError:
                root = None  # parsel's own path raises it
            if root is not None:
                return Selector(root=root, type="html", base_url=url)
    return text_selector(html, url)


def text_selector(html: str, url: str | None = None) -> Selector:
    """parsel's ``Selector(text=html or "<html></html>", base_url=url)``, but never a JSON
    one: parsel reads a text that parses as a JSON object or array as JSON (``root`` a dict
    or list, no tree), and a page served to a page object is HTML whatever its text looks
    like (a ``{}`` body raised AttributeError in every page object). Such a text is parsed
    as HTML instead; an XML one (``<?xml``) keeps parsel's own detection."""
    text = html or "<html></html>"
    sel = Selector(text=text, base_url=url)
    if sel.type == "json":
        sel = Selector(text=text, type="html", base_url=url)
    return sel


# --------------------------------------------------------------------------- the page base


class HtmlPage:
    """Base class of every site's page objects: the URL, a parsel selector built once, and
    the selector engine (``css``/``css_first``/``css_str``/``css_any`` evaluate the class's
    CSS constants as compiled XPath on the lxml tree, with the same results as parsel).

    Everything a page computes for itself (container index, resolved links, JSON-LD) is
    cached on the instance, so two pages never share state.
    """

    def __init__(self, url: str, html: str, *, utf8_body: bytes | None = None) -> None:
        self.url = url
        self.html = html
        # utf8_body: the exact UTF-8 bytes of html, when known (page_selector)
        self.sel = page_selector(url, html, utf8_body)

    # ------------------------------------------------------------ URLs

    def urljoin(self, href: str | None) -> str | None:
        if href is None:
            return None
        href = href.strip()
        return urljoin(self.url, href) if href else None

    def page_url(self) -> str | None:
        """The page's own URL in canonical form (None when it cannot be parsed)."""
        found = self.__dict__.get("_page_url", _MISSING)
        if found is _MISSING:
            try:
                found = canonicalize_url(self.url) if self.url else None
            except ValueError:  # an unparseable URL (e.g. "http://[::1") must not raise
                found = None
            self.__dict__["_page_url"] = found
        return found  # type: ignore[no-any-return]

    def absolute_url(self, href: str | None) -> str | None:
        """Absolute form of a link; None for javascript:/mailto:/data: and empty hrefs."""
        try:
            url = self.urljoin(href)
        except ValueError:  # e.g. "http://[bad" -- garbage must not raise
            return None
        return url if url and is_safe_url(url) else None

    def canonical_link(self, href: str | None) -> str | None:
        """A link of the page, absolute and canonical (``newsspider.urls.canonicalize_url``);
        None for unsafe or unparseable links. Each href is resolved once per page."""
        if href is None:
            return None
        links: dict[str, str | None] | None = self.__dict__.get("_canonical_links")
        if links is None:
            links = self.__dict__["_canonical_links"] = {}
        elif href in links:
            return links[href]
        found = self._canonical_link(href)
        links[href] = found
        return found

    def link_base(self) -> str | None:
        """The page URL's directory, when it is canonical: a plain relative link is joined
        to it (:func:`join_simple_relative`); None otherwise."""
        base = self.__dict__.get("_link_base", _MISSING)
        if base is _MISSING:
            base = _base_directory(self.url)
            if base is not None and _canonical_or_none(base) != base:
                base = None  # the fast join below gives canonical links from a canonical base
            self.__dict__["_link_base"] = base
        return base  # type: ignore[no-any-return]

    def link_depends_on_url(self, href: str | None) -> bool:
        """Whether :meth:`canonical_link` of ``href`` depends on more of the page URL than
        :meth:`link_base` (False: an absolute http(s) link, or a plain relative one joined to
        the base; True for any other link, e.g. "?page=2", "/x", "#top")."""
        if href is None:
            return False
        stripped = href.strip()
        if _ABSOLUTE_HTTP_RE.match(stripped) and not _URL_REMOVED_CHARS_RE.search(stripped):
            return False  # with a scheme and a host, urljoin() never looks at the page URL
        base = self.link_base()
        return base is None or not stripped or join_simple_relative(base, stripped) is None

    def _canonical_link(self, href: str) -> str | None:
        stripped = href.strip()
        base = self.link_base()
        if base is not None and stripped:
            joined = join_simple_relative(base, stripped)
            if joined is not None:
                return joined  # a canonical directory plus unreserved path characters
        url = self.absolute_url(href)
        return _canonical_or_none(url) if url else None

    # ------------------------------------------------------------ selector engine

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
        found = self._first_in_head(css)
        if found is not None:
            return found
        found = self.css(css)
        return found[0] if found else None

    def css_str(self, css: str) -> str | None:
        """``self.sel.css(css).get()`` for a ``::text``/``::attr()`` selector."""
        found = self._first_in_head(css)
        if found is not None:
            return str(found)
        found = self.css(css)
        return str(found[0]) if found else None

    def _first_in_head(self, css: str) -> Any:
        """The first match of a one-element selector ('link[rel="canonical"]::attr(href)',
        'meta[name="description"]::attr(content)') when the page's <head> has one: nothing
        after the head precedes it, and a whole-document query walks every node (~0.1 ms on
        an article page). None: not found in the head (the caller queries the document)."""
        if _HEAD_FIRST_CSS_RE.match(css) is None:
            return None
        head = self.__dict__.get("_head", _MISSING)
        if head is _MISSING:
            root = self.root
            # the head subtree comes first in document order when it is the root's first child
            # (lxml counts comments and processing instructions as children too)
            first = root[0] if root.tag == "html" and len(root) else None
            head = first if first is not None and first.tag == "head" else None
            self.__dict__["_head"] = head
        if head is None:
            return None
        found = _select(css, head)
        return found[0] if found else None

    # ------------------------------------------------------------ structured data

    def json_ld_objects(self) -> list[dict[str, Any]]:
        """Every JSON object of the page's JSON-LD scripts (``@graph`` and lists flattened),
        in page order; malformed scripts are skipped."""
        found: list[dict[str, Any]] | None = self.__dict__.get("_json_ld_objects")
        if found is None:
            found = self.__dict__["_json_ld_objects"] = list(_json_ld_objects(self.root))
        return found

    def json_ld_of_type(self, types: Iterable[str]) -> dict[str, Any]:
        """The first JSON-LD object whose ``@type`` is one of ``types`` ({} when none)."""
        wanted = set(types)
        for obj in self.json_ld_objects():
            declared = obj.get("@type")
            declared = declared if isinstance(declared, list) else [declared]
            if any(t in wanted for t in declared if isinstance(t, str)):
                return obj
        return {}


class FrontPageObject(Protocol):
    """A listing page: front page or section page."""

    def __init__(self, url: str, html: str) -> None: ...

    def slots(self) -> list[FrontPageSlot]:
        """Every headline slot, in page order (positions filled, 1-based)."""
        ...

    def popular(self) -> list[PopularEntry]:
        """Every entry of every ranked popular list on the page."""
        ...


class ArticlePageObject(Protocol):
    """An article page."""

    def __init__(self, url: str, html: str) -> None: ...

    def article(self) -> Article:
        """The article item; fields the page lacks are None (validation decides)."""
        ...

    def popular(self) -> list[PopularEntry]:
        """Popular lists printed on the article page (often the same on every page)."""
        ...


class ListingPageObject(Protocol):
    """A paginated listing (section, tag, archive page) or the front page, for whole-site crawls."""

    def __init__(self, url: str, html: str) -> None: ...

    def slots(self) -> list[FrontPageSlot]:
        """Every headline slot, as FrontPage.slots(); ``block`` is the listing's name."""
        ...

    def popular(self) -> list[PopularEntry]: ...

    def next_page_url(self) -> str | None:
        """The next (older) page of this listing, None on the last page."""
        ...

    def listing_urls(self) -> list[str]:
        """Other listings this page links to (section and tag pages), absolute, in page order."""
        ...

    def published_by_url(self) -> dict[str, str]:
        """Article URL (canonical) -> publication time printed next to its slot (ISO 8601)."""
        ...


@dataclass(frozen=True)
class SiteProfile:
    """Everything the spiders need to know about one site layout."""

    name: str  # short id, used in item.site and -a site=NAME
    front_page: type[FrontPageObject]
    article_page: type[ArticlePageObject]
    domains: tuple[str, ...] = ()  # hostnames (and their subdomains) this profile handles
    timezone: str | None = None  # IANA zone for times printed without an offset
    # a CSS selector that only this layout has, to recognise a copy of the site on another
    # host (the bundled demo served from 127.0.0.1, a mirror, a staging server)
    signature_css: str | None = None
    # the site's article URLs: a regex searched in the URL path; its named groups ``id`` and
    # ``section``, when present, are the article id and section (article_id(), section())
    article_path_regex: str | None = None
    start_url: str | None = None
    notes: str = ""
    # whole-site crawls (scrapy crawl site): the listing page object (None: generic pagination
    # and the front page object), feeds and sitemaps known in advance besides those that
    # robots.txt and <link rel="alternate"> announce; paths are relative to the site root
    listing_page: type[ListingPageObject] | None = None
    feed_urls: tuple[str, ...] = ()
    sitemap_urls: tuple[str, ...] = ()

    # ------------------------------------------------------------ the site's URL rules

    @cached_property
    def article_path_re(self) -> re.Pattern[str] | None:
        return re.compile(self.article_path_regex) if self.article_path_regex else None

    def article_match(self, url: str | None) -> re.Match[str] | None:
        """The article path pattern matched in ``url``'s path; None when it does not match."""
        if not url or self.article_path_re is None:
            return None
        try:
            path = urlsplit(url).path
        except ValueError:
            return None
        return self.article_path_re.search(path)

    def is_article_url(self, url: str | None) -> bool:
        return self.article_match(url) is not None

    def article_id(self, url: str | None) -> str | None:
        """The article id this site's URL rule reads from ``url`` (group ``id``), or None."""
        m = self.article_match(url)
        return m.group("id") if m is not None and "id" in m.re.groupindex else None

    def section(self, url: str | None) -> str | None:
        """The section this site's URL rule reads from ``url`` (group ``section``), or None."""
        m = self.article_match(url)
        return m.group("section") if m is not None and "section" in m.re.groupindex else None
