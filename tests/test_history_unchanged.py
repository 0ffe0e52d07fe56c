"""A run that changed nothing leaves the history folder as the last full refresh wrote it
(newsspider/history.py ``only_observed_since_written``, ``NEWSSPIDER_HISTORY_SKIP_UNCHANGED``).

Such a run writes only its run record and its observations of unchanged pages; the next
refresh (a run that changed something, or ``newsspider history rebuild``) still gives exactly
the files of a full rebuild, those runs included.
"""

from __future__ import annotations

import json
import os
import re
import time
from dataclasses import replace
from pathlib import Path

import pytest

from newsspider.history import (
    TABLES,
    WRITTEN_MARK,
    only_observed_since_written,
    write_history,
)
from newsspider.report import REPORT_FILE, WORKBOOK_FILE
from newsspider.state.store import StateStore
from tests import history_data
from tests.conftest import run_crawl
from tests.history_data import FRONT, SITE
from tests.servers import StaticSite
from tests.test_history_incremental import add_unchanged_run, assert_same_as_rebuild
from tools.demo import build


def history_files(out: Path) -> list[Path]:
    tables = [out / f"{t}{s}" for t in TABLES for s in (".jsonl", ".csv")]
    return [*tables, out / WORKBOOK_FILE, out / REPORT_FILE]


def test_only_observations_since_the_refresh_leave_it_current(tmp_path: Path) -> None:
    out = tmp_path / "history"
    with StateStore(history_data.build(tmp_path / "state.sqlite3")) as store:
        assert not only_observed_since_written(store, out)  # never written
        write_history(store, out)
        assert only_observed_since_written(store, out)
        add_unchanged_run(store, 6)
        add_unchanged_run(store, 7)
        assert only_observed_since_written(store, out)
        assert only_observed_since_written(store, out, report=False)
        assert not only_observed_since_written(store, out, top_n=3)  # another timeline
        assert not only_observed_since_written(store, tmp_path / "elsewhere")

        # the next refresh holds the skipped runs: the files of a full rebuild
        key = f"{SITE}:105"
        state = store.article(key)
        assert state is not None
        store.save_article(replace(state, last_seen=history_data.run_time(8)))
        assert not only_observed_since_written(store, out)
        write_history(store, out)
        runs = (out / "runs.jsonl").read_text(encoding="utf-8")
        assert '"run_id":"run6"' in runs and '"run_id":"run7"' in runs
        assert_same_as_rebuild(store, out, tmp_path / "rebuild")
        assert only_observed_since_written(store, out)


@pytest.mark.parametrize("change", ["slot", "popular_entry", "missing_file", "no_report"])
def test_anything_but_observations_makes_a_refresh(tmp_path: Path, change: str) -> None:
    out = tmp_path / "history"
    with StateStore(history_data.build(tmp_path / "state.sqlite3")) as store:
        write_history(store, out, report=change != "no_report")
        add_unchanged_run(store, 6)
        if change == "slot":
            slot = store.snapshot_slots("run5", FRONT)[0]
            store.add_slot(dict(slot, run_id="run6", position_on_page=999))
        elif change == "popular_entry":
            store.add_popular_entry(
                {
                    "run_id": "run6",
                    "list_name": "Most Popular Articles",
                    "crawled_at": history_data.run_time(6),
                    "rank": 11,
                    "headline": "Story 9",
                    "article_url": "https://news.example/a/109",
                    "article_id": "109",
                }
            )
        elif change == "missing_file":
            (out / REPORT_FILE).unlink()
        assert not only_observed_since_written(store, out), change


def test_a_refresh_that_did_not_finish_leaves_no_mark_to_skip_on(tmp_path: Path) -> None:
    out = tmp_path / "history"
    with StateStore(history_data.build(tmp_path / "state.sqlite3")) as store:
        write_history(store, out)
        key = f"{SITE}:105"
        state = store.article(key)
        assert state is not None
        store.save_article(replace(state, last_seen=history_data.run_time(8)))
        # the refresh fails after its tables, before the workbook (a file where a temp goes)
        (out / WORKBOOK_FILE).unlink()
        (out / WORKBOOK_FILE).mkdir()
        with pytest.raises(OSError):
            write_history(store, out)
        (out / WORKBOOK_FILE).rmdir()
        add_unchanged_run(store, 9)
        assert not only_observed_since_written(store, out)
        mark = json.loads(store.meta(f"{WRITTEN_MARK}:{out.resolve()}") or "{}")
        assert mark["versions"]["articles"] != store.table_versions()["articles"]


def mtimes(out: Path) -> dict[str, int]:
    return {p.name: p.stat().st_mtime_ns for p in history_files(out)}


@pytest.mark.e2e
def test_an_unchanged_recrawl_leaves_the_history_and_the_next_change_refreshes_it(
    tmp_path: Path,
) -> None:
    root = tmp_path / "site"
    build.write_site(root)
    settings = {"NEWSSPIDER_STATE_DIR": str(tmp_path / "state")}
    exports = tmp_path / "exports"
    with StaticSite(root) as site:
        url = f"url={site.url}"
        key = f"local-127.0.0.1-{site.server.server_address[1]}"
        out = exports / "history" / key
        first = run_crawl("frontpage", exports, url, settings=settings, run_id="run1")
        assert first.returncode == 0, first.log[-3000:]
        before = mtimes(out)
        time.sleep(0.05)
        second = run_crawl("frontpage", exports, url, settings=settings, run_id="run2")
        assert second.returncode == 0, second.log[-3000:]
        assert re.search(r"'newsspider/history/unchanged': 1", second.log)
        assert "left as it is: this run changed nothing" in second.log
        assert mtimes(out) == before
        assert '"run_id":"run2"' not in (out / "runs.jsonl").read_text(encoding="utf-8")
        # the run's own files, manifest and latest are there as for any run
        manifest = json.loads((exports / "run2" / "manifest.json").read_text(encoding="utf-8"))
        assert manifest["health"]["status"] == "ok"
        assert os.path.realpath(exports / "latest") == str((exports / "run2").resolve())

        # turned off: the same unchanged run refreshes, and the history has both runs
        third = run_crawl(
            "frontpage",
            exports,
            url,
            settings={**settings, "NEWSSPIDER_HISTORY_SKIP_UNCHANGED": "False"},
            run_id="run3",
        )
        assert third.returncode == 0, third.log[-3000:]
        assert "'newsspider/history/unchanged'" not in third.log
        runs = (out / "runs.jsonl").read_text(encoding="utf-8")
        assert '"run_id":"run2"' in runs and '"run_id":"run3"' in runs
