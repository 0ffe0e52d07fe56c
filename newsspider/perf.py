"""Engine tuning of a crawl: Python's garbage collector, and the settings shared with benchmarks.

A crawl allocates many short-lived container objects per response (requests, responses,
selectors, items, Deferreds), and CPython's generation-0 collection runs every 2,000 net
allocations by default: thousands of collections per run, each walking the objects that
survived start-up (Scrapy, Twisted, lxml, the settings). :class:`GcTuning` (an extension,
``EXTENSIONS`` in settings.py) raises the thresholds when the crawler is built
(``NEWSSPIDER_GC_THRESHOLD``) and moves every object that exists once the engine has started
into the permanent generation (``gc.freeze()``, ``NEWSSPIDER_GC_FREEZE``), so collections only
walk what the crawl itself made. Reference counting still frees everything that is not in a
cycle at once; only cyclic garbage waits a little longer.

:class:`DebugLogGate` (an extension too) stops DEBUG records from being built at all when no
log handler would show them: Scrapy sets the root logger to NOTSET and its ``scrapy`` logger
to DEBUG and filters by level in its handler, so every "Scraped from <200 …>" and "Crawled
(200)" DEBUG line (two per article page) was a full ``LogRecord`` (caller lookup, handler
calls) thrown away at the handler.

:data:`ENGINE_SETTINGS` names the settings that decide how fast Scrapy's own engine runs,
independent of what the project does per page; ``benchmarks/bare_spider.py --tuned`` applies
exactly these (and the extensions in :data:`ENGINE_EXTENSIONS`) to a bare fetch, so the
throughput benchmark compares the full crawl with a bare fetch like for like.

:class:`FastStatsCollector` (``STATS_CLASS``) is Scrapy's ``MemoryStatsCollector`` without
the ``__getattribute__`` hook Scrapy 2.13+ puts on every stats collector to warn about a
``spider=`` argument: that hook runs an f-string and a failed attribute lookup for *every*
attribute read, ``self._stats`` inside ``inc_value`` included, and a crawl makes tens of
stats calls per page (issue 14: ~3% of the crawling process in a py-spy profile). The methods
and the stats are the same; a ``spider=`` argument is accepted and ignored without the warning.

:class:`SpiderModuleLoader` (``SPIDER_LOADER_CLASS``) loads only the spider a crawl runs:
Scrapy's loader imports every module under ``SPIDER_MODULES`` when the crawler process is
built, so ``scrapy crawl frontpage`` also compiled and ran the ``site`` spider with its
discovery channels and the ``article`` spider.
"""

from __future__ import annotations

import asyncio
import ctypes
import gc
import importlib
import importlib.util
import inspect
import logging
from collections.abc import Callable, Sequence
from functools import partial
from typing import Any

from pydispatch import dispatcher
from pydispatch.dispatcher import getAllReceivers, liveReceivers
from pydispatch.robustapply import robustApply
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.logformatter import LogFormatter, LogFormatterResult
from scrapy.signalmanager import SignalManager
from scrapy.spiderloader import SpiderLoader
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.asyncio import is_asyncio_available
from scrapy.utils.defer import ensure_awaitable
from scrapy.utils.python import global_object_name
from scrapy.utils.spider import iter_spider_classes
from twisted.internet.defer import Deferred

from newsspider import settings as defaults

logger = logging.getLogger(__name__)

ENGINE_SETTINGS: tuple[str, ...] = (
    "CONCURRENT_ITEMS",
    "STATS_CLASS",
    "TWISTED_REACTOR",
    "ASYNCIO_EVENT_LOOP",
    "NEWSSPIDER_GC_THRESHOLD",
    "NEWSSPIDER_GC_FREEZE",
)
# the extensions of the same kind: they speed up any spider's engine, not our pipelines
ENGINE_EXTENSIONS: tuple[str, ...] = (
    "newsspider.perf.GcTuning",
    "newsspider.perf.DebugLogGate",
    "newsspider.perf.QuietSignalsExtension",
)


