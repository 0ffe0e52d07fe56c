"""Pause and resume with ``-s JOBDIR``: after Ctrl-C, and after SIGKILL.

A real ``scrapy crawl frontpage`` against the demo site served slowly (every article takes
0.5 s) is interrupted mid-way, then the same command is run again. The resumed run must
export no article twice and lose none: every article URL the run discovered (front-page slots
and popular lists) ends up in articles.jsonl or rejects.jsonl, the CSV matches the JSONL row for
row with one header, and the manifest reconciles.
"""

from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from tests.conftest import DEMO_SITE, REPO
from tests.faultserver import FaultServer

RUN_ID = "resume-run"


def crawl_command(url: str, export_dir: Path, jobdir: Path | None, run_id: str) -> list[str]:
    cmd = [sys.executable, "-m", "scrapy", "crawl", "frontpage"]
    cmd += ["-a", f"url={url}", "-a", "site=news1global", "-a", f"run_id={run_id}"]
    settings = {
        "NEWSSPIDER_EXPORT_DIR": str(export_dir),
        "LOG_LEVEL": "INFO",
        "AUTOTHROTTLE_ENABLED": "False",
        "CONCURRENT_REQUESTS_PER_DOMAIN": "4",  # the defaults otherwise: incremental state on
    }
    if jobdir is not None:
        settings["JOBDIR"] = str(jobdir)
    for key, value in settings.items():
        cmd += ["-s", f"{key}={value}"]
    return cmd


def start(cmd: list[str], log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    with log.open("ab") as out:
        return subprocess.Popen(cmd, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT)


def wait_for_rows(run_dir: Path, rows: int, timeout: float = 60) -> None:
    """Block until articles.jsonl.part holds ``rows`` lines (the crawl is mid-way)."""
    part = run_dir / "articles.jsonl.part"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if part.exists() and part.read_bytes().count(b"\n") >= rows:
            return
        time.sleep(0.05)
    raise AssertionError(f"{part} never reached {rows} rows")


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    lines = path.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line]


