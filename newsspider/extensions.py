"""End of run: manifest, the ``latest`` pointer, reconciliation and the summary.

After Scrapy's feed exporter has closed (and atomically renamed) every file of the run, this
extension

1. counts what is in each file (JSONL lines, CSV rows) and checks it against the items that
   left the pipelines (reconciliation; a mismatch is logged as an ERROR, recorded in the
   manifest, and ``latest`` is left on the previous good run);
2. writes ``manifest.json`` last (atomically): run id, times, finish reason, counts, SHA-256;
3. points ``<export dir>/latest`` at the run (an atomic symlink swap; a copy where the file
   system has no symlinks);
4. logs a short summary: rows per file, rejects by reason, duplicates, where the files are.

A reconciliation mismatch also makes ``scrapy crawl`` exit with status 3
(``NEWSSPIDER_MISMATCH_EXIT_CODE``; 0 turns it off): scripts and schedulers see the failure
without reading the log. A JOBDIR crawl paused with Ctrl-C writes no manifest and leaves
``latest`` alone - its ``.part`` files wait for the resume (newsspider/feeds.py); rows written
before the pause count in the reconciliation of the resumed run.
"""

from __future__ import annotations

import atexit
import contextlib
import csv
import hashlib
import json
import logging
import os
import shutil
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler

from newsspider import __version__
from newsspider import settings as defaults  # each default: settings.py
from newsspider.faultpoints import crash_point
from newsspider.feeds import (
    EXPORT_FILES,
    MANIFEST_FILE,
    PART_SUFFIX,
    REJECTS_FILE,
    discard_torn_queue,
    finalize_parts,
    forget_run_id,
    fsync_dir,
    mark_clean_pause,
    write_text_atomic,
)
from newsspider.health.monitors import FAILED
from newsspider.health.verdict import (
    exit_code_for,
    failed_health,
    log_level_for,
    run_health,
    summary_lines,
)
from newsspider.items import Reject, utc_now_iso
from newsspider.receivers import on_item_scraped
from newsspider.records import CsvRecordCounter, JsonlRowCounter
from newsspider.run import RunContext, failure_code, run_context
from newsspider.schema import write_schema
from newsspider.state.store import StateWriteError

logger = logging.getLogger("newsspider.run")

PROGRESS_EVERY = 25  # articles between progress lines
# newsspider/state/<key> stats that mean "seen, but not exported again" (incremental crawls)
# (listing_not_modified: a listing page answered 304, its links taken from the last full fetch)
INCREMENTAL_SKIPS = frozenset(
    {
        "not_due",
        "not_modified",
        "unchanged",
        "listing_unchanged",
        "listing_not_modified",
        "popular_unchanged",
    }
)


CHUNK = 1 << 20  # bytes read at a time: the files are hashed and counted in one pass


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(CHUNK), b""):
            digest.update(chunk)
    return digest.hexdigest()


def count_rows(path: Path, name: str | None = None) -> int:
    """Data rows in an export file (``name``: its final name, for a ``.part``): JSONL lines, or
    CSV records minus the header. Parses every record: the reference :func:`file_entry`'s
    one-pass count falls back to (and is tested against)."""
    if (name or path.name).endswith(".jsonl"):
        with path.open("rb") as fh:
            return sum(1 for line in fh if line.strip())
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return max(sum(1 for _ in csv.reader(fh)) - 1, 0)


def write_json_atomic(path: Path, data: Any) -> None:
    write_text_atomic(path, json.dumps(data, ensure_ascii=False, indent=2) + "\n")


def file_entry(path: Path, name: str | None = None, *, chunk_size: int = CHUNK) -> dict[str, Any]:
    """A manifest's entry for one file (``name``: its final name, for a ``.part``): bytes,
    SHA-256 and, for JSONL/CSV exports, the data rows.

    One read of the file: the SHA-256 and the rows are taken from the same chunks (the rows
    by :class:`JsonlRowCounter` / :class:`CsvRecordCounter`; a file they can't count is
    parsed again by :func:`count_rows`). The rows are still those in the file on disk, not a
    count kept by the writer."""
    final = name or path.name
    counter: JsonlRowCounter | CsvRecordCounter | None = None
    if final.endswith(".jsonl"):
        counter = JsonlRowCounter()
    elif final.endswith(".csv"):
        counter = CsvRecordCounter()
    digest = hashlib.sha256()
    size = 0
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(chunk_size), b""):
            digest.update(chunk)
            size += len(chunk)
            if counter is not None:
                counter.update(chunk)
    entry: dict[str, Any] = {"bytes": size, "sha256": digest.hexdigest()}
    if counter is not None:
        rows = counter.rows()
        entry = {"rows": count_rows(path, name) if rows is None else rows, **entry}
    return entry


