"""The run: one object per crawl that every component receives.

A newsspider crawl is one *run*: a run id, a run folder under the export folder, a site, maybe
a resumed JOBDIR, maybe a state store. Those facts are decided once, here, when the crawl
starts, and handed to every pipeline, middleware and extension through ``from_crawler``::

    from newsspider.run import run_context

    class MyPipeline:
        @classmethod
        def from_crawler(cls, crawler):
            return cls(run_context(crawler))   # NotConfigured outside a newsspider run

The owner is :class:`NewsspiderAddon`, a Scrapy add-on (``ADDONS`` in settings.py). It reads
what the spider says about the run (:meth:`newsspider.spiders.base.NewsSpider.run_inputs`),
wires the run's settings (FEEDS, the Redis scheduler, log redaction) and, on first use, builds
the :class:`RunContext`: the run id (a resumed JOBDIR keeps its own), the run folder (claimed
with an exclusive ``mkdir``, so two crawls never share one), whether the export folder is
writable, what a resumed run folder already holds, and the state store.

Outside a newsspider run (``scrapy shell``, a foreign spider) there is no context: the
components that need one raise ``NotConfigured`` and stay out of the way, and no file is
written.
"""

from __future__ import annotations

import logging
import os
import re
import secrets
import shutil
import sys
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.settings import BaseSettings

from newsspider import settings as defaults  # each default: settings.py

logger = logging.getLogger("newsspider.run")

RUN_ID_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")
# set by `scrapy parse`, `shell` and `fetch` (newsspider/commands): no run at all
INSPECT_ONLY = "_NEWSSPIDER_INSPECT_ONLY"
COOKIES_MIDDLEWARE = "scrapy.downloadermiddlewares.cookies.CookiesMiddleware"
TELNET_CONSOLE = "scrapy.extensions.telnet.TelnetConsole"
# names that live beside the run folders in the export folder
RESERVED_RUN_IDS = frozenset({"latest", "history", "state"})


class RunSetupError(SystemExit):
    """One ``error:`` line on stderr and exit status 2, before anything is fetched.

    A SystemExit, because it is raised inside Scrapy's start-up (while components are built),
    where any other exception becomes a logged traceback and exit status 1. The line is
    written when the error is made, since SystemExit(2) itself prints nothing.
    """

    def __init__(self, message: str) -> None:
        super().__init__(2)
        self.message = message
        sys.stderr.write(f"error: {message}\n")
        sys.stderr.flush()

    def __str__(self) -> str:
        return self.message


@dataclass(frozen=True)
class RunInputs:
    """What a spider tells the run about itself (from its ``-a`` arguments)."""

    spider_name: str
    site_url: str  # the URL that names the crawl's site (start page, or first article URL)
    site_urls: tuple[str, ...]  # every URL given (names a distributed crawl)
    run_id: str | None  # -a run_id; None: a new one is made


def new_run_id(spider_name: str, now: datetime | None = None) -> str:
    """``20261126T140501Z-frontpage-3fa2``: sortable, unique, safe as a folder name."""
    now = now or datetime.now(UTC)
    return f"{now:%Y%m%dT%H%M%SZ}-{spider_name}-{secrets.token_hex(2)}"


def run_id_problem(run_id: str) -> str | None:
    """What is wrong with a run id (it names a folder beside ``latest``), or None."""
    if not RUN_ID_PATTERN.fullmatch(run_id):
        return "use 1-100 letters, digits, '.', '_' and '-' (it names a folder)"
    if run_id.lower() in RESERVED_RUN_IDS:
        return (
            f"reserved (the export folder keeps {', '.join(sorted(RESERVED_RUN_IDS))} beside"
            " the runs); choose another name"
        )
    return None


def check_run_id(run_id: str, where: str = "-a run_id") -> str:
    """The run id, or ValueError with one line naming where it came from."""
    problem = run_id_problem(run_id)
    if problem:
        raise ValueError(f"{where}={run_id!r}: {problem}")
    return run_id


