"""articles_latest rows spliced from the run's own articles.jsonl / articles.csv
(newsspider/history.py ``RunArticles``) are byte for byte the rows rendered from the state,
and only the articles whose stored version is the run's line are spliced."""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from newsspider import history
from newsspider.exporters import JsonLinesExporter, SpreadsheetCsvItemExporter
from newsspider.history import TABLES, RunArticles, write_history
from newsspider.items import Article, field_names
from newsspider.state.runtime import article_key, item_data
from newsspider.state.store import ArticleState, StateStore
from tests.conftest import run_crawl
from tests.servers import StaticSite
from tests.test_state_incremental import ALWAYS_DUE, change_site
from tools.demo import build

RUN = "run2"
T1 = "2026-02-21T09:00:00+00:00"
T2 = "2026-02-22T09:00:00+00:00"


def article(n: int, **changes: object) -> Article:
    fields: dict[str, object] = {
        "run_id": RUN,
        "crawled_at": T2,
        "url": f"https://news.example/world/article/{n}",
        "canonical_url": f"https://news.example/world/article/{n}",
        "article_id": str(n),
        "site": "news1global",
        "section": "world",
        "headline": f'Headline {n}: "quoted", \u00e9t\u00e9 \u6771\u4eac',
        "standfirst": "=SUM(A1) looks like a formula",
        "authors": ["A. Writer", "B, Writer"],
        "published_at": f"2026-02-2{n % 3}T0{n % 9}:15:00+09:00",
        "body": f'Line one.\r\nLine "two"\n\n{n} + more text ' * 5,
        "word_count": 42 + n,
        "is_paywalled": n % 2 == 0,
        "tags": ["a", "b"],
    }
    fields.update(changes)
    return Article(**fields)  # type: ignore[arg-type]


def save(store: StateStore, item: Article, first_seen: str, revision: int = 1) -> None:
    data = item_data(item)
    store.save_article(
        ArticleState(
            article_key=article_key(item.site, item.article_id, item.url),
            site=item.site,
            article_id=item.article_id,
            url=item.url or "",
            first_seen=first_seen,
            last_seen=item.crawled_at or "",
            last_changed=item.crawled_at or "",
            revision=revision,
            content_hash=f"h{item.article_id}",
            status="live",
            removed_at=None,
            removed_reason=None,
            data=data,
        )
    )


def export(run_dir: Path, items: list[Article]) -> None:
    """The run's articles files, as the default FEEDS write them."""
    run_dir.mkdir(parents=True)
    names = field_names(Article)
    for name, exporter_class in (
        ("articles.jsonl", JsonLinesExporter),
        ("articles.csv", SpreadsheetCsvItemExporter),
    ):
        with (run_dir / name).open("wb") as fh:
            exporter = exporter_class(fh, fields_to_export=names)
            exporter.start_exporting()
            for item in items:
                exporter.export_item(item)
            exporter.finish_exporting()


def assert_same_files(a: Path, b: Path) -> None:
    for table in TABLES:
        for suffix in (".jsonl", ".csv"):
            name = f"{table}{suffix}"
            assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_the_run_articles_rows_are_the_state_rendered_rows(tmp_path: Path) -> None:
    run_dir = tmp_path / "exports" / RUN
    with StateStore(tmp_path / "state.sqlite3") as store:
        # 1, 2: older articles the run did not export (2 was removed since)
        save(store, article(1, run_id="run1", crawled_at=T1), T1)
        save(store, article(2, run_id="run1", crawled_at=T1), T1)
        store.db.execute(
            "UPDATE articles SET status = 'removed', removed_at = ?, removed_reason = 'http_404'"
            " WHERE article_id = '2'",
            (T2,),
        )
        # 3, 4, 6: exported by this run (3 a new revision of an older article; 6 with a
        # body over the spreadsheet cell limit: cut in the CSV, listed in truncated_fields)
        new = [article(3), article(4), article(6, body="x" * 40_000)]
        for item in new:
            save(store, item, T1 if item.article_id == "3" else T2, revision=2)
        # 5: exported twice by the run (two lines with its URL): rendered from the state
        twice = [article(5, headline="first"), article(5, headline="second")]
        save(store, twice[1], T2)
        # 7: the run's line is another fetch than the stored version (its crawled_at)
        late = article(7)
        save(store, dataclasses.replace(late, crawled_at="2026-02-22T09:30:00+00:00"), T2)
        # 8: a line of the run whose article is not in the state at all
        export(run_dir, [new[0], twice[0], new[1], late, article(8), twice[1], new[2]])

        index = RunArticles.open(run_dir)
        assert index is not None
        rows = list(index.rows(store))
        spliced = [row for row in rows if not isinstance(row, dict)]
        assert len(rows) == 7 and index.spliced == len(spliced) == 3
        counts: dict[str, int] = {}
        write_history(store, tmp_path / "from_run", run_dir=run_dir, counts=counts)
        assert counts == {"articles_from_run": 3}
        write_history(store, tmp_path / "from_state", force=True)
    assert_same_files(tmp_path / "from_run", tmp_path / "from_state")
    csv_text = (tmp_path / "from_run" / "articles_latest.csv").read_text("utf-8-sig")
    assert "'=SUM(A1)" in csv_text and '"body"' in csv_text.splitlines()[0]


