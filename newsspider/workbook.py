"""Excel workbooks with typed cells: one per run (a feed exporter) and the history workbook.

The per-run workbook ``exports/<run id>/newsspider.xlsx`` is one FEEDS entry (format ``xlsx``,
``item_classes`` = every exported item class) written by :class:`XlsxItemExporter` through the
same atomic storage as the JSONL/CSV files; the exporter keeps one sheet per item class. Cells
are typed (docs/ANALYSTS.md has the evidence for XlsxWriter in constant-memory mode):

* datetimes are Excel datetimes. Page times (``published_at``, ``updated_at``) are shown in the
  site's local time, as printed, and followed by a ``<name>_utc`` column with the same instant
  in UTC; crawl times (``crawled_at``, history ``first_seen`` …) are UTC. The header cell's
  comment names the zone. ISO dates (``page_date``) are Excel dates.
* numbers are numbers, booleans are booleans; ``None``, ``""`` and ``[]`` are empty cells;
* every text is written as a string: a headline starting with ``=`` stays exactly that
  (never a formula, no apostrophe); lists are joined with ``" | "`` as in the CSV;
* URL cells are ``=HYPERLINK("url")`` formulas whose cached value is the URL: clickable in
  Excel and LibreOffice, read back as the URL by pandas and ``openpyxl`` with
  ``data_only=True``, streamed like any cell (XlsxWriter's ``write_url`` links are held in
  memory until the sheet closes, ~0.6-1.9 kB each, and Excel allows 65,530 per sheet; a formula
  has neither cost nor limit). A URL longer than Excel's 255-character formula text limit, or
  with a double quote or control character, is plain text. The history workbook keeps URLs as
  plain text;
* a text longer than Excel's 32,767-character cell limit is cut, and its column is named in
  the ``truncated_fields`` column (the JSONL has the full value), exactly as in the CSV;
* a sheet that reaches Excel's 1,048,576 rows continues in ``<sheet> (2)``, ``<sheet> (3)``…;
* header row frozen, autofilter over the data, column widths from the header and first rows.
"""

from __future__ import annotations

import collections
import dataclasses
import html
import io
import json
import os
import re
import shutil
import struct
import zipfile
import zlib
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, Any

import xlsxwriter
from itemadapter import ItemAdapter
from scrapy.exporters import BaseItemExporter
from scrapy.utils.misc import load_object
from xlsxwriter.utility import _utf16_len, xl_rowcol_to_cell_fast
from xlsxwriter.worksheet import (
    CellBooleanTuple,
    CellDatetimeTuple,
    CellFormulaTuple,
    CellNumberTuple,
    CellStringTuple,
    Worksheet,
)

from newsspider.exporters import (
    EXCEL_CELL_LIMIT,
    LIST_SEPARATOR,
    PRERENDER_STAT,
    TRUNCATED_COLUMN,
    fit_cell,
    json_fallback,
    value_getter,
)
from newsspider.feeds import fsync_dir
from newsspider.items import URL_FIELDS, URL_LIST_FIELDS
from newsspider.prerender import prerender_of
from newsspider.text import is_clean_body_part

EXCEL_MAX_ROWS = 1_048_576  # rows per sheet, header included
EXCEL_MAX_URL_LENGTH = 255  # a text inside a formula (HYPERLINK's argument): longer is text
WIDTH_SAMPLE_ROWS = 200  # rows looked at to size the columns
MAX_WIDTH = 60

# item class name -> sheet name (the per-run file stems; rejects have their own sheet)
SHEET_NAMES = {
    "FrontPageSlot": "front_page",
    "Article": "articles",
    "PopularEntry": "popular",
    "Reject": "rejects",
    "ArticleRevision": "revisions",
}

# page times carry the site's offset: local wall-clock time + a UTC column
LOCAL_TIME_FIELDS = frozenset({"published_at", "updated_at"})
# crawl times: always UTC (ISO 8601 with +00:00)
UTC_TIME_FIELDS = frozenset(
    {
        "crawled_at",
        "first_seen",
        "last_seen",
        "last_changed",
        "removed_at",
        "best_position_at",
        "entered_at",
        "left_at",
        "peak_rank_at",
        "run_time",
        "started_at",
        "finished_at",
    }
)
DATE_FIELDS = frozenset({"page_date", "day"})
LINK_FIELDS = URL_FIELDS | {"page_url"}
DATETIME_FORMAT = "yyyy-mm-dd hh:mm:ss"
DATE_FORMAT = "yyyy-mm-dd"


def utc_column(name: str) -> str:
    return f"{name}_utc"


def sheet_columns(fields: Sequence[str]) -> list[str]:
    """The sheet's header: the fields in order, each local time followed by its UTC column,
    then ``truncated_fields`` (as in the CSV)."""
    columns: list[str] = []
    for name in fields:
        columns.append(name)
        if name in LOCAL_TIME_FIELDS:
            columns.append(utc_column(name))
    return [*columns, TRUNCATED_COLUMN]


def parse_datetime(value: Any) -> datetime | None:
    """An ISO 8601 text as an aware datetime (naive values read as UTC), else None."""
    if not isinstance(value, str) or len(value) < 16:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo is not None else parsed.replace(tzinfo=UTC)


def parse_date(value: Any) -> date | None:
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        return None


# built once: ``isinstance(value, int | float)`` builds the union on every call (per cell)
_NUMBER_TYPES = (int, float)
_LIST_TYPES = (list, tuple)
_BYTES_TYPES = (bytes, bytearray)


def as_text(value: Any) -> str:
    if type(value) is str:  # most cells: str(value) is the value itself
        return value
    if isinstance(value, _LIST_TYPES):
        return LIST_SEPARATOR.join("" if v is None else str(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False, sort_keys=True, default=json_fallback)
    if isinstance(value, _BYTES_TYPES):
        return bytes(value).decode("utf-8", errors="replace")
    return str(value)


# what XlsxWriter's in-line strings rewrite (xmlwriter._escape_control_characters): control
# characters other than tab and LF, U+FFFE/U+FFFF, and "_xHHHH_" look-alikes (tested apart)
_XLSX_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\ufffe\uffff]")
# the ASCII bytes that need no escape: tab, LF and 0x20-0x7F (DEL is not escaped)
_XLSX_SAFE_ASCII = bytes([9, 10, *range(0x20, 0x80)])
# what a reader unescapes in a cell's text: "_x0041_" is "A"
_XLSX_ESCAPE_RE = re.compile("_x[0-9A-Fa-f]{4}_")


