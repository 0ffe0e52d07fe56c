"""Engine tuning (newsspider/perf.py), stable JSON (newsspider/stablejson.py), delay server."""

from __future__ import annotations

import gc
import hashlib
import json
import sys
import time
import urllib.error
import urllib.request
import warnings
import weakref
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from newsspider import settings as project_settings
from newsspider.perf import (
    ENGINE_SETTINGS,
    FastStatsCollector,
    GcTuning,
    MallocArenas,
    SpiderModuleLoader,
)
from newsspider.stablejson import dumps_sorted
from tests.conftest import run_python

FIXTURES = Path(__file__).resolve().parent / "fixtures"

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
import delay_server  # noqa: E402  (benchmarks/, on the path above)


@pytest.fixture
def restore_gc() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_gc_tuning_sets_thresholds_and_freezes_after_start(restore_gc: None) -> None:
    crawler = get_crawler(
        settings_dict={"NEWSSPIDER_GC_THRESHOLD": [12345, 11, 7], "NEWSSPIDER_GC_FREEZE": True}
    )
    tuning = GcTuning.from_crawler(crawler)
    assert gc.get_threshold() == (12345, 11, 7)
    assert gc.get_freeze_count() == 0
    tuning.engine_started()
    assert gc.get_freeze_count() > 1000  # the interpreter's own objects at least
    tuning.engine_stopped()
    assert gc.get_freeze_count() == 0


class _Node:
    """A reference cycle: only the garbage collector frees it."""

    def __init__(self) -> None:
        self.me = self


def test_gc_tuning_collects_young_garbage_before_freezing_but_not_the_old(
    restore_gc: None,
) -> None:
    # the engine starts once per crawl: a full collection there walked every start-up object
    # to free a handful, so only the young generations are collected before freezing
    tuning = GcTuning.from_crawler(
        get_crawler(settings_dict={"NEWSSPIDER_GC_THRESHOLD": [], "NEWSSPIDER_GC_FREEZE": True})
    )
    old = _Node()
    gc.collect()  # a survivor of a full collection: in the oldest generation now
    old_ref = weakref.ref(old)
    del old
    young_ref = weakref.ref(_Node())
    tuning.engine_started()
    assert young_ref() is None  # start-up garbage of the young generations: freed
    assert old_ref() is not None  # in the oldest generation: frozen with the start-up objects
    tuning.engine_stopped()
    gc.collect()
    assert old_ref() is None  # unfrozen at the end, collected as usual


def test_gc_tuning_is_off_without_settings(restore_gc: None) -> None:
    crawler = get_crawler(
        settings_dict={"NEWSSPIDER_GC_THRESHOLD": [], "NEWSSPIDER_GC_FREEZE": False}
    )
    with pytest.raises(NotConfigured):
        GcTuning.from_crawler(crawler)


@pytest.mark.parametrize("bad", [[1, 2], ["many", 1, 1], [-1, 10, 10]])
def test_gc_tuning_refuses_a_bad_threshold_in_one_line(restore_gc: None, bad: Any) -> None:
    before = gc.get_threshold()
    crawler = get_crawler(settings_dict={"NEWSSPIDER_GC_THRESHOLD": bad})
    with pytest.raises(NotConfigured, match=r"NEWSSPIDER_GC_THRESHOLD=.*three non-negative"):
        GcTuning.from_crawler(crawler)
    assert gc.get_threshold() == before


def test_engine_settings_are_project_settings_the_bare_fetch_can_copy() -> None:
    declared = [name for name in ENGINE_SETTINGS if hasattr(project_settings, name)]
    assert "CONCURRENT_ITEMS" in declared
    assert "newsspider.perf.GcTuning" in project_settings.EXTENSIONS


