"""End to end: deploy the project to a real Scrapyd, schedule ``frontpage``, read the rows back.

What docs/SCHEDULING.md ("Scrapyd") tells a user to do, step by step:

1. ``scrapyd-deploy`` in a copy of the project (it writes setup.py and build files there) builds
   the egg and uploads it with ``addversion.json``; Scrapyd activates it through the egg's
   ``scrapy`` entry point (``[project.entry-points.scrapy]`` in pyproject.toml) already to
   list its spiders;
2. ``schedule.json`` with spider arguments and ``setting=NEWSSPIDER_EXPORT_DIR=…``;
3. ``listjobs.json`` until the job is finished, then the run folder is read.

Scrapyd cannot listen on port 0 (it then opens no TCP port at all), so a random high port is
tried, and another one if Scrapyd could not bind it.
"""

from __future__ import annotations

import json
import random
import shutil
import subprocess
import sys
import time
import urllib.parse
import urllib.request
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonlines
import pytest

from tests.conftest import REPO
from tests.servers import StaticSite

pytestmark = pytest.mark.e2e

BIN = Path(sys.executable).parent
RUN_ID = "scrapyd-e2e"


class Scrapyd:
    """A Scrapyd process on 127.0.0.1 with its eggs, logs and queues in ``root``."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    def start(self, attempts: int = 5) -> None:
        for _ in range(attempts):
            self.port = random.randint(20000, 60000)
            (self.root / "scrapyd.conf").write_text(
                "[scrapyd]\n"
                "bind_address = 127.0.0.1\n"
                f"http_port = {self.port}\n"
                "poll_interval = 0.5\n"
                "max_proc = 1\n"
                "eggs_dir = eggs\nlogs_dir = logs\ndbs_dir = dbs\nitems_dir =\n",
                encoding="utf-8",
            )
            log = (self.root / "scrapyd.out").open("wb")
            self.process = subprocess.Popen(
                [sys.executable, "-m", "scrapyd"], cwd=self.root, stdout=log, stderr=log
            )
            if self.wait_until_up():
                return
            self.stop()
        pytest.fail(f"Scrapyd did not start: {self.output()[-2000:]}")

    def wait_until_up(self, timeout: float = 60) -> bool:
        assert self.process is not None
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                return False  # e.g. the port was taken
            try:
                return self.get("daemonstatus.json")["status"] == "ok"
            except OSError:
                time.sleep(0.3)
        return False

    def output(self) -> str:
        path = self.root / "scrapyd.out"
        return path.read_text(errors="replace") if path.exists() else ""

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/"

    def get(self, endpoint: str, **params: str) -> Any:
        query = f"?{urllib.parse.urlencode(params)}" if params else ""
        with urllib.request.urlopen(self.url + endpoint + query, timeout=10) as response:
            return json.loads(response.read())

    def post(self, endpoint: str, fields: list[tuple[str, str]]) -> Any:
        data = urllib.parse.urlencode(fields).encode()
        with urllib.request.urlopen(self.url + endpoint, data=data, timeout=60) as response:
            return json.loads(response.read())


@pytest.fixture
def scrapyd(tmp_path: Path) -> Iterator[Scrapyd]:
    root = tmp_path / "scrapyd"
    root.mkdir()
    server = Scrapyd(root)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def project_copy(target: Path, deploy_url: str) -> Path:
    """What a user's checkout holds, with ``[deploy] url`` pointing at the test's Scrapyd."""
    shutil.copytree(
        REPO / "newsspider",
        target / "newsspider",
        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"),
    )
    for name in ("pyproject.toml", "README.md"):
        shutil.copy2(REPO / name, target / name)
    config = (REPO / "scrapy.cfg").read_text(encoding="utf-8")
    assert "[deploy]" in config
    (target / "scrapy.cfg").write_text(
        config.replace("[deploy]", f"[deploy]\nurl = {deploy_url}"), encoding="utf-8"
    )
    return target


def wait_for_job(scrapyd: Scrapyd, job: str, timeout: float = 240) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        jobs = scrapyd.get("listjobs.json", project="newsspider")
        for entry in jobs["finished"]:
            if entry["id"] == job:
                return dict(entry)
        time.sleep(1)
    pytest.fail(f"job {job} did not finish in {timeout} s: {scrapyd.output()[-2000:]}")


def test_deployed_egg_runs_frontpage_and_exports_rows(
    tmp_path: Path, scrapyd: Scrapyd, demo_site: StaticSite
) -> None:
    project = project_copy(tmp_path / "checkout", scrapyd.url)
    deploy = subprocess.run(
        [str(BIN / "scrapyd-deploy"), "--version", "1"],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert deploy.returncode == 0, deploy.stdout + deploy.stderr
    assert '"status": "ok"' in deploy.stdout, deploy.stdout + deploy.stderr
    (egg,) = (scrapyd.root / "eggs" / "newsspider").glob("*.egg")
    with zipfile.ZipFile(egg) as archive:
        entry_points = archive.read("EGG-INFO/entry_points.txt").decode()
    assert "[scrapy]" in entry_points and "settings = newsspider.settings" in entry_points

    # Scrapyd activated the egg to list its spiders (this is where a missing entry point broke)
    spiders = scrapyd.get("listspiders.json", project="newsspider")
    assert spiders["status"] == "ok", spiders
    assert set(spiders["spiders"]) == {"article", "frontpage", "site"}

    export_dir = tmp_path / "exports"
    scheduled = scrapyd.post(
        "schedule.json",
        [
            ("project", "newsspider"),
            ("spider", "frontpage"),
            ("_version", "1"),  # Scrapyd passes it on to the spider as -a _version=1
            ("url", demo_site.url),
            ("run_id", RUN_ID),
            ("max_articles", "3"),
            ("setting", f"NEWSSPIDER_EXPORT_DIR={export_dir}"),
            ("setting", f"NEWSSPIDER_STATE_DIR={tmp_path / 'state'}"),
        ],
    )
    assert scheduled["status"] == "ok", scheduled
    wait_for_job(scrapyd, scheduled["jobid"])

    (job_log,) = (scrapyd.root / "logs" / "newsspider" / "frontpage").glob("*.log")
    log = job_log.read_text(errors="replace")
    assert "Traceback" not in log, log[-3000:]
    run_dir = export_dir / RUN_ID
    assert (run_dir / "manifest.json").is_file(), log[-3000:]
    with jsonlines.open(run_dir / "front_page.jsonl") as reader:
        slots = list(reader)
    with jsonlines.open(run_dir / "articles.jsonl") as reader:
        articles = list(reader)
    assert len(slots) == 48
    assert {s["run_id"] for s in slots} == {RUN_ID}
    assert all(s["page_url"].startswith(demo_site.url) for s in slots)
    with jsonlines.open(run_dir / "rejects.jsonl") as reader:
        rejected = [r for r in reader if r["item_type"] == "Article"]
    # -d max_articles=3 reached the spider as a parsed argument: 3 article pages, whatever
    # became of them (the demo front page links a deliberately broken article early)
    assert len(articles) + len(rejected) == 3
    assert articles and all(a["headline"] for a in articles)
    assert all(a["url"].startswith(demo_site.url) for a in articles)
    assert (export_dir / "latest" / "manifest.json").is_file()
