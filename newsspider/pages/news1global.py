"""Page objects for the news1global.com layout (and the bundled demo copy of it).

Where each field comes from is written next to the selector constant that reads it; the
data dictionary quotes these. Pure: no requests, no clock; never raises on odd HTML (a
missing element gives ``None``; malformed JSON-LD is skipped).
"""

from __future__ import annotations

import re
from typing import Any

from lxml import etree

from newsspider.dates import ParsedDate, parse_date
from newsspider.items import Article, FrontPageSlot, PopularEntry
from newsspider.pages.base import (
    HtmlPage,
    SiteProfile,
    _as_str,
    _first,
    _first_str,
    _first_xpath_str,
    _select,
    clean_text,
    element_text,
    raw_text,
)
from newsspider.text import count_words, is_clean_body, join_paragraphs

SITE = "news1global"
# the site's article URLs: /<section>/article/<id>, with .html when the bundled demo copy is
# read from files (file:///…/demo_site/politics/article/1001.html)
ARTICLE_PATH_REGEX = r"/(?P<section>[a-z0-9][a-z0-9-]*)/article/(?P<id>\d+)(?:\.html?)?/?$"
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


# --------------------------------------------------------------------------- dates, bylines


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


# --------------------------------------------------------------------------- shared parts


class _News1GlobalPage(HtmlPage):
    # <section class="most-popular"><h2>Most Popular Articles</h2><ol><li><span class="rank">1
    # </span><a href="…">Headline</a></li>…  (sidebar of every page)
    POPULAR_LIST_CSS = "section.most-popular"
    POPULAR_TITLE_CSS = "h2"
    POPULAR_ITEM_CSS = "ol > li"
    POPULAR_RANK_CSS = "span.rank::text"
    POPULAR_LINK_CSS = "a[href]"

    def popular(self) -> list[PopularEntry]:
        entries: list[PopularEntry] = []
        seen_on_url = self.page_url()
        for block in self.css(self.POPULAR_LIST_CSS):
            for list_name, rank, headline, url, article_id in self.popular_rows(block):
                entries.append(
                    PopularEntry(
                        list_name=list_name,
                        rank=rank,
                        headline=headline,
                        article_url=url,
                        article_id=article_id,
                        seen_on_url=seen_on_url,
                    )
                )
        return entries

    def popular_rows(self, block: Any) -> tuple[PopularRow, ...]:
        """(list name, rank, headline, article URL, article id) of each entry of one list.

        The site prints the same list on every page, and reading it cost ~0.25 ms of the
        ~3.5 ms of an article page: a list already read is taken from :data:`_POPULAR_ROWS`
        when its markup (serialized) is the same and its links resolve the same way (each
        link absolute, or joined to the same base directory; see ``link_depends_on_url``)."""
        base = self.link_base()
        key = (type(self), etree.tostring(block), base)
        rows = _POPULAR_ROWS.get(key)
        if rows is not None:
            return rows
        found: list[PopularRow] = []
        cacheable = True
        list_name = element_text(_first(self.POPULAR_TITLE_CSS, block))
        for position, li in enumerate(_select(self.POPULAR_ITEM_CSS, block), start=1):
            link = _first(self.POPULAR_LINK_CSS, li)
            href = link.get("href") if link is not None else None
            cacheable = cacheable and not self.link_depends_on_url(href)
            url = self.canonical_link(href)
            rank_text = clean_text(_first_str(self.POPULAR_RANK_CSS, li))
            found.append(
                (
                    list_name,
                    int(rank_text) if rank_text and rank_text.isdigit() else position,
                    element_text(link),
                    url,
                    PROFILE.article_id(url),
                )
            )
        rows = tuple(found)
        if cacheable:
            if len(_POPULAR_ROWS) >= POPULAR_ROWS_KEPT:
                _POPULAR_ROWS.clear()
            _POPULAR_ROWS[key] = rows
        return rows


PopularRow = tuple[str | None, int, str | None, str | None, str | None]
# the popular lists read so far (a memo of popular_rows, keyed by everything a row depends
# on: page class, the list's markup, the base directory its relative links are joined to)
_POPULAR_ROWS: dict[tuple[type, bytes, str | None], tuple[PopularRow, ...]] = {}
POPULAR_ROWS_KEPT = 64  # a list per section directory, and a changed list now and then


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
            article_id=PROFILE.article_id(article_url),
            section=PROFILE.section(article_url),
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
        found: dict[str, Any] | None = self.__dict__.get("_json_ld")
        if found is None:
            found = self.__dict__["_json_ld"] = self.json_ld_of_type(self.JSON_LD_TYPES)
        return found

    # ------------------------------------------------------------ ids and URLs

    def url_field(self) -> str | None:
        return self.page_url()

    def canonical_url(self) -> str | None:
        return self.canonical_link(self.css_str(self.CANONICAL_CSS)) or self.url_field()

    def article_id(self) -> str | None:
        return PROFILE.article_id(self.url_field()) or PROFILE.article_id(self.canonical_url())

    def section(self) -> str | None:
        return PROFILE.section(self.url_field()) or PROFILE.section(self.canonical_url())

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
        # the paragraphs' text as found, joined: when join_paragraphs proves the body clean,
        # each paragraph already is what element_text makes of it (one clean line), so they
        # are cleaned one by one only when it does not (a body of ~80 paragraphs: ~0.1 ms)
        found = [text for text in map(raw_text, self.css(self.BODY_PARAGRAPHS_CSS)) if text]
        body = join_paragraphs(found)
        if body is None or is_clean_body(body):
            return body
        return join_paragraphs(self.paragraphs())

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
    article_path_regex=ARTICLE_PATH_REGEX,
    start_url="https://www.news1global.com/",
    listing_page=ListingPage,
    notes="English-language Korean news; times printed as '2026-02-21 09:05 KST'.",
)
