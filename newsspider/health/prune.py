"""Housekeeping: remove old run folders (``NEWSSPIDER_KEEP_RUNS`` / ``NEWSSPIDER_KEEP_DAYS``).

Never removed: the run ``latest`` points at, ``history/``, ``logs/``, dot folders, and run
folders without a manifest (a crawl still running, or paused with JOBDIR). Runs that exported
nothing (no data rows) go first, then the oldest.

Runs after every crawl when either setting is non-zero (``HealthObserver``), and on demand
with ``newsspider prune``.
"""

from __future__ import annotations

import logging
import shutil
from datetime import UTC, datetime, timedelta
from pathlib import Path

logger = logging.getLogger("newsspider.health")


def retention_from_settings(settings: object | None = None) -> tuple[int, float]:
    """(keep_runs, keep_days) from the settings (the project's when none are given)."""
    if settings is None:
        from scrapy.settings import Settings

        loaded = Settings()
        loaded.setmodule("newsspider.settings", priority="project")
        settings = loaded
    get_int = getattr(settings, "getint")  # noqa: B009
    get_float = getattr(settings, "getfloat")  # noqa: B009
    return get_int("NEWSSPIDER_KEEP_RUNS", 0), get_float("NEWSSPIDER_KEEP_DAYS", 0.0)


def latest_target(export_dir: Path) -> str | None:
    latest = export_dir / "latest"
    if latest.is_symlink():
        return latest.resolve().name
    return None


def prune_plan(
    export_dir: Path, *, keep_runs: int, keep_days: float, now: datetime | None = None
) -> list[Path]:
    """The run folders to remove, in removal order."""
    if keep_runs <= 0 and keep_days <= 0:
        return []
    # here: every crawl asks (HealthObserver), and with both settings at 0, the default, the
    # manifest reader is not loaded at all
    from newsspider.health.status import read_manifest, row_of, run_folders

    now = now or datetime.now(UTC)
    protected = latest_target(export_dir)
    runs = []
    for run_dir in run_folders(export_dir):
        manifest = read_manifest(run_dir)
        if manifest is None or run_dir.name == protected:
            continue
        row = row_of(manifest, run_dir)
        try:
            finished = datetime.fromisoformat(row.finished_at)
        except ValueError:
            continue
        runs.append((run_dir, finished, row.rows))
    doomed: list[Path] = []
    if keep_days > 0:
        cutoff = now - timedelta(days=keep_days)
        doomed += [d for d, finished, _ in runs if finished < cutoff]
    if keep_runs > 0:
        left = [r for r in runs if r[0] not in doomed]
        # keep_runs counts the protected latest run too
        excess = len(left) + (1 if protected else 0) - keep_runs
        if excess > 0:
            # empty runs first (oldest first), then the oldest runs with data
            order = sorted(left, key=lambda r: (r[2] > 0, r[1]))
            doomed += [d for d, _, _ in order[:excess]]
    return doomed


def prune_runs(
    export_dir: Path,
    *,
    keep_runs: int,
    keep_days: float,
    dry_run: bool = False,
    now: datetime | None = None,
) -> list[str]:
    """Remove what :func:`prune_plan` lists; the names removed."""
    doomed = prune_plan(export_dir, keep_runs=keep_runs, keep_days=keep_days, now=now)
    if not dry_run:
        for run_dir in doomed:
            shutil.rmtree(run_dir)
        if doomed:
            logger.info(
                "Pruned %d old run folders from %s/ (NEWSSPIDER_KEEP_RUNS=%s,"
                " NEWSSPIDER_KEEP_DAYS=%s)",
                len(doomed),
                export_dir,
                keep_runs,
                keep_days,
            )
    return [d.name for d in doomed]
