"""The run's commit (StateStore.commit_run): durable at once, its checkpoint left for later.

The whole run is one transaction, so at its COMMIT the WAL holds the run; SQLite's automatic
checkpoint would copy it into the database file inside the COMMIT (~1 s of writes and an
fsync at 2,000 articles, on the end of the run's path). The commit syncs the WAL instead
(``synchronous=FULL`` for that one commit) and the copy is done by :meth:`StateStore
.checkpoint_in_thread` (while the history's workbook child works) or at the last close.
"""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from newsspider.state.store import ArticleState, StateStore

ROWS = 600  # ~10 KB each: a WAL of ~6 MB, far over SQLite's 1,000-page auto checkpoint


def _write_run(store: StateStore, rows: int = ROWS) -> None:
    store.begin_run()
    store.start_run("r1", "site", "https://x.test/", "2026-02-21T00:00:00+00:00")
    for n in range(rows):
        store.save_article(
            ArticleState(
                f"x:{n}", "x", str(n), f"https://x.test/a/{n}", "t0", "t0", "t0", 1,
                f"h{n}", "live", None, None, {"headline": f"h {n}", "body": "w " * 5000},
            )
        )  # fmt: skip
    store.finish_run("r1", "2026-02-21T00:00:09+00:00", "finished", {"new": rows})


def _synchronous(store: StateStore) -> int:
    return int(store.db.execute("PRAGMA synchronous").fetchone()[0])


def test_the_commit_syncs_the_wal_and_leaves_the_copy_to_checkpoint(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with StateStore(path) as store:
        before = path.stat().st_size
        _write_run(store)
        assert _synchronous(store) == 2  # FULL: this commit syncs the WAL
        store.commit_run()
        assert _synchronous(store) == 1  # NORMAL again for the history's small writes
        # committed: another connection sees the run at once, from the WAL
        with StateStore(path) as reader:
            assert reader.article(f"x:{ROWS - 1}") is not None
            assert reader.runs()[0]["finish_reason"] == "finished"
        # but nothing was copied into the database file inside the commit
        assert path.stat().st_size < before + 1_000_000
        store.checkpoint_in_thread().join()
        assert path.stat().st_size > before + ROWS * 10_000 // 2
    # the last close checkpoints what is left and drops the WAL, as SQLite always does
    assert not Path(f"{path}-wal").exists()
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT count(*) FROM articles").fetchone()[0] == ROWS


def test_without_checkpoint_the_last_close_copies_the_run(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with StateStore(path) as store:
        before = path.stat().st_size
        _write_run(store)
        store.commit_run()
    assert path.stat().st_size > before + ROWS * 10_000 // 2
    assert not Path(f"{path}-wal").exists()


def test_a_kill_after_the_commit_keeps_the_run(tmp_path: Path) -> None:
    """Killed between the commit and any checkpoint (no close): the next open has the run."""
    # here, not at the top: the child imports this module, and needs none of conftest's imports
    from tests.conftest import run_python

    path = tmp_path / "s.sqlite3"
    code = (
        "import os, sys\n"
        "sys.path[:0] = [sys.argv[2]]\n"
        "from test_state_commit import _write_run\n"
        "from newsspider.state.store import StateStore\n"
        "store = StateStore(sys.argv[1])\n"
        "_write_run(store)\n"
        "store.commit_run()\n"
        "os._exit(0)\n"  # no close, no checkpoint: as a SIGKILL right after the commit
    )
    run_python(code, str(path), str(Path(__file__).parent))
    assert Path(f"{path}-wal").stat().st_size > ROWS * 10_000 // 2  # the run is in the WAL
    with StateStore(path) as store:
        assert store.article(f"x:{ROWS - 1}") is not None
        assert store.runs()[0]["counts"] == '{"new": 600}'


def test_a_rolled_back_run_leaves_normal_sync(tmp_path: Path) -> None:
    with StateStore(tmp_path / "s.sqlite3") as store:
        _write_run(store, rows=3)
        store.rollback_run()
        assert _synchronous(store) == 1
        assert store.article("x:0") is None


def test_the_history_refresh_checkpoints_beside_its_workbook_child(tmp_path: Path) -> None:
    """At the end of a first crawl: the run committed, its WAL copied into the file by a
    thread while the forked child writes history.xlsx; the thread is done on return."""
    from newsspider.history import write_history
    from newsspider.report import can_fork

    path = tmp_path / "s.sqlite3"
    with StateStore(path) as store:
        before = path.stat().st_size
        _write_run(store, rows=200)
        store.commit_run()
        assert path.stat().st_size < before + 1_000_000
        written = write_history(store, tmp_path / "history")
        assert written["articles_latest"] == 200
        assert (tmp_path / "history" / "history.xlsx").exists()
        if can_fork():  # else the last close checkpoints, as below
            assert path.stat().st_size > before + 200 * 10_000 // 2
        assert not [t for t in threading.enumerate() if t.name == "state-checkpoint"]
    assert path.stat().st_size > before + 200 * 10_000 // 2
