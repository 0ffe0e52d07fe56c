"""The crawling process's per-item cost after the spider, this checkout vs another, alternated.

    python benchmarks/pipe_path.py --baseline DIR [--articles 2000] [--rounds 3]
                                   [--capture FILE] [--callgrind]

1. **Capture** (once per site size, kept in ``--capture``, default
   ``$TMPDIR/newsspider-bench/items-<N>.pickle``): one full ``scrapy crawl site`` of the synthetic
   site (``benchmarks/synthetic_site.py``, served by nginx) with one more item pipeline in front
   of ours (priority 1) that keeps every item as the spider yields it - with what travels with
   it (a parse worker's checks, its pre-rendered rows, the body hash) - and the page's pending
   fetch record, in the order the items reached the pipelines.
2. **Replay**, in a fresh ``python`` per checkout and round (``PYTHONPATH`` = the checkout): a
   spider (:class:`ReplaySpider`, a ``NewsSpider`` of that checkout) yields the captured items
   from ``start()``, one page's items at a time, after filing the page's fetch record with the
   run's state as the downloader middleware would. Everything after the spider is the real
   thing: Scrapy's item processing, our pipelines (stamp, normalize, validate, dedupe, state
   with its SQLite file), the feed exporters (JSONL, CSV, rejects, the per-run workbook), the
   ``item_scraped`` receivers, stats and logging, with the project's settings. No network, no
   parsing: the crawl phase's CPU (``newsspider/crawl_phase/cpu_s``) is the per-item path.
3. Per round: the crawl phase's CPU per item and per captured page, and a digest of what the
   run exported (every JSONL/CSV file's bytes, the workbook's sheets, the state's articles,
   URLs and slots): the two checkouts must export the same bytes.

``--callgrind``: one more replay per checkout (the first ``--callgrind-items`` items) under
``valgrind --tool=callgrind`` with instrumentation switched on only between ``spider_opened``
and ``spider_closed`` (instructions of the crawl phase: the steadiest figure on a loaded
machine; the end of the run is skipped there).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

CAPTURE_ENV = "NEWSSPIDER_PIPE_CAPTURE"


class CapturePipeline:
    """Keeps every item (and its page's pending fetch record) as it enters the pipelines."""

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler
        self.records: list[tuple[Any, dict[str, Any] | None]] = []

    @classmethod
    def from_crawler(cls, crawler: Any) -> CapturePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        import copy

        from newsspider.run import run_context

        fetch = None
        state = run_context(self.crawler).state
        url = getattr(item, "url", None)
        if state is not None and type(item).__name__ == "Article" and url:
            entry = state.pending_fetches.get(url)
            if entry is not None:
                fetch = dict(entry[0])
                fetch.pop("body", None)
        self.records.append((copy.deepcopy(item), fetch))
        return item

    def close_spider(self) -> None:
        import pickle

        with open(os.environ[CAPTURE_ENV], "wb") as fh:
            pickle.dump(self.records, fh, protocol=pickle.HIGHEST_PROTOCOL)


REPLAY = r"""
import hashlib, json, os, pickle, sqlite3, sys, time, zipfile
from pathlib import Path

import scrapy
from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.utils.project import get_project_settings

from newsspider.spiders.base import NewsSpider

capture, workdir, callgrind = sys.argv[1], Path(sys.argv[2]), sys.argv[3] == "1"
with open(capture, "rb") as fh:
    records = pickle.load(fh)
if os.environ.get("PIPE_LIMIT"):  # the first N items only (a shorter run under valgrind)
    records = records[: int(os.environ["PIPE_LIMIT"])]


class ReplaySpider(NewsSpider):
    name = "replay"

    async def start(self):
        from newsspider.run import run_context

        state = run_context(self.crawler).state
        # the start page "was fetched" (the health verdict would fail the run: no commit)
        self.crawler.stats.set_value("newsspider/health/start_page/status", 200)
        for item, fetch in records:
            if fetch is not None and state is not None:
                state.defer_fetch(dict(fetch), fetch["url"])
            yield item


settings = get_project_settings()
settings.setdict({
    "NEWSSPIDER_EXPORT_DIR": str(workdir / "exports"),
    "NEWSSPIDER_STATE_DIR": str(workdir / "state"),
    "NEWSSPIDER_PARSE_WORKERS": 0,
    "ROBOTSTXT_OBEY": False,
    "LOG_LEVEL": "INFO",
    "LOGSTATS_INTERVAL": 600,
    "AUTOTHROTTLE_ENABLED": False,
}, priority="cmdline")
process = CrawlerProcess(settings, install_root_handler=True)
crawler = process.create_crawler(ReplaySpider)
if callgrind:
    def on():
        os.system(f"callgrind_control -i on {os.getpid()} >/dev/null")  # noqa: S605
    def off():
        os.system(f"callgrind_control -i off {os.getpid()} >/dev/null")  # noqa: S605
        # the end of the run is not measured here (minutes under valgrind)
        print("RESULT " + json.dumps({"crawl_cpu_s": 0.0, "items": len(records), "digest": {}}))
        sys.stdout.flush()
        os._exit(0)
    crawler.signals.connect(on, signal=signals.spider_opened)
    crawler.signals.connect(off, signal=signals.spider_closed)
process.crawl(crawler, url="http://127.0.0.1:9/", run_id="bench")
process.start()
stats = crawler.stats.get_stats()


def digest():
    h = {}
    run = workdir / "exports" / "bench"
    for path in sorted(run.glob("*")):
        if path.suffix in (".jsonl", ".csv"):
            h[path.name] = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        elif path.suffix == ".xlsx":
            with zipfile.ZipFile(path) as z:
                sheets = b"".join(
                    z.read(n) for n in sorted(z.namelist()) if n.startswith("xl/worksheets/")
                    or n == "xl/sharedStrings.xml"
                )
            h[path.name] = hashlib.sha256(sheets).hexdigest()[:16]
    for db_path in sorted(workdir.rglob("*.sqlite3")):
        db = sqlite3.connect(db_path)
        for table, order in (("articles", "article_key"), ("urls", "url"),
                             ("frontpage_slots", "page_url, position_on_page"),
                             ("popular_entries", "list_name, rank"), ("revisions", "article_key")):
            rows = db.execute(f"SELECT * FROM {table} ORDER BY {order}").fetchall()
            h["state." + table] = hashlib.sha256(repr(rows).encode()).hexdigest()[:16]
        db.close()
    return h


print("RESULT " + json.dumps({
    "crawl_cpu_s": stats.get("newsspider/crawl_phase/cpu_s"),
    "items": sum(1 for _ in records),
    "item_scraped_count": stats.get("item_scraped_count"),
    "finish_reason": stats.get("finish_reason"),
    "digest": digest(),
}))
"""


def capture(articles: int, path: Path, concurrency: int) -> None:
    import synthetic_site

    site_dir = Path(tempfile.gettempdir()) / "newsspider-bench" / f"site-{articles}"
    synthetic_site.write_site(articles, site_dir)
    pipelines = {
        "pipe_path.CapturePipeline": 1,
        "newsspider.pipelines.stamp.StampRunPipeline": 50,
        "newsspider.pipelines.normalize.NormalizePipeline": 100,
        "newsspider.pipelines.validate.ValidatePipeline": 200,
        "newsspider.pipelines.dedupe.DedupePipeline": 300,
        "newsspider.pipelines.state.StatePipeline": 400,
    }
    with tempfile.TemporaryDirectory() as tmp, synthetic_site.nginx(site_dir) as url:
        cmd = [
            sys.executable, "-m", "scrapy", "crawl", "site",
            "-a", f"url={url}", "-a", "run_id=capture",
            "-s", f"NEWSSPIDER_EXPORT_DIR={tmp}/exports",
            "-s", f"NEWSSPIDER_STATE_DIR={tmp}/state",
            "-s", "AUTOTHROTTLE_ENABLED=False",
            "-s", f"CONCURRENT_REQUESTS={concurrency}",
            "-s", f"CONCURRENT_REQUESTS_PER_DOMAIN={concurrency}",
            "-s", f"ITEM_PIPELINES={json.dumps(pipelines)}",
            "-s", "LOG_LEVEL=WARNING",
        ]  # fmt: skip
        env = {
            **os.environ,
            "PYTHONPATH": f"{REPO}:{BENCH}",
            CAPTURE_ENV: str(path),
        }
        proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True)
        if proc.returncode != 0 or not path.exists():
            raise SystemExit(
                f"capture crawl failed (exit {proc.returncode}):\n{proc.stderr[-3000:]}"
            )


