"""The history workbook and the HTML report of one site, beside its history tables.

``exports/history/<site>/history.xlsx`` holds every history table as a typed sheet
(:mod:`newsspider.workbook`); ``report.html`` is one static page with the charts an editor
asks for. Both are refreshed at the end of every run (:func:`newsspider.history.write_history`)
and by ``newsspider report``.

The charts are SVG drawn here, in Python: the page needs no JavaScript, no network and no
shipped chart library, opens from a file or an e-mail attachment, and its size depends on what
is drawn (bounded: top stories, the last runs, days x sections), not on the number of articles.
docs/ANALYSTS.md has the comparison with Vega-Lite. Every chart has its data as a table
(``<details>``) and a link to the CSV it was drawn from.
"""

from __future__ import annotations

import contextlib
import gc
import heapq
import html
import json
import os
import signal
import sqlite3
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from importlib import resources
from itertools import groupby
from pathlib import Path
from typing import Any

from newsspider.feeds import write_text_atomic
from newsspider.history import (
    RenderedRow,
    build_history,
    frontpage_snapshots,
    snapshot_mark,
    snapshot_rows_since,
    table_basis,
)
from newsspider.history_marks import REPORT_FILE, WORKBOOK_FILE
from newsspider.items import utc_now_iso
from newsspider.state.store import StateFileError, StateStore, StateWriteError
from newsspider.workbook import EXCEL_MAX_ROWS, parse_datetime, sheet_names, write_workbook

ARTICLE_FIGURES_KEY = "report_article_figures"  # state meta: see _collect_articles
TOP_STORIES = 10  # stories drawn in the front-page chart
LAST_RUNS = 60  # runs drawn in the run-by-run charts
LAST_DAYS = 45  # days drawn in the per-day chart
TABLE_ROWS = 200  # rows in a chart's data table (the CSV has them all)
PALETTE = [
    "#0969da",
    "#cf222e",
    "#1a7f37",
    "#8250df",
    "#bf8700",
    "#e16f24",
    "#1b7c83",
    "#bf3989",
    "#57606a",
    "#6639ba",
]
DELAY_BINS = [
    ("< 15 min", 15),
    ("15-30 min", 30),
    ("30-60 min", 60),
    ("1-2 h", 120),
    ("2-6 h", 360),
    ("6-24 h", 1440),
    ("1-7 days", 10080),
    ("> 7 days", None),
]


def refresh(
    store: StateStore, out_dir: Path, top_n: int = 10, *, reuse: bool = True
) -> dict[str, int]:
    """Write ``history.xlsx`` and ``report.html`` in ``out_dir``; rows per workbook sheet."""
    counts = refresh_workbook(store, out_dir, top_n, reuse=reuse)
    write_report(store, out_dir, top_n)
    return counts


def write_report(store: StateStore, out_dir: Path, top_n: int = 10) -> None:
    """``report.html`` in ``out_dir`` (atomically), from the state."""
    report = render_report(collect(store, top_n), out_dir.name)
    write_text_atomic(out_dir / REPORT_FILE, report, private_part=True)


def refresh_workbook(
    store: StateStore, out_dir: Path, top_n: int = 10, *, reuse: bool = True
) -> dict[str, int]:
    """Write ``history.xlsx`` in ``out_dir``; rows per sheet.

    With ``reuse``, a sheet whose table has the basis it had when the workbook was last
    written (:func:`newsspider.history.table_basis`, kept in the state) is copied from that
    workbook instead of being written again (:func:`newsspider.workbook.write_workbook`).
    """
    versions = store.table_versions()
    history = build_history(store, top_n)
    bases = {name: table_basis(versions, name, top_n) for name in history}
    meta_key = f"workbook_basis:{out_dir.resolve()}"
    built = json.loads(store.meta(meta_key) or "{}") if reuse else {}
    keep = {
        name: (int(built[name][1]), [int(w) for w in built[name][2]])
        for name, basis in bases.items()
        if name in built and built[name][0] == basis
    }
    tables = {name: (columns, rows()) for name, (columns, rows) in history.items()}
    # frontpage_snapshots grows by a front page per run: its new rows are appended to the
    # sheet when the table only grew since the workbook was written (history.snapshot_mark)
    grow: dict[str, tuple[int, list[int]]] = {}
    name = "frontpage_snapshots"
    old = built.get(name)
    book = out_dir / WORKBOOK_FILE
    if (
        name not in keep
        and old is not None
        and len(old) > 3
        and old[3]
        and book.exists()
        and name in sheet_names(book)
    ):
        added = snapshot_rows_since(store, old[3])
        if added is not None and int(old[1]) + len(added) + 1 < EXCEL_MAX_ROWS:
            grow[name] = (int(old[1]), [int(w) for w in old[2]])
            tables[name] = (history[name][0], iter(added))
    if name in built:
        # an append can't be repeated: the mark goes before the file changes, and comes
        # back with the new layout after it
        built[name] = built[name][:3]
        store.set_meta(meta_key, json.dumps(built, sort_keys=True))
    widths: dict[str, list[int]] = {}
    counts = write_workbook(out_dir / WORKBOOK_FILE, tables, reuse=keep, append=grow, widths=widths)
    # after the file: a kill in between leaves the older bases, which can only reuse less
    layout = {name: [bases[name], counts[name], widths[name]] for name in bases}
    layout["frontpage_snapshots"].append(snapshot_mark(store))
    store.set_meta(meta_key, json.dumps(layout, sort_keys=True))
    return counts


