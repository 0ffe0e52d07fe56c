"""The crawler stays on the site, and every bound holds (issue 13, items 5, 6 and 8).

Pure tables for :class:`~newsspider.middlewares.OffsiteRule` and ``strip_credentials``, then
real ``scrapy crawl`` runs against a hostile local site (tests/faultserver.py) with the
default settings - the crawl state on - only AutoThrottle off so the runs take seconds.

Several hosts on one machine: the site is on 127.0.0.1; 127.0.0.2, ``localhost``, ``[::1]``
and 169.254.169.254 (the cloud metadata address) are other hosts, all of them internal.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from newsspider.middlewares import OffsiteRule, is_internal_host
from tests.conftest import REPO, CrawlResult, run_crawl
from tests.faultserver import FaultRequestHandler, FaultServer

# an article page of the bundled demo site
ARTICLE_HTML = (REPO / "newsspider" / "demo_site" / "politics/article/1001.html").read_bytes()
FAST = {"AUTOTHROTTLE_ENABLED": "False", "LOG_LEVEL": "INFO"}


class _Site:
    """What a site spider test needs: FEEDS folder, state folder, the server."""

    def __init__(self, server: FaultServer, tmp: Path) -> None:
        self.server = server
        self.runs = 0
        self.exports = tmp / "exports"
        # these hostile sites are mostly refused links: a high reject share makes the run
        # "degraded" (exit 5, docs/MONITORING.md); the tests here are about what was refused
        self.settings = {
            **FAST,
            "NEWSSPIDER_STATE_DIR": str(tmp / "state"),
            "NEWSSPIDER_FAIL_ON": "failed",
        }

    def crawl(self, spider: str, *args: str, **settings: str) -> CrawlResult:
        self.runs += 1  # a run id names one run folder: never reused (newsspider/run.py)
        return run_crawl(
            spider,
            self.exports,
            *args,
            settings={**self.settings, **settings},
            run_id="test-run" if self.runs == 1 else f"test-run-{self.runs}",
            timeout=120,
        )


def assert_no_articles_only(result: CrawlResult) -> None:
    """A site built of nothing but traps or refused links: the run is "failed" (exit 4) for
    exactly one reason, no articles (docs/MONITORING.md), and still writes its files."""
    assert result.returncode == 4, result.log[-3000:]
    health = result.manifest()["health"]
    assert isinstance(health, dict)
    failed = [a["code"] for a in health["alerts"] if a["severity"] == "failed"]
    assert failed == ["no_articles"], health["alerts"]


def html(body: str, head: str = "") -> bytes:
    return f"<html><head><title>t</title>{head}</head><body>{body}</body></html>".encode()


def xml(text: str) -> bytes:
    return f'<?xml version="1.0" encoding="UTF-8"?>\n{text}'.encode()


def urlset(urls: list[str]) -> bytes:
    locs = "".join(f"<url><loc>{u}</loc></url>" for u in urls)
    return xml(f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}</urlset>')


def sitemap_index(urls: list[str]) -> bytes:
    locs = "".join(f"<sitemap><loc>{u}</loc></sitemap>" for u in urls)
    return xml(f'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{locs}'
               "</sitemapindex>")  # fmt: skip


def serve(body: bytes, content_type: str = "text/html; charset=utf-8") -> Any:
    def handle(h: FaultRequestHandler) -> None:
        h.send_body(200, body, content_type)

    return handle


def stat(log: str, name: str) -> int:
    m = re.search(rf"'{re.escape(name)}': (\d+)", log)
    return int(m.group(1)) if m else 0


def rejects(result: CrawlResult) -> dict[str, dict[str, Any]]:
    path = result.run_dir / "rejects.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return {r["url"]: r for r in rows}


@pytest.fixture
def server(tmp_path: Path) -> Iterator[FaultServer]:
    root = tmp_path / "www"
    root.mkdir()
    with FaultServer(root) as srv:
        yield srv


# --------------------------------------------------------------------------- pure rules


@pytest.mark.parametrize(
    ("host", "internal"),
    [
        ("127.0.0.1", True),
        ("127.0.0.2", True),
        ("localhost", True),
        ("LOCALHOST.", True),
        ("api.localhost", True),
        ("::1", True),
        ("[::1]", True),
        ("::ffff:127.0.0.1", True),
        ("169.254.169.254", True),
        ("10.1.2.3", True),
        ("192.168.0.1", True),
        ("0.0.0.0", True),
        ("2130706433", True),  # 127.0.0.1 as one number
        ("0x7f.1", True),
        ("fe80::1", True),
        ("93.184.215.14", False),
        ("example.com", False),
        ("localhost.example.com", False),
        ("1e100.net", False),
    ],
)
def test_internal_hosts(host: str, internal: bool) -> None:
    assert is_internal_host(host) is internal


SITE = OffsiteRule(("127.0.0.1",), frozenset({"127.0.0.1"}))
PUBLIC = OffsiteRule(("news1global.com",), frozenset({"www.news1global.com"}))
ANY_SITE = OffsiteRule((), frozenset({"news1global.com", "example.org"}))  # article spider
SHELL = OffsiteRule((), frozenset(), guard_internal=False)  # a spider without a start URL


@pytest.mark.parametrize(
    ("rule", "url", "first", "allowed"),
    [
        (SITE, "http://127.0.0.1:8080/a", None, True),
        (SITE, "http://127.0.0.1:9999/a", None, True),  # another port of the same host
        (SITE, "http://127.0.0.2:8080/a", None, False),
        (SITE, "http://localhost:8080/a", None, False),
        (SITE, "http://[::1]:8080/a", None, False),
        (SITE, "http://169.254.169.254/latest/meta-data/", None, False),
        (SITE, "file:///etc/passwd", None, True),  # UrlSafetyMiddleware's decision
        (PUBLIC, "https://www.news1global.com/x", None, True),
        (PUBLIC, "https://img.news1global.com/x", None, True),
        (PUBLIC, "https://news1global.com.evil.example/x", None, False),
        (PUBLIC, "https://evilnews1global.com/x", None, False),
        (PUBLIC, "http://169.254.169.254/", None, False),
        (ANY_SITE, "https://example.org/a", None, True),
        (ANY_SITE, "https://www.example.org/b", "https://example.org/a", True),
        (ANY_SITE, "https://elsewhere.net/b", "https://example.org/a", False),
        (ANY_SITE, "http://localhost/b", "https://example.org/a", False),
        (ANY_SITE, "http://10.0.0.5/", None, False),  # internal: never, not even first
        (SHELL, "http://127.0.0.1:8000/", None, True),  # scrapy shell URL: the user's choice
        (SHELL, "http://localhost:8000/b", "http://127.0.0.1:8000/", False),  # not by redirect
    ],
)
def test_offsite_rule(rule: OffsiteRule, url: str, first: str | None, allowed: bool) -> None:
    why = rule.verdict(url, first)
    assert (why is None) is allowed, why
    if why is not None:
        assert "\n" not in why


def test_offsite_answers_kept_per_host_are_the_rules_own() -> None:
    """A rule keeps its answer per host (and first URL where that decides): asked again,
    in any order, after other hosts, it answers as a fresh rule of the same terms."""
    asks = [
        (ANY_SITE, "https://www.example.org/b", "https://example.org/a"),
        (ANY_SITE, "https://www.example.org/b", "https://elsewhere.net/a"),
        (ANY_SITE, "https://www.example.org/c", None),
        (SITE, "http://127.0.0.1:8080/a", None),
        (SITE, "http://127.0.0.2:8080/a", None),
        (PUBLIC, "https://img.news1global.com/x", "https://evil.example/"),
        (PUBLIC, "http://169.254.169.254/", None),
    ]
    for rule, url, first in [*asks, *reversed(asks), *asks]:
        fresh = OffsiteRule(rule.allowed_domains, rule.start_hosts, rule.guard_internal)
        assert rule.verdict(url, first) == fresh.verdict(url, first), (url, first)
        assert rule.needs_lookup(url) == fresh.needs_lookup(url), url
    # the first URL decides only for a rule without domains
    assert ANY_SITE.verdict("https://www.example.org/b", "https://elsewhere.net/a") is not None
    assert ANY_SITE.verdict("https://www.example.org/b", "https://example.org/a") is None


# --------------------------------------------------------------------------- offsite, e2e


@pytest.mark.e2e
def test_site_spider_never_leaves_the_site(server: FaultServer, tmp_path: Path) -> None:
    port = server.server.server_address[1]
    base = server.url

    def other(host: str, n: int) -> str:
        return f"http://{host}:{port}/world/article/{n}.html"

    offsite = {
        "feed": f"http://127.0.0.2:{port}/rss.xml",
        "sitemap": f"http://[::1]:{port}/sitemap.xml",
        "sitemap article 127.0.0.2": other("127.0.0.2", 9002),
        "sitemap article localhost": other("localhost", 9003),
        "sitemap article [::1]": other("[::1]", 9004),
        "sitemap article metadata": "http://169.254.169.254/world/article/9008.html",
        "feed article localhost": other("localhost", 9009),
    }
    head = (
        f'<link rel="alternate" type="application/rss+xml" href="{offsite["feed"]}">'
        '<link rel="alternate" type="application/rss+xml" href="/rss.xml">'
    )
    server.route("/", serve(html('<a href="/world/article/9001.html">One</a>', head)))
    robots = f"User-agent: *\nAllow: /\nSitemap: {base}sitemap.xml\nSitemap: {offsite['sitemap']}\n"
    server.route("/robots.txt", serve(robots.encode(), "text/plain"))
    server.route(
        "/sitemap.xml",
        serve(
            urlset(
                [
                    f"{base}world/article/9001.html",
                    f"{base}world/article/9001.html;jsessionid=A1B2",  # the same article
                    f"{base}world/article/9001.html?sid=77",
                    offsite["sitemap article 127.0.0.2"],
                    offsite["sitemap article localhost"],
                    offsite["sitemap article [::1]"],
                    offsite["sitemap article metadata"],
                    f"{base}world/article/9005.html",  # redirects to localhost
                    f"{base}world/article/9007.html",  # redirects to the metadata address
                ]
            ),
            "application/xml",
        ),
    )
    rss = (
        '<rss version="2.0"><channel><title>t</title>'
        f"<item><title>x</title><link>{offsite['feed article localhost']}</link></item>"
        "</channel></rss>"
    )
    server.route("/rss.xml", serve(xml(rss), "application/rss+xml"))
    server.route("/world/article/9001.html", serve(ARTICLE_HTML))
    server.route("/world/article/9005.html", lambda h: h.redirect(other("localhost", 9006)))
    server.route(
        "/world/article/9007.html",
        lambda h: h.redirect("http://169.254.169.254/latest/meta-data/"),
    )

    result = _Site(server, tmp_path).crawl("site", f"url={base}")
    assert result.returncode == 0, result.log[-3000:]
    # nothing but 127.0.0.1 was ever asked for (localhost would reach this same server)
    hosts = {h.headers.get("Host") for h in server.hits()}
    assert hosts == {f"127.0.0.1:{port}"}, hosts
    rows = rejects(result)
    for what, url in offsite.items():
        assert url in rows, (what, sorted(rows))
        assert rows[url]["reasons"] == ["offsite"], (what, rows[url])
        assert "\n" not in rows[url]["messages"][0]
    for redirected in ("9005", "9007"):  # the Reject names the URL the sitemap gave
        row = rows[f"{base}world/article/{redirected}.html"]
        assert row["reasons"] == ["offsite"] and "redirected from" in row["messages"][0], row
    assert rows[offsite["feed"]]["item_type"] == "Feed"
    assert rows[offsite["sitemap"]]["item_type"] == "Sitemap"
    assert stat(result.log, "newsspider/offsite/refused") == len(offsite) + 2
    assert stat(result.log, "newsspider/offsite/redirect") == 2
    assert stat(result.log, "newsspider/fetch/offsite") == len(offsite) + 2
    assert f"{base}world/article/9001.html" not in rows  # the site itself is crawled
    assert server.count("/world/article/9001.html") == 1  # session ids removed, fetched once
    assert stat(result.log, "newsspider/trap/session_id_removed") == 2
    assert result.manifest()["files"]["articles.jsonl"]["rows"] == 1  # type: ignore[index]


@pytest.mark.e2e
def test_article_spider_does_not_follow_a_redirect_to_another_host(
    server: FaultServer, tmp_path: Path
) -> None:
    port = server.server.server_address[1]
    server.route(
        "/world/article/9005.html",
        lambda h: h.redirect(f"http://localhost:{port}/world/article/9006.html"),
    )
    server.route("/world/article/9001.html", serve(ARTICLE_HTML))
    urls = tmp_path / "urls.txt"
    urls.write_text(f"{server.url}world/article/9001.html\n{server.url}world/article/9005.html\n")
    result = _Site(server, tmp_path).crawl("article", f"urls_file={urls}")
    assert result.returncode == 0, result.log[-3000:]
    assert server.count("/world/article/9006.html") == 0
    row = rejects(result)[f"{server.url}world/article/9005.html"]
    assert row["reasons"] == ["offsite"] and "localhost" in row["messages"][0], row
    assert stat(result.log, "newsspider/offsite/redirect") == 1
    assert result.manifest()["files"]["articles.jsonl"]["rows"] == 1  # type: ignore[index]


# --------------------------------------------------------------------------- bounds, e2e


def endless_index(base: str) -> Any:
    def handle(h: FaultRequestHandler) -> None:  # /chain/N.xml -> /chain/N+1.xml, for ever
        n = int(h.path.rsplit("/", 1)[-1].removesuffix(".xml"))
        h.send_body(200, sitemap_index([f"{base}chain/{n + 1}.xml"]), "application/xml")

    return handle


@pytest.mark.e2e
def test_endless_pagination_sitemap_chains_and_a_huge_robots_txt_are_bounded_by_default(
    server: FaultServer, tmp_path: Path
) -> None:
    base = server.url
    # robots.txt of 2 MB: its last Sitemap: line lies beyond the 500 KiB that are read
    filler = b"# " + b"x" * 78 + b"\n"
    robots = (
        b"User-agent: *\nAllow: /\nSitemap: /chain/0.xml\n"
        + filler * (2 * 1024 * 1024 // len(filler))
        + b"Sitemap: /late.xml\n"
    )
    server.route("/robots.txt", serve(robots, "text/plain"))
    server.route("/", serve(html('<a href="/page/2" rel="next">Next</a>')))

    def endless_page(h: FaultRequestHandler) -> None:  # /page/N -> /page/N+1, for ever
        n = int(h.path.rsplit("/", 1)[-1])
        h.send_body(200, html(f'<a href="/page/{n + 1}" rel="next">Next</a>'))

    server.route_prefix("/page/", endless_page)
    server.route_prefix("/chain/", endless_index(base))

    result = _Site(server, tmp_path).crawl("site", f"url={base}")
    assert_no_articles_only(result)
    log = result.log
    # pagination: 50 pages per listing by default (the front page is the first)
    assert server.count_prefix("/page/") == 49
    assert stat(log, "newsspider/discovery/listing/pages") == 50
    assert stat(log, "newsspider/discovery/listing/depth_limited") == 1
    # sitemap indexes: 3 levels below robots.txt by default (/chain/0 is level 0)
    assert server.count_prefix("/chain/") == 4
    assert stat(log, "newsspider/discovery/sitemap/depth_limited") == 1
    # robots.txt: read up to 500 KiB, so the late Sitemap: line was never seen
    assert server.count("/late.xml") == 0
    assert stat(log, "newsspider/robotstxt/truncated") == 2  # the middleware's and the spider's
    for setting in (
        "NEWSSPIDER_LISTING_MAX_PAGES",
        "NEWSSPIDER_SITEMAP_MAX_DEPTH",
        "NEWSSPIDER_ROBOTSTXT_MAX_BYTES",
    ):
        lines = [line for line in log.splitlines() if setting in line and "WARNING" in line]
        assert len(lines) == 1, (setting, lines)


@pytest.mark.e2e
def test_sitemap_documents_and_urls_per_run_are_capped(server: FaultServer, tmp_path: Path) -> None:
    base = server.url
    server.route("/", serve(html("<p>front</p>")))
    server.route("/robots.txt", serve(b"User-agent: *\nSitemap: /wide.xml\n", "text/plain"))
    server.route("/wide.xml", serve(sitemap_index([f"{base}u/{n}.xml" for n in range(30)])))

    def urlset_of(h: FaultRequestHandler) -> None:  # /u/N.xml: 3 article URLs
        n = int(h.path.rsplit("/", 1)[-1].removesuffix(".xml"))
        urls = [f"{base}world/article/{9000 + 3 * n + i}.html" for i in range(3)]
        h.send_body(200, urlset(urls), "application/xml")

    server.route_prefix("/u/", urlset_of)
    server.route_prefix("/world/article/", lambda h: h.send_body(404, b"gone"))
    # the defaults (1,000 documents, 500,000 URLs) lowered to what a test can reach
    result = _Site(server, tmp_path).crawl(
        "site",
        f"url={base}",
        "channels=sitemap",
        NEWSSPIDER_SITEMAP_MAX_DOCUMENTS="5",
        NEWSSPIDER_SITEMAP_MAX_URLS="10",
    )
    assert_no_articles_only(result)
    log = result.log
    assert server.count("/wide.xml") + server.count_prefix("/u/") == 5
    assert stat(log, "newsspider/discovery/sitemap/documents_limited") == 26
    assert server.count_prefix("/world/article/") == 10  # 4 urlsets x 3, cut at 10
    assert stat(log, "newsspider/discovery/sitemap/urls_limited") == 2
    for setting in ("NEWSSPIDER_SITEMAP_MAX_DOCUMENTS", "NEWSSPIDER_SITEMAP_MAX_URLS"):
        lines = [line for line in log.splitlines() if setting in line and "WARNING" in line]
        assert len(lines) == 1, (setting, lines)


@pytest.mark.e2e
def test_urls_file_errors_never_print_the_files_lines(tmp_path: Path) -> None:
    """``-a urls_file=`` of a file that is not a URL list: one line, none of its content."""
    secret = "root:$6$s3cr3tHASHvalue:19000:0:99999:7:::"
    shadow = tmp_path / "shadow"
    shadow.write_text(f"{secret}\ndaemon:*:19000:0:99999:7:::\n")
    cmd = [sys.executable, "-m", "scrapy", "crawl", "article", "-a", f"urls_file={shadow}"]
    cmd += ["-s", f"NEWSSPIDER_EXPORT_DIR={tmp_path / 'exports'}", "-s", "LOG_LEVEL=INFO"]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    proc = subprocess.run(cmd, cwd=REPO, env=env, capture_output=True, text=True, timeout=120)
    output = proc.stdout + proc.stderr
    assert proc.returncode != 0
    assert "s3cr3tHASHvalue" not in output and "daemon:" not in output, output[-2000:]
    assert "Traceback" not in output, output[-2000:]


# --------------------------------------------------------------------------- secrets


@pytest.mark.parametrize(
    ("url", "clean"),
    [
        ("http://user:pass@example.com/a?b=1#c", "http://example.com/a?b=1#c"),
        ("https://user@example.com:8443/", "https://example.com:8443/"),
        ("http://u:p%40ss@127.0.0.1:8080/x", "http://127.0.0.1:8080/x"),
        ("http://a:b@c@example.com/", "http://example.com/"),
        ("http://example.com/path@x?mail=a@b", "http://example.com/path@x?mail=a@b"),
        ("http://u:p@[::1/", "http://[::1/"),  # invalid, still stripped
        ("file:///demo/index.html", "file:///demo/index.html"),
        ("", ""),
    ],
)
def test_strip_credentials(url: str, clean: str) -> None:
    from newsspider.urls import strip_credentials

    assert strip_credentials(url) == clean


@pytest.mark.e2e
def test_a_password_in_the_start_url_is_written_nowhere(tmp_path: Path) -> None:
    from tests.conftest import DEMO_SITE

    with FaultServer(DEMO_SITE) as demo:
        secret_url = demo.url.replace("://", "://reader:s3cretPW@")
        site = _Site(demo, tmp_path)
        result = site.crawl("frontpage", f"url={secret_url}", "max_articles=3")
        assert result.returncode == 0, result.log[-3000:]
        assert all("Authorization" not in h.headers for h in demo.hits())  # never sent either
    assert "s3cretPW" not in result.log
    assert result.manifest()["start_url"] == demo.url  # type: ignore[index]
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert any(p.suffix == ".sqlite3" for p in written)  # the state, and its runs table
    assert len(written) > 10
    for path in written:
        assert b"s3cretPW" not in path.read_bytes(), path


def test_item_urls_lose_their_credentials_before_any_export() -> None:
    from scrapy.utils.test import get_crawler

    from newsspider.items import Article
    from newsspider.pipelines.normalize import NormalizePipeline

    item = Article(
        url="https://editor:pw1@www.example.com/news/1",
        image_url="https://cdn:pw2@img.example.com/a.jpg?w=600",
        related_urls=["https://u:pw3@www.example.com/news/2"],
    )
    out = NormalizePipeline(get_crawler()).process_item(item)
    assert out.url == "https://www.example.com/news/1"
    assert out.image_url == "https://img.example.com/a.jpg?w=600"
    assert out.related_urls == ["https://www.example.com/news/2"]


def this_machines_internal_name() -> str | None:
    """A host name (not ``localhost``) that resolves to an internal address here, if any:
    the machine's own name maps to 127.0.1.1 on Debian, 127.0.0.1 or a private address in
    containers."""
    import socket

    name = socket.gethostname().lower()
    try:
        address = socket.gethostbyname(name)
    except OSError:
        return None
    usable = name and "." not in name and name != "localhost" and is_internal_host(address)
    return name if usable else None


@pytest.mark.e2e
def test_a_name_that_resolves_to_an_internal_address_is_not_fetched(
    server: FaultServer, tmp_path: Path
) -> None:
    name = this_machines_internal_name()
    if name is None:
        pytest.skip("this machine's name does not resolve to an internal address")
    port = server.server.server_address[1]
    # a site read from files (no host, so no allowed_domains): only the address rule applies
    site = tmp_path / "filesite"
    site.mkdir()
    feed = '<link rel="alternate" type="application/rss+xml" href="rss.xml">'
    (site / "index.html").write_bytes(html("<p>front</p>", feed))
    by_name = f"http://{name}:{port}/world/article/9001.html"
    by_ip = f"http://127.0.0.1:{port}/world/article/9002.html"
    items = "".join(f"<item><title>x</title><link>{u}</link></item>" for u in (by_name, by_ip))
    (site / "rss.xml").write_bytes(xml(f'<rss version="2.0"><channel>{items}</channel></rss>'))
    server.route_prefix("/world/article/", serve(ARTICLE_HTML))
    result = _Site(server, tmp_path).crawl(
        "site",
        f"url={(site / 'index.html').as_uri()}",
        "channels=feed",
        NEWSSPIDER_FILE_ROOTS=str(site),
    )
    assert_no_articles_only(result)
    assert server.hits() == []
    rows = rejects(result)
    assert rows[by_name]["reasons"] == ["offsite"] and "resolves to" in rows[by_name]["messages"][0]
    assert rows[by_ip]["reasons"] == ["offsite"]


@pytest.mark.e2e
def test_listings_followed_from_the_start_page_are_capped(tmp_path: Path) -> None:
    from tests.conftest import DEMO_SITE

    with FaultServer(DEMO_SITE) as demo:
        site = _Site(demo, tmp_path)
        uncapped = site.crawl("site", f"url={demo.url}", "channels=listing", "max_articles=1")
        capped = site.crawl(
            "site",
            f"url={demo.url}",
            "channels=listing",
            "max_articles=1",
            NEWSSPIDER_LISTING_MAX_LISTINGS="3",
        )
    for result in (uncapped, capped):
        assert result.returncode == 0, result.log[-3000:]
    listings = stat(uncapped.log, "newsspider/discovery/listing/listings")
    assert listings > 3 and stat(uncapped.log, "newsspider/discovery/listing/listings_limited") == 0
    assert stat(capped.log, "newsspider/discovery/listing/listings") == 3
    assert stat(capped.log, "newsspider/discovery/listing/listings_limited") == listings - 3
    lines = capped.log.splitlines()
    warnings = [line for line in lines if "NEWSSPIDER_LISTING_MAX_LISTINGS" in line]
    assert len(warnings) == 1 and "WARNING" in warnings[0]


def guard_for(**spider_args: str) -> Any:
    import asyncio

    from scrapy.utils.test import get_crawler

    from newsspider.middlewares import OffsiteGuardMiddleware
    from newsspider.spiders.frontpage import FrontpageSpider

    crawler = get_crawler(FrontpageSpider)
    spider = FrontpageSpider.from_crawler(crawler, **spider_args)
    crawler.spider = spider
    guard = OffsiteGuardMiddleware.from_crawler(crawler)
    guard.spider_opened(spider)

    def check(request: Any) -> None:
        asyncio.run(guard.process_request(request))

    return check


def test_the_guard_ignores_dont_filter_and_allow_offsite() -> None:
    from scrapy import Request

    from newsspider.middlewares import OffsiteRefused

    check = guard_for(url="http://127.0.0.1:1/")
    check(Request("http://127.0.0.1:1/world/article/1.html", dont_filter=True))
    for request in (
        Request("http://127.0.0.2:1/a", dont_filter=True),
        Request("http://localhost:1/a", meta={"allow_offsite": True}),
        Request("http://169.254.169.254/", dont_filter=True, meta={"allow_offsite": True}),
    ):
        with pytest.raises(OffsiteRefused) as refused:
            check(request)
        assert refused.value.reject_reason == "offsite"


def test_a_url_typed_on_scrapy_parse_may_be_internal_but_not_its_redirects() -> None:
    from scrapy import Request

    from newsspider.middlewares import OffsiteRefused

    check = guard_for()  # no -a url: the start URL is the bundled demo (a file)
    typed = {"_depth": 1, "_callback": None}  # what `scrapy parse URL` puts on its request
    check(Request("http://127.0.0.1:1/a", meta=typed))
    with pytest.raises(OffsiteRefused):
        check(Request("http://127.0.0.1:1/a"))
    with pytest.raises(OffsiteRefused):
        redirected = {**typed, "redirect_urls": ["http://example.com/"]}
        check(Request("http://127.0.0.1:1/a", meta=redirected))
