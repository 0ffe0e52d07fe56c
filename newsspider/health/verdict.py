"""The health verdict of a run: monitors, history, exit status and the summary lines.

Called once per run by the run-files extension, before the manifest is written::

    health = assess_run(crawler, finish_reason=reason, scraped=counts, reconcile_errors=errs)
    manifest["health"] = health            # {"status", "alerts", "site", …}
    if health["status"] != "failed": point_latest(...)
    code = exit_code_for(health, crawler.settings)   # 0, 3, 4 or 5
"""

from __future__ import annotations

import json
import logging
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from newsspider import settings as defaults  # each default: settings.py
from newsspider.health.drift import DriftSettings, field_shares
from newsspider.health.monitors import (
    DEGRADED,
    FAILED,
    OK,
    RunFacts,
    Thresholds,
    run_monitors,
    status_of,
)

if TYPE_CHECKING:
    from newsspider.run import RunContext

logger = logging.getLogger("newsspider.health")

HISTORY_META_PREFIX = "health/"  # state store meta key of each run's health figures
FAIL_ON_CHOICES = (FAILED, DEGRADED)


def thresholds_from_settings(settings: Any) -> Thresholds:
    from newsspider.state.decay import parse_duration

    age_text = str(
        settings.get("NEWSSPIDER_MAX_ARTICLE_AGE", defaults.NEWSSPIDER_MAX_ARTICLE_AGE) or "0"
    )
    age = parse_duration(age_text)
    floors = settings.getdict("NEWSSPIDER_DRIFT_FLOORS", defaults.NEWSSPIDER_DRIFT_FLOORS) or {}
    return Thresholds(
        min_articles_ratio=settings.getfloat(
            "NEWSSPIDER_MIN_ARTICLES_RATIO", defaults.NEWSSPIDER_MIN_ARTICLES_RATIO
        ),
        history_runs=settings.getint(
            "NEWSSPIDER_HEALTH_HISTORY_RUNS", defaults.NEWSSPIDER_HEALTH_HISTORY_RUNS
        ),
        min_history_runs=settings.getint(
            "NEWSSPIDER_HEALTH_MIN_HISTORY_RUNS", defaults.NEWSSPIDER_HEALTH_MIN_HISTORY_RUNS
        ),
        max_reject_share=settings.getfloat(
            "NEWSSPIDER_MAX_REJECT_SHARE", defaults.NEWSSPIDER_MAX_REJECT_SHARE
        ),
        max_fetch_failure_share=settings.getfloat(
            "NEWSSPIDER_MAX_FETCH_FAILURE_SHARE", defaults.NEWSSPIDER_MAX_FETCH_FAILURE_SHARE
        ),
        max_error_lines=settings.getint(
            "NEWSSPIDER_MAX_ERROR_LINES", defaults.NEWSSPIDER_MAX_ERROR_LINES
        ),
        max_article_age=age if age.total_seconds() > 0 else None,
        drift=DriftSettings(
            floor=settings.getfloat("NEWSSPIDER_DRIFT_FLOOR", defaults.NEWSSPIDER_DRIFT_FLOOR),
            floors={str(k): float(v) for k, v in floors.items()},
            drop=settings.getfloat("NEWSSPIDER_DRIFT_DROP", defaults.NEWSSPIDER_DRIFT_DROP),
            min_pages=settings.getint(
                "NEWSSPIDER_DRIFT_MIN_PAGES", defaults.NEWSSPIDER_DRIFT_MIN_PAGES
            ),
        ),
    )


def fail_on(settings: Any) -> str:
    value = (
        str(settings.get("NEWSSPIDER_FAIL_ON", defaults.NEWSSPIDER_FAIL_ON) or DEGRADED)
        .strip()
        .lower()
    )
    if value not in FAIL_ON_CHOICES:
        raise ValueError(
            f"NEWSSPIDER_FAIL_ON={value!r}: give 'failed' (only failed runs exit non-zero) or"
            " 'degraded' (degraded runs too)"
        )
    return value


def exit_code_for(health: Mapping[str, Any], settings: Any) -> int:
    """The exit status a run's health asks for (0: none). README "Exit status"."""
    codes = {a.get("code") for a in health.get("alerts", [])}
    if "reconcile_mismatch" in codes:
        return int(
            settings.getint("NEWSSPIDER_MISMATCH_EXIT_CODE", defaults.NEWSSPIDER_MISMATCH_EXIT_CODE)
        )
    if health.get("status") == FAILED:
        return int(
            settings.getint("NEWSSPIDER_FAILED_EXIT_CODE", defaults.NEWSSPIDER_FAILED_EXIT_CODE)
        )
    if health.get("status") == DEGRADED and fail_on(settings) == DEGRADED:
        return int(
            settings.getint("NEWSSPIDER_DEGRADED_EXIT_CODE", defaults.NEWSSPIDER_DEGRADED_EXIT_CODE)
        )
    return 0


def load_history(
    store: Any, spider: str, run_id: str, limit: int
) -> tuple[list[int], dict[str, dict[str, list[float]]]]:
    """Articles seen and drift shares of the site's recent runs of ``spider``, newest first.

    The runs come from the state store's ``runs`` table; their health figures from the
    ``health/<run id>`` meta rows this module writes (older runs: the ``runs.counts``).
    """
    articles: list[int] = []
    drift: dict[str, dict[str, list[float]]] = {}
    rows = [r for r in reversed(store.runs()) if r["spider"] == spider and r["run_id"] != run_id]
    for row in rows[:limit]:
        raw = store.meta(HISTORY_META_PREFIX + str(row["run_id"]))
        figures = json.loads(raw) if raw else None
        if figures is None:
            if row.get("finish_reason") != "finished" or not row.get("counts"):
                continue
            counts = json.loads(row["counts"])
            articles.append(sum(int(v) for v in counts.values()))
            continue
        if figures.get("status") == FAILED:
            continue  # a failed run is no yardstick
        articles.append(int(figures.get("articles", 0)))
        for site, fields in (figures.get("drift") or {}).items():
            for name, share in fields.items():
                drift.setdefault(site, {}).setdefault(name, []).append(float(share))
    return articles, drift


