"""``newsspider schedule``: run crawls of one site at set intervals, never two at once.

Each crawl is a subprocess ``python -m scrapy crawl …`` (a crash or leak in one crawl can't
hurt the next). Two locks, both ``fcntl.flock`` on files beside the site's state file:

* ``<site>.schedule.lock`` - held for the scheduler's lifetime: a second scheduler for the same
  site refuses to start with one line and exit status 3.
* ``<site>.lock`` - held while one crawl runs. ``newsspider crawl`` takes it too, and so can
  cron (``flock -n state/<site>.lock scrapy crawl …``), so crawls of a site never overlap;
  a run whose turn comes while the lock is held is skipped with a log line. The crawl process
  inherits the locked descriptor (an ``flock`` belongs to the open file, not to the process),
  so the lock is held by the crawl itself: a scheduler killed with SIGKILL leaves a crawl that
  still holds it, and a restarted scheduler skips its runs until that crawl ends.

SIGTERM / SIGINT: the current crawl gets one SIGTERM (Scrapy then finishes the requests in
flight and closes every export file properly), the scheduler waits for it and exits 0.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import logging
import os
import random
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import FrameType
from typing import IO

from newsspider import settings as defaults  # each default: settings.py
from newsspider.run import new_run_id
from newsspider.state.decay import DecaySchedule, parse_duration
from newsspider.state.paths import lock_file_for, state_file_for
from newsspider.state.runtime import parse_iso
from newsspider.urls import strip_credentials

logger = logging.getLogger("newsspider.schedule")

EXIT_LOCKED = 3


class LockBusy(RuntimeError):
    """Another process holds the lock."""


@contextlib.contextmanager
def file_lock(path: Path, what: str) -> Iterator[IO[str]]:
    """Hold an exclusive, non-blocking ``flock`` on ``path``; :class:`LockBusy` if taken."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fh = path.open("a+", encoding="utf-8")
    try:
        try:
            fcntl.flock(fh.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            fh.seek(0)
            holder = fh.read().strip() or "unknown"
            raise LockBusy(
                f"{what} is already running (lock {path} held by pid {holder}); "
                "stop it first or use another --state-dir"
            ) from None
        fh.seek(0)
        fh.truncate()
        fh.write(str(os.getpid()))
        fh.flush()
        yield fh
    finally:
        fh.close()  # closing the descriptor releases the lock


@dataclass
class Job:
    spider: str  # "frontpage", "article"
    every: timedelta
    next_at: float = 0.0  # time.monotonic() of the next run
    runs: int = 0
    failures: int = 0  # consecutive failed runs: the interval doubles with each (backoff)

    def next_interval(self) -> float:
        """The interval, doubled per consecutive failure up to MAX_BACKOFF times."""
        return float(self.every.total_seconds() * min(2**self.failures, MAX_BACKOFF))


MAX_BACKOFF = 8  # a failing site is retried at most 8x less often than scheduled


def parse_every(values: Sequence[str]) -> list[Job]:
    """``["frontpage=15m", "article=1h"]`` -> jobs; one clear error line otherwise."""
    jobs = []
    for value in values:
        spider, sep, every = value.partition("=")
        if not sep or not spider.strip():
            raise ValueError(f"--every {value!r}: give SPIDER=INTERVAL, e.g. frontpage=15m")
        interval = parse_duration(every)
        if interval.total_seconds() <= 0:
            raise ValueError(f"--every {value!r}: the interval must be positive")
        jobs.append(Job(spider.strip(), interval))
    if not jobs:
        raise ValueError("nothing to schedule; give --every SPIDER=INTERVAL (e.g. frontpage=15m)")
    return jobs


@dataclass
class SiteConfig:
    url: str
    state_file: Path
    export_dir: Path
    settings: dict[str, str]  # -s overrides passed to every crawl
    extra_args: list[str]  # -a arguments passed to every crawl

    @property
    def decay(self) -> DecaySchedule:
        """The decay schedule the crawls will use: project settings + the -s overrides."""
        from scrapy.settings import Settings

        settings = Settings()
        settings.setmodule("newsspider.settings", priority="project")
        settings.setdict(self.settings, priority="cmdline")
        return DecaySchedule.from_settings(settings)

    @property
    def lock_file(self) -> Path:
        return lock_file_for(self.state_file)

    @property
    def schedule_lock_file(self) -> Path:
        return self.lock_file.with_name(self.lock_file.stem + ".schedule.lock")


def site_config(
    url: str,
    *,
    state_dir: str | None,
    export_dir: str,
    settings: dict[str, str],
    extra_args: Sequence[str] = (),
) -> SiteConfig:
    all_settings = dict(settings)
    all_settings.setdefault("NEWSSPIDER_EXPORT_DIR", export_dir)
    if state_dir is not None:
        all_settings["NEWSSPIDER_STATE_DIR"] = state_dir
    explicit = "NEWSSPIDER_STATE_DIR" in all_settings
    state_file = state_file_for(
        url,
        all_settings.get("NEWSSPIDER_STATE_DIR", defaults.NEWSSPIDER_STATE_DIR),
        all_settings.get("NEWSSPIDER_STATE_FILE") or None,
        export_dir=all_settings["NEWSSPIDER_EXPORT_DIR"],
        state_dir_explicit=explicit,
    )
    return SiteConfig(
        strip_credentials(url),  # never sent, so never in a log line or a command line
        state_file,
        Path(all_settings["NEWSSPIDER_EXPORT_DIR"]),
        all_settings,
        list(extra_args),
    )


def due_article_urls(state_file: Path, schedule: DecaySchedule, now: datetime) -> list[str]:
    """Known article URLs whose refetch is due (for ``scrapy crawl article``)."""
    if not state_file.exists():
        return []
    from newsspider.state.store import StateStore

    with StateStore(state_file) as store:
        return [
            s.url
            for s in store.due_urls()
            if s.first_seen
            and schedule.is_due(
                parse_iso(s.first_seen), parse_iso(s.last_fetch) if s.last_fetch else None, now
            )
        ]


def crawl_command(spider: str, site: SiteConfig, run_id: str, urls_file: Path | None) -> list[str]:
    cmd = [sys.executable, "-m", "scrapy", "crawl", spider, "-a", f"run_id={run_id}"]
    if urls_file is not None:
        # the first URL as url= too: it names the site (and its state file) for the spider
        first = urls_file.read_text(encoding="utf-8").split()[0]
        cmd += ["-a", f"url={first}", "-a", f"urls_file={urls_file}"]
    else:
        cmd += ["-a", f"url={site.url}"]
    for arg in site.extra_args:
        cmd += ["-a", arg]
    settings = dict(site.settings)
    # one log file per crawl; the scheduler itself prints one line per run
    settings.setdefault("LOG_FILE", str(site.export_dir / "logs" / f"{run_id}.log"))
    for key, value in settings.items():
        cmd += ["-s", f"{key}={value}"]
    return cmd


def crawl_env() -> dict[str, str]:
    env = dict(os.environ)
    env.setdefault("SCRAPY_SETTINGS_MODULE", "newsspider.settings")
    return env


def summarize_run(site: SiteConfig, run_id: str) -> str:
    """``articles 3, revisions 2, front_page 48`` from the run's manifest."""
    manifest = site.export_dir / run_id / "manifest.json"
    try:
        data = json.loads(manifest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return "no manifest"
    files = data.get("files", {})
    parts = [
        f"{name.removesuffix('.jsonl')} {info.get('rows', 0)}"
        for name, info in files.items()
        if name.endswith(".jsonl")
    ]
    return ", ".join(parts)


def start_locked_crawl(
    cmd: list[str], lock: IO[str], *, new_session: bool = True
) -> subprocess.Popen[bytes]:
    """Start a crawl that holds ``lock`` (an flock'ed file) for as long as it runs.

    The child gets the locked descriptor (``pass_fds``), so the lock is released only when
    both this process and the crawl have closed it - never while the crawl still runs, even if
    this process is killed. The lock file then names the crawl's pid. ``new_session``: the
    crawl gets no Ctrl-C of the terminal (the scheduler forwards SIGTERM itself).
    """
    child = subprocess.Popen(
        cmd, env=crawl_env(), start_new_session=new_session, pass_fds=(lock.fileno(),)
    )
    lock.seek(0)
    lock.truncate()
    lock.write(str(child.pid))
    lock.flush()
    return child


class Scheduler:
    def __init__(
        self,
        site: SiteConfig,
        jobs: list[Job],
        *,
        jitter: timedelta = timedelta(0),
        max_runs: int | None = None,
        decay: DecaySchedule | None = None,
    ) -> None:
        self.site = site
        self.jobs = jobs
        self.jitter = jitter.total_seconds()
        self.max_runs = max_runs
        self.decay = decay or site.decay
        self.stop = threading.Event()
        self.child: subprocess.Popen[bytes] | None = None
        self.total_runs = 0

    def handle_signal(self, signum: int, frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if not self.stop.is_set():
            logger.info("%s received: stopping after the current crawl", name)
        self.stop.set()
        child = self.child
        if child is not None and child.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                child.send_signal(signal.SIGTERM)  # once: Scrapy shuts down gracefully

    def install_signal_handlers(self) -> None:
        signal.signal(signal.SIGTERM, self.handle_signal)
        signal.signal(signal.SIGINT, self.handle_signal)

    def run_forever(self) -> int:
        """Run until stopped (signal, or ``max_runs`` crawls). Returns the exit status."""
        with file_lock(self.site.schedule_lock_file, f"a scheduler for {self.site.url}"):
            logger.info(
                "Scheduling %s for %s (state %s)",
                ", ".join(f"{j.spider} every {j.every}" for j in self.jobs),
                self.site.url,
                self.site.state_file,
            )
            start = time.monotonic()
            for job in self.jobs:
                job.next_at = start
            while not self.stop.is_set():
                job = min(self.jobs, key=lambda j: j.next_at)
                wait = job.next_at - time.monotonic()
                if wait > 0 and self.stop.wait(wait):
                    break
                self.run_job(job)
                job.next_at = (
                    time.monotonic() + job.next_interval() + random.uniform(0, self.jitter)
                )
                if self.max_runs is not None and self.total_runs >= self.max_runs:
                    break
            logger.info("Scheduler stopped after %d runs", self.total_runs)
        return 0

    def run_job(self, job: Job) -> None:
        job.runs += 1
        self.total_runs += 1
        run_id = new_run_id(job.spider)
        urls_file: Path | None = None
        if job.spider == "article":
            urls = due_article_urls(self.site.state_file, self.decay, datetime.now(UTC))
            if not urls:
                logger.info("run %s #%d: skipped, no article is due", job.spider, job.runs)
                return
            urls_file = self.site.state_file.with_name(self.site.state_file.stem + ".due.txt")
            urls_file.write_text("\n".join(urls) + "\n", encoding="utf-8")
        try:
            with file_lock(self.site.lock_file, f"a crawl of {self.site.url}") as lock:
                started = time.monotonic()
                cmd = crawl_command(job.spider, self.site, run_id, urls_file)
                (self.site.export_dir / "logs").mkdir(parents=True, exist_ok=True)
                self.child = start_locked_crawl(cmd, lock)
                code = self.child.wait()
                self.child = None
        except LockBusy as exc:
            logger.warning("run %s #%d: skipped, %s", job.spider, job.runs, exc)
            return
        elapsed = time.monotonic() - started
        from newsspider.health.schedule import report_run

        healthy = report_run(self.site, job.spider, run_id, code, elapsed, job.runs)
        job.failures = 0 if healthy else job.failures + 1
        if job.failures > 1:
            logger.error(
                "run %s: %d failures in a row; next run in %.0f s (backing off)",
                job.spider,
                job.failures,
                job.next_interval(),
            )
