"""Scrapy middlewares of the crawl state (see docs/SCHEDULING.md), so spiders barely change.

* :class:`StateSpiderMiddleware` (spider middleware)

  - marks requests whose callback is an article callback (``parse_article``; setting
    ``NEWSSPIDER_STATE_ARTICLE_CALLBACKS``) so the downloader middleware treats them as
    article fetches;
  - drops article requests found on a page that are not due yet under the decaying schedule
    (``newsspider/state/not_due``); start requests (URLs you asked for) are always fetched;
  - drops the slots of a listing page and the entries of a popular list when they are exactly
    the page's / list's previous snapshot (``newsspider/state/listing_unchanged``,
    ``popular_unchanged``), and records every run's observation either way, so histories
    know the page was looked at. This is decided here, not in a pipeline, because "the same
    snapshot" is a property of all the slots of one response together.

* :class:`StateDownloaderMiddleware` (downloader middleware), for article requests only:

  - sends ``If-None-Match`` / ``If-Modified-Since`` from the last fetch;
  - turns a 304, or a body byte-identical to the last fetch, into :class:`NotModified`;
  - turns a 404/410 or a redirect to another page for a known article into
    :class:`ArticleGone`, after recording the removal (a revision row ``status``
    live -> removed). Both are ``IgnoreRequest`` subclasses that the spiders' errback
    counts instead of writing Reject rows.

A listing page (a request whose meta has ``newsspider_listing``: the front page) is read on
every run, because the article links on it are what the schedule decides about, but it is
asked for conditionally once the state has a full fetch of it (newsspider/state/listing.py):
on ``304 Not Modified`` the spider middleware records the run's observations of the page and
its popular lists (the same rows an unchanged page gives) and hands the spider the links of
that fetch (``newsspider_listing_links``), which go through the same "due" decision.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.http import Response

from newsspider.faultpoints import crash_point
from newsspider.items import ArticleRevision, FrontPageSlot, PopularEntry, utc_now_iso
from newsspider.run import RunFailed, state_runtime
from newsspider.state.listing import (
    LISTING_LINK_COUNT_META,
    LISTING_LINKS_META,
    LISTING_META,
    ListingFetch,
    load_listing_fetch,
    save_listing_fetch,
    trusted_last_modified,
)
from newsspider.state.runtime import (
    ArticleGone,
    NotModified,
    body_hash,
    parse_iso,
    stable_hash,
)
from newsspider.state.store import ArticleState, StateWriteError, UrlState
from newsspider.urls import article_id_from_url, canonicalize_url

if TYPE_CHECKING:
    from datetime import datetime

logger = logging.getLogger("newsspider.state")

ARTICLE_META = "newsspider_state_article"  # request meta flag: an article fetch
GONE_STATUSES = frozenset({404, 410})

SLOT_HASH_FIELDS = ("block", "position_in_block", "position_on_page", "headline", "teaser")
POPULAR_HASH_FIELDS = ("rank", "headline")


# request.meta: the URL under which the state downloader middleware filed a fetch record that
# keeps the page's body until its callback is done (its hash may come from the parse worker)
BODY_KEPT_META = "newsspider_fetch_body_kept"


def _url_or_none(url: str | None) -> str | None:
    return canonicalize_url(url) if url else None


# a slot's (page key, hash row) as the page gave it, taken by a parse worker before it normalized
# the slot (newsspider/parsepool.py): a listing's hash is the same parsed inline or in the pool
AS_PARSED_ATTR = "_newsspider_slot_as_parsed"


def slot_page_key(slot: FrontPageSlot) -> str | None:
    """The listing page a slot is on, as the listing's state key (None: not on a page)."""
    as_parsed = slot.__dict__.get(AS_PARSED_ATTR)
    if as_parsed is not None:
        return as_parsed[0]  # type: ignore[no-any-return]
    return canonicalize_url(slot.page_url) if slot.page_url else None


def slot_hash_row(slot: FrontPageSlot) -> list[Any]:
    """What of a slot its listing's content hash covers, as the page gave it."""
    as_parsed = slot.__dict__.get(AS_PARSED_ATTR)
    if as_parsed is not None:
        return as_parsed[1]  # type: ignore[no-any-return]
    return [*(getattr(slot, name) for name in SLOT_HASH_FIELDS), _url_or_none(slot.article_url)]


def keep_as_parsed(slot: FrontPageSlot) -> None:
    """Worker side, before the slot is normalized: its page key and hash row as parsed."""
    key = slot_page_key(slot)
    if key is not None:
        slot.__dict__[AS_PARSED_ATTR] = (key, slot_hash_row(slot))


