"""Spider arguments (``-a NAME=VALUE``): declared once per spider, parsed once, listed in help.

Each spider class has an ``arguments`` table of :class:`Argument` (name, parser, help). The
same table is used by

* validation: :func:`parse_arguments` (called by ``NewsSpider.__init__`` and, before the
  crawler starts, by ``scrapy crawl`` in ``newsspider/commands/crawl.py``): an unknown name or
  a bad value is one :class:`ArgumentError` line, which the command prints as ``error: …``
  with exit status 2;
* help: :func:`describe_arguments` (``scrapy crawl --help``, the README table);
* the spider: it reads the parsed values (ints, dates, tuples), never the raw strings.

A parser takes the raw text and returns the value, or raises ``ValueError`` with a short
reason ("not a whole number; use e.g. -a max_articles=10"); :func:`parse_arguments` puts the
argument name and spider name in front of it.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newsspider.middlewares import redact_credentials
from newsspider.urls import canonicalize_url


class ArgumentError(ValueError):
    """One line for the user: which argument, of which spider, what is wrong, what to do."""


@dataclass(frozen=True)
class Argument:
    """One ``-a NAME=VALUE`` a spider takes."""

    name: str
    parse: Callable[[str], Any]  # raw text -> value; ValueError("short reason") if bad
    help: str  # one line for --help and the README
    metavar: str = "VALUE"  # shown as -a NAME=METAVAR

    @property
    def usage(self) -> str:
        return f"-a {self.name}={self.metavar}"


# --------------------------------------------------------------------------- parsers


def parse_url(text: str) -> str:
    """An http(s) URL with a host, or a file: URL (the bundled demo, local copies)."""
    parts = urlsplit(text.strip())
    scheme = parts.scheme.lower()
    if scheme == "file" or (scheme in ("http", "https") and parts.hostname):
        return text.strip()
    raise ValueError("not an http(s) URL; try -a url=https://example.com/")


def parse_run_id(text: str) -> str:
    from newsspider.run import run_id_problem  # the one run-id rule

    problem = run_id_problem(text)
    if problem:
        raise ValueError(problem)
    return text


def parse_positive_int(text: str) -> int:
    try:
        number = int(text.strip())
    except ValueError:
        raise ValueError("not a whole number; use e.g. 10") from None
    if number < 1:
        raise ValueError("must be 1 or more (leave the argument out for no limit)")
    return number


def parse_depth(text: str) -> int:
    """Pages per listing (the first page counts)."""
    try:
        return parse_positive_int(text)
    except ValueError as exc:
        raise ValueError(f"{exc} (pages per listing, the first one counts)") from None


def parse_since(text: str) -> datetime | None:
    """``2026-02-20`` -> datetime, through the one date module (newsspider/dates.py)."""
    from newsspider import dates

    if not text.strip():
        return None
    try:
        return dates.parse_since(text)
    except ValueError:
        raise ValueError(
            "not a date; use YYYY-MM-DD (or an ISO 8601 time), e.g. -a since=2026-02-20"
        ) from None


def parse_channels(text: str) -> tuple[str, ...]:
    """``listing,sitemap`` -> ("listing", "sitemap")."""
    # imported here: only the site spider has channels, and a crawl of another spider then
    # never loads the discovery module (newsspider.perf.SpiderModuleLoader)
    from newsspider.discovery import CHANNELS

    names = [n.strip().lower() for n in text.split(",") if n.strip()]
    unknown = [n for n in names if n not in CHANNELS]
    if unknown or not names:
        raise ValueError(
            f"unknown channel {', '.join(unknown) or '(none)'}; "
            f"choose one or more of {','.join(CHANNELS)}"
        )
    return tuple(dict.fromkeys(names))


def read_urls_file(path: str) -> tuple[str, ...]:
    """Canonical URLs of a text file: one per line, blank lines and ``#`` comments skipped.

    Errors name the line number and a short reason, never the line itself: a URL list may hold
    tokens or internal addresses that must not end up in a log or a terminal recording.
    """
    file = Path(path)
    if not file.is_file():
        raise ValueError("no such file; give a text file with one URL per line")
    try:
        text = file.read_bytes().decode("utf-8-sig")
    except OSError as exc:
        raise ValueError(f"cannot read it ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise ValueError("not a UTF-8 text file; save it as UTF-8, one URL per line") from None
    urls: list[str] = []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        parts = urlsplit(line)
        if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
            raise ValueError(f"line {number} is not an http(s) URL; fix or remove it")
        try:
            urls.append(canonicalize_url(line))
        except ValueError:
            raise ValueError(f"line {number} is not a valid URL; fix or remove it") from None
    if not urls:
        raise ValueError("no URLs in it; put one http(s) URL per line (# starts a comment)")
    return tuple(dict.fromkeys(urls))


# --------------------------------------------------------------------------- parsing


def _shown(value: str) -> str:
    return repr(redact_credentials(value))


def parse_arguments(
    spider_name: str, declared: Iterable[Argument], given: Mapping[str, Any]
) -> dict[str, Any]:
    """Every declared argument's value (None when not given); ArgumentError on the first fault.

    Values that are not text (a spider built in Python with ``max_articles=5``) are parsed from
    their ``str()``, so a spider gets the same value whichever way it was started.
    """
    table = {argument.name: argument for argument in declared}
    for name in given:
        if name not in table:
            names = [n for n in table if not n.startswith("_")]
            close = difflib.get_close_matches(name, names, n=1, cutoff=0.75)
            hint = f"did you mean {close[0]}?" if close else f"it takes {', '.join(names)}"
            raise ArgumentError(f"unknown argument {name} for spider {spider_name}; {hint}")
    values: dict[str, Any] = {}
    for name, argument in table.items():
        raw = given.get(name)
        if raw is None:
            values[name] = None
            continue
        text = raw if isinstance(raw, str) else str(raw)
        try:
            values[name] = argument.parse(text)
        except ValueError as exc:
            shown = _shown(text)
            raise ArgumentError(f"-a {name}={shown} for spider {spider_name}: {exc}") from None
    return values


def describe_arguments(declared: Iterable[Argument], indent: str = "    ") -> list[str]:
    """Help lines: ``-a max_articles=N   follow at most N article links``."""
    shown = [a for a in declared if not a.name.startswith("_")]
    width = max((len(a.usage) for a in shown), default=0) + 3
    return [f"{indent}{a.usage:<{width}}{a.help}" for a in shown]