class GcTuning:
    """Raise the GC thresholds at start-up and freeze the start-up objects (see module doc)."""

    def __init__(self, threshold: tuple[int, ...], freeze: bool) -> None:
        self.threshold = threshold
        self.freeze = freeze

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> GcTuning:
        settings = crawler.settings
        raw = settings.getlist("NEWSSPIDER_GC_THRESHOLD")
        freeze = settings.getbool("NEWSSPIDER_GC_FREEZE")
        if not raw and not freeze:
            raise NotConfigured("GC tuning is off")
        try:
            threshold = tuple(int(value) for value in raw)
            if len(threshold) not in (0, 3) or any(value < 0 for value in threshold):
                raise ValueError
        except ValueError:
            raise NotConfigured(
                f"NEWSSPIDER_GC_THRESHOLD={raw!r} is not three non-negative integers (e.g."
                " [50000, 20, 100]); GC tuning is off"
            ) from None
        tuning = cls(threshold, freeze)
        tuning.apply_threshold()
        crawler.signals.connect(tuning.engine_started, signal=signals.engine_started)
        crawler.signals.connect(tuning.engine_stopped, signal=signals.engine_stopped)
        return tuning

    def apply_threshold(self) -> None:
        if self.threshold:
            gc.set_threshold(*self.threshold)

    def engine_started(self) -> None:
        if self.freeze:
            # what start-up left as garbage in the young generations goes now, not into the
            # frozen heap; not a full collection: it walked every start-up object (~29 M
            # instructions per crawl) to free ~10 (an unchanged recrawl, docs/benchmarks/log.md
            # "Session 6 (perf-startup)")
            gc.collect(1)
            gc.freeze()
            logger.debug("GC: %d start-up objects frozen", gc.get_freeze_count())

    def engine_stopped(self, *args: Any) -> None:
        if self.freeze:
            gc.unfreeze()  # a second crawl in this process starts from a normal heap


M_ARENA_MAX = -8  # glibc's mallopt() parameter number (malloc.h)


def limit_malloc_arenas(arenas: int) -> bool:
    """Let glibc's malloc use at most ``arenas`` arenas in this process from now on (threads
    that have not allocated yet); False where there is no glibc ``mallopt`` (musl, macOS,
    Windows) or it refused."""
    try:
        mallopt = ctypes.CDLL(None).mallopt
    except (OSError, AttributeError):
        return False
    mallopt.argtypes = [ctypes.c_int, ctypes.c_int]
    mallopt.restype = ctypes.c_int
    return bool(mallopt(M_ARENA_MAX, arenas))


class MallocArenas:
    """At most N glibc malloc arenas for the crawling process (``NEWSSPIDER_MALLOC_ARENAS``).

    glibc gives each thread that allocates its own arena (up to 8 per core): the crawling
    process's threads (the parse pool's feeder and result threads, Twisted's thread pool)
    get theirs, and one of them (the pool's results are unpickled on its result thread, and
    freed on the main one) grows to ~10 MB, nearly all of it free but resident, by 50,000
    articles, while the memory in use stays flat (issue 14, docs/benchmarks/log.md "Session 11
    (mem50k)"). With one arena the crawl phase's anonymous memory stays flat; session 10 kept
    it off because the 50,000 run's peak was then set by its end of run, whose transient
    session 11 removed. Set when the crawler is built, before the crawl starts any thread.
    0: glibc's default. The default is 1.
    """

    def __init__(self, arenas: int) -> None:
        self.arenas = arenas

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MallocArenas:
        arenas = crawler.settings.getint(
            "NEWSSPIDER_MALLOC_ARENAS", defaults.NEWSSPIDER_MALLOC_ARENAS
        )
        if arenas <= 0:
            raise NotConfigured("NEWSSPIDER_MALLOC_ARENAS is 0: glibc's default arenas")
        if not limit_malloc_arenas(arenas):
            raise NotConfigured("no glibc mallopt here: the C library's default arenas")
        return cls(arenas)


