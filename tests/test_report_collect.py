"""The report's figures, collected without holding every page or every delay, are the figures
the history tables give (computed here from the tables, the way the report first did)."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from newsspider import report
from newsspider.history import build_history, write_history
from newsspider.report import (
    ARTICLE_FIGURES_KEY,
    DELAY_BINS,
    PUBLISHED_TABLE,
    TABLE_ROWS,
    ReportData,
    article_figures_basis,
    can_fork,
    collect,
)
from newsspider.state.store import ArticleState, StateStore

ARTICLES = 260  # more delays than the report's table shows (TABLE_ROWS)


def iso(minutes: int, zone: str = "+00:00") -> str:
    base = datetime(2026, 2, 1) + timedelta(minutes=minutes, microseconds=minutes % 7)
    return base.isoformat() + zone


def build(path: Path) -> None:
    """Two runs; articles on a front page and on paged section lists (some on both), a few
    with no publication time, delays with ties and some negative (clamped to 0)."""
    with StateStore(path) as store:
        store.db.execute("BEGIN")
        for n in range(ARTICLES):
            data: dict[str, Any] = {"headline": f"H{n}", "section": f"s{n % 3}", "url": f"u{n}"}
            if n % 11:
                # some in the site's zone, some published after a run saw them
                data["published_at"] = iso((n * 37) % 900 - 60, "+09:00" if n % 2 else "+00:00")
            data["article_id"] = str(n)
            store.save_article(
                ArticleState(
                    f"x:{n}",
                    "x",
                    str(n),
                    f"u{n}",
                    iso(0),
                    iso(0),
                    iso(0),
                    1,
                    f"h{n}",
                    "live",
                    None,
                    None,
                    data,
                )
            )
        for run in range(2):
            run_id, at = f"r{run}", iso(600 + run * 30)
            store.start_run(run_id, "site", "https://x.test/", at)
            pages = {"https://x.test/": range(run * 5, run * 5 + 30)}
            for page in range(ARTICLES // 20):
                pages[f"https://x.test/s/page-{page}"] = range(page * 20, page * 20 + 20)
            for url, articles in pages.items():
                for position, n in enumerate(articles, start=1):
                    store.add_slot(
                        {
                            "run_id": run_id,
                            "page_url": url,
                            "crawled_at": at,
                            "position_on_page": position,
                            "block": "Latest",
                            "position_in_block": position,
                            "headline": f"H{n} on {url} run {run}" if n % 4 else None,
                            "teaser": None,
                            "article_url": f"u{n}",
                            "article_id": str(n),
                        }
                    )
                store.record_observation("listing", run_id, url, at, f"{url}{run}", run_id)
            store.finish_run(run_id, at, "finished", {"items": 1})
        store.db.execute("COMMIT")


def table_delays(store: StateStore) -> list[tuple[str, float]]:
    """Publication -> first listing page, from the history tables (the report's old way)."""
    tables = build_history(store)
    published: dict[str, datetime] = {}
    for row in tables["articles_latest"][1]():
        if row.get("published_at"):
            published[str(row.get("article_id") or row.get("url"))] = datetime.fromisoformat(
                row["published_at"]
            )
    first: dict[str, str] = {}
    for row in tables["frontpage_timeline"][1]():
        story = str(row.get("article_id") or row.get("article_url"))
        if story not in first or row["first_seen_on_page"] < first[story]:
            first[story] = row["first_seen_on_page"]
    return [
        (story, max((datetime.fromisoformat(seen) - published[story]).total_seconds() / 60, 0.0))
        for story, seen in first.items()
        if story in published
    ]


def test_delays_are_the_shortest_of_every_story_with_every_story_binned(tmp_path: Path) -> None:
    build(tmp_path / "s.sqlite3")
    with StateStore(tmp_path / "s.sqlite3") as store:
        expected = table_delays(store)
        for _ in range(2):  # figures read from the articles, then from their cache
            data = collect(store)
            assert data.delay_count == len(expected) > TABLE_ROWS
            assert data.delays == sorted(expected, key=lambda d: d[1])[:TABLE_ROWS]
            bins: Counter[str] = Counter()
            for _, minutes in expected:
                bins[next(b for b, limit in DELAY_BINS if limit is None or minutes < limit)] += 1
            assert data.delay_bins == bins
            assert data.delays[0][1] == 0.0  # published after it was seen: 0, not negative
        cached = json.loads(store.meta(ARTICLE_FIGURES_KEY) or "{}")
        assert cached["published"] == PUBLISHED_TABLE
        # one publication time per story that has one, in the state (not in the text)
        kept = store.db.execute(f"SELECT COUNT(*) FROM {PUBLISHED_TABLE}").fetchone()[0]
        assert kept == ARTICLES - len(range(0, ARTICLES, 11))
        # the report's own join table is emptied once the delays are drawn
        assert store.db.execute("SELECT COUNT(*) FROM temp.report_first_seen").fetchone()[0] == 0


def test_front_page_is_the_most_watched_page_with_its_last_headlines(tmp_path: Path) -> None:
    build(tmp_path / "s.sqlite3")
    with StateStore(tmp_path / "s.sqlite3") as store:
        data = collect(store)
    # every page was seen by both runs: the shortest URL wins
    assert data.front_page_url == "https://x.test/"
    assert len(data.run_times) == 2
    top = list(data.positions)
    # best position, then seen by more runs: run 2's list starts 5 places further down
    assert top == ["5", "0", "6", "1", "7", "2", "8", "3", "9", "4"]
    # the last headline seen for a story on any page (section pages sort after the front)
    assert data.headlines["5"] == "H5 on https://x.test/s/page-0 run 1"
    assert data.headlines["8"] == "8"  # never shown with a headline: its label


def test_history_tables_read_the_articles_once_for_the_report_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(tmp_path / "s.sqlite3")
    with StateStore(tmp_path / "s.sqlite3") as store:
        reads = []
        articles = store.articles

        def counted() -> Iterator[ArticleState]:
            reads.append(1)
            return articles()

        monkeypatch.setattr(store, "articles", counted)
        write_history(store, tmp_path / "h")
        kept = store.meta(ARTICLE_FIGURES_KEY)
        # the table (and the workbook sheet, read by the child that writes history.xlsx where
        # it forks); the report's figures came with the table's rows
        assert len(reads) == (1 if can_fork() else 2)
        assert json.loads(kept or "{}")["basis"] == article_figures_basis(store, 10)
        store.set_meta(ARTICLE_FIGURES_KEY, "{}")
        collect(store)  # figures read from the articles by the report itself
        assert len(reads) == (2 if can_fork() else 3)
        assert store.meta(ARTICLE_FIGURES_KEY) == kept


def fresh_data(store: StateStore) -> ReportData:
    """The report's figures read from the articles themselves (no figures kept)."""
    store.set_meta(ARTICLE_FIGURES_KEY, "{}")
    return replace(collect(store), generated_at="")


def test_a_story_stored_twice_keeps_its_last_publication_time(tmp_path: Path) -> None:
    build(tmp_path / "s.sqlite3")
    with StateStore(tmp_path / "s.sqlite3") as store:
        # story "3" again (same article id), seen later (so read after it), published later;
        # story "5" again without a publication time: its first one stays
        for key, n, published in (("x:dup3", 3, iso(590)), ("x:dup5", 5, None)):
            data = {"headline": "again", "section": "s0", "url": f"v{n}", "article_id": str(n)}
            if published:
                data["published_at"] = published
            store.save_article(
                ArticleState(
                    key, "x", str(n), f"v{n}", iso(1), iso(1), iso(1), 1, "h", "live", None, None,
                    data,
                )
            )  # fmt: skip
        expected = dict(table_delays(store))
        assert expected["3"] == pytest.approx(10.0, abs=0.01)  # 600 - 590, not the first one
        assert "5" in expected
        for data in (fresh_data(store), collect(store)):  # read, then kept
            assert data.delay_count == len(expected)
            assert data.delays == sorted(expected.items(), key=lambda d: d[1])[:TABLE_ROWS]
            assert sum(data.delay_bins.values()) == len(expected)


def test_figures_kept_by_an_older_version_or_half_written_are_read_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    build(tmp_path / "s.sqlite3")
    with StateStore(tmp_path / "s.sqlite3") as store:
        expected = fresh_data(store)
        kept = json.loads(store.meta(ARTICLE_FIGURES_KEY) or "{}")
        # an older version's figures: the times in the text (same basis), none in the table
        older = {k: v for k, v in kept.items() if k != "published"}
        older["published_us"] = {"0": 0}
        store.set_meta(ARTICLE_FIGURES_KEY, json.dumps(older))
        store.db.execute(f"DELETE FROM {PUBLISHED_TABLE}")
        assert replace(collect(store), generated_at="") == expected
        assert json.loads(store.meta(ARTICLE_FIGURES_KEY) or "{}") == kept
        # a table write that stops half way (after some times were written) keeps no figures
        monkeypatch.setattr(report, "BATCH", 16)
        figures = report.ArticleFigures()
        rows = figures.observe(build_history(store)["articles_latest"][1](), store, 10)
        for _ in range(100):
            next(rows)
        rows.close()
        assert 0 < store.db.execute(f"SELECT COUNT(*) FROM {PUBLISHED_TABLE}").fetchone()[0] < 100
        assert store.meta(ARTICLE_FIGURES_KEY) == "{}"
        assert replace(collect(store), generated_at="") == expected
