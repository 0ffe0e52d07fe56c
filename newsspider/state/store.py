"""The crawl state: one SQLite file per site (see :mod:`newsspider.state.paths`).

Tables (``schema_version`` 1):

* ``runs`` - one row per crawl: spider, start URL, start/finish time, finish reason.
* ``urls`` - per fetched URL: first seen, last fetch, HTTP status, ETag / Last-Modified,
  SHA-256 of the body, and the article it holds (``article_key``).
* ``articles`` - per article (``<site>:<article_id>``): first/last seen, last change, revision
  number, content hash, live/removed, and the last exported version as JSON (``data``).
* ``revisions`` - one row per changed field of every revision after the first.
* ``listing_observations`` / ``frontpage_slots`` - every run's look at a listing page; the slots
  are stored only when they differ from the page's previous snapshot (``snapshot_run_id`` says
  which run's slots the page showed).
* ``popular_observations`` / ``popular_entries`` - the same for ranked popular lists.

All times are ISO 8601 UTC strings (sortable as text).

A crawl writes inside **one transaction per run** (:meth:`StateStore.begin_run` ...
:meth:`StateStore.commit_run`), committed only after the run's export files are complete and
its manifest is written (newsspider/extensions.py). A run that dies (killed, disk full, a
reconciliation mismatch) commits nothing: the next run fetches and exports what it had seen.
Tools that only read (``newsspider due``, history) work beside a running crawl (WAL).

A damaged or foreign file is refused when it is opened (:class:`StateFileError`, one line
saying what to do) instead of being half-used.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsspider.stablejson import dumps_sorted

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS runs (
    run_id TEXT PRIMARY KEY, spider TEXT, start_url TEXT, started_at TEXT,
    finished_at TEXT, finish_reason TEXT, counts TEXT
);
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY, article_key TEXT, first_seen TEXT, last_seen TEXT, last_fetch TEXT,
    last_status INTEGER, etag TEXT, last_modified TEXT, body_hash TEXT
);
CREATE TABLE IF NOT EXISTS articles (
    article_key TEXT PRIMARY KEY, site TEXT, article_id TEXT, url TEXT, first_seen TEXT,
    last_seen TEXT, last_changed TEXT, revision INTEGER, content_hash TEXT, status TEXT,
    removed_at TEXT, removed_reason TEXT, data TEXT
);
CREATE TABLE IF NOT EXISTS revisions (
    article_key TEXT, revision INTEGER, field TEXT, run_id TEXT, crawled_at TEXT,
    article_id TEXT, site TEXT, url TEXT, change TEXT, changed_fields TEXT,
    old_value TEXT, new_value TEXT,
    PRIMARY KEY (article_key, revision, field)
);
CREATE TABLE IF NOT EXISTS listing_observations (
    run_id TEXT, page_url TEXT, crawled_at TEXT, slots_hash TEXT, snapshot_run_id TEXT,
    PRIMARY KEY (run_id, page_url)
);
CREATE TABLE IF NOT EXISTS frontpage_slots (
    run_id TEXT, page_url TEXT, crawled_at TEXT, position_on_page INTEGER, block TEXT,
    position_in_block INTEGER, headline TEXT, teaser TEXT, article_url TEXT, article_id TEXT,
    PRIMARY KEY (run_id, page_url, position_on_page)
);
CREATE TABLE IF NOT EXISTS popular_observations (
    run_id TEXT, list_name TEXT, crawled_at TEXT, entries_hash TEXT, snapshot_run_id TEXT,
    PRIMARY KEY (run_id, list_name)
);
CREATE TABLE IF NOT EXISTS popular_entries (
    run_id TEXT, list_name TEXT, crawled_at TEXT, rank INTEGER, headline TEXT,
    article_url TEXT, article_id TEXT,
    PRIMARY KEY (run_id, list_name, rank)
);
CREATE INDEX IF NOT EXISTS urls_article ON urls (article_key);
-- the articles in the history's order (StateStore.articles / article_heads) without a sort:
-- SQLite's sorter holds every key in memory up to 250 pages (4 MB with 16 KB pages), i.e. all
-- of them up to ~50,000 articles, at the end of the run's peak (docs/benchmarks/log.md "Session
-- 11 (mem50k)"); an older state file gets it at its next open (one sort, then none)
CREATE INDEX IF NOT EXISTS articles_first_seen ON articles (first_seen, article_key);
CREATE TABLE IF NOT EXISTS table_versions (name TEXT PRIMARY KEY, version INTEGER NOT NULL);
-- each story's publication time for report.html (newsspider/report.py, ArticleFigures)
CREATE TABLE IF NOT EXISTS report_published (story TEXT PRIMARY KEY, published_us INTEGER)
    WITHOUT ROWID;
"""
# Tables the history is derived from: each write bumps the table's counter in table_versions
# (a trigger, in the writing transaction), so the end of a run can tell which history tables
# can't have changed without reading them (newsspider/history.py, :meth:`table_versions`).
VERSIONED_TABLES = (
    "runs",
    "articles",
    "revisions",
    "listing_observations",
    "frontpage_slots",
    "popular_observations",
    "popular_entries",
)
SCHEMA += "".join(
    f"CREATE TRIGGER IF NOT EXISTS {table}_{event.lower()}_version AFTER {event} ON {table}"
    f" BEGIN INSERT INTO table_versions (name, version) VALUES ('{table}', 1)"
    " ON CONFLICT (name) DO UPDATE SET version = version + 1; END;\n"
    for table in VERSIONED_TABLES
    for event in ("INSERT", "UPDATE", "DELETE")
)


