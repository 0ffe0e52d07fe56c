"""End-to-end: an unchanged front page answered ``304 Not Modified`` (the crawl state on).

A real local server (the stdlib's, which answers ``If-Modified-Since`` with 304) serves a copy
of the demo site. Run 1 fetches the front page in full; run 2 asks for it conditionally, gets
304, and follows the links of run 1's fetch from the state; run 3 (the page edited) fetches
it in full again. A second server that ignores conditional requests (always 200) gives the
same sequence the old way: the history tables must tell the same story.
"""

from __future__ import annotations

import json
import os
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from http.server import SimpleHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import CrawlResult, run_crawl
from tests.servers import StaticSite
from tools.demo import build, content

pytestmark = pytest.mark.e2e

ALWAYS_DUE = {"NEWSSPIDER_REFETCH_MIN_INTERVAL": "0", "NEWSSPIDER_REFETCH_AGE_FACTOR": "0"}
EDITED_ID = 1001
# columns that hold the time of a run (different in the two sequences), not what was seen
TIME_COLUMNS = {
    "run_id",
    "run_time",
    "first_seen_on_page",
    "last_seen_on_page",
    "best_position_at",
    "minutes_on_page",
    "minutes_in_top_n",
    "entered_at",
    "left_at",
    "peak_rank_at",
    "minutes_listed",
}


def stat(result: CrawlResult, name: str) -> int:
    match = re.search(rf"'{re.escape(name)}': (\d+)", result.log)
    return int(match.group(1)) if match else 0


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def age(path: Path, seconds: float) -> None:
    """Last-Modified ``seconds`` ago (one in the second of the fetch is not trusted)."""
    then = time.time() - seconds
    os.utime(path, (then, then))


def edit_front_page(root: Path) -> None:
    index = root / "index.html"
    headline = content.ARTICLES_BY_ID[EDITED_ID].headline
    html = index.read_text(encoding="utf-8")
    assert headline in html
    index.write_text(html.replace(headline, headline + " (updated)", 1), encoding="utf-8")
    age(index, 30)


@dataclass
class Sequence:
    runs: list[CrawlResult]
    history: Path
    conditional: list[str | None]  # If-Modified-Since of each front-page request


def crawl_sequence(root: Path, work: Path, *, honour_304: bool) -> Sequence:
    build.write_site(root)
    age(root / "index.html", 3600)
    asked: list[str | None] = []

    def front_page(handler: SimpleHTTPRequestHandler) -> None:
        asked.append(handler.headers.get("If-Modified-Since"))
        if not honour_304:
            del handler.headers["If-Modified-Since"]
            del handler.headers["If-None-Match"]
        SimpleHTTPRequestHandler.do_GET(handler)

    settings = {"NEWSSPIDER_STATE_DIR": str(work / "state"), **ALWAYS_DUE}
    runs = []
    with StaticSite(root) as site:
        site.route("/", front_page)
        url = f"url={site.url}"
        for n in (1, 2, 3):
            if n == 3:
                edit_front_page(root)
            runs.append(
                run_crawl("frontpage", work / "exports", url, settings=settings, run_id=f"run{n}")
            )
        key = f"local-127.0.0.1-{site.server.server_address[1]}"
    for result in runs:
        assert result.returncode == 0, result.log[-3000:]
    return Sequence(runs, work / "exports" / "history" / key, asked)


@pytest.fixture(scope="module")
def sequences(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Sequence, Sequence]]:
    tmp = tmp_path_factory.mktemp("not-modified")
    with_304 = crawl_sequence(tmp / "site-304", tmp / "with-304", honour_304=True)
    always_200 = crawl_sequence(tmp / "site-200", tmp / "always-200", honour_304=False)
    yield with_304, always_200


