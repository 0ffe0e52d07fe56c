"""Kills, resumes and full disks with the DEFAULT settings (incremental state on).

Each scenario crawls the demo site (served slowly over real HTTP, so kills land mid-crawl)
into one export folder, kills the crawl at a chosen or random moment, then runs the same
command normally. The union of the *complete* runs (a manifest, reconciled, not failed) must
hold every article, front-page slot and popular entry of the site exactly once: nothing lost
to a state that remembered a fetch whose row never reached a file, nothing exported twice.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DEMO_SITE, REPO
from tests.faultserver import FaultServer


def crawl_cmd(url: str, export_dir: Path, **settings: str) -> list[str]:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "frontpage", "-a", f"url={url}"]
    cmd += ["-a", "site=news1global"]
    all_settings = {
        "NEWSSPIDER_EXPORT_DIR": str(export_dir),
        "LOG_LEVEL": "INFO",
        "AUTOTHROTTLE_ENABLED": "False",
        **settings,
    }
    for key, value in all_settings.items():
        cmd += ["-s", f"{key}={value}"]
    return cmd


def run(cmd: list[str], crash_at: str | None = None, timeout: float = 120) -> tuple[int, str]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    if crash_at:
        env["NEWSSPIDER_CRASH_AT"] = crash_at
    proc = subprocess.run(
        cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    return proc.returncode, proc.stdout + proc.stderr


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def complete_runs(export_dir: Path) -> list[Path]:
    runs = []
    for folder in sorted(export_dir.iterdir()):
        manifest = folder / "manifest.json"
        if folder.is_symlink() or not manifest.exists():
            continue
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if data.get("reconciled") and data["health"]["status"] != "failed":
            runs.append(folder)
    return runs


def union(export_dir: Path) -> dict[str, Counter[Any]]:
    out: dict[str, Counter[Any]] = {"articles": Counter(), "slots": Counter(), "popular": Counter()}
    for folder in complete_runs(export_dir):
        assert not list(folder.glob("*.part")), f"{folder}: .part files in a complete run"
        for row in read_jsonl(folder / "articles.jsonl"):
            out["articles"][row["article_id"]] += 1
        for row in read_jsonl(folder / "front_page.jsonl"):
            out["slots"][(row["page_url"], row["position_on_page"], row["article_url"])] += 1
        for row in read_jsonl(folder / "popular.jsonl"):
            out["popular"][(row["list_name"], row["rank"], row["article_url"])] += 1
    return out


@pytest.fixture(scope="module")
def site() -> Any:
    with FaultServer(DEMO_SITE) as server:
        server.slow_articles(0.1)
        yield server


@pytest.fixture(scope="module")
def reference(site: FaultServer, tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[Any]]:
    """What one complete crawl of the site exports (state off: everything, once)."""
    export_dir = tmp_path_factory.mktemp("reference")
    code, log = run(
        crawl_cmd(site.url + "index.html", export_dir, NEWSSPIDER_STATE_ENABLED="False")
    )
    assert code == 0, log[-3000:]
    got = union(export_dir)
    assert len(got["articles"]) == 33 and len(got["slots"]) == 48 and len(got["popular"]) == 10
    return {name: set(counter) for name, counter in got.items()}


def assert_exactly_once(export_dir: Path, reference: dict[str, set[Any]]) -> dict[str, int]:
    got = union(export_dir)
    for name, want in reference.items():
        twice = sorted(k for k, n in got[name].items() if n > 1)
        lost = sorted(want - set(got[name]))
        assert not twice, f"{name} exported twice: {twice[:5]}"
        assert not lost, f"{name} lost: {lost[:5]}"
        assert set(got[name]) == want
    latest = export_dir / "latest"
    assert latest.is_symlink() and (latest / "manifest.json").exists()
    return {name: sum(counter.values()) for name, counter in got.items()}


CHOSEN = [
    "after_fetch:1",  # a page fetched (and its fetch known to the state), its item not yet out
    "after_fetch:20",
    "after_renames",  # every file under its final name, state not committed, no manifest
    "after_commit",  # state committed, manifest not written
    "after_manifest",  # complete, but history and `latest` not refreshed
    "during_history",  # killed while the history tables are rebuilt
]


@pytest.mark.e2e
@pytest.mark.parametrize("point", CHOSEN)
def test_kill_at_a_chosen_point_then_a_normal_run_loses_and_repeats_nothing(
    site: FaultServer, reference: dict[str, set[Any]], tmp_path: Path, point: str
) -> None:
    cmd = crawl_cmd(site.url + "index.html", tmp_path)
    code, log = run(cmd, crash_at=point)
    assert code == -signal.SIGKILL, f"the crash point {point} was not reached:\n{log[-2000:]}"
    code, log = run(cmd)
    assert code == 0, log[-3000:]
    assert "Traceback" not in log
    assert_exactly_once(tmp_path, reference)
    # and the run after that has nothing left to export
    code, log = run(cmd)
    assert code == 0, log[-3000:]
    assert_exactly_once(tmp_path, reference)
    # no partial file of the killed run is left to rot
    assert not list(tmp_path.glob("*/*.part")), list(tmp_path.glob("*/*.part"))


@pytest.mark.e2e
def test_kills_at_random_moments_each_followed_by_a_normal_run(
    site: FaultServer, reference: dict[str, set[Any]], tmp_path: Path
) -> None:
    rng = random.Random(20261128)
    cmd = crawl_cmd(site.url + "index.html", tmp_path)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    delays = [round(rng.uniform(0.5, 4.0), 2) for _ in range(4)]
    for delay in delays:
        proc = subprocess.Popen(
            cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(delay)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
        code, log = run(cmd)
        assert code == 0, f"after a kill at {delay} s:\n{log[-3000:]}"
        assert_exactly_once(tmp_path, reference)


@pytest.mark.e2e
def test_sigkill_then_jobdir_resume_with_state_on(
    site: FaultServer, reference: dict[str, set[Any]], tmp_path: Path
) -> None:
    export_dir, jobdir = tmp_path / "exports", tmp_path / "job"
    cmd = crawl_cmd(site.url + "index.html", export_dir, JOBDIR=str(jobdir))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.Popen(
        cmd, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        parts = list(export_dir.glob("*/articles.jsonl.part"))
        if parts and parts[0].read_bytes().count(b"\n") >= 5:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=30)
    code, log = run(cmd)  # the same command: resumes the killed run
    assert code == 0, log[-3000:]
    assert "Resuming run" in log
    assert_exactly_once(export_dir, reference)
    code, log = run(cmd)  # the next run: a new one, with nothing new to export
    assert code == 0, log[-3000:]
    assert_exactly_once(export_dir, reference)


@pytest.mark.e2e
def test_two_crawls_with_one_jobdir_second_refused_at_once(
    site: FaultServer, tmp_path: Path
) -> None:
    export_dir, jobdir = tmp_path / "exports", tmp_path / "job"
    cmd = crawl_cmd(site.url + "index.html", export_dir, JOBDIR=str(jobdir))
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    site.slow_articles(3.0)  # the first crawl lasts ~25 s: the second starts while it runs
    first_log = tmp_path / "first.log"
    with first_log.open("wb") as out:
        first = subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 60
        while not list(export_dir.glob("*/articles.jsonl.part")) and time.monotonic() < deadline:
            time.sleep(0.05)
        started = time.monotonic()
        code, log = run(cmd, timeout=60)
        assert code == 2, log[-2000:]
        assert time.monotonic() - started < 60  # refused at once, not after minutes
        errors = [line for line in log.splitlines() if line.startswith("error:")]
        assert len(errors) == 1 and "in use by another running crawl" in errors[0]
    finally:
        first.wait(timeout=120)
        site.slow_articles(0.1)
    # the refused crawl left the running one alone (it once deleted its request queue)
    text = first_log.read_text(encoding="utf-8")
    assert first.returncode == 0, [line for line in text.splitlines() if "ERROR" in line][:5]
    assert "Traceback" not in text


def _foreign_schema(path: Path) -> None:
    import sqlite3

    db = sqlite3.connect(path)
    db.executescript("CREATE TABLE articles (id INTEGER PRIMARY KEY, title TEXT);")
    db.close()


def _overwritten_pages(path: Path) -> None:
    data = bytearray(path.read_bytes())
    for offset in range(4096, len(data), 4096):  # every page after the first: garbage
        data[offset + 8 : offset + 400] = os.urandom(392)
    path.write_bytes(bytes(data))


DAMAGES = {
    "garbage": lambda p: p.write_bytes(os.urandom(10_000)),
    "truncated": lambda p: p.write_bytes(p.read_bytes()[:1500]),
    "foreign_schema": lambda p: (p.unlink(), _foreign_schema(p)),
    "overwritten_pages": _overwritten_pages,
}


@pytest.mark.e2e
@pytest.mark.parametrize("damage", sorted(DAMAGES))
def test_damaged_state_file_is_one_line_and_latest_stays(
    site: FaultServer, tmp_path: Path, damage: str
) -> None:
    state_file = tmp_path / "site.sqlite3"
    cmd = crawl_cmd(
        site.url + "index.html", tmp_path / "exports", NEWSSPIDER_STATE_FILE=str(state_file)
    )
    code, log = run(cmd)
    assert code == 0, log[-3000:]
    latest_before = os.readlink(tmp_path / "exports" / "latest")
    for suffix in ("-wal", "-shm"):
        Path(str(state_file) + suffix).unlink(missing_ok=True)
    DAMAGES[damage](state_file)
    code, log = run(cmd)
    assert code == 2, log[-3000:]
    assert "Traceback" not in log
    errors = [line for line in log.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, log[-3000:]
    assert str(state_file) in errors[0] and "move it aside" in errors[0]
    assert os.readlink(tmp_path / "exports" / "latest") == latest_before
    # the refused run left no folder behind
    folders = [p for p in (tmp_path / "exports").iterdir() if not p.is_symlink()]
    assert sorted(p.name for p in folders if p.name not in ("history", ".state")) == [latest_before]
    # what the message says to do works: moved aside, the next run starts from scratch
    state_file.rename(tmp_path / "damaged.sqlite3")
    code, log = run(cmd)
    assert code == 0, log[-3000:]


class Tmpfs:
    """A small tmpfs (root, as in CI): a real file system that fills up or goes read-only."""

    def __init__(self, path: Path, size_kb: int) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        subprocess.run(
            ["mount", "-t", "tmpfs", "-o", f"size={size_kb}k", "tmpfs", str(path)], check=True
        )

    def remount(self, options: str) -> None:
        subprocess.run(["mount", "-o", f"remount,{options}", str(self.path)], check=True)

    def close(self) -> None:
        subprocess.run(["umount", "-l", str(self.path)], check=False)


@pytest.fixture
def tmpfs(tmp_path: Path) -> Any:
    mounts: list[Tmpfs] = []

    def make(name: str, size_kb: int) -> Tmpfs:
        mounts.append(Tmpfs(tmp_path / name, size_kb))
        return mounts[-1]

    yield make
    for mount in mounts:
        mount.close()


def _new_state_file_kb(folder: Path) -> int:
    """What a new, empty state file takes on disk while open (database, WAL, index), in KB."""
    from newsspider.state.store import StateStore

    with StateStore(folder / "s.sqlite3"):
        return sum(path.stat().st_size for path in folder.iterdir()) // 1024


def assert_failed_loudly(code: int, log: str, export_dir: Path, latest_before: str | None) -> None:
    assert code == 4, log[-3000:]  # failed (README "Exit status")
    assert "Traceback" not in log
    failed = [line for line in log.splitlines() if " ERROR: Run " in line and " failed" in line]
    assert failed, log[-3000:]
    assert "No space left on device" in log or "disk is full" in log
    assert log.count(" ERROR: ") <= 3, log[-3000:]  # a few lines, not one per item
    latest = export_dir / "latest"
    assert (os.readlink(latest) if latest.is_symlink() else None) == latest_before
    for manifest in export_dir.glob("*/manifest.json"):
        data = json.loads(manifest.read_text(encoding="utf-8"))
        if data["run_id"] != latest_before:
            assert data["failure"]["code"] == "disk_full"
            assert data["health"]["status"] == "failed"
            assert data["health"]["alerts"][0]["code"] == "disk_full"
            # nothing of the failed run under a final name
            names = {p.name for p in manifest.parent.iterdir()}
            assert not names & {"articles.jsonl", "articles.csv", "front_page.jsonl"}


@pytest.mark.e2e
def test_export_disk_full_fails_loudly_and_the_next_run_exports_everything(
    site: FaultServer, reference: dict[str, set[Any]], tmp_path: Path, tmpfs: Any
) -> None:
    disk = tmpfs("exports", 96)  # the demo's exports need ~200 KB
    state_file = tmp_path / "state.sqlite3"
    cmd = crawl_cmd(site.url + "index.html", disk.path, NEWSSPIDER_STATE_FILE=str(state_file))
    code, log = run(cmd)
    assert_failed_loudly(code, log, disk.path, None)
    disk.remount("size=4m")  # space freed
    code, log = run(cmd)
    assert code == 0, log[-3000:]
    assert_exactly_once(disk.path, reference)


@pytest.mark.e2e
def test_state_disk_full_fails_loudly_and_the_next_run_exports_everything(
    site: FaultServer, reference: dict[str, set[Any]], tmp_path: Path, tmpfs: Any
) -> None:
    # a new state file (its schema: ~460 KB with 16 KB pages) fits, the demo run does not
    disk = tmpfs("state", _new_state_file_kb(tmp_path / "probe") + 128)
    export_dir = tmp_path / "exports"
    cmd = crawl_cmd(
        site.url + "index.html", export_dir, NEWSSPIDER_STATE_FILE=str(disk.path / "s.sqlite3")
    )
    code, log = run(cmd)
    assert_failed_loudly(code, log, export_dir, None)
    disk.remount("size=8m")
    code, log = run(cmd)
    assert code == 0, log[-3000:]
    assert_exactly_once(export_dir, reference)


@pytest.mark.e2e
def test_read_only_export_folder_is_one_error_and_nothing_is_skipped_later(
    site: FaultServer, reference: dict[str, set[Any]], tmp_path: Path, tmpfs: Any
) -> None:
    disk = tmpfs("exports", 8192)
    state_file = tmp_path / "state.sqlite3"
    cmd = crawl_cmd(site.url + "index.html", disk.path, NEWSSPIDER_STATE_FILE=str(state_file))
    site_hits = len(site.hits())
    disk.remount("ro")
    code, log = run(cmd)
    assert code == 2, log[-3000:]
    errors = [line for line in log.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "Read-only file system" in errors[0], log[-3000:]
    assert len(site.hits()) == site_hits  # refused before fetching anything
    disk.remount("rw")
    code, log = run(cmd)
    assert code == 0, log[-3000:]
    assert_exactly_once(disk.path, reference)