# the columns of UrlState, in its field order (a state file may hold more columns)
_URL_COLUMNS = (
    "url, article_key, first_seen, last_seen, last_fetch, last_status, etag, last_modified,"
    " body_hash"
)
# URLs per ``WHERE url IN (...)`` query (SQLite's default limit of bound variables is 32,766
# since 3.32; older builds allow 999)
_IN_CHUNK = 500
# URL states kept for requests on their way (:meth:`StateStore.url_state` ``keep``); beyond
# this many (requests dropped before their response: failed downloads) the kept states are
# let go at once and read again when asked: a bound, never a change of answer
KEEP_MAX = 10_000
# SQLite page size of a NEW state file. A run is one transaction whose WAL holds every page it
# writes (an article's row is ~40 KB of JSON: ~10 pages of 4 KB), and the WAL's index (the
# `-shm` file, mapped by the crawling process: ~8 bytes per page in the WAL) grows with the
# run. 16 KB pages cut it ~4x (~3.7 -> ~1 MB at 50,000 articles). An existing file keeps its
# page size: SQLite changes it only with a VACUUM, which newsspider never runs.
PAGE_SIZE = 16_384


@dataclass(frozen=True)
class UrlState:
    url: str
    article_key: str | None
    first_seen: str | None
    last_seen: str | None
    last_fetch: str | None
    last_status: int | None
    etag: str | None
    last_modified: str | None
    body_hash: str | None


@dataclass(frozen=True)
class ArticleState:
    article_key: str
    site: str | None
    article_id: str | None
    url: str | None
    first_seen: str
    last_seen: str
    last_changed: str
    revision: int
    content_hash: str
    status: str  # "live" | "removed"
    removed_at: str | None
    removed_reason: str | None
    data: dict[str, Any]


@dataclass(frozen=True)
class Snapshot:
    """The latest snapshot of a listing page or popular list: its hash and the run holding it."""

    content_hash: str
    run_id: str


class StateFileError(Exception):
    """The state file can't be used (damaged, foreign, newer, locked): one line, what to do."""


def _schema_columns() -> dict[str, set[str]]:
    """The columns each table must have, read from SCHEMA itself (an in-memory database)."""
    db = sqlite3.connect(":memory:")
    try:
        db.executescript(SCHEMA)
        tables = [
            str(r[0]) for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")
        ]
        return {t: {str(r[1]) for r in db.execute(f"PRAGMA table_info({t})")} for t in tables}
    finally:
        db.close()


# a file of another program (or an incompatible layout) is refused instead of written into
_REQUIRED_COLUMNS = _schema_columns()


class StateWriteError(Exception):
    """The state file failed under a running crawl (disk full, I/O error): the run fails."""


