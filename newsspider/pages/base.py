"""The page-object contract: what every site module under ``newsspider/pages/`` provides.

A page object is pure: it gets the page's URL and decoded HTML, never makes a request, never
reads the clock, and returns items whose ``run_id``/``crawled_at`` are left ``None`` (the
spider stamps them). One method per field, selectors as class constants next to the code.

A site is registered by a :class:`SiteProfile` in ``newsspider/sites.py``; spiders only ever
talk to the profile, so adding a site never touches spider code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from parsel import Selector

from newsspider.items import Article, FrontPageSlot, PopularEntry


class HtmlPage:
    """Base class: holds the URL and a parsel selector built once."""

    def __init__(self, url: str, html: str) -> None:
        self.url = url
        self.html = html
        self.sel = Selector(text=html or "<html></html>", base_url=url)

    def urljoin(self, href: str | None) -> str | None:
        from urllib.parse import urljoin

        if href is None:
            return None
        href = href.strip()
        return urljoin(self.url, href) if href else None


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
    # article URL pattern (regex, matched against the URL path)
    article_path_regex: str | None = None
    start_url: str | None = None
    notes: str = ""
    # whole-site crawls (scrapy crawl site): the listing page object (None: generic pagination
    # and the front page object), feeds and sitemaps known in advance besides those that
    # robots.txt and <link rel="alternate"> announce; paths are relative to the site root
    listing_page: type[ListingPageObject] | None = None
    feed_urls: tuple[str, ...] = ()
    sitemap_urls: tuple[str, ...] = ()
