"""The end of a first crawl: the history tables, history.xlsx and report.html, old vs new code.

    python benchmarks/end_of_run.py --articles 2000 [--baseline /tmp/base-631d782]
                                    [--rounds 3] [--json out.json] [--synthetic]

1. crawls the synthetic site of N articles once (``benchmarks/synthetic_site.py`` on nginx,
   ``scrapy crawl site`` with this checkout, state on, ``NEWSSPIDER_HISTORY_ENABLED=False``):
   the state then holds the first crawl, and no history was written from it;
2. for each round, for each checkout (this one, and ``--baseline``'s), alternating: copies
   that state to a fresh folder and runs ``write_history`` on it in a new process with that
   checkout's code, exactly what the crawl's end of run does (``RunFilesExtension
   .refresh_history``: the six tables, then ``history.xlsx`` and ``report.html``);
   then (from a crawl, or ``--state`` with ``--run-dir``) gives the call the first crawl's run
   folder where the checkout's ``write_history`` takes it (``run_dir``: the articles it
   exported, spliced from its files), and measures in another fresh process the manifest's
   file entries of that folder (rows, bytes, SHA-256 of every file: ``reconcile``) and the
   run's schema;
3. reports per checkout the best and median wall and CPU of the call (user + system of the
   process and every process it starts, the same measure as ``throughput.py``), the peak RSS
   of the process (the imports plus the end of run), the history files' sizes, and whether
   the tables/workbook cells are the same (``same_output``: every table file byte for byte,
   the workbook's sheets cell by cell through openpyxl, report.html apart from its time).

``--synthetic``: the state is built through the StateStore API in seconds (the site's layout,
2 KB bodies) instead of crawled: for the end of run's memory at 50,000 articles.

The machine is shared: compare the two checkouts measured in the same run (ratios), and
record the load average (``loadavg``).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synthetic_site
from throughput import site_crawl_cmd

REPO = Path(__file__).resolve().parent.parent

# what one measured end of run does, in a fresh interpreter with the checkout's code
CHILD = r"""
import json, resource, sys, time
from pathlib import Path

def cpu(kids=True):
    own = resource.getrusage(resource.RUSAGE_SELF)
    if not kids:
        return own.ru_utime + own.ru_stime
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime

import inspect
from newsspider.history import write_history
from newsspider.state.store import StateStore

state, out = Path(sys.argv[1]), Path(sys.argv[2])
run_dir = Path(sys.argv[3]) if len(sys.argv) > 3 and sys.argv[3] else None
# as RunFilesExtension.refresh_history calls it: with the run's folder where the code takes it
takes = "run_dir" in inspect.signature(write_history).parameters
kwargs = {"run_dir": run_dir} if run_dir and takes else {}
with StateStore(state) as store:
    wall, used, own = time.perf_counter(), cpu(), cpu(kids=False)
    written = write_history(store, out, **kwargs)
    used, wall, own = cpu() - used, time.perf_counter() - wall, cpu(kids=False) - own
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"wall_s": wall, "cpu_s": used, "cpu_self_s": own, "peak_rss_mb": peak / 1024,
                  "rows": written}))
"""


# the manifest's side of the end of run (RunFilesExtension.reconcile / finish_files): an entry
# (rows, bytes, SHA-256) for every file of the run folder, and the run's schema.json
RECONCILE = r"""
import json, resource, sys, time
from pathlib import Path

def cpu():
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime

from newsspider.extensions import file_entry
from newsspider.schema import run_schema