class _Connection(sqlite3.Connection):
    """A connection that reports a failing statement once to ``on_error`` (the run's fail).

    Disk full, an I/O error or a file damaged under a running crawl can't be recovered by
    the statement's caller; the run fails as a whole (nothing of it is committed).
    """

    on_error: Callable[[Exception], None] | None = None

    def execute(self, *args: Any, **kwargs: Any) -> sqlite3.Cursor:
        try:
            return super().execute(*args, **kwargs)
        except sqlite3.Error as exc:
            raise self._failed(exc) from exc

    def executemany(self, *args: Any, **kwargs: Any) -> sqlite3.Cursor:
        try:
            return super().executemany(*args, **kwargs)
        except sqlite3.Error as exc:
            raise self._failed(exc) from exc

    def _failed(self, exc: sqlite3.Error) -> Exception:
        if self.on_error is None or isinstance(exc, sqlite3.ProgrammingError):
            return exc
        error = StateWriteError(f"state file error: {exc}")
        self.on_error(error)
        return error


def _checkpoint(path: Path) -> None:
    """A passive checkpoint of the state file at ``path``; a failure leaves the WAL as it
    is, for the next checkpoint (at the last close, or the next run's)."""
    with contextlib.suppress(sqlite3.Error):
        db = sqlite3.connect(path, timeout=30.0)
        try:
            db.execute("PRAGMA wal_checkpoint(PASSIVE)")
        finally:
            db.close()