@dataclass
class RunContext:
    """Run-wide facts of one crawl, decided once (see the module docstring)."""

    run_id: str
    spider_name: str
    site_url: str  # credentials stripped: safe to write anywhere
    export_dir: Path
    run_dir: Path
    jobdir: Path | None
    resume: Any  # newsspider.feeds.ResumeState
    state: Any  # newsspider.state.runtime.StateRuntime, or None when the state is off
    crawler: Crawler | None = None
    failure: RunFailure | None = None  # set by fail(): the run can't complete
    locks: list[Any] = field(default_factory=list)  # open lock files, held for the run

    @property
    def resumed(self) -> bool:
        return bool(self.resume.resumed)

    def fail(self, code: str, message: str) -> None:
        """The run can't complete (disk full, state file error): stop the crawl, once.

        One ERROR line; nothing of the run is committed to the state, no file of it gets its
        final name, ``latest`` stays where it is and ``scrapy crawl`` exits non-zero
        (newsspider/extensions.py).
        """
        if self.failure is not None:
            return
        self.failure = RunFailure(code, message)
        logger.error(
            "Run %s failed: %s; stopping the crawl (nothing of this run is kept as complete)",
            self.run_id,
            message,
        )
        crawler = self.crawler
        if crawler is not None and crawler.crawling and crawler.engine is not None:
            from scrapy.utils.defer import deferred_from_coro

            deferred_from_coro(crawler.engine.close_spider_async(reason=code))


@dataclass(frozen=True)
class RunFailure:
    code: str  # "disk_full", "export_error", "state_error"
    message: str


class RunFailed(IgnoreRequest):  # type: ignore[misc]
    """Raised where the run's failure interrupts a request: dropped without a Reject row."""


def run_context(crawler: Crawler) -> RunContext:
    """The crawl's run context; ``NotConfigured`` when this is not a newsspider run."""
    addon = crawler.get_addon(NewsspiderAddon) if crawler.addons is not None else None
    context = addon.context if addon is not None else None
    if context is None:
        raise NotConfigured("not a newsspider run (no newsspider spider)")
    return context


def state_runtime(crawler: Crawler) -> Any:
    """The run's StateRuntime; ``NotConfigured`` when the state is off (or no run)."""
    state = run_context(crawler).state
    if state is None:
        raise NotConfigured("incremental state is off (NEWSSPIDER_STATE_ENABLED=False)")
    return state


