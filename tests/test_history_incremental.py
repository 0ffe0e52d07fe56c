"""The end of a run costs what the run changed: history tables and workbook sheets whose
source tables were not written are neither read nor rewritten, and the result is always
exactly what a full rebuild writes (newsspider/history.py, newsspider/workbook.py)."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Iterator, Mapping
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from newsspider.history import APPEND_MARK, APPENDED, TABLES, write_history
from newsspider.report import REPORT_FILE, WORKBOOK_FILE
from newsspider.state.store import StateStore
from newsspider.workbook import write_workbook
from tests import history_data
from tests.history_data import FRONT, SITE

# docProps/core.xml holds the time the workbook was written; report.html its generated time
VOLATILE_PARTS = {"docProps/core.xml"}


def workbook_parts(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as book:
        assert book.testzip() is None  # every member's CRC checks out
        return {name: book.read(name) for name in book.namelist() if name not in VOLATILE_PARTS}


def assert_same_as_rebuild(store: StateStore, out: Path, rebuilt: Path) -> None:
    write_history(store, rebuilt, force=True)
    for table in TABLES:
        for suffix in (".jsonl", ".csv"):
            name = f"{table}{suffix}"
            assert (out / name).read_bytes() == (rebuilt / name).read_bytes(), name
    assert workbook_parts(out / WORKBOOK_FILE) == workbook_parts(rebuilt / WORKBOOK_FILE)


def add_unchanged_run(store: StateStore, run: int) -> None:
    """A recrawl of an unchanged site: a run row and observations that point at the last
    snapshot (no new slots), no article written."""
    run_id = f"run{run}"
    when = history_data.run_time(run)
    store.start_run(run_id, "frontpage", FRONT, when)
    store.record_observation("listing", run_id, FRONT, when, "same", "run5")
    store.record_observation("popular", run_id, "Most Popular Articles", when, "same", "run5")
    store.finish_run(run_id, when.replace(":00:00", ":01:00"), "finished", {"items": 0})


def test_runs_that_change_little_give_the_files_of_a_full_rebuild(tmp_path: Path) -> None:
    out = tmp_path / "history"
    with StateStore(history_data.build(tmp_path / "state.sqlite3")) as store:
        write_history(store, out)
        assert_same_as_rebuild(store, out, tmp_path / "rebuild0")
        articles = out / "articles_latest.jsonl"
        before = articles.stat()

        add_unchanged_run(store, 6)
        write_history(store, out)
        # not rewritten (same inode and time), yet the run shows in the runs table
        after = articles.stat()
        assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
        assert '"run_id":"run6"' in (out / "runs.jsonl").read_text(encoding="utf-8")
        assert_same_as_rebuild(store, out, tmp_path / "rebuild1")

        # a run that re-fetched one article (304: last_seen moves) and changed nothing else
        add_unchanged_run(store, 7)
        key = f"{SITE}:105"
        state = store.article(key)
        assert state is not None
        store.save_article(replace(state, last_seen=history_data.run_time(7)))
        write_history(store, out)
        assert articles.stat().st_mtime_ns != before.st_mtime_ns
        assert history_data.run_time(7) in articles.read_text(encoding="utf-8")
        assert_same_as_rebuild(store, out, tmp_path / "rebuild2")

        # a file removed by hand is written again even though its basis did not change
        (out / "runs.csv").unlink()
        (out / WORKBOOK_FILE).unlink()
        write_history(store, out)
        assert_same_as_rebuild(store, out, tmp_path / "rebuild3")
        assert (out / REPORT_FILE).exists()


def test_the_table_versions_count_every_write(tmp_path: Path) -> None:
    with StateStore(history_data.build(tmp_path / "state.sqlite3")) as store:
        versions = store.table_versions()
        assert versions["runs"] > 0 and versions["articles"] == history_data.STORIES
        add_unchanged_run(store, 6)
        after = store.table_versions()
        assert after["runs"] > versions["runs"]
        assert after["listing_observations"] == versions["listing_observations"] + 1
        unchanged = ("articles", "revisions", "frontpage_slots", "popular_entries")
        assert all(after[t] == versions[t] for t in unchanged)
        store.touch_article(f"{SITE}:100", "2030-01-01T00:00:00+00:00")
        assert store.table_versions()["articles"] == versions["articles"] + 1


def never_read() -> Iterator[Mapping[str, Any]]:
    raise AssertionError("a reused sheet's rows were read")
    yield {}  # pragma: no cover - makes this a generator


def rows(n: int, tag: str = "") -> list[dict[str, Any]]:
    return [
        {"a": f"text {i}{tag}", "n": i, "first_seen": "2026-02-21T08:00:00+00:00"} for i in range(n)
    ]


def test_a_reused_sheet_is_copied_not_read(tmp_path: Path) -> None:
    columns = ["a", "n", "first_seen"]
    path = tmp_path / "book.xlsx"
    widths: dict[str, list[int]] = {}
    write_workbook(path, {"big": (columns, rows(50)), "small": (columns, rows(3))}, widths=widths)
    full = tmp_path / "full.xlsx"
    tables = {"big": (columns, rows(50)), "small": (columns, rows(4, "x"))}
    write_workbook(full, tables)
    counts = write_workbook(
        path,
        {"big": (columns, never_read()), "small": (columns, rows(4, "x"))},
        reuse={"big": (50, widths["big"])},
    )
    assert counts == {"big": 50, "small": 4}
    assert workbook_parts(path) == workbook_parts(full)


@pytest.mark.parametrize("old_sheets", [["small"], ["big (2)", "small"]])
def test_a_sheet_missing_from_the_old_workbook_is_written(
    tmp_path: Path, old_sheets: list[str]
) -> None:
    columns = ["a", "n", "first_seen"]
    path = tmp_path / "book.xlsx"
    write_workbook(path, {name: (columns, rows(2)) for name in old_sheets})
    tables = {"big": (columns, rows(5)), "small": (columns, rows(2))}
    write_workbook(path, tables, reuse={"big": (5, [5, 5, 20])})
    full = tmp_path / "full.xlsx"
    write_workbook(full, {"big": (columns, rows(5)), "small": (columns, rows(2))})
    assert workbook_parts(path) == workbook_parts(full)


def test_report_figures_kept_in_the_state_are_those_of_a_fresh_read(tmp_path: Path) -> None:
    from newsspider.report import ARTICLE_FIGURES_KEY, collect

    def fresh(store: StateStore) -> Any:
        store.set_meta(ARTICLE_FIGURES_KEY, "{}")
        return replace(collect(store), generated_at="")

    with StateStore(history_data.build(tmp_path / "state.sqlite3")) as store:
        first = fresh(store)
        assert first.articles == history_data.STORIES and first.per_hour
        assert replace(collect(store), generated_at="") == first  # from the state's copy
        add_unchanged_run(store, 6)
        assert replace(collect(store), generated_at="") == fresh(store)
        state = store.article(f"{SITE}:104")
        assert state is not None
        data = {**state.data, "published_at": "2026-02-01T03:00:00+00:00", "section": "new"}
        store.save_article(replace(state, data=data, revision=3))
        changed = replace(collect(store), generated_at="")  # the write invalidates the copy
        assert changed == fresh(store) and changed != first
        assert changed.by_revision[3] == 1


# ------------------------------------------------------------------ frontpage_snapshots appends


def snapshots_hash(store: StateStore, out: Path) -> str | None:
    return store.meta(f"history_hash:{out.resolve()}:frontpage_snapshots")


def test_unchanged_runs_append_to_the_snapshots_and_give_a_full_rebuild(tmp_path: Path) -> None:
    out = tmp_path / "history"
    with StateStore(history_data.build(tmp_path / "state.sqlite3")) as store:
        write_history(store, out)
        before = (out / "frontpage_snapshots.jsonl").read_bytes()
        assert snapshots_hash(store, out) != APPENDED  # the first write is a whole one
        for run in (6, 7):
            add_unchanged_run(store, run)
            write_history(store, out)
            assert snapshots_hash(store, out) == APPENDED
            assert_same_as_rebuild(store, out, tmp_path / f"rebuild{run}")
        after = (out / "frontpage_snapshots.jsonl").read_bytes()
        assert after.startswith(before) and b'"run_id":"run7"' in after[len(before) :]


def test_a_snapshot_row_that_sorts_before_the_end_makes_a_whole_write(tmp_path: Path) -> None:
    out = tmp_path / "history"
    with StateStore(history_data.build(tmp_path / "state.sqlite3")) as store:
        write_history(store, out)
        add_unchanged_run(store, 6)
        # a page whose rows sort before the front page's (by URL): not an append
        when = history_data.run_time(6)
        store.record_observation("listing", "run6", "https://a.example/", when, "same", "run5")
        write_history(store, out)
        assert snapshots_hash(store, out) not in (None, APPENDED)
        assert_same_as_rebuild(store, out, tmp_path / "rebuild")


def test_a_replaced_snapshot_row_makes_a_whole_write(tmp_path: Path) -> None:
    out = tmp_path / "history"
    with StateStore(history_data.build(tmp_path / "state.sqlite3")) as store:
        write_history(store, out)
        add_unchanged_run(store, 6)
        # run5's observation written again (INSERT OR REPLACE): an old row changed
        store.record_observation("listing", "run5", FRONT, history_data.run_time(6), "x", "run5")
        write_history(store, out)
        assert snapshots_hash(store, out) not in (None, APPENDED)
        assert_same_as_rebuild(store, out, tmp_path / "rebuild")


def test_a_lost_mark_makes_a_whole_write(tmp_path: Path) -> None:
    """A run killed between an append and its new mark leaves no mark: never appended twice."""
    out = tmp_path / "history"
    with StateStore(history_data.build(tmp_path / "state.sqlite3")) as store:
        write_history(store, out)
        add_unchanged_run(store, 6)
        store.set_meta(f"{APPEND_MARK}:{out.resolve()}:frontpage_snapshots", "{}")
        write_history(store, out)
        assert snapshots_hash(store, out) not in (None, APPENDED)
        assert_same_as_rebuild(store, out, tmp_path / "rebuild")


def test_appended_sheet_rows_give_the_sheet_of_a_full_write(tmp_path: Path) -> None:
    columns = ["a", "n", "first_seen"]
    path = tmp_path / "book.xlsx"
    widths: dict[str, list[int]] = {}
    every = rows(60)
    write_workbook(path, {"big": (columns, every[:50]), "small": (columns, rows(3))}, widths=widths)
    full = tmp_path / "full.xlsx"
    write_workbook(full, {"big": (columns, every), "small": (columns, rows(4, "x"))})
    counts = write_workbook(
        path,
        {"big": (columns, every[50:]), "small": (columns, rows(4, "x"))},
        append={"big": (50, widths["big"])},
    )
    assert counts == {"big": 60, "small": 4}
    assert workbook_parts(path) == workbook_parts(full)


def test_a_workbook_removed_by_hand_after_an_unchanged_run_is_written_whole(
    tmp_path: Path,
) -> None:
    out = tmp_path / "history"
    with StateStore(history_data.build(tmp_path / "state.sqlite3")) as store:
        write_history(store, out)
        add_unchanged_run(store, 6)
        (out / WORKBOOK_FILE).unlink()
        write_history(store, out)
        assert_same_as_rebuild(store, out, tmp_path / "rebuild")


def test_a_mark_of_other_columns_makes_a_whole_write(tmp_path: Path) -> None:
    out = tmp_path / "history"
    with StateStore(history_data.build(tmp_path / "state.sqlite3")) as store:
        write_history(store, out)
        add_unchanged_run(store, 6)
        key = f"{APPEND_MARK}:{out.resolve()}:frontpage_snapshots"
        mark = json.loads(store.meta(key) or "{}")
        store.set_meta(key, json.dumps({**mark, "columns": mark["columns"][:-1]}))
        write_history(store, out)
        assert snapshots_hash(store, out) not in (None, APPENDED)
        assert_same_as_rebuild(store, out, tmp_path / "rebuild")
