"""Rows rendered by a parse worker (newsspider/prerender.py) give the exporters' exact bytes.

Each case exports the same Articles twice, once as the crawling process renders them and
once from a worker's rendering carried through a pickle (as the pool returns it), with the
run id stamped afterwards as the stamp pipeline does, and compares the files byte for byte
(the workbook: every member of the zip but its creation time).
"""

from __future__ import annotations

import io
import pickle
import zipfile
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from newsspider.exporters import (
    EXCEL_CELL_LIMIT,
    JsonLinesExporter,
    SpreadsheetCsvItemExporter,
)
from newsspider.feeds import _WriteThroughFile
from newsspider.items import Article, ArticleRevision, FrontPageSlot, PopularEntry, Reject
from newsspider.items import field_names as item_field_names
from newsspider.prerender import STALE_STAT, exporting, prerender_of, render_article
from newsspider.prerender import attach as attach_rendering
from newsspider.workbook import WIDTH_SAMPLE_ROWS, XlsxItemExporter

CLASSES = [FrontPageSlot, Article, PopularEntry, ArticleRevision, Reject]
RUN_ID = "20260101T000000Z-ab12"


class FakeCrawler:
    """What the exporters take from a crawler: its stats (not a newsspider run: no add-on)."""

    addons = None

    def __init__(self) -> None:
        self.stats = MemoryStatsCollector(get_crawler())


def articles() -> list[Article]:
    """Ordinary and hostile Articles: every cell type and every escape the writers make."""
    base = Article(
        crawled_at="2026-02-21T01:02:03+00:00",
        url="https://news.example/article/1001",
        canonical_url="https://news.example/article/1001",
        article_id="1001",
        site="news1global",
        section="politics",
        headline="Plain headline",
        authors=["Ann Lee", "Bo Kim"],
        published_at="2026-02-21T09:05:00+09:00",
        published_at_raw="2026-02-21 09:05 KST",
        published_at_tz_assumed=False,
        body="First paragraph.\n\nSecond one.",
        word_count=4,
        is_paywalled=False,
        tags=["a", "b"],
        image_url="https://news.example/img.jpg",
        language="en",
        related_urls=["https://news.example/article/2"],
        headline_source="profile",
    )
    return [
        base,
        replace(base, url="https://news.example/a/2", headline='=HYPERLINK("x") "q"'),
        replace(base, url="https://news.example/a/3", headline=" lead space\t", kicker="-1"),
        replace(base, url="https://news.example/a/4", body="x" * (EXCEL_CELL_LIMIT + 10)),
        replace(base, url="https://news.example/a/5", headline="ctl\x01 _x0041_ & <b>"),
        replace(base, url="https://news.example/a/6", headline="ＩＳＯ ＝ 1+1", authors=[]),
        replace(base, url="https://news.example/a/7?q=" + "y" * 300, image_url='https://x/"q"'),
        replace(base, url="https://news.example/a/8", headline="lone \udc80 surrogate"),
        replace(base, url="https://news.example/a/9", published_at="not a date", word_count=0),
        replace(base, url="https://news.example/a/10", updated_at="2026-02-22T00:00:00-05:00"),
        replace(base, url="https://news.example/a/11", headline="ünïcödé “quotes” 漢字"),
    ]


def from_worker(item: Article) -> Article:
    """What the crawling process gets from a worker: rendered, pickled, then stamped."""
    rendered = render_article(item)
    assert rendered is not None
    attach_rendering(item, rendered)
    back: Article = pickle.loads(pickle.dumps(item))
    back.run_id = RUN_ID  # the stamp pipeline, after the worker
    return back


def stamped(item: Article) -> Article:
    return replace(item, run_id=RUN_ID)


def export(exporter_class: type, items: list[Any], **kwargs: Any) -> tuple[bytes, Any]:
    crawler = FakeCrawler()
    raw = io.BytesIO()
    exporter = exporter_class.from_crawler(crawler, raw, **kwargs)  # type: ignore[attr-defined]
    exporter.start_exporting()
    for item in items:
        exporter.export_item(item)
    exporter.finish_exporting()
    return raw.getvalue(), crawler.stats


def export_workbook(path: Path, items: list[Any]) -> tuple[dict[str, bytes], Any]:
    crawler = FakeCrawler()
    with path.open("wb") as raw:
        exporter = XlsxItemExporter.from_crawler(
            crawler,
            _WriteThroughFile(raw, b""),  # type: ignore[arg-type]
            item_classes=CLASSES,
        )
        exporter.start_exporting()
        for item in items:
            exporter.export_item(item)
        exporter.finish_exporting()
    with zipfile.ZipFile(path) as book:
        # every member but the creation time (docProps/core.xml: the second it was written)
        members = {name: book.read(name) for name in book.namelist()}
    del members["docProps/core.xml"]
    return members, crawler.stats


FIELDS = item_field_names(Article)


@pytest.mark.parametrize(
    ("exporter_class", "fmt"),
    [(JsonLinesExporter, "jsonl"), (SpreadsheetCsvItemExporter, "csv")],
)
def test_worker_rendered_rows_are_the_exporters_bytes(exporter_class: type, fmt: str) -> None:
    items = articles()
    plain, plain_stats = export(
        exporter_class, [stamped(a) for a in items], fields_to_export=FIELDS
    )
    fast, fast_stats = export(
        exporter_class, [from_worker(a) for a in items], fields_to_export=FIELDS
    )
    assert fast == plain
    assert plain_stats.get_value(f"newsspider/export/prerendered/{fmt}_rows") is None
    assert fast_stats.get_value(f"newsspider/export/prerendered/{fmt}_rows") == len(items)