def test_fast_stats_collector_keeps_the_same_stats_as_scrapys() -> None:
    """The project's STATS_CLASS: the same values as MemoryStatsCollector for the same calls,
    a ``spider=`` argument accepted, and what the crawler of the project settings uses."""
    from scrapy.statscollectors import MemoryStatsCollector
    from scrapy.utils.project import get_project_settings

    results = []
    for cls in (MemoryStatsCollector, FastStatsCollector):
        stats = cls(get_crawler())
        stats.open_spider()
        stats.inc_value("pages")
        stats.inc_value("pages", 2)
        stats.inc_value("bytes", 10, start=5)
        stats.set_value("name", "site")
        stats.max_value("peak", 3)
        stats.max_value("peak", 2)
        stats.min_value("low", 3)
        stats.min_value("low", 1)
        with warnings.catch_warnings():  # Scrapy's deprecation warning; ours has none
            warnings.simplefilter("ignore")
            stats.inc_value("pages", spider=None)
        results.append((dict(stats.get_stats()), stats.get_value("pages"), stats.get_value("x", 0)))
    assert results[0] == results[1]
    assert results[1][0] == {"pages": 4, "bytes": 15, "name": "site", "peak": 3, "low": 1}
    assert "STATS_CLASS" in ENGINE_SETTINGS  # the bare_tuned fetch uses it too
    assert get_project_settings()["STATS_CLASS"] == "newsspider.perf.FastStatsCollector"
    crawler = get_crawler(settings_dict={"STATS_CLASS": project_settings.STATS_CLASS})
    assert isinstance(crawler.stats, FastStatsCollector)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("delay-site")
    (root / "news").mkdir()
    (root / "news" / "index.html").write_text("<p>listing</p>", encoding="utf-8")
    (root / "robots.txt").write_text("User-agent: *\n", encoding="utf-8")
    (root.parent / "secret.txt").write_text("outside", encoding="utf-8")
    return root


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, resp.read(), resp.headers["Content-Type"]
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers["Content-Type"]


def test_delay_server_waits_serves_files_and_reports_its_cpu(site: Path) -> None:
    stats: dict[str, Any] = {}
    with delay_server.serve(site, 150, stats) as url:
        assert url.startswith("http://127.0.0.1:")
        started = time.monotonic()
        status, body, ctype = fetch(url + "news/")
        waited = time.monotonic() - started
        assert (status, body, ctype) == (200, b"<p>listing</p>", "text/html")
        assert waited >= 0.15
        assert fetch(url + "robots.txt")[:2] == (200, b"User-agent: *\n")
        assert fetch(url + "missing.html")[0] == 404
        assert fetch(url + "../secret.txt")[0] == 404
        assert fetch(url + "%2e%2e/secret.txt")[0] == 404
    assert stats["wall_s"] > 0.4 and 0 < stats["cpu_s"] < stats["wall_s"]
    assert 0 < stats["busy"] < 1  # CPU seconds per wall second: far from one core


# --------------------------------------------------------------------------- dumps_sorted

SCALARS = st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=False)
VALUES = SCALARS | st.lists(SCALARS, max_size=4) | st.tuples(SCALARS, SCALARS)


def json_bytes(data: Any) -> bytes:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode("utf-8")


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(), VALUES, max_size=8) | VALUES)
def test_dumps_sorted_gives_json_bytes_or_raises_as_json_does(data: Any) -> None:
    try:
        expected: bytes | type[Exception] = json_bytes(data)
    except (TypeError, ValueError) as exc:  # lone surrogates: UnicodeEncodeError
        expected = type(exc)
    if isinstance(expected, bytes):
        assert dumps_sorted(data) == expected
    else:
        with pytest.raises(expected):
            dumps_sorted(data)


def test_dumps_sorted_is_json_for_what_orjson_writes_differently() -> None:
    for data in (
        {"big": 2**70, "text": "x"},
        {"float": 1e16, "nested": {"b": 1, "a": [1.5]}},
        {"when": "2026-02-21T23:50:00Z", "control": "\x00\x1f\x7f\u2028", "emoji": "\U0001f4f0"},
        {1: "int key"},
    ):
        assert dumps_sorted(data) == json_bytes(data)
    with pytest.raises(TypeError):
        dumps_sorted({"when": datetime(2026, 2, 21, tzinfo=UTC)})  # as json.dumps raises


