"""The history workbook's row writer (TableSheetWriter) writes the bytes SheetWriter writes."""

from __future__ import annotations

import io
import math
import zipfile
from collections.abc import Mapping, Sequence
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from newsspider.exporters import EXCEL_CELL_LIMIT
from newsspider.history import ARTICLES_LATEST_COLUMNS
from newsspider.workbook import SheetWriter, TableSheetWriter, new_workbook

COLUMNS = [
    "article_id",
    "published_at",  # a local time: followed by its UTC column
    "first_seen",  # a UTC time
    "page_date",  # a date
    "on_page_now",
    "runs_seen",
    "minutes_on_page",
    "headlines",
    "body",
    "url",
    "extra",
]

ROWS: list[dict[str, Any]] = [
    {
        "article_id": "a1",
        "published_at": "2026-02-21T09:05:00+09:00",
        "first_seen": "2026-02-21T00:10:00+00:00",
        "page_date": "2026-02-21",
        "on_page_now": True,
        "runs_seen": 3,
        "minutes_on_page": 15.0,
        "headlines": ["One", "Two"],
        "body": " leading space & <tags>\n",
        "url": "https://x.example/a1",
        "extra": {"b": 1, "a": [1, 2]},
    },
    {},  # an empty row: no cell at all
    {"article_id": "=SUM(A1:A2)", "published_at": "not a date", "page_date": "2026-13-40"},
    {"on_page_now": False, "runs_seen": 0, "minutes_on_page": -1.5, "headlines": []},
    {"body": "x" * (EXCEL_CELL_LIMIT + 10), "first_seen": "2026-02-21T00:10:00"},
    {"body": "_x0041_ looks like an escape \x01 control \ufffe", "article_id": "<r>rich</r>"},
    {"body": "\U0001f389" * 20_000},  # over XlsxWriter's UTF-16 limit: SheetWriter's own path
    {"runs_seen": math.nan, "minutes_on_page": 1e16, "article_id": ""},
    {"runs_seen": 10**20, "minutes_on_page": 0.1 + 0.2, "published_at": 5},
]


def sheet_bytes(writer_class: type[SheetWriter], columns: Sequence[str], rows: Any) -> bytes:
    buffer = io.BytesIO()
    book = new_workbook(buffer, compresslevel=1)
    book.nan_inf_to_errors = True  # NaN/infinity cells: XlsxWriter's own formulas
    writer = writer_class(book, "t", columns, links=False)
    for row in rows:
        writer.write(row.get)
    writer.close()
    book.close()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        return archive.read("xl/worksheets/sheet1.xml") + archive.read("xl/styles.xml")


def test_table_rows_are_sheetwriters_bytes_for_every_kind_of_value() -> None:
    fast = sheet_bytes(TableSheetWriter, COLUMNS, ROWS)
    assert fast == sheet_bytes(SheetWriter, COLUMNS, ROWS)
    assert b't="b"' in fast and b"<v>15</v>" in fast  # booleans and numbers are typed
    assert b'<autoFilter ref="A1:M10"/>' in fast  # 9 rows after the header


def test_table_rows_count_truncations_and_widths_as_sheetwriter() -> None:
    buffer = io.BytesIO()
    book = new_workbook(buffer)
    book.nan_inf_to_errors = True
    slow = SheetWriter(book, "slow", COLUMNS, links=False)
    fast = TableSheetWriter(book, "fast", COLUMNS, links=False)
    for row in ROWS:
        slow.write(row.get)
        fast.write(row.get)
    assert (fast.rows, fast.sheet_row, fast.truncated_cells) == (len(ROWS), len(ROWS), 1)
    assert (fast.rows, fast.truncated_cells, fast.widths) == (
        slow.rows,
        slow.truncated_cells,
        slow.widths,
    )
    book.close()


values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**15), max_value=10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=40),
    st.lists(st.text(max_size=8), max_size=3),
    st.sampled_from(["2026-02-21T09:05:00+09:00", "2026-02-21", "2026-02-21T00:10:00Z"]),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.dictionaries(st.sampled_from(COLUMNS), values), min_size=1, max_size=6))
def test_table_rows_match_sheetwriter_on_any_row(rows: list[Mapping[str, Any]]) -> None:
    assert sheet_bytes(TableSheetWriter, COLUMNS, rows) == sheet_bytes(SheetWriter, COLUMNS, rows)


def test_a_history_article_row_is_written_the_same() -> None:
    row = {name: None for name in ARTICLES_LATEST_COLUMNS}
    row.update(
        article_key="s:1",
        status="live",
        revision=2,
        first_seen="2026-02-21T00:10:00+00:00",
        published_at="2026-02-21T09:05:00+09:00",
        updated_at="2026-02-21T10:05:00+09:00",
        headline="A headline",
        body="Body text.\n\nSecond paragraph.",
        authors=["A", "B"],
    )
    rows = [row, row]
    fast = sheet_bytes(TableSheetWriter, ARTICLES_LATEST_COLUMNS, rows)
    assert fast == sheet_bytes(SheetWriter, ARTICLES_LATEST_COLUMNS, rows)
