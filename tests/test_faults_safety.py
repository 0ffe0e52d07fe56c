"""Safe defaults and the small pure pieces of newsspider/middlewares.py, table-tested.

The end-to-end behaviour is in tests/test_faults.py; these pin the decisions themselves.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.http import Response
from scrapy.settings import Settings
from scrapy.utils.test import get_crawler

from newsspider import settings as project_settings
from newsspider.middlewares import (
    DEMO_SITE_DIR,
    HostCircuitBreakerMiddleware,
    RedirectGuardMiddleware,
    RequestRefused,
    UrlSafetyMiddleware,
    file_url_allowed,
    origin_of,
    parse_retry_after,
)
from tests.conftest import run_crawl


def crawler(**settings: Any) -> Any:
    values = {k: getattr(project_settings, k) for k in dir(project_settings) if k.isupper()}
    values.update(settings)
    return get_crawler(settings_dict=values)


def test_safe_defaults() -> None:
    s = Settings()
    s.setmodule(project_settings)
    assert s.getbool("TELNETCONSOLE_ENABLED") is False
    assert 1024 * 1024 <= s.getint("DOWNLOAD_MAXSIZE") <= 32 * 1024 * 1024  # news pages
    assert s.getint("DOWNLOAD_WARNSIZE") < s.getint("DOWNLOAD_MAXSIZE")
    assert s.getbool("ROBOTSTXT_OBEY") is True
    assert s.getbool("COOKIES_ENABLED") is False
    assert s.getint("REDIRECT_MAX_TIMES") <= 10
    assert s.getint("DOWNLOAD_TIMEOUT") <= 60
    assert s["FEED_STORAGES"][""] == s["FEED_STORAGES"]["file"]  # every feed is atomic


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        ("120", 120.0),
        (b"0", 0.0),
        ("Sat, 21 Feb 2026 00:00:30 GMT", 30.0),
        ("Fri, 20 Feb 2026 00:00:00 GMT", 0.0),  # in the past: retry now
        ("soon", None),
        ("-5", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_retry_after(value: Any, seconds: float | None) -> None:
    now = datetime(2026, 2, 21, tzinfo=UTC)
    assert parse_retry_after(value, now=now) == seconds


@pytest.mark.parametrize(
    ("url", "allowed"),
    [
        ((DEMO_SITE_DIR / "index.html").as_uri(), True),
        ((DEMO_SITE_DIR / "politics" / "article" / "1001.html").as_uri(), True),
        ((DEMO_SITE_DIR / ".." / ".." / "pyproject.toml").as_uri(), False),
        ("file:///etc/passwd", False),
        ("file://evil.example/share/x.html", False),
        ((DEMO_SITE_DIR / "index.html").as_uri().replace("demo_site", "demo_site%2F.."), False),
    ],
)
def test_file_urls_only_inside_the_demo(url: str, allowed: bool) -> None:
    assert file_url_allowed(url, [DEMO_SITE_DIR]) is allowed


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("file:///etc/passwd", "file_outside_demo"),
        ("ftp://example.com/x", "unsafe_scheme"),
        ("data:text/html,<h1>x</h1>", "unsafe_scheme"),
        ("s3://bucket/key", "unsafe_scheme"),
    ],
)
def test_url_safety_refuses(url: str, code: str) -> None:
    mw = UrlSafetyMiddleware(crawler())
    with pytest.raises(RequestRefused) as info:
        mw.process_request(Request(url))
    assert info.value.reason_code == code
    assert mw.process_request(Request("https://example.com/")) is None


def test_file_roots_setting_widens_the_allow_list(tmp_path: Path) -> None:
    mw = UrlSafetyMiddleware(crawler(NEWSSPIDER_FILE_ROOTS=[str(tmp_path)]))
    assert mw.process_request(Request((tmp_path / "a.html").as_uri())) is None


def redirect(url: str, location: str, **meta: Any) -> tuple[Request, Response]:
    request = Request(url, meta=meta)
    return request, Response(url, status=302, headers={"Location": location}, request=request)


@pytest.mark.parametrize(
    ("location", "meta", "code"),
    [
        ("file:///etc/passwd", {}, "redirect_blocked"),
        ("javascript:alert(1)", {}, "redirect_blocked"),
        ("http://a.example/start", {"redirect_urls": ["http://a.example/start"]}, "redirect_loop"),
        ("/next", {"redirect_times": 5}, "too_many_redirects"),
        ("/next", {}, None),
    ],
)
def test_redirect_guard(location: str, meta: dict[str, Any], code: str | None) -> None:
    mw = RedirectGuardMiddleware(crawler())
    request, response = redirect("http://a.example/hop", location, **meta)
    if code is None:
        assert mw.process_response(request, response) is response
        return
    with pytest.raises(RequestRefused) as info:
        mw.process_response(request, response)
    assert info.value.reason_code == code


def test_scrapy_strips_cookie_and_authorization_on_cross_host_redirect() -> None:
    """Scrapy 2.19 does this already; we rely on it (and add the cross-port case)."""
    from scrapy.downloadermiddlewares.redirect import RedirectMiddleware

    c = crawler()
    mw = RedirectMiddleware.from_crawler(c)
    request = Request(
        "https://a.example/x", headers={"Cookie": "s=1", "Authorization": "Basic dTpw"}
    )
    response = Response(
        "https://a.example/x",
        status=302,
        headers={"Location": "https://b.example/y"},
        request=request,
    )
    hop = mw.process_response(request, response)
    assert isinstance(hop, Request)
    assert b"Cookie" not in hop.headers and b"Authorization" not in hop.headers


def test_origin_of() -> None:
    assert origin_of("http://a.example/x") == ("http", "a.example", 80)
    assert origin_of("http://a.example:80/") == origin_of("http://A.example/")
    assert origin_of("https://a.example/") != origin_of("http://a.example/")
    assert origin_of("http://a.example:8080/") != origin_of("http://a.example/")


def test_circuit_breaker_opens_after_consecutive_5xx_and_a_success_resets() -> None:
    mw = HostCircuitBreakerMiddleware(crawler(NEWSSPIDER_CIRCUIT_THRESHOLD=3))
    req = Request("http://storm.example/a")
    other = Request("http://calm.example/a")
    for status in (503, 500, 200, 502, 503):  # the 200 resets the count
        mw.process_response(req, Response(req.url, status=status))
    assert mw.process_request(req) is None
    mw.process_response(req, Response(req.url, status=504))  # 3 in a row
    with pytest.raises(RequestRefused) as info:
        mw.process_request(req)
    assert info.value.reason_code == "circuit_open"
    assert mw.process_request(other) is None  # other hosts unaffected
    mw.open_until["storm.example"] = 0  # cool-down over: one request may try
    assert mw.process_request(req) is None


@pytest.mark.e2e
def test_file_url_outside_the_demo_is_a_reject_not_a_read(tmp_path: Path) -> None:
    result = run_crawl(
        "article",
        tmp_path,
        "url=file:///etc/passwd",
        settings={"NEWSSPIDER_STATE_DIR": str(tmp_path / "state")},
        run_id="file-guard",
        timeout=120,
    )
    # nothing fetched: a failed run (exit 4), and the refusal names the setting that allows it
    assert result.returncode == 4, result.log[-2000:]
    assert "Traceback" not in result.log
    rejects = (result.run_dir / "rejects.jsonl").read_text(encoding="utf-8")
    assert '"fetch_file_outside_demo"' in rejects
    assert "NEWSSPIDER_FILE_ROOTS" in rejects
    assert "root:" not in (result.run_dir / "articles.jsonl").read_text(encoding="utf-8")
