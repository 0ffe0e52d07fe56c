"""Engine tuning (newsspider/perf.py) and the benchmark's delay server (benchmarks/delay_server.py)."""

from __future__ import annotations

import gc
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from newsspider import settings as project_settings
from newsspider.perf import ENGINE_SETTINGS, GcTuning

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
delay_server = pytest.importorskip("delay_server")


@pytest.fixture
def restore_gc() -> Iterator[None]:
    threshold = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*threshold)


def test_gc_tuning_sets_thresholds_and_freezes_after_start(restore_gc: None) -> None:
    crawler = get_crawler(
        settings_dict={"NEWSSPIDER_GC_THRESHOLD": [12345, 11, 7], "NEWSSPIDER_GC_FREEZE": True}
    )
    tuning = GcTuning.from_crawler(crawler)
    assert gc.get_threshold() == (12345, 11, 7)
    assert gc.get_freeze_count() == 0
    tuning.engine_started()
    assert gc.get_freeze_count() > 1000  # the interpreter's own objects at least
    tuning.engine_stopped()
    assert gc.get_freeze_count() == 0


def test_gc_tuning_is_off_without_settings(restore_gc: None) -> None:
    crawler = get_crawler(
        settings_dict={"NEWSSPIDER_GC_THRESHOLD": [], "NEWSSPIDER_GC_FREEZE": False}
    )
    with pytest.raises(NotConfigured):
        GcTuning.from_crawler(crawler)


@pytest.mark.parametrize("bad", [[1, 2], ["many", 1, 1], [-1, 10, 10]])
def test_gc_tuning_refuses_a_bad_threshold_in_one_line(restore_gc: None, bad: Any) -> None:
    before = gc.get_threshold()
    crawler = get_crawler(settings_dict={"NEWSSPIDER_GC_THRESHOLD": bad})
    with pytest.raises(NotConfigured, match="NEWSSPIDER_GC_THRESHOLD=.*three non-negative"):
        GcTuning.from_crawler(crawler)
    assert gc.get_threshold() == before


def test_engine_settings_are_project_settings_the_bare_fetch_can_copy() -> None:
    declared = [name for name in ENGINE_SETTINGS if hasattr(project_settings, name)]
    assert "CONCURRENT_ITEMS" in declared
    assert "newsspider.perf.GcTuning" in project_settings.EXTENSIONS


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("delay-site")
    (root / "news").mkdir()
    (root / "news" / "index.html").write_text("<p>listing</p>", encoding="utf-8")
    (root / "robots.txt").write_text("User-agent: *\n", encoding="utf-8")
    (root.parent / "secret.txt").write_text("outside", encoding="utf-8")
    return root


def fetch(url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as resp:
            return resp.status, resp.read(), resp.headers["Content-Type"]
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers["Content-Type"]


def test_delay_server_waits_serves_files_and_reports_its_cpu(site: Path) -> None:
    stats: dict[str, Any] = {}
    with delay_server.serve(site, 150, stats) as url:
        assert url.startswith("http://127.0.0.1:")
        started = time.monotonic()
        status, body, ctype = fetch(url + "news/")
        waited = time.monotonic() - started
        assert (status, body, ctype) == (200, b"<p>listing</p>", "text/html")
        assert waited >= 0.15
        assert fetch(url + "robots.txt")[:2] == (200, b"User-agent: *\n")
        assert fetch(url + "missing.html")[0] == 404
        assert fetch(url + "../secret.txt")[0] == 404
        assert fetch(url + "%2e%2e/secret.txt")[0] == 404
    assert stats["wall_s"] > 0.4 and 0 < stats["cpu_s"] < stats["wall_s"]
    assert 0 < stats["busy"] < 1  # CPU seconds per wall second: far from one core
