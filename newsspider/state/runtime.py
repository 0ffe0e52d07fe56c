"""What the state middlewares and the state pipeline share within one crawl process."""

from __future__ import annotations

import hashlib
import logging
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, fields
from datetime import datetime
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest

from newsspider import settings as defaults  # each default: settings.py
from newsspider.dates import parse_instant
from newsspider.items import Article, field_tuple
from newsspider.stablejson import dumps_sorted
from newsspider.state.decay import DecaySchedule
from newsspider.state.paths import site_key, state_file_for
from newsspider.state.store import StateStore

logger = logging.getLogger("newsspider.state")

# Article fields that are bookkeeping, derived or provenance: not part of the content hash
# and never reported as a change (word_count follows body; *_source says which extractor won).
VOLATILE_ARTICLE_FIELDS = frozenset(
    {
        "run_id",
        "crawled_at",
        "url",
        "word_count",
        "headline_source",
        "body_source",
        "authors_source",
        "published_at_source",
    }
)
CONTENT_FIELDS: tuple[str, ...] = tuple(
    f.name for f in fields(Article) if f.name not in VOLATILE_ARTICLE_FIELDS
)
LIST_SEPARATOR = " | "


class StateSkip(IgnoreRequest):  # type: ignore[misc]
    """A fetch that needs no parsing because the state already knows the answer.

    Raised by :class:`newsspider.middlewares_state.StateDownloaderMiddleware`; the spiders'
    errback counts it as ``newsspider/state/<code>`` instead of writing a Reject row.
    """

    code = "skipped"

    def __init__(self, url: str, detail: str = "", *, code: str | None = None) -> None:
        if code is not None:
            self.code = code
        super().__init__(f"{self.code}: {url}" + (f" ({detail})" if detail else ""))
        self.url = url


class NotModified(StateSkip):
    """HTTP 304, or a body byte-identical to the last fetch."""

    code = "not_modified"


class ArticleGone(StateSkip):
    """A known article answered 404/410 or redirected away: recorded as removed."""

    code = "removed"


def parse_iso(text: str) -> datetime:
    """A stamp from the state store -> aware datetime (see newsspider.dates.parse_instant)."""
    return parse_instant(text)


def stable_hash(data: Any) -> str:
    return hashlib.sha256(dumps_sorted(data)).hexdigest()


def article_key(site: str | None, article_id: str | None, url: str | None) -> str:
    """``news1global:1001``; ``url:<url>`` when the page gives no id."""
    if article_id:
        return f"{site or 'unknown'}:{article_id}"
    return f"url:{url}"


_SCALAR_TYPES = frozenset({str, int, float, bool, type(None)})


# --- the SHA-256 of a fetched page's body --------------------------------------------------
# Taken when the downloader middleware has a hash of the last fetch to compare with; else
# (a page never fetched before: every page of a first crawl) the fetch keeps the body, and
# the hash is taken when the fetch is recorded, or arrives with the Article from the parse
# worker that had the body anyway (~55 us of the crawling process per 78 KB page, issue 14)
BODY_HASH_ATTR = "_newsspider_body_hash"


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()


def attach_body_hash(item: Any, body: bytes | int, digest: str) -> None:
    """The (length, SHA-256) of the page body ``item`` was parsed from (a parse worker's)."""
    length = body if isinstance(body, int) else len(body)
    item.__dict__[BODY_HASH_ATTR] = (length, digest)


def attached_body_hash(item: Any) -> tuple[int, str] | None:
    found: tuple[int, str] | None = getattr(item, "__dict__", {}).get(BODY_HASH_ATTR)
    return found


def settle_body_hash(fetch: dict[str, Any], attached: tuple[int, str] | None) -> dict[str, Any]:
    """Let go of the body a fetch record kept (in place: the record is filed under every URL of
    the page), its ``body_hash`` filled in: the attached hash when it is of a body of that
    length, else taken here. A record without a kept body is returned as it is."""
    body: bytes | None = fetch.pop("body", None)
    if body is not None and fetch.get("body_hash") is None:
        if attached is not None and attached[0] == len(body):
            fetch["body_hash"] = attached[1]
        else:
            fetch["body_hash"] = body_hash(body)
    return fetch