class FastStatsCollector(MemoryStatsCollector):  # type: ignore[misc]
    """``MemoryStatsCollector`` with plain attribute access (see module doc)."""

    __getattribute__ = object.__getattribute__


# the loggers Scrapy logs these messages with (scrapy/core/engine.py, scrapy/core/scraper.py)
_ENGINE_LOG = logging.getLogger("scrapy.core.engine")
_SCRAPER_LOG = logging.getLogger("scrapy.core.scraper")


class GatedLogFormatter(LogFormatter):  # type: ignore[misc]
    """Scrapy's ``LOG_FORMATTER``, but the per-page "Crawled (200)" and per-item "Scraped
    from" messages (DEBUG) are not built when their logger would not log them: Scrapy asks
    for the message's parts (the referer, the flags, a dict of arguments) before its logger
    decides, once per response and once per item (issue 14, per-item logging). Returning
    None is Scrapy's own way to log nothing; with ``LOG_LEVEL=DEBUG`` (or a test's capture)
    the messages are Scrapy's, unchanged."""

    def crawled(  # type: ignore[override]  # None: Scrapy logs nothing (its engine checks)
        self, request: Any, response: Any, spider: Any
    ) -> LogFormatterResult | None:
        if not _ENGINE_LOG.isEnabledFor(logging.DEBUG):
            return None
        result: LogFormatterResult = super().crawled(request, response, spider)
        return result

    def scraped(  # type: ignore[override]  # None: Scrapy logs nothing (its scraper checks)
        self, item: Any, response: Any, spider: Any
    ) -> LogFormatterResult | None:
        if not _SCRAPER_LOG.isEnabledFor(logging.DEBUG):
            return None
        result: LogFormatterResult = super().scraped(item, response, spider)
        return result


class DebugLogGate:
    """Raise the root logger's and the ``scrapy`` logger's level (Scrapy sets the latter to
    DEBUG) to the lowest level of their handlers while the engine runs, so records no handler
    emits are never built (see module doc).

    Does nothing when a handler takes every level (``LOG_LEVEL=DEBUG``, a test's log capture);
    a logger whose own level is already higher is left alone; the previous levels come back
    when the engine stops. Handlers see exactly the records they saw before: only records
    below every handler's level are skipped, and Scrapy's ``log_count/<LEVEL>`` counter is
    such a handler.
    """

    LOGGERS = ("", "scrapy")  # the root logger and the one Scrapy opens to DEBUG

    def __init__(self) -> None:
        self.previous: dict[str, int] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DebugLogGate:
        gate = cls()
        # Scrapy installs its root handler after the extensions are built: decide at start
        crawler.signals.connect(gate.engine_started, signal=signals.engine_started)
        crawler.signals.connect(gate.engine_stopped, signal=signals.engine_stopped)
        return gate

    def engine_started(self) -> None:
        loggers = {name: logging.getLogger(name) for name in self.LOGGERS}
        levels = [handler.level for log in loggers.values() for handler in log.handlers]
        if not levels or min(levels) <= logging.DEBUG:
            return
        lowest = min(levels)
        for name, log in loggers.items():
            if log.level < lowest:
                self.previous[name] = log.level
                log.setLevel(lowest)

    def engine_stopped(self, *args: Any) -> None:
        for name, level in self.previous.items():
            logging.getLogger(name).setLevel(level)
        self.previous.clear()