def default_article_feeds(settings: Any) -> bool:
    """Are the run's ``articles.jsonl`` / ``articles.csv`` written as the default FEEDS write
    them (newsspider/feeds.py: every Article field in class order, our exporters)? Only then
    may the history take their bytes (:class:`newsspider.history.RunArticles`)."""
    from newsspider.feeds import build_feeds

    feeds = settings.getdict("FEEDS")
    exporters = settings.getdict("FEED_EXPORTERS")
    wanted = {uri: options for uri, options in build_feeds().items() if "/articles." in uri}
    return all(feeds.get(uri) == options for uri, options in wanted.items()) and all(
        exporters.get(name) == defaults.FEED_EXPORTERS[name]
        for name in ("jsonl", "spreadsheet_csv")
    )


def point_latest(export_dir: Path, run_dir: Path) -> Path:
    """Make ``export_dir/latest`` show ``run_dir``; atomic where symlinks exist."""
    latest = export_dir / "latest"
    tmp_link = export_dir / f".latest-{os.getpid()}"
    try:
        if tmp_link.is_symlink() or tmp_link.exists():
            tmp_link.unlink()
        tmp_link.symlink_to(run_dir.name, target_is_directory=True)
        os.replace(tmp_link, latest)
    except OSError:
        # no symlinks here (or latest is a real folder from an earlier copy): copy, then swap
        if tmp_link.is_symlink():
            tmp_link.unlink()
        staging = export_dir / f".latest-copy-{os.getpid()}"
        shutil.rmtree(staging, ignore_errors=True)
        shutil.copytree(run_dir, staging)
        old = export_dir / f".latest-old-{os.getpid()}"
        if latest.is_symlink():
            latest.unlink()
        elif latest.exists():
            os.replace(latest, old)
        os.replace(staging, latest)
        shutil.rmtree(old, ignore_errors=True)
    fsync_dir(export_dir)
    return latest


def recovered_health(context: RunContext, run_id: str) -> dict[str, Any]:
    from newsspider.health.verdict import HISTORY_META_PREFIX

    raw = context.state.store.meta(HISTORY_META_PREFIX + run_id)
    figures = json.loads(raw) if raw else {}
    return {
        "status": figures.get("status", "ok"),
        "alerts": [],
        "articles_seen": figures.get("articles"),
        "recovered": True,
    }


def recover_manifests(context: RunContext, last: int = 5) -> None:
    """Finish a run that committed its state but died before its files got their final
    names or its manifest was written (RunFilesExtension.finish_run): the commit made it
    complete, its ``.part`` files hold exactly what it exported.
    """
    for run in context.state.store.runs()[-last:]:
        run_dir = context.export_dir / str(run["run_id"])
        if not run.get("finished_at") or not run_dir.is_dir():
            continue
        if (run_dir / MANIFEST_FILE).exists() and not list(run_dir.glob(f"*{PART_SUFFIX}")):
            continue
        finalize_parts(run_dir)
        files = {
            path.name: file_entry(path)
            for path in sorted(run_dir.iterdir())
            if path.suffix in (".jsonl", ".csv") and path.is_file()
        }
        write_json_atomic(
            run_dir / MANIFEST_FILE,
            {
                "run_id": run["run_id"],
                "spider": run.get("spider"),
                "start_url": run.get("start_url"),
                "newsspider_version": __version__,
                "started_at": run.get("started_at"),
                "finished_at": run.get("finished_at"),
                "finish_reason": run.get("finish_reason"),
                "recovered": True,
                # the verdict taken before the commit (its figures were committed with it)
                "health": recovered_health(context, str(run["run_id"])),
                "reconciled": True,
                "reconcile_errors": [],
                "files": files,
            },
        )
        logger.warning(
            "Run %s had committed its state but was stopped before its files were finished"
            " (killed at the very end?): finished now, manifest rebuilt from its files",
            run["run_id"],
        )