def test_content_hash_of_real_articles_is_unchanged() -> None:
    from newsspider.pages.news1global import PROFILE
    from newsspider.state.runtime import article_content, stable_hash

    bodies = 0
    demo = Path(__file__).resolve().parent.parent / "newsspider" / "demo_site"
    for path in sorted(demo.glob("*/article/*.html"))[:12]:
        html = path.read_text(encoding="utf-8")
        page = PROFILE.article_page(f"https://www.news1global.com/news/{path.name}", html)
        content = article_content(page.article())
        bodies += bool(content["body"])
        assert stable_hash(content) == hashlib.sha256(json_bytes(content)).hexdigest()
    assert bodies >= 3


def test_the_crawl_runs_on_uvloops_event_loop() -> None:
    """ASYNCIO_EVENT_LOOP: Scrapy installs the asyncio reactor on uvloop's loop (a process of
    its own: a reactor can be installed once per process), and the bare_tuned fetch uses it."""
    assert "ASYNCIO_EVENT_LOOP" in ENGINE_SETTINGS
    code = (
        "import asyncio\n"
        "from scrapy.utils.project import get_project_settings\n"
        "from scrapy.utils.reactor import install_reactor\n"
        "s = get_project_settings()\n"
        "install_reactor(s['TWISTED_REACTOR'], s['ASYNCIO_EVENT_LOOP'])\n"
        "from twisted.internet import reactor\n"
        "loop = reactor._asyncioEventloop\n"
        "print(type(loop).__module__, type(loop).__name__)\n"
    )
    out = run_python(code).split()
    assert out == ["uvloop", "Loop"]


def test_quiet_signals_answer_as_scrapys_signal_manager() -> None:
    """QuietSignals skips only sends nobody listens to: each way a receiver can be connected
    (this signal or every signal, from this sender or from any) still gets the signal, with
    Scrapy's results, sync and async."""
    import asyncio

    from pydispatch import dispatcher
    from scrapy import signals as scrapy_signals
    from scrapy.signalmanager import SignalManager

    from newsspider.perf import QuietSignals, QuietSignalsExtension

    crawler = get_crawler()
    assert type(crawler.signals) is SignalManager
    QuietSignalsExtension.from_crawler(crawler)
    manager = crawler.signals
    assert type(manager) is QuietSignals
    signal = object()
    calls: list[str] = []

    def receiver(**kwargs: Any) -> str:
        calls.append("called")
        return "answer"

    def send_both() -> tuple[list[Any], list[Any]]:
        sync = manager.send_catch_log(signal, value=1)
        async_ = asyncio.run(manager.send_catch_log_async(signal, value=1))
        return sync, async_

    assert send_both() == ([], []) and calls == []
    for connect, disconnect in (
        (
            lambda: manager.connect(receiver, signal=signal),
            lambda: manager.disconnect(receiver, signal=signal),
        ),
        (
            lambda: dispatcher.connect(receiver, signal=dispatcher.Any, sender=manager.sender),
            lambda: dispatcher.disconnect(receiver, signal=dispatcher.Any, sender=manager.sender),
        ),
        (
            lambda: dispatcher.connect(receiver, signal=signal, sender=dispatcher.Any),
            lambda: dispatcher.disconnect(receiver, signal=signal, sender=dispatcher.Any),
        ),
    ):
        connect()
        sync, async_ = send_both()
        assert sync == [(receiver, "answer")] and async_ == [(receiver, "answer")]
        assert calls == ["called", "called"]
        calls.clear()
        disconnect()
        assert send_both() == ([], []) and calls == []
    # another crawler's receivers are not this one's
    other = get_crawler()
    other.signals.connect(receiver, signal=scrapy_signals.bytes_received)
    assert manager.send_catch_log(scrapy_signals.bytes_received, data=b"") == []
    assert calls == []


def test_the_project_crawler_sends_signals_through_quiet_signals() -> None:
    from newsspider.perf import QuietSignals

    assert "newsspider.perf.QuietSignalsExtension" in project_settings.EXTENSIONS
    crawler = get_crawler(
        settings_dict={"EXTENSIONS": {"newsspider.perf.QuietSignalsExtension": 0}}
    )
    crawler._apply_settings()
    assert type(crawler.signals) is QuietSignals


