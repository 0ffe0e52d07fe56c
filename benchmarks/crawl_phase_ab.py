"""The crawling process's CPU per page, this checkout vs an older one, full crawls alternated.

    python benchmarks/crawl_phase_ab.py --baseline DIR [--articles 2000] [--rounds 3]
                                        [--json out.json]

On a shared machine one crawl of each (``throughput.py --baseline``) moves by more than a
0.1 ms/page change; here the two checkouts crawl the same synthetic site in turns (baseline,
this, baseline, this, ...) with the same settings as ``throughput.py``'s ``full`` and the
medians are compared. Per crawl: ``crawl_phase_ms`` = the crawling process's CPU from
``spider_opened`` to ``spider_closed`` per response (the stat ``newsspider/crawl_phase/cpu_s``,
which the baseline must record too: e.g. a checkout of the commit that added it plus nothing
else), ``worker_ms`` = the parse workers' CPU per response
(``newsspider/parse_pool/worker_cpu_s``, their start-up included), ``both_ms`` = the two added,
``main_ms`` = the whole crawling process per response (start-up and end of run included, parse
workers excluded), ``pages_per_s``.

``--callgrind`` (valgrind installed; use ~300 articles: ~2 minutes per crawl): each crawl runs
under ``valgrind --tool=callgrind`` with its instrumentation switched on at ``spider_opened``
and off at ``spider_closed`` (:class:`CallgrindCrawlPhase`, added to the checkout's own
settings), one parse worker from the first page (not traced), no history at the end:
``m_instr_per_response`` = millions of instructions of the crawling process's crawl phase per
response. Exact to ~0.1% between runs of one checkout, whatever the machine's load.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

import synthetic_site  # noqa: E402
from throughput import crawl_stats, full_crawl, site_crawl_cmd  # noqa: E402

FIGURES = ("crawl_phase_ms", "worker_ms", "both_ms", "main_ms", "pages_per_s")


def figures(run: dict[str, Any]) -> dict[str, float]:
    responses = run["responses"] or 1
    # the parse workers' CPU (their start-up included) per response: issue 14's crawl-phase
    # CPU is both processes' (``both_ms``), since the two share the machine's two cores
    worker_ms = round(run["parse_pool"].get("worker_cpu_s", 0.0) * 1000 / responses, 2)
    return {
        "crawl_phase_ms": run["main_crawl_cpu_ms_per_page"],
        "worker_ms": worker_ms,
        "both_ms": round(run["main_crawl_cpu_ms_per_page"] + worker_ms, 2),
        "main_ms": run["main_cpu_ms_per_page"],
        "pages_per_s": run["pages_per_s"],
    }


CALLGRIND_FIGURES = ("m_instr_per_response",)
# the checkout's own settings plus the switch (``--callgrind``): SCRAPY_SETTINGS_MODULE
CALLGRIND_SETTINGS = """\
from newsspider.settings import *  # noqa: F403
EXTENSIONS = {**EXTENSIONS, "crawl_phase_ab.CallgrindCrawlPhase": 1000}  # noqa: F405
"""


class CallgrindCrawlPhase:
    """An extension (``--callgrind``): callgrind's instrumentation on at ``spider_opened`` and
    off at ``spider_closed``, so the count is the crawl phase's alone."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> CallgrindCrawlPhase:
        from scrapy import signals

        crawler.signals.connect(lambda: cls.switch("on"), signal=signals.spider_opened, weak=False)
        crawler.signals.connect(lambda: cls.switch("off"), signal=signals.spider_closed, weak=False)
        return cls()

    @staticmethod
    def switch(state: str) -> None:
        subprocess.run(["callgrind_control", "-i", state, str(os.getpid())], capture_output=True)


def callgrind_total(text: str) -> int:
    """The instructions in a callgrind output file: its largest ``summary:``/``totals:`` line
    (with the instrumentation off at start, the header's ``summary:`` is 0)."""
    found = re.findall(r"^(?:summary|totals): (\d+)", text, re.MULTILINE)
    return max((int(n) for n in found), default=0)


def callgrind_crawl(url: str, concurrency: int, workdir: Path, repo: Path) -> dict[str, float]:
    """One full crawl of ``repo``'s code under callgrind: its crawl phase's instructions."""
    (workdir / "callgrind_settings.py").write_text(CALLGRIND_SETTINGS, encoding="utf-8")
    out = workdir / "callgrind.out"
    settings = {
        "NEWSSPIDER_PARSE_WORKERS": "1",  # the pool from the first page, as in a large crawl
        "DOWNLOAD_TIMEOUT": "600",  # ~50x slower under valgrind
        "NEWSSPIDER_HISTORY_ENABLED": "False",  # the end of the run is not counted anyway
    }
    cmd = [
        "valgrind", "--tool=callgrind", "--instr-atstart=no", f"--callgrind-out-file={out}",
        *site_crawl_cmd(url, workdir / "exports", workdir / "state", concurrency, settings),
    ]  # fmt: skip
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join((str(repo), str(workdir), str(BENCH))),
        "SCRAPY_SETTINGS_MODULE": "callgrind_settings",
    }
    proc = subprocess.run(cmd, cwd=repo, env=env, capture_output=True, text=True)
    responses = int(crawl_stats(proc.stderr).get("downloader/response_count", 0))
    instructions = sum(
        callgrind_total(path.read_text(encoding="utf-8", errors="replace"))
        for path in workdir.glob("callgrind.out*")
    )
    if proc.returncode != 0 or not responses or not instructions:
        raise SystemExit(f"callgrind crawl of {repo} failed:\n{proc.stderr[-3000:]}")
    return {"m_instr_per_response": round(instructions / responses / 1e6, 4)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, required=True, metavar="DIR")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument("--callgrind", action="store_true", help="instructions (see above)")
    args = parser.parse_args(argv)
    keys = CALLGRIND_FIGURES if args.callgrind else FIGURES
    digits = 4 if args.callgrind else 2
    site_dir = Path(tempfile.gettempdir()) / "newsspider-bench" / f"site-{args.articles}"
    synthetic_site.write_site(args.articles, site_dir)
    runs: dict[str, list[dict[str, float]]] = {"baseline": [], "this": []}
    load_before = os.getloadavg()
    with (
        tempfile.TemporaryDirectory(prefix="newsspider-ab-") as tmp,
        synthetic_site.nginx(site_dir) as url,
    ):
        for n in range(args.rounds):
            for name, repo in (("baseline", args.baseline.resolve()), ("this", REPO)):
                workdir = Path(tmp) / f"{name}-{n}"
                workdir.mkdir()
                if args.callgrind:
                    runs[name].append(callgrind_crawl(url, args.concurrency, workdir, repo))
                else:
                    run = full_crawl(url, args.concurrency, workdir, True, repo)
                    runs[name].append(figures(run))
                print(f"round {n + 1} {name:<8} {json.dumps(runs[name][-1])}", flush=True)
    medians = {
        name: {key: round(statistics.median(r[key] for r in rows), digits) for key in keys}
        for name, rows in runs.items()
    }
    result = {
        "articles": args.articles,
        "rounds": args.rounds,
        "loadavg": [round(x, 2) for x in (*load_before, *os.getloadavg())],
        "runs": runs,
        "median": medians,
        "ratio_this_to_baseline": {
            key: round(medians["this"][key] / medians["baseline"][key], 3)
            if medians["baseline"][key]
            else 0.0
            for key in keys
        },
    }
    print(json.dumps({k: result[k] for k in ("loadavg", "median", "ratio_this_to_baseline")}))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