@pytest.mark.parametrize("rows", [len(articles()) - 1, WIDTH_SAMPLE_ROWS + 20])
def test_worker_rendered_sheet_rows_are_the_workbooks_bytes(tmp_path: Path, rows: int) -> None:
    # a lone surrogate can't be written to a workbook by either path (normalize removes them)
    samples = [a for a in articles() if "\udc80" not in (a.headline or "")]
    items = [
        replace(samples[i % len(samples)], article_id=str(i), word_count=i) for i in range(rows)
    ]
    # other item types between the articles: their sheets are written as before
    others: list[Any] = [PopularEntry(run_id=RUN_ID, rank=1, headline="p"), Reject(run_id=RUN_ID)]
    plain_items = [stamped(a) for a in items]
    fast_items = [from_worker(a) for a in items]
    plain, _ = export_workbook(tmp_path / "plain.xlsx", [*others, *plain_items, *others])
    fast, stats = export_workbook(tmp_path / "fast.xlsx", [*others, *fast_items, *others])
    assert plain.keys() == fast.keys()
    for name in plain:
        assert fast[name] == plain[name], name
    assert stats.get_value("newsspider/export/prerendered/xlsx_rows") == rows
    # the hostile cells were really in the sheet (cut body, link as text, escaped control)
    assert stats.get_value("newsspider/xlsx/articles/truncated_cells")
    assert stats.get_value("newsspider/xlsx/articles/links_as_text")


def test_a_field_changed_after_the_worker_is_exported_as_changed(tmp_path: Path) -> None:
    """A pipeline that rewrites a field (or changes a list in place) after the worker
    rendered the item: every export shows the change, and the stale rendering is counted."""
    first, second = articles()[:2]
    changed, appended = from_worker(first), from_worker(second)
    changed.headline = "Changed by a pipeline"
    appended.tags.append("added in place")
    expected = [stamped(first), stamped(second)]
    expected[0].headline = "Changed by a pipeline"
    expected[1].tags = [*second.tags, "added in place"]
    for exporter_class in (JsonLinesExporter, SpreadsheetCsvItemExporter):
        for item in (changed, appended):
            getattr(item, "__dict__")["_newsspider_prerender"].stale = False  # noqa: B009
        plain, _ = export(exporter_class, expected, fields_to_export=FIELDS)
        fast, stats = export(exporter_class, [changed, appended], fields_to_export=FIELDS)
        assert fast == plain
        assert b"Changed by a pipeline" in fast and b"added in place" in fast
        assert stats.get_value(STALE_STAT) == 2
    plain_book, _ = export_workbook(tmp_path / "plain.xlsx", expected)
    for item in (changed, appended):
        getattr(item, "__dict__")["_newsspider_prerender"].stale = False  # noqa: B009
    fast_book, stats = export_workbook(tmp_path / "fast.xlsx", [changed, appended])
    assert fast_book == plain_book
    assert stats.get_value(STALE_STAT) == 2
    assert stats.get_value("newsspider/export/prerendered/xlsx_rows") is None


def test_a_rendering_is_used_only_for_the_columns_it_was_made_for() -> None:
    item = from_worker(articles()[0])
    fields = [f for f in FIELDS if f != "body"]  # a feed configured with other columns
    for exporter_class in (JsonLinesExporter, SpreadsheetCsvItemExporter):
        plain, _ = export(exporter_class, [stamped(articles()[0])], fields_to_export=fields)
        fast, stats = export(exporter_class, [item], fields_to_export=fields)
        assert fast == plain and b"Second one" not in fast
        assert stats.get_value(STALE_STAT) is None  # not stale: just not for this feed


def test_unchanged_item_keeps_its_rendering() -> None:
    item = from_worker(articles()[0])
    assert prerender_of(item) is not None
    item.crawled_at = str("2026-02-21T01:02:03+00:00")  # noqa: UP018 - the spider's equal stamp
    assert prerender_of(item) is not None
    item.word_count = 5
    assert prerender_of(item) is None


def test_the_feed_exporter_checks_an_item_once_for_all_its_exporters() -> None:
    """The feed exporter hands an item to its exporters with :func:`exporting`: the rendering
    is compared once, before them (nothing runs between them that could change the item)."""
    item = from_worker(articles()[0])
    rendered = prerender_of(item)
    seen: list[Any] = []

    def export() -> None:
        seen.append(prerender_of(item))
        item.word_count = 5  # not compared again until this export is over
        seen.append(prerender_of(item))

    exporting(item, None, export)
    assert rendered is not None and seen == [rendered, rendered]
    assert prerender_of(item) is None  # after it, every ask compares again


def test_an_item_changed_before_its_export_is_stale_for_every_exporter() -> None:
    item = from_worker(articles()[0])
    item.headline = "Changed by a pipeline"
    crawler = FakeCrawler()
    seen: list[Any] = []
    exporting(item, crawler.stats, lambda: seen.extend([prerender_of(item), prerender_of(item)]))
    assert seen == [None, None]
    assert crawler.stats.get_value(STALE_STAT) == 1
