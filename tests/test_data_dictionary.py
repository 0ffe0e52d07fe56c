"""docs/DATA_DICTIONARY.md documents every column of every exported item class, in order."""

from __future__ import annotations

import re
from dataclasses import is_dataclass
from pathlib import Path

import pytest

import newsspider.items as items_module
from newsspider.feeds import EXPORT_FILES
from newsspider.items import Reject, field_names

DOC = Path(__file__).resolve().parent.parent / "docs" / "DATA_DICTIONARY.md"
ITEM_CLASSES = [*EXPORT_FILES.values(), Reject]


def documented_columns(class_name: str) -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(rf"^## {class_name}\b.*?$(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, f"no '## {class_name}' section in {DOC.name}"
    return re.findall(r"^\| `([a-z_]+)` \|", match.group(1), re.M)


@pytest.mark.parametrize("item_class", ITEM_CLASSES, ids=lambda c: c.__name__)
def test_every_field_documented_in_order(item_class: type) -> None:
    assert documented_columns(item_class.__name__) == field_names(item_class)


def test_every_item_class_is_exported_or_rejects() -> None:
    classes = {
        obj for obj in vars(items_module).values() if isinstance(obj, type) and is_dataclass(obj)
    }
    assert classes == set(ITEM_CLASSES)


# --- history tables and workbook sheets ----------------------------------------------------------


def history_section(table: str) -> str:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(rf"^### {table}\n(.*?)(?=^##|\Z)", text, re.S | re.M)
    assert match, f"no '### {table}' section in {DOC.name}"
    return match.group(1)


def history_columns(tmp_path: Path) -> dict[str, list[str]]:
    from newsspider.history import build_history
    from newsspider.state.store import StateStore

    with StateStore(tmp_path / "s.sqlite3") as store:
        return {name: columns for name, (columns, _) in build_history(store).items()}


def test_every_history_table_documented(tmp_path: Path) -> None:
    from newsspider.history import ARTICLE_STATE_COLUMNS, TABLES
    from newsspider.items import Article, ArticleRevision

    columns = history_columns(tmp_path)
    assert list(columns) == list(TABLES)
    for table, names in columns.items():
        documented = re.findall(r"^\| `([a-z_]+)` \|", history_section(table), re.M)
        if table == "articles_latest":  # state columns, then every Article column
            assert documented == ARTICLE_STATE_COLUMNS
            rest = [n for n in field_names(Article) if n not in ARTICLE_STATE_COLUMNS]
            assert names == documented + rest
        elif table == "revisions":  # "the columns of ArticleRevision"
            assert documented == [] and "`ArticleRevision`" in history_section(table)
            assert names == field_names(ArticleRevision)
        else:
            assert documented == names, table


def test_workbook_sheets_and_extra_columns_documented() -> None:
    from newsspider.workbook import LOCAL_TIME_FIELDS, SHEET_NAMES, utc_column

    text = DOC.read_text(encoding="utf-8")
    section = text.split("### Excel workbooks", 1)[1].split("\n### ", 1)[0]
    listed = re.search(r"one sheet per table.*?:\n(.*?)\. ", section, re.S)
    assert listed
    assert re.findall(r"`([a-z_]+)`", listed.group(1)) == list(SHEET_NAMES.values())
    for name in LOCAL_TIME_FIELDS:
        assert f"| `{utc_column(name)}` |" in section
    assert "`truncated_fields`" in section