def test_the_unchanged_front_page_is_asked_conditionally_and_answered_304(
    sequences: tuple[Sequence, Sequence],
) -> None:
    seq, _ = sequences
    first, second, third = seq.runs
    assert seq.conditional[0] is None  # nothing kept yet
    assert seq.conditional[1] is not None and seq.conditional[2] == seq.conditional[1]
    assert stat(first, "newsspider/state/listing_not_modified") == 0
    assert stat(second, "newsspider/state/listing_not_modified") == 1
    assert stat(second, "newsspider/health/start_page/status") == 304
    assert "Health: OK" in second.log
    # the end-of-run summary says the front page was not modified
    assert re.search(r"incremental, not exported again: .*listing_not_modified 1", second.log)
    # run 3: the page changed since run 1's fetch, so the server answered 200 to the same ask
    assert stat(third, "newsspider/state/listing_not_modified") == 0
    assert stat(third, "newsspider/state/listing_changed") == 1


def test_a_304_run_follows_the_links_of_the_last_full_fetch(
    sequences: tuple[Sequence, Sequence],
) -> None:
    seq, always_200 = sequences
    first, second, _third = seq.runs
    links = stat(first, "newsspider/frontpage/article_links")
    assert links > 30
    assert stat(second, "newsspider/frontpage/article_links") == links
    # every link was due (ALWAYS_DUE) and asked for conditionally, as after a 200
    assert stat(second, "newsspider/state/due") == links
    unchanged = stat(always_200.runs[1], "newsspider/state/not_modified")
    assert unchanged >= len(read_jsonl(first.run_dir / "articles.jsonl"))
    assert stat(second, "newsspider/state/not_modified") == unchanged
    manifest = second.manifest()
    files = manifest["files"]
    assert isinstance(files, dict)
    for name in ("front_page.jsonl", "articles.jsonl", "popular.jsonl", "rejects.jsonl"):
        assert files[name]["rows"] == 0, name


def test_the_edited_front_page_is_exported_again(sequences: tuple[Sequence, Sequence]) -> None:
    seq, _ = sequences
    slots = read_jsonl(seq.runs[2].run_dir / "front_page.jsonl")
    assert any(s["headline"].endswith("(updated)") for s in slots)


def without_times(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{k: v for k, v in row.items() if k not in TIME_COLUMNS} for row in rows]


@pytest.mark.parametrize(
    "table", ["frontpage_snapshots", "frontpage_timeline", "popular_history", "articles_latest"]
)
def test_history_is_what_an_unchanged_200_gives(
    sequences: tuple[Sequence, Sequence], table: str
) -> None:
    with_304, always_200 = sequences
    assert stat(always_200.runs[1], "newsspider/state/listing_not_modified") == 0
    assert stat(always_200.runs[1], "newsspider/state/listing_unchanged") == 1
    rows_304 = read_jsonl(with_304.history / f"{table}.jsonl")
    rows_200 = read_jsonl(always_200.history / f"{table}.jsonl")
    if table == "articles_latest":  # the site's own URLs (another port) and fetch times
        keep = ("article_key", "status", "revision", "headline", "body")
        # (ordered by the time each was first seen: sorted by key here)
        rows_304 = sorted(({k: r[k] for k in keep} for r in rows_304), key=str)
        rows_200 = sorted(({k: r[k] for k in keep} for r in rows_200), key=str)
    assert rows_304
    assert without_times(strip_ports(rows_304)) == without_times(strip_ports(rows_200))


def strip_ports(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The two servers have different ports: URLs compared without them."""
    return [json.loads(re.sub(r"127\.0\.0\.1:\d+", "HOST", json.dumps(r))) for r in rows]


def test_the_snapshot_of_the_304_run_repeats_the_last_front_page(
    sequences: tuple[Sequence, Sequence],
) -> None:
    seq, _ = sequences
    snapshots = read_jsonl(seq.history / "frontpage_snapshots.jsonl")
    by_run: dict[str, list[dict[str, Any]]] = {}
    for row in snapshots:
        by_run.setdefault(row["run_id"], []).append(row)
    assert set(by_run) == {"run1", "run2", "run3"}
    assert without_times(by_run["run2"]) == without_times(by_run["run1"])
    assert without_times(by_run["run3"]) != without_times(by_run["run1"])
    timeline = read_jsonl(seq.history / "frontpage_timeline.jsonl")
    edited = [r for r in timeline if r["article_id"] == str(EDITED_ID)]
    assert edited and edited[0]["runs_seen"] == 3 and edited[0]["headline_count"] == 2
