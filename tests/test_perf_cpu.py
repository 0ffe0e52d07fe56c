"""Per-page CPU shortcuts (issue 14) give exactly the bytes / answers of the slow path."""

from __future__ import annotations

import contextlib
import dataclasses
import io
import json
import logging
import re
import types
import typing
import zipfile
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import xlsxwriter
from hypothesis import given, settings
from hypothesis import strategies as st
from scrapy.utils.test import get_crawler
from xlsxwriter.worksheet import Worksheet

from newsspider import settings as project_settings
from newsspider.exporters import JsonLinesExporter, json_fallback
from newsspider.items import Article, Reject, field_names
from newsspider.perf import ENGINE_EXTENSIONS, DebugLogGate
from newsspider.pipelines.validate import check_type
from newsspider.stablejson import dumps_compact
from newsspider.state.runtime import item_data
from newsspider.text import (
    _OTHER_SPACES_RE,
    _SPACES_RE,
    _is_clean_paragraphs,
    clean_line,
    clean_paragraphs,
    count_words,
    strip_unsafe,
)
from newsspider.urls import SAFE_SCHEMES, is_safe_url
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


def test_fast_worksheet_writes_xlsxwriters_bytes_for_numbers_dates_and_formulas() -> None:
    def build(worksheet_class: type) -> bytes:
        buffer = io.BytesIO()
        book = new_workbook(buffer)
        stamp = book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
        link = book.get_default_url_format()
        sheet = book.add_worksheet("t", worksheet_class=worksheet_class)
        sheet.set_row(3, 30)  # a row format: left to XlsxWriter
        for row in range(6):
            sheet.write_number(row, 0, [0, -1.5, 1e16, 123456789012345678, 0.1 + 0.2, 7][row])
            sheet.write_number(row, 1, row, stamp)
            sheet.write_datetime(row, 2, datetime(2026, 2, 21, 9, 5, row), stamp)
            sheet.write_boolean(row, 3, bool(row % 2))
            url = f"https://x.example/a?b={row}&c=<d>"
            sheet.write_link_formula(row, 4, url, link)
            sheet.write_formula(row, 5, "=1/0", None, ["#DIV/0!", "", "x & y"][row % 3])
        book.close()
        with zipfile.ZipFile(io.BytesIO(buffer.getvalue())) as archive:
            return archive.read("xl/worksheets/sheet1.xml")

    fast = build(FastTextWorksheet)
    assert fast == build(
        type(
            "PlainLinks",
            (Worksheet,),
            {
                "write_link_formula": FastTextWorksheet.write_link_formula,
            },
        )
    )
    assert b't="str"><f>HYPERLINK(&quot;' not in fast  # data, not attribute, escaping
    assert b"b=1&amp;c=&lt;d&gt;" in fast


# --------------------------------------------------------------------------- JSONL lines

SCALARS = st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=False)
VALUES = SCALARS | st.lists(SCALARS, max_size=4) | st.dictionaries(st.text(), SCALARS, max_size=2)