def replay(
    repo: Path, capture_file: Path, callgrind: bool = False, limit: int = 0
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        script = Path(tmp) / "replay.py"
        script.write_text(REPLAY, encoding="utf-8")
        cmd = [sys.executable, str(script), str(capture_file), tmp, "1" if callgrind else "0"]
        out_file = Path(tmp) / "callgrind.out"
        if callgrind:
            cmd = [
                "valgrind", "--tool=callgrind", "--instr-atstart=no",
                f"--callgrind-out-file={out_file}", *cmd,
            ]  # fmt: skip
        env = {
            **os.environ,
            "PYTHONPATH": str(repo),
            "SCRAPY_SETTINGS_MODULE": "newsspider.settings",
            **({"PIPE_LIMIT": str(limit)} if limit else {}),
        }
        started = time.monotonic()
        proc = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True)
        lines = [line for line in proc.stdout.splitlines() if line.startswith("RESULT ")]
        if proc.returncode != 0 or not lines:
            raise SystemExit(
                f"replay in {repo} failed:\n{proc.stdout[-2000:]}{proc.stderr[-3000:]}"
            )
        result: dict[str, Any] = json.loads(lines[-1][len("RESULT ") :])
        result["wall_s"] = round(time.monotonic() - started, 2)
        if callgrind:
            result["instructions"] = callgrind_total(out_file)
        return result


