"""Typed, flat items: the contract between page objects, pipelines and exports.

Every field has a one-line comment with its format. Rules that hold for all items:

* Missing is ``None`` (never ``""``); list fields are lists (possibly empty).
* No nested objects except ``Reject.item`` (rejects go to JSONL only).
* Times are ISO 8601 strings, seconds precision (one format, ``newsspider/dates.py``).
  ``crawled_at`` is UTC with a ``+00:00`` offset; page times keep the offset the page gave (or
  the site's default zone, flagged by ``*_tz_assumed``), or are a ``YYYY-MM-DD`` day.
* The field order below *is* the CSV column order (see ``newsspider.exporters``).

The data dictionary in ``docs/DATA_DICTIONARY.md`` documents every column with examples and
where on the page it comes from; keep the two in step (a test checks they agree).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any


@dataclass
class FrontPageSlot:
    """One headline on a listing page (front page or section page)."""

    run_id: str | None = None  # the crawl run that saw it, e.g. "20260221T000501Z-frontpage-3fa2"
    crawled_at: str | None = None  # when the page was fetched, ISO 8601 UTC
    page_url: str | None = None  # the listing page the slot is on (canonical form)
    date_line_raw: str | None = (
        None  # the page's date line as printed, "Saturday, February 21, 2026"
    )
    page_date: str | None = None  # date_line_raw parsed, ISO date "2026-02-21"
    block: str | None = None  # headline block name, e.g. "Top Story", "Latest News", "Politics"
    position_in_block: int | None = None  # 1-based position inside the block
    position_on_page: int | None = None  # 1-based position over the whole page, top to bottom
    headline: str | None = None  # headline text as shown in the slot
    teaser: str | None = None  # one-sentence teaser under the headline, if any
    article_url: str | None = None  # the article the slot links to (canonical: no tracking, no #)
    article_id: str | None = None  # numeric id from /<section>/article/<id>, as a string
    section: str | None = None  # section slug from the article URL, e.g. "politics"
    image_url: str | None = None  # absolute URL of the slot's thumbnail, if any


@dataclass
class Article:
    """One article page."""

    run_id: str | None = None  # the crawl run that fetched it
    crawled_at: str | None = None  # when the page was fetched, ISO 8601 UTC
    url: str | None = None  # URL fetched (canonical form: no tracking parameters, no fragment)
    canonical_url: str | None = None  # <link rel=canonical>, else url
    article_id: str | None = None  # numeric id from the URL (or the site's own id), as a string
    site: str | None = None  # site profile that parsed it ("news1global", "generic")
    section: str | None = None  # section slug from the URL, e.g. "politics"
    category: str | None = None  # category label printed on the page, e.g. "Etc"
    kicker: str | None = None  # short label printed over/before the headline, "Nationale Demo"
    headline: str | None = None  # the article's own title (no " | Site" decoration)
    standfirst: str | None = None  # the dek printed between headline and body (not in body)
    description: str | None = None  # teaser / standfirst / meta description
    authors: list[str] = field(default_factory=list)  # person names, in byline order
    published_at: str | None = None  # ISO 8601 with offset, "2026-02-21T09:05:00+09:00"
    published_at_raw: str | None = None  # as printed/declared, "2026-02-21 09:05 KST"
    updated_at: str | None = None  # ISO 8601 with offset, None if never updated
    updated_at_raw: str | None = None  # as printed/declared
    published_at_tz_assumed: bool | None = None  # True: no zone on page, site zone used
    body: str | None = None  # main text, paragraphs separated by one blank line
    word_count: int | None = None  # number of words in body (Unicode \w+ runs)
    is_paywalled: bool | None = None  # True when only a teaser is public
    tags: list[str] = field(default_factory=list)  # "Check Out Other Tags:" list, in page order
    image_url: str | None = None  # lead image, absolute URL
    image_caption: str | None = None  # caption of the lead image
    language: str | None = None  # BCP 47 language, e.g. "en"
    related_urls: list[str] = field(default_factory=list)  # "Check Out Our Content" links
    headline_source: str | None = (
        None  # where headline came from: profile|structured_data|meta|heuristics
    )
    body_source: str | None = None  # where body came from (same vocabulary)
    authors_source: str | None = None  # where authors came from (same vocabulary)
    published_at_source: str | None = None  # where published_at came from (same vocabulary)


@dataclass
class PopularEntry:
    """One entry of a ranked "Most Popular Articles" list."""

    run_id: str | None = None  # the crawl run that saw it
    crawled_at: str | None = None  # when the page carrying the list was fetched, ISO 8601 UTC
    list_name: str | None = None  # the list's heading, e.g. "Most Popular Articles"
    rank: int | None = None  # 1-based rank in the list
    headline: str | None = None  # headline as shown in the list
    article_url: str | None = None  # canonical URL of the ranked article
    article_id: str | None = None  # numeric id from the URL, as a string
    seen_on_url: str | None = None  # the page the list was read from (first one in the run)


@dataclass
class Reject:
    """An item that failed validation, with every reason. Exported to rejects.jsonl only."""

    run_id: str | None = None  # the crawl run
    crawled_at: str | None = None  # when the rejected item was scraped
    item_type: str | None = None  # "Article", "FrontPageSlot", "PopularEntry"
    url: str | None = None  # the item's url / article_url / page_url, for finding it again
    reasons: list[str] = field(default_factory=list)  # machine-readable codes, "missing_headline"
    messages: list[str] = field(default_factory=list)  # one human line per reason
    item: dict[str, Any] = field(default_factory=dict)  # the rejected item, all fields


@dataclass
class ArticleRevision:
    """One changed field of one article revision (one row per field; see docs/SCHEDULING.md).

    Written by the state pipeline when a refetched article differs from its last exported
    version, and by the state middleware when a known article disappears (``field_name`` "status").
    One row per changed field keeps every row flat and short (a body change doesn't drag the
    unchanged headline along) and lets a spreadsheet filter "all headline changes" directly.
    """

    run_id: str | None = None  # the crawl run that saw the change
    crawled_at: str | None = None  # when the changed page was fetched, ISO 8601 UTC
    article_id: str | None = None  # numeric id from the URL, as a string
    site: str | None = None  # site profile, as in Article.site
    url: str | None = None  # the article's URL (canonical form)
    revision: int | None = None  # the new revision number; the first export is revision 1
    change: str | None = None  # "edited", "removed" or "restored"
    changed_fields: list[str] = field(default_factory=list)  # every field changed in revision
    field_name: str | None = None  # the field this row describes, e.g. "headline", "status"
    old_value: str | None = None  # value before (lists joined with " | "), None if empty
    new_value: str | None = None  # value after (same format)


EXPORTED_ITEM_CLASSES: tuple[type, ...] = (FrontPageSlot, Article, PopularEntry)


# fields holding one URL / a list of URLs (normalized and validated as URLs)
URL_FIELDS = frozenset(
    {"url", "canonical_url", "page_url", "article_url", "seen_on_url", "image_url"}
)
URL_LIST_FIELDS = frozenset({"related_urls"})


def utc_now_iso() -> str:
    """The current time in the format of every ``crawled_at``: ISO 8601 UTC, whole seconds."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def field_names(item_class: type) -> list[str]:
    """Field names of an item class, in declaration (= CSV column) order."""
    return list(field_tuple(item_class))


@functools.cache
def field_tuple(item_class: type) -> tuple[str, ...]:
    """:func:`field_names`, computed once per class (for per-item code on the hot path)."""
    return tuple(f.name for f in fields(item_class))