def _needs_control_escape(text: str) -> bool:
    # "_" first: a one-character search is a memchr, a two-character one ~2 ns a character
    if "_" in text and "_x" in text:
        return True
    if text.isascii():
        if len(text) > 4096 and is_clean_body_part(text):
            return False  # (the start of) a body proven printable but for its line breaks
        # a C-level delete of the safe bytes: ~10x faster than the regex on a 25 KB body
        return bool(text.encode("ascii").translate(None, _XLSX_SAFE_ASCII))
    return _XLSX_CONTROL_RE.search(text) is not None


def link_formula_fits(url: str) -> bool:
    """Whether ``=HYPERLINK("url")`` holds ``url`` as it is: Excel refuses a text over 255
    characters in a formula, a ``"`` would end the text, and a control character would be
    escaped in the cell but not in the link."""
    return (
        len(url) <= EXCEL_MAX_URL_LENGTH
        and '"' not in url
        and _XLSX_CONTROL_RE.search(url) is None
        and _XLSX_ESCAPE_RE.search(url) is None
    )


_NUMBER_CELLS = (CellNumberTuple, CellDatetimeTuple)  # XlsxWriter writes both as a number
# what XlsxWriter's _write_cell marks as an error result (t="e") instead of a text
_FORMULA_ERROR_CODES = frozenset(
    ("#DIV/0!", "#N/A", "#NAME?", "#NULL!", "#NUM!", "#REF!", "#VALUE!")
)


ROWS_COPY_CHUNK = 1 << 20  # FastTextWorksheet._write_optimized_sheet_data


class FastTextWorksheet(Worksheet):  # type: ignore[misc]
    """XlsxWriter's worksheet with a faster in-line string cell (constant-memory mode).

    XlsxWriter writes each text cell through two regex substitutions, a regex search for
    trailing white space (``\\s$``, which tries a match at every white space character of a
    25 KB article body) and an escape regex: ~1 ms per article row, most of the per-item
    cost of the run's workbook. This writes the same bytes with substring tests and C-level
    scans; numbers, datetimes and text-result formulas (the link cells) are written in one
    f-string each, without XlsxWriter's per-attribute escape passes. Every other cell (and any
    case it does not cover) is left to XlsxWriter; tests/test_perf_cpu.py checks the sheet XML
    is byte-identical to XlsxWriter's own.
    """

    def write_link_formula(self, row: int, col: int, url: str, cell_format: Any) -> None:
        """``=HYPERLINK("url")`` with the URL as its cached value (``link_formula_fits``).

        Stored as ``write_formula`` stores it, without its clean-up: that rewrites names such
        as ``SORT(`` or ``FILTER(`` anywhere in the formula (``_xlfn.`` prefixes), which would
        change a URL holding them, and costs ~30 regex passes per cell."""
        if self._check_dimensions(row, col):
            return  # outside the sheet or a row already written: ignored, as XlsxWriter does
        if self.constant_memory and row > self.previous_row:
            self._write_single_row(row)
        self.table[row][col] = CellFormulaTuple(f'HYPERLINK("{url}")', cell_format, url)

    def write_rendered_row(self, row: int, cells: Sequence[tuple[int, str]]) -> bool:
        """Write a whole row of cells rendered by :class:`RowRenderer` (each cell's XML after
        its ``<c r="A1"`` reference), as :meth:`_write_single_row` would write them; False
        (nothing written) where that could differ: not constant memory, a row format, a
        column format, a row already written."""
        if (
            not cells
            or not self.constant_memory
            or row <= self.previous_row
            or row in self.row_info
            or self.col_info
            or self._check_dimensions(row, cells[0][0])
            or self._check_dimensions(row, cells[-1][0])
        ):
            return False
        self._write_single_row(row)  # the row before it, still in the table
        number = str(row + 1)
        cell = xl_rowcol_to_cell_fast
        self.fh.write(
            f'<row r="{number}">'
            + "".join([f'<c r="{cell(row, col)}"{xml}' for col, xml in cells])
            + "</row>"
        )
        return True

    def _write_optimized_sheet_data(self) -> None:
        """XlsxWriter's ``<sheetData>`` of a constant-memory sheet, its rows copied as bytes.

        XlsxWriter copies the rows' temp file into the sheet's XML file as text: every byte
        of the article text decoded from UTF-8 and encoded again (both files are UTF-8), ~25%
        of the per-run workbook's close at the end of a run. Here both text files are flushed
        and the rows copied between their binary files: the same bytes."""
        fh, rows = self.fh, self.row_data_fh
        if (
            self.dim_rowmin is None
            or not isinstance(fh, io.TextIOWrapper)
            or not isinstance(rows, io.TextIOWrapper)
            or fh.encoding != "utf-8"
            or rows.encoding != "utf-8"
        ):
            super()._write_optimized_sheet_data()
            return
        self._xml_start_tag("sheetData")
        fh.flush()
        rows.flush()
        with open(self.row_data_filename, "rb") as source:
            shutil.copyfileobj(source, fh.buffer, ROWS_COPY_CHUNK)
        rows.close()
        os.unlink(self.row_data_filename)
        self._xml_end_tag("sheetData")

    def _write_cell(self, row: int, col: int, cell: Any) -> None:
        kind = type(cell)
        if kind is not CellStringTuple:
            formatted = row in self.row_info or col in self.col_info
            if kind in _NUMBER_CELLS and not formatted:
                # XlsxWriter's _xml_number_element, without its per-attribute escape pass
                ref = xl_rowcol_to_cell_fast(row, col)
                self.fh.write(f'<c r="{ref}"' + number_cell_xml(cell.number, cell.format))
                return
            if kind is CellBooleanTuple and not formatted:
                ref = xl_rowcol_to_cell_fast(row, col)
                self.fh.write(f'<c r="{ref}"' + boolean_cell_xml(cell.boolean, cell.format))
                return
            if kind is CellFormulaTuple and link_result_fits(cell.value) and not formatted:
                # a link formula's URL result (write_link_formula): a text result
                ref = xl_rowcol_to_cell_fast(row, col)
                xml = link_cell_xml(cell.formula, cell.value, cell.format, self._escape_data)
                self.fh.write(f'<c r="{ref}"' + xml)
                return
            super()._write_cell(row, col, cell)
            return
        if (
            not self.constant_memory
            or cell.format is not None
            or row in self.row_info
            or col in self.col_info
        ):
            super()._write_cell(row, col, cell)
            return
        text_xml = inline_string_cell_xml(cell.string, self._escape_control_characters)
        if text_xml is None:
            super()._write_cell(row, col, cell)  # XlsxWriter writes it as rich text
            return
        self.fh.write(f'<c r="{xl_rowcol_to_cell_fast(row, col)}"' + text_xml)