def assess_run(
    crawler: Any,
    context: RunContext,
    *,
    finish_reason: str,
    scraped: Mapping[str, int],
    reconcile_errors: Sequence[str] = (),
    now: datetime | None = None,
) -> dict[str, Any]:
    """Run the monitors over this run and return the manifest's ``health`` object.

    The site's recent runs come from the run's own state store (inside the run's
    transaction: this run's figures are saved with its commit, a failed run's never).
    """
    from newsspider.sites import profiles
    from newsspider.state.paths import is_local_site, site_key

    settings = crawler.settings
    stats: dict[str, Any] = dict(crawler.stats.get_stats()) if crawler.stats else {}
    site_url = context.site_url
    shares = field_shares(stats)  # per profile that parsed pages in this run
    run = RunFacts(
        run_id=context.run_id,
        spider=context.spider_name,
        site=site_key(site_url) if site_url else "unknown-site",
        start_url=site_url,
        local=is_local_site(site_url) if site_url else True,
        finish_reason=finish_reason,
        stats=stats,
        scraped=dict(scraped),
        now=now or datetime.now(UTC),
        reconcile_errors=list(reconcile_errors),
        # they name a drifting field's selectors: a run that parsed no page loads no profile
        profiles=dict(profiles()) if shares else {},
        thresholds=thresholds_from_settings(settings),
        distributed=bool(settings.get("NEWSSPIDER_REDIS_URL")),
    )
    store = context.state.store if context.state is not None else None
    if store is not None:
        run.recent_articles, run.recent_drift = load_history(
            store, run.spider, run.run_id, run.thresholds.history_runs
        )
    alerts = run_monitors(run)
    status = status_of(alerts)
    drift = {
        site: {name: round(share.share, 3) for name, share in fields.items()}
        for site, fields in shares.items()
    }
    if store is not None and run.run_id:
        figures = {"status": status, "articles": run.articles_seen, "drift": drift}
        store.set_meta(HISTORY_META_PREFIX + run.run_id, json.dumps(figures, sort_keys=True))
    return {
        "status": status,
        "alerts": alerts,
        "site": run.site,
        "articles_seen": run.articles_seen,
        "profile_shares": drift,
    }


def summary_lines(health: Mapping[str, Any]) -> list[str]:
    """The first lines of the end-of-run summary: the verdict, then one line per alert."""
    alerts = health.get("alerts", [])
    status = str(health.get("status", OK))
    head = f"Health: {status.upper()}"
    if alerts:
        head += f" ({len(alerts)} alert{'s' if len(alerts) != 1 else ''})"
    lines = [head]
    lines += [f"  [{a['severity']}] {a['code']}: {a['message']}" for a in alerts]
    return lines


def log_level_for(health: Mapping[str, Any]) -> int:
    return {FAILED: logging.ERROR, DEGRADED: logging.WARNING}.get(
        str(health.get("status")), logging.INFO
    )


def run_health(
    crawler: Any,
    context: RunContext,
    *,
    finish_reason: str,
    scraped: Mapping[str, int],
    reconcile_errors: Sequence[str],
    run_dir: Any,
) -> dict[str, Any]:
    """:func:`assess_run`, then the alerts of an unhealthy run (``health["notified"]``)."""
    try:
        health = assess_run(
            crawler,
            context,
            finish_reason=finish_reason,
            scraped=scraped,
            reconcile_errors=reconcile_errors,
        )
    except Exception as exc:  # a bug in a monitor must not cost the run its manifest
        logger.exception("The health check of this run failed")
        health = {
            "status": FAILED if reconcile_errors else DEGRADED,
            "alerts": [
                {
                    "code": "monitor_error",
                    "severity": DEGRADED,
                    "message": f"the health check could not run ({exc!r}); read the log",
                }
            ],
            "site": None,
        }
    return alert(crawler, context, health, run_dir)


def failed_health(crawler: Any, context: RunContext, code: str, message: str) -> dict[str, Any]:
    """The verdict of a run that could not complete (disk full, state file error)."""
    from newsspider.state.paths import site_key

    health: dict[str, Any] = {
        "status": FAILED,
        "alerts": [{"code": code, "severity": FAILED, "message": message}],
        "site": site_key(context.site_url) if context.site_url else None,
    }
    return alert(crawler, context, health, context.run_dir)


def alert(
    crawler: Any, context: RunContext, health: dict[str, Any], run_dir: Any
) -> dict[str, Any]:
    """Send the configured notifications of an unhealthy run (``health["notified"]``)."""
    if health["status"] == OK:
        return health  # nothing to send: the channels' modules (smtplib, email) not loaded
    from newsspider.health.notify import AlertConfig, alert_payload, notify

    config = AlertConfig.from_settings(crawler.settings)
    if config.any:
        payload = alert_payload(
            run_id=context.run_id,
            site=health["site"],
            spider=context.spider_name,
            health=health,
            run_dir=str(run_dir),
        )
        health["notified"] = notify(config, payload)
    return health
