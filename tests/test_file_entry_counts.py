"""The manifest's one-pass row count (extensions.file_entry) against the full parse
(extensions.count_rows: csv.reader / non-blank lines), for files our exporters write and for
files they could not have written (which must fall back to the full parse)."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsspider.exporters import JsonLinesExporter, SpreadsheetCsvItemExporter
from newsspider.extensions import count_rows, file_entry, sha256_of
from newsspider.records import CsvRecordCounter, JsonlRowCounter

COLUMNS = ["a", "b", "c"]
# the characters that decide a record's end: quotes, CR, LF, CRLF, commas, and some text
cell_text = st.text(
    alphabet=st.sampled_from(['"', "\r", "\n", ",", "x", "é", " ", "="]), max_size=12
)
cell = st.one_of(st.none(), cell_text, st.integers(-5, 5), st.booleans())
rows = st.lists(st.fixed_dictionaries({c: cell for c in COLUMNS}), max_size=8)


def exported(rows: list[dict[str, object]], exporter_class: type) -> bytes:
    buffer = io.BytesIO()
    exporter = exporter_class(buffer, fields_to_export=COLUMNS)
    exporter.start_exporting()
    for row in rows:
        exporter.export_item(row)
    if exporter_class is SpreadsheetCsvItemExporter:
        exporter.stream.flush()  # finish_exporting would detach it from the buffer
    else:
        exporter.finish_exporting()
    return buffer.getvalue()


def reference(path: Path, name: str) -> dict[str, object]:
    return {
        "rows": count_rows(path, name),
        "bytes": path.stat().st_size,
        "sha256": sha256_of(path),
    }


@settings(max_examples=150, deadline=None)
@given(rows=rows, chunk_size=st.integers(1, 9))
def test_counts_what_the_exporters_write_as_the_full_parse_does(
    tmp_path_factory: pytest.TempPathFactory, rows: list[dict[str, object]], chunk_size: int
) -> None:
    folder = tmp_path_factory.mktemp("files")
    for name, exporter_class in (
        ("t.csv", SpreadsheetCsvItemExporter),
        ("t.jsonl", JsonLinesExporter),
    ):
        path = folder / (name + ".part")
        path.write_bytes(exported(rows, exporter_class))
        entry = file_entry(path, name, chunk_size=chunk_size)
        assert entry == reference(path, name)
        assert entry["rows"] == len(rows)


@pytest.mark.parametrize(
    ("name", "data", "rows"),
    [
        # a blank line is not a row: the one-pass count can't tell, the full parse does
        ("x.jsonl", b'{"a":1}\n\n{"a":2}\n', 2),
        ("x.jsonl", b'{"a":1}\n   \n', 1),
        ("x.jsonl", b'{"a":1}\n{"a":2}', 2),  # a last line without its end
        ("x.jsonl", b"", 0),
        ("x.csv", b'\xef\xbb\xbf"a","b"\r\n"1","2"\r\n', 1),
        ("x.csv", b'"a"\r\n"1"\r\n"2"', 2),  # a last record without its end
        ("x.csv", b'"a"\r\n"x\r\ny"\r\n', 1),  # CRLF inside a quoted cell
        ("x.csv", b'"a"\r\n"x""\r\n""y"\r\n', 1),  # a doubled quote before the CRLF
        ("x.csv", b'"a"\r\n"torn\r\n', 1),  # ends inside quotes: the full parse decides
        ("x.csv", b"", 0),
    ],
)
@pytest.mark.parametrize("chunk_size", [1, 2, 3, 1 << 20])
def test_odd_files_get_the_full_parses_count(
    tmp_path: Path, name: str, data: bytes, rows: int, chunk_size: int
) -> None:
    path = tmp_path / name
    path.write_bytes(data)
    entry = file_entry(path, chunk_size=chunk_size)
    assert entry["rows"] == count_rows(path) == rows
    assert entry["sha256"] == hashlib.sha256(data).hexdigest()
    assert entry["bytes"] == len(data)


def test_the_counters_say_when_they_cannot_count() -> None:
    jsonl = JsonlRowCounter()
    jsonl.update(b'{"a":1}\n\n')
    assert jsonl.rows() is None  # a blank line
    csv_counter = CsvRecordCounter()
    csv_counter.update(b'"a"\r\n"open')
    assert csv_counter.rows() is None  # inside quotes at the end


def test_a_file_other_than_jsonl_or_csv_has_no_rows(tmp_path: Path) -> None:
    path = tmp_path / "schema.json"
    path.write_bytes(b'{"a": 1}\n')
    assert file_entry(path) == {"bytes": 9, "sha256": hashlib.sha256(b'{"a": 1}\n').hexdigest()}


@settings(max_examples=100, deadline=None)
@given(rows=rows, chunk_size=st.integers(1, 9))
def test_the_record_ends_are_those_a_resume_cuts_at(
    rows: list[dict[str, object]], chunk_size: int
) -> None:
    """CsvRecordCounter's offsets (history.RunArticles finds the run's CSV records with
    them) are feeds.record_ends' for the same bytes, however the chunks fall."""
    from array import array

    from newsspider.feeds import record_ends

    data = exported(rows, SpreadsheetCsvItemExporter)
    ends: array[int] = array("q")
    counter = CsvRecordCounter(ends)
    for start in range(0, len(data), chunk_size):
        counter.update(data[start : start + chunk_size])
    assert list(ends) == record_ends(data, csv_quoted=True)
    assert counter.rows() == len(rows)