def callgrind_total(path: Path) -> int:
    """The run's instruction count: the largest ``totals:``/``summary:`` line (with
    instrumentation off at start, the header's ``summary:`` is 0)."""
    counts = [
        int(line.split()[1])
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines()
        if line.startswith(("summary:", "totals:"))
    ]
    return max(counts, default=0)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, required=True, metavar="DIR")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--capture", type=Path, default=None, metavar="FILE")
    parser.add_argument("--callgrind", action="store_true")
    parser.add_argument(
        "--callgrind-items",
        type=int,
        default=1000,
        help="items replayed under valgrind (the first N; ~4 min per 1,000 per checkout)",
    )
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    capture_file = args.capture or (
        Path(tempfile.gettempdir()) / "newsspider-bench" / f"items-{args.articles}.pickle"
    )
    if not capture_file.exists():
        capture_file.parent.mkdir(parents=True, exist_ok=True)
        print(f"capturing the item stream of a {args.articles}-article crawl -> {capture_file}")
        capture(args.articles, capture_file, args.concurrency)
    load_before = os.getloadavg()
    runs: dict[str, list[dict[str, Any]]] = {"baseline": [], "this": []}
    for n in range(args.rounds):
        for label, repo in (("baseline", args.baseline), ("this", REPO)):
            result = replay(repo, capture_file)
            runs[label].append(result)
            print(
                f"round {n + 1} {label:8} crawl phase {result['crawl_cpu_s']:.3f} s CPU"
                f" ({result['items']} items, wall {result['wall_s']} s)",
                flush=True,
            )
    out: dict[str, Any] = {"loadavg_before": load_before, "runs": runs}
    items = runs["this"][0]["items"]
    for label, results in runs.items():
        cpu = [r["crawl_cpu_s"] for r in results]
        out[label] = {
            "crawl_cpu_s_best": min(cpu),
            "crawl_cpu_s_median": statistics.median(cpu),
            "us_per_item_best": round(1e6 * min(cpu) / items, 1),
        }
    out["ratio_best"] = round(
        out["this"]["crawl_cpu_s_best"] / out["baseline"]["crawl_cpu_s_best"], 3
    )
    digests = {json.dumps(r["digest"], sort_keys=True) for rs in runs.values() for r in rs}
    out["same_output"] = len(digests) == 1
    if len(digests) != 1:
        out["digests"] = {k: rs[0]["digest"] for k, rs in runs.items()}
    if args.callgrind:
        for label, repo in (("baseline", args.baseline), ("this", REPO)):
            out[label]["instructions"] = replay(
                repo, capture_file, callgrind=True, limit=args.callgrind_items
            )["instructions"]
        out["instructions_ratio"] = round(
            out["this"]["instructions"] / out["baseline"]["instructions"], 3
        )
    out["loadavg_after"] = os.getloadavg()
    print(json.dumps({k: v for k, v in out.items() if k != "runs"}, indent=2))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
