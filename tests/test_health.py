"""Run health, layer by layer: each monitor over hand-built stats, drift shares, the exit
status, the verdict and history through a real state file, pruning and the status table."""

from __future__ import annotations

import json
import os
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from scrapy.settings import Settings

from newsspider.health.drift import (
    DriftSettings,
    FieldShare,
    article_outcomes,
    drifted_fields,
    field_shares,
    stat_key,
)
from newsspider.health.monitors import RunFacts, Thresholds, run_monitors, status_of
from newsspider.health.prune import prune_plan, prune_runs
from newsspider.health.status import status
from newsspider.health.verdict import exit_code_for, load_history, summary_lines
from newsspider.items import Article
from newsspider.schedule import Job
from newsspider.state.store import StateStore

NOW = datetime(2026, 11, 28, 9, 0, tzinfo=UTC)
HEALTHY_STATS: dict[str, Any] = {
    "newsspider/health/start_page/status": 200,
    "response_received_count": 35,
    "newsspider/health/newest_published_at": "2026-11-28T06:00:00+00:00",
}


def facts(**overrides: Any) -> RunFacts:
    base: dict[str, Any] = {
        "run_id": "r1",
        "spider": "frontpage",
        "site": "example.com",
        "start_url": "https://www.example.com/",
        "local": False,
        "finish_reason": "finished",
        "stats": dict(HEALTHY_STATS),
        "scraped": {"Article": 30, "FrontPageSlot": 40, "PopularEntry": 10},
        "now": NOW,
    }
    stats = overrides.pop("stats", {})
    base.update(overrides)
    base["stats"] = {**base["stats"], **stats}
    return RunFacts(**base)


def codes(run: RunFacts) -> list[tuple[str, str]]:
    return [(a["code"], a["severity"]) for a in run_monitors(run)]


def test_a_healthy_run_has_no_alerts() -> None:
    alerts = run_monitors(facts())
    assert alerts == []
    assert status_of(alerts) == "ok"


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        # start page never answered (site down), with the reason the Reject gave
        (
            {"stats": {"newsspider/health/start_page/status": None}},
            ("start_page_not_fetched", "failed"),
        ),
        (
            {"stats": {"newsspider/health/start_page/status": 404}},
            ("start_page_not_fetched", "failed"),
        ),
        ({"scraped": {"FrontPageSlot": 40}}, ("no_articles", "failed")),
        (
            {"recent_articles": [30, 28, 31, 29]} | {"scraped": {"Article": 12}},
            ("too_few_articles", "degraded"),
        ),
        ({"scraped": {"Article": 30, "Reject": 10}}, ("reject_share", "degraded")),
        ({"stats": {"newsspider/fetch/timeout": 10}}, ("fetch_failures", "degraded")),
        ({"stats": {"log_count/ERROR": 1}}, ("error_log_lines", "degraded")),
        ({"finish_reason": "shutdown"}, ("finish_reason", "degraded")),
        ({"finish_reason": "closespider_errorcount"}, ("finish_reason", "failed")),
        ({"stats": {"newsspider/frontpage/no_slots": 1}}, ("no_front_page_slots", "degraded")),
        (
            {"stats": {stat_key("news1global", "popular", "missing"): 6}},
            ("no_popular_entries", "degraded"),
        ),
        (
            {"stats": {"newsspider/health/newest_published_at": "2026-11-20T00:00:00+00:00"}},
            ("stale_articles", "degraded"),
        ),
        (
            {
                "stats": {
                    stat_key("news1global", "body", "fallback"): 9,
                    stat_key("news1global", "body", "profile"): 1,
                }
            },
            ("layout_drift", "degraded"),
        ),
        (
            {"reconcile_errors": ["articles.csv: 3 rows in the file, 4 items scraped"]},
            ("reconcile_mismatch", "failed"),
        ),
    ],
)
def test_each_monitor_raises_its_alert(
    overrides: dict[str, Any], expected: tuple[str, str]
) -> None:
    if overrides.get("stats", {}).get("newsspider/health/start_page/status", 0) is None:
        run = facts()
        del run.stats["newsspider/health/start_page/status"]
    else:
        run = facts(**overrides)
    found = codes(run)
    assert expected in found, found
    assert status_of(run_monitors(run)) == expected[1]


