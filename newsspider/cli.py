"""The ``newsspider`` command: scheduled crawls and history tables (see docs/SCHEDULING.md).

    newsspider schedule --url URL --every frontpage=15m --every article=1h
    newsspider crawl frontpage --url URL          # one crawl, under the site's lock (cron)
    newsspider due --url URL --out due.txt        # known articles due for a refetch
    newsspider history rebuild --url URL          # rebuild exports/history/<site>/ from state
    newsspider status [--export-dir D]            # recent runs per site and their health
    newsspider prune [--export-dir D]             # remove old run folders (KEEP_RUNS/KEEP_DAYS)
    newsspider report --url URL                   # refresh history.xlsx + report.html

Crawling itself is ``scrapy crawl``; this command only adds what a schedule needs.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence
from datetime import timedelta
from pathlib import Path

from newsspider.state.decay import parse_duration
from newsspider.state.paths import lock_file_for

DEFAULT_EXPORT_DIR = "exports"


def _demo_url() -> str:
    from newsspider.spiders.base import demo_site_url

    return demo_site_url()


def _settings(pairs: Sequence[str]) -> dict[str, str]:
    out = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise ValueError(f"-s {pair!r}: give NAME=VALUE, e.g. -s LOG_LEVEL=DEBUG")
        out[key] = value
    return out


def _export_dir_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--export-dir",
        default=DEFAULT_EXPORT_DIR,
        help=f"export folder (default: {DEFAULT_EXPORT_DIR})",
    )


def _history_options(parser: argparse.ArgumentParser) -> None:
    """The options of the commands that write a site's history from its state file
    (``history rebuild`` and ``report``): the same ones, with the same defaults."""
    _site_options(parser)
    parser.add_argument("--state-file", type=Path, help="read this state file directly")
    parser.add_argument("--out", type=Path, help="output folder (default: the history folder)")
    parser.add_argument("--top-n", type=int, default=10, help="top N for minutes_in_top_n")


def _site_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--url", help="the site's start URL (default: the bundled demo site, offline)"
    )
    parser.add_argument(
        "--state-dir",
        help="folder of the state files (default: state/ for real sites; "
        "<export dir>/.state/ for local ones)",
    )
    _export_dir_option(parser)
    parser.add_argument(
        "-s",
        dest="settings",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a Scrapy/newsspider setting for every crawl (repeatable)",
    )
    parser.add_argument(
        "-a",
        dest="spider_args",
        action="append",
        default=[],
        metavar="NAME=VALUE",
        help="a spider argument for every crawl, e.g. -a site=news1global (repeatable)",
    )


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsspider",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)

    schedule = sub.add_parser(
        "schedule",
        help="run crawls of one site at set intervals (locked, jittered, SIGTERM-safe)",
        description="Run crawls of one site at set intervals until SIGTERM/SIGINT. Each crawl "
        "is a 'python -m scrapy crawl' subprocess logging to <export dir>/logs/<run id>.log; "
        "one line per run is printed here. The 'article' job recrawls the known articles "
        "that are due under the decay schedule.",
        epilog="example: newsspider schedule --url https://www.news1global.com/ "
        "--every frontpage=15m --every article=1h --jitter 60s",
    )
    _site_options(schedule)
    schedule.add_argument(
        "--every",
        action="append",
        default=[],
        metavar="SPIDER=INTERVAL",
        help="run SPIDER every INTERVAL (30s, 15m, 1h, 1d); repeatable",
    )
    schedule.add_argument(
        "--jitter",
        default="0",
        help="add a random delay up to this to each next run (e.g. 60s; default 0)",
    )
    schedule.add_argument(
        "--max-runs", type=int, help="stop after this many crawls (default: run until stopped)"
    )

    crawl = sub.add_parser(
        "crawl",
        help="one crawl under the site's lock (for cron); refuses if one is running",
        description="Run 'python -m scrapy crawl SPIDER' once while holding the site's lock "
        "file, so it never overlaps a scheduled crawl of the same site. Exit status 3 when "
        "another crawl holds the lock.",
    )
    crawl.add_argument("spider", help="spider name: frontpage or article")
    _site_options(crawl)

    due = sub.add_parser(
        "due",
        help="list the known articles due for a refetch (for scrapy crawl article)",
        description="Print the URLs of the site's known articles that are due under the decay "
        "schedule (NEWSSPIDER_REFETCH_* settings, -s to override), one per line, for "
        "'scrapy crawl article -a urls_file=FILE'.",
    )
    _site_options(due)
    due.add_argument("--out", type=Path, help="write the list to this file (default: stdout)")

    history = sub.add_parser("history", help="history tables (merged, analyst-ready)")
    history_sub = history.add_subparsers(dest="history_command", metavar="ACTION", required=True)
    rebuild = history_sub.add_parser(
        "rebuild",
        help="rebuild exports/history/<site>/ from the state file",
        description="Rebuild articles_latest, frontpage_timeline, popular_history and "
        "revisions (.csv and .jsonl) from a site's state file. Atomic: readers never see "
        "half a file.",
    )
    _history_options(rebuild)
    status = sub.add_parser(
        "status",
        help="recent runs per site: time, spider, health, rows, rejects, alerts",
        description="Print a table of the recent runs of every site found in the export "
        "folder (from each run's manifest.json). Exit status 1 when the latest run of any "
        "site failed.",
    )
    _export_dir_option(status)
    status.add_argument("--runs", type=int, default=10, help="runs shown per site (default 10)")

    prune = sub.add_parser(
        "prune",
        help="remove old run folders (never latest, never history)",
        description="Remove run folders beyond --keep-runs newest or older than --keep-days "
        "(defaults: NEWSSPIDER_KEEP_RUNS / NEWSSPIDER_KEEP_DAYS). Runs that exported nothing "
        "go first. The run 'latest' points at and history/ are never removed.",
    )
    _export_dir_option(prune)
    prune.add_argument("--keep-runs", type=int, help="keep this many newest runs")
    prune.add_argument("--keep-days", type=float, help="remove runs older than this many days")
    prune.add_argument("--dry-run", action="store_true", help="only list what would go")

    report = sub.add_parser(
        "report",
        help="refresh exports/history/<site>/history.xlsx and report.html from the state file",
        description="Write the history workbook (every history table, typed) and the offline "
        "HTML report with charts for one site, from its state file. Done after every run "
        "anyway; this refreshes them on demand (e.g. after changing --top-n).",
    )
    _history_options(report)
    return parser


def cmd_status(args: argparse.Namespace) -> int:
    from newsspider.health.status import status

    text, code = status(Path(args.export_dir), runs=args.runs)
    print(text)
    return code


def cmd_prune(args: argparse.Namespace) -> int:
    from newsspider.health.prune import prune_runs, retention_from_settings

    keep_runs, keep_days = retention_from_settings()
    if args.keep_runs is not None:
        keep_runs = args.keep_runs
    if args.keep_days is not None:
        keep_days = args.keep_days
    removed = prune_runs(
        Path(args.export_dir), keep_runs=keep_runs, keep_days=keep_days, dry_run=args.dry_run
    )
    verb = "would remove" if args.dry_run else "removed"
    print(f"{verb} {len(removed)} run folders" + (": " + ", ".join(removed) if removed else ""))
    return 0


def _site(args: argparse.Namespace) -> object:
    from newsspider.schedule import site_config

    settings = _settings(args.settings)
    return site_config(
        args.url or _demo_url(),
        state_dir=args.state_dir,
        export_dir=args.export_dir,
        settings=settings,
        extra_args=args.spider_args,
    )


def cmd_schedule(args: argparse.Namespace) -> int:
    from newsspider.schedule import LockBusy, Scheduler, SiteConfig, parse_every

    jobs = parse_every(args.every)
    jitter: timedelta = parse_duration(args.jitter)
    site = _site(args)
    assert isinstance(site, SiteConfig)
    scheduler = Scheduler(site, jobs, jitter=jitter, max_runs=args.max_runs)
    scheduler.install_signal_handlers()
    try:
        return scheduler.run_forever()
    except LockBusy as exc:
        print(f"newsspider schedule: {exc}", file=sys.stderr)
        return 3


def cmd_crawl(args: argparse.Namespace) -> int:
    from newsspider.run import new_run_id
    from newsspider.schedule import (
        LockBusy,
        SiteConfig,
        file_lock,
        start_locked_crawl,
    )

    site = _site(args)
    assert isinstance(site, SiteConfig)
    cmd = [sys.executable, "-m", "scrapy", "crawl", args.spider, "-a", f"url={site.url}"]
    cmd += ["-a", f"run_id={new_run_id(args.spider)}"]
    for arg in site.extra_args:
        cmd += ["-a", arg]
    for key, value in site.settings.items():
        cmd += ["-s", f"{key}={value}"]
    try:
        with file_lock(lock_file_for(site.state_file), f"a crawl of {site.url}") as lock:
            return start_locked_crawl(cmd, lock, new_session=False).wait()
    except LockBusy as exc:
        print(f"newsspider crawl: {exc}", file=sys.stderr)
        return 3


def cmd_due(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime

    from newsspider.schedule import SiteConfig, due_article_urls

    site = _site(args)
    assert isinstance(site, SiteConfig)
    urls = due_article_urls(site.state_file, site.decay, datetime.now(UTC))
    text = "".join(f"{url}\n" for url in urls)
    if args.out is not None:
        args.out.write_text(text, encoding="utf-8")
        print(f"{len(urls)} due article URLs written to {args.out}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _state_file(args: argparse.Namespace) -> tuple[Path, Path]:
    """(state file, export dir) of the site the arguments name."""
    from newsspider.schedule import SiteConfig

    if args.state_file is not None:
        return args.state_file, Path(args.export_dir)
    site = _site(args)
    assert isinstance(site, SiteConfig)
    return site.state_file, site.export_dir


def cmd_report(args: argparse.Namespace) -> int:
    from newsspider.history_marks import REPORT_FILE, WORKBOOK_FILE, history_dir_for
    from newsspider.report import refresh
    from newsspider.state.store import StateStore

    state_file, export_dir = _state_file(args)
    if not state_file.exists():
        print(
            f"newsspider report: no state file {state_file}; crawl the site first "
            "or give --state-file/--state-dir",
            file=sys.stderr,
        )
        return 2
    out = args.out or history_dir_for(export_dir, state_file)
    with StateStore(state_file) as store:
        sheets = refresh(store, out, top_n=args.top_n)
    print(
        f"wrote {out / WORKBOOK_FILE} ({', '.join(f'{k} {v}' for k, v in sheets.items())}) "
        f"and {out / REPORT_FILE}"
    )
    return 0


def cmd_history_rebuild(args: argparse.Namespace) -> int:
    from newsspider.history import write_history
    from newsspider.history_marks import history_dir_for
    from newsspider.schedule import SiteConfig
    from newsspider.state.store import StateStore

    if args.state_file is not None:
        state_file: Path = args.state_file
        export_dir = Path(args.export_dir)
    else:
        site = _site(args)
        assert isinstance(site, SiteConfig)
        state_file, export_dir = site.state_file, site.export_dir
    if not state_file.exists():
        print(
            f"newsspider history rebuild: no state file {state_file}; crawl the site first "
            "or give --state-file/--state-dir",
            file=sys.stderr,
        )
        return 2
    out = args.out or history_dir_for(export_dir, state_file)
    with StateStore(state_file) as store:
        written = write_history(store, out, top_n=args.top_n, force=True)
    print(f"rebuilt {out}/: " + ", ".join(f"{name} {rows} rows" for name, rows in written.items()))
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s [%(name)s] %(levelname)s: %(message)s"
    )
    try:
        if args.command == "schedule":
            return cmd_schedule(args)
        if args.command == "crawl":
            return cmd_crawl(args)
        if args.command == "due":
            return cmd_due(args)
        if args.command == "status":
            return cmd_status(args)
        if args.command == "prune":
            return cmd_prune(args)
        if args.command == "report":
            return cmd_report(args)
        return cmd_history_rebuild(args)
    except ValueError as exc:
        parser.exit(2, f"newsspider {args.command}: {exc}\n")


if __name__ == "__main__":
    raise SystemExit(main())
