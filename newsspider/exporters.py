"""Exporters that make the files safe for spreadsheets and notebooks.

CSV (``SpreadsheetCsvItemExporter``), the contract analysts rely on:

* UTF-8 with a byte-order mark, so Excel detects the encoding; CRLF row ends (RFC 4180);
  every cell quoted.
* A header row always (an empty feed still gets its header), columns in the item class's
  field order, then one extra column ``truncated_fields``.
* ``None`` -> empty cell; ``True``/``False`` -> ``true``/``false``; list fields joined with
  ``LIST_SEPARATOR`` (``" | "``).
* Formula injection (OWASP "CSV Injection"): a text cell whose first character - or first
  character after leading white space and invisible format characters, compared in NFKC form
  so full-width ``＝`` counts as ``=`` - is ``= + - @``, tab, CR or LF gets a leading ``'`` so
  spreadsheets show it as text. Numbers are written as numbers and never prefixed.
* A cell longer than Excel's 32,767-character limit is cut to fit, and its column name is
  listed in ``truncated_fields`` (JSONL always has the full value).

JSONL (``JsonLinesExporter``): one UTF-8 object per line, no BOM, non-ASCII kept as is.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import unicodedata
from collections.abc import Callable, Sequence
from typing import IO, Any

from itemadapter import ItemAdapter
from scrapy.exporters import BaseItemExporter

from newsspider.prerender import PrerenderedCsv, prerender_of
from newsspider.stablejson import dumps_compact

PRERENDER_STAT = "newsspider/export/prerendered"  # rows written from a worker's rendering

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
EXCEL_CELL_LIMIT = 32_767
TRUNCATED_COLUMN = "truncated_fields"
LIST_SEPARATOR = " | "
BOM = "\ufeff"


# a formula hides behind this many characters at most (invisible marks, spaces) - and
# normalising only the head keeps the check cheap for 30,000-character article bodies
_FORMULA_PROBE = 64


def looks_like_formula(text: str) -> bool:
    """Would a spreadsheet read this cell as a formula?

    Decided on the NFKC form (full-width ``＝＋－＠`` are ``= + - @`` to some spreadsheets)
    after dropping leading spaces and invisible format characters (Unicode category Cf: U+2060
    word joiner, U+200B zero-width space, U+FEFF, bidi marks), which a spreadsheet may ignore.
    """
    if not text:
        return False
    first = text[0]
    if first.isascii() and first.isalnum():
        return False  # most cells: nothing to normalise
    head = unicodedata.normalize("NFKC", text[:_FORMULA_PROBE])
    start = 0
    while start < len(head) and (
        head[start] in " \u00a0" or unicodedata.category(head[start]) == "Cf"
    ):
        start += 1
    return head.startswith(FORMULA_TRIGGERS, start) or text.startswith(FORMULA_TRIGGERS)


def neutralize_formula(text: str) -> str:
    """Prefix a formula-looking cell with ``'`` (OWASP); other text is returned unchanged."""
    return "'" + text if looks_like_formula(text) else text