# --- history.xlsx on the other core ---------------------------------------------------------
#
# At the end of a first crawl (or of one that changed articles) the history workbook is about
# half of the end of the run, all on one core while the other idles. It depends only on the
# state, not on the table files, so a forked child writes it (its own SQLite connection) while
# this process writes the tables and report.html. Forked, not spawned: a new interpreter would
# spend on imports about what it saves. The child does nothing but that (no logging, no
# reactor, no atexit: os._exit) and dies with its parent (a kill at any moment leaves at most
# a pid-named temp file, removed by the next refresh). Its error, if any, is raised here as
# the inline call would have raised it: the run's error handling does not change.


class WorkbookChild:
    """``history.xlsx`` being written by a forked child; :meth:`wait` returns when it is done
    and raises what the child raised: :class:`OSError` with its errno, the state's errors as
    :class:`StateWriteError` (both logged by the end of the run as the inline call's were),
    anything else as RuntimeError."""

    def __init__(self, state_path: Path, out_dir: Path, top_n: int, *, reuse: bool) -> None:
        parent = os.getpid()
        read_fd, write_fd = os.pipe()
        pid = os.fork()
        if pid == 0:  # the child
            code = 0
            try:
                os.close(read_fd)
                # the inherited objects are left out of the child's collections: scanning
                # them would copy every page of the parent's heap (copy-on-write)
                gc.freeze()
                _die_with(parent)
                with StateStore(state_path) as store:
                    refresh_workbook(store, out_dir, top_n, reuse=reuse)
            except BaseException as exc:  # reported to the parent, then exit
                code = 1
                with contextlib.suppress(BaseException):
                    error: dict[str, Any] = {"type": type(exc).__name__, "message": str(exc)}
                    if isinstance(exc, OSError):
                        error.update(errno=exc.errno, strerror=exc.strerror)
                    error["state"] = isinstance(
                        exc, (sqlite3.Error, StateFileError, StateWriteError)
                    )
                    os.write(write_fd, json.dumps(error).encode("utf-8"))
            finally:
                os._exit(code)
        os.close(write_fd)
        self.pid = pid
        self.read_fd = read_fd

    def wait(self, *, check: bool = True) -> None:
        with os.fdopen(self.read_fd, "rb") as fh:
            message = fh.read()
        _, status = os.waitpid(self.pid, 0)
        code = os.waitstatus_to_exitcode(status)
        if not check or code == 0:
            return
        error = json.loads(message or b"{}")
        if error.get("errno") is not None:
            raise OSError(error["errno"], f"{error['strerror']} (writing {WORKBOOK_FILE})")
        if error.get("state"):  # the state file failed
            raise StateWriteError(f"{WORKBOOK_FILE} not written: {error['message']}")
        raise RuntimeError(
            f"{WORKBOOK_FILE} was not written: "
            + (f"{error['type']}: {error['message']}" if error else f"its writer exited {code}")
        )


def _die_with(parent: int) -> None:
    """The child is killed when its parent dies (Linux); default signal handlers (the
    parent's are the crawler's)."""
    for sig in (signal.SIGINT, signal.SIGTERM):
        signal.signal(sig, signal.SIG_DFL)
    if sys.platform.startswith("linux"):
        import ctypes

        pr_set_pdeathsig = 1
        ctypes.CDLL(None).prctl(pr_set_pdeathsig, signal.SIGKILL)
    if os.getppid() != parent:  # it died before that took effect
        os._exit(1)


def can_fork() -> bool:
    """A forked workbook writer can help: fork exists and there is a second core to run on."""
    return hasattr(os, "fork") and (os.cpu_count() or 1) > 1


# --- the data behind the charts ------------------------------------------------------------------


