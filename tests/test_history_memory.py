"""History tables are streamed from the state file: memory does not grow with the table sizes.

A whole-site crawl used to peak at ~660 MB with the state on (vs ~100 MB off) because the end of
run history rebuild loaded every article row (body and last exported version) at once. These
tests hold the rebuild to a fixed memory bound on a few thousand fat rows, check the streamed
"unchanged table" hash is the one ``stable_hash`` gives, and that unchanged tables stay put.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tracemalloc
from pathlib import Path

import pytest

from newsspider.history import (
    ARTICLES_LATEST_COLUMNS,
    _StreamHash,
    articles_latest,
    table_digest,
    write_history,
)
from newsspider.state.runtime import stable_hash
from newsspider.state.store import ArticleState, StateStore

ARTICLES = 3000
BODY_CHARS = 8000  # 3,000 x 8 KB = 24 MB of bodies (twice: body and the CSV/JSON copies)
PEAK_BOUND = 8 * 1024 * 1024  # generous: one row at a time needs well under 1 MB


def _iso(minute: int) -> str:
    return f"2026-02-21T{minute // 60:02d}:{minute % 60:02d}:00+00:00"


def fill(store: StateStore, articles: int = ARTICLES) -> None:
    """A state file with ``articles`` fat articles, revisions, slots and popular entries."""
    store.db.execute("BEGIN")
    for n in range(articles):
        key = f"x:{n}"
        store.save_article(
            ArticleState(
                article_key=key,
                site="x",
                article_id=str(n),
                url=f"https://x.test/a/{n}",
                first_seen=_iso(n % 1440),
                last_seen=_iso(n % 1440),
                last_changed=_iso(n % 1440),
                revision=2,
                content_hash=f"h{n}",
                status="live",
                removed_at=None,
                removed_reason=None,
                data={
                    "headline": f"Headline {n}",
                    "body": f"Paragraph {n}. " + "x" * BODY_CHARS,
                    "tags": ["a", "b"],
                },
            )
        )
    store.db.execute("COMMIT")
    store.add_revision_rows(
        [
            {
                "article_key": f"x:{n}",
                "revision": 2,
                "field": "headline",
                "run_id": "r2",
                "crawled_at": _iso(n % 1440),
                "article_id": str(n),
                "site": "x",
                "url": f"https://x.test/a/{n}",
                "change": "edited",
                "changed_fields": ["headline"],
                "old_value": f"Old {n}",
                "new_value": f"Headline {n}",
            }
            for n in range(articles)
        ]
    )
    store.db.execute("BEGIN")
    for run, minute in (("r1", 0), ("r2", 30), ("r3", 60)):
        for page in range(articles // 20):
            page_url = f"https://x.test/page/{page}"
            snapshot = "r1" if run == "r3" else run  # r3 saw r1's snapshot again
            store.record_observation("listing", run, page_url, _iso(minute), run, snapshot)
            if snapshot != run:
                continue
            for position in range(1, 21):
                n = page * 20 + (position - 1 if run == "r1" else 20 - position)
                store.add_slot(
                    {
                        "run_id": run,
                        "page_url": page_url,
                        "crawled_at": _iso(minute),
                        "position_on_page": position,
                        "block": "Latest",
                        "position_in_block": position,
                        "headline": f"Headline {n} ({run})",
                        "teaser": "t",
                        "article_url": f"https://x.test/a/{n}",
                        "article_id": str(n),
                    }
                )
        store.record_observation("popular", run, "Most read", _iso(minute), run, run)
        for rank in range(1, 11):
            n = rank + (0 if run != "r2" else 5)
            store.add_popular_entry(
                {
                    "run_id": run,
                    "list_name": "Most read",
                    "crawled_at": _iso(minute),
                    "rank": rank,
                    "headline": f"Headline {n}",
                    "article_url": f"https://x.test/a/{n}",
                    "article_id": str(n),
                }
            )
    store.db.execute("COMMIT")


def test_stream_hash_is_stable_hash_of_the_whole_table() -> None:
    columns = ["a", "b", "ü"]
    rows = [{"b": [1, "x"], "a": "Ünï “q”", "ü": None}, {"a": 1.5, "b": True, "ü": {"k": 1}}]
    assert table_digest(columns, rows) == (stable_hash([columns, rows]), 2)
    assert _StreamHash(columns).hexdigest() == stable_hash([columns, []])


@pytest.mark.slow  # 24 MB of rows under tracemalloc: the bound needs a big table
def test_history_rebuild_streams_rows(tmp_path: Path) -> None:
    # A warm-up rebuild of a tiny state first: the modules the rebuild imports lazily (the
    # workbook writer, the report) are loaded outside the traced window. The bound is about
    # the rows; run alone (not after other tests that import them) the imports were +1.7 MiB.
    with StateStore(tmp_path / "warm.sqlite3") as warm:
        fill(warm, articles=3)
        write_history(warm, tmp_path / "warm-history", force=True)
    with StateStore(tmp_path / "s.sqlite3") as store:
        fill(store)
        out = tmp_path / "history"
        tracemalloc.start()
        try:
            written = write_history(store, out, force=True)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    assert written == {
        "articles_latest": ARTICLES,
        "frontpage_timeline": ARTICLES,
        "popular_history": 20,  # 1-5: two stints; 6-10: one; 11-15: one (r2 only)
        "revisions": ARTICLES,
        "frontpage_snapshots": 9000,  # every slot of every run, unchanged pages repeated
        "runs": 0,  # fill() records no runs
    }
    assert (out / "articles_latest.jsonl").stat().st_size > ARTICLES * BODY_CHARS
    assert peak < PEAK_BOUND, f"history rebuild peaked at {peak / 2**20:.1f} MiB"
    first = json.loads((out / "articles_latest.jsonl").open(encoding="utf-8").readline())
    assert list(first) == ARTICLES_LATEST_COLUMNS
    timeline = [json.loads(line) for line in (out / "frontpage_timeline.jsonl").open()]
    assert [r["page_url"] for r in timeline] == sorted(r["page_url"] for r in timeline)
    row = next(r for r in timeline if r["article_id"] == "0")
    assert (row["best_position"], row["runs_seen"], row["on_page_now"]) == (1, 3, True)
    assert row["headlines"] == ["Headline 0 (r1)", "Headline 0 (r2)"]  # r3 repeated r1


def test_articles_latest_is_lazy(tmp_path: Path) -> None:
    with StateStore(tmp_path / "s.sqlite3") as store:
        fill(store, articles=50)
        rows = articles_latest(store)
        assert next(rows)["article_key"] == "x:0"  # a generator: nothing else read yet


def test_unchanged_tables_are_not_rewritten(tmp_path: Path) -> None:
    out = tmp_path / "history"
    with StateStore(tmp_path / "s.sqlite3") as store:
        fill(store, articles=100)
        write_history(store, out)
        before = {p.name: p.stat().st_ino for p in out.iterdir()}
        write_history(store, out)
        assert {p.name: p.stat().st_ino for p in out.iterdir()} == before
        store.touch_article("x:0", "2099-01-01T00:00:00+00:00")
        write_history(store, out)
        after = {p.name: p.stat().st_ino for p in out.iterdir()}
    changed = {name for name in before if after[name] != before[name]}
    # the workbook and report are refreshed because a table changed
    assert changed == {
        "articles_latest.jsonl",
        "articles_latest.csv",
        "history.xlsx",
        "report.html",
    }
    assert not list(out.glob("*.part")) and not list(out.glob(".*.part"))


def test_rebuild_removes_parts_of_a_killed_rebuild_but_not_of_a_running_one(
    tmp_path: Path,
) -> None:
    out = tmp_path / "history"
    out.mkdir()
    # a rebuild killed with SIGKILL while writing: its .part file names its (now dead) pid
    script = (
        "import os, pathlib, sys, time\n"
        "out = pathlib.Path(sys.argv[1])\n"
        "(out / f'.articles_latest.csv.{os.getpid()}.part').write_text('half')\n"
        "print('written', flush=True)\n"
        "time.sleep(60)\n"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", script, str(out)], stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None and proc.stdout.readline().strip() == "written"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=10)
    dead = out / f".articles_latest.csv.{proc.pid}.part"
    assert dead.exists()
    live = out / f".revisions.jsonl.{os.getppid()}.part"  # a process that is running
    live.write_text("in progress")
    with StateStore(tmp_path / "s.sqlite3") as store:
        fill(store, articles=5)
        write_history(store, out)
    assert not dead.exists()
    assert live.exists()
    assert (out / "articles_latest.csv").exists()
