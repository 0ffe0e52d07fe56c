"""The parse pool (newsspider/parsepool.py): same rows as inline parsing, crashes, no orphans."""

from __future__ import annotations

import csv
import dataclasses
import hashlib
import json
import os
import re
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from scrapy.http import HtmlResponse, TextResponse

from newsspider.exporters import PRERENDER_STAT
from newsspider.feeds import record_ends
from newsspider.parsepool import (
    FRONT,
    LISTING,
    ArticleJob,
    ListingJob,
    ParsePool,
    parse_article_job,
    parse_article_text,
    parse_listing_text,
    resolve_after,
    resolve_workers,
    run_in_worker,
)
from newsspider.sites import detect_profile, get_profile
from newsspider.state.paths import STATE_SUFFIX
from tests.conftest import DEMO_SITE, REPO, CrawlResult, run_crawl, run_python
from tests.faultserver import FaultServer
from tests.servers import StaticSite

ARTICLES = sorted((DEMO_SITE / "etc" / "article").glob("*.html"))
BASE = "https://www.news1global.com/etc/article/"
CRAWLED_AT = "2026-02-21T09:30:00+00:00"
# differ between two runs of the same crawl by design
RUN_FIELDS = {"run_id", "crawled_at"}


# --- the worker's function: same items as parsing in the crawling process ----------------------


@pytest.mark.parametrize(
    ("value", "cores", "expected"),
    [("0", 2, 0), (0, 8, 0), ("3", 2, 3), ("auto", 2, 1), ("auto", 1, 0), ("", 8, 2), (None, 4, 2)],
)
def test_resolve_workers(
    value: Any, cores: int, expected: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: set(range(cores)), raising=False)
    assert resolve_workers(value) == expected


@pytest.mark.parametrize("value", ["-1", "two", "1.5"])
def test_bad_worker_count_is_one_clear_line(value: str) -> None:
    with pytest.raises(ValueError, match="NEWSSPIDER_PARSE_WORKERS") as info:
        resolve_workers(value)
    assert "\n" not in str(info.value) and "'auto'" in str(info.value)


