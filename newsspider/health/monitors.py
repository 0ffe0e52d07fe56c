"""The run monitors: a Spidermon ``MonitorSuite`` over the crawl's stats, run at the end of
every run (failed runs included) by :func:`newsspider.health.assess_run`.

Each monitor is a Spidermon ``Monitor`` (a ``unittest`` test case). A monitor that finds a
problem records one alert - ``{"code", "severity", "message", …}`` - and fails; the verdict is
the worst severity recorded: ``failed`` > ``degraded`` > ``ok``. Thresholds are settings
(``NEWSSPIDER_*``, README "Settings"; docs/MONITORING.md lists every monitor).
"""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, ClassVar

from spidermon import Monitor, MonitorSuite
from spidermon.results.monitor import MonitorResult
from spidermon.runners import MonitorRunner

from newsspider.health.drift import DriftSettings, FieldShare, drifted_fields, selectors_of

FAILED = "failed"
DEGRADED = "degraded"
OK = "ok"
SEVERITY_ORDER = {OK: 0, DEGRADED: 1, FAILED: 2}
# a crawl that stopped at one of its own bounds finished as asked
BOUNDED_REASONS = frozenset(
    {"finished", "closespider_itemcount", "closespider_pagecount", "closespider_timeout"}
)
# runs that only revisit a known list of articles have no start page
NO_START_PAGE_SPIDERS = frozenset({"article"})
# newsspider/state/<key>: articles seen this run but not exported again (incremental crawls)
ARTICLES_SEEN_SKIPS = ("not_due", "not_modified", "unchanged")
# shares of fewer items / fetches than this say nothing (a run that failed at its start page)
MIN_SHARE_SAMPLE = 5
EXCEPTION_PREFIX_RE = re.compile(r"^[A-Z][A-Za-z]+(?:Error|Refused|Exception)?: ")


@dataclass(frozen=True)
class Thresholds:
    min_articles_ratio: float = 0.5  # fewer than ratio x median of the recent runs: degraded
    history_runs: int = 10  # recent runs compared with
    min_history_runs: int = 3  # fewer recent runs: no comparison
    max_reject_share: float = 0.2
    max_fetch_failure_share: float = 0.2
    max_error_lines: int = 0
    max_article_age: timedelta | None = timedelta(days=3)  # None: off
    drift: DriftSettings = field(default_factory=DriftSettings)


@dataclass
class RunFacts:
    """Everything the monitors judge: built once at the end of the run."""

    run_id: str
    spider: str
    site: str  # the state key of the site (``www.news1global.com``, ``local-127.0.0.1-8080``)
    start_url: str | None
    local: bool  # a local copy (file:, 127.0.0.1): frozen in time, no freshness check
    finish_reason: str
    stats: dict[str, Any]
    scraped: dict[str, int]  # items that left the pipelines, by class name
    now: datetime
    reconcile_errors: list[str] = field(default_factory=list)
    recent_articles: list[int] = field(default_factory=list)  # newest first
    recent_drift: dict[str, dict[str, list[float]]] = field(default_factory=dict)
    profiles: dict[str, Any] = field(default_factory=dict)  # site profile name -> SiteProfile
    thresholds: Thresholds = field(default_factory=Thresholds)
    # one worker of a distributed crawl (NEWSSPIDER_REDIS_URL): another worker may have fetched
    # the start page and the articles, so this worker's share alone proves nothing
    distributed: bool = False

    @property
    def articles_seen(self) -> int:
        """Articles exported plus those an incremental run saw unchanged (not exported again)."""
        skipped = sum(int(self.stats.get(f"newsspider/state/{k}", 0)) for k in ARTICLES_SEEN_SKIPS)
        return int(self.scraped.get("Article", 0)) + skipped

    @property
    def fetch_failures(self) -> int:
        return sum(
            int(v)
            for k, v in self.stats.items()
            if k.startswith("newsspider/fetch/") and isinstance(v, int)
        )


class HealthMonitor(Monitor):  # type: ignore[misc]
    """A monitor that records its finding as an alert before failing."""

    @property
    def facts(self) -> RunFacts:
        return self.data.run  # type: ignore[no-any-return]

    def alert(self, severity: str, code: str, message: str, **extra: Any) -> None:
        self.data.alerts.append({"code": code, "severity": severity, "message": message, **extra})
        self.fail(message)


