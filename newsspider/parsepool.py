"""The parse pool: article pages decoded and parsed on another CPU core (issue 14).

The crawling process fetches, decides navigation and runs the pipelines and exports; the
article callbacks hand ``(url, body, Content-Type, profile name, crawl time)`` to a
``concurrent.futures.ProcessPoolExecutor`` and take the finished Article, its popular
entries and the profile's drift flags back (docs/benchmarks/log.md "Second core").

* ``NEWSSPIDER_PARSE_WORKERS``: worker processes; ``0`` parses inline in the crawling
  process; ``"auto"`` (the default) is one per CPU core beyond the first, at most
  :data:`AUTO_MAX_WORKERS`, used once the crawl has parsed ``NEWSSPIDER_PARSE_POOL_AFTER``
  article pages inline (the site spider: as soon as it has found that many articles,
  :meth:`ParsePool.expect`): the pool takes ~4-8 ms/page off the crawling process but a worker
  costs ~1 s of CPU to start, so a small crawl (the demo, a front page's articles) never pays
  for one and a large one gets the second core (+14% pages/s at N = 2,000 on an idle 2-core
  machine; docs/benchmarks/log.md "Second core"). A number of workers uses them from the first
  article page.
* One pool per crawl, started on the first article page it takes (an unchanged recrawl that
  fetches no article never starts a worker), shut down on ``spider_closed`` /
  ``engine_stopped``. ``auto`` parses inline until its first worker is up
  (:meth:`ParsePool.ready`), instead of waiting ~0.5 s for the worker's imports.
* The pool's job and result pipes get 1 MB (:func:`widen_pipes`): a whole result crosses in
  one write, so a worker never waits for the crawling process's busy reader thread.
* Workers are started with ``spawn`` (a fresh interpreter: never a fork of a process that
  runs a reactor and threads), ignore SIGINT/SIGTERM (the crawl's graceful shutdown lets
  in-flight pages finish) and die with the crawling process: ``PR_SET_PDEATHSIG`` on Linux,
  and a watchdog thread elsewhere.
* A worker that dies (``BrokenProcessPool``) costs the pages it had in hand: one WARNING
  line, ``newsspider/parse_pool/worker_restarts``, a Reject row (``parse_worker_crashed``)
  per page, and a fresh pool for the pages after them.

* Listing pages (:class:`ListingJob`: the site spider's start page, section listings and their
  "next" pages, the frontpage spider's front page) go to the pool too once it is in use: the
  worker returns the slots (checked and rendered as an Article is: :func:`check_slot`), the
  popular list and what the spider navigates by (the links as the page gives them, their
  published times, the next page, the listings a start page links to); the spider decides
  what to follow and yields the same items and requests in the same order as inline
  (``newsspider/parse_pool/listing_pages``, ``…/inline_listing_pages``). A listing page whose
  worker died is parsed once more by the new pool (``…/listing_retries``): a lost listing
  page would lose every "next" page after it.

Nothing here touches run state: the workers are pure functions of the page. With the
normalize and validate pipelines on (the default), a worker also runs the Article through
their own functions, :func:`check_article`, and the pipelines decide from the results
(newsspider/pipelines/checks.py): that CPU leaves the crawling process too.
"""

from __future__ import annotations

import asyncio
import codecs
import logging
import multiprocessing
import os
import signal
import stat
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

from newsspider import settings as defaults  # each default: settings.py
from newsspider.faultpoints import worker_crash_point
from newsspider.items import Article, FrontPageSlot, PopularEntry

if TYPE_CHECKING:  # the page objects are imported by the first page parsed (not on a recrawl)
    from newsspider.pages.base import SiteProfile

logger = logging.getLogger(__name__)

STAT = "newsspider/parse_pool"
AUTO_MAX_WORKERS = 2  # the crawling process stays the bottleneck: more workers would idle
START_METHOD = "spawn"  # docs/benchmarks/log.md "Second core": measured against forkserver
CRASH_REASON = "parse_worker_crashed"


class WorkerCrashed(Exception):
    """A parse worker died while it had this page (the pool has been replaced)."""


