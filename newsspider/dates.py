"""One home for every date the project reads.

Printed dates on article pages, ISO 8601 declarations (JSON-LD, meta, ``<time datetime>``),
RFC 822 dates in feeds, sitemap ``<lastmod>``, the ``since`` spider argument, validation and
the state store's own stamps all go through this module, so one text always gives one value.

Output format (the same in every layer):

* a date with a time: ISO 8601 with the offset, seconds precision, microseconds dropped:
  ``2026-02-21T09:05:00+09:00``;
* a date without a time (or a time whose zone cannot be known, see below): ``2026-02-21``.

Zones:

* An explicit zone in the text (``+09:00``, ``Z``, ``UTC+9``, ``KST``, ``ET`` …) always beats
  the site's default zone. Abbreviations map to IANA zones (:data:`ZONE_ABBREVIATIONS`) so the
  offset follows the zone's daylight-saving rules on that date: ``10:00 ET`` is ``-04:00`` in
  June and ``-05:00`` in January. ``EST``/``EDT`` (and the other standard/summer pairs) both
  name the zone, because sites print "EST" all year. Ambiguous abbreviations take the reading
  documented next to them (``IST`` = India, ``CST`` = US Central, ``BST`` = British Summer Time).
* A time without a zone takes the site's zone (``default_tz``, an IANA name) and is flagged
  ``tz_assumed=True``. Without a site zone the instant cannot be known: the value is the day
  as printed (``YYYY-MM-DD``) and the raw text keeps the time. A naive date never costs a row.
* Relative dates ("3 hours ago", "vor 3 Stunden", "3시간 전", "hier") resolve against an
  explicit ``now`` (the crawl time) and give nothing without it; nothing here reads the clock.

Speed: ISO 8601, RFC 822 and the common English/CJK/numeric forms are parsed by regular
expressions. Only text those cannot read goes to ``dateparser`` (multilingual, slow, imported
lazily on first use, no downloads), guided by the page language when it is known.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from email.utils import parsedate_to_datetime
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

__all__ = [
    "DATEPARSER_LANGUAGES",
    "NO_DATE",
    "ZONE_ABBREVIATIONS",
    "ParsedDate",
    "day_of",
    "feed_date",
    "format_datetime",
    "is_iso_date",
    "is_iso_datetime",
    "older_than",
    "parse_date",
    "parse_datetime",
    "parse_http_date",
    "parse_instant",
    "parse_since",
    "solar_hijri_to_gregorian",
    "zone_named",
]


@dataclass(frozen=True, slots=True)
class ParsedDate:
    """A date as one group: it moves between layers whole, never field by field."""

    value: str | None = None  # the output format above; None when nothing could be read
    raw: str | None = None  # the text as printed/declared
    tz_assumed: bool | None = None  # True: no zone in the text, the site's zone was used
    source: str | None = None  # profile | structured_data | meta | heuristics

    def with_source(self, source: str | None) -> ParsedDate:
        return replace(self, source=source)


NO_DATE = ParsedDate()


class LazyPattern:
    """``re.compile(pattern, flags)``, done on the first ``match``/``search``/``sub``.

    This module's ~30 expressions took ~17 ms of CPU to compile, most of its import; every
    crawling process imports it (the state's stamps, HTTP dates, validation) and an unchanged
    recrawl reads no printed date at all. The first call compiles the expression and binds
    the compiled pattern's three methods to the instance, so every later call costs what a
    call on the compiled pattern does (an instance attribute, no ``__getattr__``).
    """

    match: Callable[..., re.Match[str] | None]
    search: Callable[..., re.Match[str] | None]
    sub: Callable[..., str]

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._args = (pattern, flags)

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") or name == "_args":  # copy/pickle probes, a missing _args
            raise AttributeError(name)
        compiled = re.compile(*self._args)
        self.match, self.search, self.sub = compiled.match, compiled.search, compiled.sub
        return getattr(compiled, name)


# Abbreviation -> IANA zone. Ambiguous ones: IST is India (not Ireland/Israel), CST is US
# Central (not China: Chinese pages give "+08:00" or "北京时间"), BST is British Summer Time.
ZONE_ABBREVIATIONS: dict[str, str] = {
    "UTC": "UTC",
    "GMT": "UTC",
    "UT": "UTC",
    "Z": "UTC",
    "ET": "America/New_York",
    "EST": "America/New_York",
    "EDT": "America/New_York",
    "CT": "America/Chicago",
    "CST": "America/Chicago",
    "CDT": "America/Chicago",
    "MT": "America/Denver",
    "MST": "America/Denver",
    "MDT": "America/Denver",
    "PT": "America/Los_Angeles",
    "PST": "America/Los_Angeles",
    "PDT": "America/Los_Angeles",
    "AKST": "America/Anchorage",
    "AKDT": "America/Anchorage",
    "HST": "Pacific/Honolulu",
    "BRT": "America/Sao_Paulo",
    "ART": "America/Argentina/Buenos_Aires",
    "WET": "Europe/Lisbon",
    "WEST": "Europe/Lisbon",
    "BST": "Europe/London",
    "CET": "Europe/Berlin",
    "CEST": "Europe/Berlin",
    "MET": "Europe/Berlin",
    "MEST": "Europe/Berlin",
    "EET": "Europe/Athens",
    "EEST": "Europe/Athens",
    "MSK": "Europe/Moscow",
    "TRT": "Europe/Istanbul",
    "SAST": "Africa/Johannesburg",
    "WAT": "Africa/Lagos",
    "EAT": "Africa/Nairobi",
    "IRST": "Asia/Tehran",
    "PKT": "Asia/Karachi",
    "IST": "Asia/Kolkata",
    "ICT": "Asia/Bangkok",
    "WIB": "Asia/Jakarta",
    "HKT": "Asia/Hong_Kong",
    "SGT": "Asia/Singapore",
    "PHT": "Asia/Manila",
    "KST": "Asia/Seoul",
    "JST": "Asia/Tokyo",
    "AWST": "Australia/Perth",
    "ACST": "Australia/Adelaide",
    "ACDT": "Australia/Adelaide",
    "AEST": "Australia/Sydney",
    "AEDT": "Australia/Sydney",
    "NZST": "Pacific/Auckland",
    "NZDT": "Pacific/Auckland",
}

# What dateparser tries when the page language is unknown: the most common news languages.
DATEPARSER_LANGUAGES: tuple[str, ...] = (
    "en", "es", "fr", "de", "pt", "it", "ru", "ar", "zh", "ja",
    "ko", "hi", "tr", "nl", "pl", "id", "vi", "sv", "uk", "fa",
)  # fmt: skip

_MONTHS: dict[str, int] = {}
for _i, _names in enumerate(
    [
        ("january", "jan"),
        ("february", "feb"),
        ("march", "mar"),
        ("april", "apr"),
        ("may",),
        ("june", "jun"),
        ("july", "jul"),
        ("august", "aug"),
        ("september", "sep", "sept"),
        ("october", "oct"),
        ("november", "nov"),
        ("december", "dec"),
    ],
    start=1,
):
    for _n in _names:
        _MONTHS[_n] = _i

_MONTH_RE = (
    r"(?P<mon>jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_AMPM_PRE = r"(?P<pre>오전|오후|上午|下午|午前|午後)?\s*"
_TIME_RE = (
    r"(?:(?:\s*(?:,|at|@|-|\||T|//))?\s*" + _AMPM_PRE + r"(?P<h>\d{1,2})[:h.時时시](?P<mi>\d{2})"
    r"(?::(?P<s>\d{2})(?:\.\d+)?)?\s*(?:分|분)?\s*(?P<ampm>[ap]\.?\s?m\.?(?![a-z]))?)?"
)
_TZ_RE = (
    r"(?:\s*\(?(?P<tz>Z|[+-]\d{2}:?\d{2}|[+-]\d{1,2}(?![\d:])"
    r"|(?:UTC|GMT)\s?[+-]\s?\d{1,2}(?::?\d{2})?|[A-Z]{1,5}T|UTC|GMT|UT|WIB|Z)\)?(?![A-Za-z]))?"
)
_ISO = LazyPattern(
    r"(?P<y>\d{4})-(?P<m>\d{1,2})-(?P<d>\d{1,2})"
    r"(?:(?:T|\s+)(?P<h>\d{1,2}):(?P<mi>\d{2})(?::(?P<s>\d{2})(?:[.,]\d+)?)?)?"
    r"(?:\s*(?P<tz>Z|[+-]\d{2}:?\d{2}|[+-]\d{2}(?!\d))|"
    + _TZ_RE.replace("?P<tz>", "?P<tz2>")
    + ")?",
)
_COMPACT = LazyPattern(
    r"^(?P<y>(?:19|20)\d{2})(?P<m>[01]\d)(?P<d>[0-3]\d)(?:T?(?P<h>\d{2})(?P<mi>\d{2}))?$"
)
_YMD = LazyPattern(
    r"(?P<y>(?:19|20)\d{2})\s*(?:[/.]|년)\s*(?P<m>\d{1,2})\s*(?:[/.]|월)\s*(?P<d>\d{1,2})\s*"
    r"(?:일|\.)?(?:\s*\([^)]{1,4}\))?" + _TIME_RE + _TZ_RE,
    re.IGNORECASE,
)
_CJK = LazyPattern(
    r"(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日(?:\s*[(（][^)）]{1,4}[)）])?"
    + _TIME_RE
    + _TZ_RE
)
_DMY_NUM = LazyPattern(
    r"(?<!\d)(?P<a>\d{1,2})[/.\-](?P<b>\d{1,2})[/.\-](?P<y>\d{4})(?!\d)" + _TIME_RE + _TZ_RE,
    re.IGNORECASE,
)
_MDY = LazyPattern(
    r"\b" + _MONTH_RE + r"\s+(?P<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<y>\d{4})" + _TIME_RE + _TZ_RE,
    re.IGNORECASE,
)
_DMY = LazyPattern(
    r"(?<!\d)(?P<d>\d{1,2})(?:st|nd|rd|th)?\s+(?:of\s+)?\b"
    + _MONTH_RE
    + r",?\s+(?P<y>\d{4})"
    + _TIME_RE
    + _TZ_RE,
    re.IGNORECASE,
)
_YMD_NAME = LazyPattern(
    r"(?<!\d)(?P<y>(?:19|20)\d{2})\s+\b"
    + _MONTH_RE
    + r"\s+(?P<d>\d{1,2})(?!\d)"
    + _TIME_RE
    + _TZ_RE,
    re.IGNORECASE,
)
_TIME_FIRST = LazyPattern(
    r"(?P<h>\d{1,2}):(?P<mi>\d{2})\s*(?P<ampm>[ap]\.?m\.?)?\s*(?P<tz>[A-Z]{2,5})?\s*[,|·-]?\s*\b"
    + _MONTH_RE
    + r"\s+(?P<d>\d{1,2}),?\s+(?P<y>\d{4})",
    re.IGNORECASE,
)
_RELATIVE = LazyPattern(
    r"(?P<n>\d+|an?|one)\s*(?P<unit>sec(?:ond)?s?|min(?:ute)?s?|h(?:ou)?rs?|days?|weeks?"
    r"|months?|years?|초|분|시간|일|주)\s*(?:ago|전)",
    re.IGNORECASE,
)
_LETTERS = LazyPattern(r"[^\W\d_]")
_THAI = LazyPattern(r"[\u0e00-\u0e7f]")
_BUDDHIST_YEAR = LazyPattern(r"(?<!\d)25[0-9]{2}(?!\d)")
_YEAR = LazyPattern(r"\d{4}")
_DIGIT = LazyPattern(r"\d")
_STRICT_ISO = LazyPattern(
    r"^\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:[+-]\d{2}:\d{2}|Z)?)?$"
)
MAX_TEXT = 200


# --------------------------------------------------------------------------- other calendars
# decimal digits of other scripts (Arabic-Indic, Persian, Devanagari, Bengali, Gurmukhi,
# Gujarati, Oriya, Tamil, Telugu, Kannada, Malayalam, Thai, Lao, Myanmar, Khmer, full-width)
# read as ASCII, one to one: "٢٠٢٦/٠٢/٢١" is 2026/02/21
_DIGITS_ASCII = {
    zero + i: str(i)
    for zero in (0x0660, 0x06F0, 0x0966, 0x09E6, 0x0A66, 0x0AE6, 0x0B66, 0x0BE6, 0x0C66,
                 0x0CE6, 0x0D66, 0x0E50, 0x0ED0, 0x1040, 0x17E0, 0xFF10)
    for i in range(10)
}  # fmt: skip
# the Solar Hijri months, as Iran (Persian) and Afghanistan (Dari, zodiac names) print them;
# matched on text with the Arabic letters yeh/kaf folded to their Persian forms
_SOLAR_MONTHS = {
    name: month
    for month, names in enumerate(
        (
            ("فروردین", "حمل"),
            ("اردیبهشت", "ثور"),
            ("خرداد", "جوزا"),
            ("تیر", "سرطان"),
            ("مرداد", "امرداد", "اسد"),
            ("شهریور", "سنبله"),
            ("مهر", "میزان"),
            ("آبان", "عقرب"),
            ("آذر", "قوس"),
            ("دی", "جدی"),
            ("بهمن", "دلو"),
            ("اسفند", "حوت"),
        ),
        start=1,
    )
    for name in names
}
_ARABIC_SCRIPT = LazyPattern(r"[\u0600-\u06ff]")
_PERSIAN_FOLD = {0x064A: 0x06CC, 0x0643: 0x06A9, 0x0649: 0x06CC}
_SOLAR_YEAR = r"(?P<y>1[34]\d{2})(?!\d)"
_SOLAR_NAMED = LazyPattern(
    r"(?<!\d)(?P<d>\d{1,2})\s+(?P<mon>"
    + "|".join(sorted(_SOLAR_MONTHS, key=len, reverse=True))
    + r")(?![^\W\d_])\s*(?:ماه\s*)?,?\s*(?:سال\s*)?"
    + _SOLAR_YEAR
)
_SOLAR_NUM = LazyPattern(
    r"(?<![\d/.\-])" + _SOLAR_YEAR.replace("(?!\\d)", "") + r"\s*[/.\-]\s*(?P<m>\d{1,2})\s*[/.\-]"
    r"\s*(?P<d>\d{1,2})(?![\d/.\-])"
)
_CLOCK_GAP = LazyPattern(r"\s*(?:[-–،,|]|ساعت)?\s*(?=\d{1,2}:\d{2})")
# Levantine and Iraqi month names (Syria, Lebanon, Jordan, Palestine, Iraq), which dateparser
# does not know, perhaps paired with the Egyptian name: "21 شباط 2026", "21 فبراير/شباط 2026"
_LEVANT_MONTHS = (
    r"كانون\s+(?:ال)?ثاني",
    r"شباط",
    r"[آا]ذار",
    r"نيسان",
    r"[أا]يار",
    r"حزيران",
    r"تموز",
    r"[آا]ب",
    r"[أا]يلول",
    r"تشرين\s+(?:ال)?[أا]ول",
    r"تشرين\s+(?:ال)?ثاني",
    r"كانون\s+(?:ال)?[أا]ول",
)
_LEVANT = LazyPattern(
    r"(?<!\d)(?P<d>\d{1,2})\s+(?:[^\W\d_]+\s*/\s*)?(?:"
    + "|".join(f"(?P<m{i}>{name})" for i, name in enumerate(_LEVANT_MONTHS, 1))
    + r")(?![^\W\d_])(?:\s*/\s*[^\W\d_]+)?\s*,?\s+(?P<y>(?:19|20)\d{2})(?!\d)"
)
# Japanese era and Republic of China years: "令和8年2月21日", "民國115年2月21日" (元年 = year 1)
_ERA = LazyPattern(r"(令和|平成|民國|民国)\s*(元|\d{1,3})\s*年")
_ERA_START = {"令和": 2018, "平成": 1988, "民國": 1911, "民国": 1911}
# a Thai month abbreviation with a two-digit Buddhist-era year: "21 ก.พ. 69" is 2569 BE
_THAI_SHORT_YEAR = LazyPattern(r"(?<=[\u0e00-\u0e7f]\.)\s*(\d{2})(?![\d:.])")
# a dotted day-first date with a two-digit year, as Hebrew and German sites print it:
# "21.02.26, 18:10"
_DMY_SHORT = LazyPattern(
    r"(?<![\d.])(?P<a>\d{1,2})\.(?P<b>\d{1,2})\.(?P<y>\d{2})(?![\d.])" + _TIME_RE + _TZ_RE,
    re.IGNORECASE,
)
# scripts that name one language for dateparser when the page declares none
_SCRIPT_LANGUAGES = (
    (0x0590, 0x05FF, "he"),
    (0x0370, 0x03FF, "el"),
    (0x0980, 0x09FF, "bn"),
    (0x0B80, 0x0BFF, "ta"),
    (0x0C00, 0x0C7F, "te"),
    (0x0A80, 0x0AFF, "gu"),
    (0x0A00, 0x0A7F, "pa"),
    (0x0C80, 0x0CFF, "kn"),
    (0x0D00, 0x0D7F, "ml"),
    (0x10A0, 0x10FF, "ka"),
    (0x0530, 0x058F, "hy"),
    (0x1780, 0x17FF, "km"),
    (0x1000, 0x109F, "my"),
)
# Urdu: letters Arabic and Persian lack (ٹ ڈ ڑ ں ھ ہ ے) or an Urdu month name
_URDU = LazyPattern(
    r"[\u0679\u0688\u0691\u06BA\u06BE\u06C1\u06D2]"
    r"|جنوری|فروری|مارچ|اپریل|مئی|جولائی|اگست|ستمبر|اکتوبر|نومبر|دسمبر"
)


def solar_hijri_to_gregorian(year: int, month: int, day: int) -> date:
    """The Gregorian day of a Solar Hijri (Jalali) date: 1 Esfand 1404 is 2026-02-20.

    The 33-year-cycle arithmetic common in Iranian software (Nowruz 1403 is 2024-03-20,
    1404 is 2025-03-21). Raises ValueError for an impossible date.
    """
    if not (1 <= month <= 12 and 1 <= day <= (31 if month <= 6 else 30)):
        raise ValueError(f"no such Solar Hijri date: {year}/{month}/{day}")
    jy = year + 1595
    days = -355668 + 365 * jy + (jy // 33) * 8 + ((jy % 33) + 3) // 4 + day
    days += (month - 1) * 31 if month < 7 else (month - 7) * 30 + 186
    # ``days`` counts from 1 January of the proleptic Gregorian year 0
    day_ = date(1, 1, 1) + timedelta(days=days - 366)
    if month == 12 and day == 30 and day_ == solar_hijri_to_gregorian(year + 1, 1, 1):
        raise ValueError(f"no such Solar Hijri date: {year}/{month}/{day} (not a leap year)")
    return day_


def _other_calendars(s: str) -> str:
    """``s`` with dates of other calendars and era years rewritten as Gregorian ones."""
    if not s.isascii():
        s = s.translate(_DIGITS_ASCII)
    # a year 13xx/14xx is a Solar Hijri one: Gregorian news dates are never that old
    m = _SOLAR_NUM.search(s) if "1" in s else None
    arabic = not s.isascii() and _ARABIC_SCRIPT.search(s)
    if m is None and arabic:
        m = _SOLAR_NAMED.search(s.translate(_PERSIAN_FOLD))
    if m is not None:
        month = _SOLAR_MONTHS[m["mon"]] if m.groupdict().get("mon") else int(m["m"])
        try:
            day = solar_hijri_to_gregorian(int(m["y"]), month, int(m["d"]))
        except ValueError:
            return s
        gap = _CLOCK_GAP.match(s, m.end())  # "۱۴۰۴/۱۲/۰۲ - ۱۸:۱۰": keep the clock time
        return s[: m.start()] + day.isoformat() + " " + s[gap.end() if gap else m.end() :]
    if s.isascii():
        return s
    if arabic:
        m = _LEVANT.search(s)
        if m:
            month = next(i for i in range(1, 13) if m[f"m{i}"])
            day_text = f"{int(m['y']):04d}-{month:02d}-{int(m['d']):02d}"
            return s[: m.start()] + day_text + s[m.end() :]
    if "年" in s:
        s = _ERA.sub(lambda e: f"{_ERA_START[e[1]] + (1 if e[2] == '元' else int(e[2]))}年", s)
    return s


def _script_language(s: str) -> str | None:
    """The language a script names (Hebrew, Greek, Bengali, Tamil, ..., Urdu letters)."""
    for c in s:
        if c >= "\u0370":
            point = ord(c)
            for low, high, code in _SCRIPT_LANGUAGES:
                if low <= point <= high:
                    return code
    return "ur" if _URDU.search(s) else None


# --------------------------------------------------------------------------- zones, format


@lru_cache(maxsize=256)
def zone_named(name: str | None) -> tzinfo | None:
    """``"Asia/Seoul"``, ``"KST"``, ``"+09:00"``, ``"UTC+9"`` -> a tzinfo; None if unknown."""
    if not name or not isinstance(name, str):
        return None
    token = name.strip()
    abbr = token.upper().replace(" ", "")
    if abbr in ZONE_ABBREVIATIONS:
        return ZoneInfo(ZONE_ABBREVIATIONS[abbr])
    m = re.fullmatch(r"(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?", abbr)
    if m:
        hours, minutes = int(m.group(2)), int(m.group(3) or 0)
        if hours > 14 or minutes > 59:
            return None
        delta = timedelta(hours=hours, minutes=minutes)
        return timezone(-delta if m.group(1) == "-" else delta)
    if "/" not in token:
        return None
    try:
        return ZoneInfo(token)
    except (ZoneInfoNotFoundError, ValueError, TypeError):
        return None


def format_datetime(moment: datetime) -> str:
    """The one output format: ISO 8601, seconds precision, with the offset when known."""
    return moment.replace(microsecond=0).isoformat(timespec="seconds")


def is_iso_date(text: str) -> bool:
    """``YYYY-MM-DD`` naming a real day."""
    try:
        date.fromisoformat(text)
    except (TypeError, ValueError):
        return False
    return len(text) == 10


def is_iso_datetime(text: str) -> bool:
    """ISO 8601 as this project writes it: a date, or a date and time (offset optional)."""
    if not isinstance(text, str) or not _STRICT_ISO.match(text):
        return False
    try:
        value = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return False
    return value.year >= 1


def parse_instant(text: str) -> datetime:
    """A stamp this project wrote (state, manifests) -> aware datetime; naive means UTC.

    Raises ValueError naming the text when it is not ISO 8601.
    """
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except (AttributeError, ValueError):
        raise ValueError(f"not an ISO 8601 time: {str(text)[:60]!r}") from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


# --------------------------------------------------------------------------- parsing


def _build(
    y: int,
    m: int,
    d: int,
    h: str | None,
    mi: str | None,
    s: str | None,
    ampm: str | None,
    tz: str | None,
    default_tz: str | None,
) -> tuple[str | None, bool | None]:
    if not (1900 <= y <= 2100):
        return None, None
    try:
        day = date(y, m, d)
    except ValueError:
        return None, None
    if h is None or mi is None:
        return day.isoformat(), False
    hour, minute, sec = int(h), int(mi), int(s or 0)
    if ampm:
        pm = ampm.lower().startswith("p") or ampm in ("오후", "下午", "午後")
        if hour == 12:
            hour = 12 if pm else 0
        elif pm:
            hour += 12
    try:
        naive = datetime(y, m, d, hour, minute, sec)
    except ValueError:
        return day.isoformat(), False
    return _zoned(naive, zone_named(tz) if tz else None, default_tz)


def _zoned(
    naive: datetime, explicit: tzinfo | None, default_tz: str | None
) -> tuple[str | None, bool | None]:
    if explicit is not None:
        return format_datetime(naive.replace(tzinfo=explicit)), False
    default = zone_named(default_tz)
    if default is not None:
        return format_datetime(naive.replace(tzinfo=default)), True
    # no zone anywhere: the day is known, the instant is not (the raw text keeps the time)
    return naive.date().isoformat(), False


def _local_now(now: datetime, default_tz: str | None) -> datetime:
    if now.tzinfo is None:
        return now.replace(tzinfo=zone_named(default_tz) or UTC)
    zone = zone_named(default_tz)
    return now.astimezone(zone) if zone is not None else now


def _relative(text: str, now: datetime | None, default_tz: str | None) -> str | None:
    if now is None:
        return None
    now = _local_now(now, default_tz)
    low = text.strip().lower()
    if low in ("just now", "now", "방금", "방금 전"):
        return format_datetime(now)
    if low.startswith("today"):
        return now.date().isoformat()
    if low.startswith(("yesterday", "어제")):
        return (now - timedelta(days=1)).date().isoformat()
    m = _RELATIVE.search(low)
    if not m:
        return None
    n_raw = m.group("n")
    n = 1 if n_raw in ("a", "an", "one") else int(n_raw)
    unit = m.group("unit")
    if unit.startswith("sec") or unit == "초":
        delta = timedelta(seconds=n)
    elif unit.startswith("min") or unit == "분":
        delta = timedelta(minutes=n)
    elif unit.startswith("h") or unit == "시간":
        delta = timedelta(hours=n)
    elif unit.startswith("day") or unit == "일":
        delta = timedelta(days=n)
    elif unit.startswith("week") or unit == "주":
        delta = timedelta(weeks=n)
    elif unit.startswith("month"):
        delta = timedelta(days=30 * n)
    else:
        delta = timedelta(days=365 * n)
    if delta > timedelta(days=36500):
        return None
    when = now - delta
    if delta >= timedelta(days=1):
        return when.date().isoformat()
    return format_datetime(when)


def _fast(
    s: str, default_tz: str | None, dayfirst: bool | None
) -> tuple[str | None, bool | None] | None:
    """The regular-expression parsers; None when none of them matches the text."""
    m = _ISO.search(s)
    if m:
        return _build(
            int(m["y"]),
            int(m["m"]),
            int(m["d"]),
            m["h"],
            m["mi"],
            m["s"],
            None,
            m["tz"] or m["tz2"],
            default_tz,
        )
    m = _COMPACT.match(s)
    if m:
        return _build(
            int(m["y"]), int(m["m"]), int(m["d"]), m["h"], m["mi"], None, None, None, default_tz
        )
    for rx in (_TIME_FIRST, _MDY, _DMY, _YMD_NAME, _YMD, _CJK):
        m = rx.search(s)
        if m:
            groups = m.groupdict()
            month = _MONTHS[groups["mon"].lower().rstrip(".")] if groups.get("mon") else int(m["m"])
            return _build(
                int(m["y"]),
                month,
                int(m["d"]),
                m["h"],
                m["mi"],
                groups.get("s"),
                m["ampm"] or groups.get("pre"),
                m["tz"],
                default_tz,
            )
    m = _DMY_NUM.search(s)
    if m:
        a, b = int(m["a"]), int(m["b"])
        if a <= 12 and b <= 12 and dayfirst is False:
            d, mo = b, a
        elif b <= 12:  # day-first whenever that reading is possible
            d, mo = a, b
        elif a <= 12:
            d, mo = b, a
        else:
            return None, None
        return _build(
            int(m["y"]), mo, d, m["h"], m["mi"], m["s"], m["ampm"] or m["pre"], m["tz"], default_tz
        )
    m = _DMY_SHORT.search(s)
    if m:
        return _build(
            2000 + int(m["y"]),
            int(m["b"]),
            int(m["a"]),
            m["h"],
            m["mi"],
            m["s"],
            m["ampm"] or m["pre"],
            m["tz"],
            default_tz,
        )
    return None


@lru_cache(maxsize=1)
def _dateparser_languages() -> frozenset[str]:
    from dateparser.languages.loader import default_loader  # lazy: slow to import

    return frozenset(default_loader.get_locale_map().keys())


def _languages(language: str | None) -> list[str]:
    if language:
        code = language.strip().replace("_", "-")
        known = _dateparser_languages()
        for candidate in (code, code.split("-")[0].lower()):
            if candidate in known:
                return [candidate]
    return list(DATEPARSER_LANGUAGES)


# a fixed base for texts that carry a year when no crawl time is given: dateparser must never
# read the clock (a relative text is refused before it gets here)
_NO_NOW_BASE = datetime(2000, 1, 1)


def _slow(
    s: str,
    default_tz: str | None,
    now: datetime | None,
    dayfirst: bool | None,
    language: str | None,
) -> tuple[str | None, bool | None]:
    """dateparser, for what the regular expressions cannot read (other languages, relative)."""
    if now is None and not _YEAR.search(s):
        return None, None  # relative or year-less: needs the crawl time
    if len(s) > 30 and not _DIGIT.search(s):
        return None, None  # a sentence, not a date ("gestern", "hier" are short)
    from dateparser.date import DateDataParser  # lazy: slow to import, not on the fast path

    local_now = _local_now(now, default_tz) if now is not None else None
    settings: dict[str, Any] = {
        "RELATIVE_BASE": local_now.replace(tzinfo=None) if local_now else _NO_NOW_BASE,
        "RETURN_TIME_AS_PERIOD": True,
        "PREFER_DATES_FROM": "past",
        "PREFER_DAY_OF_MONTH": "first",
    }
    if now is None:
        settings["REQUIRE_PARTS"] = ["day", "month", "year"]
    if dayfirst is not None:
        settings["DATE_ORDER"] = "DMY" if dayfirst else "MDY"
    parser = DateDataParser(
        languages=_languages(language or _script_language(s)), settings=settings
    )
    data = parser.get_date_data(s)
    first_digit = re.search(r"\d", s)
    if data.date_obj is None and first_digit and first_digit.start() > 0:
        # a label before the date ("Publié le 5 juin 2026"): read from the first number on
        s = s[first_digit.start() :]
        data = parser.get_date_data(s)
    moment = data.date_obj
    if moment is None or not (1900 <= moment.year <= 2100):
        return None, None
    if now is None and moment.date() == _NO_NOW_BASE.date():
        return None, None
    if data.period != "time":
        return moment.date().isoformat(), False
    if moment.tzinfo is not None:
        return format_datetime(moment), False
    if local_now is not None and _has_no_clock_time(s):
        # a relative time ("vor 3 Stunden"): computed from the crawl time, in its zone
        return format_datetime(moment.replace(tzinfo=local_now.tzinfo)), False
    return _zoned(moment, None, default_tz)


def _has_no_clock_time(s: str) -> bool:
    return not re.search(r"\d{1,2}\s*[:h時时시点點]\s*\d{0,2}", s)


def _parse(
    text: str,
    default_tz: str | None,
    now: datetime | None,
    dayfirst: bool | None,
    language: str | None,
) -> tuple[str | None, bool | None]:
    if not isinstance(text, str):
        return None, None
    s = " ".join(text.split())[:MAX_TEXT]
    if not s:
        return None, None
    s = _other_calendars(s)
    if _THAI.search(s):
        # Thai dates count years in the Buddhist era ("21 ก.พ. 2569" is 21 February 2026);
        # the script names the language when the page does not
        s = _THAI_SHORT_YEAR.sub(r" 25\1", s)
        s = _BUDDHIST_YEAR.sub(lambda m: str(int(m.group(0)) - 543), s)
        s = " ".join(s.replace("ที่แล้ว", " ที่แล้ว").split())  # "3 ชั่วโมงที่แล้ว": 3 hours ago
        language = language or "th"
    found = _fast(s, default_tz, dayfirst)
    if found is not None:
        return found
    rel = _relative(s, now, default_tz)
    if rel is not None:
        return rel, False
    if not _LETTERS.search(s) or len(s) > 80:
        return None, None
    return _slow(s, default_tz, now, dayfirst, language)


def _parse_guarded(
    text: str,
    default_tz: str | None,
    now: datetime | None,
    dayfirst: bool | None,
    language: str | None,
) -> tuple[str | None, bool | None]:
    try:
        return _parse(text, default_tz, now, dayfirst, language)
    except Exception:  # garbage must never crash a crawl
        return None, None


@lru_cache(maxsize=4096)
def _parse_absolute(
    text: str, default_tz: str | None, dayfirst: bool | None, language: str | None
) -> tuple[str | None, bool | None]:
    """Without ``now`` the result depends on the text alone: pages repeat their dates (the
    profile reads the printed date for ``published()`` and again for ``updated()``)."""
    return _parse_guarded(text, default_tz, None, dayfirst, language)


def parse_date(
    raw: str | None,
    *,
    default_tz: str | None = None,
    now: datetime | None = None,
    dayfirst: bool | None = None,
    language: str | None = None,
    source: str | None = None,
) -> ParsedDate:
    """Read one date text. Never raises.

    ``default_tz``: the site's IANA zone for times printed without one. ``now``: the crawl
    time, for relative dates. ``dayfirst=False`` reads an ambiguous ``A/B/YYYY`` month-first
    (the default reads it day-first). ``language``: the page language (BCP 47), which guides
    the multilingual parser. The result keeps ``raw`` even when nothing could be read, so the
    unparsed text reaches the export next to an empty value.
    """
    if raw is None or not isinstance(raw, str) or not raw.strip():
        return NO_DATE
    raw = raw.strip()
    if now is None:
        value, assumed = _parse_absolute(raw, default_tz, dayfirst, language)
    else:
        value, assumed = _parse_guarded(raw, default_tz, now, dayfirst, language)
    if value is None:
        return ParsedDate(raw=raw, source=source)
    return ParsedDate(value=value, raw=raw, tz_assumed=assumed, source=source)


def parse_datetime(
    text: str,
    *,
    default_tz: str | None = None,
    now: datetime | None = None,
    dayfirst: bool | None = None,
    language: str | None = None,
) -> tuple[str | None, bool]:
    """``(value_or_None, tz_assumed)`` for ``text``: :func:`parse_date` without the group."""
    parsed = parse_date(text, default_tz=default_tz, now=now, dayfirst=dayfirst, language=language)
    return parsed.value, bool(parsed.tz_assumed)


# --------------------------------------------------------------------------- feeds, since


def feed_date(raw: str | None) -> str | None:
    """RFC 822 (RSS ``<pubDate>``), W3C/ISO 8601 (Atom, sitemap ``<lastmod>``) -> the output
    format; None when it does not parse. Feeds give zones, so no default zone is applied."""
    return parse_date(raw).value


def parse_http_date(text: str) -> datetime | None:
    """An HTTP date (``Retry-After``, ``Last-Modified``: RFC 9110, always GMT) -> aware
    datetime; None when it does not parse."""
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when is None:
        return None
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def parse_since(text: str) -> datetime:
    """The ``since`` spider argument -> datetime.

    ``2026-02-20`` gives midnight, naive: "from that day on, as each article prints its
    date". A time with an offset (``2026-02-20T09:00+09:00``) gives an aware instant. Raises
    ValueError with one line naming the bad value.
    """
    value = (text or "").strip()
    try:
        if len(value) == 10:
            return datetime.combine(date.fromisoformat(value), datetime.min.time())
        return datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise ValueError(
            f"since={text!r} is not a date; use YYYY-MM-DD (or an ISO 8601 time), "
            "e.g. -a since=2026-02-20"
        ) from None


def day_of(stamp: str | None) -> date | None:
    """The calendar day an ISO 8601 stamp names, as printed (no zone conversion)."""
    if not stamp or len(stamp) < 10 or not is_iso_date(stamp[:10]):
        return None
    return date.fromisoformat(stamp[:10])


def older_than(stamp: str | None, since: datetime | date | None) -> bool:
    """True only when ``stamp`` is known and falls before ``since`` (unknown dates are kept).

    An aware ``since`` compares instants with stamps that carry an offset; otherwise the
    comparison is on the date and time as printed.
    """
    if since is None or not stamp:
        return False
    day = day_of(stamp)
    if day is None:
        return False
    if not isinstance(since, datetime):
        return day < since
    if len(stamp) == 10 or not is_iso_datetime(stamp):
        return day < since.date()
    moment = datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    if since.tzinfo is not None and moment.tzinfo is not None:
        return moment < since
    return moment.replace(tzinfo=None) < since.replace(tzinfo=None)
