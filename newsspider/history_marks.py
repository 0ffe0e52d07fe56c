"""What the end of every run needs from the history, without the table writers.

Every run records its health counts (:func:`health_counts`) and asks whether the history is
still current (:func:`only_observed_since_written`); only a run that changed something loads
:mod:`newsspider.history` (~1,000 lines: an unchanged recrawl compiled it for nothing where
no bytecode is written, docs/benchmarks/log.md "Session 9 (perf-recrawl)"). The names are also
importable from :mod:`newsspider.history`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from newsspider.state.store import StateStore

HISTORY_DIR = "history"
REPORT_FILE = "report.html"  # written beside the tables by newsspider.report
WORKBOOK_FILE = "history.xlsx"
TABLES = (
    "articles_latest",
    "frontpage_timeline",
    "popular_history",
    "revisions",
    "frontpage_snapshots",
    "runs",
)
# the health counts recorded per run (StatePipeline.close_spider -> runs.counts)
HEALTH_STATS = {
    "items": ("item_scraped_count",),  # rejects included: subtracted below
    "rejects": ("newsspider/rejected",),
    "failures": ("downloader/exception_count", "spider_exceptions/count"),
}


def history_dir_for(export_dir: Path, state_file: Path) -> Path:
    """``exports/history/news1global.com`` for ``state/news1global.com.sqlite3``."""
    return Path(export_dir) / HISTORY_DIR / state_file.name.removesuffix(".sqlite3")


def health_counts(stats: Mapping[str, Any]) -> dict[str, int]:
    """The crawl-health numbers of one run, from its Scrapy stats (kept in ``runs.counts``)."""
    counts = {
        name: sum(int(stats.get(key) or 0) for key in keys) for name, keys in HEALTH_STATS.items()
    }
    counts["items"] = max(counts["items"] - counts["rejects"], 0)
    counts["failures"] += sum(
        int(value or 0)
        for key, value in stats.items()
        if key.startswith("downloader/response_status_count/") and key.rsplit("/", 1)[-1] >= "400"
    )
    return counts


# --- a run that changed nothing ----------------------------------------------------------------
#
# An unchanged recrawl still writes its run record and its observations of the unchanged
# listing pages and popular lists (so the next changed run's history has them), and nothing
# else. Refreshing the history for it rewrote the front-page timeline, its sheet and the report
# only to move "last seen" (about a quarter of the recrawl's CPU): the end of such a run leaves
# the folder as the last refresh wrote it (NEWSSPIDER_HISTORY_SKIP_UNCHANGED).

WRITTEN_MARK = "history_written"  # state meta: the write counters of the last full refresh
# what a run that changed nothing writes to the state: its own record, its observations
OBSERVATION_TABLES = frozenset({"runs", "listing_observations", "popular_observations"})


def written_mark(versions: Mapping[str, int], top_n: int, report: bool) -> str:
    return json.dumps({"versions": dict(versions), "top_n": top_n, "report": report})


def only_observed_since_written(
    store: StateStore, out_dir: Path, top_n: int = 10, *, report: bool = True
) -> bool:
    """True when the history in ``out_dir`` was last refreshed in full (every table, and with
    ``report`` the workbook and report) and since then the state was written only by runs
    that changed nothing (:data:`OBSERVATION_TABLES`), its files all still there.

    Any other write (an article, a slot, a popular entry, a revision, a refresh that failed
    half-way and so left the older mark) makes it False: the end of the run refreshes.
    """
    try:
        mark = json.loads(store.meta(f"{WRITTEN_MARK}:{out_dir.resolve()}") or "{}")
        then = {str(k): int(v) for k, v in mark["versions"].items()}
        same_options = mark["top_n"] == top_n and (mark["report"] or not report)
    except (KeyError, TypeError, ValueError, AttributeError):
        return False
    now = store.table_versions()
    if not same_options or set(then) != set(now):
        return False
    if any(then[t] != version for t, version in now.items() if t not in OBSERVATION_TABLES):
        return False
    files = [f"{name}{suffix}" for name in TABLES for suffix in (".jsonl", ".csv")]
    if report:
        files += [WORKBOOK_FILE, REPORT_FILE]
    return all((out_dir / name).is_file() for name in files)