def slots_hash(slots: Iterable[FrontPageSlot]) -> str:
    return stable_hash([slot_hash_row(s) for s in slots])


def popular_hash(entries: Iterable[PopularEntry]) -> str:
    return stable_hash(
        [
            [*(getattr(e, name) for name in POPULAR_HASH_FIELDS), _url_or_none(e.article_url)]
            for e in entries
        ]
    )


CANONICAL_META = "newsspider_state_url"  # request meta: (request.url, its canonical form)


def canonical_url_of(request: Request, url: str | None = None) -> str:
    """``canonicalize_url(url or request.url)``, worked out once per request (in its meta:
    the spider middleware, the downloader middleware and the response all ask)."""
    url = request.url if url is None else url
    cached = request.meta.get(CANONICAL_META)
    if cached is not None and cached[0] == url:
        return str(cached[1])
    canonical = canonicalize_url(url)
    request.meta[CANONICAL_META] = (url, canonical)
    return canonical


def callback_name(request: Request) -> str | None:
    callback = request.callback
    return getattr(callback, "__name__", None) if callback is not None else None


class StateSpiderMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.runtime = state_runtime(crawler)
        # (kind, key) -> hash of the version this run exported, for lists repeated on pages
        self.exported_this_run: dict[tuple[str, str], str] = {}
        self.observed_this_run: dict[tuple[str, str], str] = {}
        # (kind, key) -> (content hash, snapshot run id) of this run's observation
        self.snapshot_of: dict[tuple[str, str], tuple[str, str]] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StateSpiderMiddleware:
        return cls(crawler)

    async def process_start(self, start: AsyncIterator[Any]) -> AsyncIterator[Any]:
        async for o in start:
            if isinstance(o, Request):
                o = self.get_processed_request(o, None)
            yield o

    # --- a listing page answered 304 ----------------------------------------------------------

    def process_spider_input(self, response: Response) -> None:
        if response.status != 304 or listing_rule(response) is None:
            return None
        try:
            self._not_modified(response)
        except StateWriteError:
            raise RunFailed(response.url) from None
        return None

    def _not_modified(self, response: Response) -> None:
        """The page is what its last full fetch was: record this run's observations of it
        and of its popular lists (as for an unchanged page) and give the spider its links."""
        fetch = load_listing_fetch(self.runtime.store, asked_url(response))
        if fetch is None:
            return  # validators are only sent with a kept fetch: the spider rejects the 304
        crawled_at = utc_now_iso()
        for kind, snapshots in fetch.snapshots.items():
            for key, content_hash, snapshot_run in snapshots:
                seen_key = (kind, key)
                if seen_key not in self.observed_this_run:
                    self.runtime.store.record_observation(
                        kind, self.runtime.run_id, key, crawled_at, content_hash, snapshot_run
                    )
                    self.observed_this_run[seen_key] = content_hash
                    self.snapshot_of[seen_key] = (content_hash, snapshot_run)
                self.runtime.inc(f"{kind}_unchanged")
        self.runtime.inc("listing_not_modified")
        links = list(fetch.links)
        response.meta[LISTING_LINK_COUNT_META] = len(links)
        response.meta[LISTING_LINKS_META] = links if self.runtime.force else self._due(links)

    def _due(self, links: list[tuple[str, str | None]]) -> list[tuple[str, str | None]]:
        """The links whose article is due, in order. A request for each of the others only for
        :meth:`get_processed_request` to drop it cost an unchanged recrawl ~40 ms per 1,000
        links (docs/benchmarks/log.md "Session 9 (perf-recrawl)"): they are counted ``not_due``
        here, the due ones when their requests pass :meth:`get_processed_request`."""
        canonical = [canonicalize_url(url) for url, _ in links]
        states = self.runtime.store.states_of(canonical)
        now = parse_iso(utc_now_iso())
        due = [
            link for link, url in zip(links, canonical, strict=True) if self.due(states[url], now)
        ]
        if len(due) < len(links):  # counted once: 1,000 stats calls on an unchanged recrawl
            self.runtime.inc("not_due", len(links) - len(due))
        return due

    # --- requests -----------------------------------------------------------------------------

    def is_article(self, request: Request) -> bool:
        return callback_name(request) in self.runtime.article_callbacks

    def get_processed_request(
        self,
        request: Request,
        response: Response | None,
        states: Mapping[str, UrlState | None] | None = None,
    ) -> Request | None:
        """``states``: the state of the page's article links, read in one query (:meth:`_kept`)."""
        if not self.is_article(request):
            return request
        request.meta[ARTICLE_META] = True
        if response is None or self.runtime.force:
            return request
        store = self.runtime.store
        url = canonical_url_of(request)
        known = states[url] if states is not None and url in states else store.url_state(url)
        if not self.is_due(known):
            return None
        # the downloader middleware asks again for this request: no query then
        store.keep_states({url: known})
        return request

    def is_due(self, known: UrlState | None) -> bool:
        """:meth:`due`, counted as ``due`` / ``not_due`` when the page was fetched before (a
        new page is not counted)."""
        due = self.due(known)
        if _fetch_times(known) is not None:
            self.runtime.inc("due" if due else "not_due")
        return due

    def due(self, known: UrlState | None, now: datetime | None = None) -> bool:
        """Is the article due for a fetch at ``now`` (default: this moment) by the decay
        schedule; not counted. A page never fetched is due."""
        times = _fetch_times(known)
        if times is None:
            return True
        first_seen, last_fetch = times
        return bool(
            self.runtime.schedule.is_due(
                parse_iso(first_seen), parse_iso(last_fetch), now or parse_iso(utc_now_iso())
            )
        )

    # --- items --------------------------------------------------------------------------------

    def process_spider_output(
        self, response: Response | None, result: Iterable[Any]
    ) -> Iterator[Any]:
        yield from self._filter(response, list(result))

    async def process_spider_output_async(
        self, response: Response | None, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        outputs = [o async for o in result]
        for o in self._filter(response, outputs):
            yield o

    def process_spider_exception(self, response: Response, exception: Exception) -> None:
        """A callback that raised: its page's kept body is let go all the same."""
        if response.request is not None:
            self.runtime.settle_fetch_body(response.request.meta.get(BODY_KEPT_META), ())

    def _filter(self, response: Response | None, outputs: list[Any]) -> Iterator[Any]:
        try:
            kept = list(self._kept(response, outputs))
        except StateWriteError:
            return  # the run has failed (newsspider/run.py logged why): nothing more is kept
        yield from kept

    def _kept(self, response: Response | None, outputs: list[Any]) -> Iterator[Any]:
        if response is not None and response.request is not None:
            self.runtime.settle_fetch_body(response.request.meta.get(BODY_KEPT_META), outputs)
        drop: set[int] = set()
        slots: dict[str, list[FrontPageSlot]] = {}
        lists: dict[str, list[PopularEntry]] = {}
        for o in outputs:
            if isinstance(o, FrontPageSlot):
                page_key = slot_page_key(o)
                if page_key is not None:
                    slots.setdefault(page_key, []).append(o)
            elif isinstance(o, PopularEntry) and o.list_name:
                lists.setdefault(o.list_name, []).append(o)
        for page_url, page_slots in slots.items():
            if not self._keep("listing", page_url, slots_hash(page_slots), page_slots[0]):
                drop.update(id(s) for s in page_slots)
        for list_name, entries in lists.items():
            if not self._keep("popular", list_name, popular_hash(entries), entries[0]):
                drop.update(id(e) for e in entries)
        if response is not None and listing_rule(response) is not None and response.status != 304:
            self._keep_listing_fetch(response, outputs, list(slots), list(lists))
        states = None
        if response is not None and not self.runtime.force:
            # every article link of the page in one query, not one per link
            links = [
                canonical_url_of(o)
                for o in outputs
                if isinstance(o, Request) and self.is_article(o)
            ]
            if links:
                states = self.runtime.store.states_of(links)
        for o in outputs:
            if isinstance(o, Request):
                processed = self.get_processed_request(o, response, states)
                if processed is not None:
                    yield processed
            elif id(o) not in drop:
                yield o

    def _keep_listing_fetch(
        self, response: Response, outputs: list[Any], pages: list[str], lists: list[str]
    ) -> None:
        """Keep what a full fetch of a listing page gave, for a 304 next time (or forget the
        last one when this response can't be asked for conditionally)."""
        url = asked_url(response)
        etag = header(response, b"ETag")
        last_modified = trusted_last_modified(
            header(response, b"Last-Modified"), header(response, b"Date")
        )
        if response.status != 200 or not pages or not (etag or last_modified):
            if load_listing_fetch(self.runtime.store, url) is not None:
                save_listing_fetch(self.runtime.store, url, None)
            return
        links = [
            (o.url, getattr(o.cb_kwargs.get("profile"), "name", None))
            for o in outputs
            if isinstance(o, Request) and callback_name(o) in self.runtime.article_callbacks
        ]
        snapshots = {
            kind: [(key, *self.snapshot_of[(kind, key)]) for key in keys]
            for kind, keys in (("listing", pages), ("popular", lists))
        }
        rule = dict(response.meta[LISTING_META])
        fetch = ListingFetch(rule, etag, last_modified, links, snapshots)
        save_listing_fetch(self.runtime.store, url, fetch)

    def _keep(self, kind: str, key: str, content_hash: str, first: Any) -> bool:
        """Record this run's observation of a page/list; True when its items are exported."""
        store = self.runtime.store
        run_id = self.runtime.run_id
        crawled_at = str(first.crawled_at or utc_now_iso())
        seen_key = (kind, key)
        if self.exported_this_run.get(seen_key) == content_hash:
            return True  # the same list again on another page: the dedupe pipeline drops it
        if self.observed_this_run.get(seen_key) == content_hash:
            self.runtime.inc(f"{kind}_unchanged")
            return False
        latest = store.latest_snapshot(kind, key)
        if latest is not None and latest.content_hash == content_hash:
            if seen_key not in self.observed_this_run:
                store.record_observation(kind, run_id, key, crawled_at, content_hash, latest.run_id)
                self.snapshot_of[seen_key] = (content_hash, latest.run_id)
            self.observed_this_run[seen_key] = content_hash
            self.runtime.inc(f"{kind}_unchanged")
            return False
        store.record_observation(kind, run_id, key, crawled_at, content_hash, run_id)
        self.snapshot_of[seen_key] = (content_hash, run_id)
        self.observed_this_run[seen_key] = content_hash
        self.exported_this_run[seen_key] = content_hash
        self.runtime.inc(f"{kind}_changed" if latest is not None else f"{kind}_new")
        return True


class StateDownloaderMiddleware:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.runtime = state_runtime(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StateDownloaderMiddleware:
        return cls(crawler)

    def process_request(self, request: Request) -> None:
        try:
            self.add_validators(request)
        except StateWriteError:
            raise RunFailed(request.url) from None

    def add_validators(self, request: Request) -> None:
        store = self.runtime.store
        listing = request.meta.get(LISTING_META)
        if listing is not None:
            self.add_listing_validators(request, listing)
            return None
        if not request.meta.get(ARTICLE_META) or self.runtime.force:
            return None
        if request.meta.get("redirect_urls"):
            return None  # a redirect hop: validators belong to the URL first asked for
        known = store.url_state(canonical_url_of(request), keep=True)  # check_response asks
        if known is not None:
            ask_conditionally(request, known.etag, known.last_modified)
        return None

    def add_listing_validators(self, request: Request, rule: dict[str, Any]) -> None:
        """A listing page with a kept full fetch under the same link rule is asked for
        conditionally, and its 304 reaches the spider (``handle_httpstatus_list``)."""
        if self.runtime.force or request.meta.get("redirect_urls"):
            return
        fetch = load_listing_fetch(self.runtime.store, canonicalize_url(request.url))
        if fetch is None or fetch.rule != dict(rule):
            return
        ask_conditionally(request, fetch.etag, fetch.last_modified)
        allowed = list(request.meta.get("handle_httpstatus_list", ()))
        if 304 not in allowed:
            request.meta["handle_httpstatus_list"] = [*allowed, 304]

    def process_response(self, request: Request, response: Response) -> Response:
        try:
            return self.check_response(request, response)
        except StateWriteError:
            raise RunFailed(request.url) from None

    def check_response(self, request: Request, response: Response) -> Response:
        store = self.runtime.store
        if not request.meta.get(ARTICLE_META):
            return response
        redirects = request.meta.get("redirect_urls") or []
        asked_url = canonical_url_of(request, redirects[0] if redirects else request.url)
        now = utc_now_iso()
        known = store.url_state(asked_url, release=True)  # the request's last ask
        if response.status == 304:
            store.record_fetch(asked_url, now, 304)
            self._touch(known.article_key if known else None, now)
            raise NotModified(asked_url, "HTTP 304")
        gone_reason = None
        if response.status in GONE_STATUSES:
            gone_reason = f"http_{response.status}"
        elif redirects and redirected_away(asked_url, canonicalize_url(response.url)):
            gone_reason = "redirected_away"
        if gone_reason is not None:
            previous = store.article(known.article_key) if known and known.article_key else None
            if previous is None:
                return response  # never exported: an ordinary failure (Reject row)
            store.record_fetch(asked_url, now, response.status)
            store.forget_validators(asked_url)
            if previous.status == "removed":
                raise ArticleGone(asked_url, gone_reason, code="still_removed")
            self._record_removal(previous, asked_url, gone_reason, now)
            raise ArticleGone(asked_url, gone_reason)
        if response.status != 200 or self.runtime.force:
            return response
        fetch: dict[str, Any] = {
            "url": asked_url,
            "now": now,
            "status": response.status,
            "etag": header(response, b"ETag"),
            "last_modified": header(response, b"Last-Modified"),
            "body_hash": None,
        }
        if known is not None and known.body_hash is not None:
            fetch["body_hash"] = body_hash(response.body)
            if known.body_hash == fetch["body_hash"]:
                store.record_fetch(**fetch)
                self._touch(known.article_key, now)
                raise NotModified(asked_url, "same bytes as the last fetch")
        else:
            # nothing to compare with: hashed by the parse worker, or when the page's
            # callback is done (StateSpiderMiddleware: state/runtime.py settle_fetch_body)
            fetch["body"] = response.body
            request.meta[BODY_KEPT_META] = asked_url
        # recorded only when the page's Article reaches the state pipeline: a fetch whose
        # article was never exported (a reject, a parse error) must not make the next run
        # skip the page as "not modified"
        # no redirect: the page landed where it was asked for (its canonical URL is known)
        same = not redirects and response.url == request.url
        landed = asked_url if same else canonicalize_url(response.url)
        self.runtime.defer_fetch(fetch, landed)
        crash_point("after_fetch")
        return response

    def _touch(self, article_key: str | None, now: str) -> None:
        store = self.runtime.store
        if article_key:
            store.touch_article(article_key, now)

    def _record_removal(self, previous: ArticleState, url: str, reason: str, now: str) -> None:
        store = self.runtime.store
        revision = previous.revision + 1
        run_id = self.runtime.run_id
        row = ArticleRevision(
            run_id=run_id,
            crawled_at=now,
            article_id=previous.article_id,
            site=previous.site,
            url=url,
            revision=revision,
            change="removed",
            changed_fields=["status"],
            field_name="status",
            old_value="live",
            new_value=f"removed ({reason})",
        )
        store.save_article(
            dataclasses.replace(
                previous,
                status="removed",
                removed_at=now,
                removed_reason=reason,
                revision=revision,
                last_changed=now,
            )
        )
        store.add_revision_rows([revision_record(row, previous.article_key)])
        logger.info("Article %s is gone (%s): recorded as removed", url, reason)
        self.runtime.emit(row)


def revision_record(row: ArticleRevision, key: str) -> dict[str, Any]:
    return {
        "article_key": key,
        "revision": row.revision,
        "field": row.field_name,
        "run_id": row.run_id,
        "crawled_at": row.crawled_at,
        "article_id": row.article_id,
        "site": row.site,
        "url": row.url,
        "change": row.change,
        "changed_fields": row.changed_fields,
        "old_value": row.old_value,
        "new_value": row.new_value,
    }


def ask_conditionally(request: Request, etag: str | None, last_modified: str | None) -> None:
    """The validators of the last fetch as ``If-None-Match`` / ``If-Modified-Since`` (an
    article's from the state's URL row, a listing page's from its kept full fetch)."""
    if etag:
        request.headers.setdefault(b"If-None-Match", etag.encode("latin-1"))
    if last_modified:
        request.headers.setdefault(b"If-Modified-Since", last_modified.encode("latin-1"))


def listing_rule(response: Response) -> dict[str, Any] | None:
    """The link rule of a listing page's request (``LISTING_META``), None for other pages."""
    request = response.request
    return None if request is None else request.meta.get(LISTING_META)


def asked_url(response: Response) -> str:
    """The canonical URL the request of ``response`` asked for (before any redirect)."""
    redirects = response.meta.get("redirect_urls") or []
    return canonicalize_url(redirects[0] if redirects else response.url)


def header(response: Response, name: bytes) -> str | None:
    value = response.headers.get(name)
    return value.decode("latin-1") if value else None


def redirected_away(asked: str, landed: str) -> bool:
    """Did a redirect leave the article (to the home page, a section, another story)?"""
    asked_id, landed_id = article_id_from_url(asked), article_id_from_url(landed)
    if asked_id is not None:
        return asked_id != landed_id
    return urlsplit(landed).path.rstrip("/") == ""  # no id to compare: only "home" is away


def _fetch_times(known: UrlState | None) -> tuple[str, str] | None:
    """(first_seen, last_fetch) of a page fetched before; None for a new one (no state, or a
    link seen but never fetched)."""
    if known is None or known.first_seen is None or known.last_fetch is None:
        return None
    return known.first_seen, known.last_fetch