def running_as_scrapy_command() -> bool:
    """Is this process the ``scrapy`` command (or ``python -m scrapy``), not another program
    (a test runner, a notebook) that embeds the crawler?"""
    argv0 = Path(sys.argv[0] if sys.argv else "")
    return "scrapy" in (argv0.name, argv0.parent.name)


class RunFilesExtension:
    def __init__(self, crawler: Crawler, context: RunContext) -> None:
        self.crawler = crawler
        self.context = context
        self.scraped: Counter[str] = Counter()
        self.reject_reasons: Counter[str] = Counter()
        self.started_at = utc_now_iso()
        self.started_monotonic = time.monotonic()
        self.finish_reason: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunFilesExtension:
        # the first component to ask builds the run (newsspider/run.py): a run id already
        # used, an export folder that can't be written, a JOBDIR in use stop the crawl here
        ext = cls(crawler, run_context(crawler))
        # only now, with the JOBDIR locked: a crawl refused because another one runs on the
        # JOBDIR must not touch that crawl's queue
        discard_torn_queue(crawler.settings)  # before the scheduler opens the JOBDIR queue
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        on_item_scraped(crawler, ext.item_scraped)  # one receiver for all (receivers.py)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.feed_exporter_closed, signal=signals.feed_exporter_closed)
        return ext

    @property
    def export_dir(self) -> Path:
        return self.context.export_dir

    def spider_opened(self, spider: Spider) -> None:
        self.started_at = utc_now_iso()
        self.started_monotonic = time.monotonic()
        logger.info("Run %s: exporting to %s/", self.context.run_id, self.context.run_dir)

    def item_scraped(self, item: Any, spider: Spider) -> None:
        kind = type(item).__name__
        self.scraped[kind] += 1
        if isinstance(item, Reject):
            self.reject_reasons.update(item.reasons)
        elif kind == "Article" and self.scraped[kind] % PROGRESS_EVERY == 0:
            logger.info(
                "progress: %d articles, %d front-page slots, %d rejects so far",
                self.scraped["Article"],
                self.scraped["FrontPageSlot"],
                self.scraped["Reject"],
            )

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self.finish_reason = reason

    def feed_exporter_closed(self) -> None:
        try:
            self.finish_run()
        finally:
            if self.context.state is not None:
                self.context.state.close()  # whatever was not committed is rolled back

    def finish_run(self) -> None:
        """Every feed is closed: make the run complete, in an order a kill can't break.

        1. :meth:`reconcile`: rows in the ``.part`` files against items scraped (a failed run
           stops before this);
        2. :meth:`verdict`: the manifest and the run's health; a mismatch or a failed verdict
           keeps the files for inspection and stops here (:meth:`keep_for_inspection`);
        3. :meth:`commit`: the state commits the run, all at once: the commit point (with
           the state off, there is none: a run is complete when its manifest is written);
        4. :meth:`finish_files`: the ``.part`` files get their final names, then
           ``manifest.json`` is written (a kill after 3 is finished by the next run,
           :func:`recover_manifests`);
        5. :meth:`refresh_history`, then ``latest`` and the summary.
        """
        context = self.context
        run_dir = context.run_dir
        stats = self.crawler.stats
        assert stats is not None
        reason = self.finish_reason or stats.get_value("finish_reason") or "unknown"
        if self.paused(reason):
            return
        self.count_rows_before_pause()
        if context.failure is not None:
            self.failed_run(reason)
            return
        files, mismatches = self.reconcile()
        manifest, exit_code = self.verdict(reason, files, mismatches)
        if mismatches or manifest["health"]["status"] == FAILED:
            self.keep_for_inspection(manifest, mismatches, exit_code)
            return
        if not self.commit(manifest, reason):
            return
        if not self.finish_files(manifest, files, reason):
            return
        forget_run_id(self.crawler.settings)  # the run is complete: nothing left to resume
        crash_point("after_manifest")
        if context.state is not None:
            self.refresh_history()
        latest = point_latest(self.export_dir, run_dir)
        self.fail_exit_status(exit_code)  # a degraded run (NEWSSPIDER_FAIL_ON), else 0
        self.log_summary(manifest, run_dir, latest)

    def paused(self, reason: str) -> bool:
        """A JOBDIR crawl stopped with Ctrl-C: its ``.part`` files wait for the resume."""
        context = self.context
        if context.failure is not None or reason != "shutdown" or context.jobdir is None:
            return False
        logger.warning(
            "Run %s paused: its files stay in %s/ as .part; run the same command with"
            " -s JOBDIR=%s to resume (no manifest, %s/latest unchanged)",
            context.run_id,
            context.run_dir,
            context.jobdir,
            self.export_dir,
        )
        mark_clean_pause(self.crawler.settings)
        return True

    def count_rows_before_pause(self) -> None:
        """Rows written before a pause (resumed JOBDIR crawl) count as scraped by this run."""
        prior = self.context.resume.prior_rows
        before_pause = {c.__name__: prior.get(f"{s}.jsonl", 0) for s, c in EXPORT_FILES.items()}
        before_pause["Reject"] = prior.get(REJECTS_FILE, 0)
        self.scraped.update({k: v for k, v in before_pause.items() if v})

    def reconcile(self) -> tuple[dict[str, dict[str, Any]], list[str]]:
        """(manifest file entries, mismatches): rows in each ``.part`` file against the items
        that left the pipelines."""
        run_dir = self.context.run_dir
        files: dict[str, dict[str, Any]] = {}
        expected: dict[str, int] = {}
        for stem, item_class in EXPORT_FILES.items():
            for ext in ("jsonl", "csv"):
                expected[f"{stem}.{ext}"] = self.scraped[item_class.__name__]
        expected[REJECTS_FILE] = self.scraped["Reject"]
        mismatches = []
        for name, want in expected.items():
            path = run_dir / (name + PART_SUFFIX)  # the final names come after the commit
            if not path.exists():
                mismatches.append(f"{name}: missing")
                continue
            files[name] = file_entry(path, name)
            rows = files[name]["rows"]
            if rows != want:
                mismatches.append(f"{name}: {rows} rows in the file, {want} items scraped")
        for part in sorted(run_dir.glob(f"*{PART_SUFFIX}")):  # the workbook, …
            name = part.name.removesuffix(PART_SUFFIX)
            if name not in files:
                files[name] = file_entry(part, name)
        return files, mismatches

    def verdict(
        self, reason: str, files: dict[str, dict[str, Any]], mismatches: list[str]
    ) -> tuple[dict[str, Any], int]:
        """(the manifest with its health verdict, the exit status that verdict asks for)."""
        manifest = self.manifest(reason, files, mismatches)
        manifest["health"] = run_health(
            self.crawler,
            self.context,
            finish_reason=reason,
            scraped=self.scraped,
            reconcile_errors=mismatches,
            run_dir=self.context.run_dir,
        )
        return manifest, exit_code_for(manifest["health"], self.crawler.settings)

    def keep_for_inspection(
        self, manifest: dict[str, Any], mismatches: list[str], exit_code: int
    ) -> None:
        """Kept under the final names, but never ``latest`` and never committed to the crawl
        state: the next run fetches and exports it all again."""
        run_dir = self.context.run_dir
        if mismatches:
            self.crawler.stats.set_value("newsspider/reconcile/mismatch", len(mismatches))  # type: ignore[union-attr]
            logger.error(
                "Export files do not match the items scraped (%s); %s/latest left"
                " unchanged; nothing of this run is recorded in the crawl state",
                "; ".join(mismatches),
                self.export_dir,
            )
        finalize_parts(run_dir)
        write_schema(run_dir)
        write_json_atomic(run_dir / MANIFEST_FILE, manifest)
        forget_run_id(self.crawler.settings)
        self.fail_exit_status(exit_code)
        self.log_summary(manifest, run_dir, None)

    def commit(self, manifest: dict[str, Any], reason: str) -> bool:
        """The commit point: before it the run is nothing (all .part), after it the run is
        complete even if killed (the next run renames and writes the manifest). False: the
        state could not commit, the run failed."""
        context = self.context
        if context.state is None:
            return True
        with contextlib.suppress(StateWriteError):  # context.fail() has logged it
            context.state.commit(manifest["finished_at"], reason)
        if context.failure is not None:
            self.failed_run(reason)
            return False
        crash_point("after_commit")
        return True

    def finish_files(
        self, manifest: dict[str, Any], files: dict[str, dict[str, Any]], reason: str
    ) -> bool:
        """Final names, the schema, then ``manifest.json`` (written last). False: they could
        not be finished (with the state on, the next run finishes them)."""
        context = self.context
        run_dir = context.run_dir
        try:
            finalize_parts(run_dir)
            crash_point("after_renames")
            schema = write_schema(run_dir)  # columns and types of every table, even empty ones
            files[schema.name] = file_entry(schema)
            write_json_atomic(run_dir / MANIFEST_FILE, manifest)
        except OSError as exc:
            if context.state is None:
                context.fail(failure_code(exc), f"cannot complete {run_dir} ({exc.strerror})")
                self.failed_run(reason)
                return False
            logger.error(
                "Run %s is complete in the crawl state, but its files could not be finished"
                " (%s); the next run finishes them",
                context.run_id,
                exc,
            )
            self.fail_exit_status(
                self.crawler.settings.getint(
                    "NEWSSPIDER_FAILED_EXIT_CODE", defaults.NEWSSPIDER_FAILED_EXIT_CODE
                )
            )
            return False
        return True

    def manifest(
        self, reason: str, files: dict[str, dict[str, Any]], mismatches: list[str]
    ) -> dict[str, Any]:
        context = self.context
        return {
            "run_id": context.run_id,
            "spider": context.spider_name,
            "start_url": context.site_url,
            "newsspider_version": __version__,
            "started_at": self.started_at,
            "finished_at": utc_now_iso(),
            "finish_reason": reason,
            "items_scraped": dict(sorted(self.scraped.items())),
            "rejects_by_reason": dict(self.reject_reasons.most_common()),
            "reconciled": not mismatches,
            "reconcile_errors": mismatches,
            "files": files,
        }

    def failed_run(self, reason: str) -> None:
        """The run can't be completed: no final names, no state commit, ``latest`` kept."""
        context = self.context
        failure = context.failure
        assert failure is not None
        self.crawler.stats.set_value("newsspider/run/failed", failure.code)  # type: ignore[union-attr]
        manifest = self.manifest(reason, {}, [f"run failed: {failure.message}"])
        manifest["failure"] = {"code": failure.code, "message": failure.message}
        manifest["health"] = failed_health(self.crawler, context, failure.code, failure.message)
        try:
            write_json_atomic(context.run_dir / MANIFEST_FILE, manifest)
        except OSError:  # the disk may be full: the log line says it all
            (context.run_dir / (MANIFEST_FILE + ".part")).unlink(missing_ok=True)
        logger.error(
            "Run %s failed (%s): %s. Its files keep their .part names, the crawl state is"
            " unchanged (the next run fetches and exports these pages again) and %s/latest"
            " is left on the last good run",
            context.run_id,
            failure.code,
            failure.message,
            self.export_dir,
        )
        self.fail_exit_status(exit_code_for(manifest["health"], self.crawler.settings))

    def refresh_history(self) -> None:
        """Rebuild the site's history tables from the (committed) state, unless the run
        changed nothing (:func:`newsspider.history_marks.only_observed_since_written`)."""
        from newsspider.history_marks import history_dir_for, only_observed_since_written

        settings = self.crawler.settings
        stats = self.crawler.stats
        assert stats is not None
        if not settings.getbool("NEWSSPIDER_HISTORY_ENABLED", defaults.NEWSSPIDER_HISTORY_ENABLED):
            return
        state = self.context.state
        out = history_dir_for(self.export_dir, state.path)
        top_n = settings.getint("NEWSSPIDER_HISTORY_TOP_N", defaults.NEWSSPIDER_HISTORY_TOP_N)
        report = settings.getbool("NEWSSPIDER_REPORT_ENABLED", defaults.NEWSSPIDER_REPORT_ENABLED)
        if settings.getbool(
            "NEWSSPIDER_HISTORY_SKIP_UNCHANGED", defaults.NEWSSPIDER_HISTORY_SKIP_UNCHANGED
        ) and only_observed_since_written(state.store, out, top_n, report=report):
            stats.set_value("newsspider/history/unchanged", 1)
            stats.set_value("newsspider/history/dir", str(out))
            logger.info(
                "History in %s/ left as it is: this run changed nothing (the state keeps its"
                " observations for the next refresh; -s NEWSSPIDER_HISTORY_SKIP_UNCHANGED=False"
                " refreshes after every run)",
                out,
            )
            return
        # the articles this run exported: their articles_latest rows from the run's own files
        run_dir = self.context.run_dir if default_article_feeds(settings) else None
        from newsspider.history import write_history  # only a run that changed something

        try:
            counts: dict[str, int] = {}
            written = write_history(
                state.store, out, top_n=top_n, report=report, run_dir=run_dir, counts=counts
            )
        except (OSError, StateWriteError) as exc:
            logger.error(
                "History tables in %s/ not refreshed (%s); the run itself is complete, and"
                " 'newsspider history rebuild' or the next run refreshes them",
                out,
                exc,
            )
            return
        logger.info(
            "History tables refreshed in %s/ (%s)",
            out,
            ", ".join(f"{name} {rows}" for name, rows in written.items()),
        )
        stats.set_value("newsspider/history/dir", str(out))
        if "articles_from_run" in counts:  # articles_latest rows spliced from the run's files
            stats.set_value("newsspider/history/articles_from_run", counts["articles_from_run"])

    def fail_exit_status(self, code: int) -> None:
        """Make ``scrapy crawl`` exit with ``code`` (a mismatch, a failed or degraded run).

        Scrapy decides the exit status before any extension can say the run failed, so the
        status is replaced at interpreter exit - only when running as the ``scrapy`` command,
        never inside another program (a test runner, a notebook) that embeds the crawler.
        """
        if not code or not running_as_scrapy_command():
            return

        def exit_with_code() -> None:
            logging.shutdown()
            sys.stdout.flush()
            sys.stderr.flush()
            os._exit(code)

        atexit.register(exit_with_code)

    def log_summary(self, manifest: dict[str, Any], run_dir: Path, latest: Path | None) -> None:
        stats = self.crawler.stats
        assert stats is not None
        elapsed = time.monotonic() - self.started_monotonic
        lines = [
            *summary_lines(manifest["health"]),
            f"Run {manifest['run_id']} finished ({manifest['finish_reason']}) in {elapsed:.1f} s",
        ]
        for stem, item_class in EXPORT_FILES.items():
            lines.append(f"  {stem:<11} {self.scraped[item_class.__name__]:>6} rows")
        rejects = self.scraped["Reject"]
        detail = ", ".join(f"{k}: {v}" for k, v in self.reject_reasons.most_common())
        lines.append(f"  {'rejects':<11} {rejects:>6}" + (f"  ({detail})" if detail else ""))
        dupes = {
            key.rsplit("/", 1)[-1]: value
            for key, value in stats.get_stats().items()
            if key.startswith("newsspider/dedupe/")
        }
        if dupes:
            lines.append("  duplicates dropped: " + ", ".join(f"{k} {v}" for k, v in dupes.items()))
        skipped = {
            key.removeprefix("newsspider/state/"): value
            for key, value in stats.get_stats().items()
            if key.startswith("newsspider/state/")
            and key.rsplit("/", 1)[-1] in INCREMENTAL_SKIPS
            and value
        }
        if skipped:
            lines.append(
                "  incremental, not exported again: "
                + ", ".join(f"{k} {v}" for k, v in skipped.items())
                + "  (-s NEWSSPIDER_STATE_ENABLED=False exports everything)"
            )
        lines.append(
            f"  files: {run_dir}/"
            + (f"  (also {latest}/)" if latest else f"  ({self.export_dir}/latest unchanged)")
        )
        level = max(
            log_level_for(manifest["health"]),
            logging.WARNING if rejects or not manifest["reconciled"] else logging.INFO,
        )
        history = stats.get_value("newsspider/history/dir")
        if history:
            kept = (
                " left as it is: nothing changed"
                if stats.get_value("newsspider/history/unchanged")
                else ""
            )
            lines.append(f"  history: {history}/  (history.xlsx, report.html){kept}")
        logger.log(level, "\n".join(lines))
