"""The history workbook and report.html, built from a hand-made crawl state (no crawl)."""

from __future__ import annotations

import re
from pathlib import Path

import openpyxl
import pytest

from newsspider.cli import main
from newsspider.history import TABLES, build_history, write_history
from newsspider.report import REPORT_FILE, WORKBOOK_FILE, iter_sections, refresh
from newsspider.state.store import StateStore
from tests import history_data

CHARTS = ["front-page", "popular", "per-day", "per-hour", "to-front-page", "revisions", "health"]


@pytest.fixture
def state(tmp_path: Path) -> Path:
    return history_data.build(tmp_path / "news.example.sqlite3")


def test_refresh_writes_workbook_with_every_history_table(state: Path, tmp_path: Path) -> None:
    out = tmp_path / "history"
    with StateStore(state) as store:
        counts = refresh(store, out)
        expected = {
            name: sum(1 for _ in rows()) for name, (_, rows) in build_history(store).items()
        }
    assert list(counts) == list(TABLES)
    assert counts == expected
    assert counts["frontpage_snapshots"] == history_data.RUNS * 8
    assert counts["runs"] == history_data.RUNS
    book = openpyxl.load_workbook(out / WORKBOOK_FILE)
    assert book.sheetnames == list(TABLES)
    snap = book["frontpage_snapshots"]
    header = [c.value for c in snap[1]]
    first = dict(zip(header, [c.value for c in snap[2]], strict=False))
    assert first["run_time"].year == 2026  # a real datetime
    assert isinstance(first["position_on_page"], int)
    url = snap.cell(row=2, column=header.index("article_url") + 1)
    assert url.value.startswith("https://") and url.hyperlink is None  # history: plain text
    timeline = book["frontpage_timeline"]
    header = [c.value for c in timeline[1]]
    minutes = [
        row[header.index("minutes_on_page")]
        for row in timeline.iter_rows(min_row=2, values_only=True)
    ]
    assert all(isinstance(m, int | float) for m in minutes) and max(minutes) > 0  # numbers
    assert not list(out.glob("*.part"))


def test_history_columns_have_one_type_each(state: Path) -> None:
    """minutes are floats even when 0 (a story seen once), counts and positions ints."""
    with StateStore(state) as store:
        tables = build_history(store, top_n=1)  # most stories: 0 minutes in the top 1
        timeline = list(tables["frontpage_timeline"][1]())
        popular = list(tables["popular_history"][1]())
    assert {type(r["minutes_on_page"]) for r in timeline} == {float}
    assert {type(r["minutes_in_top_n"]) for r in timeline} == {float}
    assert {type(r["minutes_listed"]) for r in popular} == {float}
    assert any(r["minutes_in_top_n"] == 0.0 for r in timeline)
    assert {type(r["runs_seen"]) for r in timeline} == {int}
    assert "last_seen" not in timeline[0] and "last_seen_on_page" in timeline[0]


def test_report_is_one_offline_page_with_every_chart(state: Path, tmp_path: Path) -> None:
    with StateStore(state) as store:
        refresh(store, tmp_path)
    page = (tmp_path / REPORT_FILE).read_text(encoding="utf-8")
    assert list(iter_sections(page)) == CHARTS
    # nothing fetched from anywhere: no scripts, stylesheets or images by URL
    assert not re.search(r"<(script|link|img|iframe)\b", page)
    assert "http://" not in page.replace('xmlns="http://www.w3.org/2000/svg"', "").replace(
        "https://news.example", ""
    )
    # the rewritten headline, old and new, escaped (no markup injected from the data)
    assert history_data.OLD_HEADLINE in page
    assert "=Minister resigns &lt;after&gt; vote &amp; protest" in page
    for chart in CHARTS:
        section = page.split(f'data-chart="{chart}"', 1)[1].split("</section>", 1)[0]
        assert 'class="mark' in section, chart
        assert "<table>" in section and ".csv" in section, chart


def test_empty_state_still_renders(tmp_path: Path) -> None:
    with StateStore(tmp_path / "empty.sqlite3") as store:
        counts = refresh(store, tmp_path / "out")
    assert set(counts.values()) == {0}
    page = (tmp_path / "out" / REPORT_FILE).read_text(encoding="utf-8")
    assert list(iter_sections(page)) == CHARTS
    assert page.count('class="empty"') == len(CHARTS)


def test_write_history_refreshes_report_only_when_tables_change(
    state: Path, tmp_path: Path
) -> None:
    out = tmp_path / "h"
    with StateStore(state) as store:
        write_history(store, out)
        first = (out / WORKBOOK_FILE).stat().st_mtime_ns
        write_history(store, out)  # nothing changed: not rewritten
        assert (out / WORKBOOK_FILE).stat().st_mtime_ns == first
        (out / REPORT_FILE).unlink()
        write_history(store, out)  # a missing file is written again
        assert (out / REPORT_FILE).exists()
        write_history(store, tmp_path / "none", report=False)
    assert not (tmp_path / "none" / REPORT_FILE).exists()


def test_cli_report(state: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "cli"
    assert main(["report", "--state-file", str(state), "--out", str(out)]) == 0
    assert (out / REPORT_FILE).exists() and (out / WORKBOOK_FILE).exists()
    assert "frontpage_snapshots 48" in capsys.readouterr().out


def test_cli_report_without_state_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.sqlite3"
    assert main(["report", "--state-file", str(missing)]) == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and str(missing) in err and "crawl the site first" in err


@pytest.mark.parametrize(
    ("stats", "expected"),
    [
        ({}, {"items": 0, "rejects": 0, "failures": 0}),
        (
            {"item_scraped_count": 10, "newsspider/rejected": 2},
            {"items": 8, "rejects": 2, "failures": 0},
        ),
        (
            {
                "downloader/exception_count": 1,
                "spider_exceptions/count": 2,
                "downloader/response_status_count/200": 50,
                "downloader/response_status_count/304": 5,
                "downloader/response_status_count/404": 3,
                "downloader/response_status_count/503": 4,
            },
            {"items": 0, "rejects": 0, "failures": 10},
        ),
    ],
)
def test_health_counts(stats: dict[str, int], expected: dict[str, int]) -> None:
    from newsspider.history import health_counts

    assert health_counts(stats) == expected