@dataclass
class ReportData:
    """Everything the page draws, already aggregated (bounded in size)."""

    front_page_url: str | None = None
    run_times: list[str] = field(default_factory=list)  # runs that looked at the front page
    positions: dict[str, dict[int, int]] = field(default_factory=dict)  # story -> run -> pos
    headlines: dict[str, str] = field(default_factory=dict)  # story -> last headline
    popular_list: str | None = None
    popular_times: list[str] = field(default_factory=list)
    ranks: dict[str, dict[int, int]] = field(default_factory=dict)
    per_section_day: Counter[tuple[str, str]] = field(default_factory=Counter)
    per_hour: Counter[int] = field(default_factory=Counter)
    # time from publication to a listing page: the TABLE_ROWS shortest (story, minutes),
    # shortest first, and every story counted per DELAY_BINS label (not held one by one)
    delays: list[tuple[str, float]] = field(default_factory=list)
    delay_count: int = 0
    delay_bins: Counter[str] = field(default_factory=Counter)
    revisions: list[dict[str, Any]] = field(default_factory=list)  # headline changes
    revisions_by_field: Counter[str] = field(default_factory=Counter)
    by_revision: Counter[int] = field(default_factory=Counter)  # revision number -> articles
    runs: list[dict[str, Any]] = field(default_factory=list)
    articles: int = 0
    generated_at: str = ""


def _label(article_id: Any, url: Any) -> str:
    return str(article_id or url or "?")


def _micros(moment: datetime) -> int:
    """An aware datetime as microseconds since the epoch: exact, and a third of the memory of
    its ISO text (one per article is held while the report is drawn)."""
    return (moment - EPOCH) // MICROSECOND


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def collect(store: StateStore, top_n: int = 10) -> ReportData:
    data = ReportData(generated_at=utc_now_iso())
    tables = build_history(store, top_n)
    _collect_front_page(data, lambda: frontpage_snapshots(store))
    _collect_popular(data, store)
    _collect_articles(data, store, tables["articles_latest"][1], top_n)
    # each story's first time on a listing page, and its publication time: both one per
    # article, so they are joined in the state file (SQLite), not held here
    db = store.db
    db.execute(
        "CREATE TEMP TABLE IF NOT EXISTS report_first_seen"
        " (n INTEGER PRIMARY KEY, story TEXT NOT NULL UNIQUE, seen TEXT)"
    )
    with _transaction(db):
        db.execute("DELETE FROM temp.report_first_seen")
    # n: the story's first row (the order a dict of story -> seen had); the earliest seen
    upsert = (
        "INSERT INTO temp.report_first_seen (story, seen) VALUES (?, ?) ON CONFLICT (story)"
        " DO UPDATE SET seen = excluded.seen WHERE excluded.seen < seen"
    )
    rows = (
        (_label(row.get("article_id"), row.get("article_url")), row["first_seen_on_page"])
        for row in tables["frontpage_timeline"][1]()
    )
    for batch in _batches(rows):
        with _transaction(db):
            db.executemany(upsert, batch)

    def delays() -> Iterator[tuple[str, float]]:
        joined = db.execute(
            "SELECT f.story, f.seen, p.published_us FROM temp.report_first_seen AS f"
            f" JOIN {PUBLISHED_TABLE} AS p ON p.story = f.story ORDER BY f.n"
        )
        for story, seen, moment in joined:
            when = parse_datetime(seen)
            if when is not None:
                # timedelta arithmetic in whole microseconds: the value (when - moment) gives
                elapsed = timedelta(microseconds=_micros(when) - moment)
                minutes = max(elapsed.total_seconds() / 60, 0.0)
                data.delay_count += 1
                data.delay_bins[_delay_bin(minutes)] += 1
                yield story, minutes

    # the shortest, as sorted() would order them (ties in story order): what the table shows
    data.delays = heapq.nsmallest(TABLE_ROWS, delays(), key=lambda d: d[1])
    with _transaction(db):
        db.execute("DELETE FROM temp.report_first_seen")
    for row in tables["revisions"][1]():
        data.revisions_by_field[str(row.get("field_name"))] += 1
        if row.get("field_name") == "headline":
            data.revisions.append(row)
    data.revisions = data.revisions[-TABLE_ROWS:]
    data.runs = list(tables["runs"][1]())[-LAST_RUNS:]
    return data


BATCH = 2048  # rows per write of the report's per-article tables


def _batches(rows: Iterable[tuple[Any, ...]]) -> Iterator[list[tuple[Any, ...]]]:
    batch: list[tuple[Any, ...]] = []
    for row in rows:
        batch.append(row)
        if len(batch) == BATCH:
            yield batch
            batch = []
    if batch:
        yield batch


@contextlib.contextmanager
def _transaction(db: sqlite3.Connection) -> Iterator[None]:
    """One transaction around a batch of writes (a commit per statement otherwise), unless
    the caller has one open."""
    if db.in_transaction:
        yield
        return
    db.execute("BEGIN")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _delay_bin(minutes: float) -> str:
    for label, limit in DELAY_BINS:
        if limit is None or minutes < limit:
            return label
    return DELAY_BINS[-1][0]


