"""``scrapy crawl`` that checks spider arguments first and lists them in ``--help``.

A wrong ``-a`` argument (unknown name or bad value) becomes one ``error:`` line on stderr and
exit status 2, instead of a traceback from inside the crawler. The arguments come from each
spider's ``arguments`` table (newsspider/arguments.py), the same one the spider parses.

``-o``/``-O`` are refused: the project's exports are one file per item type with its own
columns (exports/<run id>/, exports/latest/), which a single ``-o`` file cannot hold.
"""

from __future__ import annotations

import argparse
import atexit
import inspect
import os
import platform
import sys
import threading
from typing import Any, NoReturn

from scrapy.commands.crawl import Command as ScrapyCrawlCommand

from newsspider import settings as defaults  # each default: settings.py
from newsspider.arguments import describe_arguments
from newsspider.feeds import build_feeds

EXIT_USAGE = 2


def fail(message: str) -> NoReturn:
    """One ``error:`` line on stderr, exit status 2 (no usage text, no traceback)."""
    print(f"error: {message}", file=sys.stderr)
    raise SystemExit(EXIT_USAGE)


def refuse_feed_options(opts: argparse.Namespace, settings: Any) -> None:
    """``-o``/``-O`` (or ``-s FEEDS=…``, which Scrapyd adds when its ``items_dir`` is set) would
    replace the project's exports with one file without our columns, filters and CSV rules."""
    given = [
        f"{flag} {' '.join(paths)}"
        for flag, paths in (("-o", opts.output), ("-O", opts.overwrite_output))
        if paths
    ]
    feeds = settings.getdict("FEEDS") if settings.get("FEEDS") else {}
    if not given and set(feeds) - set(build_feeds()):
        # a FEEDS of other files (changed options of our own feeds are fine: tests inject faults)
        given = ["-s FEEDS=… (Scrapyd adds it when its items_dir is set: leave items_dir empty)"]
    if given:
        export_dir = settings.get("NEWSSPIDER_EXPORT_DIR") or defaults.NEWSSPIDER_EXPORT_DIR
        fail(
            f"{'; '.join(given)}: newsspider does not write -o/-O files; every run exports "
            f"one JSONL and one CSV per item type to {export_dir}/<run id>/ (newest: "
            f"{export_dir}/latest/); leave it out (-s NEWSSPIDER_EXPORT_DIR=DIR moves them)"
        )


def check_parse_workers(settings: Any) -> None:
    """A bad NEWSSPIDER_PARSE_WORKERS or NEWSSPIDER_PARSE_POOL_AFTER is one error line before
    the crawl, not a traceback."""
    from newsspider.parsepool import resolve_after, resolve_workers

    value = settings.get("NEWSSPIDER_PARSE_WORKERS", defaults.NEWSSPIDER_PARSE_WORKERS)
    after = settings.get("NEWSSPIDER_PARSE_POOL_AFTER", defaults.NEWSSPIDER_PARSE_POOL_AFTER)
    try:
        resolve_workers(value)
        resolve_after(after)
    except ValueError as exc:
        fail(str(exc))


def check_spider_arguments(spidercls: type, spargs: dict[str, Any]) -> None:
    """Parse the -a arguments with the spider's own table; one error line if any is bad."""
    parse = getattr(spidercls, "parse_arguments", None)
    if parse is None:
        return
    try:
        parse(spargs)
    except ValueError as exc:
        fail(str(exc))


def arguments_help(loader: Any) -> list[str]:
    """Every spider with its description and its ``-a`` arguments, for ``--help``."""
    text: list[str] = []
    for name in sorted(loader.list()):
        spidercls = loader.load(name)
        doc = inspect.getdoc(inspect.getmodule(spidercls)) or ""
        text += [f"{name}:", *("    " + line for line in doc.splitlines())]
        table = getattr(spidercls, "arguments", ())
        if table:
            text += ["", f"  arguments of {name}:", *describe_arguments(table, indent="    ")]
        text.append("")
    return text


