"""Property-based tests (hypothesis, bounded so they stay fast).

1. Page objects (news1global and generic) never raise, whatever HTML they get: random text,
   random nesting of the very tags and classes their selectors look for, broken JSON-LD,
   odd attributes and URLs.
2. Every exported CSV row and JSONL line reads back to the same values, modulo the documented
   CSV transformations (formula prefix ``'``, list join with " | ", cut at 32,767 characters).
"""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from dataclasses import asdict, fields
from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsspider.exporters import (
    EXCEL_CELL_LIMIT,
    LIST_SEPARATOR,
    TRUNCATED_COLUMN,
    JsonLinesExporter,
    SpreadsheetCsvItemExporter,
)
from newsspider.items import Article, FrontPageSlot, PopularEntry, field_names
from newsspider.pages import generic, news1global
from newsspider.pages.generic import ProfileWithFallback

# the tests without their own @settings take the example count from the hypothesis profile in
# tests/conftest.py: "ci" (60 examples, CI=true and ./scripts/test) or the lighter "dev" default

# --- 1. page objects never raise ------------------------------------------------------------

TAGS = [
    "div",
    "p",
    "a",
    "span",
    "section",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "figure",
    "img",
    "time",
    "script",
    "meta",
    "link",
    "article",
    "main",
    "table",
    "td",
    "br",
    "html",
    "body",
]
CLASSES = [
    "headline-block",
    "headline-item",
    "headline-link",
    "teaser",
    "thumb",
    "block-title",
    "date-line",
    "most-popular",
    "rank",
    "article-headline",
    "article-header",
    "category",
    "byline",
    "article-dates",
    "published",
    "updated",
    "article-body",
    "paywall",
    "tags",
    "tag",
    "lead-image",
    "sidebar-card",
    "card-title",
    "",
]
ATTR_VALUES = st.one_of(
    st.sampled_from(
        [
            "1001.html",
            "../x/article/12.html",
            "javascript:alert(1)",
            "data:,x",
            "http://[::1",
            "//evil.example/a",
            "#",
            "",
            " ",
            "Politics",
            "2026-02-30",
            "2026-02-21T09:05:00+09:00",
            "canonical",
            "og:title",
            "article:published_time",
            "application/ld+json",
            "author",
            "description",
        ]
    ),
    st.text(max_size=20),
)
TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs",), blacklist_characters="<>"), max_size=40
)
JSON_LD = st.sampled_from(
    [
        '{"@type":"NewsArticle","headline":"H","datePublished":"2026-02-30","author":[1,{"name":null}]}',
        '{"@graph":[{"@type":"NewsArticle","headline":["a","b"],"author":{"name":["x"]}}]}',
        "[1,2,",
        '{"headline":{"nested":true},"image":{"url":5},"keywords":7}',
        "null",
        '"just a string"',
    ]
)


@st.composite
def html_documents(draw: Any, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 6 if depth < 3 else 0))):
        kind = draw(st.integers(0, 9))
        if kind == 0:
            parts.append(draw(TEXT))
        elif kind == 1:
            parts.append(f'<script type="application/ld+json">{draw(JSON_LD)}</script>')
        elif kind == 2:
            parts.append(
                draw(
                    st.sampled_from(
                        [
                            "</div>",
                            "<p>",
                            "<!--",
                            "]]>",
                            "<![CDATA[",
                            "&#0;",
                            "&#xD800;",
                            "&nbsp;",
                            "</html>",
                            "<html>",
                        ]
                    )
                )
            )
        else:
            tag = draw(st.sampled_from(TAGS))
            cls = draw(st.sampled_from(CLASSES))
            attrs = f' class="{cls}"'
            for name in draw(
                st.lists(
                    st.sampled_from(
                        [
                            "href",
                            "src",
                            "content",
                            "property",
                            "name",
                            "rel",
                            "datetime",
                            "data-block",
                            "type",
                            "lang",
                        ]
                    ),
                    max_size=3,
                )
            ):
                attrs += f' {name}="{draw(ATTR_VALUES)}"'.replace("<", "")
            inner = draw(html_documents(depth + 1))
            parts.append(f"<{tag}{attrs}>{inner}</{tag}>")
    return "".join(parts)


URLS = st.sampled_from(
    [
        "https://www.news1global.com/",
        "https://www.news1global.com/politics/article/1001",
        "http://127.0.0.1:8000/etc/article/99999999999999999999.html",
        "file:///tmp/demo/index.html",
        "https://example.com/2026/02/21/some-story-1234567",
    ]
)


def exercise_pages(url: str, html: str) -> None:
    for front_cls in (news1global.FrontPage, generic.GenericFrontPage):
        page = front_cls(url, html)
        for slot in page.slots():
            assert isinstance(slot, FrontPageSlot)
        for entry in page.popular():
            assert isinstance(entry, PopularEntry)
    profile_page = news1global.ArticlePage(url, html)
    for page in (
        profile_page,
        generic.GenericArticlePage(url, html),
        ProfileWithFallback(profile_page, url, html, "Asia/Seoul"),
    ):
        article = page.article()
        assert isinstance(article, Article)
        for entry in page.popular():
            assert isinstance(entry, PopularEntry)


@given(url=URLS, html=html_documents())
def test_page_objects_never_raise_on_random_markup(url: str, html: str) -> None:
    exercise_pages(url, html)


