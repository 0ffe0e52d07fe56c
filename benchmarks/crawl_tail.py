"""The end of a first crawl as the crawl itself runs it: wall from "Closing spider" to
"Spider closed", by phase, old vs new code in the same run.

    python benchmarks/crawl_tail.py --articles 2000 [--baseline /tmp/base-1dbea64]
                                    [--rounds 2] [--json out.json]

``end_of_run.py`` times ``write_history`` alone, on a copy of a committed state; this one runs
whole first crawls of the synthetic site (nginx, ``scrapy crawl site``, state and history on,
16 concurrent requests, as ``throughput.py``'s ``full``), alternating this checkout and
``--baseline``, each on a fresh state and export folder, and reads the phases of the end of
the run from the log's millisecond time stamps:

* ``scraper_close_s``: "Closing spider" to the first "Stored" feed line (the pipelines and
  the parse pool close; Scrapy's ``elapsed_time_seconds`` ends in here);
* ``feeds_close_s``: the JSONL/CSV feeds' close (the first to the last of their "Stored" lines);
* ``workbook_close_s``: the per-run ``newsspider.xlsx``'s close (to its "Stored" line);
* ``finish_run_s``: from there to "History tables refreshed" (or "... left as it is";
  ``RunFilesExtension
  .finish_run``: reconcile, the state's commit, the final names and manifest, the history);
* ``tail_s``: "Closing spider" to "Spider closed", all of the above and the summary.

Also per crawl: ``elapsed_s`` (Scrapy's ``elapsed_time_seconds``), the process's wall, and the
CPU of the crawl and every process it started (user + system). Reports best and median per
checkout and new/old ratios. The machine is shared: compare only within one run, and record
the load average (``loadavg``).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic_site
from throughput import crawl_stats, run_timed, site_crawl_cmd

REPO = Path(__file__).resolve().parent.parent
STAMP = r"^(\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3}) "
MARKS = {
    "closing": re.compile(STAMP + r".*Closing spider", re.M),
    "stored": re.compile(STAMP + r".*Stored (?!xlsx)\S+ feed", re.M),
    "xlsx": re.compile(STAMP + r".*Stored xlsx feed", re.M),
    "history": re.compile(STAMP + r".*History (tables refreshed|in .* left as it is)", re.M),
    "closed": re.compile(STAMP + r".*Spider closed", re.M),
}


def stamps(log: str, name: str) -> list[float]:
    return [
        datetime.strptime(m.group(1), "%Y-%m-%d %H:%M:%S.%f").timestamp()
        for m in MARKS[name].finditer(log)
    ]


def phases(log: str) -> dict[str, float]:
    """The end of the run's phases (seconds) from one crawl's log."""
    closing = stamps(log, "closing")[-1]
    stored = stamps(log, "stored")
    xlsx = stamps(log, "xlsx")[-1]
    history = stamps(log, "history")[-1]
    closed = stamps(log, "closed")[-1]
    return {
        "scraper_close_s": round(stored[0] - closing, 3),
        "feeds_close_s": round(stored[-1] - stored[0], 3),
        "workbook_close_s": round(xlsx - stored[-1], 3),
        "finish_run_s": round(history - xlsx, 3),
        "tail_s": round(closed - closing, 3),
    }


def crawl(repo: Path, url: str, work: Path) -> dict[str, Any]:
    log_format = "%(asctime)s.%(msecs)03d [%(name)s] %(levelname)s: %(message)s"  # ms stamps
    cmd = site_crawl_cmd(url, work / "exports", work / "state", settings={"LOG_FORMAT": log_format})
    status, log, rss_kb, cpu_s, wall = run_timed(cmd, repo, repo=repo)
    if status != 0:
        raise SystemExit(f"crawl with {repo} failed (exit {status}):\n{log[-3000:]}")
    stats = crawl_stats(log)
    return {
        **phases(log),
        "elapsed_s": round(stats.get("elapsed_time_seconds", 0.0), 3),
        "wall_s": round(wall, 3),
        "cpu_s": round(cpu_s, 3),
        "peak_rss_mb": round(rss_kb / 1024, 1),
        "responses": int(stats.get("downloader/response_count", 0)),
    }


def summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    keys = [k for k, v in runs[0].items() if isinstance(v, float)]
    out: dict[str, Any] = {}
    for key in keys:
        values = [r[key] for r in runs]
        out[f"{key}_best"] = round(min(values), 3)
        out[f"{key}_median"] = round(statistics.median(values), 3)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--baseline", type=Path, help="also crawl with this checkout's code")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    checkouts = {"new": REPO}
    if args.baseline:
        checkouts = {"old": args.baseline.resolve(), "new": REPO}
    site_dir = Path(tempfile.gettempdir()) / "newsspider-bench" / f"site-{args.articles}"
    synthetic_site.write_site(args.articles, site_dir)
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in checkouts}
    load_before = os.getloadavg()
    with (
        synthetic_site.nginx(site_dir) as url,
        tempfile.TemporaryDirectory(prefix="newsspider-tail-") as tmp,
    ):
        for n in range(args.rounds):
            for name, repo in checkouts.items():
                runs[name].append(crawl(repo, url, Path(tmp) / f"{name}-{n}"))
                print(name, json.dumps(runs[name][-1]), flush=True)
    result: dict[str, Any] = {
        "articles": args.articles,
        "rounds": args.rounds,
        "loadavg_before": load_before,
        "loadavg": os.getloadavg(),
        **{name: summary(r) for name, r in runs.items()},
    }
    if "old" in runs:
        for key in result["new"]:
            old = result["old"][key]
            result[f"ratio_{key}"] = round(result["new"][key] / old, 3) if old else None
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