class NewsspiderAddon:
    """The one owner of the run: wires a newsspider crawl's settings and builds its context.

    ``update_settings`` runs after the spider is created and before any other component:

    * always: redact credentials in the log lines Scrapy prints at start-up, and use
      tldextract's bundled Public Suffix List (no download at crawl time);
    * for a newsspider spider: the FEEDS of the run folder (newsspider/feeds.py), and the
      shared Redis scheduler when ``NEWSSPIDER_REDIS_URL`` is set (newsspider/distributed.py).
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        spider = crawler.spider
        inputs = getattr(spider, "run_inputs", None) if spider is not None else None
        if crawler.settings.getbool(INSPECT_ONLY):
            inputs = None  # scrapy parse / shell / fetch: look at a page, record nothing
        self.inputs: RunInputs | None = inputs() if callable(inputs) else None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NewsspiderAddon:
        return cls(crawler)

    def update_settings(self, settings: BaseSettings) -> None:
        from newsspider.middlewares import redact_logged_secrets
        from newsspider.offline import use_bundled_public_suffix_list

        redact_logged_secrets()  # the "Overridden settings" line must not show HTTPAUTH_PASS
        if settings.getbool("COOKIES_ENABLED"):
            use_bundled_public_suffix_list()
        else:
            # off (the default): left out of Scrapy's base list, whose every entry Scrapy
            # imports (even one set to None) - this one with tldextract, requests and urllib3,
            # ~0.1 s of start-up CPU for a middleware that would only say NotConfigured
            base = settings["DOWNLOADER_MIDDLEWARES_BASE"]
            if COOKIES_MIDDLEWARE in base:
                del base[COOKIES_MIDDLEWARE]
        if not settings.getbool("TELNETCONSOLE_ENABLED"):
            # off (settings.py): left out of EXTENSIONS_BASE for the same reason, its module
            # imports twisted.conch (7 modules); -s TELNETCONSOLE_ENABLED=True
            # keeps it listed, and Scrapy starts it as usual
            base = settings["EXTENSIONS_BASE"]
            if TELNET_CONSOLE in base:
                del base[TELNET_CONSOLE]
        if self.inputs is None:
            return  # scrapy shell, a foreign spider: no run, no exports, no state
        from newsspider.feeds import build_feeds

        settings.set("FEEDS", build_feeds(), priority="addon")
        if settings.get("NEWSSPIDER_REDIS_URL"):  # scrapy-redis + redis: 0.2 s of start-up
            from newsspider.distributed import configure_distributed

            configure_distributed(settings, self.inputs)

    @cached_property
    def context(self) -> RunContext | None:
        if self.inputs is None:
            return None
        return build_run_context(self.crawler, self.inputs)


def build_run_context(crawler: Crawler, inputs: RunInputs) -> RunContext:
    """Decide the run: id, folders, resume, state. RunSetupError with one line if it can't."""
    from newsspider.feeds import RUN_ID_FILE, ResumeState, prepare_resume, write_text_atomic
    from newsspider.middlewares import redact_url
    from newsspider.state.runtime import StateRuntime

    settings = crawler.settings
    export_dir = Path(settings.get("NEWSSPIDER_EXPORT_DIR") or defaults.NEWSSPIDER_EXPORT_DIR)
    jobdir = Path(settings["JOBDIR"]) if settings.get("JOBDIR") else None
    try:
        run_id = check_run_id(inputs.run_id) if inputs.run_id else new_run_id(inputs.spider_name)
    except ValueError as exc:
        raise RunSetupError(str(exc)) from None
    resumed = False
    locks: list[Any] = []
    if jobdir is not None:
        locks.append(hold_lock(jobdir / JOBDIR_LOCK, f"-s JOBDIR={jobdir}"))
    id_file = jobdir / RUN_ID_FILE if jobdir else None
    if id_file is not None and id_file.exists():
        stored = id_file.read_text(encoding="utf-8").strip()
        try:
            check_run_id(stored, where=f"the run id stored in {id_file}")
        except ValueError as exc:
            raise RunSetupError(f"{exc}; remove {id_file} to start a new run") from None
        if not (export_dir / stored / "manifest.json").exists():
            if stored != run_id:
                logger.info("Resuming run %s (from %s)", stored, id_file)
            run_id, resumed = stored, True
    run_dir = export_dir / run_id
    check_writable(export_dir)
    if not resumed:
        try:
            run_dir.mkdir()  # exclusive: the folder is this run's, never a second crawl's
        except FileExistsError:
            raise RunSetupError(
                f"the run folder {run_dir} already exists: -a run_id={run_id} was used before;"
                " choose another run id (or leave it out for a new one); a paused run is"
                " resumed with the same -s JOBDIR"
            ) from None
        except OSError as exc:
            raise RunSetupError(
                f"cannot create the run folder {run_dir} ({exc.strerror or exc});"
                " choose another export folder with -s NEWSSPIDER_EXPORT_DIR=DIR"
            ) from None
        if id_file is not None:
            id_file.parent.mkdir(parents=True, exist_ok=True)
            write_text_atomic(id_file, run_id + "\n")
    locks.append(hold_lock(run_dir / RUN_LOCK, f"the run folder {run_dir}"))
    if jobdir is not None:
        # a JOBDIR run can be resumed: its partial files are not a dead run's to clean up
        write_text_atomic(run_dir / JOBDIR_NOTE, f"{jobdir.resolve()}\n")
    resume = ResumeState(run_id=run_id, run_dir=run_dir, resumed=resumed)
    if resumed:
        prepare_resume(resume)
    context = RunContext(
        run_id=run_id,
        spider_name=inputs.spider_name,
        site_url=redact_url(inputs.site_url),
        export_dir=export_dir,
        run_dir=run_dir,
        jobdir=jobdir,
        resume=resume,
        state=None,
        crawler=crawler,
        locks=locks,
    )
    if settings.getbool("NEWSSPIDER_STATE_ENABLED", defaults.NEWSSPIDER_STATE_ENABLED):
        from newsspider.state.store import StateFileError

        state = StateRuntime(crawler, site_url=inputs.site_url, run_id=run_id)
        try:
            state.open(on_error=lambda exc: context.fail(failure_code(exc), str(exc)))
        except StateFileError as exc:
            if not resumed:
                shutil.rmtree(run_dir, ignore_errors=True)  # never started: its id stays free
            raise RunSetupError(str(exc)) from None
        context.state = state
        from newsspider.extensions import recover_manifests

        recover_manifests(context)  # a run killed after its commit is finished first
    clean_dead_runs(export_dir, run_dir)
    return context