@dataclass(frozen=True, slots=True)
class ArticleJob:
    """What a worker needs to parse one article page exactly as the crawling process would."""

    url: str
    body: bytes
    content_type: bytes | None  # the response's Content-Type (its charset decides decoding)
    encoding: str | None  # an encoding the response was built with explicitly (rare)
    response_class: type[Any]  # HtmlResponse, TextResponse or XmlResponse: same decoding rules
    profile: str | None  # site profile name; None: detected from the page
    crawled_at: str  # ISO 8601 UTC: "now" for relative dates ("3 hours ago")
    # also run the Article through normalize and validate's own functions here (check_article)
    check: bool = False
    # also take the SHA-256 of the body for the crawl state (newsspider/state/runtime.py)
    hash_body: bool = False


@dataclass(slots=True)
class ParsedArticle:
    profile: str  # the profile that parsed the page
    article: Article
    popular: list[PopularEntry]
    profile_found: dict[str, bool] | None  # what the profile found itself (drift stats)
    # drift outcome per field of a profiled site, taken before a worker normalized the Article
    outcomes: dict[str, str] | None = None


# what a listing page is parsed as (ListingJob.kind)
LISTING = "listing"  # the site spider's listings: profile.listing_page, else GenericListingPage
FRONT = "front"  # the frontpage spider's front page: profile.front_page


@dataclass(frozen=True, slots=True)
class ListingJob:
    """What a worker needs to parse one listing page (a front page, a section listing or one
    of its "next" pages) exactly as the crawling process would."""

    url: str
    body: bytes
    content_type: bytes | None
    encoding: str | None
    response_class: type[Any]
    profile: str | None  # site profile name; None: detected from the page
    kind: str  # LISTING or FRONT
    crawled_at: str
    start: bool = False  # the site's start page: also the listings it links to
    check: bool = False  # also normalize, validate and render the slots (check_slot)


@dataclass(slots=True)
class ParsedListing:
    """One listing page, parsed: its items and what the spider navigates by."""

    profile: str  # the profile that parsed the page
    slots: list[FrontPageSlot]
    popular: list[PopularEntry]
    # each slot's (article_url, published time the page gives for it), as parsed: the links
    # the spider follows are the page's own, not the normalized slots' (a worker's check)
    links: list[tuple[str, str | None]]
    published: list[str]  # every published time the page gives (``since`` stops paging)
    next_url: str | None  # its "next page" (LISTING)
    listing_urls: list[str]  # the listings it links to (LISTING, a start page only)


def listing_page(
    profile: SiteProfile, kind: str, url: str, text: str, utf8_body: bytes | None = None
) -> Any:
    """The page object for one listing page (``utf8_body``: see :func:`article_page`)."""
    from newsspider.discovery import GenericListingPage
    from newsspider.pages.base import HtmlPage

    listing_class = profile.listing_page or GenericListingPage
    page_class: Any = profile.front_page if kind == FRONT else listing_class
    if utf8_body is not None and isinstance(page_class, type) and issubclass(page_class, HtmlPage):
        return page_class(url, text, utf8_body=utf8_body)
    return page_class(url, text)


def parse_listing_text(
    profile: SiteProfile,
    kind: str,
    url: str,
    text: str,
    start: bool = False,
    utf8_body: bytes | None = None,
) -> ParsedListing:
    """One listing page, parsed: the same function inline and in a worker."""
    page = listing_page(profile, kind, url, text, utf8_body)
    slots, popular = page.slots(), page.popular()
    published: dict[str, str] = {}
    next_url: str | None = None
    listing_urls: list[str] = []
    if kind != FRONT:
        published = page.published_by_url()
        next_url = page.next_page_url()
        if start:
            listing_urls = page.listing_urls()
    links = [(s.article_url, published.get(s.article_url)) for s in slots if s.article_url]
    return ParsedListing(
        profile.name,
        slots,
        popular,
        links,
        list(published.values()),
        next_url,
        listing_urls,
    )


def parse_listing_job(job: ListingJob) -> ParsedListing:
    """Worker side: decode the body as Scrapy's response would, then parse the listing."""
    from newsspider.sites import detect_profile, get_profile

    worker_crash_point(job.url)
    text, utf8_body = decode_job(job)
    profile = get_profile(job.profile) if job.profile else detect_profile(job.url, text)
    parsed = parse_listing_text(profile, job.kind, job.url, text, job.start, utf8_body)
    if job.check:
        from newsspider.middlewares_state import keep_as_parsed

        for slot in parsed.slots:
            # the crawl state's listing hash is of the slots as parsed (the spider middleware
            # takes it before the pipelines): kept before the slot is normalized here
            keep_as_parsed(slot)
            check_slot(slot, job.crawled_at)
    return parsed


