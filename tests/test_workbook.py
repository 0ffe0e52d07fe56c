"""The per-run workbook exporter and the history workbook writer: typed cells, read back with
openpyxl (an independent reader) from bytes written through the atomic feed storage's file."""

from __future__ import annotations

import dataclasses
import json
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest

from newsspider.exporters import EXCEL_CELL_LIMIT, TRUNCATED_COLUMN
from newsspider.feeds import _WriteThroughFile, build_feeds
from newsspider.items import Article, ArticleRevision, FrontPageSlot, PopularEntry, Reject
from newsspider.workbook import (
    SHEET_NAMES,
    SheetWriter,
    XlsxItemExporter,
    new_workbook,
    sheet_columns,
    write_workbook,
)

CLASSES = [FrontPageSlot, Article, PopularEntry, ArticleRevision, Reject]


def export(path: Path, items: list[object]) -> openpyxl.Workbook:
    # the storage's file is write-through and not seekable: the zip must stream into it
    with path.open("wb") as raw:
        exporter = XlsxItemExporter(_WriteThroughFile(raw, b""), item_classes=CLASSES)  # type: ignore[arg-type]
        exporter.start_exporting()
        for item in items:
            exporter.export_item(item)
        exporter.finish_exporting()
    return openpyxl.load_workbook(path)


def header(sheet: object) -> list[str]:
    return [c.value for c in next(sheet.iter_rows(min_row=1, max_row=1))]  # type: ignore[attr-defined]


def row_dict(sheet: object, row: int = 2) -> dict[str, object]:
    names = header(sheet)
    cells = next(sheet.iter_rows(min_row=row, max_row=row))  # type: ignore[attr-defined]
    return dict(zip(names, cells, strict=False))


def test_every_sheet_exists_with_dataclass_columns_even_when_empty(tmp_path: Path) -> None:
    book = export(tmp_path / "w.xlsx", [])
    # sheets in the order of SHEET_NAMES, whatever the order of the feed's item classes
    assert book.sheetnames == ["front_page", "articles", "popular", "rejects", "revisions"]
    assert book.sheetnames == list(SHEET_NAMES.values())
    for cls in CLASSES:
        sheet = book[SHEET_NAMES[cls.__name__]]
        fields = [f.name for f in dataclasses.fields(cls)]
        assert header(sheet) == sheet_columns(fields)
        assert header(sheet)[-1] == TRUNCATED_COLUMN
        assert sheet.max_row == 1
        assert sheet.freeze_panes == "A2"


def test_typed_cells(tmp_path: Path) -> None:
    article = Article(
        run_id="r1",
        crawled_at="2026-02-21T00:05:01+00:00",
        url="https://news.example/politics/article/7",
        headline="=SUM of all fears",
        published_at="2026-02-21T09:05:00+09:00",
        word_count=412,
        is_paywalled=False,
        published_at_tz_assumed=True,
        authors=["Ann Lee", "Bo Kim"],
        body="x" * (EXCEL_CELL_LIMIT + 10),
        description="+1 for this",
    )
    slot = FrontPageSlot(run_id="r1", page_date="2026-02-21", position_on_page=3, headline="@a")
    reject = Reject(run_id="r1", reasons=["missing_headline"], item={"url": "u", "n": 1})
    book = export(tmp_path / "w.xlsx", [slot, article, reject])

    a = row_dict(book["articles"])
    assert a["crawled_at"].value == datetime(2026, 2, 21, 0, 5, 1)
    assert a["crawled_at"].is_date
    # the site's local wall-clock time, then the same instant in UTC
    assert a["published_at"].value == datetime(2026, 2, 21, 9, 5)
    assert a["published_at_utc"].value == datetime(2026, 2, 21, 0, 5)
    assert a["word_count"].value == 412 and a["word_count"].data_type == "n"
    assert a["is_paywalled"].value is False and a["is_paywalled"].data_type == "b"
    assert a["published_at_tz_assumed"].value is True
    # text stays text: no formula, no apostrophe
    assert a["headline"].value == "=SUM of all fears" and a["headline"].data_type == "s"
    assert a["description"].value == "+1 for this"
    assert a["authors"].value == "Ann Lee | Bo Kim"
    assert a["tags"].value is None  # an empty list: an empty cell
    assert len(a["body"].value) == EXCEL_CELL_LIMIT
    assert a[TRUNCATED_COLUMN].value == "body"
    # a URL is a HYPERLINK formula (clickable), styled as a link, its cached value the URL
    assert a["url"].value == '=HYPERLINK("https://news.example/politics/article/7")'
    assert a["url"].font.underline == "single"
    cached = row_dict(openpyxl.load_workbook(tmp_path / "w.xlsx", data_only=True)["articles"])
    assert cached["url"].value == "https://news.example/politics/article/7"
    assert a["updated_at"].value is None

    s = row_dict(book["front_page"])
    assert s["page_date"].value == datetime(2026, 2, 21) and s["page_date"].is_date
    assert s["position_on_page"].value == 3
    assert s["headline"].value == "@a"
    assert s[TRUNCATED_COLUMN].value is None

    r = row_dict(book["rejects"])
    assert r["reasons"].value == "missing_headline"
    assert r["item"].value == '{"n": 1, "url": "u"}'