def item_data(item: Any) -> dict[str, Any]:
    """``dataclasses.asdict(item)`` for a flat item (scalars and lists of scalars: every
    exported item), ~20x faster: asdict deep-copies each value through its recursion; here
    only the lists are copied, which is all it amounts to for such values. Anything else
    (a nested dict, a subclass of str) goes through asdict itself."""
    item_class: type = type(item)
    data: dict[str, Any] = {}
    for name in field_tuple(item_class):
        value = getattr(item, name)
        kind = type(value)
        if kind is list:
            if not all(type(v) in _SCALAR_TYPES for v in value):
                return asdict(item)
            value = list(value)
        elif kind not in _SCALAR_TYPES:
            return asdict(item)
        data[name] = value
    return data


def content_of(data: dict[str, Any]) -> dict[str, Any]:
    """The content fields of an article's data (:func:`item_data`): what its hash covers."""
    return {name: data[name] for name in CONTENT_FIELDS}


def article_content(item: Article) -> dict[str, Any]:
    return content_of(item_data(item))


def article_hash(data: dict[str, Any]) -> str:
    """The content hash of an article's data (:func:`item_data`): what the state compares
    with the last exported version (also taken by a parse worker, pipelines/checks.py)."""
    return stable_hash(content_of(data))


def render_value(value: Any) -> str | None:
    """A field value as one flat text cell: lists joined with `` | ``, booleans lower-case."""
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(str(v) for v in value)
    return str(value)