run_dir = Path(sys.argv[1])
files = [p for p in sorted(run_dir.iterdir()) if p.is_file() and p.name != "manifest.json"]
wall, used = time.perf_counter(), cpu()
entries = {p.name: file_entry(p) for p in files}
run_schema()
used, wall = cpu() - used, time.perf_counter() - wall
print(json.dumps({"wall_s": wall, "cpu_s": used, "entries": entries}))
"""


def first_crawl(url: str, work: Path) -> Path:
    """The state file of one first crawl of ``url``, without its history."""
    settings = {"NEWSSPIDER_HISTORY_ENABLED": "False", "LOG_LEVEL": "WARNING"}
    cmd = site_crawl_cmd(url, work / "exports", work / "state", settings=settings)
    done = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"first crawl failed (exit {done.returncode}):\n{done.stderr[-3000:]}")
    states = sorted((work / "state").glob("*.sqlite3"))
    if len(states) != 1:
        raise SystemExit(f"expected one state file in {work / 'state'}, found {states}")
    return states[0]


def iso(minutes: int) -> str:
    day, rest = divmod(minutes, 1440)
    return f"2026-02-{1 + day % 28:02d}T{rest // 60:02d}:{rest % 60:02d}:00+00:00"


def synthetic_state(path: Path, articles: int) -> Path:
    """A first crawl's state built through the StateStore API (seconds, not a crawl): the
    synthetic site's layout (a front page of 121 slots, section pages of 20, a popular list
    of 10), 2 KB bodies. For memory at 50,000 articles; CPU per row is lower than a real
    crawl's (~25 KB bodies)."""
    from newsspider.state.store import ArticleState, StateStore

    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    with StateStore(path) as store:
        store.db.execute("BEGIN")
        for n in range(articles):
            data = {
                "url": f"https://s.test/a/{n}",
                "article_id": str(n),
                "headline": f"Headline number {n} about something",
                "section": f"section{n % 8}",
                "published_at": iso(n % 5000).replace("+00:00", "+09:00"),
                "body": "word " * 400,
            }
            key, url, at = f"s:{n}", f"https://s.test/a/{n}", iso(0)
            store.save_article(
                ArticleState(
                    key, "s", str(n), url, at, at, at, 1, f"h{n}", "live", None, None, data
                )
            )
        run_id, at = "r0", iso(6000)
        store.start_run(run_id, "site", "https://s.test/", at)
        pages = {"https://s.test/": range(min(121, articles))}
        for page in range(articles // 20):
            pages[f"https://s.test/section{page % 8}/page-{page}.html"] = range(
                page * 20, page * 20 + 20
            )
        for url, listed in pages.items():
            for position, n in enumerate(listed, start=1):
                store.add_slot(
                    {
                        "run_id": run_id,
                        "page_url": url,
                        "crawled_at": at,
                        "position_on_page": position,
                        "block": "Latest",
                        "position_in_block": position,
                        "headline": f"Headline number {n} about something",
                        "teaser": None,
                        "article_url": f"https://s.test/a/{n}",
                        "article_id": str(n),
                    }
                )
            store.record_observation("listing", run_id, url, at, f"s{url}", run_id)
        for rank in range(1, 11):
            store.add_popular_entry(
                {
                    "run_id": run_id,
                    "list_name": "Most Popular",
                    "crawled_at": at,
                    "rank": rank,
                    "headline": f"Headline number {rank}",
                    "article_url": f"https://s.test/a/{rank}",
                    "article_id": str(rank),
                }
            )
        store.record_observation("popular", run_id, "Most Popular", at, "p0", run_id)
        store.finish_run(run_id, at, "finished", {"items": articles, "rejects": 0})
        store.db.execute("COMMIT")
    return path


def reconcile(repo: Path, run_dir: Path) -> dict[str, Any]:
    """One measured pass of the manifest's file entries with ``repo``'s code."""
    return run_child(repo, [RECONCILE, str(run_dir)], "file entries")


def run_child(repo: Path, args: list[str], what: str) -> dict[str, Any]:
    """``python -c *args`` with ``repo``'s code first on the path; its last line, as JSON."""
    env = {**os.environ, "PYTHONPATH": str(repo)}
    done = subprocess.run(
        [sys.executable, "-c", *args],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{what} with {repo} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def end_of_run(repo: Path, state: Path, out: Path, run_dir: Path | None = None) -> dict[str, Any]:
    """One measured ``write_history`` with ``repo``'s code on a copy of ``state`` (given the
    first crawl's ``run_dir`` where that code takes it), then its file entries of ``run_dir``."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    copy = out / "state" / state.name
    copy.parent.mkdir()
    shutil.copyfile(state, copy)
    history = out / "history"
    result = run_child(repo, [CHILD, str(copy), str(history), str(run_dir or "")], "end of run")
    result["sizes"] = {p.name: p.stat().st_size for p in sorted(history.iterdir())}
    if run_dir is not None:
        entries = reconcile(repo, run_dir)
        result["reconcile_cpu_s"] = entries["cpu_s"]
        result["reconcile_wall_s"] = entries["wall_s"]
        result["entries"] = entries["entries"]
    return result


def workbook_cells(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        return {sheet.title: list(sheet.iter_rows(values_only=True)) for sheet in book}
    finally:
        book.close()


def same_output(a: Path, b: Path) -> dict[str, bool]:
    """Table files byte for byte, workbook cells, report.html without its generated time."""
    import re

    same: dict[str, bool] = {}
    for path in sorted(a.iterdir()):
        other = b / path.name
        if path.suffix in (".jsonl", ".csv"):
            same[path.name] = other.exists() and path.read_bytes() == other.read_bytes()
        elif path.suffix == ".xlsx":
            same[path.name] = other.exists() and workbook_cells(path) == workbook_cells(other)
        elif path.suffix == ".html":
            stamp = re.compile(r"Generated [^ ]+ ")
            same[path.name] = other.exists() and stamp.sub(
                "", path.read_text("utf-8")
            ) == stamp.sub("", other.read_text("utf-8"))
    return same


def summary(runs: list[dict[str, Any]]) -> dict[str, Any]:
    extra: dict[str, Any] = {}
    if "cpu_self_s" in runs[-1]:  # the process that called write_history, not the workbook child
        extra["cpu_self_s_best"] = round(min(r["cpu_self_s"] for r in runs), 3)
        extra["cpu_self_s_median"] = round(statistics.median(r["cpu_self_s"] for r in runs), 3)
    if "reconcile_cpu_s" in runs[-1]:
        totals = [r["cpu_s"] + r["reconcile_cpu_s"] for r in runs]
        own = [r["cpu_self_s"] + r["reconcile_cpu_s"] for r in runs]
        extra |= {
            "own_total_cpu_s_best": round(min(own), 3),
            "own_total_cpu_s_median": round(statistics.median(own), 3),
            "reconcile_cpu_s_best": round(min(r["reconcile_cpu_s"] for r in runs), 3),
            "reconcile_cpu_s_median": round(
                statistics.median(r["reconcile_cpu_s"] for r in runs), 3
            ),
            "total_cpu_s_best": round(min(totals), 3),
            "total_cpu_s_median": round(statistics.median(totals), 3),
        }
    return {
        **extra,
        "wall_s_best": round(min(r["wall_s"] for r in runs), 3),
        "wall_s_median": round(statistics.median(r["wall_s"] for r in runs), 3),
        "cpu_s_best": round(min(r["cpu_s"] for r in runs), 3),
        "cpu_s_median": round(statistics.median(r["cpu_s"] for r in runs), 3),
        "peak_rss_mb": round(max(r["peak_rss_mb"] for r in runs), 1),
        "sizes": runs[-1]["sizes"],
        "rows": runs[-1]["rows"],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", type=Path, help="also measure this checkout's code")
    parser.add_argument("--state", type=Path, help="reuse this state file (skip the crawl)")
    parser.add_argument(
        "--synthetic",
        action="store_true",
        help="build the state through the StateStore API instead of crawling (memory at 50k)",
    )
    parser.add_argument(
        "--run-dir", type=Path, help="with --state: that crawl's run folder (its exports)"
    )
    parser.add_argument("--keep", type=Path, help="work in this folder and keep it")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)

    work = args.keep or Path(tempfile.mkdtemp(prefix="newsspider-eor-"))
    work.mkdir(parents=True, exist_ok=True)
    state, run_dir = args.state, args.run_dir
    if state is None and args.synthetic:
        state = synthetic_state(work / "synthetic" / "s.sqlite3", args.articles)
    if state is None:
        site_dir = Path(tempfile.gettempdir()) / "newsspider-bench" / f"site-{args.articles}"
        synthetic_site.write_site(args.articles, site_dir)
        with synthetic_site.nginx(site_dir) as url:
            state = first_crawl(url, work / "crawl")
        run_dir = work / "crawl" / "exports" / "bench"
    checkouts = {"new": REPO}
    if args.baseline:
        checkouts = {"old": args.baseline.resolve(), "new": REPO}
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in checkouts}
    for _ in range(args.rounds):
        for name, repo in checkouts.items():
            runs[name].append(end_of_run(repo, state, work / name, run_dir))
            shown = {k: v for k, v in runs[name][-1].items() if k != "entries"}
            print(name, json.dumps(shown), flush=True)
    result: dict[str, Any] = {
        "articles": args.articles,
        "rounds": args.rounds,
        "loadavg": os.getloadavg(),
        **{name: summary(r) for name, r in runs.items()},
    }
    if "old" in runs:
        result["same_output"] = same_output(work / "old" / "history", work / "new" / "history")
        keys = ["wall_s_best", "cpu_s_best", "wall_s_median", "cpu_s_median"]
        if run_dir is not None:
            result["same_entries"] = runs["old"][-1]["entries"] == runs["new"][-1]["entries"]
            keys += ["reconcile_cpu_s_best", "total_cpu_s_best", "total_cpu_s_median"]
            keys += ["cpu_self_s_best", "own_total_cpu_s_best", "own_total_cpu_s_median"]
        for key in keys:
            result[f"ratio_{key}"] = round(result["new"][key] / result["old"][key], 3)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text + "\n", encoding="utf-8")
    result["state"] = "synthetic" if args.synthetic else "crawl"
    if not args.keep and args.state is None:
        shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
