"""Page objects for sites without a profile: everything comes from ``newsspider.extract``.

Also used to fill, field by field, what a site profile could not find (see
:class:`ProfileWithFallback`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from newsspider.items import Article, FrontPageSlot, PopularEntry
from newsspider.pages.base import ArticlePageObject, SiteProfile
from newsspider.text import count_words
from newsspider.urls import canonicalize_url, section_from_url, stable_article_id

# Article fields the generic layer can fill, with the key extract_article() returns them under.
FALLBACK_FIELDS: tuple[str, ...] = (
    "canonical_url",
    "section",
    "kicker",
    "headline",
    "standfirst",
    "description",
    "authors",
    "body",
    "tags",
    "image_url",
    "language",
)
SOURCED_FIELDS: tuple[str, ...] = ("headline", "body", "authors", "published_at")
# Date groups: (value field, the group's other fields). A group moves whole or not at all,
# so a row never mixes a value from one layer with the raw text or flags of another.
DATE_GROUPS: dict[str, tuple[str, ...]] = {
    "published_at": ("published_at_raw", "published_at_tz_assumed", "published_at_source"),
    "updated_at": ("updated_at_raw",),
}


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


def article_from_extraction(url: str, data: dict[str, Any], site: str = "generic") -> Article:
    """Map the extract_article() dict onto an Article item."""
    canonical = canonicalize_url(url)
    article = Article(url=canonical, article_id=stable_article_id(canonical), site=site)
    fill_missing(article, data)
    if article.section is None:
        article.section = section_from_url(canonical)
    return article


def fill_missing(article: Article, data: dict[str, Any]) -> None:
    """Fill every empty fallback field of ``article`` from an extract_article() result.

    Dates move as groups (:data:`DATE_GROUPS`): value, raw text, tz_assumed and source
    together."""
    sources: dict[str, str] = data.get("sources") or {}
    for name, others in DATE_GROUPS.items():
        if getattr(article, name) is not None:
            continue
        # the generic layer's group replaces the profile's when it has a value, or when the
        # profile has nothing at all (not even raw text)
        found = data.get(name)
        if found is None and getattr(article, others[0]) is not None:
            continue
        group = {
            name: found,
            f"{name}_raw": data.get(f"{name}_raw"),
            f"{name}_tz_assumed": data.get(f"{name}_tz_assumed"),
            f"{name}_source": sources.get(name, "heuristics") if found is not None else None,
        }
        for field_name in (name, *others):
            setattr(article, field_name, group[field_name])
    for name in FALLBACK_FIELDS:
        value = data.get(name)
        if _empty(getattr(article, name)) and not _empty(value):
            setattr(article, name, value)
            if name in SOURCED_FIELDS:
                setattr(article, f"{name}_source", sources.get(name, "heuristics"))
    if article.body and article.word_count is None:
        article.word_count = count_words(article.body)


class GenericFrontPage:
    """Any listing page: article-like links with headline-like text, in page order."""

    def __init__(self, url: str, html: str) -> None:
        self.url = url
        self.html = html

    def slots(self) -> list[FrontPageSlot]:
        page_url = canonicalize_url(self.url)
        slots = []
        in_block: dict[str | None, int] = {}
        from newsspider.extract import find_article_links  # on first use (GenericArticlePage)

        for n, link in enumerate(find_article_links(self.html, self.url), start=1):
            block = link.get("block")
            in_block[block] = in_block.get(block, 0) + 1
            article_url = canonicalize_url(link["url"])
            slots.append(
                FrontPageSlot(
                    page_url=page_url,
                    block=block,
                    position_in_block=in_block[block],
                    position_on_page=n,
                    headline=link.get("headline"),
                    teaser=link.get("teaser"),
                    article_url=article_url,
                    article_id=stable_article_id(article_url),
                    section=section_from_url(article_url),
                )
            )
        return slots

    def popular(self) -> list[PopularEntry]:
        return []


class GenericArticlePage:
    """Any article page, through the generic extractors."""

    timezone: str | None = None  # the site's IANA zone, for times printed without one
    now: datetime | None = None  # the crawl time, for relative dates ("3 hours ago")

    def __init__(self, url: str, html: str) -> None:
        self.url = url
        self.html = html

    def article(self) -> Article:
        # imported on first use: every crawl imports this module (newsspider.sites lists the
        # profiles), and a crawl that parses no article with the generic layer (an unchanged
        # recrawl) then never pays for the extraction stack's imports (~0.2 s of CPU)
        from newsspider.extract import extract_article

        data = extract_article(self.html, self.url, default_tz=self.timezone, now=self.now)
        return article_from_extraction(self.url, data)

    def popular(self) -> list[PopularEntry]:
        return []


class ProfileWithFallback:
    """A site's article page object, with empty fields filled by the generic layer.

    The generic extractor only runs when a field that matters is empty, so a healthy profiled
    page costs nothing extra.
    """

    def __init__(
        self,
        inner: ArticlePageObject,
        url: str,
        html: str,
        timezone: str | None,
        now: datetime | None = None,
    ) -> None:
        self.inner = inner
        self.url = url
        self.html = html
        self.timezone = timezone
        self.now = now

    def article(self) -> Article:
        article = self.inner.article()
        # what the profile found before any gap is filled (layout drift, newsspider/health)
        self.profile_found = {"category": bool(article.category), "tags": bool(article.tags)}
        if any(_empty(getattr(article, name)) for name in SOURCED_FIELDS):
            from newsspider.extract import extract_article  # on first use (see above)

            data = extract_article(self.html, self.url, default_tz=self.timezone, now=self.now)
            fill_missing(article, data)
        return article

    def popular(self) -> list[PopularEntry]:
        return self.inner.popular()


PROFILE = SiteProfile(
    name="generic",
    front_page=GenericFrontPage,
    article_page=GenericArticlePage,
    notes="Any site: JSON-LD, OpenGraph and meta tags first, then body heuristics.",
)