def test_unparseable_time_is_kept_as_text(tmp_path: Path) -> None:
    book = export(tmp_path / "w.xlsx", [Article(published_at="yesterday-ish at noon")])
    a = row_dict(book["articles"])
    assert a["published_at"].value == "yesterday-ish at noon"
    assert a["published_at_utc"].value is None


def test_sheet_continues_past_excel_row_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("newsspider.workbook.EXCEL_MAX_ROWS", 4)  # header + 3 rows per sheet
    book = export(tmp_path / "w.xlsx", [PopularEntry(rank=n) for n in range(1, 8)])
    assert [n for n in book.sheetnames if n.startswith("popular")] == [
        "popular",
        "popular (2)",
        "popular (3)",
    ]
    ranks = [
        row[3]
        for name in ("popular", "popular (2)", "popular (3)")
        for row in book[name].iter_rows(min_row=2, values_only=True)
    ]
    assert ranks == list(range(1, 8))


def test_limits_are_counted_in_stats(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every change Excel's limits force is a stat (links as text, cut cells, extra sheets)."""
    from scrapy.utils.test import get_crawler

    monkeypatch.setattr("newsspider.workbook.EXCEL_MAX_ROWS", 4)
    crawler = get_crawler()
    items = [PopularEntry(article_url=f"https://news.example/a/{n}") for n in range(4)]
    items.append(PopularEntry(article_url="https://news.example/" + "x" * 300))  # too long
    items.append(Article(body="x" * (EXCEL_CELL_LIMIT + 1)))
    with (tmp_path / "w.xlsx").open("wb") as fh:
        exporter = XlsxItemExporter.from_crawler(crawler, fh, item_classes=CLASSES)
        exporter.start_exporting()
        for item in items:
            exporter.export_item(item)
        exporter.finish_exporting()
    stats = crawler.stats.get_stats()
    # 5 rows: 3 on "popular", 2 on "popular (2)"; the 300-character URL is text
    assert stats["newsspider/xlsx/popular/links_as_text"] == 1
    assert stats["newsspider/xlsx/popular/overflow_sheets"] == 1
    assert stats["newsspider/xlsx/articles/truncated_cells"] == 1


def test_url_cells_are_hyperlink_formulas(tmp_path: Path) -> None:
    """URLs are ``=HYPERLINK("url")`` cells with the URL cached (pandas/openpyxl read the URL);
    a URL a formula can't hold as it is stays text; names like ``SORT(`` are not rewritten."""
    from newsspider.workbook import EXCEL_MAX_URL_LENGTH

    fits = "https://news.example/" + "a" * (EXCEL_MAX_URL_LENGTH - len("https://news.example/"))
    urls = [
        "https://news.example/a/1?x=1&y=<2>",
        "https://news.example/SORT(b)/FILTER(c)",
        "https://news.example/ünïcode",
        fits,
        fits + "b",  # 256 characters: text
        'https://news.example/"quoted"',  # would end the formula's text: text
        "ftp://news.example/file",  # not a web URL: text
    ]
    book = export(tmp_path / "w.xlsx", [PopularEntry(article_url=u) for u in urls])
    cells = [row_dict(book["popular"], r)["article_url"] for r in range(2, 2 + len(urls))]
    assert [c.value for c in cells[:4]] == [f'=HYPERLINK("{u}")' for u in urls[:4]]
    assert [c.value for c in cells[4:]] == urls[4:]
    assert all(c.data_type == "s" and c.hyperlink is None for c in cells[4:])
    cached = openpyxl.load_workbook(tmp_path / "w.xlsx", data_only=True)["popular"]
    assert [row_dict(cached, r)["article_url"].value for r in range(2, 2 + len(urls))] == urls
    # "_x0041_" is an escape to a reader ("A"): such a URL is written as XlsxWriter's text
    book = export(tmp_path / "x.xlsx", [PopularEntry(article_url="https://news.example/_x0041_")])
    assert row_dict(book["popular"])["article_url"].data_type == "s"


def test_history_workbook_from_dict_rows(tmp_path: Path) -> None:
    path = tmp_path / "history.xlsx"
    rows = (
        {"article_id": str(n), "minutes_on_page": n * 1.5, "on_page_now": n % 2 == 0}
        for n in range(3)
    )
    counts = write_workbook(path, {"t": (["article_id", "minutes_on_page", "on_page_now"], rows)})
    assert counts == {"t": 3}
    assert not list(tmp_path.glob("*.part"))
    values = list(openpyxl.load_workbook(path)["t"].iter_rows(min_row=2, values_only=True))
    assert values == [("0", 0.0, True, None), ("1", 1.5, False, None), ("2", 3.0, True, None)]


def test_sheet_writer_dates_and_autofilter(tmp_path: Path) -> None:
    path = tmp_path / "d.xlsx"
    book = new_workbook(path)
    writer = SheetWriter(book, "days", ["day", "page_date"])
    writer.write({"day": "2026-02-21", "page_date": "not a date"}.get)
    writer.close()
    book.close()
    sheet = openpyxl.load_workbook(path)["days"]
    assert sheet["A2"].value == datetime(2026, 2, 21)
    assert sheet["B2"].value == "not a date"
    assert sheet.auto_filter.ref == "A1:C2"
    assert date(2026, 2, 21) == sheet["A2"].value.date()


def export_with(path: Path, item_classes: list[str]) -> openpyxl.Workbook:
    with path.open("wb") as fh:
        exporter = XlsxItemExporter(fh, item_classes=item_classes)
        exporter.start_exporting()
        exporter.finish_exporting()
    return openpyxl.load_workbook(path)


def test_feed_entry_covers_every_sheet(tmp_path: Path) -> None:
    feeds = build_feeds()
    [(uri, options)] = [(u, o) for u, o in feeds.items() if o["format"] == "xlsx"]
    assert uri.endswith("/newsspider.xlsx")
    assert {c.__name__ for c in options["item_classes"]} == set(SHEET_NAMES)
    paths = options["item_export_kwargs"]["item_classes"]
    assert paths == [f"{c.__module__}.{c.__qualname__}" for c in options["item_classes"]]
    json.dumps(options["item_export_kwargs"])  # FEEDS can be given as JSON on the command line
    book = export_with(tmp_path / "w.xlsx", paths)  # the exporter loads dotted paths
    assert book.sheetnames == list(SHEET_NAMES.values())


def test_run_workbook_is_zipped_at_its_level_and_xlsxwriter_is_left_as_it_was(
    tmp_path: Path,
) -> None:
    import zipfile
    import zlib

    import xlsxwriter.workbook

    from newsspider.workbook import RUN_WORKBOOK_COMPRESSLEVEL, _raw_member

    body = " ".join(f"word{i % 97} text{i % 13}" for i in range(20_000))
    export(tmp_path / "run.xlsx", [Article(url="https://x.example/1", body=body)])
    assert xlsxwriter.workbook.ZipFile is zipfile.ZipFile  # the swap ends with the call
    with zipfile.ZipFile(tmp_path / "run.xlsx") as book:
        name = f"xl/worksheets/sheet{CLASSES.index(Article) + 1}.xml"
        info = book.getinfo(name)
        data = book.read(name)
        stored = _raw_member(book, info)
    compressor = zlib.compressobj(RUN_WORKBOOK_COMPRESSLEVEL, zlib.DEFLATED, -15)
    assert stored == compressor.compress(data) + compressor.flush()
    default = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
    assert stored != default.compress(data) + default.flush()