@pytest.mark.parametrize(
    "damage",
    [
        lambda d: (d / "articles.csv").unlink(),
        lambda d: (d / "articles.jsonl").write_bytes(b'{"run_id":"x"}\n'),  # not our columns
        lambda d: (d / "articles.csv").write_bytes(b'"url"\r\n'),  # another header
        lambda d: (d / "articles.jsonl").write_bytes(  # a line more than the CSV has records
            (d / "articles.jsonl").read_bytes() * 2
        ),
        lambda d: (d / "articles.jsonl").write_bytes(  # a torn last line
            (d / "articles.jsonl").read_bytes()[:-10]
        ),
    ],
)
def test_files_not_as_the_default_feeds_write_them_are_not_used(
    tmp_path: Path, damage: object
) -> None:
    run_dir = tmp_path / RUN
    with StateStore(tmp_path / "state.sqlite3") as store:
        items = [article(1), article(2)]
        for item in items:
            save(store, item, T2)
        export(run_dir, items)
        assert RunArticles.open(run_dir) is not None
        damage(run_dir)  # type: ignore[operator]
        assert RunArticles.open(run_dir) is None
        counts: dict[str, int] = {}
        write_history(store, tmp_path / "out", run_dir=run_dir, counts=counts)
        write_history(store, tmp_path / "rebuilt", force=True)
    assert counts == {}
    assert_same_files(tmp_path / "out", tmp_path / "rebuilt")


@pytest.mark.parametrize("key_bits", [0, 2])
def test_urls_with_one_key_are_rendered_from_the_state(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, key_bits: int
) -> None:
    """The table keeps a short key of each URL's hash: URLs sharing a key (here all of them,
    or most) are taken from the state, or spliced only where the line's URL is theirs; no
    row changes."""
    monkeypatch.setattr(history, "_KEY_MASK", (1 << key_bits) - 1)
    run_dir = tmp_path / RUN
    with StateStore(tmp_path / "state.sqlite3") as store:
        items = [article(n) for n in range(1, 9)]
        for item in items:
            save(store, item, T2)
        save(store, article(9, run_id="run1", crawled_at=T1), T1)  # not in the run's files
        export(run_dir, items)
        index = RunArticles.open(run_dir)
        assert index is not None
        assert all(index.line_of(item.url or "") in (None, n) for n, item in enumerate(items))
        counts: dict[str, int] = {}
        write_history(store, tmp_path / "out", run_dir=run_dir, counts=counts)
        write_history(store, tmp_path / "rebuilt", force=True)
    assert counts.get("articles_from_run", 0) < len(items)  # some keys were shared
    assert_same_files(tmp_path / "out", tmp_path / "rebuilt")


def test_an_empty_run_has_nothing_to_splice(tmp_path: Path) -> None:
    run_dir = tmp_path / RUN
    with StateStore(tmp_path / "state.sqlite3") as store:
        save(store, article(1, run_id="run1", crawled_at=T1), T1)
        export(run_dir, [])
        index = RunArticles.open(run_dir)
        assert index is not None
        assert [type(row) for row in index.rows(store)] == [dict]


@pytest.mark.e2e
def test_a_crawl_takes_its_articles_rows_from_its_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A real first crawl splices every article; the history equals a full rebuild from the
    state; so does a second crawl of a changed site (a new, an edited, a removed article:
    only the two exported are spliced)."""
    root = tmp_path / "site"
    build.write_site(root)
    settings = {"NEWSSPIDER_STATE_DIR": str(tmp_path / "state"), **ALWAYS_DUE}
    exports = tmp_path / "exports"
    with StaticSite(root) as site:
        url = f"url={site.url}"
        key = f"local-127.0.0.1-{site.server.server_address[1]}"
        out = exports / "history" / key
        state = tmp_path / "state" / f"{key}.sqlite3"
        for run_id in ("run1", "run2"):
            if run_id == "run2":
                change_site(monkeypatch, root)
            crawl = run_crawl("frontpage", exports, url, settings=settings, run_id=run_id)
            assert crawl.returncode == 0, crawl.log[-3000:]
            lines = (exports / run_id / "articles.jsonl").read_bytes().splitlines()
            assert lines and (run_id == "run1" or len(lines) == 2)  # run2: the new, the edited
            assert f"'newsspider/history/articles_from_run': {len(lines)}" in crawl.log
            with StateStore(state) as store:
                top_n = int(ALWAYS_DUE["NEWSSPIDER_HISTORY_TOP_N"])
                write_history(store, tmp_path / f"rebuilt-{run_id}", top_n=top_n, force=True)
            assert_same_files(out, tmp_path / f"rebuilt-{run_id}")
