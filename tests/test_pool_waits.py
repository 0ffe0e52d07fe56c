"""benchmarks/pool_waits.py: the steady state's shares from the probe's schedstat samples."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))

import pool_waits  # benchmarks/, on the path above


def sample(
    t: float, responses: int, main: tuple[float, float], worker: tuple[float, float]
) -> dict[str, Any]:
    return {
        "t": t,
        "responses": responses,
        "main_run": main[0],
        "main_wait": main[1],
        "worker_run": worker[0],
        "worker_wait": worker[1],
    }


def test_steady_state_starts_at_the_given_response_and_splits_the_wall_time() -> None:
    rows = [
        sample(0.0, 0, (0.5, 0.0), (0.0, 0.0)),  # start-up: left out
        sample(1.0, 300, (1.0, 0.1), (0.4, 0.0)),
        sample(3.0, 700, (2.6, 0.3), (1.6, 0.6)),
    ]
    out = pool_waits.steady_state(rows, 300)
    assert out["pages_per_s"] == 200.0 and out["wall_s"] == 2.0
    assert (out["main_running"], out["main_waiting"], out["main_sleeping"]) == (0.8, 0.1, 0.1)
    assert (out["worker_running"], out["worker_waiting"]) == (0.6, 0.3)
    assert out["worker_sleeping"] == pytest.approx(0.1)
    assert out["main_ms_per_page"] == 4.0 and out["worker_ms_per_page"] == 3.0


def test_a_crawl_that_never_reaches_the_steady_state_says_so() -> None:
    with pytest.raises(SystemExit, match="never reached 300"):
        pool_waits.steady_state(
            [sample(0.0, 0, (0, 0), (0, 0)), sample(1, 100, (1, 0), (0, 0))], 300
        )


def test_schedstat_reads_this_thread_and_nothing_for_a_missing_one() -> None:
    run, wait = pool_waits.schedstat(threading.get_native_id())
    assert run > 0 and wait >= 0
    assert pool_waits.schedstat(2**31 - 1) == (0.0, 0.0)


def test_the_steady_state_ends_with_the_last_sample_that_saw_the_worker() -> None:
    rows = [
        {**sample(1.0, 300, (1.0, 0.0), (1.0, 0.0)), "workers": 1},
        {**sample(2.0, 500, (1.5, 0.0), (1.8, 0.0)), "workers": 1},
        {**sample(2.25, 520, (1.6, 0.0), (0.0, 0.0)), "workers": 0},  # the pool has stopped
    ]
    out = pool_waits.steady_state(rows, 300)
    assert out["pages_per_s"] == 200.0 and out["worker_running"] == 0.8
