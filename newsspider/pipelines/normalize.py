"""Normalize: white space, Unicode NFC, unsafe characters, canonical URLs. Never drops.

Every change that alters data is counted under ``newsspider/normalize/…`` in the stats.

:func:`normalize_item` is the whole decision; a parse worker runs it on the Articles it parses
and the pipeline then only counts what the worker changed (newsspider/pipelines/checks.py).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import is_dataclass
from typing import Any

from scrapy.crawler import Crawler

from newsspider.items import URL_FIELDS, URL_LIST_FIELDS, Reject, field_tuple
from newsspider.pipelines.checks import checks_of
from newsspider.text import clean_line, clean_paragraphs, count_words
from newsspider.urls import canonicalize_url, has_tracking, is_safe_url, strip_credentials

# multi-paragraph text
PARAGRAPH_FIELDS = frozenset({"body"})
# image URLs keep their query string (it often selects the size); only the fragment goes
KEEP_QUERY_FIELDS = frozenset({"image_url"})

Count = Callable[[str], None]  # counts one change of a kind: newsspider/normalize/<kind>


class NormalizePipeline:
    def __init__(self, crawler: Crawler) -> None:
        self.stats = crawler.stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NormalizePipeline:
        return cls(crawler)

    def inc(self, key: str, count: int = 1) -> None:
        assert self.stats is not None
        self.stats.inc_value(f"newsspider/normalize/{key}", count)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, Reject) or not is_dataclass(item):
            return item
        checks = checks_of(item)
        if checks is not None:  # a parse worker ran normalize_item (newsspider/pipelines/checks.py)
            for key, count in checks.normalize_counts.items():
                self.inc(key, count)
            return item
        return normalize_item(item, self.inc)

    def normalize_field(self, name: str, value: Any) -> Any:
        return normalize_field(name, value, self.inc)

    def normalize_url(self, name: str, url: str) -> str | None:
        return normalize_url(name, url, self.inc)


def normalize_item(item: Any, inc: Count) -> Any:
    """Normalize every field of a dataclass item in place; ``inc(key)`` counts each kind of
    change. The pipeline's decision, also run by a parse worker (pipelines/checks.py)."""
    body_changed = False
    for name in field_tuple(item.__class__):
        value = getattr(item, name)
        if value is None:
            continue  # nothing to normalize (normalize_field returns None as it is)
        new = normalize_field(name, value, inc)
        if new != value:
            setattr(item, name, new)
            body_changed = body_changed or name == "body"
    body = getattr(item, "body", None)
    # the page object counted the body it made: recount only what this pipeline changed
    recount = body_changed or getattr(item, "word_count", 0) is None
    if hasattr(item, "word_count") and body is not None and recount:
        item.word_count = count_words(body)
    return item


def normalize_field(name: str, value: Any, inc: Count) -> Any:
    if name in URL_FIELDS and isinstance(value, str):
        return normalize_url(name, value, inc)
    if name in URL_LIST_FIELDS and isinstance(value, list):
        urls = [normalize_url(name, v, inc) for v in value if isinstance(v, str)]
        return unique([u for u in urls if u])
    if isinstance(value, str):
        cleaned = clean_paragraphs(value) if name in PARAGRAPH_FIELDS else clean_line(value)
        if cleaned is None:
            inc("empty_to_none")
        elif cleaned != value:
            inc("text_cleaned")
        return cleaned
    if isinstance(value, list):
        items = [clean_line(v) if isinstance(v, str) else v for v in value]
        kept = unique([v for v in items if v is not None])
        if len(kept) != len(value):
            inc("list_entries_removed")
        return kept
    return value


def normalize_url(name: str, url: str, inc: Count) -> str | None:
    url = strip_credentials(url.strip())  # a link's user:pass@ is never written anywhere
    if not url:
        return None
    if not is_safe_url(url):
        inc("unsafe_url_removed")
        return None
    if name in KEEP_QUERY_FIELDS:
        return url.split("#", 1)[0]
    if has_tracking(url):
        inc("tracking_removed")
    return canonicalize_url(url)


def unique(values: list[Any]) -> list[Any]:
    """Drop repeats, keep first-seen order."""
    seen: set[Any] = set()
    out = []
    for v in values:
        if v not in seen:
            seen.add(v)
            out.append(v)
    return out