@settings(max_examples=40, deadline=None, database=None)
@given(url=URLS, data=st.binary(max_size=2000))
# a body that parses as JSON: parsel made it a JSON selector, with no tree to walk
@example(url="https://www.news1global.com/politics/article/1001", data=b"{}")
@example(url="https://example.com/news/1", data=b'[{"headline": "x"}]')
def test_page_objects_never_raise_on_binary_garbage(url: str, data: bytes) -> None:
    exercise_pages(url, data.decode("utf-8", errors="replace"))


@settings(max_examples=25, deadline=None, database=None)
@given(html=html_documents(), where=st.integers(0, 10_000))
def test_page_objects_never_raise_on_a_truncated_real_page(html: str, where: int) -> None:
    from tests.conftest import DEMO_SITE

    real = (DEMO_SITE / "politics" / "article" / "1001.html").read_text(encoding="utf-8")
    cut = real[: where * len(real) // 10_000]
    exercise_pages("https://www.news1global.com/politics/article/1001", cut + html)


# --- 2. exports read back to the same values ------------------------------------------------

ANY_TEXT = st.text(max_size=60) | st.sampled_from(
    [
        "=1+1",
        "+x",
        "-5",
        "@a",
        "\t=x",
        " =x",
        '","=1',
        "a\r\nb",
        "\u2028",
        "\x00",
        "\ud800",
        "x" * (EXCEL_CELL_LIMIT + 3),
        "'=already quoted",
    ]
)
OPT_TEXT = st.none() | ANY_TEXT
TEXT_LIST = st.lists(ANY_TEXT, max_size=4)


def item_strategy(item_class: type) -> Any:
    kinds = {f.name: f.type for f in fields(item_class)}
    values: dict[str, Any] = {}
    for name, kind in kinds.items():
        kind = str(kind)
        if kind.startswith("list"):
            values[name] = TEXT_LIST
        elif "bool" in kind:
            values[name] = st.none() | st.booleans()
        elif "int" in kind:
            values[name] = st.none() | st.integers(-(10**20), 10**20)
        elif "dict" in kind:
            values[name] = st.just({})
        else:
            values[name] = OPT_TEXT
    return st.builds(item_class, **values)


def documented_cell(value: Any) -> tuple[str, bool]:
    """README / exporters.py contract, restated: None->"", bools, lists joined, ' prefix, cut."""
    if value is None:
        return "", False
    if isinstance(value, bool):
        return ("true" if value else "false"), False
    if isinstance(value, int):
        return str(value), False
    text = LIST_SEPARATOR.join(value) if isinstance(value, list) else value
    triggers = ("=", "+", "-", "@", "\t", "\r", "\n")
    # after Unicode compatibility folding (＝ is =), past spaces and invisible format chars
    head = unicodedata.normalize("NFKC", text)
    skip = 0
    while skip < len(head) and (
        head[skip] in " \u00a0" or unicodedata.category(head[skip]) == "Cf"
    ):
        skip += 1
    if text[:1] in triggers or head[skip : skip + 1] in triggers:
        text = "'" + text
    if len(text) > EXCEL_CELL_LIMIT:
        return text[:EXCEL_CELL_LIMIT].removesuffix("\r"), True
    return text, False


def csv_safe(text: str) -> str:
    # the CSV stream encodes with errors="replace": a lone surrogate becomes "?"
    return text.encode("utf-8", errors="replace").decode("utf-8")


def export_and_read(items: list[Any], item_class: type) -> tuple[list[dict[str, str]], list[Any]]:
    names = field_names(item_class)
    csv_buf, jsonl_buf = io.BytesIO(), io.BytesIO()
    for exporter in (
        SpreadsheetCsvItemExporter(csv_buf, fields_to_export=names),
        JsonLinesExporter(jsonl_buf, fields_to_export=names),
    ):
        exporter.start_exporting()
        for item in items:
            exporter.export_item(item)
        exporter.finish_exporting()
    text = csv_buf.getvalue().decode("utf-8")
    assert text.startswith("\ufeff") and text.count("\ufeff") <= 1 + sum(
        json.dumps(asdict(i), ensure_ascii=False).count("\ufeff") for i in items
    )  # repr() escapes U+FEFF, so the values are counted through json, unescaped
    rows = list(csv.DictReader(io.StringIO(text[1:], newline="")))
    data = jsonl_buf.getvalue()
    lines = [json.loads(line) for line in data.split(b"\n") if line]
    assert data.count(b"\n") == len(items)
    return rows, lines


def check_round_trip(items: list[Any], item_class: type) -> None:
    rows, lines = export_and_read(items, item_class)
    assert len(rows) == len(lines) == len(items)
    for item, row, line in zip(items, rows, lines, strict=True):
        assert line == asdict(item)  # JSONL: exact
        assert list(row) == [*field_names(item_class), TRUNCATED_COLUMN]
        cut_fields = []
        for name in field_names(item_class):
            expected, cut = documented_cell(getattr(item, name))
            assert row[name] == csv_safe(expected), name
            if cut:
                cut_fields.append(name)
        assert row[TRUNCATED_COLUMN] == LIST_SEPARATOR.join(cut_fields)


@given(items=st.lists(item_strategy(Article), min_size=1, max_size=3))
def test_article_rows_read_back(items: list[Article]) -> None:
    check_round_trip(items, Article)


@given(items=st.lists(item_strategy(FrontPageSlot), min_size=1, max_size=4))
def test_front_page_rows_read_back(items: list[FrontPageSlot]) -> None:
    check_round_trip(items, FrontPageSlot)


@given(items=st.lists(item_strategy(PopularEntry), min_size=1, max_size=4))
def test_popular_rows_read_back(items: list[PopularEntry]) -> None:
    check_round_trip(items, PopularEntry)