# A cell's XML after its '<c r="A1"' reference, as XlsxWriter's Worksheet._write_cell writes
# it for a cell of a constant-memory sheet without a row or column format: the one home of
# the cell bytes of FastTextWorksheet (the real sheets) and of RowRenderer (a parse worker's
# rows). XlsxWriter numbers the style attribute "s" before the type "t".


def _style(cell_format: Any) -> str:
    return f' s="{cell_format._get_xf_index()}"' if cell_format else ""


def number_cell_xml(number: Any, cell_format: Any) -> str:
    """A number or datetime cell (``_xml_number_element``)."""
    return f"{_style(cell_format)}><v>{number:.16G}</v></c>"


def boolean_cell_xml(value: int, cell_format: Any) -> str:
    """A boolean cell (``value``: XlsxWriter's stored 1 or 0)."""
    return f'{_style(cell_format)} t="b"><v>{value}</v></c>'


def link_result_fits(result: Any) -> bool:
    """Whether a formula's cached result is written as a text result (``t="str"``)."""
    return type(result) is str and bool(result) and result not in _FORMULA_ERROR_CODES


def link_cell_xml(formula: str, result: str, cell_format: Any, escape_data: Any) -> str:
    """A formula cell with a text result (the link cells, ``link_result_fits``)."""
    return (
        f'{_style(cell_format)} t="str"><f>{escape_data(formula)}</f>'
        f"<v>{escape_data(result)}</v></c>"
    )


def inline_string_cell_xml(string: str, escape_control_characters: Any) -> str | None:
    """An in-line string cell without a format; None where XlsxWriter writes rich text."""
    if _needs_control_escape(string):
        string = escape_control_characters(string)
    if string.startswith("<r>") and string.endswith("</r>"):
        return None
    # re's \s is str.isspace(); "\s$" also matches before a final "\n", itself space
    preserve = ' xml:space="preserve"' if string[:1].isspace() or string[-1:].isspace() else ""
    if "&" in string or "<" in string or ">" in string:
        string = string.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f' t="inlineStr"><is><t{preserve}>{string}</t></is></c>'


class SheetWriter:
    """One table in one workbook: typed cells, row limit, links, widths, frozen header."""

    def __init__(
        self, book: xlsxwriter.Workbook, name: str, fields: Sequence[str], *, links: bool = True
    ) -> None:
        self.book = book
        self.links_on = links  # URL cells as HYPERLINK formulas (the history: plain text)
        self.name = name
        self.fields = list(fields)
        self.columns = sheet_columns(self.fields)
        self.formats = {
            "header": book.add_format({"bold": True, "bottom": 1}),
            "datetime": book.add_format({"num_format": DATETIME_FORMAT}),
            "date": book.add_format({"num_format": DATE_FORMAT}),
        }
        if links:  # Excel's "Hyperlink" cell style, numbered last: the others keep their index
            self.formats["link"] = book.get_default_url_format()
        for cell_format in self.formats.values():
            # style numbers fixed up front (XlsxWriter numbers formats by first use): a sheet's
            # XML then depends on its own rows only, so an unchanged sheet can be reused
            # (write_workbook's ``reuse``)
            cell_format._get_xf_index()
        self.sheets = 0
        self.rows = 0  # data rows written, over every part
        self.truncated_cells = 0
        self.links = 0
        # web URLs a HYPERLINK formula can't hold (too long, a quote), written as plain text
        self.links_as_text = 0
        self.widths = [min(len(c) + 2, MAX_WIDTH) for c in self.columns]
        # what a rendered row must have been rendered for (write_rendered)
        self.layout = (tuple(self.columns), tuple(f._get_xf_index() for f in self.formats.values()))
        self._lead_renderer: RowRenderer | None = None
        self._lead_rows: dict[tuple[Any, ...], RenderedRow] = {}
        self._new_sheet()

    def _new_sheet(self) -> None:
        if self.sheets:
            self._finish_sheet()
        self.sheets += 1
        title = self.name if self.sheets == 1 else f"{self.name} ({self.sheets})"
        self.sheet = self.book.add_worksheet(title[:31], worksheet_class=FastTextWorksheet)
        self.sheet_row = 0
        header = self.formats["header"]
        for col, name in enumerate(self.columns):
            self.sheet.write_string(0, col, name, header)
            zone = self._zone_note(name)
            if zone:
                self.sheet.write_comment(0, col, zone)
        self.sheet.freeze_panes(1, 0)

    def _zone_note(self, column: str) -> str | None:
        if column in LOCAL_TIME_FIELDS:
            return (
                "site's local time, as printed on the page (the UTC instant is in the next column)"
            )
        if column.endswith("_utc") and column.removesuffix("_utc") in LOCAL_TIME_FIELDS:
            return "UTC"
        if column in UTC_TIME_FIELDS:
            return "UTC"
        return None

    def _finish_sheet(self) -> None:
        last_row = max(self.sheet_row, 1)
        self.sheet.autofilter(0, 0, last_row, len(self.columns) - 1)
        for col, width in enumerate(self.widths):
            self.sheet.set_column(col, col, width)

    def write(self, get: Any) -> None:
        if self.sheet_row + 1 >= EXCEL_MAX_ROWS:
            self._new_sheet()
        self.sheet_row += 1
        row = self.sheet_row
        col = 0
        truncated: list[str] = []
        sample = self.rows < WIDTH_SAMPLE_ROWS
        for name in self.fields:
            value = get(name)
            self._cell(row, col, name, value, truncated, sample)
            col += 1
            if name in LOCAL_TIME_FIELDS:
                moment = parse_datetime(value)
                if moment is not None:
                    utc = moment.astimezone(UTC).replace(tzinfo=None)
                    self.sheet.write_datetime(row, col, utc, self.formats["datetime"])
                col += 1
        if truncated:
            self.sheet.write_string(row, col, LIST_SEPARATOR.join(truncated))
            self.truncated_cells += len(truncated)
        self.rows += 1

    def write_rendered(self, get: Any, rendered: RenderedRow) -> bool:
        """Write a row a parse worker rendered with :class:`RowRenderer` (every field but
        ``rendered.lead``, whose cells are rendered here the same way: the run id, stamped
        after the worker); False (nothing written) if it was rendered for another layout or
        the sheet can't take it as it is: the caller writes the row itself."""
        if rendered.layout != self.layout:
            return False
        lead = self._lead_cells(get, rendered.lead)
        if lead is None:
            return False
        if self.sheet_row + 1 >= EXCEL_MAX_ROWS:
            self._new_sheet()
        cells = sorted([*lead.cells, *rendered.cells]) if lead.cells else rendered.cells
        if not self.sheet.write_rendered_row(self.sheet_row + 1, cells):
            return False
        self.sheet_row += 1
        if self.rows < WIDTH_SAMPLE_ROWS:
            sizes = zip(self.widths, lead.widths, rendered.widths, strict=True)
            self.widths = [max(w, a, b) for w, a, b in sizes]
        self.truncated_cells += rendered.truncated_cells
        self.links += rendered.links + lead.links
        self.links_as_text += rendered.links_as_text + lead.links_as_text
        self.rows += 1
        return True

    def _lead_cells(self, get: Any, lead: tuple[str, ...]) -> RenderedRow | None:
        """The cells of the ``lead`` fields (rendered once per distinct value: a run's id)."""
        values = tuple(get(name) for name in lead)
        row = self._lead_rows.get(values)
        if row is None:
            if self._lead_renderer is None:
                self._lead_renderer = RowRenderer(self.fields)
            known = dict(zip(lead, values, strict=True))
            row = self._lead_renderer.render(known.get, ())
            if row is None or row.truncated_cells or row.layout != self.layout:
                return None
            if len(self._lead_rows) < 8:  # one run id, in practice
                self._lead_rows[values] = row
        return row

    def _cell(
        self, row: int, col: int, name: str, value: Any, truncated: list[str], sample: bool
    ) -> None:
        sheet = self.sheet
        if value is None:
            return
        if type(value) is not str:  # most cells are text: neither a boolean nor a number
            if isinstance(value, bool):
                sheet.write_boolean(row, col, value)
                return
            if isinstance(value, _NUMBER_TYPES):
                sheet.write_number(row, col, value)
                return
        if name in LOCAL_TIME_FIELDS or name in UTC_TIME_FIELDS:
            moment = parse_datetime(value)
            if moment is not None:
                sheet.write_datetime(
                    row, col, moment.replace(tzinfo=None), self.formats["datetime"]
                )
                if sample:
                    self.widths[col] = max(self.widths[col], 20)
                return
        elif name in DATE_FIELDS:
            day = parse_date(value)
            if day is not None:
                sheet.write_datetime(row, col, day, self.formats["date"])
                if sample:
                    self.widths[col] = max(self.widths[col], 12)
                return
        text = as_text(value)
        if not text:
            return  # an empty list or text: an empty cell, as spreadsheets store it anyway
        if len(text) > EXCEL_CELL_LIMIT:
            text, _ = fit_cell(text)
            truncated.append(name)
        if sample:
            self.widths[col] = min(max(self.widths[col], len(text) + 2), MAX_WIDTH)
        if (
            self.links_on
            and name in LINK_FIELDS
            and name not in URL_LIST_FIELDS
            and text.startswith(("http://", "https://"))
        ):
            if link_formula_fits(text):
                sheet.write_link_formula(row, col, text, self.formats["link"])
                self.links += 1
                return
            self.links_as_text += 1
        sheet.write_string(row, col, text)

    def close(self) -> None:
        self._finish_sheet()