def failure_code(exc: BaseException) -> str:
    """``disk_full`` for ENOSPC/EDQUOT/SQLITE_FULL, else ``io_error``."""
    import errno

    text = str(exc).lower()
    if getattr(exc, "errno", None) in (errno.ENOSPC, errno.EDQUOT) or "disk is full" in text:
        return "disk_full"
    return "io_error"


RUN_LOCK = ".newsspider.lock"  # in a run folder: held by the crawl writing it
JOBDIR_LOCK = "newsspider.lock"  # in a JOBDIR: one crawl per JOBDIR
JOBDIR_NOTE = ".jobdir"  # in a run folder: the JOBDIR that can resume it


def hold_lock(path: Path, what: str) -> Any:
    """An exclusive lock held until the process ends; RunSetupError if another crawl has it."""
    import fcntl

    path.parent.mkdir(parents=True, exist_ok=True)
    handle = path.open("a")
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise RunSetupError(
            f"{what} is in use by another running crawl; wait for it to finish (one crawl per"
            " run folder and per JOBDIR)"
        ) from None
    return handle


def is_locked(path: Path) -> bool:
    import fcntl

    if not path.exists():
        return False
    with path.open("a") as handle:
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            return True
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)
    return False


def clean_dead_runs(export_dir: Path, current: Path) -> None:
    """Remove the ``.part`` files of runs that died (killed, failed) and can't be resumed.

    A dead run committed nothing to the crawl state, so this run fetches and exports its
    pages again; its partial files would only rot. Runs still held by a live crawl, and runs
    whose JOBDIR still names them (a resume continues them), are left alone.
    """
    from newsspider.feeds import MANIFEST_FILE, PART_SUFFIX, RUN_ID_FILE

    for folder in export_dir.iterdir():
        if folder == current or folder.is_symlink() or not folder.is_dir():
            continue
        parts = list(folder.glob(f"*{PART_SUFFIX}"))
        if not parts or is_locked(folder / RUN_LOCK):
            continue
        note = folder / JOBDIR_NOTE
        if note.exists():
            id_file = Path(note.read_text(encoding="utf-8").strip()) / RUN_ID_FILE
            if id_file.exists() and id_file.read_text(encoding="utf-8").strip() == folder.name:
                continue  # resumable with its JOBDIR
        for part in parts:
            part.unlink(missing_ok=True)
        logger.warning(
            "Removed %d partial file(s) of run %s, which did not finish%s; this run fetches its"
            " pages again",
            len(parts),
            folder.name,
            "" if (folder / MANIFEST_FILE).exists() else " (killed?)",
        )


def check_writable(export_dir: Path) -> None:
    """RunSetupError unless files can be created in ``export_dir`` (made if missing)."""
    probe = export_dir / f".newsspider-write-test-{os.getpid()}"
    try:
        export_dir.mkdir(parents=True, exist_ok=True)
        with probe.open("wb") as fh:
            fh.write(b"ok")
            fh.flush()
            os.fsync(fh.fileno())
        probe.unlink()
    except OSError as exc:
        raise RunSetupError(
            f"cannot write to the export folder {export_dir} ({exc.strerror or exc});"
            " fix its permissions or choose another with -s NEWSSPIDER_EXPORT_DIR=DIR"
        ) from None
