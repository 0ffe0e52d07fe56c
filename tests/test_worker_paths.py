"""The parse worker's session 7 fast paths (issue 14) give what the general paths give: the
row renderer's direct cells vs the scratch worksheet's own, the body proven clean in one
pass vs the paragraphs cleaned one by one, the word count remembered vs counted, a body's
cut known clean vs scanned. Correctness only (speed: benchmarks/worker_cost.py)."""

from __future__ import annotations

import random
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from newsspider import text as text_module
from newsspider.exporters import EXCEL_CELL_LIMIT, fit_cell, value_getter
from newsspider.items import Article, PopularEntry, field_names
from newsspider.pages.base import clean_text, element_text, raw_text
from newsspider.pages.news1global import ArticlePage
from newsspider.text import _count_words, count_words, is_clean_body, join_paragraphs
from newsspider.workbook import RowRenderer, _needs_control_escape

DEMO = Path(__file__).resolve().parents[1] / "newsspider" / "demo_site"
URL = "https://www.news1global.com/politics/article/1001"

# cells XlsxWriter treats apart: escapes, rich-text look-alikes, white space at the ends,
# XML specials, texts over the UTF-16 limit (astral characters count twice), long bodies
TEXTS = [
    "plain",
    " leading",
    "trailing\n",
    "a \x01 control",
    "looks like _x0041_ an escape",
    "<r>rich look-alike</r>",
    'xml & < > " specials',
    "non\ufffechar",
    "Ünïcödé 日本語 🎉",
    "=SUM(A1:A2)",
    "word " * 7000,
    "🎉" * 17000,
    "x" * 16384 + "🎉" * 8200,
]


def _article(**values: Any) -> Article:
    article = Article(url="https://www.news1global.com/politics/article/1001")
    for name, value in values.items():
        setattr(article, name, value)
    return article


def _both(item: Any) -> tuple[Any, Any]:
    names = tuple(field_names(type(item)))
    renderer = RowRenderer(names)
    fast = renderer.render(value_getter(item), ("run_id",))
    slow = renderer._render_through_sheet(value_getter(item), ("run_id",))
    return fast, slow


@pytest.mark.parametrize("text", TEXTS, ids=range(len(TEXTS)))
def test_row_renderer_cells_are_the_worksheets_own(text: str) -> None:
    item = _article(
        headline=text,
        body=text,
        authors=[text, "B"],
        image_url=text if text.startswith("http") else "https://x.example/i.jpg?a=1&b=<2>",
        related_urls=["https://x.example/a", text],
        word_count=len(text),
        is_paywalled=bool(len(text) % 2),
        published_at="2026-02-21T09:05:00+09:00",
        updated_at="not a date",
        crawled_at="2026-02-21T00:00:00+00:00",
    )
    fast, slow = _both(item)
    assert fast == slow
    if slow is not None:
        assert slow.cells  # something was rendered and compared


@settings(max_examples=150, deadline=None)
@given(
    text=st.text(max_size=60),
    number=st.integers(min_value=-(10**20), max_value=10**20),
    flag=st.none() | st.booleans(),
    url=st.text(alphabet='abc/:."<>&_x0', max_size=30),
)
def test_row_renderer_matches_the_worksheet_on_any_values(
    text: str, number: int, flag: bool | None, url: str
) -> None:
    item = _article(
        headline=text,
        description=text.strip() or None,
        word_count=number,
        is_paywalled=flag,
        published_at_tz_assumed=flag,
        canonical_url="https://x.example/" + url,
        image_url="http://" + url,
        tags=[text, url],
    )
    fast, slow = _both(item)
    assert fast == slow


def test_row_renderer_renders_every_item_class_as_the_worksheet() -> None:
    entry = PopularEntry(list_name="Most", rank=3, headline="H & <b>", article_url="https://x/")
    fast, slow = _both(entry)
    assert fast == slow and fast is not None


def test_row_renderer_leaves_what_it_does_not_cover_to_the_worksheet() -> None:
    # a text over XlsxWriter's UTF-16 limit: XlsxWriter cuts it (the row goes through it)
    renderer = RowRenderer(("run_id", "headline", "word_count"))
    long = "🎉" * 20000
    row = renderer.render({"headline": long, "word_count": 1}.get, ("run_id",))
    assert row == renderer._render_through_sheet(
        {"headline": long, "word_count": 1}.get, ("run_id",)
    )
    assert renderer.cells.apart  # it was left to the worksheet


# --------------------------------------------------------------------------- body, one pass

PARAGRAPH_PIECES = [
    "plain words",
    "two  spaces",
    " edge",
    "edge ",
    "line\nbreak",
    "tab\there",
    "nbsp\u00a0x",
    "ctrl\x01x",
    "del\x7fx",
    "café",
    "e\u0301",
    "<b>bold</b> after",
    "<a href='x'>link</a>",
    "",
    "   ",
    "U.S. 3,000 won_x",
]


def _page(paragraphs: list[str]) -> ArticlePage:
    body = "".join(f"<p>{p}</p>" for p in paragraphs)
    html = (
        "<html><head><title>t</title></head><body><div class='article-body'>"
        f"{body}<div class='ad-slot'><p>ad</p></div></div></body></html>"
    )
    return ArticlePage(URL, html)