def decode_job(job: ArticleJob | ListingJob) -> tuple[str, bytes | None]:
    """The page's text as the crawling process's response decodes it, and its UTF-8 bytes
    when they are exactly that text (:func:`utf8_body_of`)."""
    headers = {b"Content-Type": job.content_type} if job.content_type else None
    response = job.response_class(job.url, body=job.body, headers=headers, encoding=job.encoding)
    text: str = response.text
    return text, utf8_body_of(response, text)


def check_slot(slot: FrontPageSlot, crawled_at: str) -> None:
    """Worker side: what :func:`check_article` does for an Article, for a listing's slot
    (:func:`check_item`, without the content hash: the state hashes a listing's slots as
    parsed, ``keep_as_parsed``)."""
    check_item(slot, crawled_at)


def check_item(item: Article | FrontPageSlot, crawled_at: str, content_hash: bool = False) -> None:
    """Worker side: the steps the crawling process would take with an item before its
    pipelines decide, one home for an Article (:func:`check_article`) and a listing's slot
    (:func:`check_slot`): the spider's ``crawled_at``, the normalize pipeline's
    :func:`normalize_item`, the validate pipeline's :func:`problems_of` and, for a valid item,
    its date clean-up, the state's content hash (``content_hash``: an Article's), whose results
    travel with the item for those pipelines to use (newsspider/pipelines/checks.py), and the
    item's export rows, rendered by the exporters' own functions (newsspider/prerender.py),
    which the exporters write if it arrives unchanged."""
    from newsspider import prerender
    from newsspider.pipelines.checks import WorkerChecks, attach
    from newsspider.pipelines.normalize import normalize_item
    from newsspider.pipelines.validate import clear_bad_dates, has_bad_page_date, problems_of

    item.crawled_at = crawled_at  # as NewsSpider.stamp sets it
    counts: dict[str, int] = {}

    def count(key: str) -> None:
        counts[key] = counts.get(key, 0) + 1

    normalize_item(item, count)
    errors, warnings = problems_of(item)
    digest = None
    if not errors:  # the item the state pipeline will see: validate's date clean-up done
        if has_bad_page_date(warnings):
            clear_bad_dates(item)
        if content_hash:
            from newsspider.state.runtime import article_hash, item_data

            digest = article_hash(item_data(item))
    attach(item, WorkerChecks(crawled_at, counts, errors, warnings, digest))
    if not errors:  # a rejected item is exported as a Reject: nothing to render
        rendered = prerender.render_article(item)
        if rendered is not None:
            prerender.attach(item, rendered)


def article_page(
    profile: SiteProfile,
    url: str,
    text: str,
    now: datetime | None,
    utf8_body: bytes | None = None,
) -> Any:
    """The page object for one article page: the profile's, gaps filled by the generic layer.

    ``utf8_body``: the exact UTF-8 bytes of ``text`` when known (a worker: :func:`utf8_body_of`);
    a profile's page (an :class:`~newsspider.pages.base.HtmlPage`) parses them as they are."""
    from newsspider.pages.base import HtmlPage
    from newsspider.pages.generic import ProfileWithFallback

    page_class: Any = profile.article_page
    if utf8_body is not None and issubclass(page_class, HtmlPage):
        page = page_class(url, text, utf8_body=utf8_body)
    else:
        page = page_class(url, text)
    if profile.name == "generic":
        setattr(page, "timezone", profile.timezone)  # noqa: B010
        setattr(page, "now", now)  # noqa: B010
        return page
    return ProfileWithFallback(page, url, text, profile.timezone, now)


def parse_article_text(
    profile: SiteProfile,
    url: str,
    text: str,
    crawled_at: str,
    utf8_body: bytes | None = None,
) -> ParsedArticle:
    """One article page, parsed: the same function inline and in a worker (``utf8_body``:
    see :func:`article_page`)."""
    from newsspider.dates import parse_instant

    page = article_page(profile, url, text, parse_instant(crawled_at), utf8_body)
    article, popular = page.article(), page.popular()
    return ParsedArticle(profile.name, article, popular, getattr(page, "profile_found", None))


