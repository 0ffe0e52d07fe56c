"""End to end: the demo site over real HTTP, a real `scrapy crawl frontpage`, files read back."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path
from typing import Any

import jsonlines
import pytest

from newsspider.items import Article, FrontPageSlot, PopularEntry, field_names
from tests.conftest import CrawlResult, run_crawl
from tests.servers import StaticSite

pytestmark = pytest.mark.e2e

BROKEN_ID = "1028"  # the demo's page without a headline
FORMULA_IDS = {"1014": "=", "1009": "+"}


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with jsonlines.open(path) as reader:
        return list(reader)


def read_csv(path: Path) -> tuple[bytes, list[dict[str, str]]]:
    raw = path.read_bytes()
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return raw, list(csv.DictReader(fh))


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    from tests.conftest import DEMO_SITE

    export_dir = tmp_path_factory.mktemp("exports")
    with StaticSite(DEMO_SITE) as site:
        result = run_crawl("frontpage", export_dir, f"url={site.url}")
        result.hits = dict(site.handler_class.hits)  # type: ignore[attr-defined]
    return result


def test_crawl_finishes_cleanly(crawl: CrawlResult) -> None:
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert "Traceback" not in crawl.log
    assert "ERROR" not in crawl.log
    manifest = crawl.manifest()
    assert manifest["finish_reason"] == "finished"
    assert manifest["reconciled"] is True
    assert "Spider closed (finished)" in crawl.log


def test_every_article_fetched_once(crawl: CrawlResult) -> None:
    hits: dict[str, int] = crawl.hits  # type: ignore[attr-defined]
    article_hits = {path: n for path, n in hits.items() if "/article/" in path}
    assert len(article_hits) >= 31
    assert all(n == 1 for n in article_hits.values()), article_hits
    assert hits.get("/robots.txt") == 1  # polite by default


def test_counts_agree_with_manifest(crawl: CrawlResult) -> None:
    manifest: dict[str, Any] = crawl.manifest()
    files = manifest["files"]
    for stem in ("front_page", "articles", "popular"):
        jsonl_rows = read_jsonl(crawl.run_dir / f"{stem}.jsonl")
        _, csv_rows = read_csv(crawl.run_dir / f"{stem}.csv")
        assert len(jsonl_rows) == len(csv_rows) == files[f"{stem}.jsonl"]["rows"]
        assert files[f"{stem}.csv"]["rows"] == len(csv_rows)
        digest = hashlib.sha256((crawl.run_dir / f"{stem}.csv").read_bytes()).hexdigest()
        assert files[f"{stem}.csv"]["sha256"] == digest
    assert files["rejects.jsonl"]["rows"] == 1


def test_articles_all_exported_except_the_broken_one(crawl: CrawlResult) -> None:
    articles = read_jsonl(crawl.run_dir / "articles.jsonl")
    ids = [a["article_id"] for a in articles]
    assert len(ids) == len(set(ids)) >= 30
    assert BROKEN_ID not in ids
    slots = read_jsonl(crawl.run_dir / "front_page.jsonl")
    linked = {s["article_id"] for s in slots} - {BROKEN_ID}
    assert linked <= set(ids)
    for a in articles:
        assert a["headline"] and a["url"].startswith("http://127.0.0.1:")
        assert a["published_at"].endswith("+09:00")
        assert a["run_id"] == "test-run"
        assert a["crawled_at"].endswith("+00:00")
        assert list(a) == field_names(Article)


def test_tracking_link_followed_once_and_canonical(crawl: CrawlResult) -> None:
    slots = read_jsonl(crawl.run_dir / "front_page.jsonl")
    urls = [s["article_url"] for s in slots]
    assert not any("utm_" in u or "#" in u for u in urls)
    assert sum(1 for s in slots if s["article_id"] == "1007") >= 2
    articles = read_jsonl(crawl.run_dir / "articles.jsonl")
    assert sum(1 for a in articles if a["article_id"] == "1007") == 1


def test_front_page_slots(crawl: CrawlResult) -> None:
    slots = read_jsonl(crawl.run_dir / "front_page.jsonl")
    assert [s["position_on_page"] for s in slots] == list(range(1, len(slots) + 1))
    assert {s["page_date"] for s in slots} == {"2026-02-21"}
    assert {s["date_line_raw"] for s in slots} == {"Saturday, February 21, 2026"}
    assert slots[0]["block"] == "Top Story"
    assert all(list(s) == field_names(FrontPageSlot) for s in slots)


def test_popular_list_exported_once(crawl: CrawlResult) -> None:
    popular = read_jsonl(crawl.run_dir / "popular.jsonl")
    assert [p["rank"] for p in popular] == list(range(1, 11))
    assert {p["list_name"] for p in popular} == {"Most Popular Articles"}
    assert all(list(p) == field_names(PopularEntry) for p in popular)


def test_csv_is_spreadsheet_safe(crawl: CrawlResult) -> None:
    raw, rows = read_csv(crawl.run_dir / "articles.csv")
    assert raw.startswith(b'\xef\xbb\xbf"run_id"')
    by_id = {r["article_id"]: r for r in rows}
    jsonl = {a["article_id"]: a for a in read_jsonl(crawl.run_dir / "articles.jsonl")}
    for article_id, trigger in FORMULA_IDS.items():
        assert jsonl[article_id]["headline"].startswith(trigger)
        assert by_id[article_id]["headline"] == "'" + jsonl[article_id]["headline"]
    # non-ASCII survives both formats
    assert "김민지" in by_id["1004"]["authors"]
    assert by_id["1004"]["headline"] == jsonl["1004"]["headline"]
    # list fields joined with the documented separator
    assert by_id["1001"]["tags"] == " | ".join(jsonl["1001"]["tags"])
    _, slot_rows = read_csv(crawl.run_dir / "front_page.csv")
    assert any(r["headline"].startswith("'=") for r in slot_rows)


def test_broken_page_is_in_rejects_with_reason(crawl: CrawlResult) -> None:
    rejects = read_jsonl(crawl.run_dir / "rejects.jsonl")
    assert len(rejects) == 1
    (reject,) = rejects
    assert reject["item_type"] == "Article"
    assert reject["item"]["article_id"] == BROKEN_ID
    assert "missing_headline" in reject["reasons"]
    assert f"Rejected Article {reject['url']}" in crawl.log
    assert "rejects          1  (missing_headline: 1)" in crawl.log


def test_latest_points_at_the_run(crawl: CrawlResult) -> None:
    latest = crawl.export_dir / "latest"
    assert (latest / "manifest.json").read_bytes() == (crawl.run_dir / "manifest.json").read_bytes()
    assert not list(crawl.run_dir.glob("*.part"))
    manifest = json.loads((latest / "manifest.json").read_text())
    assert manifest["run_id"] == "test-run"


def test_no_argument_crawl_reads_the_bundled_demo_offline(tmp_path: Path) -> None:
    result = run_crawl("frontpage", tmp_path, run_id="offline")
    assert result.returncode == 0, result.log[-3000:]
    assert "Traceback" not in result.log
    manifest: dict[str, Any] = result.manifest()
    assert str(manifest["start_url"]).startswith("file://")
    scraped = {k: v for k, v in dict(manifest["items_scraped"]).items() if v}  # type: ignore[call-overload]
    assert scraped == {
        "Article": 33,
        "FrontPageSlot": 48,
        "PopularEntry": 10,
        "Reject": 1,
    }


def test_unknown_profile_is_one_clear_line(tmp_path: Path) -> None:
    result = run_crawl("frontpage", tmp_path, "site=nosuchsite")
    assert result.returncode == 2
    assert (
        "error: -a site='nosuchsite' for spider frontpage: unknown site profile 'nosuchsite';"
        " known profiles:" in result.log
    )
    assert "Traceback" not in result.log