def test_thresholds_are_respected_at_the_boundary() -> None:
    # exactly at the limits: no alert
    run = facts(
        scraped={"Article": 8, "Reject": 2},
        stats={"newsspider/fetch/timeout": 5, "response_received_count": 20},
        recent_articles=[16, 16, 16],
    )
    assert codes(run) == []
    # one article fewer than half the median: degraded
    assert ("too_few_articles", "degraded") in codes(
        facts(scraped={"Article": 7}, recent_articles=[16, 16, 16])
    )
    # too little history: no comparison
    assert codes(facts(scraped={"Article": 1}, recent_articles=[16, 16])) == []
    # a looser limit from the settings
    loose = Thresholds(max_error_lines=3)
    assert codes(facts(stats={"log_count/ERROR": 3}, thresholds=loose)) == []


def test_freshness_is_off_for_local_sites_and_when_disabled() -> None:
    old = {"newsspider/health/newest_published_at": "2020-01-01T00:00:00+00:00"}
    assert codes(facts(stats=old, local=True)) == []
    assert codes(facts(stats=old, thresholds=Thresholds(max_article_age=None))) == []


def test_unreachable_start_page_message_names_the_reason() -> None:
    run = facts(
        stats={"newsspider/health/start_page/error": "site unreachable: x (connection refused)"}
    )
    del run.stats["newsspider/health/start_page/status"]
    alert = run_monitors(run)[0]
    assert alert["code"] == "start_page_not_fetched"
    assert "site unreachable: x (connection refused)" in alert["message"]


def test_incremental_run_with_nothing_new_is_not_empty() -> None:
    run = facts(scraped={"FrontPageSlot": 0}, stats={"newsspider/state/not_due": 30})
    assert run.articles_seen == 30
    assert codes(run) == []


# --------------------------------------------------------------------------- drift


def test_article_outcomes_profile_fallback_missing() -> None:
    article = Article(
        headline="H",
        headline_source="profile",
        body="B",
        body_source="heuristics",
        published_at=None,
        authors=["A"],
        authors_source="structured_data",
        category=None,
        tags=["t"],
    )
    out = article_outcomes(article, {"category": False, "tags": False})
    assert out == {
        "headline": "profile",
        "body": "fallback",
        "date": "missing",
        "authors": "fallback",
        "category": "missing",
        "tags": "fallback",
    }
    assert article_outcomes(article, {"tags": True})["tags"] == "profile"


def test_drift_floor_history_and_min_pages() -> None:
    shares = {
        "headline": FieldShare("headline", 10, 10, 0, 0),
        "body": FieldShare("body", 10, 2, 8, 0),
        "tags": FieldShare("tags", 10, 6, 4, 0),
        "slots": FieldShare("slots", 1, 0, 0, 1),  # one page: too few to judge
    }
    settings = DriftSettings()
    fields = drifted_fields(shares, {}, settings)
    assert [f["field"] for f in fields] == ["body"]
    assert fields[0]["fallback"] == 8
    # tags at 0.6 is above the floor, but far below its usual 0.95
    fields = drifted_fields(shares, {"tags": [0.95, 0.96, 0.94]}, settings)
    assert [f["field"] for f in fields] == ["body", "tags"]
    # a per-field floor
    assert drifted_fields(shares, {}, DriftSettings(floors={"body": 0.1})) == []


def test_field_shares_from_stats() -> None:
    stats = {
        stat_key("s", "headline", "profile"): 3,
        stat_key("s", "headline", "fallback"): 1,
        "newsspider/profile/odd": 1,
    }
    share = field_shares(stats)["s"]["headline"]
    assert (share.pages, share.profile, share.fallback, share.share) == (4, 3, 1, 0.75)


def test_drift_alert_names_site_fields_and_selectors() -> None:
    from newsspider.sites import profiles

    stats = {
        stat_key("news1global", "headline", "fallback"): 10,
        stat_key("news1global", "date", "profile"): 10,
    }
    run = facts(stats=stats, profiles=dict(profiles()))
    (alert,) = [a for a in run_monitors(run) if a["code"] == "layout_drift"]
    assert alert["site"] == "news1global"
    assert [f["field"] for f in alert["fields"]] == ["headline"]
    assert "h1.article-headline" in alert["message"]
    assert "generic layer filled 10" in alert["message"]


# --------------------------------------------------------------------------- verdict