class QuietSignals(SignalManager):  # type: ignore[misc]
    """Scrapy's ``SignalManager``, but a signal no receiver listens to returns at once.

    Scrapy sends ~10 signals per page (request scheduled, reached and left the downloader,
    headers received, each body chunk received, response downloaded and received, item
    scraped) whether or not anything listens; each send walks pydispatch's four receiver
    tables through a generator and Scrapy's wrapper (~3-7 us, issue 14). Here the tables are
    looked at directly first: with no receiver for the signal (nor for every signal) from
    this sender or from any sender, the answer is the empty list Scrapy would return (its
    async send awaits nothing either). Any receiver: Scrapy's own synchronous send, and for
    the asynchronous one :func:`send_catch_log_inline` (Scrapy's, without an asyncio task per
    receiver while the receivers answer at once: ``item_scraped``, sent this way for every
    item, has one receiver, the shared one of newsspider/receivers.py)."""

    def send_catch_log(self, signal: Any, **kwargs: Any) -> list[tuple[Any, Any]]:
        if not _listened(kwargs.get("sender", self.sender), signal):
            return []
        result: list[tuple[Any, Any]] = super().send_catch_log(signal, **kwargs)
        return result

    async def send_catch_log_async(self, signal: Any, **kwargs: Any) -> list[tuple[Any, Any]]:
        if not _listened(kwargs.get("sender", self.sender), signal):
            return []
        if not is_asyncio_available():  # Twisted's own reactor: Scrapy's Deferred path
            result: list[tuple[Any, Any]] = await super().send_catch_log_async(signal, **kwargs)
            return result
        kwargs.setdefault("sender", self.sender)
        return await send_catch_log_inline(signal, **kwargs)


# Scrapy's signal module logs a receiver's error under its own name: the same records here
_SIGNAL_LOG = logging.getLogger("scrapy.utils.signal")


async def send_catch_log_inline(
    signal: Any, sender: Any, *arguments: Any, **named: Any
) -> list[tuple[Any, Any]]:
    """Scrapy's ``send_catch_log_async`` under asyncio (``scrapy.utils.signal``), receivers
    called one after another at once while each answers with a plain value, instead of one
    asyncio task per receiver, gathered: the same receivers in the same order, the same
    arguments, results and error lines. From the first receiver that answers with an
    awaitable (a coroutine, a Deferred) on, Scrapy's way: that answer and the receivers after
    it in tasks, gathered, as Scrapy runs every receiver. (One synchronous receiver: 35 -> 9 us
    per send, docs/benchmarks/log.md "Session 10 (perf-cpu)".)"""
    dont_log = named.pop("dont_log", ())
    dont_log = tuple(dont_log) if isinstance(dont_log, Sequence) else (dont_log,)
    spider = named.get("spider")
    receivers = list(liveReceivers(getAllReceivers(sender, signal)))
    results: list[tuple[Any, Any]] = []
    for index, receiver in enumerate(receivers):
        try:
            answer = robustApply(receiver, *arguments, signal=signal, sender=sender, **named)
        except dont_log as exc:  # pylint: disable=catching-non-exception
            answer = exc
        except Exception as exc:
            _log_receiver_error(receiver, spider)
            answer = exc
        else:
            if isinstance(answer, Deferred) or inspect.isawaitable(answer):
                # Scrapy's way from here on: a task for this answer, then one for each
                # receiver after it, called only when its task runs
                tasks = [_receiver_task(receiver, partial(_given, answer), dont_log, spider)]
                for later in receivers[index + 1 :]:
                    call = partial(
                        robustApply, later, *arguments, signal=signal, sender=sender, **named
                    )
                    tasks.append(_receiver_task(later, call, dont_log, spider))
                # as Scrapy's gather: a BaseException a task let out is returned as a result
                gathered: list[Any] = await asyncio.gather(*tasks, return_exceptions=True)
                return [*results, *gathered]
        results.append((receiver, answer))
    return results


