"""From a fresh clone, the demo crawl (``./scripts/demo`` runs ``scrapy crawl frontpage`` on the
bundled demo site) writes a workbook that opens with openpyxl with typed cells, a schema.json,
and the history workbook + report; the end-of-run summary names the history folder."""

from __future__ import annotations

import json
from datetime import datetime

import openpyxl
import pytest

from newsspider.items import Article, field_names
from newsspider.schema import run_schema
from newsspider.workbook import SHEET_NAMES, sheet_columns
from tests.chromium import Browser, Page, require_chromium
from tests.conftest import CrawlResult, run_crawl
from tests.test_report import CHARTS
from tests.test_report_browser import ARTIFACTS, DRAWN

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    result = run_crawl("frontpage", tmp_path_factory.mktemp("exports"), run_id="demo")
    assert result.returncode == 0, result.log[-3000:]
    return result


def rows(sheet: object) -> list[dict[str, object]]:
    it = sheet.iter_rows(values_only=True)  # type: ignore[attr-defined]
    header = list(next(it))
    return [dict(zip(header, row, strict=False)) for row in it]


def test_workbook_opens_with_typed_cells(demo: CrawlResult) -> None:
    # as pandas reads it: a URL cell's value is its HYPERLINK formula's cached URL
    book = openpyxl.load_workbook(demo.run_dir / "newsspider.xlsx", data_only=True)
    assert book.sheetnames == list(SHEET_NAMES.values())
    manifest = demo.manifest()
    scraped = manifest["items_scraped"]
    assert isinstance(scraped, dict)
    articles = rows(book["articles"])
    assert len(articles) == scraped["Article"] > 0
    assert [c.value for c in book["articles"][1]] == sheet_columns(field_names(Article))
    jsonl = [
        json.loads(line)
        for line in (demo.run_dir / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    by_url = {r["url"]: r for r in articles}
    for record in jsonl:
        row = by_url[record["url"]]
        assert row["headline"] == record["headline"]  # verbatim, "=SUM of all fears" too
        assert isinstance(row["crawled_at"], datetime)
        if record["published_at"]:
            assert isinstance(row["published_at"], datetime)
            assert isinstance(row["published_at_utc"], datetime)
        if record["word_count"] is not None:
            assert row["word_count"] == record["word_count"]
        if record["is_paywalled"] is not None:
            assert row["is_paywalled"] is record["is_paywalled"]
    assert any(str(r["headline"]).startswith("=") for r in articles)
    url = book["articles"]["C2"]  # the url column: a link for web URLs (the demo is file://)
    assert url.value == articles[0]["url"]
    formula = openpyxl.load_workbook(demo.run_dir / "newsspider.xlsx")["articles"]["C2"].value
    linked = str(formula).startswith('=HYPERLINK("')
    assert linked == str(url.value).startswith(("http://", "https://"))
    assert len(rows(book["front_page"])) == scraped["FrontPageSlot"]
    assert len(rows(book["rejects"])) == scraped["Reject"]
    assert not list(demo.run_dir.glob("*.part"))


def test_schema_json_in_the_run_folder(demo: CrawlResult) -> None:
    schema = json.loads((demo.run_dir / "schema.json").read_text(encoding="utf-8"))
    assert schema == run_schema()


def test_history_workbook_report_and_summary(demo: CrawlResult) -> None:
    [history] = [p for p in (demo.export_dir / "history").iterdir() if p.is_dir()]
    book = openpyxl.load_workbook(history / "history.xlsx")
    assert "frontpage_snapshots" in book.sheetnames
    assert len(rows(book["frontpage_snapshots"])) > 0
    assert (history / "report.html").read_text(encoding="utf-8").count('data-chart="') == 7
    assert f"history: {history}/" in demo.log


def test_demo_report_draws_every_chart_in_chromium(
    demo: CrawlResult, capsys: pytest.CaptureFixture[str]
) -> None:
    [history] = [p for p in (demo.export_dir / "history").iterdir() if p.is_dir()]
    path = require_chromium()
    browser = Browser(path)
    try:
        page = Page(browser)
        page.load((history / "report.html").as_uri())
        charts = json.loads(page.evaluate(DRAWN))
        assert [c["chart"] for c in charts] == CHARTS
        for chart in charts:
            assert chart["marks"] > 0 and chart["drawn"] == chart["marks"], chart
        ARTIFACTS.mkdir(exist_ok=True)
        shot = page.screenshot(ARTIFACTS / "report-demo.png")
        with capsys.disabled():
            print(f"\ndemo report screenshot: {shot}")
        assert browser.errors() == []
    finally:
        browser.close()