def json_line(data: dict[str, Any]) -> bytes:
    """The JSONL exporter's line as it was before orjson (json, with the fallbacks)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=json_fallback)
    return text.encode("utf-8", errors="backslashreplace") + b"\n"


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.text(min_size=1), VALUES, max_size=8))
def test_jsonl_line_is_jsons_bytes_for_any_flat_row(data: dict[str, Any]) -> None:
    out = io.BytesIO()
    JsonLinesExporter(out, fields_to_export=list(data)).export_item(data)
    assert out.getvalue() == json_line(data)
    fast = dumps_compact(data)
    assert fast is None or fast + b"\n" == json_line(data)


def test_jsonl_line_of_real_articles_and_odd_values_is_unchanged() -> None:
    from newsspider.pages.news1global import PROFILE

    demo = Path(__file__).resolve().parent.parent / "newsspider" / "demo_site"
    rows: list[Any] = []
    for path in sorted(demo.glob("*/article/*.html"))[:6]:
        page = PROFILE.article_page(
            f"https://www.news1global.com/news/{path.name}", path.read_text()
        )
        rows.append(page.article())
    rows.append(
        Reject(url="https://x.test/a", reasons=["bad"], item={"when": datetime(2026, 1, 1)})
    )
    rows.append(Article(headline="lone \ud800 surrogate", authors=["A\x00B", "\u2028"]))
    rows.append(Article(headline="big", word_count=2**70))
    for item in rows:
        names = field_names(type(item))
        out = io.BytesIO()
        JsonLinesExporter(out, fields_to_export=names).export_item(item)
        assert out.getvalue() == json_line({name: getattr(item, name) for name in names})
    assert any(row.body for row in rows if isinstance(row, Article))
    assert dumps_compact({"headline": "x", "authors": ["a"]}) == b'{"headline":"x","authors":["a"]}'


# --------------------------------------------------------------------------- validate, URLs


@pytest.mark.parametrize(
    ("annotation", "value"),
    [
        (annotation, value)
        for annotation in (
            str | None, int | None, bool | None, list[str], dict[str, Any], list[int],
            list[str | None], Any, str,
            # the shapes type_check answers apart: plain classes (one isinstance), two members
            float | None, str | bytes | None, list[str] | None, str | int | None, int | Any,
        )
        for value in (None, "x", "", 0, 7, True, False, 1.5, [], ["a"], ["a", 1], [1, 2],
                      [True], [None], {}, {"a": 1}, ("a",))
    ],
)  # fmt: skip
def test_type_check_answers_as_the_typing_walk(annotation: Any, value: Any) -> None:
    def walk(value: Any, annotation: Any) -> bool:  # check_type as it was before issue 14
        origin = typing.get_origin(annotation)
        if origin in (typing.Union, types.UnionType):
            return any(walk(value, arg) for arg in typing.get_args(annotation))
        if annotation is type(None):
            return value is None
        if annotation is Any:
            return True
        if origin is list:
            (inner,) = typing.get_args(annotation) or (Any,)
            return isinstance(value, list) and all(walk(v, inner) for v in value)
        if origin is dict:
            return isinstance(value, dict)
        if annotation is int:
            return isinstance(value, int) and not isinstance(value, bool)
        return isinstance(value, annotation)

    assert check_type(value, annotation) is walk(value, annotation)


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(
        ["", " ", "http://", "https://", "HTTP://", "file:", "javascript:", "\t"]
    ).flatmap(lambda head: st.text(max_size=20).map(lambda tail: head + tail))
)
def test_is_safe_url_answers_as_urlsplit(url: str) -> None:
    try:
        expected: bool | None = urlsplit(url.strip()).scheme.lower() in SAFE_SCHEMES
    except ValueError:
        expected = None
    if expected is None:
        with pytest.raises(ValueError):
            is_safe_url(url)
    else:
        assert is_safe_url(url) is (bool(url) and expected)


# --------------------------------------------------------------------------- DEBUG records


@contextlib.contextmanager
def only_info_handler() -> Iterator[logging.Logger]:
    """The root logger with only an INFO handler (as in `scrapy crawl`), restored after; set
    inside the test, since pytest adds its own capture handlers around the test body."""
    root, scrapy_log = logging.getLogger(), logging.getLogger("scrapy")
    saved = root.handlers[:], root.level, scrapy_log.level
    handler = logging.StreamHandler(io.StringIO())
    handler.setLevel(logging.INFO)
    root.handlers[:] = [handler]
    root.setLevel(logging.NOTSET)
    scrapy_log.setLevel(logging.DEBUG)  # what Scrapy's configure_logging does
    try:
        yield root
    finally:
        root.handlers[:], level, scrapy_level = saved
        root.setLevel(level)
        scrapy_log.setLevel(scrapy_level)


def test_debug_log_gate_skips_records_no_handler_shows() -> None:
    scraper_log = logging.getLogger("scrapy.core.scraper")
    gate = DebugLogGate.from_crawler(get_crawler())
    with only_info_handler() as root:
        assert scraper_log.isEnabledFor(logging.DEBUG)  # built, then dropped by the handler
        gate.engine_started()
        assert root.level == logging.INFO
        assert not scraper_log.isEnabledFor(logging.DEBUG)
        assert scraper_log.isEnabledFor(logging.INFO)
        assert logging.getLogger("newsspider.state").isEnabledFor(logging.INFO)
        assert not logging.getLogger("newsspider.state").isEnabledFor(logging.DEBUG)
        gate.engine_stopped()
        assert root.level == logging.NOTSET
        assert logging.getLogger("scrapy").level == logging.DEBUG
        assert scraper_log.isEnabledFor(logging.DEBUG)


def test_debug_log_gate_leaves_a_debug_handler_its_records() -> None:
    capture = logging.StreamHandler(io.StringIO())  # e.g. LOG_LEVEL=DEBUG, a test's capture
    capture.setLevel(logging.NOTSET)
    gate = DebugLogGate.from_crawler(get_crawler())
    with only_info_handler() as root:
        root.addHandler(capture)
        gate.engine_started()
        assert root.level == logging.NOTSET
        logging.getLogger("scrapy.core.scraper").debug("Scraped from <200 x>")
        gate.engine_stopped()
        assert root.level == logging.NOTSET
    assert "Scraped from" in capture.stream.getvalue()


def test_debug_log_gate_is_an_engine_extension() -> None:
    assert "newsspider.perf.DebugLogGate" in ENGINE_EXTENSIONS
    assert project_settings.EXTENSIONS["newsspider.perf.DebugLogGate"] is not None


# --------------------------------------------------------------------------- clean_line


@settings(max_examples=500, deadline=None)
@given(
    st.text(alphabet=st.sampled_from(" a\u00e9\t\n\u00a0\u2003\u200b\u3000\x1f\u2028"), max_size=12)
    | st.text(max_size=30)
)
def test_clean_line_fast_path_is_the_regex_answer(text: str) -> None:
    slow = _SPACES_RE.sub(" ", strip_unsafe(text)).strip() or None  # clean_line before
    assert clean_line(text) == slow


# --------------------------------------------------------------------------- item_data


@settings(max_examples=200, deadline=None)
@given(
    st.builds(
        Article,
        url=st.none() | st.text(),
        word_count=st.none() | st.integers(),
        is_paywalled=st.none() | st.booleans(),
        authors=st.lists(st.text(max_size=5), max_size=3),
        tags=st.lists(st.text(max_size=5) | st.integers(), max_size=3),
    )
)
def test_item_data_is_asdict(article: Article) -> None:
    data = item_data(article)
    assert data == dataclasses.asdict(article)
    assert list(data) == field_names(Article)
    assert data["authors"] is not article.authors  # a copy, as asdict's


def test_item_data_of_nested_or_odd_values_is_asdict() -> None:
    class Text(str):
        pass

    for item in (
        Reject(url="https://x.test/", reasons=["r"], item={"a": [1, {"b": 2}]}),
        Article(headline=Text("subclass"), tags=["a", Text("b")]),
        Article(authors=[["nested"]]),  # type: ignore[list-item]
    ):
        assert item_data(item) == dataclasses.asdict(item)
    nested = Reject(item={"a": [1]})
    assert item_data(nested)["item"] is not nested.item  # asdict's deep copy


# --------------------------------------------------------------------------- body text


def is_clean_paragraphs_before(text: str) -> bool:
    """text._is_clean_paragraphs as it was before issue 14 (split at the blank lines)."""
    if not text or text != text.strip() or "  " in text:
        return False
    if _OTHER_SPACES_RE.search(text):
        return False
    return all(
        paragraph and "\n" not in paragraph and paragraph[0] != " " and paragraph[-1] != " "
        for paragraph in text.split("\n\n")
    )


@settings(max_examples=1000, deadline=None)
@given(st.text(alphabet=st.sampled_from("ab \n\t\u00a0é"), max_size=14))
def test_is_clean_paragraphs_answers_as_the_split(text: str) -> None:
    assert _is_clean_paragraphs(text) is is_clean_paragraphs_before(text)
    if _is_clean_paragraphs(text):
        assert clean_paragraphs(text) is text  # returned as is, not rebuilt


def test_count_words_counts_each_text_equal_or_not() -> None:
    body = "word " * 400 + "end"
    same_value = "".join(["word " * 400, "end"])  # equal, another object
    assert same_value is not body
    assert count_words(body) == 401
    assert count_words(body) == 401  # twice: no state between calls
    assert count_words(same_value) == 401
    other = "x " * 800
    for text in (other, body, "y" * 2000, "z " * 600, other):
        assert count_words(text) == len(re.findall(r"\w+", text))
    assert clean_paragraphs("para one\n\n\n para two") == "para one\n\npara two"