@pytest.mark.e2e
def test_scrapy_crawl_refuses_a_bad_worker_count_in_one_line(tmp_path: Path) -> None:
    result = run_crawl("site", tmp_path / "exports", settings={"NEWSSPIDER_PARSE_WORKERS": "two"})
    assert result.returncode == 2, result.log[-2000:]
    errors = [line for line in result.log.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "NEWSSPIDER_PARSE_WORKERS='two'" in errors[0]
    assert "Traceback" not in result.log
    assert not (tmp_path / "exports").exists()


def job_for(response: TextResponse, profile: str | None) -> ArticleJob:
    return ArticleJob(
        url=response.url,
        body=response.body,
        content_type=response.headers.get(b"Content-Type"),
        encoding=getattr(response, "_encoding", None),
        response_class=type(response),
        profile=profile,
        crawled_at=CRAWLED_AT,
    )


@pytest.mark.parametrize("path", ARTICLES[:12], ids=lambda p: p.stem)
@pytest.mark.parametrize("content_type", [b"text/html; charset=utf-8", b"text/html", None])
def test_worker_parse_equals_inline_parse(path: Path, content_type: bytes | None) -> None:
    headers = {b"Content-Type": content_type} if content_type else None
    response = HtmlResponse(BASE + path.stem, body=path.read_bytes(), headers=headers)
    profile = get_profile("news1global")
    inline = parse_article_text(profile, response.url, response.text, CRAWLED_AT)
    for name in ("news1global", None):  # given by the spider, or detected in the worker
        assert parse_article_job(job_for(response, name)) == inline


def through_pipelines(parsed: Any, stats_crawler: Any) -> Any:
    """What the crawl does to a parsed Article: stamp, normalize, validate (stats kept)."""
    from newsspider.pipelines.normalize import NormalizePipeline
    from newsspider.pipelines.validate import ValidatePipeline

    article = parsed.article
    article.crawled_at, article.run_id = CRAWLED_AT, "bench-run"
    item = NormalizePipeline(stats_crawler).process_item(article)
    return ValidatePipeline(stats_crawler).process_item(item)


def test_worker_checks_give_the_pipelines_the_same_items_and_stats() -> None:
    """A worker runs normalize_item and problems_of (newsspider/pipelines/checks.py): the item
    after the pipelines, every stat (normalize, validate, drift) and the Reject of a bad page
    are what the pipelines alone make of an inline parse."""
    import pickle
    from dataclasses import replace

    from scrapy.utils.test import get_crawler

    from newsspider.health.drift import record_article_fields, stat_key
    from newsspider.pipelines.checks import checks_of
    from newsspider.state.runtime import article_hash, item_data

    html = (DEMO_SITE / "etc" / "article" / "1007.html").read_text(encoding="utf-8")
    response = HtmlResponse(BASE + "1007", body=html.encode(), encoding="utf-8")
    profile = get_profile("news1global")
    inline_crawler, worker_crawler = get_crawler(), get_crawler()
    inline = parse_article_text(profile, response.url, response.text, CRAWLED_AT)
    record_article_fields(inline_crawler.stats, inline.profile, inline.article, inline)
    inline_out = through_pipelines(inline, inline_crawler)

    job = replace(job_for(response, "news1global"), check=True)
    worked = pickle.loads(pickle.dumps(parse_article_job(job)))  # as the pool sends it back
    assert checks_of(worked.article) is not None and worked.outcomes is not None
    for field, outcome in worked.outcomes.items():
        worker_crawler.stats.inc_value(stat_key(worked.profile, field, outcome))
    worker_out = through_pipelines(worked, worker_crawler)

    assert type(worker_out) is type(inline_out) and worker_out == inline_out
    checks = checks_of(worker_out)
    assert checks is not None  # the state pipeline's content hash is the inline one
    assert checks.content_hash == article_hash(item_data(inline_out))
    stats = [c.stats.get_stats() for c in (inline_crawler, worker_crawler)]
    assert stats[0] == stats[1]
    assert stats[1]["newsspider/validate/Article/ok"] == 1


@pytest.mark.parametrize("headline", ["  Seoul\u00a0 hosts  summit ", None])
def test_worker_checks_count_what_normalize_changed(headline: str | None) -> None:
    """An Article the page object left messy: normalize's changes happen in the worker and
    are counted by the pipeline as if it had made them."""
    import copy
    import pickle

    from scrapy.utils.test import get_crawler

    from newsspider.items import Article
    from newsspider.parsepool import ParsedArticle, check_article
    from newsspider.pipelines.checks import checks_of
    from newsspider.state.runtime import article_hash, item_data

    messy = Article(
        url="https://www.news1global.com/etc/article/1007?utm_source=x#top",
        article_id="1007",
        site="news1global",
        headline=headline,
        body=" One  two.\r\n\r\nThree. ",
        word_count=9,
        tags=["A", " A ", "B", ""],
        image_url="javascript:alert(1)",
        description="",
        published_at="someday",
    )
    inline_crawler, worker_crawler = get_crawler(), get_crawler()
    inline = ParsedArticle("generic", copy.deepcopy(messy), [], None)
    inline_out = through_pipelines(inline, inline_crawler)
    parsed = ParsedArticle("generic", messy, [], None)
    check_article(parsed, CRAWLED_AT)
    worker_out = through_pipelines(pickle.loads(pickle.dumps(parsed)), worker_crawler)
    assert type(worker_out) is type(inline_out) and worker_out == inline_out
    if headline is None:  # the Reject of an Article without a headline, from either side
        assert worker_out.reasons == ["missing_headline"]
    else:
        assert worker_out.tags == ["A", "B"] and worker_out.headline == "Seoul hosts summit"
        # the date validate moved to *_raw is out of the hashed content on both sides
        assert worker_out.published_at is None and worker_out.published_at_raw == "someday"
        checks = checks_of(worker_out)
        assert checks is not None
        assert checks.content_hash == article_hash(item_data(inline_out))
    stats = [c.stats.get_stats() for c in (inline_crawler, worker_crawler)]
    assert stats[0] == stats[1]
    assert {"newsspider/normalize/text_cleaned", "newsspider/normalize/unsafe_url_removed"} <= set(
        stats[1]
    )
    assert "newsspider/validate/warning/bad_published_at" in stats[1]


def test_worker_checks_only_when_both_pipelines_run() -> None:
    from scrapy.utils.test import get_crawler

    from newsspider import settings as project
    from newsspider.parsepool import checks_in_worker

    default = get_crawler(settings_dict={"ITEM_PIPELINES": project.ITEM_PIPELINES})
    assert checks_in_worker(default.settings)
    without = {**project.ITEM_PIPELINES, "newsspider.pipelines.validate.ValidatePipeline": None}
    assert not checks_in_worker(get_crawler(settings_dict={"ITEM_PIPELINES": without}).settings)


def test_worker_decodes_like_the_response_does() -> None:
    """A page in windows-1252 that says so only in its <meta>: the worker must not read it as
    UTF-8 (the response class and its Content-Type travel with the body)."""
    html = (DEMO_SITE / "etc" / "article" / "1007.html").read_text(encoding="utf-8")
    html = html.replace("<head>", '<head><meta charset="windows-1252">', 1)
    body = html.replace("’", "'").replace("—", "-").replace("…", "...") + "<p>café</p>"
    raw = body.encode("cp1252", errors="replace")
    response = HtmlResponse(BASE + "1007", body=raw)
    assert response.encoding == "cp1252"
    profile = detect_profile(response.url, response.text)
    inline = parse_article_text(profile, response.url, response.text, CRAWLED_AT)
    assert parse_article_job(job_for(response, None)) == inline


def test_the_pool_starts_on_the_first_article_page_only() -> None:
    """An unchanged recrawl fetches no article: it must not pay for a worker's start-up."""
    from scrapy.utils.test import get_crawler

    from newsspider.spiders.site import SiteSpider

    crawler = get_crawler(SiteSpider, {"NEWSSPIDER_PARSE_WORKERS": 2})
    spider = SiteSpider.from_crawler(crawler, url="https://www.news1global.com/")
    pool = spider.parse_pool
    assert pool is not None and pool.workers == 2 and pool.enabled
    assert pool._executor is None
    assert not any("spawn_main" in c for c in descendants(os.getpid()).values())
    pool.close()
    assert not pool.enabled  # a closed pool parses inline (never a new pool after the crawl)


def test_auto_takes_the_pool_after_the_inline_pages_and_a_number_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """``auto`` parses NEWSSPIDER_PARSE_POOL_AFTER article pages inline first (a small crawl
    never pays ~1 s of CPU for a worker); an explicit number of workers uses them at once."""
    from scrapy.utils.test import get_crawler

    from newsspider.spiders.site import SiteSpider

    monkeypatch.setattr(os, "sched_getaffinity", lambda pid: {0, 1}, raising=False)

    def auto_pool() -> ParsePool:
        crawler = get_crawler(
            SiteSpider, {"NEWSSPIDER_PARSE_WORKERS": "auto", "NEWSSPIDER_PARSE_POOL_AFTER": 3}
        )
        pool = SiteSpider.from_crawler(crawler, url="https://www.news1global.com/").parse_pool
        assert pool is not None
        return pool

    pool = auto_pool()
    assert pool.workers == 1
    for _ in range(3):
        assert not pool.enabled
        pool.count_inline()
    assert pool.enabled and pool._executor is None  # started by the next page, not before
    known = auto_pool()
    known.expect(2)  # a crawl known to stay small keeps parsing inline
    assert not known.enabled
    known.count_inline()
    assert not known.enabled
    known.expect(3)  # the spider found a third article: the pool from the next page
    assert known.enabled
    large = auto_pool()
    large.expect(500)  # the articles the site spider found: a large crawl, the pool at once
    assert large.enabled
    large.close()
    assert not large.enabled
    explicit = get_crawler(
        SiteSpider, {"NEWSSPIDER_PARSE_WORKERS": 1, "NEWSSPIDER_PARSE_POOL_AFTER": 3}
    )
    pool = SiteSpider.from_crawler(explicit, url="https://www.news1global.com/").parse_pool
    assert pool is not None and pool.enabled


def test_auto_parses_inline_until_its_first_worker_is_up() -> None:
    """Once ``auto`` takes the pool, the worker starts at once and pages are parsed inline
    until it answers (its imports would otherwise leave the crawling process waiting); an
    explicit number of workers gets every page from the first."""
    from scrapy.utils.test import get_crawler

    from newsspider.spiders.site import SiteSpider

    crawler = get_crawler(
        SiteSpider, {"NEWSSPIDER_PARSE_WORKERS": "auto", "NEWSSPIDER_PARSE_POOL_AFTER": 0}
    )
    pool = SiteSpider.from_crawler(crawler, url="https://www.news1global.com/").parse_pool
    assert pool is not None
    pool.workers = 1  # as on a 2-core machine, whatever this one has
    try:
        assert pool.enabled and pool._executor is None
        assert not pool.ready()  # starts the worker, parse this page inline
        assert pool._executor is not None
        assert any("spawn_main" in c for c in descendants(os.getpid()).values())
        deadline = time.monotonic() + 60
        while not pool.ready():
            assert time.monotonic() < deadline, "the worker never came up"
            time.sleep(0.05)
        assert pool._executor is not None  # the same pool: started once
    finally:
        pool.close()
    assert not pool.ready()
    explicit = get_crawler(SiteSpider, {"NEWSSPIDER_PARSE_WORKERS": 1})
    at_once = SiteSpider.from_crawler(explicit, url="https://www.news1global.com/").parse_pool
    assert at_once is not None and at_once.ready() and at_once._executor is None
    at_once.close()


@pytest.mark.parametrize("value", ["-1", "many"])
def test_bad_pool_after_is_one_clear_line(value: str) -> None:
    with pytest.raises(ValueError, match="NEWSSPIDER_PARSE_POOL_AFTER") as info:
        resolve_after(value)
    assert "\n" not in str(info.value)


# --- crawls: inline vs pool -----------------------------------------------------------------------


def rows_of(path: Path) -> list[str]:
    """The file's rows without the per-run fields, sorted (order across pages is free)."""

    def strip(value: Any) -> Any:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in RUN_FIELDS}
        return value

    if path.suffix == ".jsonl":
        rows = [strip(json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines()]
    else:
        with path.open(newline="", encoding="utf-8") as f:
            rows = [strip(dict(row)) for row in csv.DictReader(f)]
    return sorted(json.dumps(row, sort_keys=True) for row in rows)


def records_of(path: Path) -> list[bytes]:
    """The file's records as bytes, the per-run fields (run id, crawl time: the first two
    of every item class) blanked, sorted: a file's exact bytes but for the order across
    pages and the run's own values."""
    data = path.read_bytes()
    if path.suffix == ".jsonl":
        records = []
        for line in data.splitlines(keepends=True):
            row = json.loads(line)
            for name in RUN_FIELDS:  # json's own rendering of the value, as the exporter's
                value = json.dumps(row[name], ensure_ascii=False).encode()
                line = line.replace(b'"%s":%s' % (name.encode(), value), b'"%s":""' % name.encode())
            records.append(line)
        return sorted(records)
    ends = record_ends(data, csv_quoted=True)
    records = [data[a:b] for a, b in zip([0, *ends], ends, strict=False)]
    header, rows = records[0], records[1:]
    assert header.startswith(b'\xef\xbb\xbf"run_id","crawled_at",')
    # run id and crawl time hold no quote: their cells end at the first two '","'
    return [header, *sorted(b'"","' + row.split(b'","', 2)[2] for row in rows)]


def sheet_rows_of(path: Path, sheet: str) -> list[tuple[Any, ...]]:
    """A workbook sheet's cell values (links read as their URL), the per-run columns left
    out, sorted; the header first."""
    book = openpyxl.load_workbook(path, data_only=True, read_only=True)
    rows = [tuple(c.value for c in row) for row in book[sheet].iter_rows()]
    book.close()
    keep = [i for i, name in enumerate(rows[0]) if name not in RUN_FIELDS]
    body = sorted((tuple(row[i] for i in keep) for row in rows[1:]), key=repr)
    return [rows[0], *body]


def stat(log: str, name: str, prefix: str = "newsspider/parse_pool") -> int:
    marker = f"'{prefix}/{name}': "
    start = log.rfind(marker)
    if start < 0:
        return 0
    return int(log[start + len(marker) :].split(",", 1)[0].split("}", 1)[0])


def decision_stats(log: str) -> dict[str, str]:
    """The normalize, validate and drift stats of a crawl's final stats dump."""
    dump = log[log.rfind("Dumping Scrapy stats:") :]
    found = re.findall(r"'(newsspider/(?:normalize|validate|profile)/[^']+)': (\d+)", dump)
    assert any(key.startswith("newsspider/validate/") for key, _ in found)
    return dict(found)


@pytest.mark.e2e
def test_pool_crawl_exports_the_same_rows_as_an_inline_crawl(tmp_path: Path) -> None:
    runs = {}
    with StaticSite(DEMO_SITE) as site:
        for workers in ("0", "1", "auto"):
            runs[workers] = run_crawl(
                "site",
                tmp_path / f"exports-{workers}",
                f"url={site.url}index.html",
                settings={
                    "NEWSSPIDER_PARSE_WORKERS": workers,
                    # auto: 10 pages inline, then the pool (where a second core exists)
                    "NEWSSPIDER_PARSE_POOL_AFTER": "10",
                    "NEWSSPIDER_STATE_DIR": str(tmp_path / f"state-{workers}"),
                    "AUTOTHROTTLE_ENABLED": "False",
                },
            )
    inline, pool, auto = runs["0"], runs["1"], runs["auto"]
    for result in (inline, pool, auto):
        assert result.returncode == 0, result.log[-3000:]
    assert (stat(inline.log, "inline_pages"), stat(inline.log, "pages")) == (34, 0)
    assert (stat(pool.log, "pages"), stat(pool.log, "inline_pages")) == (34, 0)
    # the listing pages (start page, section listings, their next pages) went to the worker
    listing_pages = stat(inline.log, "pages", "newsspider/discovery/listing")
    assert listing_pages >= 2
    assert stat(inline.log, "inline_listing_pages") == listing_pages
    assert stat(inline.log, "listing_pages") == 0
    assert stat(pool.log, "listing_pages") == listing_pages
    assert stat(pool.log, "inline_listing_pages") == 0
    if resolve_workers("auto"):  # the start page inline: the crawl's size is not known yet
        assert stat(auto.log, "inline_listing_pages") >= 1
        assert stat(auto.log, "inline_listing_pages") + stat(auto.log, "listing_pages") == (
            listing_pages
        )
    assert stat(pool.log, "workers") == 1
    if resolve_workers("auto"):  # the same machine as the crawl
        # the worker started once the spider had found 10 articles; the pages that came before
        # it was up were parsed inline (ParsePool.ready), however many that was on this machine
        assert stat(auto.log, "workers") == 1
        assert stat(auto.log, "inline_pages") + stat(auto.log, "pages") == 34
    else:
        assert (stat(auto.log, "inline_pages"), stat(auto.log, "pages")) == (34, 0)
    files = sorted(p.name for p in inline.run_dir.iterdir() if p.suffix in (".jsonl", ".csv"))
    assert "articles.jsonl" in files and "articles.csv" in files
    for other in (pool, auto):
        names = sorted(p.name for p in other.run_dir.iterdir() if p.suffix in (".jsonl", ".csv"))
        assert names == files
        for name in files:
            assert rows_of(other.run_dir / name) == rows_of(inline.run_dir / name), name
        assert len(rows_of(other.run_dir / "articles.jsonl")) == 33
        assert other.manifest()["items_scraped"] == inline.manifest()["items_scraped"]
        # normalize/validate ran in the worker, drift before it: the same decisions counted
        assert decision_stats(other.log) == decision_stats(inline.log)
        assert other.manifest()["reconciled"] is True
        # the rows the workers rendered (newsspider/prerender.py) are the inline crawl's bytes
        for name in files:
            assert records_of(other.run_dir / name) == records_of(inline.run_dir / name), name
        book = "newsspider.xlsx"
        for sheet in ("articles", "front_page", "popular"):
            assert sheet_rows_of(other.run_dir / book, sheet) == sheet_rows_of(
                inline.run_dir / book, sheet
            ), sheet
    # every article and slot the pool parsed was written from the worker's rendering (none
    # stale; the demo's slots are all valid)
    slots = inline.manifest()["items_scraped"]["FrontPageSlot"]
    assert slots > 0
    for fmt in ("jsonl", "csv", "xlsx"):
        assert stat(pool.log, f"{fmt}_rows", PRERENDER_STAT) == 33 + slots, fmt
        assert stat(inline.log, f"{fmt}_rows", PRERENDER_STAT) == 0, fmt
    assert stat(pool.log, "stale", PRERENDER_STAT) == 0


def crawl_with_worker_crash_on(
    path: str, tmp_path: Path, settings: dict[str, str] | None = None
) -> CrawlResult:
    """A site crawl of the demo (one parse worker, state on) whose worker dies on ``path``."""
    os.environ["NEWSSPIDER_CRASH_WORKER_ON"] = path
    try:
        with StaticSite(DEMO_SITE) as site:
            return run_crawl(
                "site",
                tmp_path / "exports",
                f"url={site.url}index.html",
                settings={
                    "NEWSSPIDER_PARSE_WORKERS": "1",
                    "NEWSSPIDER_STATE_DIR": str(tmp_path / "state"),
                    "AUTOTHROTTLE_ENABLED": "False",
                    **(settings or {}),
                },
            )
    finally:
        del os.environ["NEWSSPIDER_CRASH_WORKER_ON"]


@pytest.mark.e2e
def test_a_worker_crash_is_a_reject_per_page_and_a_new_pool(tmp_path: Path) -> None:
    result = crawl_with_worker_crash_on("/article/1007", tmp_path, {"NEWSSPIDER_FAIL_ON": "failed"})
    assert result.returncode == 0, result.log[-3000:]
    warnings = [line for line in result.log.splitlines() if "A parse worker died" in line]
    assert len(warnings) == 1 and "WARNING" in warnings[0], warnings
    assert "NEWSSPIDER_PARSE_WORKERS=0" in warnings[0]
    assert stat(result.log, "worker_restarts") == 1
    rejects = [
        json.loads(line)
        for line in (result.run_dir / "rejects.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    crashed = {r["url"] for r in rejects if r["reasons"] == ["parse_worker_crashed"]}
    assert any(url.endswith("/article/1007.html") for url in crashed)
    # listing pages the dying worker held were parsed again (their next pages followed)
    assert all(r["item_type"] == "Article" for r in rejects if r["url"] in crashed)
    assert len(crashed) == stat(result.log, "crashed_pages") >= 1
    # every other article page was parsed, by the first pool or the new one
    assert stat(result.log, "pages") + len(crashed) == 34
    assert stat(result.log, "pages") > 0
    articles = {
        json.loads(line)["url"]
        for line in (result.run_dir / "articles.jsonl").read_text(encoding="utf-8").splitlines()
    }
    assert not articles & crashed
    # the demo's one headline-less page is a validation Reject, unless it was among the pages
    # the dying worker held (under load it can hold many): then it is a crash Reject instead
    invalid = {r["url"] for r in rejects if r["reasons"] == ["missing_headline"]}
    assert len(invalid) <= 1 and not invalid & crashed and not invalid & articles
    assert len(articles) + len(invalid) + len(crashed) == 34


@pytest.mark.e2e
def test_a_listing_page_that_kills_its_worker_twice_is_a_frontpage_reject(tmp_path: Path) -> None:
    result = crawl_with_worker_crash_on("/politics/page-2.html", tmp_path)
    assert result.returncode == 0, result.log[-3000:]
    assert stat(result.log, "listing_retries") >= 1
    assert stat(result.log, "worker_restarts") >= 2
    rejects = [
        json.loads(line)
        for line in (result.run_dir / "rejects.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    crashed = [r for r in rejects if r["reasons"] == ["parse_worker_crashed"]]
    listing = [r for r in crashed if r["url"].endswith("/politics/page-2.html")]
    assert [r["item_type"] for r in listing] == ["FrontPage"]
    assert stat(result.log, "crashed_pages") == len(crashed)
    slots = [
        json.loads(line)
        for line in (result.run_dir / "front_page.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    assert slots and not [s for s in slots if s["page_url"].endswith("/politics/page-2.html")]


# --- no orphans: workers end with the crawl, however it ends ------------------------------------


def descendants(root: int) -> dict[int, str]:
    """Live (non-zombie) processes below ``root``: pid -> command line."""
    parents: dict[int, int] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat_line = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat_line[stat_line.rindex(")") + 2 :].split()
        if fields[0] != "Z":
            parents[int(entry)] = int(fields[1])
    found: dict[int, str] = {}
    todo = [root]
    while todo:
        pid = todo.pop()
        for child, parent in parents.items():
            if parent == pid and child not in found:
                try:
                    cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
                except OSError:
                    continue
                found[child] = cmdline.replace(b"\0", b" ").decode(errors="replace")
                todo.append(child)
    return found


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return state[state.rindex(")") + 2] != "Z"


@pytest.mark.e2e
@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM, signal.SIGINT], ids=str)
def test_workers_never_outlive_the_crawl(tmp_path: Path, sig: signal.Signals) -> None:
    with FaultServer(DEMO_SITE) as site:
        site.slow_articles(0.5)  # the crawl is still fetching articles when the signal comes
        cmd = [
            *(sys.executable, "-m", "scrapy", "crawl", "site", "-a", f"url={site.url}index.html"),
            *("-s", f"NEWSSPIDER_EXPORT_DIR={tmp_path / 'exports'}"),
            *("-s", f"NEWSSPIDER_STATE_DIR={tmp_path / 'state'}"),
            *("-s", "NEWSSPIDER_PARSE_WORKERS=1", "-s", "AUTOTHROTTLE_ENABLED=False"),
            *("-s", "CONCURRENT_REQUESTS=2"),
        ]
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        log = tmp_path / "crawl.log"
        with log.open("wb") as out:
            proc = subprocess.Popen(
                cmd,
                cwd=REPO,
                env=env,
                stdout=out,
                stderr=subprocess.STDOUT,
            )
            deadline = time.monotonic() + 90
            workers: dict[int, str] = {}
            while time.monotonic() < deadline and proc.poll() is None:
                workers = {
                    pid: cmdline
                    for pid, cmdline in descendants(proc.pid).items()
                    if "multiprocessing" in cmdline
                }
                if any("spawn_main" in c for c in workers.values()):
                    break
                time.sleep(0.1)
            assert any("spawn_main" in c for c in workers.values()), log.read_text()[-3000:]
            proc.send_signal(sig)
            proc.wait(timeout=60)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and any(alive(pid) for pid in workers):
            time.sleep(0.1)
    left = {pid: c for pid, c in workers.items() if alive(pid)}
    for pid in left:  # never leave them to the next test either
        os.kill(pid, signal.SIGKILL)
    assert not left, f"still running after the crawl ended ({sig.name}): {left}"
    text = log.read_text(encoding="utf-8", errors="replace")
    if sig != signal.SIGKILL:
        # a graceful stop lets the pages in the pool finish: no worker died under them
        assert "A parse worker died" not in text, text[-3000:]
        assert "Traceback" not in text, text[-3000:]


# --- resumable: JOBDIR pause (Ctrl-C) and resume with the pool on --------------------------------


@pytest.mark.e2e
def test_pool_crawl_pauses_and_resumes_without_duplicates_or_losses(tmp_path: Path) -> None:
    """tests/test_resume.py's pause/resume, with a parse worker: the pages in the pool when
    Ctrl-C comes are finished and exported, the rest is fetched by the resumed run."""
    from tests.test_resume import RUN_ID, check_complete_run, crawl_command, start, wait_for_rows

    # slow enough that the pause lands mid-way even after a worker's start-up on a busy VM
    pool_settings = ["-s", "NEWSSPIDER_PARSE_WORKERS=1", "-s", "CONCURRENT_REQUESTS=2"]
    pool_settings += ["-s", "CONCURRENT_REQUESTS_PER_DOMAIN=2"]
    export_dir, jobdir, log = tmp_path / "exports", tmp_path / "job", tmp_path / "crawl.log"
    run_dir = export_dir / RUN_ID
    with FaultServer(DEMO_SITE) as site:
        site.slow_articles(2.0)  # 34 articles, 2 at a time: >= 34 s of fetching
        cmd = crawl_command(site.url + "index.html", export_dir, jobdir, RUN_ID) + pool_settings
        first = start(cmd, log)
        try:
            wait_for_rows(run_dir, 2, timeout=120)
            first.send_signal(signal.SIGINT)
            first.wait(timeout=90)
        finally:
            if first.poll() is None:
                first.kill()
        paused_log = log.read_text(encoding="utf-8", errors="replace")
        assert "Traceback" not in paused_log and "A parse worker died" not in paused_log
        assert not (run_dir / "manifest.json").exists(), paused_log[-3000:]
        paused_rows = (run_dir / "articles.jsonl.part").read_bytes().count(b"\n")
        resumed = subprocess.run(
            cmd,
            cwd=REPO,
            env={**os.environ, "PYTHONPATH": str(REPO)},
            capture_output=True,
            text=True,
            timeout=240,
            check=False,
        )
    output = resumed.stdout + resumed.stderr
    assert resumed.returncode == 0, output[-3000:]
    assert "Traceback" not in output
    assert f"Resuming run {RUN_ID}" in output
    counts = check_complete_run(run_dir)
    assert counts["articles"] == 33 > paused_rows  # the resumed run did the rest
    assert "newsspider/resume/skipped_done" in output
    assert "'newsspider/parse_pool/pages'" in output


@pytest.mark.e2e
def test_state_hash_from_a_worker_matches_an_inline_recrawl(tmp_path: Path) -> None:
    """The state's content hash taken in a worker is the one an inline parse gives: a crawl
    with the pool, then a forced inline refetch of every article on the same state, finds
    every article unchanged (0 article rows), and the other way round."""
    with StaticSite(DEMO_SITE) as site:
        for first, second in (("1", "0"), ("0", "1")):
            state = tmp_path / f"state-{first}"
            common = {
                "NEWSSPIDER_STATE_DIR": str(state),
                "AUTOTHROTTLE_ENABLED": "False",
                "NEWSSPIDER_HISTORY_ENABLED": "False",
            }
            runs = []
            for n, workers in enumerate((first, second)):
                runs.append(
                    run_crawl(
                        "site",
                        tmp_path / f"exports-{first}",
                        f"url={site.url}index.html",
                        run_id=f"run-{n}",
                        settings={
                            **common,
                            "NEWSSPIDER_PARSE_WORKERS": workers,
                            "NEWSSPIDER_REFETCH_FORCE": str(n == 1),
                        },
                    )
                )
            for result in runs:
                assert result.returncode == 0, result.log[-3000:]
            assert len(rows_of(runs[0].run_dir / "articles.jsonl")) == 33
            assert rows_of(runs[1].run_dir / "articles.jsonl") == []
            assert "'newsspider/state/unchanged': 33" in runs[1].log
            pooled = runs[0] if first == "1" else runs[1]
            assert stat(pooled.log, "pages") == 34  # the 33 articles and one page that is not


def test_a_worker_takes_the_body_hash_only_when_asked() -> None:
    path = ARTICLES[0]
    response = HtmlResponse(BASE + path.stem, body=path.read_bytes())
    plain = run_in_worker(job_for(response, "news1global"))
    assert plain[3] is None
    job = dataclasses.replace(job_for(response, "news1global"), hash_body=True)
    assert run_in_worker(job)[3] == hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.e2e
def test_a_pool_crawl_records_each_pages_body_hash_and_its_crawl_phase_cpu(
    tmp_path: Path,
) -> None:
    """A first crawl (nothing to compare with) leaves each page's SHA-256 to the worker that
    parses it: the state holds the hash of the bytes served, as an inline crawl records."""
    with StaticSite(DEMO_SITE) as site:
        result = run_crawl(
            "site",
            tmp_path / "exports",
            f"url={site.url}index.html",
            settings={
                "NEWSSPIDER_STATE_DIR": str(tmp_path / "state"),
                "NEWSSPIDER_PARSE_WORKERS": "1",
                "AUTOTHROTTLE_ENABLED": "False",
                "NEWSSPIDER_HISTORY_ENABLED": "False",
            },
        )
    assert result.returncode == 0, result.log[-3000:]
    assert stat(result.log, "pages") == 34
    [state_file] = (tmp_path / "state").rglob(f"*{STATE_SUFFIX}")
    with sqlite3.connect(state_file) as db:
        rows = db.execute("SELECT url, body_hash FROM urls WHERE body_hash IS NOT NULL").fetchall()
    assert len(rows) == 34  # every page parsed: 33 articles and one Reject (its fetch too)
    for url, digest in rows:
        served = DEMO_SITE / url.split("/", 3)[3]
        assert digest == hashlib.sha256(served.read_bytes()).hexdigest(), url
    match = re.search(r"'newsspider/crawl_phase/cpu_s': ([0-9.]+)", result.log)
    assert match is not None and float(match[1]) > 0


# --- listing pages in the worker --------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "kind"),
    [("index.html", FRONT), ("index.html", LISTING), ("politics/page-2.html", LISTING)],
)
def test_a_worker_checks_a_listings_slots_as_the_pipelines_would(path: str, kind: str) -> None:
    """A listing page parsed by a worker: the slots, after the pipelines, and every stat are
    what the pipelines make of the page object's own slots; the links are the page's own
    (not the normalized slots'), and so are its next page and listings."""
    import pickle

    from scrapy.utils.test import get_crawler

    from newsspider.discovery import GenericListingPage
    from newsspider.pipelines.checks import checks_of
    from newsspider.pipelines.normalize import NormalizePipeline
    from newsspider.pipelines.validate import ValidatePipeline
    from newsspider.prerender import prerender_of

    url = "https://www.news1global.com/" + path
    body = (DEMO_SITE / path).read_bytes()
    profile = get_profile("news1global")
    page_class = profile.front_page if kind == FRONT else profile.listing_page or GenericListingPage
    page = page_class(url, body.decode("utf-8"))  # what the spiders parsed before the pool
    inline_slots = page.slots()
    job = ListingJob(
        url, body, b"text/html; charset=utf-8", None, HtmlResponse, "news1global", kind,
        CRAWLED_AT, start=True, check=True,
    )  # fmt: skip
    result, _, _, digest = run_in_worker(job)
    worked = pickle.loads(pickle.dumps(result))  # as the pool sends it back
    assert digest is None and worked.profile == "news1global"
    assert worked.links and worked.links == [
        (s.article_url, None if kind == FRONT else page.published_by_url().get(s.article_url))
        for s in inline_slots
        if s.article_url
    ]
    if kind == LISTING:
        assert worked.next_url == page.next_page_url()
        assert worked.listing_urls == page.listing_urls()
        assert worked.published == list(page.published_by_url().values())
    assert [p.headline for p in worked.popular] == [p.headline for p in page.popular()]
    crawlers = get_crawler(), get_crawler()
    outs = []
    for crawler, slots in zip(crawlers, (inline_slots, worked.slots), strict=True):
        normalize, validate = NormalizePipeline(crawler), ValidatePipeline(crawler)
        for slot in slots:
            slot.crawled_at = CRAWLED_AT  # as the spider stamps it
        outs.append([validate.process_item(normalize.process_item(s)) for s in slots])
    assert outs[1] == outs[0] and len(outs[1]) == len(inline_slots) > 0
    assert all(checks_of(s) is not None and prerender_of(s) is not None for s in outs[1])
    stats = [c.stats.get_stats() for c in crawlers]
    assert stats[1] == stats[0]
    assert stats[1]["newsspider/validate/FrontPageSlot/ok"] == len(inline_slots)


def test_the_pool_asks_the_run_context_whether_to_hash_bodies() -> None:
    """The crawl state's on/off has one home, the run context (newsspider/run.py): a crawl
    with no newsspider run (no context) has no state, whatever the setting says."""
    from scrapy.utils.test import get_crawler

    crawler = get_crawler(settings_dict={"NEWSSPIDER_STATE_ENABLED": True})
    pool = ParsePool.from_crawler(crawler)
    assert pool.hash_bodies is False


def test_a_listing_checked_in_a_worker_keeps_the_state_hash_of_its_slots_as_parsed() -> None:
    """The crawl state decides whether a listing changed from a hash of its slots as the
    spider yields them (newsspider/middlewares_state.py, before the pipelines normalize them).
    A worker normalizes the slots first, so it keeps each slot's hash row as parsed: a page
    whose text normalize changes (a zero-width space, a decomposed accent) has the same
    listing hash and page key parsed inline or in the pool."""
    import pickle

    from newsspider.middlewares_state import slot_page_key, slots_hash

    path = "politics/page-2.html"
    url = "https://www.news1global.com/" + path
    html = (DEMO_SITE / path).read_text(encoding="utf-8")
    html = html.replace("Election commission", "Election\u200bcommissio\u006e\u0301", 1)
    body = html.encode("utf-8")
    profile = get_profile("news1global")
    inline = parse_listing_text(profile, LISTING, url, html)
    job = ListingJob(
        url, body, b"text/html; charset=utf-8", None, HtmlResponse, "news1global", LISTING,
        CRAWLED_AT, check=True,
    )  # fmt: skip
    worked = pickle.loads(pickle.dumps(run_in_worker(job)[0]))
    assert worked.slots[0].headline != inline.slots[0].headline  # the worker normalized it
    assert slots_hash(worked.slots) == slots_hash(inline.slots)
    assert [slot_page_key(s) for s in worked.slots] == [slot_page_key(s) for s in inline.slots]


# --- the pool's pipes (widen_pipes) ----------------------------------------------------------

F_GETPIPE_SZ = 1032  # Linux fcntl: a pipe's capacity
linux_only = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="F_SETPIPE_SZ exists on Linux only"
)


def pipe_capacities() -> dict[int, int]:
    """In a pool worker: the capacity of each pipe it holds, by file descriptor."""
    import fcntl
    import stat

    sizes = {}
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        try:
            if stat.S_ISFIFO(os.fstat(fd).st_mode):
                sizes[fd] = fcntl.fcntl(fd, F_GETPIPE_SZ)
        except OSError:
            continue
    return sizes


def expected_pipe_bytes() -> int:
    from newsspider.parsepool import PIPE_BYTES

    return min(PIPE_BYTES, int(Path("/proc/sys/fs/pipe-max-size").read_text()))


@linux_only
def test_a_pool_worker_gets_1mb_job_and_result_pipes() -> None:
    """A whole ~130 KB result fits the result pipe: the worker does not wait for the crawling
    process's reader between writes (docs/benchmarks/log.md "Session 11 (lead)")."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from newsspider.parsepool import START_METHOD, init_worker

    context = multiprocessing.get_context(START_METHOD)
    with ProcessPoolExecutor(1, context, initializer=init_worker, initargs=(os.getpid(),)) as pool:
        sizes = pool.submit(pipe_capacities).result(timeout=60)
    pool_pipes = {fd: size for fd, size in sizes.items() if fd > 2}
    assert len(pool_pipes) >= 2  # at least the job pipe it reads and the result pipe it writes
    assert set(pool_pipes.values()) == {expected_pipe_bytes()}


@linux_only
def test_widen_pipes_leaves_the_standard_streams_alone() -> None:
    """Run in a child whose stdout is a pipe and that holds one more pipe."""
    code = (
        "import fcntl, os, sys\n"
        "from newsspider.parsepool import widen_pipes\n"
        "r, w = os.pipe()\n"
        "n = widen_pipes()\n"
        "fresh, _ = os.pipe()\n"  # a pipe made after: the system's default capacity
        f"print(n, fcntl.fcntl(r, {F_GETPIPE_SZ}), fcntl.fcntl(w, {F_GETPIPE_SZ}),"
        f" fcntl.fcntl(1, {F_GETPIPE_SZ}), fcntl.fcntl(fresh, {F_GETPIPE_SZ}))\n"
    )
    out = run_python(code, cwd=REPO).split()
    widened, read_end, write_end, stdout, default = (int(x) for x in out)
    assert widened >= 2 and read_end == write_end == expected_pipe_bytes() > default
    assert stdout == default  # the crawl's stdout is not the pool's to change
