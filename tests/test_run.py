"""The run context (newsspider/run.py): one object per crawl, decided once, refused loudly."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
from pathlib import Path

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from newsspider.extensions import RunFilesExtension
from newsspider.middlewares_state import StateDownloaderMiddleware, StateSpiderMiddleware
from newsspider.pipelines.dedupe import DedupePipeline
from newsspider.pipelines.stamp import StampRunPipeline
from newsspider.pipelines.state import StatePipeline
from newsspider.run import RunSetupError, check_run_id, run_context
from newsspider.spiders.article import ArticleSpider
from tests.conftest import REPO, make_run_crawler, run_crawl


def test_one_context_per_crawl_shared_by_every_component(tmp_path: Path) -> None:
    crawler = make_run_crawler(tmp_path, run_id="r1")
    context = run_context(crawler)
    assert run_context(crawler) is context  # built once
    assert context.run_id == "r1" and context.run_dir == tmp_path / "r1"
    assert context.run_dir.is_dir()  # claimed at start
    assert context.state is not None and context.state.run_id == "r1"
    assert StateRuntimeOf(StatePipeline.from_crawler(crawler)) is context.state
    assert StateSpiderMiddleware.from_crawler(crawler).runtime is context.state
    assert StateDownloaderMiddleware.from_crawler(crawler).runtime is context.state
    assert DedupePipeline.from_crawler(crawler).resume is context.resume
    assert StampRunPipeline.from_crawler(crawler).run_id == "r1"


def StateRuntimeOf(pipeline: StatePipeline) -> object:
    return pipeline.runtime


def test_state_off_means_state_components_are_not_configured(tmp_path: Path) -> None:
    crawler = make_run_crawler(tmp_path, settings={"NEWSSPIDER_STATE_ENABLED": False}, run_id="r")
    assert run_context(crawler).state is None
    for component in (StatePipeline, StateSpiderMiddleware, StateDownloaderMiddleware):
        with pytest.raises(NotConfigured):
            component.from_crawler(crawler)  # type: ignore[attr-defined]
    assert not (tmp_path / ".state").exists()


def test_no_newsspider_spider_means_no_run_and_no_files(tmp_path: Path) -> None:
    """``scrapy shell``: DefaultSpider, no run context, every run component stays out."""
    crawler = get_crawler(
        settings_dict={
            "NEWSSPIDER_EXPORT_DIR": str(tmp_path / "x"),
            "ADDONS": {"newsspider.run.NewsspiderAddon": 0},
        }
    )
    for component in (RunFilesExtension, StatePipeline, DedupePipeline, StampRunPipeline):
        with pytest.raises(NotConfigured):
            component.from_crawler(crawler)  # type: ignore[attr-defined]
    assert not crawler.settings.getdict("FEEDS")
    assert not (tmp_path / "x").exists()


def test_article_spider_site_is_its_first_url(tmp_path: Path) -> None:
    crawler = make_run_crawler(
        tmp_path, ArticleSpider, url="https://user:secret@example.com/a/1", run_id="a1"
    )
    context = run_context(crawler)
    assert context.site_url.startswith("https://") and "secret" not in context.site_url


def test_reused_run_id_is_refused_and_first_run_kept(tmp_path: Path) -> None:
    run_context(make_run_crawler(tmp_path, run_id="same"))
    (tmp_path / "same" / "articles.jsonl").write_text("{}\n", encoding="utf-8")
    with pytest.raises(RunSetupError, match="already exists"):
        run_context(make_run_crawler(tmp_path, run_id="same"))
    assert (tmp_path / "same" / "articles.jsonl").read_text(encoding="utf-8") == "{}\n"


@pytest.mark.parametrize("run_id", ["latest", "history", "LATEST", "../x", "a/b", ".hidden", ""])
def test_reserved_and_unsafe_run_ids_are_refused(run_id: str) -> None:
    with pytest.raises(ValueError, match="run_id"):
        check_run_id(run_id)


def test_bad_run_id_stored_in_jobdir_is_refused(tmp_path: Path) -> None:
    jobdir = tmp_path / "job"
    jobdir.mkdir()
    (jobdir / "newsspider-run-id").write_text("../../etc\n", encoding="utf-8")
    with pytest.raises(RunSetupError, match="stored in"):
        run_context(make_run_crawler(tmp_path / "ex", settings={"JOBDIR": str(jobdir)}))
    assert not (tmp_path / "etc").exists()


def test_export_folder_that_cannot_exist_is_refused() -> None:
    with pytest.raises(RunSetupError, match="cannot write to the export folder /proc/x"):
        run_context(make_run_crawler(Path("/proc/x"), run_id="r"))


# --- the same, as a user sees it -----------------------------------------------------------


def _digest(folder: Path) -> str:
    h = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            h.update(path.name.encode() + path.read_bytes())
    return h.hexdigest()


@pytest.mark.e2e
def test_second_crawl_with_same_run_id_exits_2_and_leaves_first_run_alone(tmp_path: Path) -> None:
    first = run_crawl("frontpage", tmp_path, run_id="twice")
    assert first.returncode == 0, first.log[-2000:]
    before = _digest(first.run_dir)
    second = run_crawl("frontpage", tmp_path, run_id="twice")
    assert second.returncode == 2
    errors = [line for line in second.log.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "already exists" in errors[0], second.log[-2000:]
    assert "Traceback" not in second.log
    assert _digest(first.run_dir) == before


@pytest.mark.e2e
@pytest.mark.parametrize("state", ["True", "False"])
def test_unwritable_export_folder_is_one_error_before_crawling(state: str) -> None:
    result = run_crawl(
        "frontpage", Path("/proc/newsspider-x"), settings={"NEWSSPIDER_STATE_ENABLED": state}
    )
    assert result.returncode == 2
    assert "Traceback" not in result.log
    errors = [line for line in result.log.splitlines() if line.startswith("error:")]
    assert errors == [
        "error: cannot write to the export folder /proc/newsspider-x (No such file or directory);"
        " fix its permissions or choose another with -s NEWSSPIDER_EXPORT_DIR=DIR"
    ]
    assert "Crawled 1 pages" not in result.log and "Spider opened" not in result.log


@pytest.mark.e2e
def test_scrapy_shell_has_no_errors_and_leaves_no_files(tmp_path: Path) -> None:
    work = tmp_path / "work"
    work.mkdir()
    (work / "scrapy.cfg").write_text((REPO / "scrapy.cfg").read_text(encoding="utf-8"))
    url = (REPO / "newsspider" / "demo_site" / "index.html").as_uri()
    proc = subprocess.run(
        [sys.executable, "-m", "scrapy", "shell", "-c", "response.status", url],
        cwd=work,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert proc.stdout.strip().splitlines()[-1] == "200"
    assert " ERROR:" not in proc.stderr and "Traceback" not in proc.stderr
    assert sorted(p.name for p in work.iterdir()) == ["scrapy.cfg"]