class ArticleFigures:
    """The per-article figures of the report (counts by revision, section and day, hour; each
    story's publication time), gathered from ``articles_latest`` rows one at a time and kept
    in the state (``ARTICLE_FIGURES_KEY``) with the ``articles`` table's write counter
    (:func:`newsspider.history.table_basis`). The publication times (one per story) go to the
    state's ``report_published`` table a batch at a time: memory does not grow with the site.

    :func:`newsspider.history.write_history` feeds it the rows it writes to the
    ``articles_latest`` table (:meth:`observe`), so a run that wrote an article reads every
    article once for both; :func:`_collect_articles` reads them only when that did not happen.
    """

    def __init__(self) -> None:
        self.by_revision: Counter[int] = Counter()
        self.per_section_day: Counter[tuple[str, str]] = Counter()
        self.per_hour: Counter[int] = Counter()
        self.published: list[tuple[str, int]] = []  # not yet in report_published
        self.articles = 0
        self.db: sqlite3.Connection | None = None

    def start(self, store: StateStore) -> None:
        """Before the first row: the figures kept are not these until :meth:`save` says so."""
        self.db = store.db
        with _transaction(self.db):
            store.set_meta(ARTICLE_FIGURES_KEY, "{}")
            self.db.execute(f"DELETE FROM {PUBLISHED_TABLE}")

    def add(self, row: Mapping[str, Any]) -> None:
        self.articles += 1
        self.by_revision[int(row.get("revision") or 1)] += 1
        moment = parse_datetime(row.get("published_at"))
        if moment is None:
            return
        self.published.append((_label(row.get("article_id"), row.get("url")), _micros(moment)))
        if len(self.published) >= BATCH:
            self._flush()
        self.per_section_day[(str(row.get("section") or "(none)"), moment.date().isoformat())] += 1
        self.per_hour[moment.hour] += 1  # the site's local hour, as printed

    def observe(
        self, rows: Iterable[Mapping[str, Any] | RenderedRow], store: StateStore, top_n: int
    ) -> Iterator[Mapping[str, Any] | RenderedRow]:
        """``rows`` as they are (every article), adding each (a row already rendered from the
        run's files by its columns the figures read); kept in the state once every row has
        gone through (a write that fails half way keeps nothing)."""
        self.start(store)
        for row in rows:
            self.add(row.row if isinstance(row, RenderedRow) else row)
            yield row
        self.save(store, top_n)

    def _flush(self) -> None:
        if self.db is None:
            raise RuntimeError("ArticleFigures.start() was not called")
        # a story seen twice keeps its last time, as a dict of story -> time would
        with _transaction(self.db):
            self.db.executemany(
                f"INSERT OR REPLACE INTO {PUBLISHED_TABLE} VALUES (?, ?)", self.published
            )
        self.published = []

    def save(self, store: StateStore, top_n: int) -> dict[str, Any]:
        self._flush()
        figures = {
            "basis": article_figures_basis(store, top_n),
            "articles": self.articles,
            "by_revision": sorted(self.by_revision.items()),
            "per_section_day": [[s, d, n] for (s, d), n in sorted(self.per_section_day.items())],
            "per_hour": sorted(self.per_hour.items()),
            # the times are in that table (an older cache had them in this text: read again)
            "published": PUBLISHED_TABLE,
        }
        store.set_meta(ARTICLE_FIGURES_KEY, json.dumps(figures, ensure_ascii=False))
        return figures


PUBLISHED_TABLE = "report_published"  # where the article figures' publication times are


def article_figures_basis(store: StateStore, top_n: int) -> str:
    """What the article figures depend on: the ``articles_latest`` table's basis."""
    return table_basis(store.table_versions(), "articles_latest", top_n)


def _collect_articles(
    data: ReportData,
    store: StateStore,
    rows: Callable[[], Iterable[Mapping[str, Any]]],
    top_n: int,
) -> None:
    """The per-article figures (:class:`ArticleFigures`) into ``data``; each story's
    publication time (:func:`_micros`) is then in the state's ``report_published`` table.

    Reading every article (its whole stored version) is the one part of the report that grows
    with the site, so the figures kept in the state are used while they have the basis the
    articles have now; they are read again only when they don't (the history tables were not
    written by this version, or without the report).
    """
    basis = article_figures_basis(store, top_n)
    cached = json.loads(store.meta(ARTICLE_FIGURES_KEY) or "{}")
    if cached.get("basis") != basis or cached.get("published") != PUBLISHED_TABLE:
        figures = ArticleFigures()
        figures.start(store)
        for row in rows():
            figures.add(row)
        cached = figures.save(store, top_n)
    data.articles = int(cached["articles"])
    data.by_revision.update({int(k): int(n) for k, n in cached["by_revision"]})
    data.per_section_day.update({(s, d): int(n) for s, d, n in cached["per_section_day"]})
    data.per_hour.update({int(h): int(n) for h, n in cached["per_hour"]})