def test_the_body_proven_in_one_pass_is_the_body_of_the_cleaned_paragraphs() -> None:
    rnd = random.Random(7)
    fast_path = 0
    for _ in range(3000):
        paragraphs = [rnd.choice(PARAGRAPH_PIECES) for _ in range(rnd.randint(0, 5))]
        text_module._CLEAN_PARAGRAPHS.clear()
        page = _page(paragraphs)
        expected_paragraphs = page.paragraphs()
        text_module._CLEAN_PARAGRAPHS.clear()
        body = page.body()
        assert body == ("\n\n".join(expected_paragraphs) or None), repr(paragraphs)
        if body is not None and is_clean_body(body):
            fast_path += 1
            assert text_module.clean_paragraphs(body) is body
        assert count_words(body) == (_count_words(body) if body else 0), repr(paragraphs)
    assert fast_path > 300  # both paths are exercised


@pytest.mark.parametrize(
    "html", ["<p>a</p>", "<p></p>", "<p> a <b> b </b>\n c </p>", "<p><i/></p>"]
)
def test_element_text_is_clean_text_of_raw_text(html: str) -> None:
    node = etree.fromstring(html, etree.HTMLParser()).find(".//p")
    raw = raw_text(node)
    assert element_text(node) == (clean_text(raw) if raw else None)
    assert raw_text(None) is None and raw_text("x ") == "x "


def test_word_counts_remembered_by_join_paragraphs_are_counted_ones() -> None:
    rnd = random.Random(12)
    alphabet = [*"ab_1 .,-'\"", "\u00e9", "\n", "\x01", "\x7f"]
    for _ in range(5000):
        paragraphs = [
            "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 8)))
            for _ in range(rnd.randint(1, 4))
        ]
        text_module._WORD_COUNTS.clear()
        body = join_paragraphs(paragraphs)
        if body is not None:
            assert count_words(body) == _count_words(body), repr(paragraphs)
    assert count_words("x y") == 2  # a body not remembered: counted


def test_a_cut_of_a_clean_body_needs_no_control_escape_as_scanned() -> None:
    page = ArticlePage(URL, (DEMO / "politics" / "article" / "1001.html").read_text("utf-8"))
    long_body = join_paragraphs([f"Paragraph {n} of a long body, plain text." for n in range(900)])
    assert long_body is not None and is_clean_body(long_body)
    cut, was_cut = fit_cell(long_body)
    assert was_cut and len(cut) == EXCEL_CELL_LIMIT
    text_module._CLEAN_PARAGRAPHS.clear()
    scanned = _needs_control_escape(cut)
    text_module._CLEAN_PARAGRAPHS.append(long_body)
    assert _needs_control_escape(cut) == scanned is False
    # a text that is not (the start of) a remembered body is scanned
    assert _needs_control_escape(cut[:-1] + "\x01")
    assert page.body()


def test_row_renderer_renders_a_demo_article_as_the_worksheet() -> None:
    from newsspider.parsepool import parse_article_text
    from newsspider.sites import get_profile

    html = (DEMO / "politics" / "article" / "1001.html").read_text("utf-8")
    article = parse_article_text(get_profile("news1global"), URL, html, "2026-02-21T00:00:00+00:00")
    article.article.crawled_at = "2026-02-21T00:00:00+00:00"
    fast, slow = _both(article.article)
    assert fast == slow and fast is not None and len(fast.cells) > 10
    assert datetime.fromisoformat(article.article.published_at or "")


# --------------------------------------------------------------------------- canonical URLs


def test_canonical_urls_remembered_are_the_ones_computed() -> None:
    from newsspider import urls

    rnd = random.Random(21)
    pieces = ["http://x.test", "https://X.test", "http://x.test:80", "file://", "http://[::1"]
    paths = ["/a", "/a/../b", "/café", "/a?b=2&a=1", "/a?utm_source=x#f", "", "/%7e", " /x "]
    urls._CANONICAL.clear()
    for _ in range(3000):
        url = rnd.choice(pieces) + rnd.choice(paths)
        try:
            expected: str | None = urls._canonical(url)
        except ValueError:
            expected = None
        for _ in range(2):  # computed, then remembered
            try:
                got: str | None = urls.canonicalize_url(url)
            except ValueError:
                got = None
            assert got == expected, url
    assert 0 < len(urls._CANONICAL) <= urls.CANONICAL_KEPT
    assert "http://[::1" not in urls._CANONICAL  # an error is raised each time, never kept


@pytest.mark.parametrize(
    "scripts",
    [
        '<script type="application/ld+json">{"a": 1}</script>',
        '<script type="application/ld+json">[{"a": 1}, {"@graph": [{"b": 2}]}]</script>'
        '<script>var x = 1;</script><script type="Application/ld+json">{"c": 3}</script>'
        '<script type="application/ld+json" >{"d": 4}</script>',
        '<script type="application/ld+json"></script><script type=" application/ld+json">{}'
        "</script>",
        "",
    ],
)
def test_json_ld_scripts_found_by_the_tag_walk_are_the_selectors(scripts: str) -> None:
    from newsspider.pages.base import _JSON_LD_CSS, _json_ld_texts, _select

    for html in (
        f"<html><head>{scripts}</head><body><p>x</p>{scripts}</body></html>",
        f"<script type='application/ld+json'>{{}}</script>{scripts}",
    ):
        root = etree.fromstring(html, etree.HTMLParser())
        assert _json_ld_texts(root) == _select(_JSON_LD_CSS, root)


@pytest.mark.parametrize("text", ["", "a" * 40000, "é" * 20000, "🎉x" * 12000, "a\ud800"])
def test_the_utf16_length_shortcut_is_xlsxwriters(text: str) -> None:
    from xlsxwriter.utility import _utf16_len

    from newsspider.workbook import _RowCells

    assert _RowCells._utf16_len(text) == _utf16_len(text)