def parse_article_job(job: ArticleJob) -> ParsedArticle:
    """Worker side: decode the body as Scrapy's response would, then parse it."""
    from newsspider.sites import detect_profile, get_profile

    worker_crash_point(job.url)
    text, utf8_body = decode_job(job)
    profile = get_profile(job.profile) if job.profile else detect_profile(job.url, text)
    parsed = parse_article_text(profile, job.url, text, job.crawled_at, utf8_body)
    if job.check:
        check_article(parsed, job.crawled_at)
    return parsed


def utf8_body_of(response: Any, text: str) -> bytes | None:
    """The response's body when it is exactly ``text`` (its decoded text) encoded as UTF-8,
    else None: decoded as UTF-8 (Scrapy's encoding resolution), no BOM (Scrapy drops it from
    the text) and no U+FFFD in the text (then no byte was replaced: valid UTF-8 decodes one to
    one). The page then parses these bytes instead of re-encoding the text
    (:func:`newsspider.pages.base.page_selector`)."""
    body: bytes = response.body
    if body.startswith(codecs.BOM_UTF8) or "\ufffd" in text:
        return None
    try:
        encoding = codecs.lookup(response.encoding).name
    except LookupError:
        return None
    return body if encoding == "utf-8" else None


def check_article(parsed: ParsedArticle, crawled_at: str) -> None:
    """Worker side: what the crawling process would do to the Article before its pipelines
    decide, done here where the CPU is free (newsspider/pipelines/checks.py): the drift
    outcomes of the page as parsed, then :func:`check_item` with the state's content hash."""
    from newsspider.health.drift import article_outcomes

    if parsed.profile != "generic":
        parsed.outcomes = article_outcomes(parsed.article, parsed.profile_found or {})
    check_item(parsed.article, crawled_at, content_hash=True)


def run_in_worker(
    job: ArticleJob | ListingJob,
) -> tuple[ParsedArticle | ParsedListing, int, float, str | None]:
    """What the pool runs: the parsed page, this worker's pid and its CPU seconds so far (the
    crawl reports its workers' CPU apart from its own: ``newsspider/parse_pool/worker_cpu_s``)
    and, with ``job.hash_body``, the SHA-256 of the body (taken here, off the crawling
    process, which has no hash to compare a new page with: state/runtime.py)."""
    if isinstance(job, ListingJob):
        return parse_listing_job(job), os.getpid(), time.process_time(), None
    parsed = parse_article_job(job)
    from newsspider.state.runtime import body_hash

    digest = body_hash(job.body) if job.hash_body else None
    return parsed, os.getpid(), time.process_time(), digest


# --- worker process set-up -------------------------------------------------------------------

_PR_SET_PDEATHSIG = 1


def _die_with_parent(parent_pid: int | None) -> None:
    """Make this worker exit when its parent (the crawling process) is gone, however it ended.

    ``parent_pid``: the pid the parent had when it started the pool (None: whatever this
    process's parent is now, e.g. a forkserver, which itself exits with the crawl)."""
    if parent_pid is None:
        parent_pid = os.getppid()
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL)
        except (OSError, AttributeError):  # pragma: no cover - no libc prctl
            pass
    if os.getppid() != parent_pid:  # the parent died before prctl took effect
        os._exit(1)

    def watch() -> None:  # where prctl is missing; a cheap second line of defence on Linux
        while True:
            time.sleep(1.0)
            if os.getppid() != parent_pid:
                os._exit(1)

    threading.Thread(target=watch, name="parent-watchdog", daemon=True).start()


# the capacity the pool's pipes get (widen_pipes): a whole result (~130 KB: the Article and its
# three rendered export rows) and several jobs (~76 KB each) fit in one write
PIPE_BYTES = 1 << 20
_F_SETPIPE_SZ = getattr(fcntl, "F_SETPIPE_SZ", None) if fcntl else None