class StartPageMonitor(HealthMonitor):
    """Start page fetched."""

    def test_start_page_fetched(self) -> None:
        run = self.facts
        if run.spider in NO_START_PAGE_SPIDERS or not run.start_url or run.distributed:
            return
        status = run.stats.get("newsspider/health/start_page/status")
        error = run.stats.get("newsspider/health/start_page/error")
        if status is None:
            # "RequestRefused: site unreachable: …" -> "site unreachable: …"
            reason = EXCEPTION_PREFIX_RE.sub("", str(error or "no response"))
            hint = "" if "check" in reason else "; check the URL and that the site is up"
            self.alert(
                FAILED,
                "start_page_not_fetched",
                f"start page {run.start_url} was not fetched: {reason}{hint}",
                url=run.start_url,
            )
        elif int(status) >= 400:
            self.alert(
                FAILED,
                "start_page_not_fetched",
                f"start page {run.start_url} answered HTTP {status}; check the URL",
                url=run.start_url,
                http_status=int(status),
            )


class ArticleCountMonitor(HealthMonitor):
    """Articles found."""

    def test_some_articles(self) -> None:
        if self.facts.articles_seen == 0 and not self.facts.distributed:
            self.alert(
                FAILED,
                "no_articles",
                f"no articles in run {self.facts.run_id} of {self.facts.site}",
                articles=0,
            )

    def test_not_too_few_articles(self) -> None:
        run, t = self.facts, self.facts.thresholds
        recent = [n for n in run.recent_articles[: t.history_runs] if n > 0]
        if len(recent) < t.min_history_runs or run.articles_seen == 0:
            return
        median = statistics.median(recent)
        if run.articles_seen < t.min_articles_ratio * median:
            self.alert(
                DEGRADED,
                "too_few_articles",
                f"{run.articles_seen} articles, under {t.min_articles_ratio:g} x the median"
                f" ({median:g}) of the last {len(recent)} runs of {run.site}",
                articles=run.articles_seen,
                recent_median=median,
            )


class RejectShareMonitor(HealthMonitor):
    """Share of rejected items."""

    def test_reject_share(self) -> None:
        run, limit = self.facts, self.facts.thresholds.max_reject_share
        rejects = int(run.scraped.get("Reject", 0))
        total = sum(run.scraped.values())
        if total >= MIN_SHARE_SAMPLE and rejects / total > limit:
            self.alert(
                DEGRADED,
                "reject_share",
                f"{rejects} of {total} items rejected ({rejects / total:.0%}, limit"
                f" {limit:.0%}); see rejects.csv",
                rejects=rejects,
                items=total,
            )


class FetchFailureMonitor(HealthMonitor):
    """Share of failed fetches."""

    def test_fetch_failure_share(self) -> None:
        run, limit = self.facts, self.facts.thresholds.max_fetch_failure_share
        failures = run.fetch_failures
        attempts = int(run.stats.get("response_received_count", 0)) + failures
        if attempts >= MIN_SHARE_SAMPLE and failures / attempts > limit:
            self.alert(
                DEGRADED,
                "fetch_failures",
                f"{failures} of {attempts} fetches failed ({failures / attempts:.0%}, limit"
                f" {limit:.0%}); the newsspider/fetch/* stats say why",
                failures=failures,
                attempts=attempts,
            )


class ErrorLogMonitor(HealthMonitor):
    """ERROR log lines."""

    def test_error_lines(self) -> None:
        run, limit = self.facts, self.facts.thresholds.max_error_lines
        errors = int(run.stats.get("log_count/ERROR", 0)) + int(
            run.stats.get("log_count/CRITICAL", 0)
        )
        if errors > limit:
            self.alert(
                DEGRADED,
                "error_log_lines",
                f"{errors} ERROR log lines (limit {limit}); read the run's log",
                errors=errors,
            )


class FinishReasonMonitor(HealthMonitor):
    """Finish reason."""

    def test_finish_reason(self) -> None:
        reason = self.facts.finish_reason
        if reason in BOUNDED_REASONS:
            return
        if reason == "shutdown":
            self.alert(
                DEGRADED,
                "finish_reason",
                "the crawl was stopped before it finished (shutdown); the run is partial",
                finish_reason=reason,
            )
            return
        self.alert(
            FAILED,
            "finish_reason",
            f"the crawl ended with finish reason {reason!r}, not 'finished'",
            finish_reason=reason,
        )


class ListingMonitor(HealthMonitor):
    """Front-page slots and popular entries."""

    def test_front_page_slots(self) -> None:
        no_slots = int(self.facts.stats.get("newsspider/frontpage/no_slots", 0))
        if no_slots:
            self.alert(
                DEGRADED,
                "no_front_page_slots",
                f"no headline slots found on the front page {self.facts.start_url}",
            )

    def test_popular_entries(self) -> None:
        for site, shares in self._profiled_shares().items():
            popular = shares.get("popular")
            if popular is not None and popular.pages and popular.profile == 0:
                self.alert(
                    DEGRADED,
                    "no_popular_entries",
                    f"{site}: no popular list found on any of {popular.pages} pages",
                    site=site,
                )

    def _profiled_shares(self) -> dict[str, dict[str, FieldShare]]:
        from newsspider.health.drift import field_shares

        return field_shares(self.facts.stats)


