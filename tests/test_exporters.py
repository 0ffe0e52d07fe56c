"""Exporter tests with hand-built items: exact bytes, BOM, formulas, truncation."""

from __future__ import annotations

import csv
import io
import json

import pytest

from newsspider.exporters import (
    EXCEL_CELL_LIMIT,
    JsonLinesExporter,
    SpreadsheetCsvItemExporter,
    csv_cell,
    neutralize_formula,
)
from newsspider.items import Article, PopularEntry, field_names


def export_csv(items: list[object], item_class: type) -> bytes:
    buf = io.BytesIO()
    exporter = SpreadsheetCsvItemExporter(buf, fields_to_export=field_names(item_class))
    exporter.start_exporting()
    for item in items:
        exporter.export_item(item)
    exporter.finish_exporting()
    return buf.getvalue()


def test_csv_exact_bytes_for_one_popular_entry() -> None:
    entry = PopularEntry(
        run_id="r1",
        crawled_at="2026-02-21T00:05:00+00:00",
        list_name="Most Popular Articles",
        rank=1,
        headline="=SUM(A1:A9) of all fears",
        article_url="https://news1global.com/etc/article/1007",
        article_id="1007",
        seen_on_url=None,
    )
    data = export_csv([entry], PopularEntry)
    assert data == (
        b"\xef\xbb\xbf"
        b'"run_id","crawled_at","list_name","rank","headline","article_url","article_id",'
        b'"seen_on_url","truncated_fields"\r\n'
        b'"r1","2026-02-21T00:05:00+00:00","Most Popular Articles","1",'
        b'"\'=SUM(A1:A9) of all fears",'
        b'"https://news1global.com/etc/article/1007","1007","",""\r\n'
    )


def test_empty_feed_still_has_bom_and_header() -> None:
    data = export_csv([], PopularEntry)
    assert data.startswith(b'\xef\xbb\xbf"run_id"')
    assert data.count(b"\r\n") == 1


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+30% exports", "'+30% exports"),
        ("-2 dead", "'-2 dead"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\t=cmd", "'\t=cmd"),
        ("\r=cmd", "'\r=cmd"),
        ("\n=cmd", "'\n=cmd"),
        ('  =HYPERLINK("http://x")', '\'  =HYPERLINK("http://x")'),
        # full-width forms (NFKC: ＝ is =) and invisible format characters (Cf) before them
        ("＝1+1", "'＝1+1"),
        ("＋30%", "'＋30%"),
        ("－2", "'－2"),
        ("＠SUM(1)", "'＠SUM(1)"),
        ("\u2060=cmd", "'\u2060=cmd"),
        ("\u200b\u200b=cmd", "'\u200b\u200b=cmd"),
        ("\ufeff@x", "'\ufeff@x"),
        ("\u202e=cmd", "'\u202e=cmd"),
        ("\u3000=cmd", "'\u3000=cmd"),
        (" \u2060\u00a0＝cmd", "' \u2060\u00a0＝cmd"),
        ("\u2060Seoul", "\u2060Seoul"),
        ("Ａ=b", "Ａ=b"),
        ("Seoul stocks rise", "Seoul stocks rise"),
        ("a=b", "a=b"),
        ("김민지", "김민지"),
        ("", ""),
    ],
)
def test_neutralize_formula(value: str, expected: str) -> None:
    assert neutralize_formula(value) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (None, ""),
        (True, "true"),
        (False, "false"),
        (-5, "-5"),  # numbers stay numbers, never prefixed
        (3, "3"),
        (["KBO", "Doosan Bears"], "KBO | Doosan Bears"),
        ([], ""),
        (["-1", "x"], "'-1 | x"),
    ],
)
def test_csv_cell(value: object, expected: str) -> None:
    assert csv_cell(value, " | ") == expected


def test_long_cell_truncated_and_flagged_but_jsonl_keeps_all() -> None:
    body = "word " * 20_000  # 100,000 characters
    article = Article(url="https://x.test/a/article/1", article_id="1", headline="H", body=body)
    data = export_csv([article], Article)
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert len(rows) == 1
    assert len(rows[0]["body"]) == EXCEL_CELL_LIMIT
    assert rows[0]["truncated_fields"] == "body"
    assert rows[0]["headline"] == "H"

    buf = io.BytesIO()
    exporter = JsonLinesExporter(buf, fields_to_export=field_names(Article))
    exporter.export_item(article)
    assert json.loads(buf.getvalue())["body"] == body


def test_csv_round_trip_keeps_newlines_quotes_and_unicode() -> None:
    article = Article(
        url="https://x.test/a/article/1",
        article_id="1",
        headline='He said “hi” and "bye", then left 🎉',
        body='First, paragraph.\n\nSecond "quoted" paragraph — 김민지.',
        authors=["Kim Min-ji (김민지)", "Lee Soo-jin"],
        word_count=7,
        is_paywalled=False,
    )
    data = export_csv([article], Article)
    assert not data[3:].startswith(b"\xef\xbb\xbf")  # one BOM only
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert rows[0]["headline"] == article.headline
    assert rows[0]["body"] == article.body
    assert rows[0]["authors"] == "Kim Min-ji (김민지) | Lee Soo-jin"
    assert rows[0]["word_count"] == "7"
    assert rows[0]["is_paywalled"] == "false"
    assert list(rows[0])[: len(field_names(Article))] == field_names(Article)


def test_jsonl_is_utf8_without_bom_one_object_per_line() -> None:
    buf = io.BytesIO()
    exporter = JsonLinesExporter(buf, fields_to_export=field_names(PopularEntry))
    exporter.start_exporting()
    exporter.export_item(
        PopularEntry(list_name="Most Popular Articles", rank=1, headline="김치 “x”")
    )
    exporter.export_item(PopularEntry(list_name="Most Popular Articles", rank=2, headline="=2"))
    exporter.finish_exporting()
    raw = buf.getvalue()
    assert not raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8").splitlines()
    assert len(lines) == 2
    first = json.loads(lines[0])
    assert list(first) == field_names(PopularEntry)
    assert first["headline"] == "김치 “x”"
    assert json.loads(lines[1])["headline"] == "=2"  # JSONL keeps the value as is