@pytest.mark.parametrize(
    ("health", "settings", "code"),
    [
        ({"status": "ok", "alerts": []}, {}, 0),
        ({"status": "degraded", "alerts": [{"code": "x"}]}, {}, 5),
        ({"status": "degraded", "alerts": [{"code": "x"}]}, {"NEWSSPIDER_FAIL_ON": "failed"}, 0),
        ({"status": "failed", "alerts": [{"code": "no_articles"}]}, {}, 4),
        ({"status": "failed", "alerts": [{"code": "reconcile_mismatch"}]}, {}, 3),
        ({"status": "failed", "alerts": []}, {"NEWSSPIDER_FAILED_EXIT_CODE": "9"}, 9),
    ],
)
def test_exit_codes(health: dict[str, Any], settings: dict[str, str], code: int) -> None:
    s = Settings()
    s.setmodule("newsspider.settings", priority="project")
    s.setdict(settings, priority="cmdline")
    assert exit_code_for(health, s) == code


def test_fail_on_must_be_failed_or_degraded() -> None:
    s = Settings({"NEWSSPIDER_FAIL_ON": "sometimes"})
    with pytest.raises(ValueError, match="NEWSSPIDER_FAIL_ON='sometimes'"):
        exit_code_for({"status": "degraded", "alerts": []}, s)


def test_summary_shows_the_verdict_first() -> None:
    lines = summary_lines(
        {
            "status": "failed",
            "alerts": [{"code": "no_articles", "severity": "failed", "message": "m"}],
        }
    )
    assert lines == ["Health: FAILED (1 alert)", "  [failed] no_articles: m"]


def test_history_from_the_state_store(tmp_path: Path) -> None:
    with StateStore(tmp_path / "s.sqlite3") as store:
        for n, articles in enumerate([20, 22, 0, 21]):
            run_id = f"r{n}"
            store.start_run(run_id, "frontpage", "https://x/", f"2026-11-2{n}T00:00:00+00:00")
            store.finish_run(run_id, f"2026-11-2{n}T00:01:00+00:00", "finished", {"new": articles})
        status_of_r2 = {"status": "failed", "articles": 0, "drift": {}}
        store.set_meta("health/r2", json.dumps(status_of_r2))
        store.set_meta(
            "health/r3", json.dumps({"status": "ok", "articles": 21, "drift": {"s": {"body": 0.9}}})
        )
        store.start_run("r4", "article", "https://x/", "2026-11-25T00:00:00+00:00")
        store.finish_run("r4", "2026-11-25T00:01:00+00:00", "finished", {"new": 99})
        articles, drift = load_history(store, "frontpage", "current", 10)
    # newest first; the failed run r2 is no yardstick; the article spider's run is not compared
    assert articles == [21, 22, 20]
    assert drift == {"s": {"body": [0.9]}}


# --------------------------------------------------------------------------- prune, status