class StateStore:
    """Thin, typed access to the state file. One instance per crawl process."""

    def __init__(
        self, path: str | Path, *, on_error: Callable[[Exception], None] | None = None
    ) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.in_run = False
        # canonical URL -> its state as read for a request on its way (None: unknown URL),
        # until the request is answered or the URL is written (see url_state)
        self._kept: dict[str, UrlState | None] = {}
        self.db = sqlite3.connect(
            self.path, isolation_level=None, timeout=30.0, factory=_Connection
        )
        self.db.row_factory = sqlite3.Row
        try:
            self._open()
            self.db.on_error = on_error  # only now: problems at open are StateFileError
        except sqlite3.DatabaseError as exc:
            self.db.close()
            if isinstance(exc, sqlite3.OperationalError):  # disk full, read-only, locked
                raise StateFileError(
                    f"cannot use the state file {self.path} ({exc}); free space or fix the"
                    " folder's permissions, or choose another NEWSSPIDER_STATE_DIR"
                ) from None
            raise StateFileError(self._damaged(str(exc))) from None
        except StateFileError:
            self.db.close()
            raise

    def _damaged(self, detail: str) -> str:
        return (
            f"the state file {self.path} is damaged or not a newsspider state file ({detail});"
            " move it aside (the next run then starts from scratch and exports everything)"
        )

    def _open(self) -> None:
        self.db.execute(f"PRAGMA page_size = {PAGE_SIZE}")  # a new, empty file only
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        check = [str(r[0]) for r in self.db.execute("PRAGMA quick_check")]
        if check != ["ok"]:
            problem = " ".join(check[0].replace("*** in database main ***", "").split())
            raise StateFileError(self._damaged(f"integrity check: {problem[:120]}"))
        existing = {
            str(r[0])
            for r in self.db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
        for table, columns in _REQUIRED_COLUMNS.items():
            if table not in existing:
                continue
            have = {str(r[1]) for r in self.db.execute(f"PRAGMA table_info({table})")}
            if not columns <= have:
                missing = ", ".join(sorted(columns - have))
                raise StateFileError(self._damaged(f"table {table} lacks {missing}"))
        if existing and "meta" not in existing:
            raise StateFileError(self._damaged("no meta table"))
        # one transaction: one WAL copy of each schema page, not one per statement
        self.db.executescript(f"BEGIN;\n{SCHEMA}COMMIT;\n")
        version = self.meta("schema_version")
        if version is None:
            self.set_meta("schema_version", str(SCHEMA_VERSION))
        elif not version.isdigit() or int(version) > SCHEMA_VERSION:
            raise StateFileError(
                f"the state file {self.path} has schema {version}, not one this newsspider"
                f" knows ({SCHEMA_VERSION}); upgrade newsspider or move the file aside"
            )

    def close(self) -> None:
        """Close; a run still open is rolled back (it never reached its commit)."""
        self._kept.clear()
        if self.in_run:
            self.in_run = False
            with contextlib.suppress(sqlite3.Error, StateWriteError):
                sqlite3.Connection.execute(self.db, "ROLLBACK")
        self.db.close()

    # --- the run's transaction --------------------------------------------------------------

    def begin_run(self) -> None:
        """Start the run's one transaction (fails at once if another crawl holds the file)."""
        try:
            self.db.execute("PRAGMA busy_timeout = 2000")
            # the run's one commit syncs the WAL itself (commit_run); can't be set inside it
            self.db.execute("PRAGMA synchronous=FULL")
            self.db.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise StateFileError(
                f"the state file {self.path} is in use by another crawl of this site ({exc});"
                " wait for it to finish (one crawl per site at a time)"
            ) from None
        finally:
            self.db.execute("PRAGMA busy_timeout = 30000")
        self.in_run = True

    def commit_run(self) -> None:
        """Make the run's changes durable, all at once.

        Durable when this returns: ``synchronous=FULL`` (set by :meth:`begin_run`) makes
        SQLite sync the WAL at this COMMIT. SQLite's automatic checkpoint (copying the WAL
        into the database file, then syncing it) is not run inside it: the whole run is in
        the WAL, so that is ~1 s of writes and an fsync for a 2,000-article first crawl, on
        the end of the run's path. It runs later: :meth:`checkpoint_in_thread` (the history
        refresh starts it once its workbook writer is forked), else SQLite's own at the last
        :meth:`close`. A kill before it loses nothing: the WAL is kept until one completes.
        """
        if self.in_run:
            self.db.execute("PRAGMA wal_autocheckpoint=0")  # this connection's, until close
            self.db.execute("COMMIT")
            self.in_run = False
            # committed: a failure from here on must not fail the run (nothing is lost)
            with contextlib.suppress(sqlite3.Error):
                sqlite3.Connection.execute(self.db, "PRAGMA synchronous=NORMAL")

    def checkpoint_in_thread(self) -> threading.Thread:
        """Start copying the WAL into the database file on a thread of its own, with its own
        connection (join it; a passive checkpoint: readers and writers go on, and SQLite
        leaves the GIL while it copies and syncs). Never before a fork: the child would
        inherit SQLite's locks as the thread held them."""
        thread = threading.Thread(
            target=_checkpoint, args=(self.path,), name="state-checkpoint", daemon=True
        )
        thread.start()
        return thread

    def rollback_run(self) -> None:
        self._kept.clear()
        if self.in_run:
            self.in_run = False
            self.db.execute("ROLLBACK")
            self.db.execute("PRAGMA synchronous=NORMAL")

    def __enter__(self) -> StateStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- meta and runs ----------------------------------------------------------------------

    def meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row["value"])

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    def start_run(self, run_id: str, spider: str, start_url: str | None, started_at: str) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO runs (run_id, spider, start_url, started_at) VALUES (?,?,?,?)",
            (run_id, spider, start_url, started_at),
        )

    def finish_run(
        self, run_id: str, finished_at: str, reason: str, counts: Mapping[str, int]
    ) -> None:
        self.db.execute(
            "UPDATE runs SET finished_at = ?, finish_reason = ?, counts = ? WHERE run_id = ?",
            (finished_at, reason, json.dumps(dict(counts), sort_keys=True), run_id),
        )

    def table_versions(self) -> dict[str, int]:
        """Write counters of :data:`VERSIONED_TABLES` (0: never written since they exist)."""
        versions = dict.fromkeys(VERSIONED_TABLES, 0)
        for row in self.db.execute("SELECT name, version FROM table_versions"):
            versions[str(row["name"])] = int(row["version"])
        return versions

    def runs(self) -> list[dict[str, Any]]:
        return [dict(r) for r in self.db.execute("SELECT * FROM runs ORDER BY started_at")]

    # --- URLs ------------------------------------------------------------------------------

    def url_state(self, url: str, *, keep: bool = False, release: bool = False) -> UrlState | None:
        """What the state knows of ``url`` (None: never fetched nor linked).

        An article request asks up to three times (the spider middleware's due check, the
        downloader middleware's validators, then its response) and nothing in between can
        change the answer unless the URL itself is written: ``keep`` remembers the answer
        for the request on its way, a later ask gets it without a query, ``release`` (the
        request's last ask) lets it go. Every write of the URL (:meth:`record_fetch`,
        :meth:`link_url`, :meth:`forget_validators`) drops the kept answer first.
        """
        if url in self._kept:
            return self._kept.pop(url) if release else self._kept[url]
        row = self.db.execute(f"SELECT {_URL_COLUMNS} FROM urls WHERE url = ?", (url,)).fetchone()
        state = None if row is None else UrlState(*row)
        if keep and not release:
            self.keep_states({url: state})
        return state

    def states_of(self, urls: Iterable[str], *, keep: bool = False) -> dict[str, UrlState | None]:
        """:meth:`url_state` of many URLs (the article links of one page) in one query per
        :data:`_IN_CHUNK`; ``keep`` as there."""
        states: dict[str, UrlState | None] = {}
        missing = []
        for url in urls:
            if url in self._kept:
                states[url] = self._kept[url]
            elif url not in states:
                states[url] = None
                missing.append(url)
        for start in range(0, len(missing), _IN_CHUNK):
            chunk = missing[start : start + _IN_CHUNK]
            marks = ",".join("?" * len(chunk))
            query = f"SELECT {_URL_COLUMNS} FROM urls WHERE url IN ({marks})"
            for row in self.db.execute(query, chunk):
                states[row[0]] = UrlState(*row)
        if keep:
            self.keep_states(states)
        return states

    def keep_states(self, states: Mapping[str, UrlState | None]) -> None:
        """Keep these answers (read by :meth:`states_of`) for the requests on their way."""
        if len(self._kept) + len(states) > KEEP_MAX:
            self._kept.clear()  # requests that never got a response: read again if asked
        self._kept.update(states)

    def record_fetch(
        self,
        url: str,
        now: str,
        status: int,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        body_hash: str | None = None,
        article_key: str | None = None,
    ) -> None:
        """A response for ``url`` arrived (200, 304, 404 ...). Validators/hash kept if None.

        With ``article_key``, also :meth:`link_url` in the same statement (the page of a
        recorded Article: one write instead of two, the same row)."""
        self._kept.pop(url, None)
        if article_key is not None:
            self.db.execute(
                _FETCH_AND_LINK, (url, article_key, now, status, etag, last_modified, body_hash)
            )
            return
        self.db.execute(
            """
            INSERT INTO urls (url, first_seen, last_seen, last_fetch, last_status, etag,
                              last_modified, body_hash)
            VALUES (:url, :now, :now, :now, :status, :etag, :lm, :hash)
            ON CONFLICT (url) DO UPDATE SET
                last_seen = :now, last_fetch = :now, last_status = :status,
                etag = COALESCE(:etag, etag), last_modified = COALESCE(:lm, last_modified),
                body_hash = COALESCE(:hash, body_hash)
            """,
            {
                "url": url,
                "now": now,
                "status": status,
                "etag": etag,
                "lm": last_modified,
                "hash": body_hash,
            },
        )

    def forget_validators(self, url: str) -> None:
        """Drop ETag, Last-Modified and body hash: the next fetch of ``url`` is parsed in full
        (a removed article that comes back unchanged must still be seen as restored)."""
        self._kept.pop(url, None)
        self.db.execute(
            "UPDATE urls SET etag = NULL, last_modified = NULL, body_hash = NULL WHERE url = ?",
            (url,),
        )

    def link_url(self, url: str, article_key: str, now: str) -> None:
        """``url`` holds article ``article_key`` (creates the URL row if needed)."""
        self._kept.pop(url, None)
        self.db.execute(
            """
            INSERT INTO urls (url, article_key, first_seen, last_seen) VALUES (?, ?, ?, ?)
            ON CONFLICT (url) DO UPDATE SET article_key = excluded.article_key
            """,
            (url, article_key, now, now),
        )

    def due_urls(self) -> Iterator[UrlState]:
        """Every known article URL (for building a refetch list)."""
        rows = self.db.execute(
            "SELECT * FROM urls WHERE article_key IS NOT NULL ORDER BY first_seen, url"
        )
        for row in rows:
            yield UrlState(**dict(row))

    # --- articles --------------------------------------------------------------------------

    def article(self, article_key: str) -> ArticleState | None:
        row = self.db.execute(
            "SELECT * FROM articles WHERE article_key = ?", (article_key,)
        ).fetchone()
        return None if row is None else _article_state(row)

    def articles(self) -> Iterator[ArticleState]:
        """Every article, oldest first, one row at a time (see :meth:`_sorted_rows`)."""
        for row in self._sorted_rows("articles", "first_seen, article_key"):
            yield _article_state(row)

    def article_heads(self) -> Iterator[tuple[int, sqlite3.Row]]:
        """(rowid, row) of every article in the order of :meth:`articles`, all its columns
        but ``data`` (the big one: neither read nor decoded)."""
        query = (
            "SELECT article_key, site, article_id, url, first_seen, last_seen, last_changed,"
            " revision, content_hash, status, removed_at, removed_reason"
            " FROM articles WHERE rowid = ?"
        )
        rowids = self.db.execute("SELECT rowid FROM articles ORDER BY first_seen, article_key")
        for (rowid,) in rowids:
            row = self.db.execute(query, (rowid,)).fetchone()
            if row is not None:
                yield rowid, row

    def article_at(self, rowid: int) -> ArticleState | None:
        """The article in row ``rowid`` (:meth:`article_heads`), data decoded."""
        row = self.db.execute("SELECT * FROM articles WHERE rowid = ?", (rowid,)).fetchone()
        return None if row is None else _article_state(row)

    def _sorted_rows(self, table: str, order_by: str) -> Iterator[sqlite3.Row]:
        """``SELECT * FROM table ORDER BY order_by``, streamed with flat memory.

        Only the rowids are sorted, then each row is read by rowid: SQLite's sorter would
        otherwise hold whole rows (article bodies, old/new values) and grow ~1 KB per article.
        """
        rowids = self.db.execute(f"SELECT rowid FROM {table} ORDER BY {order_by}")
        for (rowid,) in rowids:
            row = self.db.execute(f"SELECT * FROM {table} WHERE rowid = ?", (rowid,)).fetchone()
            if row is not None:
                yield row

    def save_article(
        self,
        state: ArticleState,
    ) -> None:
        self.db.execute(
            """
            INSERT OR REPLACE INTO articles (article_key, site, article_id, url, first_seen,
                last_seen, last_changed, revision, content_hash, status, removed_at,
                removed_reason, data)
            VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)
            """,
            (
                state.article_key,
                state.site,
                state.article_id,
                state.url,
                state.first_seen,
                state.last_seen,
                state.last_changed,
                state.revision,
                state.content_hash,
                state.status,
                state.removed_at,
                state.removed_reason,
                dumps_sorted(state.data).decode("utf-8"),  # json.loads reads it back
            ),
        )

    def touch_article(self, article_key: str, now: str) -> None:
        self.db.execute(
            "UPDATE articles SET last_seen = ? WHERE article_key = ? AND last_seen < ?",
            (now, article_key, now),
        )

    def add_revision_rows(self, rows: Sequence[Mapping[str, Any]]) -> None:
        self.db.execute("SAVEPOINT revision_rows")
        try:
            self.db.executemany(
                """
                INSERT OR REPLACE INTO revisions (article_key, revision, field, run_id,
                    crawled_at, article_id, site, url, change, changed_fields, old_value,
                    new_value)
                VALUES (:article_key, :revision, :field, :run_id, :crawled_at, :article_id,
                    :site, :url, :change, :changed_fields, :old_value, :new_value)
                """,
                [{**r, "changed_fields": json.dumps(list(r["changed_fields"]))} for r in rows],
            )
        except BaseException:
            self.db.execute("ROLLBACK TO revision_rows")
            self.db.execute("RELEASE revision_rows")
            raise
        self.db.execute("RELEASE revision_rows")

    def revisions(self) -> Iterator[dict[str, Any]]:
        """Every revision row, oldest first, streamed from a cursor (never the whole table)."""
        for row in self._sorted_rows("revisions", "crawled_at, article_key, revision, field"):
            record = dict(row)
            record["changed_fields"] = json.loads(record["changed_fields"] or "[]")
            yield record

    # --- listing pages and popular lists ----------------------------------------------------

    def latest_snapshot(self, kind: str, key: str) -> Snapshot | None:
        """The newest snapshot of a listing page (kind "listing") or popular list ("popular")."""
        table, column, hash_col = _OBSERVATION_TABLES[kind]
        row = self.db.execute(
            f"SELECT {hash_col} AS h, snapshot_run_id FROM {table} WHERE {column} = ? "
            "ORDER BY crawled_at DESC, rowid DESC LIMIT 1",
            (key,),
        ).fetchone()
        return None if row is None else Snapshot(str(row["h"]), str(row["snapshot_run_id"]))

    def record_observation(
        self, kind: str, run_id: str, key: str, crawled_at: str, content_hash: str, snapshot: str
    ) -> None:
        table, column, hash_col = _OBSERVATION_TABLES[kind]
        self.db.execute(
            f"INSERT OR REPLACE INTO {table} (run_id, {column}, crawled_at, {hash_col}, "
            "snapshot_run_id) VALUES (?,?,?,?,?)",
            (run_id, key, crawled_at, content_hash, snapshot),
        )

    def add_slot(self, row: Mapping[str, Any]) -> None:
        self.db.execute(
            """
            INSERT OR REPLACE INTO frontpage_slots (run_id, page_url, crawled_at,
                position_on_page, block, position_in_block, headline, teaser, article_url,
                article_id)
            VALUES (:run_id, :page_url, :crawled_at, :position_on_page, :block,
                :position_in_block, :headline, :teaser, :article_url, :article_id)
            """,
            dict(row),
        )

    def add_popular_entry(self, row: Mapping[str, Any]) -> None:
        self.db.execute(
            """
            INSERT OR REPLACE INTO popular_entries (run_id, list_name, crawled_at, rank,
                headline, article_url, article_id)
            VALUES (:run_id, :list_name, :crawled_at, :rank, :headline, :article_url,
                :article_id)
            """,
            dict(row),
        )

    def observations(self, kind: str) -> Iterator[dict[str, Any]]:
        """Every observation of every page (``listing``) or list (``popular``), grouped by
        page/list and oldest first within one; streamed from a cursor."""
        table, column, _ = _OBSERVATION_TABLES[kind]
        rows = self.db.execute(f"SELECT * FROM {table} ORDER BY {column}, crawled_at, rowid")
        for row in rows:
            yield dict(row)

    def snapshot_slots(self, run_id: str, page_url: str) -> list[dict[str, Any]]:
        """The slots run ``run_id`` stored for ``page_url`` (one page: a bounded list)."""
        rows = self.db.execute(
            "SELECT * FROM frontpage_slots WHERE run_id = ? AND page_url = ? "
            "ORDER BY position_on_page, rowid",
            (run_id, page_url),
        )
        return [dict(r) for r in rows]

    def snapshot_entries(self, run_id: str, list_name: str) -> list[dict[str, Any]]:
        """The entries run ``run_id`` stored for popular list ``list_name`` (bounded)."""
        rows = self.db.execute(
            "SELECT * FROM popular_entries WHERE run_id = ? AND list_name = ? ORDER BY rank, rowid",
            (run_id, list_name),
        )
        return [dict(r) for r in rows]

    def slots(self) -> Iterator[dict[str, Any]]:
        rows = self.db.execute("SELECT * FROM frontpage_slots ORDER BY run_id, position_on_page")
        for row in rows:
            yield dict(row)

    def popular_entries(self) -> Iterator[dict[str, Any]]:
        rows = self.db.execute("SELECT * FROM popular_entries ORDER BY run_id, list_name, rank")
        for row in rows:
            yield dict(row)


# record_fetch() then link_url() of the same URL, as one statement (positional: url, article
# key, now, status, etag, last_modified, body_hash)
_FETCH_AND_LINK = """
INSERT INTO urls (url, article_key, first_seen, last_seen, last_fetch, last_status, etag,
                  last_modified, body_hash)
VALUES (?1, ?2, ?3, ?3, ?3, ?4, ?5, ?6, ?7)
ON CONFLICT (url) DO UPDATE SET
    article_key = ?2, last_seen = ?3, last_fetch = ?3, last_status = ?4,
    etag = COALESCE(?5, etag), last_modified = COALESCE(?6, last_modified),
    body_hash = COALESCE(?7, body_hash)
"""

_OBSERVATION_TABLES = {
    "listing": ("listing_observations", "page_url", "slots_hash"),
    "popular": ("popular_observations", "list_name", "entries_hash"),
}


def _article_state(row: sqlite3.Row) -> ArticleState:
    record = dict(row)
    record["data"] = json.loads(record["data"] or "{}")
    return ArticleState(**record)