class TableSheetWriter(SheetWriter):
    """A :class:`SheetWriter` for the history workbook (URLs as plain text): each row's cells
    go into the sheet's table at once, as the tuples XlsxWriter's ``write_*`` calls would
    store, and the sheet's own ``_write_cell`` writes them (the same XML). XlsxWriter's
    per-cell calls (argument conversion, bounds and row checks, one at a time) were ~40% of
    the history workbook's cell cost; a row they could treat differently (not constant
    memory, a row or column format, NaN/infinity, a text over XlsxWriter's UTF-16 limit) is
    left to :meth:`SheetWriter.write`. tests/test_workbook.py checks the sheets are
    byte-identical to those :class:`SheetWriter` writes."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._row_xml = io.StringIO()

    def write(self, get: Any) -> None:
        sheet = self.sheet
        if self.links_on or not sheet.constant_memory or sheet.row_info or sheet.col_info:
            super().write(get)
            return
        if self.sheet_row + 1 >= EXCEL_MAX_ROWS:
            self._new_sheet()
            sheet = self.sheet
        row = self.sheet_row + 1
        cells: dict[int, Any] = {}
        truncated: list[str] = []
        sample = self.rows < WIDTH_SAMPLE_ROWS
        widths = self.widths
        sampled: list[tuple[int, int]] = []  # (column, width) kept if the row is written here
        datetime_format, date_format = self.formats["datetime"], self.formats["date"]
        convert = sheet._convert_date_time
        strmax = sheet.xls_strmax
        col = 0
        for name in self.fields:
            value = get(name)
            if value is None:
                pass
            elif isinstance(value, bool):
                cells[col] = CellBooleanTuple(1 if value else 0, None)
            elif isinstance(value, int | float):
                if value != value or value in (float("inf"), float("-inf")):
                    super().write(get)  # XlsxWriter's own NaN/infinity handling
                    return
                cells[col] = CellNumberTuple(value, None)
            else:
                cell = None
                if name in LOCAL_TIME_FIELDS or name in UTC_TIME_FIELDS:
                    moment = parse_datetime(value)
                    if moment is not None:
                        cell = CellDatetimeTuple(
                            convert(moment.replace(tzinfo=None)), datetime_format
                        )
                        if sample:
                            sampled.append((col, 20))
                elif name in DATE_FIELDS:
                    day = parse_date(value)
                    if day is not None:
                        cell = CellDatetimeTuple(convert(day), date_format)
                        if sample:
                            sampled.append((col, 12))
                if cell is not None:
                    cells[col] = cell
                else:
                    text = as_text(value)
                    if text:
                        if len(text) > EXCEL_CELL_LIMIT:
                            text, _ = fit_cell(text)
                            truncated.append(name)
                        if len(text) > strmax // 2 and _utf16_len(text) > strmax:
                            super().write(get)  # XlsxWriter cuts it (UTF-16 units)
                            return
                        if sample:
                            sampled.append((col, len(text) + 2))
                        cells[col] = CellStringTuple(text, None)
            col += 1
            if name in LOCAL_TIME_FIELDS:
                moment = parse_datetime(value)
                if moment is not None:
                    utc = moment.astimezone(UTC).replace(tzinfo=None)
                    cells[col] = CellDatetimeTuple(convert(utc), datetime_format)
                col += 1
        if truncated:
            cells[col] = CellStringTuple(LIST_SEPARATOR.join(truncated), None)
            self.truncated_cells += len(truncated)
        for column, width in sampled:
            widths[column] = min(max(widths[column], width), MAX_WIDTH)
        self.sheet_row = row
        self.rows += 1
        if not cells:
            return  # an empty row: no cell, as XlsxWriter leaves it
        if sheet._check_dimensions(row, min(cells)) or sheet._check_dimensions(row, max(cells)):
            return  # outside the sheet: ignored, as XlsxWriter does
        # the row before it, still in the table: its cells' XML gathered, then written to
        # the sheet's temp file in one call (one text-file write per cell cost ~13%)
        fh, sheet.fh = sheet.fh, self._row_xml
        try:
            sheet._write_single_row(row)
        finally:
            sheet.fh = fh
        fh.write(self._row_xml.getvalue())
        self._row_xml.seek(0)
        self._row_xml.truncate()
        sheet.table[row] = cells


@dataclass(slots=True)
class RenderedRow:
    """One sheet row as :class:`RowRenderer` rendered it (what travels from a parse worker)."""

    layout: tuple[tuple[str, ...], tuple[int, ...]]  # SheetWriter.layout it was rendered for
    lead: tuple[str, ...]  # fields left out (rendered by the crawling process)
    cells: list[tuple[int, str]]  # (column, the cell's XML after its '<c r="A1"' reference)
    widths: list[int]  # what the row adds to the column widths (SheetWriter.widths)
    truncated_cells: int
    links: int
    links_as_text: int


class RowRenderer:
    """Rows of one sheet rendered to cell XML by the sheet's own code, off the real sheet.

    A scratch workbook with one :class:`SheetWriter` (the same formats, created in the same
    order: the same cell style numbers, checked through ``layout``) decides the row's cells
    (:meth:`SheetWriter.write`, the one home of that decision); each cell it writes is turned
    into its XML at once by the functions the real sheets use (``number_cell_xml``,
    ``inline_string_cell_xml`` …, through :class:`_RowCells`): the bytes the real sheet would
    write, less each cell's reference (the row number is the real sheet's). A row with a cell
    those functions don't cover is written through the scratch worksheet itself. Used in a
    parse worker (newsspider/prerender.py) and for the lead cells."""

    def __init__(self, fields: Sequence[str]) -> None:
        self.book = new_workbook(io.BytesIO())
        self.writer = SheetWriter(self.book, "rows", fields)
        sheet = self.sheet = self.writer.sheet
        if sheet.row_data_fh is not None:  # constant memory's temp file: not needed here
            sheet.row_data_fh.close()
            sheet.row_data_fh_closed = True
            if sheet.row_data_filename:
                Path(sheet.row_data_filename).unlink(missing_ok=True)
        # each cell's XML is collected as the worksheet writes it (a list whose write is
        # append: no buffer to rewind per cell); the reference each starts with, per column
        self.pieces: list[str] = []
        sheet.fh = _Pieces(self.pieces)
        # SheetWriter writes cells by (row, col) numbers: on this scratch sheet each write_*
        # goes straight to the method XlsxWriter's public one calls after its A1-notation
        # wrapper (the same arguments, the same cell)
        for name in ("write_string", "write_number", "write_boolean", "write_datetime"):
            setattr(sheet, name, getattr(sheet, f"_{name}"))
        columns = range(len(self.writer.columns))
        self.prefixes = [f'<c r="{xl_rowcol_to_cell_fast(1, col)}"' for col in columns]
        self.cells = _RowCells(sheet)

    def render(self, get: Any, lead: tuple[str, ...]) -> RenderedRow | None:
        """The row of the values ``get`` gives, without the ``lead`` fields' cells; None if
        it can't be rendered apart (a cell XlsxWriter would write differently in a row of its
        own, e.g. rich text)."""
        writer, recorder = self.writer, self.cells
        skip = frozenset(lead)
        self._reset()
        cells: list[tuple[int, str]] = []
        recorder.cells = cells
        recorder.apart = False
        writer.sheet = recorder
        try:
            writer.write(lambda name: None if name in skip else get(name))
        finally:
            writer.sheet = self.sheet
        if recorder.apart:  # a cell _RowCells leaves to the worksheet: the whole row is
            return self._render_through_sheet(get, lead)
        if any(cells[i][0] >= cells[i + 1][0] for i in range(len(cells) - 1)):
            return self._render_through_sheet(get, lead)  # never: write() goes left to right
        return self._row(lead, cells)

    def _reset(self) -> None:
        writer = self.writer
        writer.sheet_row = 0
        writer.rows = 0  # sample the widths
        writer.widths = [0] * len(writer.columns)
        writer.truncated_cells = writer.links = writer.links_as_text = 0

    def _row(self, lead: tuple[str, ...], cells: list[tuple[int, str]]) -> RenderedRow:
        writer = self.writer
        return RenderedRow(
            writer.layout,
            tuple(lead),
            cells,
            writer.widths,
            writer.truncated_cells,
            writer.links,
            writer.links_as_text,
        )

    def _render_through_sheet(self, get: Any, lead: tuple[str, ...]) -> RenderedRow | None:
        """:meth:`render` through the scratch worksheet's own ``write_*`` and ``_write_cell``."""
        writer, sheet = self.writer, self.sheet
        skip = frozenset(lead)
        self._reset()
        writer.write(lambda name: None if name in skip else get(name))
        table = sheet.table.pop(1, {})
        sheet.table.clear()
        cells: list[tuple[int, str]] = []
        pieces, prefixes = self.pieces, self.prefixes
        for col in sorted(table):
            pieces.clear()
            sheet._write_cell(1, col, table[col])
            xml = pieces[0] if len(pieces) == 1 else "".join(pieces)
            prefix = (
                prefixes[col] if col < len(prefixes) else f'<c r="{xl_rowcol_to_cell_fast(1, col)}"'
            )
            if not xml.startswith(prefix):
                pieces.clear()
                return None
            cells.append((col, xml[len(prefix) :]))
        pieces.clear()
        return self._row(lead, cells)


