"""End to end: the health verdict of real crawls against local servers (issue 10).

* layout drift: the demo served with its article markup renamed on the fly, crawled as
  ``news1global`` -> ``degraded`` (exit 5), alerts naming the broken fields, and every
  article still exported through the generic layer;
* failed runs (site down, start page 404) -> exit 4, ``latest`` kept on the last good run,
  a webhook alert POSTed to a local HTTP server;
* a clean run -> ``ok``, exit 0; ``NEWSSPIDER_FAIL_ON=failed`` lets a degraded run exit 0;
* ``newsspider status`` over those runs.
"""

from __future__ import annotations

import json
import re
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DEMO_SITE, REPO, CrawlResult, run_crawl
from tests.servers import StaticSite

pytestmark = pytest.mark.e2e

# the demo's article markup, renamed the way a site redesign renames it
RENAMES = {
    'class="article-headline"': 'class="story-title"',
    'class="article-body"': 'class="story-text"',
    'class="byline"': 'class="story-credit"',
    'class="article-dates"': 'class="story-times"',
    'class="category"': 'class="story-kicker"',
    'class="tags"': 'class="topics"',
    'class="tag"': 'class="topic"',
}
BROKEN_FIELDS = {"headline", "body", "date", "authors", "category", "tags"}


class RenamingHandler(SimpleHTTPRequestHandler):
    """Serves the demo; article pages go out with their class names rewritten."""

    def do_GET(self) -> None:
        path = self.path.split("?", 1)[0]
        if "/article/" not in path:
            super().do_GET()
            return
        file = Path(self.directory) / path.lstrip("/")
        if not file.is_file():
            self.send_error(404)
            return
        html = file.read_text(encoding="utf-8")
        for old, new in RENAMES.items():
            html = html.replace(old, new)
        body = html.encode("utf-8")
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