class FreshnessMonitor(HealthMonitor):
    """Time since the newest article."""

    def test_newest_article_age(self) -> None:
        run, max_age = self.facts, self.facts.thresholds.max_article_age
        newest = run.stats.get("newsspider/health/newest_published_at")
        if max_age is None or run.local or not newest:
            return
        age = run.now - datetime.fromisoformat(str(newest))
        if age > max_age:
            self.alert(
                DEGRADED,
                "stale_articles",
                f"the newest article was published {newest}, {_human(age)} ago (limit"
                f" {_human(max_age)}); is the site still publishing, or the front page cached?",
                newest_published_at=str(newest),
            )


class LayoutDriftMonitor(HealthMonitor):
    """Layout drift of profiled sites."""

    def test_layout_drift(self) -> None:
        from newsspider.health.drift import field_shares

        run = self.facts
        problems = []
        for site, shares in field_shares(run.stats).items():
            fields = drifted_fields(shares, run.recent_drift.get(site, {}), run.thresholds.drift)
            if not fields:
                continue
            profile = run.profiles.get(site)
            for entry in fields:
                entry["selectors"] = selectors_of(profile, entry["field"])
            problems.append((site, fields))
        for site, fields in problems:
            parts = [
                f"{f['field']} {f['profile']}/{f['pages']} pages"
                f" (selectors {', '.join(f['selectors']) or 'unknown'};"
                f" generic layer filled {f['fallback']}, missing {f['missing']})"
                for f in fields
            ]
            names = ", ".join(f["field"] for f in fields)
            self.data.alerts.append(
                {
                    "code": "layout_drift",
                    "severity": DEGRADED,
                    "message": f"layout drift on {site}: the profile's selectors stopped"
                    f" matching for {names}: " + "; ".join(parts),
                    "site": site,
                    "fields": fields,
                }
            )
        if problems:
            self.fail(f"layout drift on {', '.join(s for s, _ in problems)}")


class ReconcileMonitor(HealthMonitor):
    """Export files match the items scraped."""

    def test_reconciled(self) -> None:
        if self.facts.reconcile_errors:
            self.alert(
                FAILED,
                "reconcile_mismatch",
                "export files do not match the items scraped: "
                + "; ".join(self.facts.reconcile_errors),
            )


MONITORS: tuple[type[HealthMonitor], ...] = (
    FinishReasonMonitor,
    StartPageMonitor,
    ArticleCountMonitor,
    ReconcileMonitor,
    FetchFailureMonitor,
    RejectShareMonitor,
    ErrorLogMonitor,
    ListingMonitor,
    LayoutDriftMonitor,
    FreshnessMonitor,
)


class HealthSuite(MonitorSuite):  # type: ignore[misc]
    monitors: ClassVar[list[type[HealthMonitor]]] = list(MONITORS)


class _Runner(MonitorRunner):  # type: ignore[misc]
    """Spidermon's runner without its log lines: the verdict is logged once, in the summary."""

    def create_result(self) -> MonitorResult:
        return MonitorResult()


def run_monitors(run: RunFacts) -> list[dict[str, Any]]:
    """Run :class:`HealthSuite` over ``run``; the alerts, worst first."""
    alerts: list[dict[str, Any]] = []
    result = _Runner().run(HealthSuite(), run=run, alerts=alerts)
    for item in result.monitors_failed_results:
        # a monitor that crashed (a bug, not a finding) must not pass silently
        error = str(item.error).strip().splitlines()
        if error and not error[-1].startswith("AssertionError"):
            alerts.append(
                {
                    "code": "monitor_error",
                    "severity": DEGRADED,
                    "message": f"monitor {item.item.name} could not run: {error[-1]}",
                }
            )
    return sorted(alerts, key=lambda a: -SEVERITY_ORDER.get(a["severity"], 0))


def status_of(alerts: list[dict[str, Any]]) -> str:
    worst = max((SEVERITY_ORDER.get(a["severity"], 0) for a in alerts), default=0)
    return {0: OK, 1: DEGRADED, 2: FAILED}[worst]


def _human(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds >= 86400:
        return f"{seconds / 86400:.1f} days"
    if seconds >= 3600:
        return f"{seconds / 3600:.1f} hours"
    return f"{seconds // 60} minutes"
