"""Where a crawl's memory goes: RSS over time by phase, and tracemalloc snapshots.

    python benchmarks/memtrace.py --articles 2000,10000 [--tracemalloc FRAMES] [--out DIR]

For each N: the full ``site`` crawl of ``throughput.full_crawl`` (state on, nginx, synthetic
site), run through this file's ``--child`` mode, which (in the crawl process) samples RSS
every 0.25 s, marks the phases (crawl, feeds closing, the per-run workbook's close
``xlsx_close``, ``finish_run`` and its steps ``reconcile``, ``commit``, ``finish_files``,
``refresh_history``; the breakdown below every 1 s from the crawl's end, with
``--malloc-info`` glibc's arenas at the start of each) and with
``--tracemalloc`` takes snapshots at ``spider_closed`` (everything the crawl holds) and at the
start/end of ``finish_run``, plus tracemalloc's peak per phase. Writes ``DIR/N.json`` (samples,
phases, and every 10 s a breakdown: anonymous/file pages, glibc malloc in use/free,
SQLite's memory, pymalloc blocks, items scraped) and ``DIR/N-<phase>.txt`` (top allocations
by line). Compare two sizes' ``.txt`` to
see what grows per article. tracemalloc makes the crawl ~2-3x slower; its RSS is not the
crawl's (``memory.py`` measures that).
"""

from __future__ import annotations

import argparse
import ctypes
import itertools
import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent


def _rss_kb() -> int:
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class _MallInfo2(ctypes.Structure):
    _fields_ = [
        (name, ctypes.c_size_t)
        for name in (
            "arena",
            "ordblks",
            "smblks",
            "hblks",
            "hblkhd",
            "usmblks",
            "fsmblks",
            "uordblks",
            "fordblks",
            "keepcost",
        )
    ]


def _breakdown() -> dict[str, float]:
    """Where the RSS is, in MB: anonymous vs file-backed pages, glibc malloc's heap in use and
    free (free = fragmentation the process can't give back), SQLite's own allocations, and
    pymalloc's blocks (objects) in use."""
    mb: dict[str, float] = {}
    with open("/proc/self/status", encoding="ascii") as fh:
        for line in fh:
            if line.startswith(("RssAnon:", "RssFile:", "RssShmem:")):
                mb[line.split(":")[0].lower()] = round(int(line.split()[1]) / 1024, 1)
    try:
        libc = ctypes.CDLL(None)
        libc.mallinfo2.restype = _MallInfo2
        info = libc.mallinfo2()
        mb["malloc_in_use"] = round((info.uordblks + info.hblkhd) / 2**20, 1)
        mb["malloc_free"] = round(info.fordblks / 2**20, 1)
    except (OSError, AttributeError):
        pass
    try:
        sqlite = ctypes.CDLL("libsqlite3.so.0")
        sqlite.sqlite3_memory_used.restype = ctypes.c_int64
        mb["sqlite"] = round(sqlite.sqlite3_memory_used() / 2**20, 1)
    except (OSError, AttributeError):
        pass
    mb["py_blocks_k"] = round(sys.getallocatedblocks() / 1000, 1)
    return mb


def _timed_calls() -> dict[str, Any]:
    """The Twisted reactor's timed calls: how many wait (``DelayedCall``s, cancelled ones
    included until the reactor purges them), how many are cancelled, and the functions of the
    live ones (a count per function that grows with the crawl is a holder)."""
    from collections import Counter

    reactor = sys.modules.get("twisted.internet.reactor")  # never install one from here
    pending = list(getattr(reactor, "_pendingTimedCalls", ())) + list(
        getattr(reactor, "_newTimedCalls", ())
    )
    funcs = Counter(
        getattr(c.func, "__qualname__", repr(c.func)) for c in pending if not c.cancelled
    )
    return {
        "timed_calls": len(pending),
        "timed_cancelled": sum(1 for c in pending if c.cancelled),
        "timed_live_top": funcs.most_common(3),
    }


def _malloc_info(path: Path) -> None:
    """glibc's ``malloc_info``: per arena, its size, its free chunks by size and what is
    mapped (which arena's free part grows, and in chunks of what size)."""
    libc = ctypes.CDLL(None)
    libc.fopen.restype = ctypes.c_void_p
    libc.fopen.argtypes = [ctypes.c_char_p, ctypes.c_char_p]
    libc.fclose.argtypes = [ctypes.c_void_p]
    libc.malloc_info.argtypes = [ctypes.c_int, ctypes.c_void_p]
    path.parent.mkdir(parents=True, exist_ok=True)
    fh = libc.fopen(str(path).encode(), b"w")
    if fh:
        libc.malloc_info(0, fh)
        libc.fclose(fh)