def _collect_front_page(
    data: ReportData, snapshots: Callable[[], Iterable[Mapping[str, Any]]]
) -> None:
    """The front page = the listing page looked at by the most runs; its top stories.

    ``snapshots()`` gives the rows page by page (:func:`newsspider.history.frontpage_snapshots`):
    only the best page so far is held (at 50,000 articles every page's slots were ~11 MB),
    and a second pass finds the top stories' headlines (the last one seen on any page)."""
    best_page: tuple[tuple[int, int, str], dict[str, dict[str, int]]] | None = None
    for page_url, rows in groupby(snapshots(), key=lambda row: str(row["page_url"])):
        by_run: dict[str, dict[str, int]] = defaultdict(dict)
        for row in rows:
            position = row["position_on_page"]
            if position is None:
                continue
            story = _label(row["article_id"], row["article_url"])
            per_run = by_run[str(row["run_time"])]
            if position < per_run.get(story, 10**9):
                per_run[story] = int(position)
        rank = (-len(by_run), len(page_url), page_url)
        if by_run and (best_page is None or rank < best_page[0]):
            best_page = (rank, by_run)
    if best_page is None:
        return
    (_, _, page), page_runs = best_page
    runs = sorted(page_runs)[-LAST_RUNS:]
    best: dict[str, tuple[int, int]] = {}
    for index, run in enumerate(runs):
        for story, position in page_runs[run].items():
            data.positions.setdefault(story, {})[index] = position
            old = best.get(story, (10**9, 0))
            best[story] = (min(old[0], position), old[1] - 1)
    top = sorted(best, key=lambda s: best[s])[:TOP_STORIES]
    names: dict[str, str] = {}
    wanted = set(top)
    for row in snapshots():
        if row["headline"] and row["position_on_page"] is not None:
            story = _label(row["article_id"], row["article_url"])
            if story in wanted:
                names[story] = str(row["headline"])
    data.front_page_url = page
    data.run_times = runs
    data.positions = {s: data.positions[s] for s in top}
    data.headlines = {s: names.get(s, s) for s in top}


def _collect_popular(data: ReportData, store: StateStore) -> None:
    per_list: dict[str, list[tuple[str, list[dict[str, Any]]]]] = defaultdict(list)
    cached: tuple[Any, str] = (None, "")
    entries: list[dict[str, Any]] = []
    for obs in store.observations("popular"):
        key = (obs["snapshot_run_id"], str(obs["list_name"]))
        if key != cached:
            cached = key
            entries = store.snapshot_entries(str(key[0]), key[1]) if key[0] is not None else []
        per_list[key[1]].append((str(obs["crawled_at"]), entries))
    if not per_list:
        return
    name = max(per_list, key=lambda n: (len(per_list[n]), n))
    observed = per_list[name][-LAST_RUNS:]
    data.popular_list = name
    data.popular_times = [time for time, _ in observed]
    for index, (_, rows) in enumerate(observed):
        for row in rows:
            story = _label(row["article_id"], row["article_url"])
            data.ranks.setdefault(story, {})[index] = int(row["rank"])
            if row["headline"]:
                data.headlines.setdefault(story, str(row["headline"]))


# --- SVG ---------------------------------------------------------------------------------------

W, H = 960, 320
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 16, 64


def _e(text: Any) -> str:
    return html.escape(str(text), quote=True)


def _svg(body: list[str], title: str, height: int = H) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {height}" width="{W}" '
        f'height="{height}" role="img" aria-label="{_e(title)}">' + "".join(body) + "</svg>"
    )


def _empty(title: str, message: str) -> str:
    return _svg(
        [f'<text class="empty" x="{W / 2}" y="{H / 2}" text-anchor="middle">{_e(message)}</text>'],
        title,
    )


def _short_time(iso: str) -> str:
    moment = parse_datetime(iso)
    return moment.strftime("%m-%d %H:%M") if moment else iso


