"""The end of a first crawl (history tables, report.html) holds nothing per article: its peak
Python memory is the same for 500 and for 3,000 articles.

The report's delays join every story's publication time with its first time on a listing page:
both used to be dicts (and a JSON text) of one entry per article, ~10 MB at 50,000 articles.
They are now joined in the state file (``report_published``, a temp table).
"""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest

from benchmarks.end_of_run import synthetic_state
from newsspider.history import write_history
from newsspider.state.store import StateStore

SMALL, BIG = 500, 3000
# bytes per extra article: the dicts and text took ~270 (1dbea64), the state ~20
BOUND_PER_ARTICLE = 100


def traced_peak(tmp_path: Path, articles: int) -> int:
    state = synthetic_state(tmp_path / f"s{articles}.sqlite3", articles)
    with StateStore(state) as store:
        tracemalloc.start()
        try:
            write_history(store, tmp_path / f"h{articles}")
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    return peak


@pytest.mark.slow  # two end of runs of a few thousand articles under tracemalloc
def test_end_of_run_memory_does_not_grow_with_the_articles(tmp_path: Path) -> None:
    traced_peak(tmp_path, 20)  # the lazy imports (workbook writer, report) outside the window
    small, big = traced_peak(tmp_path, SMALL), traced_peak(tmp_path, BIG)
    growth = (big - small) / (BIG - SMALL)
    assert growth < BOUND_PER_ARTICLE, (
        f"end of run peak {small / 2**20:.2f} MiB at {SMALL} articles,"
        f" {big / 2**20:.2f} MiB at {BIG}: {growth:.0f} bytes per article"
    )
