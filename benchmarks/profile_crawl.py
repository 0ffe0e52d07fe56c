"""Where the CPU of the full crawl goes: py-spy over ``scrapy crawl site``, grouped by component.

    python benchmarks/profile_crawl.py --articles 2000 [--rate 200] [--raw prof.txt]
    python benchmarks/profile_crawl.py --from-raw prof.txt --pages 2108 --cpu-ms 17.0

Serves the synthetic site with nginx (as ``throughput.py`` does), runs the full crawl (the
same arguments as throughput.py's ``full``) under ``py-spy record --format raw`` and prints, per
component, the share of the samples and ms per page (share x the crawl's own CPU per page:
user + system of the crawl process / responses; with the parse pool, the workers' own CPU,
``newsspider/parse_pool/worker_cpu_s``, is left out: py-spy samples the crawling process).
Two views: *inclusive* (the first frame of ours/theirs on the stack from the top, i.e.
whoever called into the rest) and *self* (the leaf frame's component). Needs
``pip install py-spy`` (py-spy samples another process: run as root or with ptrace allowed).
"""

from __future__ import annotations

import argparse
import collections
import json
import re
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

import synthetic_site  # noqa: E402
from throughput import crawl_stats, run_measured  # noqa: E402

# (component, pattern on "function (file:line)"), first match wins; checked from the leaf up
# for "self" and from the leaf up for the innermost *project* component in "inclusive"
COMPONENTS: list[tuple[str, str]] = [
    ("state store (sqlite)", r"newsspider/state/store\.py"),
    ("state runtime/hash", r"newsspider/state/|newsspider/stablejson\.py"),
    ("state middlewares", r"newsspider/middlewares_state\.py"),
    ("state pipeline", r"newsspider/pipelines/state\.py"),
    ("normalize pipeline", r"newsspider/pipelines/normalize\.py"),
    ("validate pipeline", r"newsspider/pipelines/validate\.py"),
    ("dedupe/stamp pipelines", r"newsspider/pipelines/(dedupe|stamp)\.py"),
    ("text/urls helpers", r"newsspider/(text|urls|dates)\.py"),
    ("exporters: xlsx", r"newsspider/workbook\.py|xlsxwriter/"),
    ("exporters: csv/jsonl", r"newsspider/exporters\.py"),
    ("feeds/feedexport", r"newsspider/feeds\.py|scrapy/extensions/feedexport\.py"),
    ("page objects", r"newsspider/pages/"),
    ("generic extract", r"newsspider/extract/"),
    ("spiders", r"newsspider/spiders/|newsspider/discovery\.py"),
    ("our middlewares", r"newsspider/middlewares\.py"),
    ("our extensions/health", r"newsspider/(extensions|health/|perf|run)"),
    ("history/report/workbook end", r"newsspider/(history|report|schema)\.py"),
    ("other newsspider", r"newsspider/"),
    ("parsel/lxml parse", r"parsel/|lxml|w3lib/html"),
    ("w3lib url", r"w3lib/"),
    ("logging", r"logging/"),
    ("scrapy signals/pydispatch", r"scrapy/utils/signal\.py|pydispatch/"),
    ("scrapy stats", r"scrapy/statscollectors\.py"),
    ("scrapy pipelines/itemproc", r"scrapy/pipelines/|scrapy/core/scraper\.py"),
    ("scrapy spidermw", r"scrapy/core/spidermw\.py|scrapy/spidermiddlewares/"),
    ("scrapy downloadermw", r"scrapy/core/downloader/middleware\.py|downloadermiddlewares/"),
    ("scrapy http/request", r"scrapy/http/"),
    ("scrapy engine/scheduler", r"scrapy/core/(engine|scheduler)\.py|queuelib|scrapy/squeues"),
    ("scrapy downloader/http11", r"scrapy/core/downloader/|scrapy/core/http2"),
    ("scrapy other", r"scrapy/"),
    ("twisted/asyncio", r"twisted/|asyncio/"),
    ("parse pool IPC (pickle, pipes, threads)", r"concurrent/futures/|multiprocessing/|threading"),
    ("imports (start-up)", r"<frozen importlib"),
    ("json/orjson", r"json/"),
    ("hashlib/sqlite3 stdlib", r"hashlib|sqlite3/"),
]
_COMPILED = [(name, re.compile(pattern)) for name, pattern in COMPONENTS]
# waiting, not CPU: a thread on a condition, the reactor in epoll (py-spy without --idle still
# samples a thread blocked in a system call), the parse pool's feeder/result threads on pipes
_IDLE = re.compile(
    r"Condition\.wait|_wait_for_tstate_lock|\(threading\.py|Selector\.select \(selectors\.py"
)
_POOL_THREAD = re.compile(r"Queue\._feed|_ExecutorManagerThread")
_POOL_WAIT = re.compile(r"Connection\._(send|recv) \(multiprocessing")
# the phase of a sample: end of run (every feed closed, the manifest, history), in the crawl
# (the reactor runs), else start-up (imports, settings, the crawler built)
_END = re.compile(
    r"feed_exporter_closed|finish_exporting|FeedExporter\.close_spider|_close_slot|"
    r"SiteSpider\.closed|spider_closed|close_spider"
)
# asyncio's run_forever is C code under uvloop (session 8), so the reactor's own run() marks it too
_CRAWL = re.compile(r"run_forever|AsyncioSelectorReactor\.run ")