def check_complete_run(run_dir: Path) -> dict[str, int]:
    """No duplicates, nothing lost, CSV == JSONL, manifest reconciled. Returns counts."""
    manifest = json.loads((run_dir / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["reconciled"] is True, manifest["reconcile_errors"]
    assert manifest["finish_reason"] == "finished"
    assert not list(run_dir.glob("*.part")), list(run_dir.glob("*.part"))
    articles = read_jsonl(run_dir / "articles.jsonl")
    rejects = read_jsonl(run_dir / "rejects.jsonl")
    slots = read_jsonl(run_dir / "front_page.jsonl")
    popular = read_jsonl(run_dir / "popular.jsonl")
    urls = [a["url"] for a in articles]
    assert len(urls) == len(set(urls)), "an article was exported twice"
    ids = [a["article_id"] for a in articles]
    assert len(ids) == len(set(ids)), "an article id was exported twice"
    slot_keys = [(s["page_url"], s["position_on_page"]) for s in slots]
    assert len(slot_keys) == len(set(slot_keys)), "a front-page slot was exported twice"
    discovered = {s["article_url"] for s in slots} | {p["article_url"] for p in popular}
    ended = set(urls) | {r["url"] for r in rejects}
    assert discovered <= ended, f"lost: {sorted(discovered - ended)}"
    for stem, rows in (("articles", articles), ("front_page", slots), ("popular", popular)):
        text = (run_dir / f"{stem}.csv").read_text(encoding="utf-8")
        assert text.startswith("\ufeff") and text.count("\ufeff") == 1, f"{stem}.csv: BOM"
        records = list(csv.reader(io.StringIO(text[1:], newline="")))
        assert records[0][0] == "run_id", f"{stem}.csv: header"
        assert sum(1 for r in records if r and r[0] == "run_id") == 1, f"{stem}.csv: 2 headers"
        assert len(records) - 1 == len(rows), f"{stem}: CSV {len(records) - 1} != {len(rows)}"
        assert [r[0] for r in records[1:]] == [RUN_ID] * len(rows)
    # the workbook can't be continued like the JSONL: the resumed run rewrote it, paused rows
    # first, so its sheets hold exactly the rows of the JSONL files
    # data_only: URL cells are =HYPERLINK() formulas, read as their cached value (the URL)
    book = openpyxl.load_workbook(run_dir / "newsspider.xlsx", read_only=True, data_only=True)
    for sheet, rows in (("articles", articles), ("front_page", slots), ("rejects", rejects)):
        sheet_rows = list(book[sheet].iter_rows(min_row=2, values_only=True))
        assert len(sheet_rows) == len(rows), f"{sheet}: xlsx {len(sheet_rows)} != {len(rows)}"
    assert sorted(r[2] for r in book["articles"].iter_rows(min_row=2, values_only=True)) == sorted(
        urls
    )
    book.close()
    return {"articles": len(articles), "rejects": len(rejects), "discovered": len(discovered)}


@pytest.fixture
def slow_demo() -> Any:
    with FaultServer(DEMO_SITE) as site:
        site.slow_articles(0.5)
        yield site


@pytest.mark.e2e
@pytest.mark.parametrize("how", ["sigint", "sigkill"])
def test_interrupted_crawl_resumes_without_duplicates_or_losses(
    slow_demo: FaultServer, tmp_path: Path, how: str
) -> None:
    export_dir, jobdir, log = tmp_path / "exports", tmp_path / "job", tmp_path / "crawl.log"
    cmd = crawl_command(slow_demo.url + "index.html", export_dir, jobdir, RUN_ID)
    run_dir = export_dir / RUN_ID

    first = start(cmd, log)
    try:
        wait_for_rows(run_dir, 4)
        first.send_signal(signal.SIGINT if how == "sigint" else signal.SIGKILL)
        first.wait(timeout=60)
    finally:
        if first.poll() is None:
            first.kill()
    assert not (run_dir / "manifest.json").exists(), "an interrupted run must not look complete"
    assert (jobdir / "newsspider-run-id").read_text().strip() == RUN_ID
    paused_rows = (run_dir / "articles.jsonl.part").read_bytes().count(b"\n")
    if how == "sigkill":
        # make the kill as nasty as it gets: a torn last line in both files
        with (run_dir / "articles.jsonl.part").open("ab") as fh:
            fh.write(b'{"run_id":"resume-run","url":"http://torn')
        with (run_dir / "articles.csv.part").open("ab") as fh:
            fh.write(b'"resume-run","2026-')

    # resumed with another -a run_id on purpose: the JOBDIR's run id wins
    resumed = subprocess.run(
        crawl_command(slow_demo.url + "index.html", export_dir, jobdir, "ignored-run-id"),
        cwd=REPO,
        env={**os.environ, "PYTHONPATH": str(REPO)},
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    output = resumed.stdout + resumed.stderr
    assert resumed.returncode == 0, output[-3000:]
    assert "Traceback" not in output
    assert f"Resuming run {RUN_ID}" in output
    assert not (export_dir / "ignored-run-id").exists()
    counts = check_complete_run(run_dir)
    assert counts["articles"] > paused_rows  # the resumed run did the rest
    assert os.readlink(export_dir / "latest") == RUN_ID
    assert not (jobdir / "newsspider-run-id").exists()  # finished: next crawl is a new run
    # nothing fetched twice that was already exported before the interruption
    assert "newsspider/resume/skipped_done" in output
    # Scrapy's queue is reused after a clean pause, discarded after a kill
    assert ("did not stop cleanly" in output) == (how == "sigkill")


def test_resume_state_cuts_part_files_back_to_matching_rows(tmp_path: Path) -> None:
    """JSONL has 3 rows, CSV 2 and a torn third: both are cut to 2; the 3rd is refetched."""
    from newsspider.feeds import ResumeState, prepare_resume

    run_dir = tmp_path / "r"
    run_dir.mkdir()
    rows = [
        {"run_id": "r", "url": f"http://x/a/article/{n}", "article_id": str(n)} for n in (1, 2, 3)
    ]
    (run_dir / "articles.jsonl.part").write_text(
        "".join(json.dumps(r) + "\n" for r in rows) + '{"torn', encoding="utf-8"
    )
    header = '\ufeff"run_id","url"\r\n'
    body = '"r","http://x/a/article/1"\r\n"r","multi\r\nline ""quoted"""\r\n"r","http://x/a/ar'
    (run_dir / "articles.csv.part").write_text(header + body, encoding="utf-8", newline="")
    (run_dir / "rejects.jsonl.part").write_text('{"item_type":"Article","url":"u"}\n{"to', "utf-8")
    state = ResumeState(run_id="r", run_dir=run_dir, resumed=True)
    prepare_resume(state)
    assert state.prior_rows["articles.jsonl"] == state.prior_rows["articles.csv"] == 2
    assert [r["article_id"] for r in state.rows["articles"]] == ["1", "2"]
    assert (run_dir / "articles.jsonl.part").read_text().count("\n") == 2
    csv_text = (run_dir / "articles.csv.part").read_bytes().decode("utf-8")
    assert csv_text == header + '"r","http://x/a/article/1"\r\n"r","multi\r\nline ""quoted"""\r\n'
    assert state.csv_headers["articles.csv"] == header.encode("utf-8")
    assert state.rejects == [{"item_type": "Article", "url": "u"}]
    assert state.done_urls() == {"http://x/a/article/1", "http://x/a/article/2", "u"}
