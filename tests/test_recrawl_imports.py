"""An unchanged recrawl's wall time is its start-up (issue 14): it must not load what only a
run that parses pages or rewrites the history needs (docs/benchmarks/log.md "Session 9
(perf-recrawl)"). Each crawl runs as ``python -m scrapy crawl`` does, and writes the modules
it loaded when it ends."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from tests.conftest import run_python
from tests.servers import StaticSite
from tools.demo import build

REPO = Path(__file__).resolve().parent.parent

# ``python -m scrapy`` with the modules loaded written to argv[1] at exit (the crawl command
# runs the atexit handlers before it ends the process: commands/crawl.py)
RECORD_MODULES = """
import atexit, runpy, sys
out = sys.argv.pop(1)
atexit.register(lambda: open(out, "w").write("\\n".join(sorted(sys.modules))))
runpy.run_module("scrapy", run_name="__main__", alter_sys=True)
"""

# what only a run that parses a page, or changes the state, needs
NOT_ON_AN_UNCHANGED_RECRAWL = (
    "newsspider.pages.base",  # page objects: parsed pages only
    "newsspider.pages.generic",
    "newsspider.pages.news1global",
    "newsspider.extract",  # the generic extractors
    "newsspider.history",  # the history tables' writers: a run that changed something
    "newsspider.report",  # history.xlsx and report.html, likewise
    "dateparser",  # dates no fast path reads
    "tldextract",  # registered domains (discovery of other hosts)
    "newsspider.spiders.site",  # the other spiders: only the one that runs is loaded
    "newsspider.spiders.article",
    "newsspider.discovery",  # the site spider's channels
    "newsspider.health.status",  # old run folders are read only when some are to be pruned
)


def crawl_recording_modules(url: str, tmp_path: Path, run_id: str) -> tuple[set[str], dict]:
    """(modules loaded, manifest) of one ``scrapy crawl frontpage`` of ``url``."""
    out = tmp_path / f"{run_id}.modules"
    args = [str(out), "crawl", "frontpage", "-a", f"url={url}", "-a", f"run_id={run_id}"]
    settings = {
        "NEWSSPIDER_EXPORT_DIR": str(tmp_path / "exports"),
        "NEWSSPIDER_STATE_DIR": str(tmp_path / "state"),
        "LOG_LEVEL": "INFO",
    }
    for key, value in settings.items():
        args += ["-s", f"{key}={value}"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    run_python(RECORD_MODULES, *args, cwd=REPO, env=env, timeout=240)
    manifest = json.loads((tmp_path / "exports" / run_id / "manifest.json").read_text())
    return set(out.read_text().split()), manifest


@pytest.mark.e2e
def test_an_unchanged_recrawl_loads_no_page_object_and_no_history_writer(tmp_path: Path) -> None:
    root = tmp_path / "site"
    build.write_site(root)
    with StaticSite(root) as site:
        first, first_manifest = crawl_recording_modules(site.url, tmp_path, "first")
        second, manifest = crawl_recording_modules(site.url, tmp_path, "second")
    # the first crawl parses every page and writes the history: the recorder sees them loaded
    assert {"newsspider.pages.base", "newsspider.history"} <= first
    assert first_manifest["files"]["articles.jsonl"]["rows"] > 0
    # the second fetched the unchanged front page (304) and no article was due
    assert manifest["files"]["articles.jsonl"]["rows"] == 0
    assert "newsspider.spiders.frontpage" in second
    assert sorted(set(NOT_ON_AN_UNCHANGED_RECRAWL) & second) == []