def phase(frames: list[str]) -> str:
    if any(_END.search(f) for f in frames):
        return "end of run"
    # the parse pool's own threads (job pickling, result unpickling) work during the crawl,
    # though their stacks never hold the reactor's run_forever
    if any(_CRAWL.search(f) or _POOL_THREAD.search(f) for f in frames):
        return "crawl"
    return "start-up"


def component(frame: str) -> str | None:
    for name, pattern in _COMPILED:
        if pattern.search(frame):
            return name
    return None


def aggregate(
    raw: Path,
) -> tuple[int, collections.Counter[str], collections.Counter[str], collections.Counter[str]]:
    """(samples, by phase, in the crawl: inclusive by innermost newsspider component else
    self component, in the crawl: self)."""
    phases: collections.Counter[str] = collections.Counter()
    inclusive: collections.Counter[str] = collections.Counter()
    self_: collections.Counter[str] = collections.Counter()
    total = 0
    for line in raw.read_text(encoding="utf-8", errors="replace").splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack or not count_text.isdigit():
            continue
        count = int(count_text)
        frames = stack.split(";")
        if _IDLE.search(frames[-1]):
            continue  # a thread waiting, not CPU
        if _POOL_WAIT.search(frames[-1]) and any(_POOL_THREAD.search(f) for f in frames):
            continue  # the parse pool's threads blocked on a pipe (the worker is busy)
        total += count
        where = phase(frames)
        phases[where] += count
        if where != "crawl":
            continue
        leaf = None
        for frame in reversed(frames):
            leaf = component(frame)
            if leaf is not None:
                break
        self_[leaf or "other"] += count
        owner = None
        for frame in reversed(frames):
            name = component(frame)
            # every stack runs under newsspider/commands/crawl.py: that is not a component
            if name is not None and "newsspider/" in frame and "newsspider/commands/" not in frame:
                owner = name
                break
        inclusive[owner or leaf or "other"] += count
    return total, phases, inclusive, self_


def report(raw: Path, pages: int, cpu_ms: float) -> dict[str, object]:
    total, phases, inclusive, self_ = aggregate(raw)
    out: dict[str, object] = {"samples": total, "pages": pages, "cpu_ms_per_page": cpu_ms}
    views = (("phase", phases), ("crawl inclusive", inclusive), ("crawl self", self_))
    for title, counter in views:
        print(f"\n{title}: {total} samples, {pages} pages, {cpu_ms:.2f} CPU ms/page")
        rows = {}
        for name, count in counter.most_common():
            share = count / total if total else 0.0
            rows[name] = {"share": round(share, 4), "ms_per_page": round(share * cpu_ms, 2)}
            print(f"  {name:<30} {share:>6.1%} {share * cpu_ms:>7.2f} ms/page")
        out[title] = rows
    return out


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rate", type=int, default=200, help="py-spy samples per second")
    parser.add_argument("--raw", type=Path, default=None, help="keep py-spy's raw output here")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--from-raw", type=Path, default=None, help="only aggregate this file")
    parser.add_argument("--pages", type=int, default=0, help="with --from-raw")
    parser.add_argument("--cpu-ms", type=float, default=0.0, help="with --from-raw")
    args = parser.parse_args(argv)
    if args.from_raw:
        result = report(args.from_raw, args.pages, args.cpu_ms)
    else:
        site_dir = Path(tempfile.gettempdir()) / "newsspider-bench" / f"site-{args.articles}"
        synthetic_site.write_site(args.articles, site_dir)
        with (
            tempfile.TemporaryDirectory(prefix="newsspider-profile-") as tmp,
            synthetic_site.nginx(site_dir) as url,
        ):
            workdir = Path(tmp)
            raw = args.raw or workdir / "prof.txt"
            cmd = [
                str(Path(sys.executable).with_name("py-spy")), "record", "-r", str(args.rate),
                "--format", "raw", "-o", str(raw), "--",
                sys.executable, "-m", "scrapy", "crawl", "site",
                "-a", f"url={url}", "-a", "run_id=bench",
                "-s", f"NEWSSPIDER_EXPORT_DIR={workdir / 'exports'}",
                "-s", f"NEWSSPIDER_STATE_DIR={workdir / 'state'}",
                "-s", "AUTOTHROTTLE_ENABLED=False",
                "-s", f"CONCURRENT_REQUESTS={args.concurrency}",
                "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={args.concurrency}",
                "-s", "LOGSTATS_INTERVAL=600", "-s", "LOG_LEVEL=INFO",
            ]  # fmt: skip
            status, log, _, cpu_s = run_measured(cmd, REPO)
            if status != 0:
                raise SystemExit(f"profiled crawl failed (exit {status}):\n{log[-3000:]}")
            stats = crawl_stats(log)
            pages = int(stats.get("downloader/response_count", 0))
            # py-spy samples the crawling process only: leave out what the parse workers
            # report as their own CPU. py-spy's own CPU is in cpu_s too (it is a child): the
            # figure is an upper bound
            cpu_s -= stats.get("newsspider/parse_pool/worker_cpu_s", 0.0)
            print(
                f"parse pool: {json.dumps({k: v for k, v in stats.items() if 'parse_pool' in k})}"
            )
            result = report(raw, pages, cpu_s * 1000 / pages if pages else 0.0)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