def test_crawl_phase_ab_reports_both_processes_cpu_per_page() -> None:
    """Issue 14's crawl-phase CPU is the crawling process's and its parse workers': the A/B
    reports each per response and their sum (the workers' from their own stat)."""
    import crawl_phase_ab

    run = {
        "responses": 2000,
        "main_crawl_cpu_ms_per_page": 6.25,
        "main_cpu_ms_per_page": 9.5,
        "pages_per_s": 120.0,
        "parse_pool": {"pages": 1984, "worker_cpu_s": 11.5},
    }
    found = crawl_phase_ab.figures(run)
    assert found == {
        "crawl_phase_ms": 6.25,
        "worker_ms": 5.75,
        "both_ms": 12.0,
        "main_ms": 9.5,
        "pages_per_s": 120.0,
    }
    assert set(found) == set(crawl_phase_ab.FIGURES)
    inline = crawl_phase_ab.figures({**run, "parse_pool": {}})  # no pool: the crawl alone
    assert inline["worker_ms"] == 0.0 and inline["both_ms"] == 6.25


def test_crawl_phase_ab_callgrind_counts_the_crawl_phase_of_the_checkouts_settings() -> None:
    """``--callgrind``: the count is the largest summary/totals line of callgrind's output
    (instrumentation off at start: the header's summary is 0), and the crawl runs with the
    checkout's own settings plus only the switch."""
    import crawl_phase_ab

    text = "events: Ir\nsummary: 0\nfn=x\n1 5\ntotals: 3009982350\n"
    assert crawl_phase_ab.callgrind_total(text) == 3009982350
    assert crawl_phase_ab.callgrind_total("events: Ir\n") == 0
    namespace: dict[str, Any] = {}
    exec(crawl_phase_ab.CALLGRIND_SETTINGS, namespace)  # our own settings text
    added = {
        key: value
        for key, value in namespace["EXTENSIONS"].items()
        if key not in project_settings.EXTENSIONS
    }
    assert added == {"crawl_phase_ab.CallgrindCrawlPhase": 1000}
    assert namespace["ITEM_PIPELINES"] == project_settings.ITEM_PIPELINES


def test_send_catch_log_inline_answers_as_scrapys_asyncio_send() -> None:
    """Receivers called at once while they answer plainly, Scrapy's tasks from the first
    awaitable answer on: the same receivers, order, results, error lines and ``dont_log``."""
    import asyncio
    import logging

    from pydispatch import dispatcher
    from scrapy.utils.signal import _send_catch_log_asyncio
    from twisted.internet.defer import succeed

    from newsspider.perf import send_catch_log_inline

    class Skipped(Exception):
        pass

    calls: list[str] = []

    def plain(**kwargs: Any) -> str:
        calls.append("plain")
        return f"plain {kwargs['value']}"

    def failing(**kwargs: Any) -> str:
        calls.append("failing")
        raise ValueError("broken receiver")

    def skipped(**kwargs: Any) -> str:
        calls.append("skipped")
        raise Skipped("not logged")

    async def later(**kwargs: Any) -> str:
        calls.append("later")
        await asyncio.sleep(0)
        return "later"

    def deferred(**kwargs: Any) -> Any:
        calls.append("deferred")
        return succeed("deferred")

    def comparable(results: list[Any]) -> list[Any]:
        return [(r, (type(v), str(v)) if isinstance(v, BaseException) else v) for r, v in results]

    def last(**kwargs: Any) -> str:
        calls.append("last")
        return "last"

    chains = [
        (plain, failing, skipped, last),
        (plain, later, failing, last),
        (deferred, plain),
        # after an awaitable answer: dont_log, a Deferred, a failure, in Scrapy's tasks
        (later, skipped, deferred, failing, plain),
        (),
    ]
    sender = object()
    for chain in chains:
        signal = object()
        for receiver in chain:
            dispatcher.connect(receiver, signal=signal, sender=sender, weak=False)
        found = {}
        for name, send in (("scrapy", _send_catch_log_asyncio), ("inline", send_catch_log_inline)):
            calls.clear()
            records: list[logging.LogRecord] = []
            handler = logging.Handler()
            handler.emit = records.append  # type: ignore[method-assign]
            logger = logging.getLogger("scrapy.utils.signal")
            logger.addHandler(handler)
            try:

                async def run(send: Any = send, signal: Any = signal) -> list[Any]:
                    result: list[Any] = await send(signal, sender, value=1, dont_log=Skipped)
                    return result

                results = asyncio.run(run())
            finally:
                logger.removeHandler(handler)
            found[name] = (
                comparable(results),
                list(calls),
                [(r.levelname, r.getMessage()) for r in records],
            )
        assert found["inline"] == found["scrapy"], chain
        for receiver in dict.fromkeys(chain):  # one connection per receiver
            dispatcher.disconnect(receiver, signal=signal, sender=sender, weak=False)
    assert found["scrapy"][0] == []  # the empty chain: nothing to call


