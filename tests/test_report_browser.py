"""report.html in a real browser: headless Chromium (Debian's ``chromium``, installed by
``./scripts/install-chromium``) loads the page from disk with the network unused, every chart
must have drawn visible marks, and the console must stay free of errors. The screenshot is
kept as a test artefact: ``tests/artifacts/report.png`` (ignored by git; path printed)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from newsspider.report import REPORT_FILE, refresh
from newsspider.state.store import StateStore
from tests import history_data
from tests.chromium import Browser, Page, require_chromium
from tests.test_report import CHARTS

ARTIFACTS = Path(__file__).resolve().parent / "artifacts"

# every chart's SVG marks that have a size on screen (a mark with an empty box drew nothing)
DRAWN = """JSON.stringify(Array.from(document.querySelectorAll('figure.chart')).map(f => ({
  chart: f.dataset.chart,
  marks: f.querySelectorAll('.mark').length,
  drawn: Array.from(f.querySelectorAll('.mark')).filter(m => {
    const b = m.getBoundingClientRect(); return b.width > 0 || b.height > 0; }).length,
  width: f.querySelector('svg').getBoundingClientRect().width,
})))"""


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    path = require_chromium()
    b = Browser(path)
    yield b
    b.close()


def test_every_chart_draws_and_console_is_clean(
    browser: Browser, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json

    state = history_data.build(tmp_path / "news.example.sqlite3")
    with StateStore(state) as store:
        refresh(store, tmp_path)
    page = Page(browser)
    page.load((tmp_path / REPORT_FILE).as_uri())
    charts = json.loads(page.evaluate(DRAWN))
    assert [c["chart"] for c in charts] == CHARTS
    for chart in charts:
        assert chart["marks"] > 0 and chart["drawn"] == chart["marks"], chart
        assert chart["width"] > 300, chart
    assert page.evaluate("document.title").startswith("newsspider report")
    ARTIFACTS.mkdir(exist_ok=True)
    shot = page.screenshot(ARTIFACTS / "report.png")
    assert shot.stat().st_size > 10_000
    with capsys.disabled():
        print(f"\nreport screenshot: {shot}")
    assert browser.errors() == []


def test_console_errors_are_caught(browser: Browser, tmp_path: Path) -> None:
    """The check above can fail: a page that logs an error and throws is reported."""
    bad = tmp_path / "bad.html"
    bad.write_text(
        "<!DOCTYPE html><title>x</title><script>console.error('broken chart');"
        "undefinedFunction();</script>",
        encoding="utf-8",
    )
    browser.events.clear()
    page = Page(browser)
    page.load(bad.as_uri())
    errors = browser.errors()
    assert any("broken chart" in e for e in errors), errors
    assert any("undefinedFunction" in e for e in errors), errors
