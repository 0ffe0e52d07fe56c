"""Fault injection: one real ``scrapy crawl frontpage`` against a misbehaving site.

A fault front page (news1global layout) links one article slot per fault; each slot's URL is
served by a handler in tests/faultserver.py that misbehaves in one way. Four more servers on
other ports play a host in a 5xx storm, a host whose robots.txt answers 503, one whose
robots.txt hangs, and the other origin of a cross-origin redirect. The crawl runs once
(module fixture, ~20 s); each test then checks one scenario's outcome as a user would:
exported (with the right text) or rejected with a reason code, retried the right number of
times, in bounded time, no traceback, exit status 0 and finish reason "finished".
"""

from __future__ import annotations

import itertools
import json
import os
import random
import sqlite3
import time
from dataclasses import dataclass
from email.utils import formatdate
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import DEMO_SITE, CrawlResult, run_crawl
from tests.faultserver import FaultRequestHandler, FaultServer, bomb, counter_route

pytestmark = pytest.mark.e2e

DOWNLOAD_TIMEOUT = 2
RETRY_AFTER_MAX = 1.5
CIRCUIT_THRESHOLD = 5
STORM_ARTICLES = 30
KOREAN = "한국은행 기준금리 동결, 봄 인하 가능성 시사"
KOREAN_CP949 = "똠방각하 경제 뉴스: 수출 30% 증가"  # 똠 is in CP949 but not in EUC-KR
TEMPLATE_HEADLINE = (
    "Assembly passes extra budget after all-night session as rival parties trade blame"
)

DEMO_ARTICLES = sorted(DEMO_SITE.glob("*/article/*.html"))


def demo_article(n: int) -> bytes:
    """The n-th demo article page (distinct pages, so nothing is deduplicated by content)."""
    return DEMO_ARTICLES[n % len(DEMO_ARTICLES)].read_bytes()


def korean_page(headline: str, meta_charset: str | None) -> str:
    html = (DEMO_SITE / "politics" / "article" / "1001.html").read_text(encoding="utf-8")
    html = html.replace(TEMPLATE_HEADLINE, headline)
    meta = f'<meta charset="{meta_charset}">' if meta_charset else ""
    return html.replace('<meta charset="utf-8">', meta, 1)


def ok(n: int) -> Any:
    return lambda h: h.send_body(200, demo_article(n))


def status(code: int, headers: dict[str, str] | None = None) -> Any:
    return lambda h: h.send_body(code, f"<h1>{code}</h1>".encode(), headers=headers)


def retry_after_date(h: FaultRequestHandler) -> None:
    status(429, {"Retry-After": formatdate(time.time() + 2, usegmt=True)})(h)


