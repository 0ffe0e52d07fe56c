"""Bad input must never crash or hang extract_article / find_article_links."""

from __future__ import annotations

import os

import pytest

from newsspider.extract import extract_article, find_article_links
from newsspider.extract.html import MAX_BYTES, decode_html

URL = "https://news.example/a/1"
PARA = "<p>" + "The council approved the new budget after a long debate on Tuesday. " * 3 + "</p>"


def _check_shape(r: dict[str, object]) -> None:
    assert isinstance(r["warnings"], list)
    assert isinstance(r["authors"], list)
    for value in r.values():
        assert value != ""


@pytest.mark.parametrize("html", ["", b"", "   ", "\n\n"])
def test_empty(html: str | bytes) -> None:
    r = extract_article(html, URL)
    _check_shape(r)
    assert r["body"] is None and r["headline"] is None
    assert r["warnings"]
    assert find_article_links(html, URL) == []


def test_non_html_text() -> None:
    r = extract_article("just some plain words, not html at all", URL)
    _check_shape(r)
    assert r["headline"] is None


def test_binary_garbage() -> None:
    junk = os.urandom(200_000)
    r = extract_article(junk, URL)
    _check_shape(r)
    assert "binary content" in r["warnings"]
    assert r["body"] is None
    assert find_article_links(junk, URL) == []


def test_huge_page_is_truncated() -> None:
    """A 20 MB page is cut at 5 MB before parsing, so the work is bounded (its cost is
    measured by benchmarks/extraction_cost.py, not timed here)."""
    html = "<html><body><h1>Big page headline here</h1>" + PARA * 100_000 + "</body></html>"
    assert len(html) > 20 * 1024 * 1024
    r = extract_article(html, URL)
    _check_shape(r)
    assert any("truncated" in w for w in r["warnings"])
    assert r["body"] is not None
    assert "The council approved the new budget" in r["body"]
    assert len(r["body"]) <= MAX_BYTES


def test_decode_truncates_bytes() -> None:
    warnings: list[str] = []
    text = decode_html(b"a" * (MAX_BYTES + 10), warnings)
    assert len(text) == MAX_BYTES
    assert warnings == ["html too large, truncated at 5 MB"]


def test_deeply_nested_dom_does_not_recurse() -> None:
    depth = 5000
    html = (
        "<html><body>"
        + "<div>" * depth
        + PARA
        + "</div>" * depth
        + "<p>Tail paragraph that follows the deep nest and is long enough to be text.</p>"
        + "</body></html>"
    )
    r = extract_article(html, URL)
    _check_shape(r)
    links = find_article_links(
        "<div>" * depth + '<a href="/news/2026/02/21/x-y-z-w">' + "</a>", URL
    )
    assert isinstance(links, list)


def test_deep_inline_nesting() -> None:
    html = "<html><body>" + "<span><b><i>" * 3000 + "Deep text" + "</i></b></span>" * 3000
    r = extract_article(html + PARA + "</body></html>", URL)
    _check_shape(r)


def test_bom_wins_over_meta() -> None:
    html = '\ufeff<html><head><meta charset="iso-8859-1"><title>Café</title></head></html>'
    r = extract_article(html.encode("utf-8"), URL)
    assert r["headline"] == "Café"


@pytest.mark.parametrize("charset", ["euc-kr", "EUC-KR", "cp949", "ks_c_5601-1987"])
def test_declared_korean_charset(charset: str) -> None:
    title = "서울 시장 선거 결과 발표"
    body = "<p>" + "서울시는 오늘 새로운 예산안을 발표했다. 시민들의 반응은 엇갈렸다. " * 4 + "</p>"
    html = (
        f'<html><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">'
        f"<title>{title}</title></head><body><h1>{title}</h1>{body}</body></html>"
    )
    r = extract_article(html.encode("cp949"), URL)
    assert r["headline"] == title
    assert r["body"] is not None and "서울시는" in r["body"]


def test_wrong_declared_charset_falls_back_to_utf8() -> None:
    html = '<html><head><meta charset="euc-kr"><title>Ünïcödé — “quotes”</title></head></html>'
    warnings: list[str] = []
    text = decode_html(html.encode("utf-8"), warnings)
    assert "Ünïcödé" in text


def test_invalid_utf8_bytes_replaced() -> None:
    html = b"<html><head><title>Bad \xff\xfe bytes here</title></head><body>" + PARA.encode()
    r = extract_article(html + b"</body></html>", URL)
    assert r["headline"] is not None and "bytes here" in r["headline"]


def test_unknown_charset_label() -> None:
    html = b'<html><head><meta charset="x-made-up"><title>Plain title</title></head></html>'
    assert extract_article(html, URL)["headline"] == "Plain title"


def test_broken_json_ld_and_odd_types() -> None:
    html = (
        """<html><head>
    <script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>
    <script type="application/ld+json">[1, "x", null, {"@type": 5, "author": {"name": 7}}]</script>
    <script type="application/ld+json">{"@type":"Article","author":[null,{"name":["A"]}],
      "datePublished":{"@value":"2026-02-21"},"image":[null],"keywords":[1,"k"]}</script>
    <meta property="article:published_time" content="not a date">
    </head><body>"""
        + PARA
        + "</body></html>"
    )
    r = extract_article(html, URL)
    _check_shape(r)
    assert r["body"] is not None


def test_none_like_url() -> None:
    r = extract_article("<html><body>" + PARA + "</body></html>", "")
    _check_shape(r)
    assert r["body"] is not None


def test_undeclared_page_with_a_few_windows_1252_bytes() -> None:
    """An old page without a charset whose only non-ASCII characters are a few curly quotes,
    dashes and accents in windows-1252 (too few to detect) reads as windows-1252, as a
    browser falls back to, not as UTF-8 with replacement characters."""
    html = (
        "<html><body><article><h1>Harbor ferry</h1><p>The board\x92s vote \x97 a caf\xe9 owner "
        "on the pier said the boats were empty on most winter mornings last year.</p>"
        "<p>The new timetable will be posted at both landings next week, the board said.</p>"
        "</article></body></html>"
    ).encode("latin-1")
    body = extract_article(html, "https://example.org/a")["body"]
    assert body is not None
    assert "The board\u2019s vote \u2014 a caf\u00e9 owner" in body


def test_undeclared_utf8_page_with_one_broken_sequence_stays_utf8() -> None:
    """A UTF-8 page cut inside a character (one broken sequence beside valid ones) stays UTF-8."""
    html = (
        "<html><body><article><p>Le caf\u00e9 du port ouvre a six heures, a dit le "
        "patron, et ferme tard le soir pendant tout le mois de juillet.</p></article>"
        "</body></html>"
    ).encode("utf-8") + b"\xe2\x80"
    body = extract_article(html, "https://example.org/a")["body"]
    assert body is not None
    assert "Le caf\u00e9 du port ouvre a six heures" in body
