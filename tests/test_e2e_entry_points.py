"""End to end: Scrapy's own commands on this project (crawl arguments, -o/-O, parse, shell).

Each test starts a real ``scrapy`` process from the repository root; pages come from the demo
site served on 127.0.0.1 (port 0).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.servers import StaticSite

pytestmark = pytest.mark.e2e


@dataclass
class Run:
    returncode: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def scrapy(*args: str, workdir: Path, timeout: float = 120) -> Run:
    """``scrapy ARGS`` with exports and state inside ``workdir`` (nothing lands in the repo)."""
    cmd = [sys.executable, "-m", "scrapy", *args]
    cmd += ["-s", f"NEWSSPIDER_EXPORT_DIR={workdir / 'exports'}"]
    cmd += ["-s", f"NEWSSPIDER_STATE_DIR={workdir / 'state'}"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(
        cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    return Run(proc.returncode, proc.stdout, proc.stderr)


def files_under(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if p.is_file()) if folder.exists() else []


def assert_one_error_line(run: Run, expected_start: str) -> None:
    assert run.returncode == 2, run.output[-2000:]
    # Scrapy's own startup lines (version banner) may come first; then one line, ours, last
    errors = [line for line in run.output.splitlines() if "error" in line.lower()]
    assert len(errors) == 1, run.output[-2000:]
    assert errors[0].startswith("error: " + expected_start), errors[0]
    assert run.stderr.strip().splitlines()[-1] == errors[0]
    assert "Traceback" not in run.output


# ------------------------------------------------------------------ -a arguments


def test_unknown_argument_is_refused_before_crawling(tmp_path: Path) -> None:
    run = scrapy("crawl", "frontpage", "-a", "max_artcles=2", workdir=tmp_path)
    assert_one_error_line(
        run, "unknown argument max_artcles for spider frontpage; did you mean max_articles?"
    )
    assert files_under(tmp_path) == []


@pytest.mark.parametrize(
    ("spider", "argument", "expected_start"),
    [
        ("site", "since=notadate", "-a since='notadate' for spider site: not a date"),
        ("site", "depth=x", "-a depth='x' for spider site: not a whole number"),
        ("site", "channels=foo", "-a channels='foo' for spider site: unknown channel foo"),
        ("frontpage", "since=2026-02-20", "unknown argument since for spider frontpage"),
        ("article", "run_id=a/b", "-a run_id='a/b' for spider article: use 1-100 letters"),
        ("article", "max_articles=0", "-a max_articles='0' for spider article: must be 1 or more"),
        ("frontpage", "url=example.com", "-a url='example.com' for spider frontpage: not an http"),
        ("article", "url_file=x.txt", "unknown argument url_file for spider article; did you mean"),
    ],
)
def test_bad_argument_is_one_error_line_and_exit_2(
    tmp_path: Path, spider: str, argument: str, expected_start: str
) -> None:
    run = scrapy("crawl", spider, "-a", argument, workdir=tmp_path)
    assert_one_error_line(run, expected_start)


@pytest.mark.parametrize(
    ("content", "reason"),
    [("", "no URLs in it"), ("https://ok.example/a/1\nsecret-line\n", "line 2 is not an http")],
)
def test_bad_urls_file_is_one_error_line(tmp_path: Path, content: str, reason: str) -> None:
    path = tmp_path / "urls.txt"
    path.write_text(content, encoding="utf-8")
    run = scrapy("crawl", "article", "-a", f"urls_file={path}", workdir=tmp_path)
    assert_one_error_line(run, f"-a urls_file='{path}' for spider article: {reason}")
    assert "secret-line" not in run.output


def test_crawl_help_lists_every_spiders_arguments(tmp_path: Path) -> None:
    run = scrapy("crawl", "--help", workdir=tmp_path)
    assert run.returncode == 0, run.output[-2000:]
    for usage in (
        "-a url=URL",
        "-a max_articles=N",
        "-a since=YYYY-MM-DD",
        "-a depth=N",
        "-a channels=LIST",
        "-a urls_file=FILE",
    ):
        assert usage in run.stdout, usage
    site_part = run.stdout.split("arguments of site:", 1)[1]
    assert "-a since=" in site_part
    frontpage_part = run.stdout.split("arguments of frontpage:", 1)[1].split("site:", 1)[0]
    assert "-a since=" not in frontpage_part


# ------------------------------------------------------------------ -o / -O


@pytest.mark.parametrize("flag", ["-o", "-O"])
def test_output_options_are_refused_with_where_the_exports_are(tmp_path: Path, flag: str) -> None:
    out = tmp_path / "out.csv"
    run = scrapy("crawl", "frontpage", flag, str(out), workdir=tmp_path)
    assert_one_error_line(run, f"{flag} {out}: newsspider does not write -o/-O files")
    assert f"{tmp_path / 'exports'}/<run id>/" in run.stderr
    assert f"{tmp_path / 'exports'}/latest/" in run.stderr
    assert not out.exists()
    assert files_under(tmp_path) == []


def test_feeds_replaced_on_the_command_line_are_refused(tmp_path: Path) -> None:
    # what Scrapyd passes when its items_dir is set
    feeds = json.dumps({(tmp_path / "items.jl").as_uri(): {"format": "jsonlines"}})
    run = scrapy("crawl", "frontpage", "-s", f"FEEDS={feeds}", workdir=tmp_path)
    assert_one_error_line(run, "-s FEEDS=… (Scrapyd adds it when its items_dir is set")
    assert files_under(tmp_path) == []


# ------------------------------------------------------------------ scrapy parse / shell


def assert_clean(run: Run, workdir: Path) -> None:
    assert run.returncode == 0, run.output[-3000:]
    assert "Traceback" not in run.output, run.output[-3000:]
    assert "ERROR" not in run.output, run.output[-3000:]
    assert files_under(workdir / "exports") == []
    assert files_under(workdir / "state") == []


def test_parse_article_url_without_arguments(tmp_path: Path, demo_site: StaticSite) -> None:
    url = demo_site.url + "etc/article/1007.html"
    run = scrapy("parse", "--nocolour", url, workdir=tmp_path)
    assert_clean(run, tmp_path)
    assert "'article_id': '1007'" in run.stdout
    assert "'word_count'" in run.stdout  # an Article, not a front-page slot


def test_parse_front_page_with_frontpage_spider(tmp_path: Path, demo_site: StaticSite) -> None:
    run = scrapy("parse", "--nocolour", "--spider=frontpage", demo_site.url, workdir=tmp_path)
    assert_clean(run, tmp_path)
    assert run.stdout.count("'position_on_page'") == 48  # every headline slot
    assert run.stdout.count("<GET ") == 34  # one request per linked article


def test_parse_start_page_with_site_spider(tmp_path: Path, demo_site: StaticSite) -> None:
    run = scrapy("parse", "--nocolour", "--spider=site", demo_site.url, workdir=tmp_path)
    assert_clean(run, tmp_path)
    # parse_start: robots.txt (sitemap channel), the announced feed, the section listings
    assert f"<GET {demo_site.url}robots.txt>" in run.stdout
    assert f"<GET {demo_site.url}rss.xml>" in run.stdout
    assert f"<GET {demo_site.url}politics/index.html>" in run.stdout


def test_parse_with_a_named_callback(tmp_path: Path, demo_site: StaticSite) -> None:
    url = demo_site.url + "etc/article/1007.html"
    run = scrapy(
        "parse", "--nocolour", "--spider=frontpage", "-c", "parse_article", url, workdir=tmp_path
    )
    assert_clean(run, tmp_path)
    assert "'article_id': '1007'" in run.stdout


def test_shell_fetches_a_page_without_errors_or_files(
    tmp_path: Path, demo_site: StaticSite
) -> None:
    run = scrapy("shell", demo_site.url, "-c", "response.status", workdir=tmp_path)
    assert_clean(run, tmp_path)
    assert run.stdout.strip().splitlines()[-1] == "200"


def test_fetch_prints_the_page_without_files(tmp_path: Path, demo_site: StaticSite) -> None:
    run = scrapy("fetch", "--nolog", demo_site.url + "etc/article/1007.html", workdir=tmp_path)
    assert_clean(run, tmp_path)
    assert "<html" in run.stdout.lower() and "</html>" in run.stdout.lower()
