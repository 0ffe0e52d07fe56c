"""End-to-end: three real crawls of a local copy of the demo site that changes between runs.

Run 1 fills the state. Between runs 1 and 2 the site gets a new article, an edited article, a
reordered front page, a reshuffled popular list and a deleted article. Run 2 must export only
that; run 3 (nothing changed) must export nothing at all. The merged history tables must show
the moves and hold every article exactly once.
"""

from __future__ import annotations

import csv
import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CrawlResult, run_crawl
from tests.servers import StaticSite
from tools.demo import build, content
from tools.demo.model import DemoArticle

pytestmark = pytest.mark.e2e

NEW_ID, EDITED_ID, REMOVED_ID = 1035, 1002, 1030
EDITED_HEADLINE = "Chipmakers lift exports to a record as AI demand surges (corrected)"
# every known article is due at once: the decay schedule has its own unit tests
# every known article is due again in the next run, however quickly the runs follow each
# other: with the default age factor an article first seen 17 s ago would wait ~4 s (a fast
# run 4 then skipped the restored article as not_due)
ALWAYS_DUE = {
    "NEWSSPIDER_REFETCH_MIN_INTERVAL": "0",
    "NEWSSPIDER_REFETCH_AGE_FACTOR": "0",
    "NEWSSPIDER_HISTORY_TOP_N": "5",
}


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def change_site(monkeypatch: pytest.MonkeyPatch, root: Path) -> None:
    """Rebuild the site with one new, one edited, one deleted article and moved lists."""
    by_id = dict(content.ARTICLES_BY_ID)
    edited = dataclasses.replace(
        by_id[EDITED_ID],
        headline=EDITED_HEADLINE,
        paragraphs=(*by_id[EDITED_ID].paragraphs, "This story has been corrected."),
        tags=(*by_id[EDITED_ID].tags, "Corrections"),
    )
    new = DemoArticle(
        id=NEW_ID,
        section="world",
        category="World",
        headline="Typhoon season forecast warns of earlier, stronger storms",
        teaser="Forecasters expect the first typhoon a month early.",
        authors=("Han Da-eun",),
        author_title=content.STAFF,
        published="2026-02-21 15:30",
        tags=("Weather",),
        paragraphs=(
            "Forecasters said on Saturday the typhoon season could start a month early.",
            "Warmer seas are expected to strengthen the storms.",
        ),
    )
    articles = [edited if a.id == EDITED_ID else a for a in content.ARTICLES] + [new]
    monkeypatch.setattr(content, "ARTICLES", tuple(articles))
    monkeypatch.setattr(content, "ARTICLES_BY_ID", {a.id: a for a in articles})
    latest = (NEW_ID, *reversed(content.LATEST_IDS[:-1]))
    monkeypatch.setattr(content, "LATEST_IDS", latest)
    popular = (NEW_ID, 1009, 1014, 1005, 1001, 1004, 1017, 1006, 1012, 1025)  # 1002 drops out
    monkeypatch.setattr(content, "MOST_POPULAR_IDS", popular)
    build.write_site(root)
    (root / by_id[REMOVED_ID].path).unlink()  # still linked from the Business block: 404


@dataclasses.dataclass
class Runs:
    first: CrawlResult
    second: CrawlResult
    third: CrawlResult
    fourth: CrawlResult  # the removed article is back
    history: Path


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runs]:
    tmp = tmp_path_factory.mktemp("incremental")
    site_root, export_dir = tmp / "site", tmp / "exports"
    build.write_site(site_root)
    settings = {"NEWSSPIDER_STATE_DIR": str(tmp / "state"), **ALWAYS_DUE}
    with StaticSite(site_root) as site, pytest.MonkeyPatch.context() as monkeypatch:
        url = f"url={site.url}"
        first = run_crawl("frontpage", export_dir, url, settings=settings, run_id="run1")
        change_site(monkeypatch, site_root)
        second = run_crawl("frontpage", export_dir, url, settings=settings, run_id="run2")
        third = run_crawl("frontpage", export_dir, url, settings=settings, run_id="run3")
        build.write_site(site_root)  # the deleted article comes back (same site otherwise)
        fourth = run_crawl("frontpage", export_dir, url, settings=settings, run_id="run4")
        key = f"local-127.0.0.1-{site.server.server_address[1]}"
    for result in (first, second, third, fourth):
        assert result.returncode == 0, result.log[-3000:]
    yield Runs(first, second, third, fourth, export_dir / "history" / key)


def rows(result: CrawlResult, stem: str) -> list[dict[str, Any]]:
    return read_jsonl(result.run_dir / f"{stem}.jsonl")


def test_first_run_exports_everything(runs: Runs) -> None:
    articles = rows(runs.first, "articles")
    assert len(articles) == 33  # 34 articles, the broken 1028 is rejected
    assert len(rows(runs.first, "popular")) == 10
    assert rows(runs.first, "front_page")
    assert rows(runs.first, "revisions") == []
    assert (runs.first.run_dir / "revisions.csv").exists()