def widen_pipes(size: int = PIPE_BYTES) -> int:
    """Give every pipe this worker holds, besides its standard streams, ``size`` bytes of
    capacity (Linux ``F_SETPIPE_SZ``; at most ``/proc/sys/fs/pipe-max-size``); the number of
    pipes widened. Elsewhere, or where the kernel refuses, a no-op.

    A spawned worker inherits only the pool's connections: the job pipe it reads and the
    result pipe it writes (docs/benchmarks/log.md "Session 11 (lead): the pool's pipes"). With
    Linux's default 64 KB a ~130 KB result takes three writes, and the worker waits between
    them until the crawling process's reader thread gets the GIL from the busy reactor thread
    (up to the 5 ms switch interval each time): 2.0-2.6 s of a 2,000-article crawl blocked in
    ``send``, against 0.1-0.2 s with 1 MB pipes. Pipe capacity belongs to the pipe, so setting
    it from the worker's end widens the crawling process's end too."""
    if _F_SETPIPE_SZ is None:
        return 0
    try:
        size = min(size, int(Path("/proc/sys/fs/pipe-max-size").read_text()))
        fds = [int(name) for name in os.listdir("/proc/self/fd")]
    except (OSError, ValueError):
        return 0
    widened = 0
    for fd in fds:
        if fd <= 2:  # stdin/stdout/stderr: the crawl's, not the pool's
            continue
        try:
            if not stat.S_ISFIFO(os.fstat(fd).st_mode):
                continue
            if fcntl.fcntl(fd, _F_SETPIPE_SZ, size) >= size:
                widened += 1
        except OSError:  # closed meanwhile (listdir's own fd), or over the user's pipe quota
            continue
    return widened


def init_worker(parent_pid: int | None) -> None:
    """Worker initializer: signals, parent death, wide pipes, imports done before the first
    page."""
    # Ctrl-C reaches the whole process group: the crawl's first SIGINT is a graceful stop that
    # lets pages in flight finish, so their worker must not die of it (nor of a group SIGTERM)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    _die_with_parent(parent_pid)
    widen_pipes()
    import scrapy.http  # noqa: F401  (the response classes the jobs name)

    from newsspider.sites import profiles

    # not the generic layer (newsspider.extract, ~0.15 s of CPU per worker): it is imported
    # by its first use, a page whose profile misses a field; a profiled site never needs it

    profiles()  # every page object module, before the first page is timed


# --- the pool ----------------------------------------------------------------------------------


def is_auto(value: Any) -> bool:
    return value is None or str(value).strip().lower() in ("", "auto")


def _count(name: str, value: Any, what: str) -> int:
    """A setting that is a count (0 or more), or one ValueError line saying what to give."""
    try:
        count = int(str(value).strip())
    except ValueError:
        count = -1
    if count < 0:
        raise ValueError(f"{name}={value!r}: give {what}")
    return count


def resolve_after(value: Any) -> int:
    """NEWSSPIDER_PARSE_POOL_AFTER -> article pages parsed inline before ``auto``'s pool."""
    return _count(
        "NEWSSPIDER_PARSE_POOL_AFTER",
        value,
        "a number of article pages (0: the pool from the first page)",
    )


def resolve_workers(value: Any) -> int:
    """NEWSSPIDER_PARSE_WORKERS -> a number of worker processes (0: parse inline)."""
    if is_auto(value):
        cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else None
        cores = cores or os.cpu_count() or 1
        return max(0, min(cores - 1, AUTO_MAX_WORKERS))
    return _count(
        "NEWSSPIDER_PARSE_WORKERS",
        value,
        "a number of worker processes (0 parses in the crawling process) or 'auto'",
    )


CHECKED_BY = (
    "newsspider.pipelines.normalize.NormalizePipeline",
    "newsspider.pipelines.validate.ValidatePipeline",
)


def checks_in_worker(settings: Any) -> bool:
    """Do the workers normalize and validate (both pipelines are enabled in ITEM_PIPELINES)?
    A crawl that leaves either out gets the Article exactly as parsed, as when inline."""
    from scrapy.utils.conf import build_component_list
    from scrapy.utils.misc import load_object

    enabled = {
        load_object(path) if isinstance(path, str) else path
        for path in build_component_list(settings.getwithbase("ITEM_PIPELINES"))
    }
    return all(load_object(path) in enabled for path in CHECKED_BY)


