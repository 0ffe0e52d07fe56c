"""How ``newsspider schedule`` reports a finished crawl: one line, an ERROR when unhealthy.

The crawl itself sends the alerts of an unhealthy run (its manifest's ``health.notified``);
when it could not - it died before writing a manifest - the scheduler sends them here.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from newsspider.health.notify import AlertConfig, alert_payload, notify

logger = logging.getLogger("newsspider.schedule")


def read_health(export_dir: Any, run_id: str) -> dict[str, Any] | None:
    try:
        data = json.loads((export_dir / run_id / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    health = data.get("health") if isinstance(data, dict) else None
    return health if isinstance(health, dict) else None


def crawl_settings(overrides: dict[str, str]) -> Any:
    from scrapy.settings import Settings

    settings = Settings()
    settings.setmodule("newsspider.settings", priority="project")
    settings.setdict(overrides, priority="cmdline")
    return settings


def report_run(site: Any, spider: str, run_id: str, code: int, elapsed: float, number: int) -> bool:
    """Log the outcome of one scheduled crawl; alert when the crawl could not. Healthy?"""
    from newsspider.schedule import summarize_run
    from newsspider.state.paths import site_key

    summary = summarize_run(site, run_id)
    health = read_health(site.export_dir, run_id)
    head = f"run {spider} #{number} {run_id}: exit {code} in {elapsed:.1f} s"
    if health is None:
        health = {
            "status": "failed",
            "alerts": [
                {
                    "code": "crawl_crashed",
                    "severity": "failed",
                    "message": f"the crawl exited with status {code} without writing a"
                    f" manifest; see {site.export_dir}/logs/{run_id}.log",
                }
            ],
        }
    status = str(health.get("status", "failed"))
    if status == "ok" and code == 0:
        logger.info("%s; %s", head, summary)
        return True
    reasons = "; ".join(str(a.get("message")) for a in health.get("alerts", [])) or "no alert"
    level = logging.ERROR if status == "failed" or code != 0 else logging.WARNING
    logger.log(level, "%s; %s: %s (%s)", head, status.upper(), reasons, summary)
    if "notified" not in health:
        config = AlertConfig.from_settings(crawl_settings(site.settings))
        if config.any:
            notify(
                config,
                alert_payload(
                    run_id=run_id,
                    site=health.get("site") or site_key(site.url),
                    spider=spider,
                    health=health,
                    run_dir=str(site.export_dir / run_id),
                ),
            )
    return status != "failed"