def test_second_run_exports_only_new_and_changed_articles(runs: Runs) -> None:
    articles = {a["article_id"]: a for a in rows(runs.second, "articles")}
    assert set(articles) == {str(NEW_ID), str(EDITED_ID)}
    assert articles[str(EDITED_ID)]["headline"] == EDITED_HEADLINE
    assert "newsspider/state/unchanged" in runs.second.log


def test_second_run_revisions_list_the_changed_fields(runs: Runs) -> None:
    revisions = rows(runs.second, "revisions")
    edited = {r["field_name"]: r for r in revisions if r["article_id"] == str(EDITED_ID)}
    assert {"headline", "body", "tags"} <= set(edited)
    headline = edited["headline"]
    assert headline["new_value"] == EDITED_HEADLINE
    assert headline["old_value"] != EDITED_HEADLINE
    assert headline["revision"] == 2 and headline["change"] == "edited"
    assert set(headline["changed_fields"]) == set(edited)
    assert "Corrections" in edited["tags"]["new_value"]
    removed = [r for r in revisions if r["article_id"] == str(REMOVED_ID)]
    assert len(removed) == 1
    assert removed[0]["field_name"] == "status" and removed[0]["change"] == "removed"
    assert removed[0]["new_value"] == "removed (http_404)"


def test_removed_article_is_not_a_reject(runs: Runs) -> None:
    rejects = read_jsonl(runs.second.run_dir / "rejects.jsonl")
    assert all(str(REMOVED_ID) not in (r["url"] or "") for r in rejects)


def test_second_run_exports_the_reordered_front_page_and_popular_list(runs: Runs) -> None:
    slots = rows(runs.second, "front_page")
    latest = [s for s in slots if s["block"] == "Latest News"]
    assert latest[0]["article_id"] == str(NEW_ID)
    popular = rows(runs.second, "popular")
    assert [p["article_id"] for p in popular][:2] == [str(NEW_ID), "1009"]


def test_third_run_of_an_unchanged_site_exports_nothing(runs: Runs) -> None:
    manifest = runs.third.manifest()
    files = manifest["files"]
    assert isinstance(files, dict)
    for name in ("front_page.jsonl", "articles.jsonl", "popular.jsonl", "revisions.jsonl"):
        assert files[name]["rows"] == 0, name
    assert files["rejects.jsonl"]["rows"] == 0
    assert "newsspider/state/not_modified" in runs.third.log
    assert "'newsspider/state/still_removed': 1" in runs.third.log
    assert manifest["reconciled"] is True


def test_a_removed_article_that_comes_back_is_restored(runs: Runs) -> None:
    assert [a["article_id"] for a in rows(runs.fourth, "articles")] == [str(REMOVED_ID)]
    (restored,) = rows(runs.fourth, "revisions")
    assert (restored["change"], restored["field_name"]) == ("restored", "status")
    assert (restored["old_value"], restored["new_value"], restored["revision"]) == (
        "removed",
        "live",
        3,
    )


def test_articles_latest_holds_every_article_once(runs: Runs) -> None:
    for table in (
        read_jsonl(runs.history / "articles_latest.jsonl"),
        read_csv(runs.history / "articles_latest.csv"),
    ):
        ids = [r["article_id"] for r in table]
        assert len(ids) == len(set(ids)) == 34  # 33 + the new one
    latest = {r["article_id"]: r for r in read_jsonl(runs.history / "articles_latest.jsonl")}
    assert latest[str(EDITED_ID)]["headline"] == EDITED_HEADLINE
    assert latest[str(EDITED_ID)]["revision"] == 2
    assert latest[str(REMOVED_ID)]["status"] == "live"  # removed in run 2, back in run 4
    assert latest[str(REMOVED_ID)]["revision"] == 3
    assert latest["1001"]["revision"] == 1 and latest["1001"]["status"] == "live"


def test_history_csv_is_spreadsheet_safe(runs: Runs) -> None:
    raw = (runs.history / "articles_latest.csv").read_bytes()
    assert raw.startswith("\ufeff".encode())
    latest = {r["article_id"]: r for r in read_csv(runs.history / "articles_latest.csv")}
    assert latest["1014"]["headline"].startswith("'=")  # "=SUM of all fears" neutralised
    assert not list(runs.history.glob("*.part"))


def test_frontpage_timeline_shows_the_moves(runs: Runs) -> None:
    timeline = {r["article_id"]: r for r in read_jsonl(runs.history / "frontpage_timeline.jsonl")}
    new, edited, top = timeline[str(NEW_ID)], timeline[str(EDITED_ID)], timeline["1001"]
    assert new["runs_seen"] == 3 and new["best_position"] is not None
    assert new["first_seen_on_page"] > top["first_seen_on_page"]
    assert top["runs_seen"] == 4 and top["on_page_now"] is True
    assert top["minutes_on_page"] > 0
    assert edited["headline_count"] == 2 and edited["last_headline"] == EDITED_HEADLINE


