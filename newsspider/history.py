"""Analyst-ready history tables, derived from the crawl state (never from the per-run files).

Written after every run by the state pipeline, and on demand by ``newsspider history rebuild``,
to ``<export dir>/history/<site key>/`` as ``<table>.jsonl`` and ``<table>.csv`` (same
spreadsheet safety as the per-run files: BOM, formula neutralisation, cell limit), each file
replaced atomically (temp file, fsync, rename) so a spreadsheet or notebook pointed there
never reads half a file:

* ``articles_latest`` - one row per article: its latest exported version plus the state
  columns (status live/removed, revision, first/last seen, last changed).
* ``frontpage_timeline`` - one row per article and listing page: first/last seen on the page,
  best position, minutes on the page and in the top N, the headlines it was shown with.
* ``popular_history`` - one row per stint of an article in a popular list: entered, left,
  peak rank.
* ``revisions`` - every change to every article, one row per changed field.
* ``frontpage_snapshots`` - every slot of every listing page in every run (run time, block,
  position, article): the raw material to rebuild any front-page view.
* ``runs`` - one row per crawl run: times, finish reason and health counts.

Column types are fixed (docs/DATA_DICTIONARY.md): minutes are always floats, positions and
counts always integers, times ISO 8601 UTC text. ``last_seen`` has one meaning everywhere: the
last time the article page itself was fetched; the per-page times of ``frontpage_timeline``
are ``first_seen_on_page`` / ``last_seen_on_page``.

After the tables, :func:`newsspider.report.refresh` writes ``history.xlsx`` and
``report.html`` beside them (``NEWSSPIDER_REPORT_ENABLED``).

"Minutes on the page" is a lower bound: the time between consecutive runs that both saw the
article there (a story seen by a single run counts 0 minutes).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import threading
from array import array
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import ExitStack
from dataclasses import dataclass, field
from itertools import groupby
from pathlib import Path
from typing import Any

from newsspider.exporters import (
    LIST_SEPARATOR,
    TRUNCATED_COLUMN,
    JsonLinesExporter,
    SpreadsheetCsvItemExporter,
    csv_cells,
    json_object,
    quoted_cells,
)
from newsspider.faultpoints import crash_point
from newsspider.feeds import fsync_dir
from newsspider.history_marks import (  # noqa: F401  (tests and tools name them here too)
    HEALTH_STATS,
    HISTORY_DIR,
    OBSERVATION_TABLES,
    REPORT_FILE,
    TABLES,
    WORKBOOK_FILE,
    WRITTEN_MARK,
    health_counts,
    history_dir_for,
    only_observed_since_written,
    written_mark,
)
from newsspider.items import Article, ArticleRevision, field_names
from newsspider.records import CsvRecordCounter
from newsspider.stablejson import dumps_sorted
from newsspider.state.runtime import parse_iso
from newsspider.state.store import StateStore

ARTICLE_STATE_COLUMNS = [
    "article_key",  # "<site>:<article_id>", the row's identity
    "status",  # "live" or "removed"
    "revision",  # 1 for the first version, +1 per change
    "first_seen",  # first fetched, ISO 8601 UTC
    "last_seen",  # last fetched (200 or 304), ISO 8601 UTC
    "last_changed",  # when the latest revision was seen, ISO 8601 UTC
    "removed_at",  # when it was found gone, else empty
    "removed_reason",  # "http_404", "http_410", "redirected_away"
]
ARTICLES_LATEST_COLUMNS = ARTICLE_STATE_COLUMNS + [
    name for name in field_names(Article) if name not in ARTICLE_STATE_COLUMNS
]
FRONTPAGE_TIMELINE_COLUMNS = [
    "page_url",
    "article_id",
    "article_url",
    "first_seen_on_page",  # first run that saw it on the page, ISO 8601 UTC
    "last_seen_on_page",  # last run that saw it on the page, ISO 8601 UTC
    "on_page_now",  # true when the latest run saw it
    "runs_seen",  # number of runs that saw it there
    "best_position",  # best (lowest) position_on_page
    "best_position_at",  # when it first held that position
    "minutes_on_page",  # lower bound (see module docstring)
    "minutes_in_top_n",  # same, counting only runs with position_on_page <= top_n
    "top_n",
    "blocks",  # blocks it appeared in, e.g. "Latest News | Politics"
    "headline_count",  # distinct headlines seen for it on the page (>1: A/B test or retitle)
    "headlines",  # those headlines, oldest first
    "last_headline",
]
POPULAR_HISTORY_COLUMNS = [
    "list_name",
    "article_id",
    "article_url",
    "stint",  # 1 for the first time in the list, 2 if it came back, …
    "entered_at",  # first run that saw it in the list, ISO 8601 UTC
    "left_at",  # first run that no longer saw it; empty while listed
    "still_listed",
    "runs_listed",
    "minutes_listed",  # lower bound, as for the front page
    "entry_rank",
    "peak_rank",  # best (lowest) rank during the stint
    "peak_rank_at",
    "last_rank",
    "headline",  # latest headline shown in the list
]
REVISION_COLUMNS = field_names(ArticleRevision)
FRONTPAGE_SNAPSHOT_COLUMNS = [
    "run_id",  # the run that looked at the page
    "run_time",  # when that run fetched the page, ISO 8601 UTC
    "page_url",
    "block",
    "position_in_block",
    "position_on_page",
    "headline",
    "article_id",
    "article_url",
]
RUN_COLUMNS = [
    "run_id",
    "spider",
    "start_url",
    "started_at",  # ISO 8601 UTC
    "finished_at",  # ISO 8601 UTC, empty for a run that never finished
    "finish_reason",
    "items",  # items that left the pipelines (exported)
    "rejects",  # items that failed validation
    "failures",  # download errors + HTTP errors (4xx/5xx) + spider errors
    "articles_new",  # first version of an article
    "articles_changed",  # new revision of a known article
]


def minutes_between(start: str, end: str) -> float:
    return round((parse_iso(end) - parse_iso(start)).total_seconds() / 60, 1)


# --- the tables ---------------------------------------------------------------------------------
#
# Every table is a generator over SQLite cursors: rows go one at a time from the state file to
# the exporters, so memory does not grow with the number of articles. The timelines are built
# one listing page / popular list at a time (observations come grouped by page, and each
# observation's slots are read by primary key), so only one page's presence data is held.


def articles_latest(store: StateStore) -> Iterator[dict[str, Any]]:
    names = field_names(Article)
    for state in store.articles():
        yield _article_row(state, names)


def _article_row(state: Any, names: Sequence[str]) -> dict[str, Any]:
    row = {name: state.data.get(name) for name in names}
    row.update(
        article_key=state.article_key,
        status=state.status,
        revision=state.revision,
        first_seen=state.first_seen,
        last_seen=state.last_seen,
        last_changed=state.last_changed,
        removed_at=state.removed_at,
        removed_reason=state.removed_reason,
    )
    return row


# --- articles_latest from the bytes the run rendered ------------------------------------------
#
# A first crawl (or any run that exported new or changed articles) has just rendered each of
# those articles into its own articles.jsonl / articles.csv. Their articles_latest rows are the
# state columns followed by the same Article fields in the same order, rendered by the same
# functions from the data the state pipeline (the last pipeline) stored of that same item: so
# such a row is the state columns rendered here spliced with the run's own line / record, byte
# for byte what rendering the state's copy gives (tests/test_history_run_articles.py).
#
# Which stored version is the run's line: the state pipeline stores an exported article's
# data with ``url`` = the item's URL and ``last_changed`` = its ``crawled_at``; later writes in
# the same run either touch ``last_seen`` only (unchanged) or store another exported line (a
# second line of that URL: such URLs are never spliced). So an article is spliced only when
# exactly one line of the run has its ``url`` and that line's ``crawled_at`` is its
# ``last_changed``; any other article (older, removed since, ...) is rendered from the state.

# the run's lines are cut before this member to read the small ones in front of it (a '"'
# inside a JSON string is always escaped, so the first ',"body":' is the member)
_SPLIT_MEMBER = b',"body":'
_FRONT_MEMBERS = ("run_id", "crawled_at", "url", "article_id", "section", "published_at")


@dataclass(frozen=True)
class RenderedRow:
    """A table row already rendered: its JSONL line and CSV record (in pieces, written as they
    are) and, for the report's figures (:class:`newsspider.report.ArticleFigures`), the
    columns they read."""

    jsonl: tuple[bytes | memoryview, ...]
    csv: tuple[bytes | memoryview, ...]
    row: Mapping[str, Any]


class RunArticles:
    """Where each article's line and record are in a run's ``articles.jsonl`` /
    ``articles.csv`` (offsets, and the line number of each URL's hash): each is read again by
    offset when its row is written, one at a time (not mapped: mapped pages count in the
    process's resident memory)."""

    def __init__(self, run_dir: Path) -> None:
        self.jsonl = run_dir / "articles.jsonl"
        self.csv = run_dir / "articles.csv"
        self.line_ends: array[int] = array("q")
        self.record_ends: array[int] = array("q")  # [0]: the header's
        # each line's hash(url) -> its line number, an open-addressing table in two arrays
        # (at most half full) of 4-byte cells: 16-32 bytes per article, nothing else (a dict
        # would hold ~100 while the table is written; sorting the hashes held ~100 more for a
        # moment). The key is the hash's low 32 bits: a line found for a URL is checked
        # against its URL (:meth:`_spliced`), and two lines with one key are both left to
        # the state (``_TWICE``), so a shorter key never changes a row, it may only render one
        # more from the state (50,000 URLs: ~0.3 such pairs expected). At 50,000 articles the
        # table is 1 MB instead of 2 MB (+1.4 MB of temporaries), at the end of the run's peak
        # (docs/benchmarks/log.md "Session 11 (mem50k)")
        self.url_hashes: array[int] = array("I", [0])
        self.url_lines: array[int] = array("i", [_FREE])
        self.spliced = 0  # rows taken from the run's files

    @classmethod
    def open(cls, run_dir: Path) -> RunArticles | None:
        """The index of the run's article files, or None when they are not written as the
        default FEEDS write them (the CSV header, a line that is not an object with the
        :data:`_FRONT_MEMBERS` before ``body``, not one CSV record per line) or can't be read."""
        names = field_names(Article)
        if "body" not in names or any(
            name not in names[: names.index("body")] for name in _FRONT_MEMBERS
        ):
            return None
        index = cls(run_dir)
        header = ("\ufeff" + quoted_cells([*names, TRUNCATED_COLUMN]) + '"\r\n').encode()
        try:
            with index.jsonl.open("rb") as fh:
                size = 0  # line ends by memchr over chunks (not a line loop: 35 KB lines)
                for chunk in iter(lambda: fh.read(_READ_CHUNK), b""):
                    end = chunk.find(b"\n")
                    while end >= 0:
                        index.line_ends.append(size + end + 1)
                        end = chunk.find(b"\n", end + 1)
                    size += len(chunk)
                if size != (index.line_ends[-1] if index.line_ends else 0):
                    return None  # a last line without its end
                if not index._index_urls(_line_urls(fh.fileno(), index.line_ends)):
                    return None  # not a line of ours
            counter = CsvRecordCounter(index.record_ends)
            with index.csv.open("rb") as fh:
                first = fh.read(len(header))
                counter.update(first)
                for chunk in iter(lambda: fh.read(_READ_CHUNK), b""):
                    counter.update(chunk)
        except (OSError, ValueError):
            return None
        if first != header or len(index.record_ends) != len(index.line_ends) + 1:
            return None
        if counter.tail or counter.odd:
            return None
        return index

    def rows(self, store: StateStore) -> Iterator[Mapping[str, Any] | RenderedRow]:
        """The rows of :func:`articles_latest`, in its order: a :class:`RenderedRow` where the
        run's line is this article's stored version, else the row from the state."""
        names = field_names(Article)
        with self.jsonl.open("rb") as jsonl, self.csv.open("rb") as csv_file:
            for rowid, head in store.article_heads():
                rendered = self._spliced(head, jsonl.fileno(), csv_file.fileno())
                if rendered is not None:
                    self.spliced += 1
                    yield rendered
                    continue
                state = store.article_at(rowid)
                if state is not None:
                    yield _article_row(state, names)

    def _index_urls(self, urls: Iterable[str | None]) -> bool:
        """Fill the table with the URL of each line (:attr:`line_ends`), in order; False
        (the table left empty) at the first None: a line that is not one of ours."""
        size = 2
        while size < 2 * len(self.line_ends):
            size *= 2
        if size > _MAX_LINES:
            return False  # line numbers beyond a 4-byte cell (never in practice)
        free, mask = _FREE, size - 1
        keys, lines = array("I", [0]) * size, array("i", [free]) * size
        for number, url in enumerate(urls):
            if url is None:
                return False
            key = hash(url) & _KEY_MASK
            at = key & mask
            while (found := lines[at]) != free and keys[at] != key:
                at = (at + 1) & mask
            if found == free:
                keys[at] = key
                lines[at] = number
            else:
                lines[at] = _TWICE  # two lines (the URL exported twice, or a hash collision)
        self.url_hashes, self.url_lines = keys, lines
        return True

    def line_of(self, url: str) -> int | None:
        """The number of the one line with this URL's hash; None: none, or more than one."""
        key, keys, lines = hash(url) & _KEY_MASK, self.url_hashes, self.url_lines
        mask = len(keys) - 1
        at = key & mask
        while lines[at] != _FREE:
            if keys[at] == key:
                number = lines[at]
                return None if number == _TWICE else number
            at = (at + 1) & mask
        return None

    def _spliced(self, head: Any, jsonl: int, csv_file: int) -> RenderedRow | None:
        """The row of the article ``head`` from the run's line and record (read by offset:
        ``pread`` on the files ``jsonl`` and ``csv_file``), or None."""
        url = head["url"]
        number = self.line_of(url) if isinstance(url, str) else None
        if number is None:
            return None
        start = self.line_ends[number - 1] if number else 0
        line = os.pread(jsonl, self.line_ends[number] - start, start)
        front = _front(line, 0, len(line) - 1)
        if front is None or front["url"] != url or front["crawled_at"] != head["last_changed"]:
            return None
        state = {name: head[name] for name in ARTICLE_STATE_COLUMNS}
        cells, truncated = csv_cells(state.get, ARTICLE_STATE_COLUMNS, LIST_SEPARATOR)
        start, end = self.record_ends[number], self.record_ends[number + 1]
        record = os.pread(csv_file, end - start, start)
        if truncated or not record.startswith(b'"') or len(record) != end - start:
            return None
        return RenderedRow(
            jsonl=(json_object(state)[:-1] + b",", memoryview(line)[1:]),
            csv=(
                quoted_cells(cells).encode("utf-8", errors="replace") + b'","',
                memoryview(record)[1:],
            ),
            row={"revision": head["revision"], **front},
        )


_FREE, _TWICE = -1, -2  # RunArticles.url_lines: an empty slot; a hash of two lines
_KEY_MASK = 0xFFFFFFFF  # RunArticles.url_hashes: the low 32 bits of hash(url)
# RunArticles.open reads the run's files in chunks of this size: two are alive at a time (the
# next is read while the last is still bound), on top of the end of the run's peak; 1 MB
# chunks held 2 MB, the memchr scan is as fast on 256 KB ones
_READ_CHUNK = 256 << 10
_MAX_LINES = 1 << 31  # RunArticles.url_lines: 4-byte signed cells


def _line_urls(fd: int, line_ends: Sequence[int]) -> Iterator[str | None]:
    """The URL of each line of the run's ``articles.jsonl`` (open as ``fd``), in order; None
    for a line that is not one of ours."""
    start = 0
    for end in line_ends:
        front = _read_front(fd, start, end)
        yield None if front is None else front["url"]
        start = end


_HEAD_BYTES = 8192  # read of a line's start, enough for the members before "body"


def _read_front(fd: int, start: int, end: int) -> dict[str, Any] | None:
    """:func:`_front` of the line ``[start, end)`` (its end included) of the file ``fd``,
    reading only its start where the members before ``body`` fit in it."""
    head = os.pread(fd, min(end - start, _HEAD_BYTES), start)
    if head.find(_SPLIT_MEMBER) < 0 and len(head) < end - start:
        head = os.pread(fd, end - start, start)
    whole = len(head) == end - start
    return _front(head, 0, len(head) - 1 if whole else len(head))


def _front(data: Any, start: int, end: int) -> dict[str, Any] | None:
    """The :data:`_FRONT_MEMBERS` of the run's line ``data[start:end]`` (without its line end),
    read from the members before ``body``; None: not such a line."""
    cut = data.find(_SPLIT_MEMBER, start, end)
    if cut < 0 or data[start : start + 1] != b"{":
        return None
    try:
        members = json.loads(data[start:cut] + b"}")
    except ValueError:
        return None
    if not isinstance(members, dict) or not isinstance(members.get("url"), str):
        return None
    return {name: members.get(name) for name in _FRONT_MEMBERS}


@dataclass
class _Presence:
    """One article across the observations of one page or list."""

    url: str | None = None
    seen: list[int] = field(default_factory=list)  # observation indexes where present
    position: dict[int, int] = field(default_factory=dict)  # index -> best position/rank
    headlines: list[str] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)
    last_headline: str | None = None


def _observed(
    observations: Iterable[Mapping[str, Any]],
    snapshot_rows: Callable[[str, str], Sequence[Mapping[str, Any]]],
    key_column: str,
    position_column: str,
) -> Iterator[tuple[str, list[str], dict[str, _Presence]]]:
    """(page/list, its observation times, article -> presence), one page/list at a time.

    ``observations`` must come grouped by ``key_column`` and oldest first within a group
    (:meth:`StateStore.observations`); ``snapshot_rows(run_id, key)`` gives one snapshot.
    """
    for key, group in groupby(observations, key=lambda obs: str(obs[key_column])):
        times: list[str] = []
        presence: dict[str, _Presence] = {}
        cached_run: str | None = None
        rows: Sequence[Mapping[str, Any]] = ()
        for obs in group:
            index = len(times)
            times.append(obs["crawled_at"])
            if obs["snapshot_run_id"] != cached_run:  # unchanged pages repeat one snapshot
                cached_run = obs["snapshot_run_id"]
                rows = snapshot_rows(str(cached_run), key) if cached_run is not None else ()
            for row in rows:
                ident = row["article_id"] or row["article_url"]
                if not ident:
                    continue
                p = presence.setdefault(ident, _Presence(url=row["article_url"]))
                if not p.seen or p.seen[-1] != index:
                    p.seen.append(index)
                position = row[position_column]
                if position is not None and position < p.position.get(index, 10**9):
                    p.position[index] = position
                headline = row["headline"]
                if headline and headline not in p.headlines:
                    p.headlines.append(headline)
                if headline:
                    p.last_headline = headline
                block = row.get("block")
                if block and block not in p.blocks:
                    p.blocks.append(block)
        yield key, times, presence


def _minutes(times: list[str], indexes: Iterable[int]) -> float:
    """Always a float (0.0 too): one type per column across runs."""
    present = set(indexes)
    return float(
        round(
            sum(
                minutes_between(times[i], times[i + 1])
                for i in sorted(present)
                if i + 1 in present and i + 1 < len(times)
            ),
            1,
        )
    )


def frontpage_timeline(store: StateStore, top_n: int = 10) -> Iterator[dict[str, Any]]:
    """Sorted by page URL (SQL), then best position and first seen (within one page)."""
    observed = _observed(
        store.observations("listing"), store.snapshot_slots, "page_url", "position_on_page"
    )
    for page_url, times, presence in observed:
        rows = []
        for ident, p in presence.items():
            best = min(p.position.values()) if p.position else None
            best_at = min((i for i, pos in p.position.items() if pos == best), default=None)
            top_indexes = [i for i, pos in p.position.items() if pos <= top_n]
            rows.append(
                {
                    "page_url": page_url,
                    "article_id": ident if ident != p.url else None,
                    "article_url": p.url,
                    "first_seen_on_page": times[p.seen[0]],
                    "last_seen_on_page": times[p.seen[-1]],
                    "on_page_now": p.seen[-1] == len(times) - 1,
                    "runs_seen": len(p.seen),
                    "best_position": best,
                    "best_position_at": times[best_at] if best_at is not None else None,
                    "minutes_on_page": _minutes(times, p.seen),
                    "minutes_in_top_n": _minutes(times, top_indexes),
                    "top_n": top_n,
                    "blocks": p.blocks,
                    "headline_count": len(p.headlines),
                    "headlines": p.headlines,
                    "last_headline": p.last_headline,
                }
            )
        rows.sort(key=lambda r: (r["best_position"] or 0, r["first_seen_on_page"]))
        yield from rows


def popular_history(store: StateStore) -> Iterator[dict[str, Any]]:
    """Sorted by list name (SQL), then entry time and peak rank (within one list)."""
    observed = _observed(store.observations("popular"), store.snapshot_entries, "list_name", "rank")
    for list_name, times, presence in observed:
        rows = []
        for ident, p in presence.items():
            stints: list[list[int]] = []
            for index in p.seen:
                if stints and stints[-1][-1] == index - 1:
                    stints[-1].append(index)
                else:
                    stints.append([index])
            for number, stint in enumerate(stints, start=1):
                ranks = {i: p.position[i] for i in stint if i in p.position}
                peak = min(ranks.values()) if ranks else None
                peak_at = min((i for i, r in ranks.items() if r == peak), default=None)
                end = stint[-1] + 1
                rows.append(
                    {
                        "list_name": list_name,
                        "article_id": ident if ident != p.url else None,
                        "article_url": p.url,
                        "stint": number,
                        "entered_at": times[stint[0]],
                        "left_at": times[end] if end < len(times) else None,
                        "still_listed": end >= len(times),
                        "runs_listed": len(stint),
                        "minutes_listed": _minutes(times, stint),
                        "entry_rank": ranks.get(stint[0]),
                        "peak_rank": peak,
                        "peak_rank_at": times[peak_at] if peak_at is not None else None,
                        "last_rank": ranks.get(stint[-1]),
                        "headline": p.last_headline,
                    }
                )
        rows.sort(key=lambda r: (r["entered_at"], r["peak_rank"] or 0))
        yield from rows


def revisions(store: StateStore) -> Iterator[dict[str, Any]]:
    for r in store.revisions():
        yield {**r, "field_name": r["field"]}


def frontpage_snapshots(
    store: StateStore, observations: Iterable[Mapping[str, Any]] | None = None
) -> Iterator[dict[str, Any]]:
    """Every slot of every run, page by page and oldest run first. An unchanged page stores
    no new slots (its observation points at an earlier snapshot): those slots are repeated
    here under the run that saw them, so each run's front page is complete.

    ``observations``: only the rows of these (in table order), for an append
    (:func:`snapshot_rows_since`)."""
    cached: tuple[str | None, str] = (None, "")
    slots: list[dict[str, Any]] = []
    if observations is None:
        observations = store.observations("listing")
    for obs in observations:
        key = (obs["snapshot_run_id"], str(obs["page_url"]))
        if key != cached:
            cached = key
            slots = store.snapshot_slots(str(key[0]), key[1]) if key[0] is not None else []
        for slot in slots:
            yield {
                "run_id": obs["run_id"],
                "run_time": obs["crawled_at"],
                "page_url": obs["page_url"],
                "block": slot["block"],
                "position_in_block": slot["position_in_block"],
                "position_on_page": slot["position_on_page"],
                "headline": slot["headline"],
                "article_id": slot["article_id"],
                "article_url": slot["article_url"],
            }


def runs(store: StateStore) -> Iterator[dict[str, Any]]:
    for run in store.runs():
        counts = json.loads(run.get("counts") or "{}")
        yield {
            "run_id": run["run_id"],
            "spider": run["spider"],
            "start_url": run["start_url"],
            "started_at": run["started_at"],
            "finished_at": run["finished_at"],
            "finish_reason": run["finish_reason"],
            "items": int(counts.get("items", 0)),
            "rejects": int(counts.get("rejects", 0)),
            "failures": int(counts.get("failures", 0)),
            "articles_new": int(counts.get("new", 0)),
            "articles_changed": int(counts.get("changed", 0)),
        }


# --- writing -----------------------------------------------------------------------------------


class _StreamHash:
    """``stable_hash([columns, rows])`` fed one row at a time: the same hex digest, O(1) memory.

    ``json.dumps`` of a list with ``separators=(",", ":")`` is ``[`` + the items joined by
    ``,`` + ``]``, so hashing the pieces in order hashes exactly the same bytes.
    """

    def __init__(self, columns: Sequence[str]) -> None:
        self._sha = hashlib.sha256(b"[")
        self._sha.update(_stable_json(list(columns)))
        self._sha.update(b",[")
        self.rows = 0

    def update(self, row: Mapping[str, Any]) -> None:
        if self.rows:
            self._sha.update(b",")
        self._sha.update(_stable_json(row))
        self.rows += 1

    def hexdigest(self) -> str:
        sha = self._sha.copy()
        sha.update(b"]]")
        return sha.hexdigest()


def _stable_json(data: Any) -> bytes:
    """One value exactly as :func:`newsspider.state.runtime.stable_hash` serialises it."""
    return dumps_sorted(data)


def table_digest(columns: Sequence[str], rows: Iterable[Mapping[str, Any]]) -> tuple[str, int]:
    """(``stable_hash([columns, rows])``, row count), computed without holding the rows."""
    digest = _StreamHash(columns)
    for row in rows:
        digest.update(row)
    return digest.hexdigest(), digest.rows


def write_table(
    out_dir: Path,
    name: str,
    columns: list[str],
    rows: Iterable[Mapping[str, Any] | RenderedRow],
    *,
    digest_rows: bool = True,
) -> tuple[str, int]:
    """``<name>.jsonl`` and ``<name>.csv``, each written to a temp file and renamed into place.

    ``rows`` is read once (it may be a cursor-backed generator): each row goes to both temp
    files as it comes. Returns (``stable_hash([columns, rows])``, row count); without
    ``digest_rows`` the hash is not taken (:data:`UNHASHED` in its place).
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    targets = [
        (out_dir / f"{name}{suffix}", out_dir / f".{name}{suffix}.{os.getpid()}.part", exporter)
        for suffix, exporter in (
            (".jsonl", JsonLinesExporter),
            (".csv", SpreadsheetCsvItemExporter),
        )
    ]
    digest = _StreamHash(columns)
    with ExitStack() as stack:
        handles = []
        try:
            for _, part, exporter_class in targets:
                fh = stack.enter_context(part.open("wb"))
                exporter = exporter_class(fh, fields_to_export=columns)
                exporter.start_exporting()
                handles.append((fh, exporter))
            for row in rows:
                if isinstance(row, RenderedRow):  # already rendered (RunArticles): as it is
                    if digest_rows:
                        raise ValueError("a rendered row can't be hashed (digest_rows=False)")
                    for piece in row.jsonl:
                        handles[0][0].write(piece)
                    for piece in row.csv:  # after the CSV exporter's own rows: it writes through
                        handles[1][0].write(piece)
                    digest.rows += 1
                    continue
                for _, exporter in handles:
                    exporter.export_item(row)
                if digest_rows:
                    digest.update(row)
                else:
                    digest.rows += 1
            for fh, exporter in handles:
                exporter.finish_exporting()
                fh.flush()
                os.fsync(fh.fileno())
        except BaseException:
            stack.close()
            for _, part, _ in targets:
                part.unlink(missing_ok=True)
            raise
    for final, part, _ in targets:
        os.replace(part, final)
    fsync_dir(out_dir)
    return (digest.hexdigest() if digest_rows else UNHASHED), digest.rows


def pid_alive(pid: int) -> bool:
    """Is a process with this id running (on this machine)?"""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def remove_stale_parts(out_dir: Path) -> list[Path]:
    """Delete ``.<table>.<ext>.<pid>.part`` files a killed rebuild left behind.

    The pid in the name says whose file it is: a rebuild still running keeps its files.
    """
    removed: list[Path] = []
    if not out_dir.is_dir():
        return removed
    for part in out_dir.glob(".*.part"):
        pid_text = part.name.removesuffix(".part").rsplit(".", 1)[-1]
        if not pid_text.isdigit() or (int(pid_text) != os.getpid() and pid_alive(int(pid_text))):
            continue
        part.unlink(missing_ok=True)
        removed.append(part)
    return removed


def build_history(
    store: StateStore, top_n: int = 10
) -> dict[str, tuple[list[str], Callable[[], Iterator[dict[str, Any]]]]]:
    """Every history table: name -> (columns, a function giving a fresh row iterator)."""
    return {
        "articles_latest": (ARTICLES_LATEST_COLUMNS, lambda: articles_latest(store)),
        "frontpage_timeline": (
            FRONTPAGE_TIMELINE_COLUMNS,
            lambda: frontpage_timeline(store, top_n),
        ),
        "popular_history": (POPULAR_HISTORY_COLUMNS, lambda: popular_history(store)),
        "revisions": (REVISION_COLUMNS, lambda: revisions(store)),
        "frontpage_snapshots": (FRONTPAGE_SNAPSHOT_COLUMNS, lambda: frontpage_snapshots(store)),
        "runs": (RUN_COLUMNS, lambda: runs(store)),
    }


APPEND_MARK = "history_append"  # state meta: how far an appendable table was written
APPENDED = "appended"  # its history_hash after an append (see write_history)
# the history_hash of a table written with its basis: the basis alone decides whether it is
# written again (a digest of every row, only ever compared when the basis is lost, cost ~2%
# of an unchanged recrawl for the front-page timeline, rewritten every run)
UNHASHED = "unhashed"

# the state tables each history table is derived from (their write counters: table_versions)
SOURCES = {
    "articles_latest": ("articles",),
    "frontpage_timeline": ("listing_observations", "frontpage_slots"),
    "popular_history": ("popular_observations", "popular_entries"),
    "revisions": ("revisions",),
    "frontpage_snapshots": ("listing_observations", "frontpage_slots"),
    "runs": ("runs",),
}


def table_basis(versions: Mapping[str, int], name: str, top_n: int) -> str:
    """What a history table's rows depend on: its source tables' write counters (and top N).

    Equal bases mean equal rows, so a table whose basis is the one it was last written with
    is neither read nor rewritten: the end of a run costs what the run changed.
    """
    basis: dict[str, Any] = {table: versions.get(table, 0) for table in SOURCES[name]}
    if name == "frontpage_timeline":
        basis["top_n"] = top_n
    return json.dumps(basis, sort_keys=True)


# --- appending to frontpage_snapshots ----------------------------------------------------------
#
# frontpage_snapshots grows by a whole front page per run (about 1,000 rows for a big site),
# also when nothing changed, so rewriting it made the end of every run cost the site's whole
# history. Its rows come from listing_observations (and the slots they point at) in the order
# (page_url, crawled_at, rowid), and rows are only ever added there: when the rows added since
# the table was written all sort after the last one written, the table is the old file plus
# their rows, which are appended instead. The mark kept with the file says how far it went.


def snapshot_mark(store: StateStore) -> dict[str, Any]:
    """Where frontpage_snapshots stands now: what :func:`snapshot_rows_since` needs later."""
    db = store.db
    obs = db.execute("SELECT COUNT(*), MAX(rowid) FROM listing_observations").fetchone()
    last = db.execute(
        "SELECT page_url, crawled_at, rowid FROM listing_observations"
        " ORDER BY page_url DESC, crawled_at DESC, rowid DESC LIMIT 1"
    ).fetchone()
    slots = db.execute("SELECT COUNT(*), MAX(rowid) FROM frontpage_slots").fetchone()
    versions = store.table_versions()
    return {
        "observations": [int(obs[0]), int(obs[1] or 0)],
        "last": list(last) if last is not None else None,
        "slots": [int(slots[0]), int(slots[1] or 0)],
        "versions": [versions.get(t, 0) for t in SOURCES["frontpage_snapshots"]],
        "columns": FRONTPAGE_SNAPSHOT_COLUMNS,  # another version's columns: written whole
    }


def snapshot_rows_since(store: StateStore, mark: Mapping[str, Any]) -> list[dict[str, Any]] | None:
    """The frontpage_snapshots rows added since ``mark`` (:func:`snapshot_mark`), when the
    table is exactly the table at ``mark`` followed by them; None when it is not (a row
    replaced, updated or deleted, a new row that sorts before the last one written, an
    unknown mark): the table must then be written whole.

    Every write to a source table bumps its counter (table_versions): the counters moved by
    exactly the number of rows added after the mark's last rowids, and the rows up to those
    rowids are all still there, so no other row changed.
    """
    try:
        count, max_rowid = (int(v) for v in mark["observations"])
        slot_count, max_slot = (int(v) for v in mark["slots"])
        old_obs_version, old_slot_version = (int(v) for v in mark["versions"])
        last = mark["last"]
    except (KeyError, TypeError, ValueError):
        return None
    if mark.get("columns") != FRONTPAGE_SNAPSHOT_COLUMNS:
        return None
    db = store.db
    versions = store.table_versions()
    obs_version, slot_version = (versions.get(t, 0) for t in SOURCES["frontpage_snapshots"])
    kept = db.execute(
        "SELECT COUNT(*) FROM listing_observations WHERE rowid <= ?", (max_rowid,)
    ).fetchone()[0]
    kept_slots, added_slots = db.execute(
        "SELECT COUNT(*) FILTER (WHERE rowid <= ?), COUNT(*) FILTER (WHERE rowid > ?)"
        " FROM frontpage_slots",
        (max_slot, max_slot),
    ).fetchone()
    if kept != count or kept_slots != slot_count or added_slots != slot_version - old_slot_version:
        return None
    added = [
        dict(row)
        for row in db.execute(
            "SELECT rowid AS _rowid, * FROM listing_observations WHERE rowid > ?"
            " ORDER BY page_url, crawled_at, rowid",
            (max_rowid,),
        )
    ]
    if len(added) != obs_version - old_obs_version:
        return None
    if added and last is not None:
        first = (added[0]["page_url"], added[0]["crawled_at"], added[0]["_rowid"])
        if None in first or None in last or first <= tuple(last):
            return None
    return list(frontpage_snapshots(store, added))


def _append_table(
    out_dir: Path, name: str, columns: list[str], rows: Sequence[Mapping[str, Any]]
) -> None:
    """``<name>.jsonl`` and ``<name>.csv`` with ``rows`` added at the end: each old file is
    copied to a temp file, the rows appended, and the copy renamed into place (a reader never
    sees half a row)."""
    targets = []
    try:
        for suffix, exporter_class in (
            (".jsonl", JsonLinesExporter),
            (".csv", SpreadsheetCsvItemExporter),
        ):
            final = out_dir / f"{name}{suffix}"
            part = out_dir / f".{name}{suffix}.{os.getpid()}.part"
            targets.append((final, part))
            shutil.copyfile(final, part)
            with part.open("ab") as fh:
                exporter = exporter_class(fh, fields_to_export=columns)
                if isinstance(exporter, SpreadsheetCsvItemExporter):
                    exporter.columns = list(columns)  # the BOM and header are in the copy
                for row in rows:
                    exporter.export_item(row)
                if isinstance(exporter, SpreadsheetCsvItemExporter):
                    exporter.finish_exporting()
                fh.flush()
                os.fsync(fh.fileno())
    except BaseException:
        for _, part in targets:
            part.unlink(missing_ok=True)
        raise
    for final, part in targets:
        os.replace(part, final)
    fsync_dir(out_dir)


def write_history(
    store: StateStore,
    out_dir: Path,
    top_n: int = 10,
    *,
    force: bool = False,
    report: bool = True,
    run_dir: Path | None = None,
    counts: dict[str, int] | None = None,
) -> dict[str, int]:
    """Refresh every table under ``out_dir``; returns rows per table.

    ``run_dir``: the folder of the run that just finished, with the default FEEDS' files: the
    ``articles_latest`` rows of the articles it exported are taken from its own files
    (:class:`RunArticles`) instead of being rendered again from the state; ``counts`` gets
    how many (``articles_from_run``).

    Three levels, cheapest first (``force`` skips the first two):

    1. a table whose source tables were not written since it was (:func:`table_basis`, kept
       in the state with its hash and row count) is left as it is, without reading a row;
    2. a table without a known basis (written by an older version) has its rows hashed
       (streamed); rows exactly those written last time (the hash kept in the state) are not
       rewritten;
    3. any other table is read once more, to be written (with its basis, and without a hash
       of its rows: :data:`UNHASHED`). Rows are never all in memory.

    Temp files of an earlier rebuild that was killed are removed first. With ``report``,
    ``history.xlsx`` and ``report.html`` are refreshed when a table changed (or either file is
    missing): :func:`newsspider.report.refresh`, which reuses the workbook sheets of the
    tables that did not change. When ``articles_latest`` is to be written (a first crawl,
    changed articles), ``history.xlsx`` is written by a forked child meanwhile
    (:class:`newsspider.report.WorkbookChild`), and its error raised here.
    """
    written: dict[str, int] = {}
    remove_stale_parts(out_dir)
    versions = store.table_versions()
    workbook = None
    checkpoint: threading.Thread | None = None
    if report and articles_certainly_written(store, out_dir, versions, top_n, force=force):
        from newsspider.report import WorkbookChild, can_fork

        if can_fork():  # history.xlsx on the other core (report.WorkbookChild)
            workbook = WorkbookChild(store.path, out_dir, top_n, reuse=not force)
            # the run's commit left the whole run in the WAL (StateStore.commit_run): it is
            # copied into the state file meanwhile, by a thread (only now: after the fork)
            checkpoint = store.checkpoint_in_thread()
    try:
        changed = _write_tables(
            store, out_dir, top_n, versions, written, force, report, run_dir=run_dir, counts=counts
        )
        if report:
            from newsspider.report import refresh, write_report

            if workbook is not None:
                write_report(store, out_dir, top_n)
            elif changed or not all((out_dir / f).exists() for f in (REPORT_FILE, WORKBOOK_FILE)):
                refresh(store, out_dir, top_n, reuse=not force)
    except BaseException:
        if workbook is not None:
            workbook.wait(check=False)  # this error is the one to report
        if checkpoint is not None:
            checkpoint.join()
        raise
    if workbook is not None:
        workbook.wait()
    if checkpoint is not None:
        checkpoint.join()
    # last, and with the counters read before the first table: only a refresh that went all
    # the way through lets a later run that changed nothing leave the folder alone
    store.set_meta(f"{WRITTEN_MARK}:{out_dir.resolve()}", written_mark(versions, top_n, report))
    return written


def articles_certainly_written(
    store: StateStore, out_dir: Path, versions: Mapping[str, int], top_n: int, *, force: bool
) -> bool:
    """Will :func:`write_history` write ``articles_latest`` (the big table: a first crawl,
    changed articles), and so ``history.xlsx`` too? The first test of its table loop."""
    name = "articles_latest"
    prefix = f"{out_dir.resolve()}:"
    fresh = all((out_dir / f"{name}{suffix}").exists() for suffix in (".jsonl", ".csv"))
    if force or not fresh or store.meta(f"history_hash:{prefix}{name}") is None:
        return True
    kept = store.meta(f"history_basis:{prefix}{name}")
    return kept is not None and kept.split("\n", 1)[0] != table_basis(versions, name, top_n)


def _write_tables(
    store: StateStore,
    out_dir: Path,
    top_n: int,
    versions: Mapping[str, int],
    written: dict[str, int],
    force: bool,
    report: bool,
    *,
    run_dir: Path | None = None,
    counts: dict[str, int] | None = None,
) -> bool:
    """The six tables (see :func:`write_history`); True when one of them was written."""
    changed = force
    prefix = f"{out_dir.resolve()}:"
    for name, (columns, rows) in build_history(store, top_n).items():
        meta_key = f"history_hash:{prefix}{name}"
        basis_key = f"history_basis:{prefix}{name}"
        mark_key = f"{APPEND_MARK}:{prefix}{name}"
        basis = table_basis(versions, name, top_n)
        fresh = all((out_dir / f"{name}{suffix}").exists() for suffix in (".jsonl", ".csv"))
        stored = store.meta(meta_key)
        if not force and fresh and stored is not None:
            kept = store.meta(basis_key)
            if kept is not None and kept.split("\n", 1)[0] == basis:
                written[name] = int(kept.split("\n", 1)[1])
                continue
            if kept is not None and name == "frontpage_snapshots":
                mark = json.loads(store.meta(mark_key) or "{}")
                added = snapshot_rows_since(store, mark) if mark else None
                if added is not None:
                    # an append can't be repeated: a kill before the new mark is kept must
                    # leave no mark (the next run then writes the table whole)
                    store.set_meta(mark_key, "{}")
                    _append_table(out_dir, name, columns, added)
                    count = int(kept.split("\n", 1)[1]) + len(added)
                    # no hash of the whole table without reading it: a basis that is lost
                    # later makes the table written whole (this never equals a digest)
                    store.set_meta(meta_key, APPENDED)
                    store.set_meta(basis_key, f"{basis}\n{count}")
                    store.set_meta(mark_key, json.dumps(snapshot_mark(store)))
                    written[name] = count
                    changed = True
                    crash_point("during_history")
                    continue
            # a known basis that moved: its sources were written, so the rows are read once,
            # to be written; an unknown one (files of an older version): the hash decides
            digest, count = table_digest(columns, rows()) if kept is None else ("", 0)
            if digest == stored:
                store.set_meta(basis_key, f"{basis}\n{count}")
                if name == "frontpage_snapshots":
                    store.set_meta(mark_key, json.dumps(snapshot_mark(store)))
                written[name] = count
                continue
        if name == "frontpage_snapshots":
            store.set_meta(mark_key, "{}")  # until the new file and its mark are both kept
        table_rows: Iterable[Mapping[str, Any] | RenderedRow] = rows()
        run_articles = RunArticles.open(run_dir) if name == "articles_latest" and run_dir else None
        if run_articles is not None:
            table_rows = run_articles.rows(store)
        if name == "articles_latest" and report:
            from newsspider.report import ArticleFigures

            # the report's per-article figures from the rows written here: one read of the
            # articles instead of two (report._collect_articles then finds them kept)
            table_rows = ArticleFigures().observe(table_rows, store, top_n)
        digest, count = write_table(out_dir, name, columns, table_rows, digest_rows=False)
        if run_articles is not None and counts is not None:
            counts["articles_from_run"] = run_articles.spliced
        store.set_meta(meta_key, digest)
        store.set_meta(basis_key, f"{basis}\n{count}")
        if name == "frontpage_snapshots":
            store.set_meta(mark_key, json.dumps(snapshot_mark(store)))
        written[name] = count
        changed = True
        crash_point("during_history")
    return changed