class Command(ScrapyCrawlCommand):  # type: ignore[misc]
    def add_options(self, parser: argparse.ArgumentParser) -> None:
        # the first call Scrapy makes on the command it runs: the crawl starts here
        ask_platform_in_background()
        super().add_options(parser)
        parser.formatter_class = argparse.RawDescriptionHelpFormatter  # keep our line breaks
        # Scrapy builds every run's parser with long_desc() as its description: the spider
        # listing (every spider module loaded by a second SpiderLoader, ~0.15 s of CPU) is
        # built only when the help is shown
        show_help = parser.format_help

        def format_help() -> str:
            parser.description = self.help_text()
            return show_help()

        parser.format_help = format_help  # type: ignore[method-assign]

    def long_desc(self) -> str:
        return "Run a newsspider spider (--help lists the spiders and their -a arguments)."

    def help_text(self) -> str:
        text = ["Run a newsspider spider. Spiders and their -a arguments:", ""]
        try:
            from scrapy.spiderloader import SpiderLoader
            from scrapy.utils.project import get_project_settings

            text += arguments_help(SpiderLoader.from_settings(get_project_settings()))
        except Exception as exc:  # help must never fail
            text.append(f"(could not list spiders: {exc})")
        text += [
            "A wrong or unknown -a argument is one 'error:' line and exit status 2.",
            "Exports go to exports/<run id>/ and exports/latest/ (-s NEWSSPIDER_EXPORT_DIR=DIR);",
            "-o/-O are refused (see README, 'Exports').",
        ]
        return "\n".join(text)

    def process_options(self, args: list[str], opts: argparse.Namespace) -> None:
        super().process_options(args, opts)  # applies -s first (NEWSSPIDER_EXPORT_DIR)
        refuse_feed_options(opts, self.settings)
        check_parse_workers(self.settings)

    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if len(args) == 1 and self.crawler_process is not None:
            try:
                spidercls = self.crawler_process.spider_loader.load(args[0])
            except KeyError:
                fail(f"no spider called {args[0]!r}; 'scrapy list' shows the spiders")
            check_spider_arguments(spidercls, opts.spargs)
        preload_download_handler()
        super().run(args, opts)
        if not opts.profile:  # Scrapy's --profile writes its file after this returns
            exit_without_teardown(self.exitcode)


def ask_platform_in_background() -> threading.Thread:
    """Start ``platform.platform()`` on a daemon thread, for Scrapy's "Versions" log line.

    Scrapy logs the platform when the crawler process is built, at any ``LOG_LEVEL``, and on
    Linux ``platform.platform()`` runs ``uname -p`` in a child process and waits for it: the
    crawl's main thread idle for 2 ms on an idle machine, 8-40 ms on this loaded 2-core VM
    (fresh interpreters, docs/benchmarks/log.md "Session 11 (recrawl)"), in every crawl. Asked
    here, when the command starts, the child runs while the main thread imports the crawl's
    components; ``platform`` caches the answer, so Scrapy's call returns the same text at
    once. Should Scrapy ask first, it runs ``uname`` itself, as before.
    """
    thread = threading.Thread(target=platform.platform, name="platform-uname", daemon=True)
    thread.start()
    return thread


def exit_without_teardown(code: int) -> None:
    """End the ``scrapy crawl`` process now that the crawl is over, without the interpreter's
    teardown.

    Everything a normal exit does that matters runs first, in the same order: the ``atexit``
    handlers (logging's flush, an exit status set by the run - which exits there itself -,
    multiprocessing's clean-up), then stdout and stderr are flushed. What is skipped is freeing
    every object and module one by one: 0.3-0.5 s of CPU after the last log line of every
    crawl, for a process that is about to end anyway (every file of the run is closed and
    fsynced by then). Only in the ``scrapy`` command itself, and only when no other thread
    is left running (then the normal exit waits for it, as before).
    """
    from newsspider.extensions import running_as_scrapy_command

    if not running_as_scrapy_command():
        return
    if any(t is not threading.main_thread() and not t.daemon for t in threading.enumerate()):
        return
    atexit._run_exitfuncs()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


def preload_download_handler() -> None:
    """Import Scrapy's HTTP download handler here, a few frames below the command.

    Its modules build deprecated aliases with ``scrapy.utils.deprecate.create_deprecated_class``,
    which calls ``inspect.stack()``: that reads the source of every frame on the stack and scans
    ``sys.modules`` for each import-machinery frame. Imported by the engine, ~40 frames deep,
    it cost 0.3 s of CPU per crawl (py-spy, -X importtime); imported here, a small fraction.
    What is left of it (``inspect.stack()`` still reads the source lines of each frame, and
    ``inspect.getmodule`` maps every loaded module's file once: ~5% of an unchanged recrawl)
    is avoided by :func:`caller_frames_without_source` for the length of this import.
    """
    import inspect

    stack, getmodule = inspect.stack, inspect.getmodule
    inspect.stack = caller_frames_without_source  # type: ignore[assignment]
    inspect.getmodule = module_of  # type: ignore[assignment]
    try:
        import scrapy.core.downloader.handlers.http11  # noqa: F401
    finally:
        inspect.stack, inspect.getmodule = stack, getmodule


def caller_frames_without_source(context: int = 1) -> list[tuple[Any, ...]]:
    """``inspect.stack()`` as ``create_deprecated_class`` uses it (``stack()[1][0]``: the
    frame that called it), without reading any source file: (frame,) for every frame, from
    the caller of this function outwards."""
    frames: list[tuple[Any, ...]] = []
    frame = sys._getframe(1)
    while frame is not None:
        frames.append((frame,))
        frame = frame.f_back  # type: ignore[assignment]
    return frames


def module_of(obj: Any, _filename: str | None = None) -> Any:
    """``inspect.getmodule`` for a frame, from its globals (the module it runs in)."""
    name = getattr(obj, "f_globals", {}).get("__name__")
    return sys.modules.get(name) if name is not None else None
