"""Table tests for the pure helpers: generic article ids and text cleaning (the canonical
URL rule has its own tables in tests/test_urls.py)."""

from __future__ import annotations

import re

import pytest

from newsspider.text import clean_line, clean_paragraphs, count_words, strip_unsafe
from newsspider.urls import (
    article_id_from_url,
    is_safe_url,
    section_from_url,
    stable_article_id,
)


@pytest.mark.parametrize(
    ("url", "article_id", "section"),
    [
        ("https://www.news1global.com/etc/article/1007", "1007", "etc"),
        ("file:///d/demo_site/politics/article/1001.html", "1001", "politics"),
        ("https://www.news1global.com/north-korea/article/2345/", "2345", "north-korea"),
        ("https://www.news1global.com/etc/", None, None),
        ("https://www.news1global.com/etc/article/abc", None, None),
        (None, None, None),
    ],
)
def test_article_id_and_section(
    url: str | None, article_id: str | None, section: str | None
) -> None:
    assert article_id_from_url(url) == article_id
    assert section_from_url(url) == section


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://x.test/world/article/1006", "1006"),
        ("https://x.test/2026/02/21/seoul-story-1234567", "1234567"),
        ("https://x.test/news/articleView.html?idxno=998877", None),  # query ids: hash
        ("https://x.test/2026/02/21/seoul-story", None),
    ],
)
def test_stable_article_id(url: str, expected: str | None) -> None:
    got = stable_article_id(url)
    if expected is None:
        assert re.fullmatch(r"[0-9a-f]{16}", got), got  # int(got, 16) took "0x…", " 1_2"
        assert stable_article_id(url + "#x") == got  # same page, same id
    else:
        assert got == expected


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://x.test/", True),
        ("http://x.test/", True),
        ("file:///tmp/a.html", True),
        ("javascript:alert(1)", False),
        (" JavaScript:alert(1)", False),
        ("data:text/html,<b>x</b>", False),
        ("mailto:a@b.c", False),
        ("", False),
        (None, False),
    ],
)
def test_is_safe_url(url: str | None, ok: bool) -> None:
    assert is_safe_url(url) is ok


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("  a \t b\n c  ", "a b c"),
        ("\u00a0\u3000", None),
        ("", None),
        (None, None),
        ("a\u2028b", "a b"),
        ("e\u0301", "é"),
        ("x\x00y\x1fz", "xyz"),
        ("\u202eevil", "evil"),
        ("lone\ud800surrogate", "lonesurrogate"),
        ("김민지 “quoted” 🎉", "김민지 “quoted” 🎉"),
    ],
)
def test_clean_line(text: str | None, expected: str | None) -> None:
    assert clean_line(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One.\n\n\n\nTwo.", "One.\n\nTwo."),
        ("One\r\nstill one.\r\n\r\nTwo.", "One still one.\n\nTwo."),
        ("  A  \n \n  B  ", "A\n\nB"),
        ("A\u2029B", "A\n\nB"),
        ("\n\n", None),
    ],
)
def test_clean_paragraphs(text: str, expected: str | None) -> None:
    assert clean_paragraphs(text) == expected


def test_count_words_and_strip_unsafe() -> None:
    assert count_words("Kim Min-ji (김민지) said 3 things.") == 7
    assert count_words(None) == 0
    assert strip_unsafe("\ufeffA\u200fB") == "AB"