def truncated(h: FaultRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    h.send_header("Content-Length", "20000")
    h.end_headers()
    h.wfile.write(demo_article(7)[:500])
    h.wfile.flush()
    h.close_connection = True


def bomb_route(encoding: str) -> Any:
    def handle(h: FaultRequestHandler) -> None:
        h.send_body(200, bomb(encoding), headers={"Content-Encoding": encoding})

    return handle


def huge(h: FaultRequestHandler) -> None:
    size = 50 * 1024 * 1024
    h.send_response(200)
    h.send_header("Content-Type", "text/html; charset=utf-8")
    h.send_header("Content-Length", str(size))
    h.end_headers()
    chunk = b"<p>" + b"x" * (1024 * 1024 - 7) + b"</p>\n"
    for _ in range(50):
        h.wfile.write(chunk)
    h.close_connection = True


def deep_dom(h: FaultRequestHandler) -> None:
    page = demo_article(9).decode("utf-8")
    nest = "<div>" * 5000 + "deep text" + "</div>" * 5000
    h.send_body(200, page.replace("</body>", nest + "</body>").encode("utf-8"))


def binary(h: FaultRequestHandler) -> None:
    h.send_body(200, random.Random(4).randbytes(200_000), "text/html")


@dataclass
class Scenario:
    name: str
    path: str  # on the main server unless ``server`` says otherwise
    expect: str  # "exported" or a reject reason code
    attempts: int | None = None  # exact number of requests to the path, if it matters
    headline: str | None = None  # exported headline must equal this
    server: str = "main"


SCENARIOS = [
    Scenario("500 then 200", "/faults/article/3001.html", "exported", attempts=2),
    Scenario("persistent 503", "/faults/article/3002.html", "fetch_http_503", attempts=3),
    Scenario("429 Retry-After seconds", "/faults/article/3003.html", "exported", attempts=2),
    Scenario("429 Retry-After HTTP date", "/faults/article/3004.html", "exported", attempts=2),
    Scenario("429 Retry-After over the cap", "/faults/article/3005.html", "fetch_http_429", 3),
    Scenario("connection reset", "/faults/article/3006.html", "fetch_connection_lost"),
    Scenario("truncated body", "/faults/article/3007.html", "fetch_truncated_body", attempts=3),
    Scenario("server hangs", "/faults/article/3008.html", "fetch_timeout", attempts=3),
    Scenario("slow drip", "/faults/article/3009.html", "fetch_timeout", attempts=3),
    Scenario("gzip bomb", "/faults/article/3010.html", "fetch_too_large", attempts=1),
    Scenario("deflate bomb", "/faults/article/3011.html", "fetch_too_large", attempts=1),
    Scenario("brotli bomb", "/faults/article/3012.html", "fetch_too_large", attempts=1),
    Scenario("50 MB page", "/faults/article/3013.html", "fetch_too_large"),
    Scenario("DOM nested 5,000 deep", "/faults/article/3014.html", "exported", attempts=1),
    Scenario("binary served as text/html", "/faults/article/3015.html", "missing_headline"),
    Scenario(
        "EUC-KR, header charset wins over meta",
        "/faults/article/3016.html",
        "exported",
        headline=KOREAN,
    ),
    Scenario(
        "CP949 text labelled euc-kr in meta only",
        "/faults/article/3017.html",
        "exported",
        headline=KOREAN_CP949,
    ),
    Scenario(
        "UTF-8 BOM wins over header and meta",
        "/faults/article/3018.html",
        "exported",
        headline=KOREAN,
    ),
    Scenario("redirect loop", "/faults/article/3019.html", "fetch_redirect_loop"),
    Scenario("long redirect chain", "/faults/article/3020.html", "fetch_too_many_redirects"),
    Scenario("redirect to file:", "/faults/article/3021.html", "fetch_redirect_blocked", 1),
    Scenario("cross-origin redirect", "/faults/article/3022.html", "exported", attempts=1),
    Scenario(
        "robots.txt answers 503",
        "/politics/article/3030.html",
        "fetch_robots_unreachable",
        attempts=0,
        server="robots503",
    ),
    Scenario(
        "robots.txt hangs",
        "/politics/article/3031.html",
        "fetch_site_unreachable",
        attempts=0,
        server="robotshang",
    ),
    Scenario("javascript: link", "javascript:alert(1)", "missing_article_url", server="none"),
    Scenario(
        "offsite link",
        "http://offsite.invalid/politics/article/3032.html",
        "offsite",
        server="none",
    ),
    Scenario("credentials in the URL", "/faults/article/3033.html", "exported", server="creds"),
]


def build_routes(main: FaultServer, other: FaultServer) -> None:
    routes = {
        3001: counter_route([status(500), ok(1)]),
        3002: status(503),
        3003: counter_route([status(429, {"Retry-After": "1"}), ok(3)]),
        3004: counter_route([retry_after_date, ok(4)]),
        3005: status(429, {"Retry-After": "3600"}),
        3006: lambda h: h.reset(),
        3007: truncated,
        3008: lambda h: h.hang(),
        3009: lambda h: h.drip(demo_article(9)),
        3010: bomb_route("gzip"),
        3011: bomb_route("deflate"),
        3012: bomb_route("br"),
        3013: huge,
        3014: deep_dom,
        3015: binary,
        3016: lambda h: h.send_body(
            200,
            korean_page(KOREAN, "utf-8").encode("euc-kr", "xmlcharrefreplace"),
            "text/html; charset=EUC-KR",
        ),
        3017: lambda h: h.send_body(
            200,
            korean_page(KOREAN_CP949, "euc-kr").encode("cp949", "xmlcharrefreplace"),
            "text/html",
        ),
        3018: lambda h: h.send_body(
            200,
            b"\xef\xbb\xbf" + korean_page(KOREAN, "windows-1252").encode("utf-8"),
            "text/html; charset=iso-8859-1",
        ),
        3019: lambda h: h.redirect("/loop/b"),
        3020: lambda h: h.redirect("/chain/1"),
        3021: lambda h: h.redirect("file:///etc/passwd"),
        3022: lambda h: h.redirect(other.url + "politics/article/3022.html"),
        3033: ok(12),
    }
    for n, handler in routes.items():
        main.route(f"/faults/article/{n}.html", handler)
    main.route("/loop/b", lambda h: h.redirect("/faults/article/3019.html"))
    for n in range(1, 30):
        main.route(f"/chain/{n}", lambda h, n=n: h.redirect(f"/chain/{n + 1}"))
    # traps: every calendar day links the next one, every page the next page
    main.route_prefix(
        "/calendar/", lambda h: h.send_body(200, f'<a href="{h.path}/next">next day</a>'.encode())
    )
    main.route_prefix("/page/", lambda h: h.send_body(200, b'<a href="/page/999">next</a>'))
    other.route("/politics/article/3022.html", ok(22))


def slot(href: str, headline: str) -> str:
    return (
        f'<li class="headline-item"><a class="headline-link" href="{href}">{headline}</a>'
        f'<p class="teaser">Fault scenario.</p></li>'
    )


def front_page(servers: dict[str, FaultServer]) -> str:
    main = servers["main"]
    links = []
    for n, sc in enumerate(SCENARIOS):
        if sc.server == "none":
            href = sc.path
        elif sc.server == "creds":
            href = f"http://newsreader:hunter2@{main.netloc}{sc.path}"
        else:
            href = servers[sc.server].url.rstrip("/") + sc.path
        links.append(slot(href, f"Fault {n}: {sc.name}"))
    storm = servers["storm"]
    for n in range(STORM_ARTICLES):
        links.append(slot(f"{storm.url}storm/article/{4000 + n}.html", f"Storm {n}"))
    # session ids: three spellings of one article, fetched once
    for sid in ("", ";jsessionid=A1B2C3", "?sid=feedface"):
        links.append(slot(f"/politics/article/1001.html{sid}", "Session id twin"))
    traps = "".join(
        f'<a href="/calendar/2026/02/{d:02d}">Feb {d}</a> <a href="/page/{d}">page {d}</a>'
        for d in range(1, 29)
    )
    return (
        "<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Faults</title>"
        "</head><body><div class='date-line'>Saturday, February 21, 2026</div>"
        "<section class='headline-block' data-block='Faults'><h2 class='block-title'>Faults</h2>"
        f"<ul>{''.join(links)}</ul></section><nav class='calendar'>{traps}</nav></body></html>"
    )


@dataclass
class FaultRun:
    crawl: CrawlResult
    servers: dict[str, FaultServer]
    articles: dict[str, dict[str, Any]]
    rejects: dict[str, dict[str, Any]]
    seconds: float


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


@pytest.fixture(scope="module")
def fault_run(tmp_path_factory: pytest.TempPathFactory) -> Any:
    for encoding in ("gzip", "deflate", "br"):
        bomb(encoding)  # build the payloads before the crawl starts its clock
    names = ("main", "storm", "robots503", "robotshang", "other")
    servers = {name: FaultServer(DEMO_SITE) for name in names}
    for server in servers.values():
        server.__enter__()
    try:
        build_routes(servers["main"], servers["other"])
        servers["storm"].route_prefix("/storm/", lambda h: h.send_body(503, b"overloaded"))
        servers["robots503"].route("/robots.txt", lambda h: h.send_body(503, b"down"))
        servers["robotshang"].route("/robots.txt", lambda h: h.hang())
        page = front_page(servers).encode("utf-8")
        servers["main"].route(
            "/front.html",
            lambda h: h.send_body(200, page, headers={"Set-Cookie": "session=abc123; Path=/"}),
        )
        export_dir = tmp_path_factory.mktemp("faults") / "exports"
        started = time.monotonic()
        crawl = run_crawl(
            "frontpage",
            export_dir,
            f"url={servers['main'].url}front.html",
            "site=news1global",
            settings={
                "HTTPAUTH_USER": "newsreader",
                "HTTPAUTH_PASS": "hunter2",
                "HTTPAUTH_DOMAIN": servers["main"].netloc,
                "DOWNLOAD_TIMEOUT": str(DOWNLOAD_TIMEOUT),
                "AUTOTHROTTLE_ENABLED": "False",
                "CONCURRENT_REQUESTS": "32",
                "CONCURRENT_REQUESTS_PER_DOMAIN": "8",
                "COOKIES_ENABLED": "True",
                "NEWSSPIDER_RETRY_BACKOFF_BASE": "0.2",
                "NEWSSPIDER_RETRY_AFTER_MAX": str(RETRY_AFTER_MAX),
                "NEWSSPIDER_CIRCUIT_THRESHOLD": str(CIRCUIT_THRESHOLD),
                "NEWSSPIDER_ROBOTSTXT_TIMEOUT": "1.5",
            },
            run_id="faults",
            timeout=180,
        )
        seconds = time.monotonic() - started
        if os.environ.get("NEWSSPIDER_FAULTS_LOG"):  # for debugging: keep the crawl log
            Path(os.environ["NEWSSPIDER_FAULTS_LOG"]).write_text(crawl.log, encoding="utf-8")
        articles = {a["url"]: a for a in read_jsonl(crawl.run_dir / "articles.jsonl")}
        rejects = {r["url"]: r for r in read_jsonl(crawl.run_dir / "rejects.jsonl")}
        yield FaultRun(crawl, servers, articles, rejects, seconds)
    finally:
        for server in servers.values():
            server.__exit__(None, None, None)


def find(rows: dict[str, dict[str, Any]], path: str) -> dict[str, Any] | None:
    for url, row in rows.items():
        if url and url.split("?", 1)[0].endswith(path):
            return row
    return None


@pytest.mark.parametrize("sc", SCENARIOS, ids=[s.name for s in SCENARIOS])
def test_fault_outcome(fault_run: FaultRun, sc: Scenario) -> None:
    article = find(fault_run.articles, sc.path.rsplit("/", 1)[-1]) if sc.server != "none" else None
    reject = find(fault_run.rejects, sc.path.rsplit("/", 1)[-1]) if sc.server != "none" else None
    if sc.server == "none":
        headline = f"Fault {SCENARIOS.index(sc)}: {sc.name}"
        reject = next(
            (
                r
                for u, r in fault_run.rejects.items()
                if (u or "").startswith(sc.path) or r["item"].get("headline") == headline
            ),
            None,
        )
    if sc.expect == "exported":
        assert article is not None, f"{sc.name}: not exported; reject={reject}"
        assert article["headline"], sc.name
        if sc.headline:
            assert article["headline"] == sc.headline
    else:
        assert article is None, f"{sc.name}: exported, expected {sc.expect}"
        assert reject is not None, f"{sc.name}: neither exported nor rejected"
        assert reject["messages"] and all("\n" not in m for m in reject["messages"])
        if sc.expect.endswith("*"):
            assert any(r.startswith(sc.expect[:-1]) for r in reject["reasons"]), reject
        else:
            assert sc.expect in reject["reasons"], reject
        if reject["reasons"][0].startswith("fetch_"):
            # given up with one logged line naming the URL and the reason
            line = f"Gave up on Article {reject['url']}: {reject['messages'][0]}"
            assert any(log.endswith(line) for log in fault_run.crawl.log.splitlines()), line
    if sc.attempts is not None and sc.server in ("main", "robots503", "robotshang"):
        server = fault_run.servers[sc.server]
        assert server.count(sc.path) == sc.attempts, f"{sc.name}: {server.count(sc.path)} tries"


def test_crawl_finishes_cleanly(fault_run: FaultRun) -> None:
    crawl = fault_run.crawl
    # a site this hostile is not a clean run: degraded (exit 5) - but it finished, not failed
    assert crawl.returncode == 5, crawl.log[-3000:]
    assert "Traceback" not in crawl.log, crawl.log[crawl.log.find("Traceback") - 2000 :][:5000]
    assert "Spider closed (finished)" in crawl.log
    manifest = crawl.manifest()
    assert manifest["health"]["status"] == "degraded"
    codes = {a["code"] for a in manifest["health"]["alerts"]}
    assert codes == {"fetch_failures", "reject_share"}, manifest["health"]
    assert manifest["finish_reason"] == "finished"
    assert manifest["reconciled"] is True, manifest["reconcile_errors"]
    # 3 x 2 s timeouts, 1.5 s Retry-After cap, robots.txt timeouts: well under a minute
    assert fault_run.seconds < 90


def test_every_discovered_url_ends_somewhere(fault_run: FaultRun) -> None:
    slots = read_jsonl(fault_run.crawl.run_dir / "front_page.jsonl")
    assert slots, "the fault front page was not parsed"
    # an article lands under its own URL, or under the redirect target's (same article path)
    ends = {tail(u) for u in fault_run.articles} | {tail(u) for u in fault_run.rejects if u}
    for s in slots:
        assert tail(s["article_url"]) in ends, s["article_url"]
    for r in fault_run.rejects.values():  # every reject says why, in one line
        assert r["reasons"] and all(m and "\n" not in m for m in r["messages"])


def test_the_state_keeps_what_was_exported_and_forgets_what_failed(fault_run: FaultRun) -> None:
    """State on (the default): every exported article is committed to the state file, and
    no article that ended as a reject is, so the next scheduled run fetches it again."""
    export_dir = fault_run.crawl.run_dir.parent
    (state_file,) = sorted((export_dir / ".state").glob("*.sqlite3"))
    with sqlite3.connect(state_file) as db:
        stored = {tail(url) for (url,) in db.execute("SELECT url FROM articles")}
        runs = [run_id for (run_id,) in db.execute("SELECT run_id FROM runs")]
    assert runs == ["faults"]
    exported = {tail(u) for u in fault_run.articles}
    assert exported and exported <= stored
    failed = {tail(u) for u in fault_run.rejects if u} - exported
    assert failed, "the fault site should leave some articles rejected"
    assert not failed & stored, failed & stored


def tail(url: str) -> str:
    """``1001.html`` of a URL: the last path segment, without session ids or query."""
    return url.split("?", 1)[0].split(";", 1)[0].rsplit("/", 1)[-1]


def test_retry_after_is_honoured_and_capped(fault_run: FaultRun) -> None:
    main = fault_run.servers["main"]
    seconds = [h.at for h in main.hits("/faults/article/3003.html")]
    assert seconds[1] - seconds[0] >= 0.9  # asked for 1 s
    date = [h.at for h in main.hits("/faults/article/3004.html")]
    assert date[1] - date[0] >= 0.5  # asked for an HTTP date ~2 s ahead (1 s resolution)
    capped = [h.at for h in main.hits("/faults/article/3005.html")]
    gaps = [b - a for a, b in itertools.pairwise(capped)]
    assert all(RETRY_AFTER_MAX - 0.2 <= g <= RETRY_AFTER_MAX + 2 for g in gaps), gaps
    assert "asked to retry after 3600 s" in fault_run.crawl.log


def test_5xx_storm_trips_the_circuit_breaker(fault_run: FaultRun) -> None:
    storm = fault_run.servers["storm"]
    hits = storm.count_prefix("/storm/")
    # without the breaker: 30 articles x 3 tries = 90 requests
    assert hits < STORM_ARTICLES * 3 // 2, hits
    reasons = [r["reasons"][0] for u, r in fault_run.rejects.items() if "/storm/article/" in u]
    assert len(reasons) == STORM_ARTICLES
    assert "fetch_circuit_open" in reasons
    assert set(reasons) <= {"fetch_http_503", "fetch_circuit_open"}
    assert "failed 5 times in a row: not sending it requests" in fault_run.crawl.log


def test_cross_origin_redirect_drops_cookie_and_authorization(fault_run: FaultRun) -> None:
    main, other = fault_run.servers["main"], fault_run.servers["other"]
    first = main.hits("/faults/article/3022.html")[0].headers
    assert "Authorization" in first and "Cookie" in first  # the test is meaningful
    (hop,) = other.hits("/politics/article/3022.html")
    assert "Authorization" not in hop.headers and "Cookie" not in hop.headers


def test_traps_are_not_followed(fault_run: FaultRun) -> None:
    main = fault_run.servers["main"]
    assert main.count_prefix("/calendar/") == 0
    assert main.count_prefix("/page/") == 0
    # three spellings (plain, ;jsessionid=, ?sid=) of one article: fetched once
    assert (
        main.count("/politics/article/1001.html")
        + main.count("/politics/article/1001.html;jsessionid=A1B2C3")
        == 1
    )


def test_robots_unreachable_is_one_line_per_host(fault_run: FaultRun) -> None:
    log = fault_run.crawl.log
    assert "answered HTTP 503: treating the whole site as disallowed (RFC 9309)" in log
    assert "Site unreachable: " in log
    assert "no answer in time (timeout)" in log


def test_no_credentials_in_log(fault_run: FaultRun) -> None:
    assert "hunter2" not in fault_run.crawl.log