def _x_labels(labels: Sequence[str], xs: Sequence[float], height: int) -> list[str]:
    step = max(1, len(labels) // 12)
    out = []
    for i in range(0, len(labels), step):
        x, y = xs[i], height - BOTTOM + 14
        out.append(
            f'<text x="{x:.1f}" y="{y}" text-anchor="end" '
            f'transform="rotate(-35 {x:.1f} {y})">{_e(labels[i])}</text>'
        )
    return out


def rank_chart(
    title: str,
    times: Sequence[str],
    series: Mapping[str, Mapping[int, int]],
    names: Mapping[str, str],
) -> str:
    """Position / rank per run, 1 at the top; one line per story, a dot per observation."""
    if not times or not series:
        return _empty(title, "no observations yet")
    worst = max(max(p.values()) for p in series.values() if p) or 1
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM
    xs = [LEFT + (plot_w * i / max(len(times) - 1, 1)) for i in range(len(times))]

    def y(position: int) -> float:
        return TOP + plot_h * (position - 1) / max(worst - 1, 1)

    body = [f'<line class="axis" x1="{LEFT}" y1="{TOP}" x2="{LEFT}" y2="{H - BOTTOM}"/>']
    for position in sorted({1, worst, *range(5, worst, 5)}):
        body.append(
            f'<line class="grid" x1="{LEFT}" x2="{W - RIGHT}" '
            f'y1="{y(position):.1f}" y2="{y(position):.1f}"/>'
        )
        body.append(
            f'<text x="{LEFT - 6}" y="{y(position) + 4:.1f}" text-anchor="end">{position}</text>'
        )
    body += _x_labels([_short_time(t) for t in times], xs, H)
    for n, (story, positions) in enumerate(series.items()):
        colour = PALETTE[n % len(PALETTE)]
        name = _e(names.get(story, story))
        runs = sorted(positions)
        segments: list[list[int]] = []
        for run in runs:
            if segments and segments[-1][-1] == run - 1:
                segments[-1].append(run)
            else:
                segments.append([run])
        for segment in segments:
            if len(segment) > 1:
                points = " ".join(f"{xs[r]:.1f},{y(positions[r]):.1f}" for r in segment)
                body.append(f'<polyline class="line mark" stroke="{colour}" points="{points}"/>')
        for run in runs:
            body.append(
                f'<circle class="mark" r="4" fill="{colour}" cx="{xs[run]:.1f}" '
                f'cy="{y(positions[run]):.1f}"><title>{name}: {positions[run]} at '
                f"{_e(times[run])}</title></circle>"
            )
    return _svg(body, title)


def bar_chart(title: str, labels: Sequence[str], values: Sequence[float], unit: str = "") -> str:
    if not labels or not any(values):
        return _empty(title, "no data yet")
    top = max(values) or 1
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM
    slot = plot_w / len(labels)
    xs = [LEFT + slot * (i + 0.5) for i in range(len(labels))]
    body = [
        f'<line class="axis" x1="{LEFT}" y1="{H - BOTTOM}" x2="{W - RIGHT}" y2="{H - BOTTOM}"/>'
    ]
    for fraction in (0.5, 1.0):
        gy = H - BOTTOM - plot_h * fraction
        body.append(
            f'<line class="grid" x1="{LEFT}" x2="{W - RIGHT}" y1="{gy:.1f}" y2="{gy:.1f}"/>'
        )
        body.append(
            f'<text x="{LEFT - 6}" y="{gy + 4:.1f}" text-anchor="end">{top * fraction:g}</text>'
        )
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        height = plot_h * value / top
        body.append(
            f'<rect class="mark" fill="{PALETTE[0]}" x="{xs[i] - slot * 0.4:.1f}" '
            f'y="{H - BOTTOM - height:.1f}" width="{slot * 0.8:.1f}" '
            f'height="{max(height, 0.5):.1f}">'
            f"<title>{_e(label)}: {value:g}{_e(unit)}</title></rect>"
        )
    body += _x_labels(list(labels), xs, H)
    return _svg(body, title)


def heatmap(
    title: str, rows: Sequence[str], columns: Sequence[str], counts: Mapping[tuple[str, str], int]
) -> str:
    if not rows or not columns:
        return _empty(title, "no data yet")
    left = 110
    cell_h = 18
    height = TOP + cell_h * len(rows) + BOTTOM
    cell_w = (W - left - RIGHT) / len(columns)
    top = max(counts.values()) or 1
    body = []
    for r, row in enumerate(rows):
        y = TOP + r * cell_h
        body.append(f'<text x="{left - 6}" y="{y + 13}" text-anchor="end">{_e(row)}</text>')
        for c, column in enumerate(columns):
            value = counts.get((row, column), 0)
            if not value:
                continue
            shade = 0.15 + 0.85 * value / top
            body.append(
                f'<rect class="mark" fill="{PALETTE[0]}" fill-opacity="{shade:.2f}" '
                f'x="{left + c * cell_w:.1f}" y="{y}" width="{max(cell_w - 1, 1):.1f}" '
                f'height="{cell_h - 2}"><title>{_e(row)} {_e(column)}: {value}</title></rect>'
            )
    xs = [left + cell_w * (c + 0.5) for c in range(len(columns))]
    body += _x_labels(list(columns), xs, height)
    return _svg(body, title, height)


def lines_chart(title: str, labels: Sequence[str], series: Mapping[str, Sequence[float]]) -> str:
    if not labels:
        return _empty(title, "no runs yet")
    top = max((max(v) for v in series.values() if v), default=0) or 1
    plot_w, plot_h = W - LEFT - RIGHT, H - TOP - BOTTOM
    xs = [LEFT + (plot_w * i / max(len(labels) - 1, 1)) for i in range(len(labels))]
    body = [
        f'<line class="axis" x1="{LEFT}" y1="{H - BOTTOM}" x2="{W - RIGHT}" y2="{H - BOTTOM}"/>'
    ]
    for fraction in (0.5, 1.0):
        gy = H - BOTTOM - plot_h * fraction
        body.append(
            f'<line class="grid" x1="{LEFT}" x2="{W - RIGHT}" y1="{gy:.1f}" y2="{gy:.1f}"/>'
        )
        body.append(
            f'<text x="{LEFT - 6}" y="{gy + 4:.1f}" text-anchor="end">{top * fraction:g}</text>'
        )
    for n, (name, values) in enumerate(series.items()):
        colour = PALETTE[n % len(PALETTE)]
        ys = [H - BOTTOM - plot_h * v / top for v in values]
        if len(values) > 1:
            points = " ".join(f"{x:.1f},{yy:.1f}" for x, yy in zip(xs, ys, strict=True))
            body.append(f'<polyline class="line mark" stroke="{colour}" points="{points}"/>')
        for i, (x, yy) in enumerate(zip(xs, ys, strict=True)):
            body.append(
                f'<circle class="mark" r="3" fill="{colour}" cx="{x:.1f}" cy="{yy:.1f}">'
                f"<title>{_e(name)}: {values[i]:g} ({_e(labels[i])})</title></circle>"
            )
    body += _x_labels([_short_time(t) for t in labels], xs, H)
    return _svg(body, title)


# --- the page ----------------------------------------------------------------------------------


def _legend(names: Mapping[str, str], keys: Iterable[str]) -> str:
    items = [
        f'<span><i style="background:{PALETTE[n % len(PALETTE)]}"></i>{_e(names.get(k, k))}</span>'
        for n, k in enumerate(keys)
    ]
    return f'<div class="legend">{"".join(items)}</div>'


def _table(columns: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    head = "".join(f"<th>{_e(c)}</th>" for c in columns)
    body = []
    for n, row in enumerate(rows):
        if n >= TABLE_ROWS:
            break
        cells = "".join(
            f'<td class="num">{v:g}</td>'
            if isinstance(v, int | float) and not isinstance(v, bool)
            else f"<td>{'' if v is None else _e(v)}</td>"
            for v in row
        )
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


def _section(
    chart_id: str, title: str, note: str, svg: str, table: str, csv: str, extra: str = ""
) -> str:
    return (
        f'<section id="{chart_id}"><h2>{_e(title)}</h2><p class="note">{_e(note)}</p>{extra}'
        f'<figure class="chart" data-chart="{chart_id}">{svg}</figure>'
        f"<details><summary>Data table</summary>{table}</details>"
        f'<p class="note">Download: <a href="{_e(csv)}">{_e(csv)}</a> (every row; '
        f"also a sheet of {WORKBOOK_FILE})</p></section>"
    )


def render_report(data: ReportData, site: str) -> str:
    css = resources.files("newsspider").joinpath("report_assets/report.css").read_text("utf-8")
    sections = []

    times = data.run_times
    sections.append(
        _section(
            "front-page",
            "Front page over time",
            f"Position on {data.front_page_url or 'the front page'} run by run (1 = top) of the "
            f"{len(data.positions)} best-placed stories of the last {len(times)} runs.",
            rank_chart("Front page over time", times, data.positions, data.headlines),
            _table(
                ["run time", "story", "headline", "position"],
                (
                    (times[run], s, data.headlines.get(s, s), pos)
                    for s, runs in data.positions.items()
                    for run, pos in sorted(runs.items())
                ),
            ),
            "frontpage_snapshots.csv",
            _legend(data.headlines, data.positions),
        )
    )

    ptimes = data.popular_times
    top_popular = dict(sorted(data.ranks.items(), key=lambda kv: min(kv[1].values()))[:TOP_STORIES])
    sections.append(
        _section(
            "popular",
            "Popular list",
            f"Rank in \u201c{data.popular_list or 'the popular list'}\u201d run by run (1 = top).",
            rank_chart("Popular list", ptimes, top_popular, data.headlines),
            _table(
                ["run time", "story", "headline", "rank"],
                (
                    (ptimes[run], s, data.headlines.get(s, s), rank)
                    for s, runs in top_popular.items()
                    for run, rank in sorted(runs.items())
                ),
            ),
            "popular_history.csv",
            _legend(data.headlines, top_popular),
        )
    )

    days = sorted({day for _, day in data.per_section_day})[-LAST_DAYS:]
    sections_ = sorted({s for s, day in data.per_section_day if day in days})
    day_counts = {k: v for k, v in data.per_section_day.items() if k[1] in days}
    sections.append(
        _section(
            "per-day",
            "Articles published per section per day",
            f"{data.articles} articles known; publication day in the site's local time "
            f"(last {len(days)} days with articles).",
            heatmap("Articles per section per day", sections_, days, day_counts),
            _table(
                ["section", "day", "articles"],
                ((s, d, n) for (s, d), n in sorted(day_counts.items())),
            ),
            "articles_latest.csv",
        )
    )

    hours = [f"{h:02d}:00" for h in range(24)]
    sections.append(
        _section(
            "per-hour",
            "Articles published per hour of day",
            "Hour of publication in the site's local time.",
            bar_chart(
                "Articles per hour of day", hours, [data.per_hour.get(h, 0) for h in range(24)]
            ),
            _table(["hour", "articles"], ((hours[h], data.per_hour.get(h, 0)) for h in range(24))),
            "articles_latest.csv",
        )
    )

    binned = data.delay_bins
    labels = [label for label, _ in DELAY_BINS]
    sections.append(
        _section(
            "to-front-page",
            "Time from publication to the front page",
            f"{data.delay_count} stories: first run that saw them on a listing page minus their "
            "published time (an upper bound: the crawler sees the page only when it runs).",
            bar_chart("Publication to front page", labels, [binned.get(b, 0) for b in labels]),
            _table(["story", "minutes"], data.delays),
            "frontpage_timeline.csv",
        )
    )

    fields_ = sorted(data.revisions_by_field, key=lambda f: -data.revisions_by_field[f])
    top_revision = max(data.by_revision, default=1)
    revision_labels = [f"{n - 1} edits" if n != 2 else "1 edit" for n in range(1, top_revision + 1)]
    rewritten = _table(
        ["changed at", "article", "old headline", "new headline"],
        (
            (
                r.get("crawled_at"),
                r.get("article_id") or r.get("url"),
                r.get("old_value"),
                r.get("new_value"),
            )
            for r in reversed(data.revisions)
        ),
    )
    sections.append(
        _section(
            "revisions",
            "Revisions",
            f"Articles by number of edits seen (of {data.articles}); changes per field in the "
            f"table; {len(data.revisions)} rewritten headlines below (newest first).",
            bar_chart(
                "Articles by number of edits",
                revision_labels,
                [data.by_revision.get(n, 0) for n in range(1, top_revision + 1)],
            ),
            _table(["field", "changes"], ((f, data.revisions_by_field[f]) for f in fields_)),
            "revisions.csv",
            f"<details open><summary>Rewritten headlines</summary>{rewritten}</details>"
            if data.revisions
            else "",
        )
    )

    run_labels = [str(r.get("started_at") or "") for r in data.runs]
    health = {
        k: [float(r.get(k) or 0) for r in data.runs] for k in ("items", "rejects", "failures")
    }
    sections.append(
        _section(
            "health",
            "Crawl health over time",
            f"Items exported, rejects and failures per run (last {len(data.runs)} runs).",
            lines_chart("Crawl health", run_labels, health),
            _table(
                ["run", "started", "finish reason", "items", "rejects", "failures"],
                (
                    (
                        r["run_id"],
                        r["started_at"],
                        r["finish_reason"],
                        r["items"],
                        r["rejects"],
                        r["failures"],
                    )
                    for r in reversed(data.runs)
                ),
            ),
            "runs.csv",
            _legend({k: k for k in health}, health),
        )
    )

    nav = "".join(
        f'<a href="#{i}">{t}</a>'
        for i, t in (
            ("front-page", "Front page"),
            ("popular", "Popular"),
            ("per-day", "Per day"),
            ("per-hour", "Per hour"),
            ("to-front-page", "To front page"),
            ("revisions", "Revisions"),
            ("health", "Health"),
        )
    )
    return (
        '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>newsspider report: {_e(site)}</title><style>{css}</style></head><body>"
        f"<h1>newsspider report: {_e(site)}</h1>"
        f'<p class="meta">Generated {_e(data.generated_at)} from the crawl state; '
        f'every table is in <a href="{WORKBOOK_FILE}">{WORKBOOK_FILE}</a>.</p>'
        f"<nav>{nav}</nav>{''.join(sections)}</body></html>\n"
    )


def iter_sections(page: str) -> Iterator[str]:
    """The chart ids of a rendered page, in order (for tests and tools)."""
    marker = 'data-chart="'
    start = page.find(marker)
    while start != -1:
        end = page.index('"', start + len(marker))
        yield page[start + len(marker) : end]
        start = page.find(marker, end)
