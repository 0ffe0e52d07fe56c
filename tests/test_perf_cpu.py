"""Per-page CPU shortcuts (issue 14) give exactly the bytes / answers of the slow path."""

from __future__ import annotations

import io
import zipfile

import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st
from xlsxwriter.worksheet import Worksheet

from newsspider.workbook import FastTextWorksheet, new_workbook

# the cases XlsxWriter treats specially: control characters (escaped as _xHHHH_), strings that
# look like such an escape, U+FFFE/U+FFFF, leading/trailing (Unicode) white space, a final
# newline ("\s$" matches before it), XML specials, rich-text look-alikes, long bodies
EDGE_TEXTS = [
    "plain",
    " leading",
    "trailing ",
    "ends with a newline\n",
    "\ttab first",
    "nbsp last\u00a0",
    "ideographic space\u3000",
    "para one\n\npara two",
    "a \x01 control",
    "\x1c file separator first",
    "form\x0cfeed",
    "carriage\rreturn",
    "looks like _x0041_ an escape",
    "_x00e9_",
    "non\ufffechar\uffff",
    "<r>rich look-alike</r>",
    "<r>",
    'xml & < > " specials',
    "Ünïcödé – “quotes” 日本語 🎉",
    "del \x7f char",
    "=SUM(A1:A2)",
    "word " * 6000,
    ("Paragraph with <b> & entities. " * 40 + "\n\n") * 20,
]


def sheet_xml(texts: list[str], worksheet_class: type | None) -> bytes:
    buffer = io.BytesIO()
    book = new_workbook(buffer)
    sheet = book.add_worksheet("t", worksheet_class=worksheet_class)
    for row, text in enumerate(texts):
        sheet.write_string(row, 0, text)
        sheet.write_string(row, 1, text[:50])
        sheet.write_number(row, 2, row)
    book.close()
    with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
        return archive.read("xl/worksheets/sheet1.xml")


def test_fast_worksheet_writes_xlsxwriters_exact_bytes_for_edge_cases() -> None:
    fast = sheet_xml(EDGE_TEXTS, FastTextWorksheet)
    assert fast == sheet_xml(EDGE_TEXTS, Worksheet)
    assert b"_x0001_" in fast and b"_x005F_x0041_" in fast  # the escapes did happen
    assert b'xml:space="preserve"> leading' in fast
    assert b"&amp; &lt; &gt;" in fast


@settings(max_examples=100, deadline=None)
@given(st.lists(st.text(max_size=80), min_size=1, max_size=8))
def test_fast_worksheet_matches_xlsxwriter_on_any_text(texts: list[str]) -> None:
    assert sheet_xml(texts, FastTextWorksheet) == sheet_xml(texts, Worksheet)


def test_fast_worksheet_leaves_formatted_cells_to_xlsxwriter() -> None:
    def build(worksheet_class: type) -> bytes:
        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"constant_memory": True})
        bold = book.add_format({"bold": True})
        sheet = book.add_worksheet("t", worksheet_class=worksheet_class)
        sheet.set_column(1, 1, 20, bold)
        sheet.write_string(0, 0, "head ", bold)
        sheet.write_string(1, 1, "column-formatted ")
        book.close()
        with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
            return archive.read("xl/worksheets/sheet1.xml")

    assert build(FastTextWorksheet) == build(Worksheet)