class _RowCells:
    """What :meth:`RowRenderer.render` hands :meth:`SheetWriter.write` as its worksheet: the
    ``write_*`` calls it makes, each cell rendered at once to the XML the scratch worksheet's
    ``_write_cell`` would give it (``number_cell_xml`` …: the same functions), without the
    worksheet's cell table. Any cell those functions don't cover as it is (a text over
    XlsxWriter's UTF-16 limit, NaN or infinity, a column beyond the sheet, a format where
    XlsxWriter adds its default, rich text, a formula with an error result) sets ``apart``:
    the row is then rendered through the worksheet itself."""

    def __init__(self, sheet: FastTextWorksheet) -> None:
        self.sheet = sheet
        self.cells: list[tuple[int, str]] = []
        self.apart = False
        self.strmax = sheet.xls_strmax
        self.max_col = sheet.xls_colmax

    def write_string(self, row: int, col: int, string: str, cell_format: Any = None) -> None:
        if (
            cell_format is not None
            or col >= self.max_col
            or (len(string) > self.strmax // 2 and self._utf16_len(string) > self.strmax)
        ):
            self.apart = True
            return
        xml = inline_string_cell_xml(string, self.sheet._escape_control_characters)
        if xml is None:
            self.apart = True
            return
        self.cells.append((col, xml))

    @staticmethod
    def _utf16_len(string: str) -> int:
        """XlsxWriter's ``_utf16_len`` (it encodes the text to UTF-16: ~40 us for a body cut
        to the cell limit); an ASCII text is one unit a character."""
        return len(string) if string.isascii() else _utf16_len(string)

    def write_number(self, row: int, col: int, number: Any, cell_format: Any = None) -> None:
        kind = type(number)
        if (
            (kind is not int and kind is not float)
            or number != number
            or number in (_INFINITY, -_INFINITY)
            or col >= self.max_col
        ):
            self.apart = True
            return
        self.cells.append((col, number_cell_xml(number, cell_format)))

    def write_boolean(self, row: int, col: int, value: Any, cell_format: Any = None) -> None:
        if col >= self.max_col:
            self.apart = True
            return
        self.cells.append((col, boolean_cell_xml(1 if value else 0, cell_format)))

    def write_datetime(self, row: int, col: int, moment: Any, cell_format: Any = None) -> None:
        if cell_format is None or col >= self.max_col:
            self.apart = True
            return
        number = self.sheet._convert_date_time(moment)
        self.cells.append((col, number_cell_xml(number, cell_format)))

    def write_link_formula(self, row: int, col: int, url: str, cell_format: Any) -> None:
        if not link_result_fits(url) or col >= self.max_col:
            self.apart = True
            return
        formula = f'HYPERLINK("{url}")'  # as FastTextWorksheet.write_link_formula stores it
        xml = link_cell_xml(formula, url, cell_format, self.sheet._escape_data)
        self.cells.append((col, xml))


_INFINITY = float("inf")


class _Pieces:
    """A write-only text sink that keeps what is written as a list of pieces."""

    __slots__ = ("write",)

    def __init__(self, pieces: list[str]) -> None:
        self.write = pieces.append


_RENDERERS: dict[tuple[type, tuple[str, ...]], RowRenderer] = {}


def row_renderer(item_class: type, fields: Sequence[str]) -> RowRenderer:
    """This process's renderer for a sheet of ``item_class`` with ``fields`` (a parse
    worker renders every Article with one)."""
    key = (item_class, tuple(fields))
    renderer = _RENDERERS.get(key)
    if renderer is None:
        renderer = _RENDERERS[key] = RowRenderer(fields)
    return renderer


# the per-run workbook's zip compression: deflate level 1 instead of zlib's default 6. Its
# sheets are mostly article text: level 6 cost ~2.2 ms per article row in the crawling process
# at the end of the run, level 1 ~0.4 ms, for a file ~25% larger (docs/benchmarks/log.md "Session
# 5 (perf-export)"); the cells are the same
RUN_WORKBOOK_COMPRESSLEVEL = 1
# the history workbook's (history.xlsx, written at the end of every run that changed a table):
# level 1 too. At level 6 its deflate was ~1.3 ms per article row of a first crawl, a third of
# the end of run's CPU; level 1 ~4x less, for a file ~15-25% larger, same cells
# (docs/benchmarks/log.md "Session 6 (perf-end)")
HISTORY_WORKBOOK_COMPRESSLEVEL = 1


# a workbook member at least this large (a sheet of article text) is deflated by two threads
# (_LeveledZipFile.write), in blocks of DEFLATE_BLOCK; smaller ones as zipfile does it
PARALLEL_DEFLATE_MIN = 4 << 20
DEFLATE_BLOCK = 256 << 10  # small: up to 3 in flight, on top of the end of the run's peak RSS


def _deflate_block(data: bytes, level: int, last: bool) -> bytes:
    """One block as raw deflate data that the next block's can follow: blocks compressed on
    their own, each but the last ended by a sync flush (byte-aligned, not final), are one
    valid deflate stream when joined (as pigz does)."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, -zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush(
        zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH
    )


class _DeflatedAhead:
    """The compressor a zip member's writer calls (``compress`` once per block, in order):
    it hands back each block's deflate data, worked out ahead on the pool's threads."""

    def __init__(self) -> None:
        self.ready: collections.deque[Future[bytes]] = collections.deque()

    def compress(self, data: bytes) -> bytes:
        return self.ready.popleft().result()

    def flush(self) -> bytes:
        return b""


class _LeveledZipFile(zipfile.ZipFile):
    compresslevel_default: int | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("compresslevel", self.compresslevel_default)
        super().__init__(*args, **kwargs)

    def write(
        self,
        filename: Any,
        arcname: Any = None,
        compress_type: int | None = None,
        compresslevel: int | None = None,
    ) -> None:
        """``ZipFile.write``; a large deflated member (a sheet's XML) is compressed by two
        threads, one block each at a time (zlib leaves the GIL while it works): at the end
        of a run the second core is idle, and the deflate was ~60% of the workbook's close.
        The member's header, CRC, sizes and data descriptor are still zipfile's own (its
        writer gets the raw blocks, its compressor hands back their deflate data)."""
        kind = self.compression if compress_type is None else compress_type
        level = self.compresslevel if compresslevel is None else compresslevel
        if (
            kind != zipfile.ZIP_DEFLATED
            or not os.path.isfile(filename)
            or os.path.getsize(filename) < max(PARALLEL_DEFLATE_MIN, 1)
            or (os.cpu_count() or 1) < 2
        ):
            super().write(filename, arcname, compress_type, compresslevel)
            return
        if level is None:
            level = zlib.Z_DEFAULT_COMPRESSION
        strict = getattr(self, "_strict_timestamps", True)  # ZipFile.write's own argument
        info = zipfile.ZipInfo.from_file(filename, arcname, strict_timestamps=strict)
        info.compress_type = zipfile.ZIP_DEFLATED
        info._compresslevel = level  # type: ignore[attr-defined]
        ahead = _DeflatedAhead()
        with (
            open(filename, "rb") as source,
            ThreadPoolExecutor(2, thread_name_prefix="deflate") as pool,
            self.open(info, "w") as member,
        ):
            member._compressor = ahead  # type: ignore[attr-defined]
            waiting: collections.deque[tuple[bytes, Future[bytes]]] = collections.deque()
            block = source.read(DEFLATE_BLOCK)
            while block:
                following = source.read(DEFLATE_BLOCK)
                waiting.append((block, pool.submit(_deflate_block, block, level, not following)))
                block = following
                while waiting and (len(waiting) > 2 or not block):
                    raw, deflated = waiting.popleft()
                    ahead.ready.append(deflated)
                    member.write(raw)  # its CRC and size; the deflate data from `ahead`


class LeveledWorkbook(xlsxwriter.Workbook):  # type: ignore[misc]
    """XlsxWriter's workbook, zipped at ``compresslevel`` (XlsxWriter has no option for it:
    its ``_store_workbook`` builds the ZipFile itself, so the ZipFile it names is swapped for
    a leveled one during that call only; single-threaded, restored whatever happens)."""

    def __init__(self, target: Any, options: dict[str, Any], compresslevel: int) -> None:
        super().__init__(target, options)
        self.compresslevel = compresslevel

    def _store_workbook(self) -> None:
        import xlsxwriter.workbook as module

        leveled = type("ZipFile", (_LeveledZipFile,), {"compresslevel_default": self.compresslevel})
        saved = module.ZipFile
        module.ZipFile = leveled
        try:
            super()._store_workbook()
        finally:
            module.ZipFile = saved


def new_workbook(
    target: str | Path | IO[bytes], *, compresslevel: int | None = None
) -> xlsxwriter.Workbook:
    """A constant-memory workbook where no text is ever turned into a formula/number/URL;
    zipped at ``compresslevel`` (None: zlib's default)."""
    options = {
        "constant_memory": True,
        "strings_to_formulas": False,
        "strings_to_numbers": False,
        "strings_to_urls": False,
        "default_date_format": DATETIME_FORMAT,
    }
    if compresslevel is None:
        return xlsxwriter.Workbook(target, options)
    return LeveledWorkbook(target, options, compresslevel)


def item_fields(item: Any) -> list[str]:
    cls = type(item)
    if dataclasses.is_dataclass(cls):
        return [f.name for f in dataclasses.fields(cls)]
    return list(ItemAdapter(item).field_names())


class XlsxItemExporter(BaseItemExporter):  # type: ignore[misc]
    """A feed exporter writing one workbook with one sheet per item class.

    Sheets come in ``SHEET_NAMES`` order whatever order the items arrive in, and every sheet
    exists even when empty (header only), so a workbook always has the same shape. Columns come
    from the item dataclass fields, so a new field appears in the sheet with no change here.
    """

    def __init__(self, file: IO[bytes], *, crawler: Any = None, **kwargs: Any) -> None:
        item_classes: Iterable[type | str] = kwargs.pop("item_classes", ()) or ()
        super().__init__(dont_fail=True, **kwargs)
        self.file = file
        self.crawler = crawler
        # classes or their dotted paths (what FEEDS holds when given as JSON)
        self.item_classes: list[type] = [
            load_object(c) if isinstance(c, str) else c for c in item_classes
        ]
        self.book: xlsxwriter.Workbook | None = None
        self.writers: dict[str, SheetWriter] = {}
        self.stats = getattr(crawler, "stats", None)
        self.prerendered = 0  # rows written from a parse worker's rendering (prerender.py)

    @classmethod
    def from_crawler(cls, crawler: Any, file: IO[bytes], **kwargs: Any) -> XlsxItemExporter:
        return cls(file, crawler=crawler, **kwargs)

    def start_exporting(self) -> None:
        self.book = new_workbook(self.file, compresslevel=RUN_WORKBOOK_COMPRESSLEVEL)
        order = list(SHEET_NAMES)
        known = sorted(
            self.item_classes,
            key=lambda c: order.index(c.__name__) if c.__name__ in order else len(order),
        )
        for cls in known:
            self._writer_for(cls.__name__, [f.name for f in dataclasses.fields(cls)])
        self._replay_paused_rows()

    def _replay_paused_rows(self) -> None:
        """A resumed JOBDIR run: the workbook (a zip) can't be continued like the JSONL, so it
        is rewritten, starting with the rows the paused run already exported."""
        if self.crawler is None:
            return
        from scrapy.exceptions import NotConfigured

        from newsspider.feeds import EXPORT_FILES
        from newsspider.run import run_context

        try:
            state = run_context(self.crawler).resume
        except NotConfigured:
            return
        if not state.resumed:
            return
        for stem, item_class in EXPORT_FILES.items():
            writer = self.writers.get(item_class.__name__)
            for row in state.rows.get(stem, []) if writer is not None else []:
                writer.write(row.get)  # type: ignore[union-attr]
        rejects = self.writers.get("Reject")
        for row in state.rejects if rejects is not None else []:
            rejects.write(row.get)  # type: ignore[union-attr]

    def _writer_for(self, class_name: str, fields: Sequence[str]) -> SheetWriter:
        writer = self.writers.get(class_name)
        if writer is None:
            assert self.book is not None
            name = SHEET_NAMES.get(class_name, class_name)
            writer = self.writers[class_name] = SheetWriter(self.book, name, fields)
        return writer

    def export_item(self, item: Any) -> None:
        writer = self.writers.get(type(item).__name__)
        if writer is None:
            writer = self._writer_for(type(item).__name__, item_fields(item))
        get = value_getter(item)
        rendered = prerender_of(item, self.stats)
        sheet_row = rendered.sheet if rendered is not None else None
        if sheet_row is not None and writer.write_rendered(get, sheet_row):
            self.prerendered += 1
            return
        writer.write(get)

    def finish_exporting(self) -> None:
        assert self.book is not None
        for writer in self.writers.values():
            writer.close()
        self.book.close()  # writes the zip into the feed's file; the storage renames it
        stats = getattr(self.crawler, "stats", None)
        if stats is None:
            return
        if self.prerendered:
            stats.inc_value(f"{PRERENDER_STAT}/xlsx_rows", self.prerendered)
        for writer in self.writers.values():
            # what Excel's limits changed, per sheet (the JSONL has everything)
            for key, value in (
                ("truncated_cells", writer.truncated_cells),
                ("links_as_text", writer.links_as_text),
                ("overflow_sheets", writer.sheets - 1),
            ):
                if value:
                    stats.inc_value(f"newsspider/xlsx/{writer.name}/{key}", value)


_SHEET_RE = re.compile(r'<sheet name="([^"]*)"')


def sheet_names(path: Path) -> list[str]:
    """The sheet names of an XlsxWriter workbook, in order (``xl/worksheets/sheet<N>.xml``)."""
    with zipfile.ZipFile(path) as book:
        xml = book.read("xl/workbook.xml").decode("utf-8")
    return [html.unescape(name) for name in _SHEET_RE.findall(xml)]


def _raw_member(book: zipfile.ZipFile, info: zipfile.ZipInfo) -> bytes:
    """A member's compressed bytes as stored (no inflate/deflate round trip)."""
    assert book.fp is not None
    book.fp.seek(info.header_offset)
    header = book.fp.read(30)
    name_len, extra_len = struct.unpack("<HH", header[26:30])
    book.fp.seek(info.header_offset + 30 + name_len + extra_len)
    return book.fp.read(info.compress_size)


def _append_rows(fresh: bytes, old: bytes) -> bytes:
    """Sheet XML ``fresh`` (the header row, then the appended rows) with the data rows of
    ``old`` (the same sheet as last written) put back between them."""
    header_end = fresh.index(b"</row>", fresh.index(b"<sheetData>")) + len(b"</row>")
    rows_start = old.index(b"</row>", old.index(b"<sheetData>")) + len(b"</row>")
    rows_end = old.index(b"</sheetData>", rows_start)
    return fresh[:header_end] + old[rows_start:rows_end] + fresh[header_end:]


def _splice(
    new: Path,
    old: Path,
    replace: Mapping[str, str],
    target: Path,
    merge: Mapping[str, str] | None = None,
) -> None:
    """``new`` with the members named in ``replace`` (new name -> old name) taken from ``old``,
    copied compressed, and those in ``merge`` given the old member's data rows before their
    own (:func:`_append_rows`), written to ``target``."""
    merge = merge or {}
    with (
        zipfile.ZipFile(new) as fresh,
        zipfile.ZipFile(old) as previous,
        zipfile.ZipFile(target, "w") as out,
    ):
        assert out.fp is not None
        for info in fresh.infolist():
            if info.filename in merge:
                data = _append_rows(fresh.read(info), previous.read(merge[info.filename]))
                member = zipfile.ZipInfo(info.filename, date_time=info.date_time)
                member.external_attr = info.external_attr
                member.create_system = info.create_system
                out.writestr(
                    member,
                    data,
                    compress_type=zipfile.ZIP_DEFLATED,
                    compresslevel=HISTORY_WORKBOOK_COMPRESSLEVEL,
                )
                continue
            source, source_info = fresh, info
            if info.filename in replace:
                source, source_info = previous, previous.getinfo(replace[info.filename])
            member = zipfile.ZipInfo(info.filename, date_time=info.date_time)
            member.compress_type = source_info.compress_type
            member.CRC = source_info.CRC
            member.compress_size = source_info.compress_size
            member.file_size = source_info.file_size
            member.external_attr = info.external_attr
            member.create_system = info.create_system
            member.header_offset = out.fp.tell()
            out.fp.write(member.FileHeader())
            out.fp.write(_raw_member(source, source_info))
            out.filelist.append(member)
            out.NameToInfo[member.filename] = member
            out.start_dir = out.fp.tell()  # type: ignore[attr-defined]


def write_workbook(
    path: Path,
    tables: Mapping[str, tuple[Sequence[str], Iterable[Mapping[str, Any]]]],
    *,
    links: bool = False,
    reuse: Mapping[str, tuple[int, Sequence[int]]] | None = None,
    append: Mapping[str, tuple[int, Sequence[int]]] | None = None,
    widths: dict[str, list[int]] | None = None,
) -> dict[str, int]:
    """Write ``tables`` (sheet -> (columns, rows)) to ``path`` atomically; rows per sheet.

    Used for the history workbook; the rows may be a generator (read once, never all held).
    Without ``links`` URLs are plain text (with it, HYPERLINK formulas: memory stays flat too).

    ``reuse`` (sheet -> its row count and column widths, as ``widths`` gave them when the
    workbook at ``path`` was written): sheets whose rows are known to be those of that
    workbook. Their rows are not read: the sheet is written with its header, notes, widths and
    filter range only, and its worksheet part is then copied from the old file (compressed
    bytes as they are). Everything else in the file (workbook, styles, notes and their
    anchors, filter names) depends on those alone, so the result is the workbook a full write
    gives (tests/test_history_incremental.py). ``widths``, when given, receives every sheet's
    column widths.

    ``append`` (same form): sheets whose rows in ``tables`` come after those of the sheet in
    the workbook at ``path``. Only the new rows are written (numbered after the old ones), and
    the old sheet's rows are then put back in front of them: the sheet a full write of all
    the rows gives, at the cost of the new ones.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(f".{path.name}.{os.getpid()}.part")
    old_names = sheet_names(path) if (reuse or append) and path.exists() else []
    # a sheet that overflowed into "<name> (2)" is written again
    kept: dict[str, tuple[int, list[int]]] = {
        name: (rows, list(sizes))
        for name, (rows, sizes) in (reuse or {}).items()
        if name in old_names and rows + 1 < EXCEL_MAX_ROWS and name[:31] == name
    }
    grown: dict[str, tuple[int, list[int]]] = {
        name: (rows, list(sizes)) for name, (rows, sizes) in (append or {}).items()
    }
    for name in grown:
        if name not in old_names or name in kept or name[:31] != name:
            # its rows are only the new ones: written alone, the sheet would lack the old
            raise ValueError(f"sheet {name!r} can't be appended to: not in {path}")
    counts: dict[str, int] = {}
    spliced = path.with_name(f".{path.name}.{os.getpid()}.splice.part")
    try:
        with part.open("wb") as fh:
            book = new_workbook(fh, compresslevel=HISTORY_WORKBOOK_COMPRESSLEVEL)
            for name, (columns, rows) in tables.items():
                writer = TableSheetWriter(book, name, columns, links=links)
                if name in kept and len(kept[name][1]) == len(writer.widths):
                    writer.sheet_row = writer.rows = kept[name][0]  # the old sheet's
                    writer.widths = kept[name][1]
                elif name in grown and len(grown[name][1]) == len(writer.widths):
                    kept.pop(name, None)
                    writer.sheet_row = writer.rows = grown[name][0]  # after the old rows
                    writer.widths = grown[name][1]
                    for row in rows:
                        writer.write(row.get)
                    if writer.sheets > 1:  # the caller checks the rows fit (report.refresh)
                        raise ValueError(f"sheet {name!r}: the appended rows overflow it")
                else:
                    if name in grown:
                        raise ValueError(f"sheet {name!r}: its columns changed, can't append")
                    kept.pop(name, None)
                    for row in rows:
                        writer.write(row.get)
                writer.close()
                counts[name] = writer.rows
                if widths is not None:
                    widths[name] = list(writer.widths)
            book.close()
            fh.flush()
            os.fsync(fh.fileno())
        if kept or grown:
            new_names = [sheet.get_name() for sheet in book.worksheets()]

            def members(names: Iterable[str]) -> dict[str, str]:
                return {
                    f"xl/worksheets/sheet{new_names.index(name) + 1}.xml": (
                        f"xl/worksheets/sheet{old_names.index(name) + 1}.xml"
                    )
                    for name in names
                }

            _splice(part, path, members(kept), spliced, members(grown))
            with spliced.open("rb") as spliced_fh:
                os.fsync(spliced_fh.fileno())
            os.replace(spliced, part)
    except BaseException:
        part.unlink(missing_ok=True)
        spliced.unlink(missing_ok=True)
        raise
    os.replace(part, path)
    fsync_dir(path.parent)
    return counts