def child(out: Path, frames: int, argv: list[str], snap_at: Sequence[int] = ()) -> None:
    """The crawl process: ``scrapy`` with RSS sampling and phase snapshots (``frames``: 0 for
    no tracemalloc); ``snap_at``: also a snapshot when that many items were scraped (what
    grows per article during the crawl is the difference of two of them)."""
    import tracemalloc

    trace = frames > 0
    malloc_info = bool(os.environ.get("MEMTRACE_MALLOC_INFO"))
    if trace:
        tracemalloc.start(frames)
    samples: list[tuple[float, int, str]] = []
    phase = ["start"]
    t0 = time.monotonic()
    snapshots: dict[str, Any] = {}
    peaks: dict[str, float] = {}

    stats: list[Any] = []
    breakdown: list[dict[str, Any]] = []

    todo = sorted(snap_at)

    def sample() -> None:
        tick = 0
        while True:
            if trace and todo and stats and stats[0].get_value("item_scraped_count", 0) >= todo[0]:
                snapshots[f"items{todo.pop(0)}"] = tracemalloc.take_snapshot()
            samples.append((round(time.monotonic() - t0, 2), _rss_kb(), phase[0]))
            if malloc_info and tick % 240 == 0:  # every 60 s: glibc's arenas, one XML each
                _malloc_info(Path(f"{out}-malloc-{tick // 4:05d}s.xml"))
            # every 10 s in the crawl, every 1 s after it: what the RSS is made of, the progress
            if tick % (40 if phase[0] in ("start", "crawl") else 4) == 0:
                row: dict[str, Any] = {"t": samples[-1][0], "phase": phase[0]}
                row["rss"] = round(samples[-1][1] / 1024, 1)
                row.update(_breakdown())
                row.update(_timed_calls())
                row["threads"] = threading.active_count()
                if stats:
                    row["items"] = stats[0].get_value("item_scraped_count", 0)
                    row["responses"] = stats[0].get_value("downloader/response_count", 0)
                breakdown.append(row)
            tick += 1
            time.sleep(0.25)

    threading.Thread(target=sample, daemon=True).start()

    def mark(name: str) -> None:
        samples.append((round(time.monotonic() - t0, 2), _rss_kb(), name))
        if malloc_info and name not in ("crawl",):  # glibc's arenas as each end-of-run step starts
            _malloc_info(Path(f"{out}-malloc-at-{len(samples):07d}-{name}.xml"))
        if trace:
            peaks[phase[0]] = tracemalloc.get_traced_memory()[1] / 2**20
            tracemalloc.reset_peak()
            snapshots[name] = tracemalloc.take_snapshot()
        phase[0] = name

    from newsspider.extensions import RunFilesExtension

    opened, closed, exported = (
        RunFilesExtension.spider_opened,
        RunFilesExtension.spider_closed,
        RunFilesExtension.feed_exporter_closed,
    )

    def spider_opened(self: Any, spider: Any) -> None:
        stats.append(self.crawler.stats)
        mark("crawl")
        opened(self, spider)

    def spider_closed(self: Any, spider: Any, reason: str) -> None:
        mark("closing")
        closed(self, spider, reason)

    def feed_exporter_closed(self: Any) -> None:
        mark("finish_run")
        try:
            exported(self)
        finally:
            mark("done")
            write()

    def write() -> None:
        out.parent.mkdir(parents=True, exist_ok=True)
        phases: dict[str, dict[str, Any]] = {}
        for t, rss, name in samples:
            p = phases.setdefault(name, {"from_s": t, "peak_rss_mb": 0.0})
            p["peak_rss_mb"] = max(p["peak_rss_mb"], round(rss / 1024, 1))
            p["to_s"] = t
        for name, mib in peaks.items():
            phases.setdefault(name, {})["tracemalloc_peak_mib"] = round(mib, 1)
        result = {"phases": phases, "breakdown": breakdown, "samples": samples[::4]}
        out.with_suffix(".json").write_text(json.dumps(result, indent=1), encoding="utf-8")
        for name, snap in snapshots.items():
            snap = snap.filter_traces([tracemalloc.Filter(False, tracemalloc.__file__)])
            snap.dump(f"{out}-{name}.snapshot")  # tracemalloc.Snapshot.load, compare_to
            lines = [f"total {sum(s.size for s in snap.statistics('filename')) / 2**20:.1f} MiB"]
            lines += [str(s) for s in snap.statistics("lineno")[:60]]
            lines.append("\n--- by traceback, top 15")
            for stat in snap.statistics("traceback")[:15] if frames > 1 else []:
                lines.append(f"{stat.size / 2**20:.2f} MiB in {stat.count} blocks")
                lines += ["    " + line for line in stat.traceback.format()]
            Path(f"{out}-{name}.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
        grown = sorted(name for name in snapshots if name.startswith("items"))
        grown.sort(key=lambda name: int(name[5:]))
        for first, last in itertools.pairwise(grown):
            # what the crawl holds more at the later count: the per-article growth, by line
            diff = snapshots[last].compare_to(snapshots[first], "lineno")
            text = [f"{first} -> {last}: {sum(d.size_diff for d in diff) / 2**20:+.2f} MiB"]
            text += [str(d) for d in diff[:60]]
            if frames > 1:
                text.append("\n--- by traceback, top 15")
                for d in snapshots[last].compare_to(snapshots[first], "traceback")[:15]:
                    text.append(f"{d.size_diff / 2**20:+.2f} MiB in {d.count_diff:+d} blocks")
                    text += ["    " + line for line in d.traceback.format()]
            Path(f"{out}-{first}-{last}.txt").write_text("\n".join(text) + "\n", "utf-8")

    def marked(cls: Any, method: str, name: str, after: str | None = None) -> None:
        """Mark phase ``name`` when ``cls.method`` starts (and ``after`` when it returns):
        the end of run's steps one by one (which of them holds the memory)."""
        original = getattr(cls, method)

        def wrapper(*args: Any, **kwargs: Any) -> Any:
            mark(name)
            try:
                return original(*args, **kwargs)
            finally:
                if after is not None:
                    mark(after)

        setattr(cls, method, wrapper)

    from newsspider.workbook import XlsxItemExporter

    marked(XlsxItemExporter, "finish_exporting", "xlsx_close", "feeds_rest")
    for method in ("reconcile", "commit", "finish_files", "refresh_history"):
        marked(RunFilesExtension, method, method)

    RunFilesExtension.spider_opened = spider_opened  # type: ignore[method-assign]
    RunFilesExtension.spider_closed = spider_closed  # type: ignore[method-assign]
    RunFilesExtension.feed_exporter_closed = feed_exporter_closed  # type: ignore[method-assign]
    from scrapy.cmdline import execute

    execute(["scrapy", *argv])


def main(argv: Sequence[str] | None = None) -> int:
    args_in = list(sys.argv[1:] if argv is None else argv)
    if args_in[:1] == ["--child"]:
        snap_at = [int(n) for n in args_in[3].split(",") if n]
        child(Path(args_in[1]), int(args_in[2]), args_in[4:], snap_at)
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", default="2000,10000")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument(
        "--tracemalloc",
        type=int,
        default=0,
        metavar="FRAMES",
        help="trace with this many frames (1 is ~2x faster than 8); 0: RSS only",
    )
    parser.add_argument(
        "--snap-at",
        default="",
        metavar="ITEMS",
        help="with --tracemalloc: also snapshot the crawl at these item counts (e.g. 1000,4000) "
        "and write what grew between each two (DIR/N-itemsA-itemsB.txt)",
    )
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "memtrace")
    parser.add_argument(
        "--malloc-info",
        action="store_true",
        help="every 60 s of the crawl, glibc's malloc_info XML (per arena: size, free chunks "
        "by size) to DIR/N-malloc-<s>s.xml",
    )
    args = parser.parse_args(args_in)
    sys.path.insert(0, str(BENCH))
    import synthetic_site
    import throughput

    real_executable = sys.executable
    for n in sorted(int(s) for s in args.articles.split(",")):
        site_dir = Path(tempfile.gettempdir()) / "newsspider-bench" / f"site-{n}"
        synthetic_site.write_site(n, site_dir)
        out = (args.out / str(n)).resolve()
        # full_crawl runs [sys.executable, "-m", "scrapy", ...]: run this file's child instead
        wrapper = Path(tempfile.mkdtemp()) / "python"
        wrapper.write_text(
            "#!/bin/sh\nshift 2\n"
            f"exec {real_executable} {Path(__file__).resolve()} --child {out} "
            f'{args.tracemalloc} "{args.snap_at}" "$@"\n',
            encoding="utf-8",
        )
        wrapper.chmod(0o755)
        sys.executable = str(wrapper)
        if args.malloc_info:
            os.environ["MEMTRACE_MALLOC_INFO"] = "1"
        try:
            with (
                tempfile.TemporaryDirectory(prefix="newsspider-memtrace-") as tmp,
                synthetic_site.nginx(site_dir) as url,
            ):
                run = throughput.full_crawl(url, args.concurrency, Path(tmp), state=True)
        finally:
            sys.executable = real_executable
        phases = json.loads(out.with_suffix(".json").read_text(encoding="utf-8"))["phases"]
        print(f"N={n}: peak RSS {run['peak_rss_mb']} MB; phases {json.dumps(phases)}")
    return 0


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    raise SystemExit(main())