class Collector(BaseHTTPRequestHandler):
    """A webhook receiver: keeps every POSTed JSON body."""

    received: list[dict[str, Any]] = []

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length", 0))
        self.received.append(json.loads(self.rfile.read(length)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(server: ThreadingHTTPServer) -> Iterator[str]:
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        yield f"http://{host}:{port}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def renamed_site() -> Iterator[str]:
    handler = type("H", (RenamingHandler,), {})
    server = ThreadingHTTPServer(("127.0.0.1", 0), lambda *a: handler(*a, directory=str(DEMO_SITE)))
    yield from serve(server)


@pytest.fixture(scope="module")
def webhook() -> Iterator[tuple[str, list[dict[str, Any]]]]:
    handler = type("C", (Collector,), {"received": []})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    for url in serve(server):
        yield url + "hook", handler.received


@pytest.fixture(scope="module")
def demo() -> Iterator[StaticSite]:
    with StaticSite(DEMO_SITE) as site:
        yield site


@pytest.fixture(scope="module")
def exports(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("health-exports")


@pytest.fixture(scope="module")
def clean(demo: StaticSite, exports: Path) -> CrawlResult:
    return run_crawl("frontpage", exports, f"url={demo.url}", run_id="1-clean")


@pytest.fixture(scope="module")
def drifted(renamed_site: str, exports: Path, clean: CrawlResult) -> CrawlResult:
    return run_crawl(
        "frontpage",
        exports,
        f"url={renamed_site}",
        "site=news1global",
        run_id="2-drift",
        settings={
            "NEWSSPIDER_STATE_DIR": str(exports.parent / "drift-state"),
            # the renaming server is slow enough for a few progress lines
            "NEWSSPIDER_PROGRESS_INTERVAL": "0.5",
            "CONCURRENT_REQUESTS_PER_DOMAIN": "1",
        },
    )


@pytest.fixture(scope="module")
def down(
    exports: Path, drifted: CrawlResult, webhook: tuple[str, list[dict[str, Any]]]
) -> Iterator[CrawlResult]:
    # a port bound but not listening: connection refused, nobody else can take it meanwhile
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
        yield run_crawl(
            "frontpage",
            exports,
            f"url=http://127.0.0.1:{port}/",
            run_id="3-down",
            settings={"NEWSSPIDER_ALERT_WEBHOOK": webhook[0]},
        )


def rows(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def test_clean_run_is_ok(clean: CrawlResult) -> None:
    assert clean.returncode == 0, clean.log[-3000:]
    health = clean.manifest()["health"]
    assert health["status"] == "ok", health
    assert health["alerts"] == []
    assert "Health: OK" in clean.log
    # the verdict comes first in the summary
    summary = clean.log[clean.log.index("Health: OK") :]
    assert summary.index("Health: OK") < summary.index("Run 1-clean finished")


def test_renamed_markup_is_degraded_layout_drift(clean: CrawlResult, drifted: CrawlResult) -> None:
    assert drifted.returncode == 5, drifted.log[-3000:]
    health = drifted.manifest()["health"]
    assert health["status"] == "degraded"
    drift = [a for a in health["alerts"] if a["code"] == "layout_drift"]
    assert len(drift) == 1, health["alerts"]
    alert = drift[0]
    assert alert["site"] == "news1global"
    assert {f["field"] for f in alert["fields"]} == BROKEN_FIELDS
    by_field = {f["field"]: f for f in alert["fields"]}
    assert by_field["headline"]["selectors"] == ["ArticlePage.HEADLINE_CSS = 'h1.article-headline'"]
    assert "h1.article-headline" in alert["message"] and "body" in alert["message"]
    # the generic layer filled the headline and body of every page the profile missed
    assert by_field["headline"]["profile"] == 0
    assert by_field["headline"]["fallback"] >= 30
    assert by_field["body"]["fallback"] >= 30
    # slots and the popular list were untouched: not named
    assert "slots" not in by_field and "popular" not in by_field
    # every article the clean run exported is exported again, through the generic layer
    clean_articles = rows(clean.run_dir / "articles.jsonl")
    drift_articles = rows(drifted.run_dir / "articles.jsonl")
    assert {a["article_id"] for a in drift_articles} >= {a["article_id"] for a in clean_articles}
    assert all(a["headline"] and a["body"] for a in drift_articles)
    assert {a["headline_source"] for a in drift_articles} <= {
        "structured_data",
        "meta",
        "heuristics",
    }
    assert "Health: DEGRADED" in drifted.log
    # the periodic progress line replaced Scrapy's LogStats line
    assert re.search(
        r"\[newsspider.progress\] INFO: progress: \d+ pages \([\d.]+/s\), \d+ articles exported,"
        r" \d+ queued, \d+ rejects",
        drifted.log,
    ), drifted.log[-3000:]
    assert "[scrapy.extensions.logstats]" not in drifted.log
    # a degraded run still exported its data: latest moves to it
    assert (drifted.export_dir / "latest").resolve() == drifted.run_dir.resolve()


def test_site_down_is_failed_and_keeps_latest(
    down: CrawlResult, webhook: tuple[str, list[dict[str, Any]]]
) -> None:
    assert down.returncode == 4, down.log[-3000:]
    health = down.manifest()["health"]
    assert health["status"] == "failed"
    codes = [a["code"] for a in health["alerts"]]
    assert codes[:2] == ["start_page_not_fetched", "no_articles"]
    assert "site unreachable" in health["alerts"][0]["message"]
    assert "Site unreachable: 127.0.0.1:" in down.log
    assert "robots.txt" not in health["alerts"][0]["message"]
    assert (down.export_dir / "latest").resolve().name == "2-drift"
    assert "latest unchanged" in down.log
    # one webhook POST with run id, site, status, alerts and a Slack-style text
    posted = [p for p in webhook[1] if p["run_id"] == "3-down"]
    assert len(posted) == 1
    assert posted[0]["status"] == "failed"
    assert posted[0]["text"].startswith("newsspider: frontpage run 3-down of local-127.0.0.1-")
    assert posted[0]["alerts"][0]["code"] == "start_page_not_fetched"
    assert health["notified"] == {"webhook": "sent"}


def test_start_page_404_is_failed_and_old_runs_are_pruned(demo: StaticSite, tmp_path: Path) -> None:
    for n, rows in enumerate((0, 5)):  # two earlier runs: one empty, one with data
        old = tmp_path / f"old-{n}"
        old.mkdir()
        manifest = {
            "run_id": old.name,
            "finished_at": f"2026-01-0{n + 1}T00:00:00+00:00",
            "files": {"articles.jsonl": {"rows": rows}},
        }
        (old / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = run_crawl(
        "frontpage",
        tmp_path,
        f"url={demo.url}no-such-page.html",
        run_id="404",
        settings={"NEWSSPIDER_KEEP_RUNS": "2"},
    )
    assert result.returncode == 4, result.log[-3000:]
    first = result.manifest()["health"]["alerts"][0]
    assert first["code"] == "start_page_not_fetched"
    assert "404" in first["message"]
    assert not (tmp_path / "latest").exists()
    # NEWSSPIDER_KEEP_RUNS=2 after the run: the empty old run went first; a failed run
    # commits nothing to the state, so it writes no history either
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == [
        "404",
        "old-1",
    ]


def test_fail_on_failed_lets_degraded_exit_zero(renamed_site: str, tmp_path: Path) -> None:
    result = run_crawl(
        "frontpage",
        tmp_path,
        f"url={renamed_site}",
        "site=news1global",
        "max_articles=8",
        settings={"NEWSSPIDER_FAIL_ON": "failed"},
    )
    assert result.returncode == 0, result.log[-3000:]
    assert result.manifest()["health"]["status"] == "degraded"


def test_status_command(clean: CrawlResult, drifted: CrawlResult, down: CrawlResult) -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "newsspider.cli", "status", "--export-dir", str(clean.export_dir)],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=False,
    )
    assert proc.returncode == 1, proc.stdout + proc.stderr
    out = proc.stdout
    assert re.search(r"1-clean\s+frontpage\s+ok\s+", out), out
    assert re.search(r"2-drift\s+frontpage\s+degraded\s+", out), out
    assert re.search(r"3-down\s+frontpage\s+failed\s+", out), out
    assert "layout_drift" in out and "start_page_not_fetched" in out
