"""Shared fixtures: the demo site over real HTTP, and a real ``scrapy crawl`` runner."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from scrapy.crawler import Crawler

from tests.servers import StaticSite

REPO = Path(__file__).resolve().parent.parent
DEMO_SITE = REPO / "newsspider" / "demo_site"


def pytest_configure(config: pytest.Config) -> None:
    """Property tests: CI (CI=true, and ./scripts/test) runs the full example count; the local
    quick loop a quarter of it. HYPOTHESIS_PROFILE=ci picks the CI strength anywhere."""
    base = settings(deadline=None, suppress_health_check=[HealthCheck.too_slow], database=None)
    settings.register_profile("ci", base, max_examples=60)
    settings.register_profile("dev", base, max_examples=15)
    in_ci = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
    settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE") or ("ci" if in_ci else "dev"))


@dataclass
class CrawlResult:
    returncode: int
    log: str
    export_dir: Path
    run_dir: Path

    def manifest(self) -> dict[str, object]:
        return json.loads((self.run_dir / "manifest.json").read_text(encoding="utf-8"))


def run_crawl(
    spider: str,
    export_dir: Path,
    *args: str,
    settings: dict[str, str] | None = None,
    run_id: str = "test-run",
    timeout: float = 240,
) -> CrawlResult:
    """Run a real ``scrapy crawl`` in a subprocess from the repository root."""
    cmd = [sys.executable, "-m", "scrapy", "crawl", spider, "-a", f"run_id={run_id}"]
    for arg in args:
        cmd += ["-a", arg]
    all_settings = {"NEWSSPIDER_EXPORT_DIR": str(export_dir), "LOG_LEVEL": "INFO"}
    all_settings.update(settings or {})
    for key, value in all_settings.items():
        cmd += ["-s", f"{key}={value}"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    return CrawlResult(proc.returncode, proc.stdout + proc.stderr, export_dir, export_dir / run_id)


def run_python(
    code: str,
    *args: str,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    timeout: float = 120,
) -> str:
    """Run ``code`` in a fresh interpreter (``python -c code *args``) and return its stdout.

    For what one process cannot show twice: what an import loads, a reactor installed once,
    the process's own pipes. The child must exit 0; when it does not (or runs out of time), the
    test fails with the tail of the child's stderr, where its traceback is, rather than a
    ``CalledProcessError`` that names only the exit status.
    """
    command = [sys.executable, "-c", code, *args]
    try:
        proc = subprocess.run(
            command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired as late:
        # on a timeout the output read so far comes back undecoded, whatever ``text`` says
        stderr = late.stderr or ""
        if isinstance(stderr, bytes):
            stderr = stderr.decode(errors="replace")
        raise AssertionError(
            f"the child did not end in {timeout} s; its stderr:\n{_tail(stderr)}"
        ) from None
    if proc.returncode != 0:  # raised, not asserted: pytest's rewrite would add the whole repr
        raise AssertionError(f"the child exited {proc.returncode}:\n{_tail(proc.stderr)}")
    return proc.stdout


def _tail(text: str, size: int = 3000) -> str:
    """The last ``size`` characters: a crawl's log runs long, its traceback comes last."""
    return text if len(text) <= size else f"[... {len(text) - size} characters]\n{text[-size:]}"


def make_run_crawler(
    export_dir: Path,
    spidercls: type | None = None,
    settings: dict[str, object] | None = None,
    **spider_args: str,
) -> Crawler:
    """A crawler for component tests: a newsspider spider, its add-on applied, a run context.

    Built the way ``scrapy crawl`` builds one (spider first, then add-ons, extensions and
    settings), without starting the engine: components get a real run context from it.
    """
    from scrapy.crawler import AsyncCrawlerRunner, CrawlerRunner
    from scrapy.utils.reactor import is_reactor_installed
    from scrapy.utils.test import get_reactor_settings

    from newsspider.spiders.frontpage import FrontpageSpider

    cls = spidercls or FrontpageSpider
    all_settings: dict[str, object] = {
        **get_reactor_settings(),  # as scrapy.utils.test.get_crawler does
        "NEWSSPIDER_EXPORT_DIR": str(export_dir),
        "ADDONS": {"newsspider.run.NewsspiderAddon": 0},
        **(settings or {}),
    }
    runner_cls = CrawlerRunner if is_reactor_installed() else AsyncCrawlerRunner
    crawler = runner_cls(all_settings).create_crawler(cls)
    crawler.spider = crawler._create_spider(**spider_args)
    crawler._apply_settings()
    return crawler


@pytest.fixture
def run_crawler(tmp_path: Path) -> Crawler:
    """A crawler with a run context (frontpage spider, state on, exports under tmp_path)."""
    return make_run_crawler(tmp_path / "exports", run_id="component-test")


@pytest.fixture
def demo_site() -> Iterator[StaticSite]:
    with StaticSite(DEMO_SITE) as site:
        yield site
