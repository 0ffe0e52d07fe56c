"""ProbingMetaRefreshMiddleware (newsspider/middlewares.py): Scrapy's meta refresh decisions,
without decoding the pages that can't hold one."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scrapy import Request
from scrapy.downloadermiddlewares.redirect import MetaRefreshMiddleware
from scrapy.http import HtmlResponse
from scrapy.utils.response import get_meta_refresh
from scrapy.utils.test import get_crawler

from newsspider.middlewares import ProbingMetaRefreshMiddleware, may_hold_meta_refresh
from tests.conftest import DEMO_SITE

URL = "https://www.news1global.com/etc/article/1007"
REFRESH = '<meta http-equiv="refresh" content="0; url=https://www.news1global.com/moved">'
PAGES = {
    "plain": "<html><head><title>x</title></head><body><p>No redirect.</p></body></html>",
    "refresh": f"<html><head>{REFRESH}</head><body></body></html>",
    "upper": f"<html><head>{REFRESH.upper()}</head></html>",
    "entity": '<html><head><meta http-equiv="&#114;efresh" content="0; url=/moved"></head></html>',
    "hex-entity": '<html><head><meta http-equiv="&#x52;EFRESH" content="0;url=/m"></head>',
    "in-text-only": "<html><body><p>Press refresh to reload.</p></body></html>",
    "other-pragma": '<html><head><meta http-equiv="X-UA-Compatible" content="IE=edge">',
    "ad-config": '<html><div data-x=\'{"refresh": {"seconds": 60}, "url": "/a"}\'></div>',
    "late": "<html><body>" + "<p>padding</p>" * 2000 + REFRESH + "</body></html>",
    "utf8": f"<html><head><meta charset=utf-8>{REFRESH}</head><body>caf\u00e9 \u2014</body></html>",
}


def response_for(html: str, encoding: str = "utf-8", declare: bool = True) -> HtmlResponse:
    headers = {"Content-Type": f"text/html; charset={encoding}"} if declare else {}
    # characters the encoding lacks become character references, as a server would send them
    return HtmlResponse(URL, body=html.encode(encoding, "xmlcharrefreplace"), headers=headers)


def agrees(response: HtmlResponse) -> None:
    """Skipped by the probe => Scrapy finds no refresh in it either."""
    if not may_hold_meta_refresh(response.body, response._declared_encoding()):
        assert get_meta_refresh(response) == (None, None)


@pytest.mark.parametrize("name", list(PAGES))
@pytest.mark.parametrize("encoding", ["utf-8", "utf-16", "cp037", "latin-1"])
@pytest.mark.parametrize("declare", [True, False])
def test_probe_never_skips_a_page_scrapy_would_redirect(
    name: str, encoding: str, declare: bool
) -> None:
    agrees(response_for(PAGES[name], encoding, declare))


def test_probe_skips_plain_pages_and_keeps_the_others() -> None:
    for name in ("plain", "in-text-only", "ad-config"):
        assert not may_hold_meta_refresh(response_for(PAGES[name]).body, "utf-8"), name
    for name in ("refresh", "upper", "entity", "hex-entity", "utf8", "other-pragma"):
        assert may_hold_meta_refresh(response_for(PAGES[name]).body, "utf-8"), name
    utf16 = response_for(PAGES["plain"], "utf-16", declare=False)
    assert may_hold_meta_refresh(utf16.body, None)  # can't tell from the bytes: decode
    for path in sorted((DEMO_SITE / "etc" / "article").glob("*.html"))[:5]:
        assert not may_hold_meta_refresh(Path(path).read_bytes(), "utf-8"), path.name


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from([*"<>=\"'; &#xX0123456789abcdefhRrEeFfSsHhmeta-", "http-equiv"])))
def test_probe_agrees_with_scrapy_on_generated_heads(parts: list[str]) -> None:
    noise = "".join(parts)
    html = f"<html><head>{noise}<meta content='0; url=/a' {noise}>{noise}</head></html>"
    agrees(response_for(html))


@pytest.mark.parametrize("name", ["plain", "refresh", "entity", "late"])
def test_middleware_makes_scrapys_decision(name: str) -> None:
    crawler = get_crawler(settings_dict={"METAREFRESH_ENABLED": True})
    ours = ProbingMetaRefreshMiddleware.from_crawler(crawler)
    theirs = MetaRefreshMiddleware.from_crawler(crawler)
    results = []
    for mw in (ours, theirs):
        request = Request(URL)
        out = mw.process_response(request, response_for(PAGES[name]))
        results.append(out.url if isinstance(out, Request) else ("response", out.url))
    assert results[0] == results[1]
    if name in ("plain", "refresh"):
        assert isinstance(results[0], str) == (name == "refresh")
