"""``newsspider status``: recent runs per site, from the run folders' manifests.

    newsspider status [--export-dir exports] [--runs 10]

Exit status 1 when the latest run of any site failed, else 0 (for cron and monitoring).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsspider.feeds import MANIFEST_FILE, REJECTS_FILE

SKIP_FOLDERS = frozenset({"latest", "history", "logs"})


@dataclass(frozen=True)
class RunRow:
    site: str
    run_id: str
    finished_at: str
    spider: str
    status: str
    rows: int
    rejects: int
    alerts: list[str]


def run_folders(export_dir: Path) -> list[Path]:
    """Run folders under ``export_dir`` (not ``latest``, ``history``, ``logs``, dot folders)."""
    if not export_dir.is_dir():
        return []
    return sorted(
        p
        for p in export_dir.iterdir()
        if p.is_dir()
        and not p.is_symlink()
        and p.name not in SKIP_FOLDERS
        and not p.name.startswith(".")
    )


def read_manifest(run_dir: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((run_dir / MANIFEST_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def row_of(manifest: dict[str, Any], run_dir: Path) -> RunRow:
    from newsspider.state.paths import site_key

    health = manifest.get("health") or {}
    files = manifest.get("files") or {}
    rows = sum(
        int(info.get("rows", 0))
        for name, info in files.items()
        if name.endswith(".jsonl") and name != REJECTS_FILE
    )
    rejects = int((files.get(REJECTS_FILE) or {}).get("rows", 0))
    start_url = manifest.get("start_url")
    site = health.get("site") or (site_key(start_url) if start_url else "unknown-site")
    return RunRow(
        site=str(site),
        run_id=str(manifest.get("run_id") or run_dir.name),
        finished_at=str(manifest.get("finished_at") or ""),
        spider=str(manifest.get("spider") or "?"),
        status=str(health.get("status") or "unknown"),
        rows=rows,
        rejects=rejects,
        alerts=[str(a.get("code")) for a in health.get("alerts", [])],
    )


def collect(export_dir: Path) -> tuple[dict[str, list[RunRow]], list[str]]:
    """Runs by site (oldest first), and the run folders that have no manifest."""
    by_site: dict[str, list[RunRow]] = {}
    incomplete: list[str] = []
    for run_dir in run_folders(export_dir):
        manifest = read_manifest(run_dir)
        if manifest is None:
            incomplete.append(run_dir.name)
            continue
        row = row_of(manifest, run_dir)
        by_site.setdefault(row.site, []).append(row)
    for rows in by_site.values():
        rows.sort(key=lambda r: (r.finished_at, r.run_id))
    return by_site, incomplete


def render(by_site: dict[str, list[RunRow]], incomplete: list[str], runs: int) -> str:
    if not by_site and not incomplete:
        return "no runs yet"
    header = ("finished (UTC)", "run", "spider", "status", "rows", "rejects", "alerts")
    lines: list[str] = []
    for site in sorted(by_site):
        table = [
            (
                r.finished_at[:19].replace("T", " "),
                r.run_id,
                r.spider,
                r.status,
                str(r.rows),
                str(r.rejects),
                ", ".join(r.alerts) or "-",
            )
            for r in by_site[site][-runs:]
        ]
        widths = [max(len(row[i]) for row in [header, *table]) for i in range(len(header) - 1)]
        latest = by_site[site][-1]
        lines.append(f"{site}  (latest: {latest.status})")
        for row in [header, *table]:
            cells = [cell.ljust(w) for cell, w in zip(row[:-1], widths, strict=True)]
            lines.append("  " + "  ".join([*cells, row[-1]]).rstrip())
        lines.append("")
    if incomplete:
        lines.append(
            "without a manifest (crashed, paused or still running): " + ", ".join(incomplete)
        )
    return "\n".join(lines).rstrip()


def status(export_dir: Path, runs: int = 10) -> tuple[str, int]:
    """The status table and the exit status: 1 when the latest run of a site failed."""
    by_site, incomplete = collect(export_dir)
    failed = any(rows[-1].status == "failed" for rows in by_site.values())
    return render(by_site, incomplete, runs), 1 if failed else 0
