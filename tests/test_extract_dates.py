"""Which date of a page is its publication date (extraction: finding and ranking candidates)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newsspider.extract import extract_article
from newsspider.extract.dates import date_label

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


# --------------------------------------------------------------------------- labels (issue 12)

_OG_AUG8 = "<meta property='article:published_time' content='2025-08-08T00:00:00-04:00'>"
_LD_MAR13 = (
    '<script type=\'application/ld+json\'>{"@type": "NewsArticle", '
    '"datePublished": "2026-03-13T12:00:00Z"}</script>'
)


@pytest.mark.parametrize(
    ("lang", "text", "pos_of", "expected"),
    [
        ("en", "Published on Friday, December 19, 2025", "December", "published"),
        ("en", "Posted Dec 3, 2025", "Dec", "published"),
        ("en", "This article was originally published on 26 Sep 2019", "26", "published"),
        ("en", "Last updated: August 19, 2025", "August", "updated"),
        ("en", "Updated on Jul 4, 2024", "Jul", "updated"),
        ("en", "Updated by Jane Doe Dec 3, 2025", "Dec", None),
        ("en", "Last published Apr 8, 2024", "Apr", None),
        ("en", "Reposted Apr 8, 2024", "Apr", None),
        ("vi", "Đăng lúc 21/02/2026", "21", "published"),
        ("vi", "Cập nhật 22/02/2026", "22", "updated"),
        ("id", "Diperbarui 22 Februari 2026", "22", "updated"),
        ("pl", "Opublikowano: 21.02.2026", "21", "published"),
        ("en", "By Jane Doe · December 3, 2025", "December", None),
        ("fr", "Publié le 5 juin 2026", "5", "published"),
        ("fr", "Mis à jour le 6 juin 2026", "6", "updated"),
        ("de", "Veröffentlicht am 21. Februar 2026", "21", "published"),
        ("de", "Zuletzt aktualisiert am 22. Februar 2026", "22", "updated"),
        ("es", "Actualizado: 22 de febrero de 2026", "22", "updated"),
        ("pt", "Publicado em 21/02/2026", "21", "published"),
        ("it", "Aggiornato il 22 febbraio 2026", "22", "updated"),
        ("ko", "입력 2026.02.21 09:05", "2026", "published"),
        ("ko", "수정 2026.02.22 10:00", "2026", "updated"),
        ("zh", "发布时间：2026年2月21日", "2026", "published"),
        ("zh", "更新：2026年2月22日", "2026", "updated"),
        ("ja", "公開日 2026年2月21日", "2026", "published"),
        ("ru", "Опубликовано: 21 февраля 2026", "21", "published"),
        ("ru", "Обновлено: 22 февраля 2026", "22", "updated"),
        ("nl", "Bijgewerkt op 22 februari 2026", "22", "updated"),
        ("tr", "Güncellenme: 22 Şubat 2026", "22", "updated"),
        # more news languages (set D): Hebrew, Persian, Greek, Romanian, Czech, Hungarian,
        # Croatian, Bulgarian, Thai, Bengali, Urdu, Swahili
        ("he", "פורסם: 21.02.26, 18:10", "21", "published"),
        ("he", "עודכן: 22.02.26, 10:00", "22", "updated"),
        ("fa", "تاریخ انتشار: 1404/12/02", "1404", "published"),
        ("fa", "منتشر شده در 1404/12/02", "1404", "published"),
        ("fa", "به‌روزرسانی: 1404/12/03", "1404", "updated"),
        ("el", "Δημοσιεύθηκε: 21 Φεβρουαρίου 2026", "21", "published"),
        ("el", "Ενημερώθηκε: 22 Φεβρουαρίου 2026", "22", "updated"),
        ("ro", "Publicat: 21 februarie 2026", "21", "published"),
        ("ro", "Actualizat: 22 februarie 2026", "22", "updated"),
        ("cs", "Publikováno: 21. února 2026", "21", "published"),
        ("cs", "Aktualizováno: 22. února 2026", "22", "updated"),
        ("hu", "Publikálva: 2026. február 21.", "2026", "published"),
        ("hu", "Frissítve: 2026. február 22.", "2026", "updated"),
        ("hr", "Objavljeno: 21.02.2026.", "21", "published"),
        ("hr", "Ažurirano: 22.02.2026.", "22", "updated"),
        ("bg", "Публикувано: 21 февруари 2026", "21", "published"),
        ("bg", "Обновено: 22 февруари 2026", "22", "updated"),
        ("th", "เผยแพร่: 21 ก.พ. 2569", "21", "published"),
        ("th", "ปรับปรุงล่าสุด: 22 ก.พ. 2569", "22", "updated"),
        ("bn", "প্রকাশ: ২১ ফেব্রুয়ারি ২০২৬", "২১", "published"),
        ("bn", "আপডেট: ২২ ফেব্রুয়ারি ২০২৬", "২২", "updated"),
        ("ur", "شائع: 21 فروری 2026", "21", "published"),
        ("sw", "Imechapishwa: 21 Februari 2026", "21", "published"),
    ],
)
def test_date_label(lang: str, text: str, pos_of: str, expected: str | None) -> None:
    assert date_label(text, text.index(pos_of)) == expected, lang


@pytest.mark.parametrize(
    ("head", "body", "expected"),
    [
        # a date the page labels as published beats an unprinted OpenGraph time
        (_OG_AUG8, "<p>Published <time pubdate>August 13, 2025</time></p>", "2025-08-13"),
        # ... in the page's own words too
        (_OG_AUG8, "<p>Veröffentlicht am 13.08.2025</p>", "2025-08-13"),
        # within a day of the OpenGraph time it is the same moment: the tag keeps its time
        (_OG_AUG8, "<p>Published: August 9, 2025</p>", "2025-08-08T00:00:00-04:00"),
        # "Published on …" repeated on the cards of related articles is not the page's date
        (
            _OG_AUG8,
            "<p>"
            + "Filler text of the article. " * 40
            + "</p>"
            + "<div>Published on March 1, 2024</div>" * 3,
            "2025-08-08",
        ),
        # a pair: the date printed first is the publication, the one labelled updated is not
        (
            "<meta property='article:published_time' content='2025-12-07T13:33:15+00:00'>",
            "<p class='date'>December 3, 2025. <i>Updated: December 7, 2025</i></p>",
            "2025-12-03",
        ),
        # an OpenGraph time not printed: a JSON-LD date printed far below (a related
        # article's card) does not beat it
        (
            _OG_AUG8 + _LD_MAR13,
            "<p>" + "Filler text of the article. " * 40 + "</p><div>March 13, 2026</div>",
            "2025-08-08",
        ),
        # ... but a date printed under the headline, far from it, does (a migration date)
        (_OG_AUG8, "<div class='meta'>By Jane Doe · Dec 30, 2013</div>", "2013-12-30"),
        # ... unless it is a day away (the same moment in the site's zone)
        (_OG_AUG8, "<div class='meta'>August 7, 2025</div>", "2025-08-08"),
        # ... or the page calls it an update
        (_OG_AUG8, "<div class='meta'>Last updated: Dec 30, 2025</div>", "2025-08-08"),
    ],
)
def test_published_date_labels(head: str, body: str, expected: str) -> None:
    lang = "de" if "Veröffentlicht" in body else "en"
    html = _page(head, body).replace("lang='en'", f"lang='{lang}'")
    got = extract_article(html, "https://ex.com/a")["published_at"]
    assert got is not None
    assert got[: len(expected)] == expected


def test_time_elements_show_a_month_first_page_and_the_sidebar_above_is_skipped() -> None:
    sidebar = "".join(
        f"<li><a href='/n{i}'>Other news item number {i}</a> "
        f"<time datetime='2025-12-{i:02d}T12:00:00Z'>12/{i:02d}/2025</time></li>"
        for i in range(10, 14)
    )
    html = (
        f"<html lang='en'><body><ul class='news'>{sidebar}</ul>"
        "<h1>Candidate Experience: Consulting Firm or Carrier</h1>"
        "<div><time datetime='2017-03-01T12:00:00Z'>03/01/2017</time> by Agatha Caleo</div>"
        f"<p>{'Body text of the article goes on. ' * 20}</p></body></html>"
    )
    assert extract_article(html, "https://ex.com/a")["published_at"] == "2017-03-01T12:00:00+00:00"


def test_masthead_date_above_the_headline_is_not_the_article_date() -> None:
    html = (
        "<html lang='en'><body><div class='top'>Friday, December 19, 2025</div>"
        "<h1>What are taxes and how do they work</h1><div>The editors 12.12.2025</div>"
        f"<p>{'Body text of the article goes on. ' * 20}</p></body></html>"
    )
    assert extract_article(html, "https://ex.com/a")["published_at"] == "2025-12-12"


def test_published_date_printed_under_the_headline_beats_one_printed_on_cards() -> None:
    head = (
        "<meta name='date' content='March 27, 2025'>"
        '<script type="application/ld+json">[{"@type": "WebPage", '
        '"datePublished": "2026-03-13T12:00:00Z"}]</script>'
    )
    body = (
        "<div>Feature Mar 27, 2025</div><p>" + "Filler text of the article. " * 40 + "</p>"
        "<div>Related story By Someone March 13, 2026</div>"
    )
    assert extract_article(_page(head, body), "https://ex.com/a")["published_at"] == "2025-03-27"


def test_date_published_in_escaped_json_of_a_component_attribute() -> None:
    props = (
        "{&quot;headline&quot;:&quot;A guide&quot;,"
        "&quot;datePublished&quot;:&quot;2025-11-17T09:00:00-05:00&quot;}"
    )
    body = f"<div data-props='{props}'></div>"
    got = extract_article(_page("", body), "https://ex.com/a")
    assert got["published_at"] == "2025-11-17T09:00:00-05:00"
    assert got["sources"]["published_at"] == "structured_data"
    # the escaped data is a last resort: a date the page prints comes first
    printed = extract_article(_page("", body + "<p>Posted March 2, 2024</p>"), "https://ex.com/a")
    assert printed["published_at"] == "2024-03-02"


def test_korean_input_and_edit_stamps() -> None:
    # 입력 (filed) / 수정 (edited): the OpenGraph time of the last edit is not the publication
    head = "<meta property='article:published_time' content='2026-02-22T10:00:00+09:00'>"
    body = "<div class='byline'>홍길동 기자 입력 2026.02.21 09:05 수정 2026.02.22 10:00</div>"
    html = _page(head, body).replace("lang='en'", "lang='ko'")
    got = extract_article(html, "https://ex.kr/a", default_tz="Asia/Seoul")
    assert got["published_at"] == "2026-02-21T09:05:00+09:00"
    assert got["authors"] == ["홍길동"]


# Minified pages: the date line follows the headline's closing tag with no whitespace, so the
# page text read "…articlevor 5 Minuten" and "…article5 minuti fa" and the relative date was
# not found. The text is read with a space at every block boundary; "yesterday"/"today" count
# with a clock time; the relative forms of more languages; dd-mm-yyyy with hyphens.
@pytest.mark.parametrize(
    ("lang", "dated", "expected"),
    [
        ("de", "vor 5 Minuten", "2026-02-21T12:55:00+01:00"),
        ("en", "3 hours ago", "2026-02-21T10:00:00+01:00"),
        ("it", "5 minuti fa", "2026-02-21"),
        ("es", "hace 5 minutos", "2026-02-21"),
        ("fr", "il y a 5 min", "2026-02-21"),
        ("ru", "5 минут назад", "2026-02-21"),
        ("tr", "5 dakika önce", "2026-02-21"),
        ("id", "5 menit yang lalu", "2026-02-21"),
        ("vi", "5 phút trước", "2026-02-21"),
        ("zh", "5分钟前", "2026-02-21"),
        ("ko", "5분 전", "2026-02-21"),
        # relative forms read by dateparser but not found in the page text before
        ("uk", "5 хвилин тому", "2026-02-21"),
        ("ar", "قبل 5 دقائق", "2026-02-21"),
        ("sv", "för 5 minuter sedan", "2026-02-21"),
        ("ro", "acum 5 minute", "2026-02-21"),
        ("el", "πριν από 5 λεπτά", "2026-02-21"),
        ("he", "לפני 5 דקות", "2026-02-21"),
        ("cs", "před 5 minutami", "2026-02-21"),
        ("bn", "৫ মিনিট আগে", "2026-02-21"),
        ("fa", "۵ دقیقه پیش", "2026-02-21"),
        # "yesterday" / "today" with a clock time
        ("en", "Yesterday at 3:15 PM", "2026-02-20"),
        ("fr", "hier à 18h05", "2026-02-20"),
        ("de", "heute, 14:30", "2026-02-21T14:30:00+01:00"),
        ("ru", "вчера, 18:05", "2026-02-20"),
        ("uk", "сьогодні, 14:30", "2026-02-21"),
        ("zh", "昨天 18:05", "2026-02-20"),
        # a day-first date written with hyphens (Vietnam, India, the Netherlands)
        ("vi", "21-02-2026 14:30", "2026-02-21"),
        ("nl", "Gepubliceerd: 20-02-2026", "2026-02-20"),
    ],
)
def test_dates_printed_after_the_headline_of_a_minified_page(
    lang: str, dated: str, expected: str
) -> None:
    data = extract_article(
        _lang_page(lang, dated), "https://ex.com/a", default_tz="Europe/Berlin", now=NOW
    )
    assert data["published_at"] is not None
    assert data["published_at"][: len(expected)] == expected


@pytest.mark.parametrize("prose", ["Yesterday the council met.", "Heute ist ein guter Tag."])
def test_yesterday_or_today_without_a_time_is_not_a_date(prose: str) -> None:
    html = _lang_page("en", prose)
    assert extract_article(html, "https://ex.com/a", now=NOW)["published_at"] is None


def test_the_date_scan_near_digits_finds_what_a_scan_of_every_position_finds() -> None:
    """printed_dates scans only the stretches around digits: the same matches, in order, as
    the patterns' own finditer, on texts with dates at the ends, packed or far apart."""
    from newsspider.extract.dates import _TEXT_DATE, TEXT_DATE_ANY, near_digits

    filler = "The council met again on the matter without a vote. " * 40
    texts = [
        "Published Wednesday, September 5, 2026 at 6:30 p.m. EST" + filler,
        filler + "21. Februar 2026 " + filler + "2026. 2. 21. 오후 5:00",
        "5 juin 2026, 12-03-2025 3/4/2025 2025-01-02 " * 30,
        filler + "1404/12/02 - 令和8年2月21日 - 21 كانون الثاني 2026 - 15 ก.พ. 69",
        "no digits at all " * 50,
        "12025 2026 120261 31.12.2025" + filler + "Jan 5, 2026",
        "",
    ]
    for pattern in (_TEXT_DATE, TEXT_DATE_ANY):
        for text in texts:
            want = [(m.start(), m.group(0)) for m in pattern.finditer(text)]
            got = [(m.start(), m.group(0)) for m in near_digits(pattern, text)]
            assert got == want
    assert [m.group(0) for m in near_digits(_TEXT_DATE, texts[0])] == [
        "September 5, 2026 at 6:30 p.m. EST"
    ]
