"""Project commands (COMMANDS_MODULE): Scrapy's own, fitted to this project.

* ``crawl``: checks ``-a`` arguments first, lists them per spider in ``--help``, refuses -o/-O;
* ``parse``, ``shell``, ``fetch``: inspect a page and print; they never start a run (no
  export files, no run folder, no state file, no history), see :func:`inspect_only`.
"""

from __future__ import annotations

from typing import Any


def inspect_only(settings: Any) -> None:
    """Turn a command's settings into "look, don't record": what it prints is its output.

    A page looked at in ``scrapy shell`` or ``scrapy parse`` must not become a half-empty run
    folder, move ``exports/latest`` or mark articles as seen: the run's add-on
    (newsspider/run.py) starts no run, so every run component stays out (NotConfigured).
    """
    from newsspider.run import INSPECT_ONLY

    settings.set(INSPECT_ONLY, True, priority="cmdline")
    settings.set("FEEDS", {}, priority="cmdline")
