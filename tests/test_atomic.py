"""Exports that cannot be torn: SIGKILL at any moment, and a loud reconciliation failure.

Several real crawls of the (slowed) demo site are killed with SIGKILL at different moments -
during start-up, mid-crawl, and the instant the first file is renamed into place. After every
kill, each file under a final name (anything not ``*.part``) must parse completely, and
``exports/latest`` must still point at a complete run whose manifest's row counts and SHA-256
match the files.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DEMO_SITE, REPO, run_crawl
from tests.faultserver import FaultServer

KILL_AFTER = [0.5, 1.5, 2.5, 3.5, "first-rename"]


def crawl_cmd(url: str, export_dir: Path, run_id: str) -> list[str]:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "frontpage", "-a", f"url={url}"]
    cmd += ["-a", "site=news1global", "-a", f"run_id={run_id}"]
    for key, value in {
        "NEWSSPIDER_EXPORT_DIR": str(export_dir),
        "AUTOTHROTTLE_ENABLED": "False",
        "CONCURRENT_REQUESTS_PER_DOMAIN": "4",
        "LOG_LEVEL": "WARNING",  # the defaults otherwise: incremental state on
    }.items():
        cmd += ["-s", f"{key}={value}"]
    return cmd


def check_final_file(path: Path) -> None:
    """A file under its final name must be whole: every record parses, nothing torn."""
    data = path.read_bytes()
    if path.suffix == ".jsonl":
        assert not data or data.endswith(b"\n"), f"{path}: torn last line"
        for line in data.splitlines():
            json.loads(line)
    elif path.suffix == ".csv":
        text = data.decode("utf-8")
        assert text.startswith("\ufeff"), f"{path}: no BOM"
        assert text.endswith("\r\n"), f"{path}: torn last row"
        rows = list(csv.reader(io.StringIO(text[1:], newline="")))
        assert rows and all(len(r) == len(rows[0]) for r in rows), f"{path}: ragged rows"
    elif path.suffix == ".json":
        json.loads(data)


def check_latest(export_dir: Path) -> str:
    """``latest`` resolves to a complete run whose manifest matches its files."""
    latest = export_dir / "latest"
    assert latest.is_symlink()
    run_dir = latest.resolve()
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["reconciled"] is True
    for name, info in manifest["files"].items():
        data = (run_dir / name).read_bytes()
        assert hashlib.sha256(data).hexdigest() == info["sha256"], name
        assert len(data) == info["bytes"], name
    return run_dir.name


@pytest.fixture
def slow_demo() -> Any:
    with FaultServer(DEMO_SITE) as site:
        site.slow_articles(0.3)
        yield site


@pytest.mark.e2e
def test_sigkill_never_leaves_a_torn_file_or_a_bad_latest(
    slow_demo: FaultServer, tmp_path: Path
) -> None:
    export_dir = tmp_path / "exports"
    url = slow_demo.url + "index.html"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    base = subprocess.run(
        crawl_cmd(url, export_dir, "base"), cwd=REPO, env=env, capture_output=True, timeout=120
    )
    assert base.returncode == 0, base.stderr[-2000:]
    assert check_latest(export_dir) == "base"
    survived = 0
    for n, when in enumerate(KILL_AFTER):
        run_id = f"killed-{n}"
        proc = subprocess.Popen(
            crawl_cmd(url, export_dir, run_id),
            cwd=REPO,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        try:
            if when == "first-rename":
                # kill in the middle of finishing: the first final-named file has just appeared
                deadline = time.monotonic() + 60
                run_dir = export_dir / run_id
                while time.monotonic() < deadline and proc.poll() is None:
                    if run_dir.exists() and any(
                        not p.name.endswith(".part") for p in run_dir.iterdir()
                    ):
                        break
                    time.sleep(0.005)
            else:
                time.sleep(float(when))
            proc.send_signal(signal.SIGKILL)
            proc.wait(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
        for path in export_dir.rglob("*"):
            if path.is_file() and not path.name.endswith(".part"):
                check_final_file(path)
        assert check_latest(export_dir) in ("base", *(f"killed-{i}" for i in range(n + 1)))
        survived += 1
    assert survived == len(KILL_AFTER)
    # the base run is untouched by everything that happened after it
    assert not list((export_dir / "base").glob("*.part"))


@pytest.mark.e2e
def test_reconciliation_mismatch_fails_the_run_loudly(demo_site: Any, tmp_path: Path) -> None:
    from newsspider.feeds import build_feeds

    feeds = build_feeds()
    for uri, options in feeds.items():
        options["item_classes"] = [
            f"{c.__module__}.{c.__qualname__}" for c in options["item_classes"]
        ]
        if uri.endswith("/articles.csv"):
            options["item_filter"] = "tests.faultserver.DropEverySecondItem"
    export_dir = tmp_path / "exports"
    good = run_crawl(
        "frontpage",
        export_dir,
        f"url={demo_site.url}index.html",
        "site=news1global",
        run_id="good",
        settings={
            "AUTOTHROTTLE_ENABLED": "False",
            "NEWSSPIDER_STATE_DIR": str(tmp_path / "state-good"),
        },
    )
    assert good.returncode == 0
    bad = run_crawl(
        "frontpage",
        export_dir,
        f"url={demo_site.url}index.html",
        "site=news1global",
        run_id="bad",
        settings={
            "AUTOTHROTTLE_ENABLED": "False",
            "NEWSSPIDER_STATE_DIR": str(tmp_path / "state-bad"),
            "FEEDS": json.dumps(feeds),
        },
    )
    assert bad.returncode == 3, bad.log[-2000:]
    assert "Export files do not match the items scraped (articles.csv:" in bad.log
    manifest = bad.manifest()
    assert manifest["reconciled"] is False
    assert any(e.startswith("articles.csv:") for e in manifest["reconcile_errors"])
    assert os.readlink(export_dir / "latest") == "good"