def test_popular_history_shows_entries_and_exits(runs: Runs) -> None:
    history = read_jsonl(runs.history / "popular_history.jsonl")
    by_id = {r["article_id"]: r for r in history}
    assert by_id[str(EDITED_ID)]["left_at"] is not None
    assert by_id[str(EDITED_ID)]["still_listed"] is False
    assert by_id[str(NEW_ID)]["peak_rank"] == 1 and by_id[str(NEW_ID)]["still_listed"] is True
    assert by_id["1004"]["peak_rank"] == 1 and by_id["1004"]["last_rank"] == 6


def test_history_revisions_table_matches_the_run_files(runs: Runs) -> None:
    merged = read_jsonl(runs.history / "revisions.jsonl")
    per_run = rows(runs.second, "revisions") + rows(runs.fourth, "revisions")
    key = ("article_id", "revision", "field_name", "new_value")
    assert sorted(tuple(r[k] for k in key) for r in merged) == sorted(
        tuple(r[k] for k in key) for r in per_run
    )


def test_history_rebuild_command_gives_the_same_tables(runs: Runs, tmp_path: Path) -> None:
    from newsspider.cli import main

    state_files = list((runs.history.parents[2] / "state").glob("*.sqlite3"))
    assert len(state_files) == 1
    out = tmp_path / "rebuilt"
    assert (
        main(
            [
                "history",
                "rebuild",
                "--state-file",
                str(state_files[0]),
                "--out",
                str(out),
                "--top-n",
                "5",
            ]
        )
        == 0
    )
    for name in ("articles_latest", "frontpage_timeline", "popular_history", "revisions"):
        assert read_jsonl(out / f"{name}.jsonl") == read_jsonl(runs.history / f"{name}.jsonl")


def test_runs_and_snapshot_tables_cover_every_run(runs: Runs) -> None:
    history = read_jsonl(runs.history / "runs.jsonl")
    assert [r["run_id"] for r in history] == ["run1", "run2", "run3", "run4"]
    manifest = runs.first.manifest()
    scraped = manifest["items_scraped"]
    assert isinstance(scraped, dict)
    assert history[0]["items"] == sum(n for kind, n in scraped.items() if kind != "Reject")
    assert history[0]["rejects"] == scraped.get("Reject", 0)
    assert all(isinstance(r["failures"], int) for r in history)
    snapshots = read_jsonl(runs.history / "frontpage_snapshots.jsonl")

    def slots(run_id: str) -> list[tuple[str, int, str]]:
        return sorted(
            (s["page_url"], s["position_on_page"], s["article_url"])
            for s in snapshots
            if s["run_id"] == run_id
        )

    def exported(result: CrawlResult) -> list[tuple[str, int, str]]:
        return sorted(
            (s["page_url"], s["position_on_page"], s["article_url"])
            for s in rows(result, "front_page")
        )

    assert slots("run1") == exported(runs.first)
    assert slots("run2") == exported(runs.second)
    # run3 saw the page unchanged and exported no slots: the snapshot repeats run2's
    assert rows(runs.third, "front_page") == []
    assert slots("run3") == exported(runs.second)


def test_report_shows_the_rewritten_headline_and_renders(
    runs: Runs, capsys: pytest.CaptureFixture[str]
) -> None:
    import html

    import openpyxl

    from tests.chromium import Browser, Page, require_chromium
    from tests.test_report import CHARTS
    from tests.test_report_browser import ARTIFACTS, DRAWN

    book = openpyxl.load_workbook(runs.history / "history.xlsx", read_only=True)
    assert "frontpage_snapshots" in book.sheetnames and "runs" in book.sheetnames
    book.close()
    page_html = (runs.history / "report.html").read_text(encoding="utf-8")
    rewritten = page_html.split("Rewritten headlines", 1)[1].split("</details>", 1)[0]
    assert html.escape(EDITED_HEADLINE) in rewritten
    browser = Browser(require_chromium())
    try:
        page = Page(browser)
        page.load((runs.history / "report.html").as_uri())
        charts = json.loads(page.evaluate(DRAWN))
        assert [c["chart"] for c in charts] == CHARTS
        assert all(c["marks"] > 0 and c["drawn"] == c["marks"] for c in charts), charts
        ARTIFACTS.mkdir(exist_ok=True)
        shot = page.screenshot(ARTIFACTS / "report-incremental.png")
        with capsys.disabled():
            print(f"\nincremental report screenshot: {shot}")
        assert browser.errors() == []
    finally:
        browser.close()
