"""Which date of a page is its publication date (extraction: finding and ranking candidates)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsspider.extract import extract_article

NOW = datetime(2026, 2, 21, 12, 0, tzinfo=UTC)


def _page(head: str = "", body: str = "") -> str:
    return (
        f"<html lang='en'><head>{head}</head><body><h1>A headline about something</h1>"
        f"{body}<p>{'Body text of the article goes on. ' * 20}</p></body></html>"
    )


_OG_PUB = "<meta property='article:published_time' content='2022-01-03T16:52:00+00:00'>"
_OG_MOD = "<meta property='article:modified_time' content='2025-11-03T06:10:53+00:00'>"
_LD_PUB = (
    '<script type=\'application/ld+json\'>{"@type": "NewsArticle", '
    '"datePublished": "2025-05-19T22:12:02Z", "dateModified": "2025-11-20T16:06:10Z"}'
    "</script>"
)


@pytest.mark.parametrize(
    ("url", "head", "body", "expected"),
    [
        # URL date beats every other signal; the candidate on that day keeps its time
        (
            "https://ex.com/2025/12/18/slug",
            "<meta property='article:published_time' content='2025-12-19T02:41:41+00:00'>",
            "<time datetime='2025-12-18T21:46:01-05:00'>December 18, 2025</time>",
            "2025-12-18T21:46:01-05:00",
        ),
        ("https://ex.com/2025/12/18/slug", "", "", "2025-12-18"),
        # OpenGraph published time: a printed "Updated" date does not replace it
        ("https://ex.com/a", _OG_PUB + _OG_MOD, "<p>Updated November 3, 2025</p>", "2022-01-03"),
        # ... but a printed published date matching it still wins
        ("https://ex.com/a", _OG_PUB + _OG_MOD, "<p>January 3, 2022</p>", "2022-01-03"),
        # JSON-LD datePublished not printed: the date under the headline wins
        ("https://ex.com/a", _LD_PUB, "<p>August 14, 2025</p>", "2025-08-14"),
        # JSON-LD with the modified date printed: dated by it (pages printing "Updated")
        ("https://ex.com/a", _LD_PUB, "<p>Updated Nov 20, 2025</p>", "2025-11-20"),
        # unambiguous month-first dates on the page decide how 8/1/2025 reads
        ("https://ex.com/a", "", "<p>Posted 8/1/2025</p> <p>Edited 8/27/2025</p>", "2025-08-01"),
        ("https://ex.com/a", "", "<p>Posted 8/1/2025</p> <p>Edited 27/8/2025</p>", "2025-01-08"),
        # an ambiguous numeric meta date is read the way the page prints it
        (
            "https://ex.com/a",
            "<meta property='article:published_time' content='03-09-2026'>",
            "<p>March 9, 2026</p>",
            "2026-03-09",
        ),
        # no published date in metadata: a printed <time> beats the printed modified date
        (
            "https://ex.com/a",
            "<meta property='article:modified_time' content='2024-10-28T22:26:10+00:00'>",
            "<time class='entry-time'>April 26, 2024</time> "
            "<time class='entry-modified-time'>Updated on: October 28, 2024</time>",
            "2024-04-26",
        ),
        # an unprinted non-OpenGraph meta date loses to a printed <time>
        (
            "https://ex.com/a",
            "<meta name='dc.date' content='2024-07-05T14:20:08Z'>",
            "<p>" + "Some words before. " * 60 + "</p>"
            "<time datetime='2024-03-01 05:00:00'>March 1, 2024</time>",
            "2024-03-01",
        ),
        # any meta whose name says "published"
        ("https://ex.com/a", "<meta name='published' content='July 17, 2025'>", "", "2025-07-17"),
    ],
)
def test_published_date_selection(url: str, head: str, body: str, expected: str) -> None:
    got = extract_article(_page(head, body), url)["published_at"]
    assert got is not None
    assert got[: len(expected)] == expected


def _lang_page(lang: str, dated: str) -> str:
    return (
        f"<html lang='{lang}'><head></head><body><h1>Un titre assez long pour un article</h1>"
        f"<div class='meta'>{dated}</div><p>{'Le texte de l article continue ici. ' * 20}</p>"
        "</body></html>"
    )


@pytest.mark.parametrize(
    ("lang", "dated", "expected"),
    [
        ("fr", "<span>Publié le 5 juin 2026</span>", "2026-06-05"),
        ("es", "<span>Publicado el 21 de febrero de 2026</span>", "2026-02-21"),
        ("de", "<span>21. Februar 2026, 14:30 Uhr</span>", "2026-02-21"),
        ("ru", "<span>21 февраля 2026</span>", "2026-02-21"),
        ("ko", "<span>입력 2026년 2월 21일 오후 5:00</span>", "2026-02-21"),
        ("ja", "<span>2026年2月21日 17時30分</span>", "2026-02-21"),
        # relative dates resolve against the crawl time passed in, in the site's zone
        ("de", "<time>vor 3 Stunden</time>", "2026-02-21T10:00:00+01:00"),
        ("en", "<time>3 hours ago</time>", "2026-02-21T10:00:00+01:00"),
    ],
)
def test_printed_dates_in_the_page_language(lang: str, dated: str, expected: str) -> None:
    data = extract_article(
        _lang_page(lang, dated), "https://ex.com/a", default_tz="Europe/Berlin", now=NOW
    )
    assert data["published_at"] is not None
    assert data["published_at"][: len(expected)] == expected


def test_relative_date_without_crawl_time_is_not_read_from_the_clock() -> None:
    data = extract_article(_lang_page("de", "<time>vor 3 Stunden</time>"), "https://ex.com/a")
    assert (data["published_at"], data["published_at_tz_assumed"]) == (None, None)
