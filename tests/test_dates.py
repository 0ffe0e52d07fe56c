"""The one date module (newsspider.dates): parametrized tables."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from newsspider.dates import (
    NO_DATE,
    ZONE_ABBREVIATIONS,
    ParsedDate,
    is_iso_datetime,
    parse_date,
    parse_datetime,
    parse_http_date,
    parse_instant,
    solar_hijri_to_gregorian,
    zone_named,
)
from tests.conftest import run_python

DEMO_ARTICLE = Path(__file__).parents[1] / "newsspider" / "demo_site" / "politics/article/1001.html"

NOW = datetime(2026, 2, 21, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("text", "default_tz", "expected", "assumed"),
    [
        ("2026-02-21T09:05:00+09:00", None, "2026-02-21T09:05:00+09:00", False),
        ("2026-02-21T00:05:00Z", None, "2026-02-21T00:05:00+00:00", False),
        ("2026-02-21T00:05:00.123-0500", None, "2026-02-21T00:05:00-05:00", False),
        ("Feb. 21, 2026 9:05 AM KST", None, "2026-02-21T09:05:00+09:00", False),
        ("Feb. 21, 2026 9:05 PM EST", None, "2026-02-21T21:05:00-05:00", False),
        ("Sat, 21 Feb 2026 09:05:00 GMT", None, "2026-02-21T09:05:00+00:00", False),
        ("2026-02-21 09:05", "Asia/Seoul", "2026-02-21T09:05:00+09:00", True),
        # no zone in the text and no site zone: the day is known, the instant is not
        ("2026-02-21 09:05", None, "2026-02-21", False),
        ("2026-02-21", "Asia/Seoul", "2026-02-21", False),
        ("21/02/2026", None, "2026-02-21", False),
        ("02/21/2026", None, "2026-02-21", False),
        ("03/04/2026", None, "2026-04-03", False),
        ("Saturday, February 21, 2026", None, "2026-02-21", False),
        ("21st February 2026", None, "2026-02-21", False),
        ("2026년 2월 21일 09:05", "Asia/Seoul", "2026-02-21T09:05:00+09:00", True),
        ("2026.02.21 09:05", "Asia/Seoul", "2026-02-21T09:05:00+09:00", True),
        ("3 hours ago", None, "2026-02-21T09:00:00+00:00", False),
        ("yesterday", None, "2026-02-20", False),
        ("2 days ago", None, "2026-02-19", False),
        ("20260221", None, "2026-02-21", False),
        ("9:05 AM EST, Feb 21, 2026", None, "2026-02-21T09:05:00-05:00", False),
        ("3시간 전", None, "2026-02-21T09:00:00+00:00", False),
        ("5 min ago", None, "2026-02-21T11:55:00+00:00", False),
        ("2026年2月21日", None, "2026-02-21", False),
        ("garbage", None, None, False),
        ("", None, None, False),
        ("2026-13-45", None, None, False),
        ("99/99/9999", None, None, False),
        ("\x00\xff\ufffd", None, None, False),
    ],
)
def test_parse_datetime_table(
    text: str, default_tz: str | None, expected: str | None, assumed: bool
) -> None:
    assert parse_datetime(text, default_tz=default_tz, now=NOW) == (expected, assumed)


def test_relative_needs_now() -> None:
    assert parse_datetime("3 hours ago") == (None, False)


def test_unknown_default_tz_is_ignored() -> None:
    assert parse_datetime("2026-02-21 09:05", default_tz="Not/AZone") == ("2026-02-21", False)


def test_never_raises_on_non_strings() -> None:
    assert parse_datetime(None) == (None, False)  # type: ignore[arg-type]
    assert parse_datetime("9" * 10000) == (None, False)


@pytest.mark.parametrize(
    ("text", "dayfirst", "expected"),
    [
        ("03/04/2026", None, "2026-04-03"),
        ("03/04/2026", True, "2026-04-03"),
        ("03/04/2026", False, "2026-03-04"),
        ("8/27/2025", True, "2025-08-27"),  # only one valid reading, whatever the hint
        ("27/8/2025", False, "2025-08-27"),
        ("2023 Jan 7", None, "2023-01-07"),
        ("2024 Jun 30", None, "2024-06-30"),
    ],
)
def test_parse_datetime_dayfirst_and_year_month_name(
    text: str, dayfirst: bool | None, expected: str
) -> None:
    assert parse_datetime(text, dayfirst=dayfirst) == (expected, False)


# --------------------------------------------------------------------------- languages

# (language, text as that language prints it, site zone, expected). Relative forms resolve
# against NOW (2026-02-21 12:00 UTC); a relative time is given in the site's zone.
LANGUAGE_TABLE = [
    ("en", "Published February 5, 2026 at 3:30 PM", None, "2026-02-05"),
    ("en", "2 days ago", None, "2026-02-19"),
    ("es", "5 de junio de 2026", None, "2026-06-05"),
    ("es", "hace 2 días", None, "2026-02-19"),
    ("fr", "5 juin 2026", None, "2026-06-05"),
    ("fr", "Publié le 5 juin 2026 à 10h30", "Europe/Paris", "2026-06-05T10:30:00+02:00"),
    ("fr", "il y a 3 heures", "Europe/Paris", "2026-02-21T10:00:00+01:00"),
    ("de", "21. Februar 2026", None, "2026-02-21"),
    ("de", "vor 3 Stunden", "Europe/Berlin", "2026-02-21T10:00:00+01:00"),
    ("de", "gestern", None, "2026-02-20"),
    ("pt", "21 de fevereiro de 2026", None, "2026-02-21"),
    ("pt", "há 2 dias", None, "2026-02-19"),
    ("it", "21 febbraio 2026", None, "2026-02-21"),
    ("it", "3 ore fa", "Europe/Rome", "2026-02-21T10:00:00+01:00"),
    ("ru", "21 февраля 2026", None, "2026-02-21"),
    ("ru", "3 часа назад", "Europe/Moscow", "2026-02-21T12:00:00+03:00"),
    ("ar", "21 فبراير 2026", None, "2026-02-21"),
    ("zh", "2026年2月21日", None, "2026-02-21"),
    ("zh", "3小时前", "Asia/Shanghai", "2026-02-21T17:00:00+08:00"),
    ("ja", "2026年2月21日 午後5時30分", "Asia/Tokyo", "2026-02-21T17:30:00+09:00"),
    ("ja", "3時間前", "Asia/Tokyo", "2026-02-21T18:00:00+09:00"),
    ("ko", "2026년 2월 21일 오후 5:00", "Asia/Seoul", "2026-02-21T17:00:00+09:00"),
    ("ko", "3시간 전", "Asia/Seoul", "2026-02-21T18:00:00+09:00"),
    ("hi", "21 फ़रवरी 2026", None, "2026-02-21"),
    ("tr", "21 Şubat 2026 14:30", "Europe/Istanbul", "2026-02-21T14:30:00+03:00"),
    ("nl", "21 februari 2026", None, "2026-02-21"),
    ("pl", "21 lutego 2026", None, "2026-02-21"),
    ("id", "21 Februari 2026", None, "2026-02-21"),
    ("vi", "21 tháng 2 năm 2026", None, "2026-02-21"),
    ("sv", "21 februari 2026", None, "2026-02-21"),
    ("uk", "21 лютого 2026", None, "2026-02-21"),
    ("fa", "۲۱ فوریه ۲۰۲۶", None, "2026-02-21"),
    # Thai counts years in the Buddhist era (2569 = 2026)
    ("th", "21 ก.พ. 2569", None, "2026-02-21"),
    ("th", "21 กุมภาพันธ์ 2569 17:00 น.", "Asia/Bangkok", "2026-02-21T17:00:00+07:00"),
    ("th", "3 ชั่วโมงที่แล้ว", "Asia/Bangkok", "2026-02-21T16:00:00+07:00"),
]


@pytest.mark.parametrize(("language", "text", "zone", "expected"), LANGUAGE_TABLE)
def test_languages(language: str, text: str, zone: str | None, expected: str) -> None:
    parsed = parse_date(text, default_tz=zone, now=NOW, language=language)
    assert parsed.value == expected
    assert parsed.raw == text


@pytest.mark.parametrize(("language", "text", "zone", "expected"), LANGUAGE_TABLE[::4])
def test_languages_without_the_language_hint(
    language: str, text: str, zone: str | None, expected: str
) -> None:
    assert parse_date(text, default_tz=zone, now=NOW).value == expected


# Calendars and conventions of the news languages that dateparser does not read on its own
# (language, text, site zone, expected); each row fails without its rule in newsspider/dates.py
OTHER_CALENDARS = [
    # Iran: Solar Hijri dates, month names and numeric, Persian digits (1 Esfand 1404 = 20 Feb)
    ("fa", "۲ اسفند ۱۴۰۴", None, "2026-02-21"),
    ("fa", "شنبه ۲ اسفند ۱۴۰۴ ساعت ۱۸:۱۰", "Asia/Tehran", "2026-02-21T18:10:00+03:30"),
    ("fa", "۱۴۰۴/۱۲/۰۲ - ۱۸:۱۰", "Asia/Tehran", "2026-02-21T18:10:00+03:30"),
    ("fa", "1404/12/02", None, "2026-02-21"),
    ("fa", "۱ فروردين ۱۴۰۴", None, "2025-03-21"),  # Arabic yeh, as some keyboards type it
    # Afghanistan: the same calendar with zodiac month names (Dari)
    ("fa", "۲ حوت ۱۴۰۴", None, "2026-02-21"),
    # Levant and Iraq: Syriac month names, alone or paired with the Egyptian ones
    ("ar", "21 شباط 2026", None, "2026-02-21"),
    ("ar", "21 كانون الثاني 2026", None, "2026-01-21"),
    ("ar", "3 تشرين الأول 2025", None, "2025-10-03"),
    ("ar", "21 فبراير/شباط 2026 10:30", "Asia/Damascus", "2026-02-21T10:30:00+03:00"),
    # Arabic-Indic digits in a numeric date
    ("ar", "٢٠٢٦/٠٢/٢١", None, "2026-02-21"),
    # Hebrew sites print day.month.two-digit-year
    ("he", "21.02.26, 18:10", "Asia/Jerusalem", "2026-02-21T18:10:00+02:00"),
    # Thai: a month abbreviation and a two-digit Buddhist-era year (69 = 2569 BE)
    ("th", "21 ก.พ. 69", None, "2026-02-21"),
    # Japanese era and Republic of China years (元年 = the first year)
    ("ja", "令和8年2月21日", None, "2026-02-21"),
    ("ja", "令和元年5月1日", None, "2019-05-01"),
    ("zh-TW", "民國115年2月21日", None, "2026-02-21"),
]


@pytest.mark.parametrize(("language", "text", "zone", "expected"), OTHER_CALENDARS)
def test_other_calendars(language: str, text: str, zone: str | None, expected: str) -> None:
    assert parse_date(text, default_tz=zone, language=language).value == expected
    assert parse_date(text, default_tz=zone).value == expected  # no language hint needed


def test_solar_hijri_days() -> None:
    # Nowruz, a leap-year end, the revolution's anniversary (22 Bahman 1357 = 11 Feb 1979)
    assert solar_hijri_to_gregorian(1403, 1, 1).isoformat() == "2024-03-20"
    assert solar_hijri_to_gregorian(1404, 1, 1).isoformat() == "2025-03-21"
    assert solar_hijri_to_gregorian(1403, 12, 30).isoformat() == "2025-03-20"
    assert solar_hijri_to_gregorian(1357, 11, 22).isoformat() == "1979-02-11"
    assert solar_hijri_to_gregorian(1402, 10, 10).isoformat() == "2023-12-31"
    for bad in ((1404, 12, 30), (1404, 7, 31), (1404, 13, 1)):
        with pytest.raises(ValueError, match="no such Solar Hijri date"):
            solar_hijri_to_gregorian(*bad)
    assert parse_date("1404/12/30").value is None


# the script names the language for dateparser when the page declares none
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("21 בפברואר 2026", "2026-02-21"),
        ("২১ ফেব্রুয়ারি ২০২৬", "2026-02-21"),
        ("21 Φεβρουαρίου 2026", "2026-02-21"),
        ("21 பிப்ரவரி 2026", "2026-02-21"),
        ("21 فروری 2026", "2026-02-21"),  # Urdu
    ],
)
def test_script_names_the_language(text: str, expected: str) -> None:
    assert parse_date(text).value == expected


@pytest.mark.parametrize("text", ["vor 3 Stunden", "hace 2 días", "gestern", "3時間前", "5 juin"])
def test_relative_and_yearless_dates_need_the_crawl_time(text: str) -> None:
    # never the machine clock: without now, nothing
    assert parse_date(text).value is None
    assert parse_date(text).raw == text


# --------------------------------------------------------------------------- zones


@pytest.mark.parametrize(
    ("text", "default_tz", "expected", "assumed"),
    [
        # an explicit zone always beats the site's (issue 9, bug 4: was 14 h off)
        ("2026-06-05 10:00 EST", "Asia/Seoul", "2026-06-05T10:00:00-04:00", False),
        ("2026-06-05 10:00 UTC", "Asia/Seoul", "2026-06-05T10:00:00+00:00", False),
        ("2026-06-05T10:00 (KST)", "America/New_York", "2026-06-05T10:00:00+09:00", False),
        # abbreviations follow the zone's daylight-saving rules
        ("June 5, 2026 10:00 AM ET", None, "2026-06-05T10:00:00-04:00", False),
        ("January 5, 2026 10:00 AM ET", None, "2026-01-05T10:00:00-05:00", False),
        ("June 5, 2026 10:00 AM PT", None, "2026-06-05T10:00:00-07:00", False),
        ("January 5, 2026 10:00 AM PT", None, "2026-01-05T10:00:00-08:00", False),
        ("5 June 2026 10:00 CEST", None, "2026-06-05T10:00:00+02:00", False),
        ("5 January 2026 10:00 CET", None, "2026-01-05T10:00:00+01:00", False),
        ("5 June 2026 10:00 BST", None, "2026-06-05T10:00:00+01:00", False),
        ("2026-02-21 06:40 KST", None, "2026-02-21T06:40:00+09:00", False),
        ("2026-02-21 06:40 UTC+9", None, "2026-02-21T06:40:00+09:00", False),
        # no zone: the site's, flagged; naive without a site zone keeps the day only
        ("2026-06-05T10:00", "Europe/Berlin", "2026-06-05T10:00:00+02:00", True),
        ("2026-06-05T10:00", None, "2026-06-05", False),
        # one output format: seconds precision, microseconds dropped
        ("2026-02-21T06:40:00.987654+09:00", None, "2026-02-21T06:40:00+09:00", False),
        ("2026-02-21T06:40:00.5Z", None, "2026-02-21T06:40:00+00:00", False),
    ],
)
def test_zones(text: str, default_tz: str | None, expected: str, assumed: bool) -> None:
    parsed = parse_date(text, default_tz=default_tz)
    assert (parsed.value, parsed.tz_assumed) == (expected, assumed)


def test_every_abbreviation_is_a_real_zone() -> None:
    for abbreviation in ZONE_ABBREVIATIONS:
        assert zone_named(abbreviation) is not None, abbreviation


def test_unreadable_text_keeps_its_raw_group() -> None:
    parsed = parse_date("  sometime soon ", source="profile")
    assert parsed == ParsedDate(value=None, raw="sometime soon", tz_assumed=None, source="profile")
    assert parse_date(None) == parse_date("   ") == NO_DATE


# --------------------------------------------------------------------------- layers agree


@pytest.mark.parametrize(
    "text",
    [
        "2026-02-21 06:40 KST",
        "2026-02-21 06:40",
        "2026-02-21 06:40:30 +09:00",
        "2026-02-21T06:40:00.123456+09:00",
        "2026-02-21 06:40 UTC",
    ],
)
def test_profile_and_generic_layers_agree(text: str) -> None:
    # issue 9, bug 2: the same text gave different tz_assumed / microseconds per layer
    from newsspider.extract import extract_article
    from newsspider.pages.news1global import TIMEZONE, parse_iso_time, parse_printed_time

    generic = parse_date(text, default_tz=TIMEZONE)
    assert generic.value and "." not in generic.value
    if " " in text:
        assert parse_printed_time(text) == (generic.value, generic.tz_assumed)
    assert parse_iso_time(text) == (generic.value, generic.tz_assumed)
    page = (
        "<html lang='en'><head><meta property='article:published_time' "
        f"content='{text}'></head><body><h1>A headline about something</h1>"
        f"<p>{'Body text of the article goes on. ' * 20}</p></body></html>"
    )
    data = extract_article(page, "https://ex.com/a", default_tz=TIMEZONE)
    assert (data["published_at"], data["published_at_tz_assumed"]) == (
        generic.value,
        generic.tz_assumed,
    )


# --------------------------------------------------------------------------- other readers


def test_parse_instant() -> None:
    assert parse_instant("2026-02-21T00:05:00Z") == datetime(2026, 2, 21, 0, 5, tzinfo=UTC)
    assert parse_instant("2026-02-21T00:05:00").tzinfo is UTC
    with pytest.raises(ValueError, match="not an ISO 8601 time: 'soon'"):
        parse_instant("soon")


@pytest.mark.parametrize(
    ("text", "ok"),
    [
        ("2026-02-21", True),
        ("2026-02-21T09:05:00+09:00", True),
        ("2026-02-21T09:05", True),
        ("2026-02-21T09:05:00Z", True),
        ("2026-02-30", False),
        ("21/02/2026", False),
        ("2026-02-21T09:05:00+25:00", False),
        ("yesterday", False),
    ],
)
def test_is_iso_datetime(text: str, ok: bool) -> None:
    assert is_iso_datetime(text) is ok


def test_profile_path_does_not_import_dateparser() -> None:
    # dateparser is slow to import; the profile's fast path must never load it
    code = (
        "import sys; from pathlib import Path\n"
        "from newsspider.pages.news1global import ArticlePage\n"
        f"html = Path({str(DEMO_ARTICLE)!r}).read_text(encoding='utf-8')\n"
        "url = 'https://www.news1global.com/politics/article/1001.html'\n"
        "a = ArticlePage(url, html).article()\n"
        "assert a.published_at == '2026-02-21T06:40:00+09:00', a.published_at\n"
        "print('dateparser' in sys.modules)\n"
    )
    assert run_python(code).strip() == "False"


def test_importing_dates_compiles_no_expression_until_one_is_used() -> None:
    # every crawling process imports this module; an unchanged recrawl reads no printed date
    code = (
        "import re, sys\n"
        "compiled = []\n"
        "compile = re.compile\n"
        "def counting(*args, **kwargs):\n"
        "    compiled.append(sys._getframe(1).f_code.co_filename)\n"
        "    return compile(*args, **kwargs)\n"
        "re.compile = counting\n"
        "import newsspider.dates as dates\n"
        "on_import = sum(f == dates.__file__ for f in compiled)\n"
        "value = dates.parse_date('21 February 2026, 18:10').value\n"
        "print(on_import, sum(f == dates.__file__ for f in compiled), value)\n"
    )
    on_import, after_use, value = run_python(code).split()
    assert (int(on_import), value) == (0, "2026-02-21")
    assert int(after_use) > 0  # compiled on first use, by the pattern's own first call


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Sat, 21 Feb 2026 00:05:00 GMT", datetime(2026, 2, 21, 0, 5, tzinfo=UTC)),
        ("Sat, 21 Feb 2026 09:05:00 +0900", datetime(2026, 2, 21, 0, 5, tzinfo=UTC)),
        ("soon", None),
        ("", None),
    ],
)
def test_parse_http_date(text: str, expected: datetime | None) -> None:
    assert parse_http_date(text) == expected
