"""Distributed crawls: two real ``scrapy crawl`` workers sharing a real Redis (no mocks)."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonlines
import pytest

from tests.conftest import REPO, run_crawl
from tests.servers import StaticSite

pytestmark = pytest.mark.e2e

BROKEN_ID = "1028"  # the demo's page without a headline
DEMO_ARTICLES = 33
WORKER_TIMEOUT = 60.0


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    with jsonlines.open(path) as reader:
        return list(reader)


def redis_ping(sock: Path) -> bool:
    """PING over the Unix socket with the raw protocol (no client library needed)."""
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
            conn.settimeout(1.0)
            conn.connect(str(sock))
            conn.sendall(b"PING\r\n")
            return conn.recv(64).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A private redis-server on a Unix socket in tmp_path (TCP off), stopped afterwards."""
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail(
            "redis-server is not on PATH: run ./scripts/install-redis"
            " (or: sudo apt-get install -y redis-server)",
            pytrace=False,
        )
    # AF_UNIX paths are limited to ~107 bytes; pytest's tmp_path can be longer
    sock = tmp_path / "redis.sock"
    if len(str(sock)) > 100:
        sock = Path(f"/tmp/newsspider-redis-{os.getpid()}-{id(tmp_path)}.sock")
    proc = subprocess.Popen(
        [server, "--port", "0", "--unixsocket", str(sock), "--save", "", "--appendonly", "no"],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 10
        while not redis_ping(sock):
            if proc.poll() is not None or time.monotonic() > deadline:
                out = proc.stdout.read().decode(errors="replace") if proc.stdout else ""
                pytest.fail(f"redis-server did not answer PING within 10 s:\n{out[-2000:]}")
            time.sleep(0.05)
        yield f"unix://{sock}"
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=5)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        if proc.stdout:
            proc.stdout.close()
        sock.unlink(missing_ok=True)


def start_worker(site_url: str, export_dir: Path, run_id: str, redis: str) -> subprocess.Popen[str]:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "frontpage"]
    cmd += ["-a", f"url={site_url}", "-a", f"run_id={run_id}"]
    for key, value in {
        "NEWSSPIDER_EXPORT_DIR": str(export_dir),
        "NEWSSPIDER_REDIS_URL": redis,
        "LOG_LEVEL": "INFO",
        # slow enough (~10 s for one worker alone) that the work really is shared
        "CONCURRENT_REQUESTS_PER_DOMAIN": "1",
        "DOWNLOAD_DELAY": "0.3",
        "RANDOMIZE_DOWNLOAD_DELAY": "False",
    }.items():
        cmd += ["-s", f"{key}={value}"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen(
        cmd, cwd=REPO, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )


def test_two_workers_share_one_crawl(redis_url: str, demo_site: StaticSite, tmp_path: Path) -> None:
    export_dir = tmp_path / "exports"
    run_ids = ["worker-a", "worker-b"]
    workers = [start_worker(demo_site.url, export_dir, run_id, redis_url) for run_id in run_ids]
    logs = []
    try:
        for worker in workers:
            out, _ = worker.communicate(timeout=WORKER_TIMEOUT)
            logs.append(out)
    finally:
        for worker in workers:
            if worker.poll() is None:
                worker.kill()
                worker.communicate()
    for worker, log in zip(workers, logs, strict=True):
        assert worker.returncode == 0, log[-3000:]
        assert "Traceback" not in log, log[-3000:]
        assert "Distributed crawl" in log
        assert "Spider closed (finished)" in log

    articles = [a for r in run_ids for a in read_jsonl(export_dir / r / "articles.jsonl")]
    ids = Counter(a["article_id"] for a in articles)
    assert len(ids) == DEMO_ARTICLES
    assert set(ids.values()) == {1}, ids.most_common(3)
    assert all(a["run_id"] in run_ids for a in articles)
    per_worker = Counter(a["run_id"] for a in articles)
    assert all(per_worker[r] > 0 for r in run_ids), per_worker

    rejected_by = [
        r
        for r in run_ids
        for row in read_jsonl(export_dir / r / "rejects.jsonl")
        if BROKEN_ID in row["url"]
    ]
    assert len(rejected_by) == 1, rejected_by

    # one fetch per article page across both workers: the duplicate filter is shared
    article_hits = {p: n for p, n in demo_site.handler_class.hits.items() if "/article/" in p}
    assert len(article_hits) == DEMO_ARTICLES + 1
    assert set(article_hits.values()) == {1}, article_hits
    assert demo_site.hits("/") == 1

    # the last worker out deleted the crawl's keys: the same command later is a new crawl
    assert "Last worker of the crawl" in "".join(logs)


def test_unreachable_redis_is_one_error_line(tmp_path: Path) -> None:
    missing = tmp_path / "no-such-redis.sock"
    result = run_crawl(
        "frontpage",
        tmp_path / "exports",
        settings={"NEWSSPIDER_REDIS_URL": f"unix://{missing}"},
        timeout=60,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.log
    errors = [line for line in result.log.splitlines() if line.startswith("error:")]
    assert len(errors) == 1, result.log[-2000:]
    assert "cannot reach Redis" in errors[0]
    assert str(missing) in errors[0]
    assert "NEWSSPIDER_REDIS_URL" in errors[0]
    assert not (tmp_path / "exports" / "test-run").exists()


def test_not_a_redis_url_is_one_error_line(tmp_path: Path) -> None:
    result = run_crawl(
        "frontpage",
        tmp_path / "exports",
        settings={"NEWSSPIDER_REDIS_URL": "http://localhost:6379"},
        timeout=60,
    )
    assert result.returncode != 0
    assert "Traceback" not in result.log
    errors = [line for line in result.log.splitlines() if line.startswith("error:")]
    assert errors == [
        "error: -s NEWSSPIDER_REDIS_URL='http://localhost:6379' is not a Redis URL;"
        " try redis://HOST:6379/0 or unix:///path/to/redis.sock"
    ]
