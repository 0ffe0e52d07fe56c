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
from newsspider.feeds import (
    EXPORT_FILES,
    MANIFEST_FILE,
    REJECTS_FILE,
    discard_torn_queue,
    forget_run_id,
    fsync_dir,
    mark_clean_pause,
    resume_state,
)
from newsspider.items import Reject, utc_now_iso
from newsspider.schema import write_schema

logger = logging.getLogger("newsspider.run")

PROGRESS_EVERY = 25  # articles between progress lines
# newsspider/state/<key> stats that mean "seen, but not exported again" (incremental crawls)
INCREMENTAL_SKIPS = frozenset(
    {"not_due", "not_modified", "unchanged", "listing_unchanged", "popular_unchanged"}
)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def count_rows(path: Path) -> int:
    """Data rows in an export file: JSONL lines, or CSV records minus the header."""
    if path.suffix == ".jsonl":
        with path.open("rb") as fh:
            return sum(1 for line in fh if line.strip())
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return max(sum(1 for _ in csv.reader(fh)) - 1, 0)


def write_json_atomic(path: Path, data: Any) -> None:
    part = path.with_name(path.name + ".part")
    with part.open("w", encoding="utf-8") as fh:
        json.dump(data, fh, ensure_ascii=False, indent=2)
        fh.write("\n")
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(part, path)
    fsync_dir(path.parent)


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


class RunFilesExtension:
    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.scraped: Counter[str] = Counter()
        self.reject_reasons: Counter[str] = Counter()
        self.started_at = utc_now_iso()
        self.started_monotonic = time.monotonic()
        self.finish_reason: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunFilesExtension:
        ext = cls(crawler)
        discard_torn_queue(crawler.settings)  # before the scheduler opens the JOBDIR queue
        crawler.signals.connect(ext.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(ext.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(ext.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(ext.feed_exporter_closed, signal=signals.feed_exporter_closed)
        return ext

    @property
    def export_dir(self) -> Path:
        return Path(self.crawler.settings.get("NEWSSPIDER_EXPORT_DIR", "exports"))

    def run_dir(self, spider: Spider) -> Path:
        return self.export_dir / str(getattr(spider, "run_id", "run"))

    def spider_opened(self, spider: Spider) -> None:
        if hasattr(spider, "run_id"):
            resume_state(spider)  # a resumed JOBDIR crawl continues its run id
        self.started_at = utc_now_iso()
        self.started_monotonic = time.monotonic()
        logger.info(
            "Run %s: exporting to %s/", getattr(spider, "run_id", "?"), self.run_dir(spider)
        )

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
        spider = self.crawler.spider
        assert spider is not None
        run_dir = self.run_dir(spider)
        if not run_dir.is_dir():
            logger.warning("No export folder %s (FEEDS overridden?): no manifest written", run_dir)
            return
        stats = self.crawler.stats
        assert stats is not None
        reason = self.finish_reason or stats.get_value("finish_reason") or "unknown"
        if reason == "shutdown" and self.crawler.settings.get("JOBDIR"):
            logger.warning(
                "Run %s paused: its files stay in %s/ as .part; run the same command with"
                " -s JOBDIR=%s to resume (no manifest, %s/latest unchanged)",
                getattr(spider, "run_id", "?"),
                run_dir,
                self.crawler.settings.get("JOBDIR"),
                self.export_dir,
            )
            mark_clean_pause(self.crawler.settings)
            return
        # rows written before a pause (resumed JOBDIR crawl) count as scraped by this run
        prior = resume_state(spider).prior_rows if hasattr(spider, "run_id") else {}
        before_pause = {c.__name__: prior.get(f"{s}.jsonl", 0) for s, c in EXPORT_FILES.items()}
        before_pause["Reject"] = prior.get(REJECTS_FILE, 0)
        self.scraped.update({k: v for k, v in before_pause.items() if v})
        files: dict[str, dict[str, Any]] = {}
        expected: dict[str, int] = {}
        for stem, item_class in EXPORT_FILES.items():
            for ext in ("jsonl", "csv"):
                expected[f"{stem}.{ext}"] = self.scraped[item_class.__name__]
        expected[REJECTS_FILE] = self.scraped["Reject"]
        mismatches = []
        for name, want in expected.items():
            path = run_dir / name
            if not path.exists():
                mismatches.append(f"{name}: missing")
                continue
            rows = count_rows(path)
            files[name] = {"rows": rows, "bytes": path.stat().st_size, "sha256": sha256_of(path)}
            if rows != want:
                mismatches.append(f"{name}: {rows} rows in the file, {want} items scraped")
        manifest = {
            "run_id": getattr(spider, "run_id", None),
            "spider": spider.name,
            "start_url": getattr(spider, "start_url", None),
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
        write_schema(run_dir)  # columns and types of every table, even when a file is empty
        write_json_atomic(run_dir / MANIFEST_FILE, manifest)
        forget_run_id(self.crawler.settings)  # the run is complete: nothing left to resume
        if mismatches:
            stats.set_value("newsspider/reconcile/mismatch", len(mismatches))
            logger.error(
                "Export files do not match the items scraped (%s); %s/latest left unchanged",
                "; ".join(mismatches),
                self.export_dir,
            )
            latest = None
            self.fail_exit_status()
        else:
            latest = point_latest(self.export_dir, run_dir)
        self.log_summary(manifest, run_dir, latest)

    def fail_exit_status(self) -> None:
        """Make ``scrapy crawl`` exit non-zero after a reconciliation mismatch.

        Scrapy decides the exit status before any extension can say the run failed, so the
        status is replaced at interpreter exit - only when running as the ``scrapy`` command,
        never inside another program (a test runner, a notebook) that embeds the crawler.
        """
        code = self.crawler.settings.getint("NEWSSPIDER_MISMATCH_EXIT_CODE", 3)
        argv0 = Path(sys.argv[0] if sys.argv else "")
        if not code or "scrapy" not in (argv0.name, argv0.parent.name):
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
        lines.append(f"  files: {run_dir}/" + (f"  (also {latest}/)" if latest else ""))
        history = stats.get_value("newsspider/history/dir")
        if history:
            lines.append(f"  history: {history}/  (history.xlsx, report.html)")
        level = logging.WARNING if rejects or not manifest["reconciled"] else logging.INFO
        logger.log(level, "\n".join(lines))
