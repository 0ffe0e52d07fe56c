"""Project commands (COMMANDS_MODULE): Scrapy's own, fitted to this project.

* ``crawl``: checks ``-a`` arguments first, lists them per spider in ``--help``, refuses -o/-O;
* ``parse``, ``shell``, ``fetch``: inspect a page and print; they never start a run (no
  export files, no run folder, no state file, no history), see :func:`inspect_only`.
"""

from __future__ import annotations

from typing import Any

# the extension that writes the run folder, its manifest and exports/latest
RUN_FILES_EXTENSION = "newsspider.extensions.RunFilesExtension"


def inspect_only(settings: Any) -> None:
    """Turn a command's settings into "look, don't record": what it prints is its output.

    ``cmdline`` priority, applied after ``-s``: a page looked at in ``scrapy shell`` must not
    become a half-empty run folder, move ``exports/latest`` or mark articles as seen.
    """
    settings.set("FEEDS", {}, priority="cmdline")
    settings.set("NEWSSPIDER_STATE_ENABLED", False, priority="cmdline")
    settings.set("NEWSSPIDER_HISTORY_ENABLED", False, priority="cmdline")
    extensions = dict(settings.getdict("EXTENSIONS"))
    extensions[RUN_FILES_EXTENSION] = None
    settings.set("EXTENSIONS", extensions, priority="cmdline")