_ARENAS = """
import ctypes, sys, tempfile, threading
sys.path[:0] = [sys.argv[2]]
from newsspider.perf import limit_malloc_arenas
if sys.argv[1] == "1":
    assert limit_malloc_arenas(1)
def work():
    kept = [bytearray(200_000) for _ in range(20)]  # each thread allocates, as the pool's do
    del kept
threads = [threading.Thread(target=work) for _ in range(4)]
for thread in threads:
    thread.start()
for thread in threads:
    thread.join()
libc = ctypes.CDLL(None)
libc.fopen.restype = ctypes.c_void_p
libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
libc.fclose.argtypes = [ctypes.c_void_p]
libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
with tempfile.NamedTemporaryFile(suffix=".xml") as out:
    fh = libc.fopen(out.name.encode(), b"w")
    libc.malloc_info(0, fh)
    libc.fclose(fh)
    print(open(out.name).read().count("<heap nr="))
"""


def _arenas_used(limit: bool) -> int:
    root = str(Path(__file__).resolve().parent.parent)
    return int(run_python(_ARENAS, "1" if limit else "0", root))


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="glibc's malloc_info")
def test_malloc_arenas_keeps_threads_in_one_arena() -> None:
    assert _arenas_used(limit=False) > 1  # glibc's default: an arena per allocating thread
    assert _arenas_used(limit=True) == 1


def test_malloc_arenas_is_off_with_zero_and_one_by_default() -> None:
    with pytest.raises(NotConfigured):
        MallocArenas.from_crawler(get_crawler(settings_dict={"NEWSSPIDER_MALLOC_ARENAS": 0}))
    assert project_settings.NEWSSPIDER_MALLOC_ARENAS == 1
    assert "newsspider.perf.MallocArenas" in project_settings.EXTENSIONS


def test_each_spider_lives_in_the_module_of_its_name_so_one_module_loads_it() -> None:
    """SpiderModuleLoader imports only ``newsspider.spiders.<name>``: the class it finds there
    must be the one Scrapy's full walk of SPIDER_MODULES finds for that name."""
    from scrapy.settings import Settings
    from scrapy.spiderloader import SpiderLoader

    settings = Settings({"SPIDER_MODULES": project_settings.SPIDER_MODULES})
    walked = SpiderLoader.from_settings(settings)
    assert sorted(walked.list()) == ["article", "frontpage", "site"]
    for name in walked.list():
        loader = SpiderModuleLoader.from_settings(settings)
        assert loader.load(name) is walked.load(name)
        assert loader._spiders == {name: walked.load(name)}  # that module only, no walk
    loader = SpiderModuleLoader.from_settings(settings)
    assert sorted(loader.list()) == sorted(walked.list())  # list() walks every module
    with pytest.raises(KeyError, match="Spider not found: nope"):
        SpiderModuleLoader.from_settings(settings).load("nope")  # after a walk, as Scrapy's
    with pytest.raises(KeyError, match="Spider not found: base"):
        SpiderModuleLoader.from_settings(settings).load("base")  # a module without that spider


def test_the_project_uses_the_spider_module_loader() -> None:
    assert project_settings.SPIDER_LOADER_CLASS == "newsspider.perf.SpiderModuleLoader"