def csv_cell(value: Any, separator: str) -> str:
    """The text of one CSV cell for a field value (before the length limit)."""
    if type(value) is str:  # most cells: the last branch's answer, without the type tests
        return neutralize_formula(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    if isinstance(value, list | tuple):
        return neutralize_formula(separator.join("" if v is None else str(v) for v in value))
    if isinstance(value, dict):
        text = json.dumps(value, ensure_ascii=False, sort_keys=True, default=json_fallback)
        return neutralize_formula(text)
    return neutralize_formula(str(value))


_DATACLASS_FIELDS: dict[type, frozenset[str]] = {}


def value_getter(item: Any) -> Callable[[str], Any]:
    """``ItemAdapter(item).get`` without the adapter: direct attribute access for the
    dataclass items (a name that is not a field reads as None, as with the adapter)."""
    cls = type(item)
    names = _DATACLASS_FIELDS.get(cls)
    if names is None:
        if not dataclasses.is_dataclass(cls):
            return ItemAdapter(item).get  # type: ignore[no-any-return]
        names = _DATACLASS_FIELDS[cls] = frozenset(f.name for f in dataclasses.fields(cls))

    def get(name: str) -> Any:
        return getattr(item, name) if name in names else None

    return get


def fit_cell(text: str, limit: int = EXCEL_CELL_LIMIT) -> tuple[str, bool]:
    """Cut ``text`` to the spreadsheet cell limit; say whether it was cut."""
    if len(text) <= limit:
        return text, False
    cut = text[:limit]
    # never leave half a surrogate pair (can't happen with str, but keep CRLF pairs whole)
    if cut.endswith("\r"):
        cut = cut[:-1]
    return cut, True


class SpreadsheetCsvItemExporter(BaseItemExporter):  # type: ignore[misc]
    """CSV that opens correctly in Excel, Google Sheets, LibreOffice and pandas."""

    def __init__(
        self, file: IO[bytes], *, list_separator: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(dont_fail=True, **kwargs)
        self.file = file
        self.encoding = "utf-8"
        self.list_separator = list_separator if list_separator is not None else LIST_SEPARATOR
        self.stream = io.TextIOWrapper(
            file, encoding="utf-8", errors="replace", newline="", write_through=True
        )
        self.writer = csv.writer(self.stream, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        self.columns: list[str] = []
        self.rows = 0
        self.truncated_cells = 0
        self.prerendered = 0  # rows written from a parse worker's rendering (prerender.py)
        self.stats: Any = None
        self._tails: dict[int, tuple[str, ...]] = {}

    def start_exporting(self) -> None:
        self.stream.write(BOM)
        if self.fields_to_export is None:
            raise ValueError("SpreadsheetCsvItemExporter needs the feed's 'fields' option set")
        self.columns = list(self.fields_to_export)
        self.writer.writerow([*self.columns, TRUNCATED_COLUMN])

    @classmethod
    def from_crawler(cls, crawler: Any, file: IO[bytes], **kwargs: Any) -> Any:
        exporter = cls(file, **kwargs)
        exporter.stats = crawler.stats
        return exporter

    def export_item(self, item: Any) -> None:
        pre = prerender_of(item, self.stats)
        if pre is not None and pre.csv is not None:
            row = self._prerendered_row(item, pre.csv)
            if row is not None:
                self.file.write(row)
                self.prerendered += 1
                self.rows += 1
                return
        cells, truncated = csv_cells(value_getter(item), self.columns, self.list_separator)
        self.truncated_cells += len(truncated)
        self.stream.write(csv_line(cells, truncated, self.list_separator))
        self.rows += 1

    def _prerendered_row(self, item: Any, pre: PrerenderedCsv) -> bytes | None:
        """The row from the cells a parse worker rendered (newsspider/prerender.py) with this
        exporter's own functions, and the leading cells stamped since rendered here; None:
        the worker rendered other columns or separator, take the usual path."""
        lead = len(self.columns) - len(pre.columns)
        if lead < 0 or pre.separator != self.list_separator or pre.columns != self._tail(lead):
            return None
        cells, truncated = csv_cells(value_getter(item), self.columns[:lead], self.list_separator)
        if truncated:
            return None
        self.truncated_cells += pre.truncated_cells
        head = quoted_cells(cells)
        return head.encode("utf-8", errors="replace") + b'","' + pre.tail if lead else pre.row

    def _tail(self, lead: int) -> tuple[str, ...]:
        tail = self._tails.get(lead)
        if tail is None:
            tail = self._tails[lead] = tuple(self.columns[lead:])
        return tail

    def finish_exporting(self) -> None:
        self.stream.flush()
        self.stream.detach()  # leave the file to the feed storage, which closes it
        if self.stats is not None and self.prerendered:
            self.stats.inc_value(f"{PRERENDER_STAT}/csv_rows", self.prerendered)


def csv_cells(
    get: Callable[[str], Any], columns: Sequence[str], separator: str
) -> tuple[list[str], list[str]]:
    """The CSV cells of ``columns`` (cut to the cell limit) and the names of those cut: the
    one rendering of a row, in the exporter and in a parse worker (newsspider/prerender.py)."""
    row: list[str] = []
    truncated: list[str] = []
    for name in columns:
        text = csv_cell(get(name), separator)
        if len(text) > EXCEL_CELL_LIMIT:
            text, _ = fit_cell(text)
            truncated.append(name)
        row.append(text)
    return row, truncated


def csv_line(cells: list[str], truncated: list[str], separator: str) -> str:
    """One CSV record, ``truncated_fields`` last: what csv.writer(QUOTE_ALL, doublequote,
    lineterminator CRLF) writes for str cells (every cell quoted, quotes doubled), with one
    join instead of the writer's per-cell scan."""
    return quoted_cells([*cells, separator.join(truncated)]) + '"\r\n'


def quoted_cells(cells: list[str]) -> str:
    """``"a","b"`` without the closing quote: every cell quoted, quotes doubled."""
    return '"' + '","'.join([c.replace('"', '""') if '"' in c else c for c in cells])


def json_fallback(value: Any) -> Any:
    """JSON for what json can't encode (a Reject carries the bad value as found): text."""
    if isinstance(value, bytes | bytearray):
        return bytes(value).decode("utf-8", errors="replace")
    if isinstance(value, set | frozenset | tuple):
        return list(value)
    return str(value)


class JsonLinesExporter(BaseItemExporter):  # type: ignore[misc]
    """One JSON object per line, UTF-8 without BOM, keys in field order, nothing escaped."""

    def __init__(self, file: IO[bytes], **kwargs: Any) -> None:
        super().__init__(dont_fail=True, **kwargs)
        self.file = file
        self.prerendered = 0  # lines written from a parse worker's rendering (prerender.py)
        self.stats: Any = None
        self._names: Any = None
        self._tails: dict[int, tuple[str, ...]] = {}

    @classmethod
    def from_crawler(cls, crawler: Any, file: IO[bytes], **kwargs: Any) -> Any:
        exporter = cls(file, **kwargs)
        exporter.stats = crawler.stats
        return exporter

    def export_item(self, item: Any) -> None:
        names: Any = self.fields_to_export or list(ItemAdapter(item).field_names())
        pre = prerender_of(item, self.stats)
        if pre is not None and pre.jsonl is not None and type(names) is list:
            lead = len(names) - len(pre.jsonl.columns)
            if lead >= 0 and pre.jsonl.columns == self._tail(names, lead):
                get = value_getter(item)
                head = json_object({name: get(name) for name in names[:lead]})
                # two JSON objects' members, in order: the object of them all
                self.file.write(head[:-1] + b"," + pre.jsonl.tail if lead else pre.jsonl.line)
                self.prerendered += 1
                return
        get = value_getter(item)
        self.file.write(json_object({name: get(name) for name in names}) + b"\n")

    def _tail(self, names: Sequence[str], lead: int) -> tuple[str, ...]:
        tail = self._tails.get(lead)
        if tail is None or self._names is not names:
            self._names, self._tails = names, {}
            tail = self._tails[lead] = tuple(names[lead:])
        return tail

    def finish_exporting(self) -> None:
        if self.stats is not None and self.prerendered:
            self.stats.inc_value(f"{PRERENDER_STAT}/jsonl_rows", self.prerendered)


def json_object(data: dict[str, Any]) -> bytes:
    """One JSONL record without its line end: the one rendering, in the exporter and in a
    parse worker (newsspider/prerender.py)."""
    fast = dumps_compact(data)  # json's exact bytes, ~20x faster for an article body
    if fast is not None:
        return fast
    line = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=json_fallback)
    return line.encode("utf-8", errors="backslashreplace")
