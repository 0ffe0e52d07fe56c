"""Component tests of RunFilesExtension.finish_run on a real run folder: ``.part`` files get
their final names, the manifest counts the rows, ``latest`` moves; a reconciliation mismatch
leaves ``latest`` on the last good run. A real crawler and run context (``make_run_crawler``),
files written with the project's own exporters, no crawl started."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler

from newsspider.exporters import JsonLinesExporter, SpreadsheetCsvItemExporter
from newsspider.extensions import RunFilesExtension
from newsspider.feeds import EXPORT_FILES, MANIFEST_FILE, PART_SUFFIX, REJECTS_FILE
from newsspider.items import Article, FrontPageSlot, PopularEntry, Reject, field_names
from newsspider.run import run_context
from newsspider.settings import FEED_EXPORTERS
from newsspider.state.store import StateStore
from tests.conftest import make_run_crawler

NOW = "2026-02-21T00:05:00+00:00"


def crawler_for(export_dir: Path, run_id: str) -> Crawler:
    # state on (the default): finish_run commits the run and rebuilds the history tables
    settings = {
        "NEWSSPIDER_STATE_DIR": str(export_dir / "state"),
        "FEED_EXPORTERS": FEED_EXPORTERS,
    }
    return make_run_crawler(export_dir, settings=settings, run_id=run_id)


def items() -> list[Any]:
    articles = [
        Article(
            run_id="r",
            crawled_at=NOW,
            url=f"https://www.news1global.com/etc/article/{n}.html",
            article_id=str(n),
            site="news1global",
            headline=f"Headline {n}",
            body="Text.",
        )
        for n in (1001, 1002)
    ]
    slots = [
        FrontPageSlot(
            crawled_at=NOW,
            page_url="https://www.news1global.com/",
            position_on_page=n,
            headline=f"Headline {n}",
            article_url=f"https://www.news1global.com/etc/article/{n}.html",
        )
        for n in (1001, 1002, 1003)
    ]
    popular = [PopularEntry(crawled_at=NOW, list_name="Most Popular", rank=1, headline="H")]
    reject = Reject(item_type="Article", url="https://www.news1global.com/x", reasons=["x"])
    return [*articles, *slots, *popular, reject]


def write_parts(run_dir: Path, scraped: list[Any]) -> None:
    """What the FEEDS storage leaves before the run is finished: every file as ``.part``."""
    for stem, item_class in EXPORT_FILES.items():
        rows = [i for i in scraped if type(i) is item_class]
        with (run_dir / f"{stem}.jsonl{PART_SUFFIX}").open("wb") as fh:
            exporter: Any = JsonLinesExporter(fh)
            for row in rows:
                exporter.export_item(row)
        with (run_dir / f"{stem}.csv{PART_SUFFIX}").open("wb") as fh:
            exporter = SpreadsheetCsvItemExporter(fh, fields_to_export=field_names(item_class))
            exporter.start_exporting()
            for row in rows:
                exporter.export_item(row)
            exporter.finish_exporting()
    with (run_dir / f"{REJECTS_FILE}{PART_SUFFIX}").open("wb") as fh:
        exporter = JsonLinesExporter(fh)
        for row in scraped:
            if isinstance(row, Reject):
                exporter.export_item(row)


def finish(crawler: Crawler, scraped: list[Any], written: list[Any] | None = None) -> Path:
    context = run_context(crawler)
    context.state.store.start_run(context.run_id, context.spider_name, context.site_url, NOW)
    assert crawler.stats is not None
    # the start page answered (the health middleware's stat): the run is healthy
    crawler.stats.set_value("newsspider/health/start_page/status", 200)
    ext = RunFilesExtension.from_crawler(crawler)
    for item in scraped:  # what the item_scraped signal tells the extension
        ext.item_scraped(item, crawler.spider)  # type: ignore[arg-type]
    write_parts(context.run_dir, scraped if written is None else written)
    ext.spider_closed(crawler.spider, "finished")  # type: ignore[arg-type]
    ext.feed_exporter_closed()
    return context.run_dir


def test_a_complete_run_gets_final_names_a_manifest_and_latest(tmp_path: Path) -> None:
    export_dir = tmp_path / "exports"
    crawler = crawler_for(export_dir, "run1")
    run_dir = finish(crawler, items())
    assert list(run_dir.glob(f"*{PART_SUFFIX}")) == []
    manifest = json.loads((run_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert manifest["run_id"] == "run1" and manifest["finish_reason"] == "finished"
    assert manifest["reconciled"] is True and manifest["reconcile_errors"] == []
    assert manifest["items_scraped"] == {
        "Article": 2,
        "FrontPageSlot": 3,
        "PopularEntry": 1,
        "Reject": 1,
    }
    rows = {name: f["rows"] for name, f in manifest["files"].items() if "rows" in f}
    assert rows == {
        "front_page.jsonl": 3,
        "front_page.csv": 3,
        "articles.jsonl": 2,
        "articles.csv": 2,
        "popular.jsonl": 1,
        "popular.csv": 1,
        "revisions.jsonl": 0,
        "revisions.csv": 0,
        "rejects.jsonl": 1,
    }
    assert all((run_dir / name).is_file() for name in rows)
    assert manifest["health"]["status"] == "ok"
    latest = export_dir / "latest"
    assert latest.resolve() == run_dir.resolve()
    assert (latest / "articles.jsonl").read_bytes() == (run_dir / "articles.jsonl").read_bytes()
    with StateStore(run_context(crawler).state.path) as store:  # the run was committed
        assert [(r["run_id"], r["finish_reason"]) for r in store.runs()] == [("run1", "finished")]


def test_a_reconciliation_mismatch_leaves_latest_on_the_last_good_run(tmp_path: Path) -> None:
    export_dir = tmp_path / "exports"
    good = finish(crawler_for(export_dir, "run1"), items())
    crawler = crawler_for(export_dir, "run2")
    scraped = items()
    lost = scraped[1]  # scraped, but its row never reached the files
    bad = finish(crawler, scraped, written=[i for i in scraped if i is not lost])
    assert (export_dir / "latest").resolve() == good.resolve()
    manifest = json.loads((bad / MANIFEST_FILE).read_text(encoding="utf-8"))
    assert manifest["reconciled"] is False
    assert sorted(manifest["reconcile_errors"]) == [
        "articles.csv: 1 rows in the file, 2 items scraped",
        "articles.jsonl: 1 rows in the file, 2 items scraped",
    ]
    assert crawler.stats is not None
    assert crawler.stats.get_value("newsspider/reconcile/mismatch") == 2
    # kept for inspection under the final names, never committed to the crawl state
    assert (bad / "articles.jsonl").is_file() and not list(bad.glob(f"*{PART_SUFFIX}"))
    with StateStore(run_context(crawler).state.path) as store:
        assert [r["run_id"] for r in store.runs() if r["finished_at"]] == ["run1"]
