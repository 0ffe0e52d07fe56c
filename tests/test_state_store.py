"""Unit tests: the decay schedule, the state-file rule, the SQLite store, the diff helpers."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newsspider.items import Article
from newsspider.state.decay import DecaySchedule, parse_duration
from newsspider.state.paths import lock_file_for, site_key, state_file_for
from newsspider.state.runtime import (
    CONTENT_FIELDS,
    article_content,
    article_key,
    changed_fields,
    render_value,
    stable_hash,
)
from newsspider.state.store import PAGE_SIZE, SCHEMA, ArticleState, StateFileError, StateStore

T0 = datetime(2026, 2, 21, 0, 0, tzinfo=UTC)
MIN, HOUR, DAY = timedelta(minutes=1), timedelta(hours=1), timedelta(days=1)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("90", timedelta(seconds=90)),
        ("30s", timedelta(seconds=30)),
        ("15m", 15 * MIN),
        ("1h", HOUR),
        ("1.5h", 90 * MIN),
        ("2d", 2 * DAY),
        ("1w", 7 * DAY),
        (0, timedelta(0)),
        (2.5, timedelta(seconds=2.5)),
    ],
)
def test_parse_duration(text: str | float, expected: timedelta) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize("bad", ["", "soon", "15 minutes", "-5m", -1])
def test_parse_duration_rejects_with_one_line(bad: str | int) -> None:
    with pytest.raises(ValueError, match="duration") as info:
        parse_duration(bad)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("age", "interval"),
    [
        (timedelta(0), 15 * MIN),  # brand new: the minimum
        (30 * MIN, 15 * MIN),
        (4 * HOUR, HOUR),  # age * 0.25
        (DAY, 6 * HOUR),
        (4 * DAY, DAY),
        (28 * DAY, 7 * DAY),  # capped at the maximum
        (30 * DAY, 7 * DAY),
        (31 * DAY, None),  # past stop_after: never
    ],
)
def test_decay_interval(age: timedelta, interval: timedelta | None) -> None:
    assert DecaySchedule().interval(age) == interval


def test_decay_interval_never_shrinks_with_age() -> None:
    schedule = DecaySchedule()
    ages = [timedelta(minutes=m) for m in range(0, 30 * 24 * 60, 97)]
    intervals = [schedule.interval(a) for a in ages]
    assert all(i is not None for i in intervals)
    assert intervals == sorted(i for i in intervals if i is not None)


def test_decay_stop_after_zero_means_never_stop() -> None:
    assert DecaySchedule(stop_after=timedelta(0)).interval(365 * DAY) == 7 * DAY


@pytest.mark.parametrize(
    ("first_seen_ago", "fetched_ago", "due"),
    [
        (HOUR, None, True),  # never fetched
        (10 * MIN, 5 * MIN, False),  # young, fetched 5 min ago, interval 15 min
        (20 * MIN, 14 * MIN, True),  # 14 min >= 15 min * 0.9 (slack)
        (DAY, HOUR, False),  # one day old: every 6 hours
        (DAY, 6 * HOUR, True),
        (40 * DAY, 30 * DAY, False),  # too old: never again
    ],
)
def test_is_due(first_seen_ago: timedelta, fetched_ago: timedelta | None, due: bool) -> None:
    now = T0 + 60 * DAY
    last = now - fetched_ago if fetched_ago is not None else None
    assert DecaySchedule().is_due(now - first_seen_ago, last, now) is due


@pytest.mark.parametrize(
    ("url", "key"),
    [
        ("https://www.news1global.com/", "news1global.com"),
        ("https://News1Global.com/politics/", "news1global.com"),
        ("http://127.0.0.1:8000/", "local-127.0.0.1-8000"),
        ("http://localhost/", "local-localhost-80"),
        ("http://192.168.1.20:8080/x", "local-192.168.1.20-8080"),
        ("http://[::1]:9000/", "local-_1-9000"),
        ("http://demo.localhost:5000/", "local-demo.localhost-5000"),
    ],
)
def test_site_key(url: str, key: str) -> None:
    assert site_key(url) == key


def test_file_urls_get_a_local_key_per_folder() -> None:
    a = site_key("file:///srv/demo/index.html")
    assert a.startswith("local-file-")
    assert a == site_key("file:///srv/demo/other.html")
    assert a != site_key("file:///srv/other-demo/index.html")


def test_state_file_rule(tmp_path: Path) -> None:
    real = "https://www.news1global.com/"
    local = "http://127.0.0.1:8000/"
    kwargs = {"export_dir": tmp_path / "exports", "state_dir_explicit": False}
    assert state_file_for(real, "state", **kwargs) == Path("state/news1global.com.sqlite3")
    # a local site keeps its state with its exports: never in the production state folder
    assert state_file_for(local, "state", **kwargs) == (
        tmp_path / "exports" / ".state" / "local-127.0.0.1-8000.sqlite3"
    )
    # ... unless the state folder was given explicitly
    assert state_file_for(local, tmp_path / "s", export_dir="x", state_dir_explicit=True) == (
        tmp_path / "s" / "local-127.0.0.1-8000.sqlite3"
    )
    assert state_file_for(real, "state", "/tmp/explicit.db", **kwargs) == Path("/tmp/explicit.db")
    assert lock_file_for(Path("state/news1global.com.sqlite3")) == Path(
        "state/news1global.com.lock"
    )


def article(**changes: object) -> Article:
    base = Article(
        run_id="r1",
        crawled_at="2026-02-21T00:00:00+00:00",
        url="https://www.news1global.com/politics/article/1001",
        article_id="1001",
        site="news1global",
        headline="Budget passes",
        body="One.\n\nTwo.",
        word_count=2,
        tags=["Budget"],
        authors=["Choi Yeon-woo"],
    )
    for name, value in changes.items():
        setattr(base, name, value)
    return base


def test_content_hash_ignores_bookkeeping_fields() -> None:
    a = article_content(article())
    b = article_content(article(run_id="r2", crawled_at="2026-02-22T00:00:00+00:00", word_count=9))
    assert stable_hash(a) == stable_hash(b)
    assert "run_id" not in CONTENT_FIELDS and "headline" in CONTENT_FIELDS


def test_changed_fields_in_field_order() -> None:
    old = article_content(article())
    new = article_content(article(tags=["Budget", "Assembly"], headline="Budget passes at dawn"))
    assert changed_fields(old, new) == ["headline", "tags"]


@pytest.mark.parametrize(
    ("value", "text"),
    [(None, None), (["A", "B"], "A | B"), (True, "true"), (3, "3"), ("x", "x")],
)
def test_render_value(value: object, text: str | None) -> None:
    assert render_value(value) == text


def test_article_key() -> None:
    assert article_key("news1global", "1001", "u") == "news1global:1001"
    assert article_key(None, None, "https://x.test/a") == "url:https://x.test/a"


def test_store_round_trip(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "site.sqlite3"
    with StateStore(path) as store:
        store.start_run("r1", "frontpage", "https://x.test/", "2026-02-21T00:00:00+00:00")
        url = "https://x.test/politics/article/1"
        store.record_fetch(url, "2026-02-21T00:00:01+00:00", 200, etag='"v1"', body_hash="h1")
        store.record_fetch(url, "2026-02-21T01:00:00+00:00", 304)  # keeps validators and hash
        store.link_url(url, "x:1", "2026-02-21T01:00:00+00:00")
        state = store.url_state(url)
        assert state is not None
        assert (state.etag, state.body_hash, state.last_status) == ('"v1"', "h1", 304)
        assert state.first_seen == "2026-02-21T00:00:01+00:00"
        assert state.last_fetch == "2026-02-21T01:00:00+00:00"
        assert state.article_key == "x:1"
        assert [s.url for s in store.due_urls()] == [url]
        store.save_article(
            ArticleState(
                article_key="x:1",
                site="x",
                article_id="1",
                url=url,
                first_seen="t0",
                last_seen="t0",
                last_changed="t0",
                revision=1,
                content_hash="c1",
                status="live",
                removed_at=None,
                removed_reason=None,
                data={"headline": "Ünïcode “quotes”", "tags": ["a"]},
            )
        )
        store.touch_article("x:1", "t1")
        store.finish_run("r1", "2026-02-21T00:00:09+00:00", "finished", {"new": 1})
    with StateStore(path) as store:  # reopened: everything persisted
        saved = store.article("x:1")
        assert saved is not None
        assert saved.data == {"headline": "Ünïcode “quotes”", "tags": ["a"]}
        assert saved.last_seen == "t1"
        assert store.runs()[0]["finish_reason"] == "finished"
        assert store.article("x:2") is None


def test_store_snapshots(tmp_path: Path) -> None:
    with StateStore(tmp_path / "s.sqlite3") as store:
        assert store.latest_snapshot("listing", "https://x.test/") is None
        store.record_observation("listing", "r1", "https://x.test/", "t1", "h1", "r1")
        store.record_observation("listing", "r2", "https://x.test/", "t2", "h1", "r1")
        snapshot = store.latest_snapshot("listing", "https://x.test/")
        assert snapshot is not None
        assert (snapshot.content_hash, snapshot.run_id) == ("h1", "r1")
        assert [o["run_id"] for o in store.observations("listing")] == ["r1", "r2"]
        assert store.latest_snapshot("popular", "https://x.test/") is None


def _page_size(path: Path) -> int:
    with sqlite3.connect(path) as db:
        return int(db.execute("PRAGMA page_size").fetchone()[0])


def test_a_new_state_file_has_16_kb_pages_and_an_older_one_keeps_its_own(
    tmp_path: Path,
) -> None:
    new = tmp_path / "new.sqlite3"
    with StateStore(new) as store:
        store.set_meta("k", "v")
    assert _page_size(new) == PAGE_SIZE == 16_384
    # a file made with SQLite's default 4 KB pages (state files before session 10), in WAL mode
    old = tmp_path / "old.sqlite3"
    with sqlite3.connect(old, isolation_level=None) as db:
        db.execute("PRAGMA page_size = 4096")
        db.execute("PRAGMA journal_mode=WAL")
        db.executescript(f"BEGIN;\n{SCHEMA}COMMIT;\n")
        db.execute("INSERT INTO meta (key, value) VALUES ('schema_version', '1'), ('k', 'old')")
    db.close()
    for _ in range(2):  # opened, written in a run, reopened: still 4 KB pages, nothing lost
        with StateStore(old) as store:
            store.begin_run()
            store.start_run("r1", "site", "https://x.test/", "t0")
            store.commit_run()
            assert store.meta("k") == "old"
        assert _page_size(old) == 4096
    with StateStore(old) as store:
        assert [r["run_id"] for r in store.runs()] == ["r1"]


def test_newer_schema_is_refused_with_one_line(tmp_path: Path) -> None:
    path = tmp_path / "s.sqlite3"
    with StateStore(path) as store:
        store.set_meta("schema_version", "99")
    with pytest.raises(StateFileError, match="schema 99") as info:
        StateStore(path)
    assert "\n" not in str(info.value)


def _rows(store: StateStore) -> list[tuple[object, ...]]:
    return [tuple(r) for r in store.db.execute("SELECT * FROM urls ORDER BY url")]


def test_states_of_answers_as_url_state_for_many_urls(tmp_path: Path) -> None:
    with StateStore(tmp_path / "s.sqlite3") as store:
        known = [f"https://x.test/a/{i}" for i in range(1200)]  # > one IN (...) chunk
        for i, url in enumerate(known):
            store.record_fetch(url, f"2026-02-21T00:00:{i % 60:02d}+00:00", 200, etag=f"e{i}")
        store.link_url(known[7], "x:7", "2026-02-21T01:00:00+00:00")
        asked = [known[1199], "https://x.test/unknown", known[7], known[0], known[7]]
        states = store.states_of(asked)
        assert list(states) == [known[1199], "https://x.test/unknown", known[7], known[0]]
        for url, state in states.items():
            assert state == store.url_state(url)
        assert states["https://x.test/unknown"] is None
        assert states[known[7]] is not None and states[known[7]].article_key == "x:7"
        assert len(store.states_of(known)) == 1200
        assert store.states_of([]) == {}


def test_a_kept_url_state_is_dropped_when_the_url_is_written(tmp_path: Path) -> None:
    url, other = "https://x.test/a/1", "https://x.test/a/2"
    with StateStore(tmp_path / "s.sqlite3") as store:
        assert store.url_state(url, keep=True) is None  # kept: unknown
        assert store.url_state(other, keep=True) is None
        store.record_fetch(url, "2026-02-21T00:00:00+00:00", 200, etag='"v1"')
        state = store.url_state(url, keep=True)  # not the kept None: the write dropped it
        assert state is not None and state.etag == '"v1"'
        store.forget_validators(url)
        state = store.url_state(url, keep=True)
        assert state is not None and state.etag is None
        store.link_url(url, "x:1", "2026-02-21T00:00:01+00:00")
        state = store.url_state(url, release=True)
        assert state is not None and state.article_key == "x:1"
        # a kept answer is served without a query, until it is released
        store.db.execute("UPDATE urls SET etag = 'behind the store' WHERE url = ?", (url,))
        assert store.url_state(other, keep=True) is None
        store.db.execute("INSERT INTO urls (url, etag) VALUES (?, 'behind the store')", (other,))
        assert store.url_state(other) is None  # kept
        assert store.states_of([other]) == {other: None}  # kept
        assert store.url_state(other, release=True) is None  # the last ask lets it go
        again = store.url_state(other)
        assert again is not None and again.etag == "behind the store"


def test_kept_url_states_are_bounded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsspider.state import store as store_module

    monkeypatch.setattr(store_module, "KEEP_MAX", 3)
    with StateStore(tmp_path / "s.sqlite3") as store:
        store.states_of([f"https://x.test/a/{i}" for i in range(3)], keep=True)
        assert len(store._kept) == 3
        store.url_state("https://x.test/a/9", keep=True)
        assert list(store._kept) == ["https://x.test/a/9"]  # the old ones let go at once


def test_record_fetch_with_article_key_is_record_fetch_then_link_url(tmp_path: Path) -> None:
    """The state pipeline's one write per article page: the same rows as the two writes."""
    fetches = [
        ("https://x.test/a/1", "2026-02-21T00:00:00+00:00", 200, '"v1"', None, "h1"),
        ("https://x.test/a/1", "2026-02-21T01:00:00+00:00", 200, None, "Sat, 21 Feb", "h2"),
        ("https://x.test/a/2", "2026-02-21T02:00:00+00:00", 200, None, None, None),
    ]
    with (
        StateStore(tmp_path / "two.sqlite3") as two,
        StateStore(tmp_path / "one.sqlite3") as one,
    ):
        two.link_url("https://x.test/a/2", "x:old", "2026-02-20T00:00:00+00:00")
        one.link_url("https://x.test/a/2", "x:old", "2026-02-20T00:00:00+00:00")
        for i, (url, now, status, etag, lm, body_hash) in enumerate(fetches):
            key = f"x:{i}"
            two.record_fetch(url, now, status, etag=etag, last_modified=lm, body_hash=body_hash)
            two.link_url(url, key, "2026-03-01T00:00:00+00:00")
            one.record_fetch(
                url, now, status, etag=etag, last_modified=lm, body_hash=body_hash, article_key=key
            )
            assert _rows(one) == _rows(two)
        assert len(_rows(one)) == 2


@pytest.mark.parametrize(
    "query",
    [
        "SELECT rowid FROM articles ORDER BY first_seen, article_key",  # articles, article_heads
    ],
)
def test_the_articles_are_read_in_order_without_a_sort(tmp_path: Path, query: str) -> None:
    """SQLite's sorter would hold every article's key in memory at the end of the run (up to
    250 pages: 4 MB with 16 KB pages): the order comes from an index, for a new file and for
    one written before the index existed."""
    old = tmp_path / "old.sqlite3"
    with StateStore(old) as store:
        store.db.execute("DROP INDEX articles_first_seen")
    for path in (tmp_path / "new.sqlite3", old):
        with StateStore(path) as store:
            plan = " ".join(str(row[3]) for row in store.db.execute(f"EXPLAIN QUERY PLAN {query}"))
        assert "TEMP B-TREE" not in plan and "articles_first_seen" in plan, plan
