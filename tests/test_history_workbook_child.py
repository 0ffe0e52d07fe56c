"""history.xlsx written by a forked child while the tables and report.html are written here
(newsspider/report.py ``WorkbookChild``): the same files as the inline path, and the child's
error raised as the inline call raised it."""

from __future__ import annotations

import errno
import json
import os
import re
from pathlib import Path

import pytest

from newsspider import report
from newsspider.history import TABLES, WRITTEN_MARK, articles_certainly_written, write_history
from newsspider.report import REPORT_FILE, WORKBOOK_FILE, iter_sections
from newsspider.state.store import StateStore, StateWriteError
from tests import history_data
from tests.test_history_incremental import workbook_parts


def report_text(path: Path) -> str:
    """report.html without the time it was generated."""
    return re.sub(r"Generated [^ ]+ ", "", path.read_text(encoding="utf-8"))


def test_the_child_writes_the_workbook_the_inline_refresh_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    state = history_data.build(tmp_path / "state.sqlite3")
    with StateStore(state) as store:
        forked, inline = tmp_path / "forked" / "site", tmp_path / "inline" / "site"
        versions = store.table_versions()
        assert articles_certainly_written(store, forked, versions, 10, force=False)
        write_history(store, forked)
        monkeypatch.setattr(report, "can_fork", lambda: False)
        write_history(store, inline)
        assert workbook_parts(forked / WORKBOOK_FILE) == workbook_parts(inline / WORKBOOK_FILE)
        assert report_text(forked / REPORT_FILE) == report_text(inline / REPORT_FILE)
        assert list(iter_sections(report_text(forked / REPORT_FILE)))  # the charts are there
        for table in TABLES:
            name = f"{table}.csv"
            assert (forked / name).read_bytes() == (inline / name).read_bytes()
        # the child kept the workbook's layout in the state, as the inline call does
        layout = store.meta(f"workbook_basis:{forked.resolve()}")
        assert layout is not None and json.loads(layout).keys() == set(TABLES)
        # nothing changed since: neither path is taken again
        assert not articles_certainly_written(store, forked, versions, 10, force=False)


def test_the_childs_error_is_raised_and_leaves_no_mark(tmp_path: Path) -> None:
    state = history_data.build(tmp_path / "state.sqlite3")
    out = tmp_path / "history"
    (out / WORKBOOK_FILE).mkdir(parents=True)  # the workbook can't be renamed into place
    with StateStore(state) as store:
        with pytest.raises(OSError) as raised:
            write_history(store, out)
        assert raised.value.errno == errno.EISDIR
        assert WORKBOOK_FILE in str(raised.value)
        # the tables and the report were written meanwhile; the refresh is not marked done
        assert (out / "articles_latest.csv").is_file() and (out / REPORT_FILE).is_file()
        assert store.meta(f"{WRITTEN_MARK}:{out.resolve()}") is None
        # the workbook's temp file is the child's (another pid): the fork path was taken
        parts = [p.name for p in out.glob(f".{WORKBOOK_FILE}.*.part")]
        assert parts and f".{WORKBOOK_FILE}.{os.getpid()}.part" not in parts
        (out / WORKBOOK_FILE).rmdir()
        write_history(store, out)  # the next refresh writes it
        assert (out / WORKBOOK_FILE).is_file()
        assert not list(out.glob(".*.part"))  # the dead child's temp file is removed


def test_a_state_the_child_cannot_open_is_a_state_error(tmp_path: Path) -> None:
    # a folder where the state file should be: the child's StateStore can't open it
    child = report.WorkbookChild(tmp_path, tmp_path / "history", 10, reuse=False)
    with pytest.raises(StateWriteError, match=f"{WORKBOOK_FILE} not written: "):
        child.wait()
    assert not (tmp_path / "history" / WORKBOOK_FILE).exists()