async def _receiver_task(
    receiver: Any, call: Callable[[], Any], dont_log: tuple[type[BaseException], ...], spider: Any
) -> tuple[Any, Any]:
    """Scrapy's per-receiver ``handler`` (scrapy/utils/signal.py), the call given apart."""
    result: Any
    try:
        result = await ensure_awaitable(call(), _warn=global_object_name(receiver))
    except dont_log as exc:  # pylint: disable=catching-non-exception
        result = exc
    except Exception as exc:
        _log_receiver_error(receiver, spider)
        result = exc
    return (receiver, result)


def _given(value: Any) -> Any:
    return value


def _log_receiver_error(receiver: Any, spider: Any) -> None:
    _SIGNAL_LOG.error(
        "Error caught on signal handler: %(receiver)s",
        {"receiver": receiver},
        exc_info=True,
        extra={"spider": spider},
    )


def _listened(sender: Any, signal: Any) -> bool:
    """Could pydispatch's ``getAllReceivers(sender, signal)`` give any receiver? (False only
    when none of the four tables it reads holds one; dead weak references count as some.)"""
    for key in (id(sender), _ANY_KEY):
        table = _CONNECTIONS.get(key)
        if table and (table.get(signal) or table.get(_ANY)):
            return True
    return False


class QuietSignalsExtension:
    """Puts :class:`QuietSignals` in place of the crawler's ``SignalManager`` (the same object,
    its class swapped: every component already holding it gets the fast path; a crawler with
    a manager of another class is left alone)."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> QuietSignalsExtension:
        if type(crawler.signals) is SignalManager:
            crawler.signals.__class__ = QuietSignals
        return cls()


# pydispatch's receiver tables (the module's own dict, changed in place by connect/disconnect)
_CONNECTIONS: dict[int, dict[Any, list[Any]]] = dispatcher.connections
_ANY = dispatcher.Any
_ANY_KEY = id(dispatcher.Any)


class SpiderModuleLoader(SpiderLoader):  # type: ignore[misc]
    """Scrapy's spider loader, which imports only the module named after the spider asked for.

    Every spider of this project lives in the module of its name (``frontpage`` in
    ``newsspider/spiders/frontpage.py``; ``tests/test_perf.py`` checks it against Scrapy's
    full walk), so :meth:`load` imports that module alone: an unchanged recrawl of a front
    page no longer compiles and runs ``spiders/site.py``, ``discovery.py`` and
    ``spiders/article.py`` (four of the 60 project modules it imported). A name without
    such a module, :meth:`list` (``scrapy list``, Scrapyd) and :meth:`find_by_request`
    (``scrapy parse``/``fetch``/``shell`` with a URL) walk every module first, as Scrapy's
    loader does when it is built, with its duplicate-name warning and
    ``SPIDER_LOADER_WARN_ONLY``.
    """

    def _load_all_spiders(self) -> None:
        self._walked = False  # Scrapy's __init__ walks here; deferred to _walk()

    def _walk(self) -> None:
        if not self._walked:
            self._walked = True
            super()._load_all_spiders()

    def _load_named(self, spider_name: str) -> None:
        """The spider from ``<spider module>.<spider_name>``, if that module defines it."""
        for package in self.spider_modules:
            module_name = f"{package}.{spider_name}"
            try:
                found = importlib.util.find_spec(module_name)
            except (ImportError, ValueError):  # no such package; a name that is not a module
                found = None
            if found is None:
                continue
            for spidercls in iter_spider_classes(importlib.import_module(module_name)):
                if spidercls.name == spider_name:
                    self._spiders[spider_name] = spidercls
                    return

    def load(self, spider_name: str) -> type[Any]:
        if not self._walked and spider_name not in self._spiders:
            if spider_name.isidentifier():
                self._load_named(spider_name)
            if spider_name not in self._spiders:
                self._walk()
        return super().load(spider_name)  # type: ignore[no-any-return]

    def find_by_request(self, request: Any) -> list[str]:
        self._walk()
        return super().find_by_request(request)  # type: ignore[no-any-return]

    def list(self) -> list[str]:
        self._walk()
        return super().list()  # type: ignore[no-any-return]