def make_run(export_dir: Path, run_id: str, finished: datetime, rows: int, **health: Any) -> Path:
    run_dir = export_dir / run_id
    run_dir.mkdir(parents=True)
    manifest = {
        "run_id": run_id,
        "spider": "frontpage",
        "start_url": "https://www.example.com/",
        "finished_at": finished.isoformat(),
        "files": {"articles.jsonl": {"rows": rows}, "rejects.jsonl": {"rows": 1}},
        "health": {"status": "ok", "alerts": [], "site": "example.com", **health},
    }
    (run_dir / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return run_dir


def test_prune_keeps_latest_history_and_unfinished_runs(tmp_path: Path) -> None:
    for n in range(5):
        make_run(tmp_path, f"run{n}", NOW - timedelta(days=5 - n), rows=0 if n == 3 else 10)
    (tmp_path / "history").mkdir()
    (tmp_path / "running").mkdir()  # no manifest yet
    os.symlink("run0", tmp_path / "latest")  # latest may point at an old run
    plan = [p.name for p in prune_plan(tmp_path, keep_runs=3, keep_days=0, now=NOW)]
    # 5 runs, keep 3 (latest included): the empty run3 goes first, then the oldest (run1)
    assert plan == ["run3", "run1"]
    assert prune_plan(tmp_path, keep_runs=0, keep_days=0, now=NOW) == []
    removed = prune_runs(tmp_path, keep_runs=0, keep_days=2.5, now=NOW)
    assert removed == ["run1", "run2"]  # older than 2.5 days; run0 is latest
    assert sorted(p.name for p in tmp_path.iterdir()) == [
        "history",
        "latest",
        "run0",
        "run3",
        "run4",
        "running",
    ]


def test_status_table_and_exit(tmp_path: Path) -> None:
    make_run(tmp_path, "a1", NOW - timedelta(hours=2), rows=30)
    failed = {"status": "failed", "alerts": [{"code": "no_articles"}]}
    make_run(tmp_path, "a2", NOW - timedelta(hours=1), rows=0, **failed)
    (tmp_path / "crashed").mkdir()
    text, code = status(tmp_path)
    assert code == 1
    lines = text.splitlines()
    assert lines[0] == "example.com  (latest: failed)"
    assert lines[1].split() == [
        "finished",
        "(UTC)",
        "run",
        "spider",
        "status",
        "rows",
        "rejects",
        "alerts",
    ]
    assert lines[2].split()[2:] == ["a1", "frontpage", "ok", "30", "1", "-"]
    assert lines[3].split()[2:] == ["a2", "frontpage", "failed", "0", "1", "no_articles"]
    assert "crashed" in lines[-1]
    make_run(tmp_path, "a3", NOW, rows=30)
    assert status(tmp_path)[1] == 0  # the latest run recovered
    assert status(tmp_path / "nothing") == ("no runs yet", 0)


def test_scheduler_backs_off_after_repeated_failures() -> None:
    job = Job("frontpage", timedelta(minutes=15))
    assert job.next_interval() == 900
    job.failures = 2
    assert job.next_interval() == 3600
    job.failures = 10
    assert job.next_interval() == 900 * 8


def test_start_page_reason_reads_as_one_clean_line() -> None:
    error = "RequestRefused: site unreachable: x:9 (connection refused); check the URL and that"
    run = facts(stats={"newsspider/health/start_page/error": error + " the site is up"})
    del run.stats["newsspider/health/start_page/status"]
    message = run_monitors(run)[0]["message"]
    assert message == (
        "start page https://www.example.com/ was not fetched: site unreachable: x:9 (connection"
        " refused); check the URL and that the site is up"
    )


def test_shares_of_tiny_samples_are_not_judged() -> None:
    # a run that died at its start page: 1 fetch, 1 reject - the failed verdict says it all
    run = facts(scraped={"Reject": 1}, stats={"newsspider/fetch/refused": 1})
    run.stats["response_received_count"] = 0
    assert [c for c, _ in codes(run)] == ["no_articles"]


def test_progress_line_and_settings() -> None:
    from scrapy.exceptions import NotConfigured
    from scrapy.utils.test import get_crawler

    from newsspider.health.progress import ProgressExtension
    from newsspider.items import Reject

    crawler = get_crawler(settings_dict={"NEWSSPIDER_PROGRESS_INTERVAL": 0})
    with pytest.raises(NotConfigured):
        ProgressExtension.from_crawler(crawler)
    crawler = get_crawler()
    crawler.stats.open_spider()
    ext = ProgressExtension(crawler, 30.0)
    ext.last_time -= 10.0  # ten seconds since the last line
    crawler.stats.set_value("response_received_count", 25)
    for item in (Article(), Article(), Reject()):
        ext.item_scraped(item, None)  # type: ignore[arg-type]
    line = ext.line()
    assert re.fullmatch(
        r"progress: 25 pages \(2\.\d/s\), 2 articles exported, 0 queued, 1 rejects", line
    )
    from newsspider import settings as project

    assert project.EXTENSIONS["scrapy.extensions.logstats.LogStats"] is None


@pytest.mark.parametrize(
    ("exc", "words"),
    [
        (ConnectionRefusedError(), "connection refused"),
        (TimeoutError(), "no answer in time (timeout)"),
        (ValueError("invalid hostname: "), "the URL cannot be fetched (invalid hostname: )"),
        (OSError("reset"), "connection failed (OSError)"),
    ],
)
def test_unreachable_reason_in_words(exc: BaseException, words: str) -> None:
    from twisted.internet.error import DNSLookupError

    from newsspider.middlewares import unreachable_reason

    assert unreachable_reason(exc) == words
    assert unreachable_reason(DNSLookupError()) == (
        "its host name does not resolve (DNS lookup failed)"
    )