def changed_fields(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """Content fields whose value differs, in Article field order."""
    return [name for name in CONTENT_FIELDS if old.get(name) != new.get(name)]


def state_dir_explicit(settings: Any) -> bool:
    """Was NEWSSPIDER_STATE_DIR set above the project default (``-s``, env, spider)?"""
    from scrapy.settings import SETTINGS_PRIORITIES

    priority = settings.getpriority("NEWSSPIDER_STATE_DIR")
    return priority is not None and priority > SETTINGS_PRIORITIES["project"]


class StateRuntime:
    """One per run (built by newsspider/run.py when the state is on): the settings, the decay
    schedule and the store of the run's site, opened when the run starts.

    Everything the run records goes into one transaction, committed by :meth:`commit` once the
    run's files are complete (newsspider/extensions.py); a run that dies commits nothing.
    """

    def __init__(self, crawler: Crawler, *, site_url: str, run_id: str) -> None:
        self.crawler = crawler
        self.site_url = site_url
        self.run_id = run_id
        settings = crawler.settings
        self.state_dir = settings.get("NEWSSPIDER_STATE_DIR", defaults.NEWSSPIDER_STATE_DIR)
        self.state_file = settings.get("NEWSSPIDER_STATE_FILE") or None
        self.force = settings.getbool("NEWSSPIDER_REFETCH_FORCE", defaults.NEWSSPIDER_REFETCH_FORCE)
        self.schedule = DecaySchedule.from_settings(settings)
        self.article_callbacks = frozenset(
            settings.getlist(
                "NEWSSPIDER_STATE_ARTICLE_CALLBACKS", defaults.NEWSSPIDER_STATE_ARTICLE_CALLBACKS
            )
        )
        self.site_key = site_key(site_url)
        self.path = state_file_for(
            site_url,
            self.state_dir,
            self.state_file,
            export_dir=settings.get("NEWSSPIDER_EXPORT_DIR", defaults.NEWSSPIDER_EXPORT_DIR),
            state_dir_explicit=state_dir_explicit(settings),
        )
        self.counts: Counter[str] = Counter()  # outcome -> articles, for the runs table
        self._store: StateStore | None = None
        # canonical URL (asked and landed) -> a fetch waiting for its Article, with all the
        # keys it is filed under (a fetch is never recorded alone)
        self.pending_fetches: dict[str, tuple[dict[str, Any], tuple[str, ...]]] = {}

    def open(self, on_error: Callable[[Exception], None]) -> None:
        """Open the state file and start the run's transaction (StateFileError if it can't)."""
        self._store = StateStore(self.path, on_error=on_error)
        self._store.begin_run()
        logger.info("Crawl state: %s", self.path)

    @property
    def store(self) -> StateStore:
        if self._store is None:
            raise RuntimeError("the state store is opened when the run starts (run.py)")
        return self._store

    def commit(self, finished_at: str, reason: str) -> None:
        """The run's files are complete: record the run and commit everything, at once."""
        from newsspider.history_marks import health_counts

        stats = self.crawler.stats
        counts = {**self.counts, **health_counts(stats.get_stats() if stats else {})}
        store = self.store
        store.finish_run(self.run_id, finished_at, reason, counts)
        store.commit_run()

    def close(self) -> None:
        """Close the file; changes not committed by :meth:`commit` are rolled back."""
        if self._store is not None:
            self._store.close()
            self._store = None

    def defer_fetch(self, fetch: dict[str, Any], landed_url: str) -> None:
        """Keep a page's fetch record until its Article is recorded (:meth:`record_fetch_of`)
        or dropped before the state (:meth:`forget_fetch_of`)."""
        keys = (fetch["url"],) if landed_url == fetch["url"] else (fetch["url"], landed_url)
        for key in keys:
            self.pending_fetches[key] = (fetch, keys)

    def _release(self, url: str | None) -> dict[str, Any] | None:
        entry = self.pending_fetches.pop(url, None) if url else None
        if entry is None:
            return None
        fetch, keys = entry
        for key in keys:
            self.pending_fetches.pop(key, None)
        return fetch

    def record_fetch_of(
        self,
        url: str | None,
        *,
        link_to: str | None = None,
        now: str = "",
        body_hash: tuple[int, str] | None = None,
    ) -> None:
        """The Article of ``url`` reached the state: record the fetch that brought it; with
        ``link_to``, then link ``url`` to that article key (:meth:`StateStore.link_url`, first
        seen ``now``): one write when the fetch was of ``url`` itself (no redirect).
        ``body_hash``: (body length, SHA-256) a parse worker took of the page
        (:func:`attached_body_hash`), for a fetch whose hash was left to be taken here."""
        fetch = self._release(url)
        if fetch is not None and "body" in fetch:
            fetch = settle_body_hash(fetch, body_hash)
        store = self.store
        if link_to is None or not url:
            if fetch is not None:
                store.record_fetch(**fetch)
            return
        if fetch is not None and fetch["url"] == url:
            store.record_fetch(**fetch, article_key=link_to)
            return
        if fetch is not None:
            store.record_fetch(**fetch)
        store.link_url(url, link_to, now)

    def settle_fetch_body(self, url: str | None, outputs: Iterable[Any]) -> None:
        """The callback of ``url``'s page is done: its pending fetch record keeps the body's
        hash instead of the body, so a page whose Article never reaches the state (a reject,
        a parse error) holds no body to the end of the run. The hash is the one a parse worker
        attached to the page's Article (:func:`attached_body_hash`), else taken here."""
        entry = self.pending_fetches.get(url) if url else None
        if entry is None or "body" not in entry[0]:
            return
        attached = next(
            (found for o in outputs if (found := attached_body_hash(o)) is not None), None
        )
        settle_body_hash(entry[0], attached)

    def forget_fetch_of(self, url: str | None) -> None:
        """The Article of ``url`` was dropped before the state (a duplicate of one already
        exported): its fetch is not recorded, so the next run fetches the page in full as
        before, and the record is let go instead of being held to the end of the run."""
        self._release(url)

    def count(self, outcome: str) -> None:
        """One article's outcome (new, changed, unchanged, restored): a stat and a run count."""
        self.counts[outcome] += 1
        self.inc(outcome)

    def inc(self, key: str, count: int = 1) -> None:
        stats = self.crawler.stats
        assert stats is not None
        stats.inc_value(f"newsspider/state/{key}", count)

    def emit(self, item: Any) -> None:
        """Export an item the state derived (a revision row) through the normal FEEDS path.

        Pipelines return one item per item; a revision is an extra record, so it is handed to
        the feed exporters (and the run-files extension) the way Scrapy's scraper does.
        """
        self.crawler.signals.send_catch_log(
            signal=signals.item_scraped, item=item, response=None, spider=self.crawler.spider
        )