class ParsePool:
    """The crawl's article parse pool (one per crawler; lazily started)."""

    def __init__(self, crawler: Any, workers: int, after: int = 0) -> None:
        self.crawler = crawler  # its stats exist from the crawl's start, not at from_crawler
        self.workers = workers
        self.after = after  # article pages parsed inline before the pool takes over
        self.inline = 0
        self.expected = 0  # article pages the spider knows of in all (expect())
        # workers run normalize/validate's functions too (both pipelines are on: checks_in_worker)
        self.check = False
        # workers take the body's SHA-256 when the crawl state is on (hash_bodies)
        self._hash_bodies: bool | None = None
        self.closed = False
        # ``auto``: pages are parsed inline until the first worker is up (ready())
        self.warm_up = False
        self._up = threading.Event()  # set from the executor's thread when the worker answers
        self._warming = False
        self._executor: ProcessPoolExecutor | None = None
        self._generation = 0  # bumped when a broken pool is replaced
        self._in_flight: dict[int, int] = {}  # generation -> pages handed to it, not yet back
        self._worker_cpu: dict[int, float] = {}  # worker pid -> its CPU seconds, last reported

    @classmethod
    def from_crawler(cls, crawler: Any) -> ParsePool:
        value = crawler.settings.get("NEWSSPIDER_PARSE_WORKERS", defaults.NEWSSPIDER_PARSE_WORKERS)
        after = 0
        if is_auto(value):  # an explicit number of workers: from the first article page
            after = resolve_after(
                crawler.settings.get(
                    "NEWSSPIDER_PARSE_POOL_AFTER", defaults.NEWSSPIDER_PARSE_POOL_AFTER
                )
            )
        pool = cls(crawler, resolve_workers(value), after)
        pool.warm_up = is_auto(value)
        pool.check = checks_in_worker(crawler.settings)
        from scrapy import signals

        crawler.signals.connect(pool.close, signal=signals.spider_closed)
        crawler.signals.connect(pool.close, signal=signals.engine_stopped)
        return pool

    @property
    def hash_bodies(self) -> bool:
        """Do workers take each article body's SHA-256 (the crawl state is on)? Asked of the
        run context, the one home of that decision (newsspider/run.py), on first use: it is
        built after the spider (and this pool) is."""
        if self._hash_bodies is None:
            from scrapy.exceptions import NotConfigured

            from newsspider.run import run_context

            try:
                self._hash_bodies = run_context(self.crawler).state is not None
            except NotConfigured:  # not a newsspider run: no state
                self._hash_bodies = False
        return self._hash_bodies

    @property
    def enabled(self) -> bool:
        """True when pages go to worker processes (False: parse inline)."""
        if self.workers <= 0 or self.closed:
            return False
        return self.inline >= self.after or self.expected >= self.after

    def ready(self) -> bool:
        """Do pages go to worker processes now (False: parse inline)? :attr:`enabled`, except
        that an ``auto`` pool, the first time it is enabled, starts its workers and answers
        False until the first one is up: a spawned worker takes ~0.5 s to import what it
        parses with, which the crawling process would otherwise spend waiting for it (the
        downloads stop once ~5 MB of responses wait for the pool: Scrapy's
        ``SCRAPER_SLOT_MAX_ACTIVE_SIZE``), so it parses those pages itself
        (docs/benchmarks/log.md "Session 11 (lead)"). An explicit number of workers takes every
        page from the first, as before."""
        if not self.enabled:
            return False
        if self.warm_up and not self._up.is_set():
            self._start_warm_up()
            return False
        return True

    def _start_warm_up(self) -> None:
        """Start the workers now, and set :attr:`_up` when the first has answered (once)."""
        if self._warming:
            return
        self._warming = True
        try:
            future, _ = self._submit(os.getpid)
        except WorkerCrashed:  # the pages' own submits report it
            self._up.set()
            return
        future.add_done_callback(lambda _: self._up.set())

    def expect(self, pages: int) -> None:
        """The spider knows of ``pages`` article pages in this crawl (the site spider: the
        articles its channels found so far): a crawl known to reach ``after`` article pages
        takes the pool then, instead of parsing ``after`` pages inline first (the threshold
        only spares a *small* crawl the worker's start-up; a large site shows its size within
        its first listing pages or its sitemap)."""
        self.expected = pages

    def count_inline(self) -> None:
        self.inline += 1
        self.crawler.stats.inc_value(f"{STAT}/inline_pages")

    def count_inline_listing(self) -> None:
        """A listing page parsed inline (not an article page: the threshold is articles')."""
        self.crawler.stats.inc_value(f"{STAT}/inline_listing_pages")

    def _start(self) -> ProcessPoolExecutor:
        context = multiprocessing.get_context(START_METHOD)
        executor = ProcessPoolExecutor(
            max_workers=self.workers,
            mp_context=context,
            initializer=init_worker,
            initargs=(os.getpid(),),
        )
        self.crawler.stats.set_value(f"{STAT}/workers", self.workers)
        logger.debug("Parse pool started: %d %s worker(s)", self.workers, START_METHOD)
        return executor

    def _submit(self, call: Any, *args: Any) -> tuple[Any, int]:
        """``call(*args)`` in a worker, the pool started if need be: (its future, the pool's
        generation); WorkerCrashed if the pool broke and its replacement did too."""
        for _ in range(2):
            if self._executor is None:
                self._executor = self._start()
            try:
                return self._executor.submit(call, *args), self._generation
            except BrokenProcessPool:  # broke before its pages reported it: replace, resubmit
                self._replace(self._generation)
        raise WorkerCrashed("the parse pool could not be restarted")

    async def _run(self, job: ArticleJob | ListingJob) -> tuple[Any, str | None]:
        """Run one job in a worker: (its result, the body's digest if asked); WorkerCrashed
        if the worker died meanwhile."""
        future, generation = self._submit(run_in_worker, job)
        self._in_flight[generation] = self._in_flight.get(generation, 0) + 1
        try:
            parsed, pid, cpu_s, digest = await asyncio.wrap_future(future)
        except BrokenProcessPool as exc:
            self._replace(generation)
            raise WorkerCrashed(str(exc)) from exc
        finally:
            self._in_flight[generation] -= 1
        self._worker_cpu[pid] = cpu_s
        return parsed, digest

    async def parse(self, job: ArticleJob) -> ParsedArticle:
        """Parse one article page in a worker; WorkerCrashed if the worker died meanwhile."""
        try:
            parsed, digest = await self._run(job)
        except WorkerCrashed:
            self.crawler.stats.inc_value(f"{STAT}/crashed_pages")
            raise
        if digest is not None:
            from newsspider.state.runtime import attach_body_hash

            attach_body_hash(parsed.article, job.body, digest)
        self.crawler.stats.inc_value(f"{STAT}/pages")
        return parsed  # type: ignore[no-any-return]

    async def parse_listing(self, job: ListingJob) -> ParsedListing:
        """Parse one listing page in a worker. A worker that died meanwhile (most likely of
        another page it held) costs a second try in the new pool, not the listing's next
        pages: ``newsspider/parse_pool/listing_retries``; WorkerCrashed if that dies too."""
        try:
            parsed, _ = await self._run(job)
        except WorkerCrashed:
            self.crawler.stats.inc_value(f"{STAT}/listing_retries")
            try:
                parsed, _ = await self._run(job)
            except WorkerCrashed:
                self.crawler.stats.inc_value(f"{STAT}/crashed_pages")
                raise
        self.crawler.stats.inc_value(f"{STAT}/listing_pages")
        return parsed  # type: ignore[no-any-return]

    def _replace(self, generation: int) -> None:
        """Drop a broken pool once (every page it held reports the same break)."""
        if generation != self._generation:
            return
        pages = self._in_flight.get(generation, 0)
        self._generation += 1
        broken, self._executor = self._executor, None
        if broken is not None:
            broken.shutdown(wait=False, cancel_futures=True)
        self.crawler.stats.inc_value(f"{STAT}/worker_restarts")
        logger.warning(
            "A parse worker died with %d page(s) in hand: each article page is a Reject row (%s),"
            " each listing page is parsed once more, and a new pool parses the next pages; if"
            " it repeats, rerun with"
            " -s NEWSSPIDER_PARSE_WORKERS=0 to see the page's error",
            pages,
            CRASH_REASON,
        )

    def close(self) -> None:
        """Shut the workers down (spider_closed / engine_stopped); idempotent."""
        self.closed = True
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)
            logger.debug("Parse pool shut down")
        if self._worker_cpu:
            # start-up included; the crawl's own CPU is the rest (benchmarks/throughput.py)
            cpu = round(sum(self._worker_cpu.values()), 2)
            self.crawler.stats.set_value(f"{STAT}/worker_cpu_s", cpu)
