"""``newsspider schedule`` / ``newsspider crawl``: runs, locks and a clean stop on SIGTERM."""

from __future__ import annotations

import contextlib
import logging
import os
import re
import signal
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest

from newsspider.cli import main
from newsspider.schedule import (
    Job,
    LockBusy,
    Scheduler,
    file_lock,
    parse_every,
    site_config,
)
from tests.conftest import REPO
from tests.servers import StaticSite

RUN_LINE = re.compile(r"run frontpage #(\d+) (\S+): exit (\d+) in [\d.]+ s; (.*)")


def scheduler_cmd(url: str, tmp: Path, every: str = "frontpage=1s") -> list[str]:
    return [
        sys.executable, "-m", "newsspider.cli", "schedule", "--url", url, "--every", every,
        "--export-dir", str(tmp / "exports"), "--state-dir", str(tmp / "state"),
        "--jitter", "0.2s", "-s", "AUTOTHROTTLE_ENABLED=False",
    ]  # fmt: skip


def wait_for(predicate: object, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def test_parse_every() -> None:
    jobs = parse_every(["frontpage=15m", "article=1h"])
    assert [(j.spider, j.every) for j in jobs] == [
        ("frontpage", timedelta(minutes=15)),
        ("article", timedelta(hours=1)),
    ]
    for bad in (["frontpage"], ["=15m"], ["frontpage=0"], [], ["frontpage=soon"]):
        with pytest.raises(ValueError):
            parse_every(bad)


@pytest.mark.e2e
def test_two_runs_then_clean_stop_on_sigterm_and_a_second_scheduler_refuses(
    demo_site: StaticSite, tmp_path: Path
) -> None:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    log_path = tmp_path / "scheduler.log"
    with log_path.open("wb") as log:
        proc = subprocess.Popen(
            scheduler_cmd(demo_site.url, tmp_path), cwd=REPO, env=env, stderr=log, stdout=log
        )
    try:
        wait_for(lambda: len(RUN_LINE.findall(log_path.read_text())) >= 1, 90, "the first run")
        second = subprocess.run(
            scheduler_cmd(demo_site.url, tmp_path),
            cwd=REPO, env=env, capture_output=True, text=True, timeout=60,
        )  # fmt: skip
        assert second.returncode == 3
        message = second.stderr.strip()
        assert "\n" not in message and "already running" in message, message
        wait_for(lambda: len(RUN_LINE.findall(log_path.read_text())) >= 2, 90, "the second run")
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
    text = log_path.read_text()
    runs = RUN_LINE.findall(text)
    assert [r[0] for r in runs[:2]] == ["1", "2"]
    assert all(r[2] == "0" for r in runs), text
    assert "articles 33" in runs[0][3] and "articles 0" in runs[1][3]  # the 2nd run: nothing new
    for _, run_id, _, _ in runs:
        assert (tmp_path / "exports" / run_id / "manifest.json").exists()
        assert (tmp_path / "exports" / "logs" / f"{run_id}.log").exists()
    assert "SIGTERM received" in text and "Scheduler stopped" in text
    assert (tmp_path / "exports" / "history").is_dir()


def test_crawl_command_refuses_while_the_site_is_locked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = "http://127.0.0.1:9/"
    args = ["--url", url, "--state-dir", str(tmp_path), "--export-dir", str(tmp_path / "e")]
    site = site_config(url, state_dir=str(tmp_path), export_dir=str(tmp_path / "e"), settings={})
    with file_lock(site.lock_file, "a crawl"):
        assert main(["crawl", "frontpage", *args]) == 3
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "already running" in err and str(site.lock_file) in err


def test_scheduler_skips_a_run_while_another_crawl_holds_the_lock(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    site = site_config(
        "http://127.0.0.1:9/", state_dir=str(tmp_path), export_dir=str(tmp_path), settings={}
    )
    scheduler = Scheduler(site, [Job("frontpage", timedelta(minutes=15))])
    with file_lock(site.lock_file, "a crawl"), caplog.at_level(logging.INFO):
        scheduler.run_job(scheduler.jobs[0])
    assert re.search(r"run frontpage #1: skipped, a crawl of \S+ is already running", caplog.text)
    with (
        file_lock(site.lock_file, "a crawl"),
        pytest.raises(LockBusy),
        file_lock(site.lock_file, "a crawl"),
    ):
        pass


def test_history_rebuild_without_state_is_one_clear_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["history", "rebuild", "--state-file", str(tmp_path / "missing.sqlite3")])
    assert code == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and "no state file" in err


def test_help_lists_the_commands() -> None:
    with pytest.raises(SystemExit) as info:
        main(["--help"])
    assert info.value.code == 0


@pytest.mark.e2e
def test_due_list_feeds_the_article_spider_which_finds_nothing_new(
    demo_site: StaticSite, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.conftest import run_crawl

    exports, state = tmp_path / "exports", tmp_path / "state"
    settings = {"NEWSSPIDER_STATE_DIR": str(state), "NEWSSPIDER_REFETCH_MIN_INTERVAL": "0"}
    first = run_crawl("frontpage", exports, f"url={demo_site.url}", settings=settings)
    assert first.returncode == 0, first.log[-2000:]
    site_args = ["--url", demo_site.url, "--state-dir", str(state), "--export-dir", str(exports)]
    # default schedule: everything was fetched seconds ago, nothing is due
    assert main(["due", *site_args]) == 0
    assert capsys.readouterr().out == ""
    due = tmp_path / "due.txt"
    args = ["due", *site_args, "-s", "NEWSSPIDER_REFETCH_MIN_INTERVAL=0", "--out", str(due)]
    assert main(args) == 0
    urls = due.read_text().split()
    assert len(urls) == 33 and all(u.startswith(demo_site.url) for u in urls)
    again = run_crawl(
        "article",
        exports,
        f"url={urls[0]}",  # as the scheduler does: names the site
        f"urls_file={due}",
        settings=settings,
        run_id="articles-again",
    )
    assert again.returncode == 0, again.log[-2000:]
    files = again.manifest()["files"]
    assert isinstance(files, dict)
    assert files["articles.jsonl"]["rows"] == 0 and files["revisions.jsonl"]["rows"] == 0
    assert "'newsspider/state/not_modified': 33" in again.log


@pytest.mark.e2e
def test_a_scheduler_killed_with_sigkill_never_leads_to_overlapping_crawls(
    tmp_path: Path,
) -> None:
    from tests.conftest import DEMO_SITE
    from tests.faultserver import FaultServer

    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with FaultServer(DEMO_SITE) as server:
        server.slow_articles(5.0)  # the crawl outlives the scheduler
        site = site_config(
            server.url,
            state_dir=str(tmp_path / "state"),
            export_dir=str(tmp_path / "exports"),
            settings={},
        )
        first_log = tmp_path / "first.log"
        with first_log.open("wb") as log:
            first = subprocess.Popen(
                scheduler_cmd(server.url, tmp_path, every="frontpage=1h"),
                cwd=REPO, env=env, stderr=log, stdout=log,
            )  # fmt: skip
        crawl_pid = 0
        second: subprocess.Popen[bytes] | None = None
        try:

            def crawl_started() -> bool:
                nonlocal crawl_pid
                children = Path(f"/proc/{first.pid}/task/{first.pid}/children").read_text()
                crawl_pid = int(children.split()[0]) if children.split() else 0
                return bool(crawl_pid) and any("/article/" in h.path for h in server.hits())

            wait_for(crawl_started, 60, "the first crawl to fetch articles")
            first.send_signal(signal.SIGKILL)
            first.wait(timeout=10)
            os.kill(crawl_pid, 0)  # the crawl runs on without its scheduler ...
            assert site.lock_file.read_text() == str(crawl_pid)
            # ... and holds the lock
            with (
                pytest.raises(LockBusy, match=f"held by pid {crawl_pid}"),
                file_lock(site.lock_file, "a crawl"),
            ):
                pass
            second_log = tmp_path / "second.log"
            with second_log.open("wb") as log:
                second = subprocess.Popen(
                    scheduler_cmd(server.url, tmp_path, every="frontpage=1h"),
                    cwd=REPO, env=env, stderr=log, stdout=log,
                )  # fmt: skip
            wait_for(lambda: "run frontpage #1" in second_log.read_text(), 60, "the 2nd scheduler")
            text = second_log.read_text()
            assert re.search(r"run frontpage #1: skipped, a crawl of \S+ is already running", text)
            assert not RUN_LINE.search(text), text  # no second crawl was started
            os.kill(crawl_pid, 0)  # the first crawl still runs, alone
        finally:
            for proc in (first, second):
                if proc is not None and proc.poll() is None:
                    proc.kill()
                    proc.wait(timeout=10)
            if crawl_pid:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(crawl_pid, signal.SIGKILL)
