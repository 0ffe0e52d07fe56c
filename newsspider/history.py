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

"Minutes on the page" is a lower bound: the time between consecutive runs that both saw the
article there (a story seen by a single run counts 0 minutes).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsspider.exporters import JsonLinesExporter, SpreadsheetCsvItemExporter
from newsspider.feeds import fsync_dir
from newsspider.items import Article, ArticleRevision, field_names
from newsspider.state.runtime import parse_iso
from newsspider.state.store import StateStore

HISTORY_DIR = "history"
TABLES = ("articles_latest", "frontpage_timeline", "popular_history", "revisions")

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
    "first_seen",  # first run that saw it on the page, ISO 8601 UTC
    "last_seen",  # last run that saw it on the page
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


def history_dir_for(export_dir: Path, state_file: Path) -> Path:
    """``exports/history/news1global.com`` for ``state/news1global.com.sqlite3``."""
    return Path(export_dir) / HISTORY_DIR / state_file.name.removesuffix(".sqlite3")


def minutes_between(start: str, end: str) -> float:
    return round((parse_iso(end) - parse_iso(start)).total_seconds() / 60, 1)


# --- the tables ---------------------------------------------------------------------------------


def articles_latest(store: StateStore) -> list[dict[str, Any]]:
    rows = []
    for state in store.articles():
        row = {name: state.data.get(name) for name in field_names(Article)}
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
        rows.append(row)
    return rows


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
    observations: Sequence[Mapping[str, Any]],
    rows: Iterable[Mapping[str, Any]],
    key_column: str,
    position_column: str,
) -> dict[str, tuple[list[str], dict[str, _Presence]]]:
    """key (page/list) -> (observation times, article -> presence)."""
    snapshots: dict[tuple[str, str], list[Mapping[str, Any]]] = {}
    for row in rows:
        snapshots.setdefault((row["run_id"], row[key_column]), []).append(row)
    result: dict[str, tuple[list[str], dict[str, _Presence]]] = {}
    for obs in observations:
        times, presence = result.setdefault(obs[key_column], ([], {}))
        index = len(times)
        times.append(obs["crawled_at"])
        for row in snapshots.get((obs["snapshot_run_id"], obs[key_column]), []):
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
    return result


def _minutes(times: list[str], indexes: Iterable[int]) -> float:
    present = set(indexes)
    return round(
        sum(
            minutes_between(times[i], times[i + 1])
            for i in sorted(present)
            if i + 1 in present and i + 1 < len(times)
        ),
        1,
    )


def frontpage_timeline(store: StateStore, top_n: int = 10) -> list[dict[str, Any]]:
    rows = []
    observed = _observed(
        store.observations("listing"), store.slots(), "page_url", "position_on_page"
    )
    for page_url, (times, presence) in observed.items():
        for ident, p in presence.items():
            best = min(p.position.values()) if p.position else None
            best_at = min((i for i, pos in p.position.items() if pos == best), default=None)
            top_indexes = [i for i, pos in p.position.items() if pos <= top_n]
            rows.append(
                {
                    "page_url": page_url,
                    "article_id": ident if ident != p.url else None,
                    "article_url": p.url,
                    "first_seen": times[p.seen[0]],
                    "last_seen": times[p.seen[-1]],
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
    rows.sort(key=lambda r: (r["page_url"], r["best_position"] or 0, r["first_seen"]))
    return rows


def popular_history(store: StateStore) -> list[dict[str, Any]]:
    rows = []
    observed = _observed(
        store.observations("popular"), store.popular_entries(), "list_name", "rank"
    )
    for list_name, (times, presence) in observed.items():
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
    rows.sort(key=lambda r: (r["list_name"], r["entered_at"], r["peak_rank"] or 0))
    return rows


def revisions(store: StateStore) -> list[dict[str, Any]]:
    return [{**r, "field_name": r["field"]} for r in store.revisions()]


# --- writing -----------------------------------------------------------------------------------


def write_table(out_dir: Path, name: str, columns: list[str], rows: list[dict[str, Any]]) -> None:
    """``<name>.jsonl`` and ``<name>.csv``, each written to a temp file and renamed into place."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for suffix, exporter_class in (
        (".jsonl", JsonLinesExporter),
        (".csv", SpreadsheetCsvItemExporter),
    ):
        final = out_dir / f"{name}{suffix}"
        part = out_dir / f".{name}{suffix}.{os.getpid()}.part"
        with part.open("wb") as fh:
            exporter = exporter_class(fh, fields_to_export=columns)
            exporter.start_exporting()
            for row in rows:
                exporter.export_item(row)
            exporter.finish_exporting()
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(part, final)
    fsync_dir(out_dir)


def build_history(store: StateStore, top_n: int = 10) -> dict[str, tuple[list[str], list[Any]]]:
    """Every history table: name -> (columns, rows)."""
    return {
        "articles_latest": (ARTICLES_LATEST_COLUMNS, articles_latest(store)),
        "frontpage_timeline": (FRONTPAGE_TIMELINE_COLUMNS, frontpage_timeline(store, top_n)),
        "popular_history": (POPULAR_HISTORY_COLUMNS, popular_history(store)),
        "revisions": (REVISION_COLUMNS, revisions(store)),
    }


def write_history(
    store: StateStore, out_dir: Path, top_n: int = 10, *, force: bool = False
) -> dict[str, int]:
    """Rebuild every table under ``out_dir``; returns rows per table.

    A table whose rows are exactly those written last time (a hash kept in the state) is not
    rewritten unless ``force``: an unchanged site costs no file writes at the end of a run.
    """
    from newsspider.state.runtime import stable_hash

    written = {}
    for name, (columns, rows) in build_history(store, top_n).items():
        meta_key = f"history_hash:{out_dir.resolve()}:{name}"
        digest = stable_hash([columns, rows])
        fresh = all((out_dir / f"{name}{suffix}").exists() for suffix in (".jsonl", ".csv"))
        if force or not fresh or store.meta(meta_key) != digest:
            write_table(out_dir, name, columns, rows)
            store.set_meta(meta_key, digest)
        written[name] = len(rows)
    return written
