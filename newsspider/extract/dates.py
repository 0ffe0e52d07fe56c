"""Finding and ranking the date candidates of an article page (extraction, not parsing).

Every candidate is read by :mod:`newsspider.dates`, the project's one date parser.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone

from newsspider.dates import parse_date

__all__ = [
    "NEAR_HEADLINE_CHARS",
    "URL_DATE",
    "date_label",
    "embedded_published",
    "headline_position",
    "in_printed_zone",
    "page_dayfirst",
    "printed_dates",
    "relative_dates",
    "time_element_order",
]

URL_DATE = re.compile(
    r"/((?:19|20)\d{2})[/\-_]?(0[1-9]|1[0-2])[/\-_]?(0[1-9]|[12]\d|3[01])(?:/|[\-_]|$)"
)
_TEXT_DATE = re.compile(
    r"(?:(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?,?"
    r"\s+(?:19|20)\d{2}|\d{1,2}(?:st|nd|rd|th)?\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov"
    r"|dec)[a-z]*\.?,?\s+(?:19|20)\d{2}|(?:19|20)\d{2}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[/.]\d{1,2}"
    r"[/.](?:19|20)\d{2}|(?<![\d-])\d{1,2}-\d{1,2}-(?:19|20)\d{2})(?:,?\s*(?:at\s+)?\d{1,2}:\d{2}(?:\s*[ap]\.?m\.?)?"
    # the zone in capitals, also when minified HTML glues the next word on ("ESTLawmakers")
    r"(?:\s*(?-i:(?:[A-Z]{2,5}|UTC[+-]\d{1,2})(?![a-z])))?)?",
    re.IGNORECASE,
)
# the same in any language (extract.body also uses it to drop date-only lines): a day, a month
# word and a year ("5 juin 2026", "21 de febrero de 2026", "21. Februar 2026", "21 февраля
# 2026"), CJK year-month-day, then an optional time
TEXT_DATE_ANY = re.compile(
    # Korean numeric dates with dots and spaces, a clock time after 오전/오후 ("2026. 2. 21.
    # 오후 5:00", "2026.02.21. 오후 5:00")
    r"(?:19|20)\d{2}\.\s*\d{1,2}\.\s*\d{1,2}\.?\s*(?:오전|오후)\s*\d{1,2}:\d{2}"
    r"|(?:19|20)\d{2}\.\s+\d{1,2}\.\s+\d{1,2}\.?(?:\s*\d{1,2}:\d{2})?|"
    # a month word in any script, also Indic ones written with combining vowel signs
    + _TEXT_DATE.pattern
    + r"|\d{1,2}\.?\s+(?:de\s+)?(?:[^\W\d_]|[\u0900-\u0dff]){3,14}\.?,?\s+(?:de\s+)?(?:19|20)\d{2}"
    r"(?:,?\s*[^\W\d_]{0,3}\s*\d{1,2}[:h]\d{2})?"
    # Thai: a month word or abbreviation ("ก.พ.") and a Buddhist-era or common-era year
    r"|\d{1,2}\s+[\u0e00-\u0e7f.]{2,14}\s+(?:25\d{2}|(?:19|20)\d{2})(?:\s+\d{1,2}[:.]\d{2})?"
    r"|\d{1,2}\s+[\u0e00-\u0e7f]{1,3}\.[\u0e00-\u0e7f]{1,2}\.\s*\d{2}(?![\d:.])(?:\s+\d{1,2}[:.]\d{2})?"
    # Solar Hijri (Iran, Afghanistan): "۲ اسفند ۱۴۰۴", "1404/12/02"; Levantine two-word months
    # ("21 كانون الثاني 2026"); Japanese era and ROC years ("令和8年2月21日", "民國115年2月21日")
    r"|\d{1,2}\s+[\u0600-\u06ff]{2,9}\s+(?:ماه\s+)?1[34]\d{2}(?!\d)"
    r"|(?<![\d/.\-])1[34]\d{2}\s*[/.\-]\s*\d{1,2}\s*[/.\-]\s*\d{1,2}(?![\d/.\-])"
    r"(?:\s*[-–،,]?\s*\d{1,2}:\d{2})?"
    r"|\d{1,2}\s+(?:كانون|تشرين)\s+[\u0600-\u06ff]{3,6}\s+(?:19|20)\d{2}"
    r"|(?:令和|平成|民國|民国)\s*(?:元|\d{1,3})\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日"
    # Vietnamese "21 tháng 2 năm 2026", Hungarian "2026. február 21."
    r"|\d{1,2}\s+tháng\s+\d{1,2}(?:\s+năm)?,?\s+(?:19|20)\d{2}"
    r"|(?:19|20)\d{2}\.\s+[^\W\d_]{3,12}\.?\s+\d{1,2}\.(?:\s*\d{1,2}:\d{2})?"
    r"|(?:19|20)\d{2}\s*[年년]\s*\d{1,2}\s*[月월]\s*\d{1,2}\s*[日일]"
    r"(?:\s*(?:오전|오후|上午|下午|午前|午後)?\s*\d{1,2}[:時时시]\s*\d{2})?",
    re.IGNORECASE,
)


# decimal digits of other scripts -> ASCII (Arabic-Indic, Persian, Devanagari, Bengali, Thai,
# full-width), so that years and days match; positions do not move
_DIGITS = {
    zero + i: str(i)
    for zero in (0x0660, 0x06F0, 0x0966, 0x09E6, 0x0BE6, 0x0E50, 0xFF10)
    for i in range(10)
}
_NUM_DATE = re.compile(r"(?<![\d/.\-])(\d{1,2})[/.\-](\d{1,2})[/.\-](?:19|20)\d{2}(?!\d)")
NEAR_HEADLINE_CHARS = 600
LABEL_CHARS = 40  # how far before a printed date its label ("Updated:", "Publié le") is looked for

# The label a reader sees before a printed date, in the languages of the news we crawl. The
# label must end right before the date: a preposition ("on", "am", "le", "el"), a colon or a
# weekday ("Published on Friday, December 19, 2025") may sit between them.
_LABEL_TAIL = (
    r"\w*\.?\s*(?:on|at|am|um|le|el|em|il|op|den|på|в|:)?\s*[:：\-–—]?\s*"
    r"(?:(?!(?:by|von|par|por|door|di)\b)[^\W\d_]{2,12}\.?,?\s*)?$"
)
_UPDATED_LABEL = re.compile(
    r"(?:updated|modified|revised|reviewed|edited|aktualisiert|geändert|bearbeitet|mis\s+à\s+jour|"
    r"modifié|actualizad|atualizad|aggiornat|modificad|bijgewerkt|gewijzigd|zaktualizowan|"
    r"обновлен|изменен|оновлено|güncellen|diperbarui|uppdaterad|opdateret|oppdatert|päivitetty|"
    r"更新|修改|최종\s*수정|수정|업데이트|تحديث|تم\s+التحديث|cập\s+nhật|अपडेट|"
    # Hebrew, Persian, Greek, Romanian, Czech/Slovak, Hungarian, Croatian/Serbian, Bulgarian,
    # Thai, Bengali, Urdu
    r"עודכן|به[\u200c\s]?روز\s*رسانی|بروزرسانی|ενημερώθηκε|ενημέρωση|actualizat|"
    r"aktualizováno|aktualizované|frissítve|frissítés|ažurirano|обновено|ปรับปรุง(?:ล่าสุด)?|อัปเดต|"
    r"আপডেট|اپ\s*ڈیٹ)" + _LABEL_TAIL,
    re.IGNORECASE,
)
_PUBLISHED_LABEL = re.compile(
    r"(?<!last )(?:(?<![^\W\d_])(?:published|posted|originally\s+published|publié|veröffentlicht|"
    r"erschienen|publicad|pubblicat|gepubliceerd|opublikowan|опубликован|опубліковано|"
    r"yayınlan|diterbitkan|dipublikasikan|publicerad|publiceret|publisert|julkaistu|đăng|"
    r"δημοσιεύθηκε|δημοσίευση|publicat|publikováno|publikované|publikálva|objavljeno|"
    r"публикувано|imechapishwa)|"
    r"发布|發布|发表|發表|公開|掲載|配信|입력|등록|승인|배포|نشر|प्रकाशित|"
    r"פורסם|انتشار|منتشر\s+شده|เผยแพร่|প্রকাশ|شائع)" + _LABEL_TAIL,
    re.IGNORECASE,
)


def date_label(text: str, pos: int) -> str | None:
    """``"published"``, ``"updated"`` or None: the label printed right before ``text[pos:]``.

    "Updated: 5 June 2026", "Zuletzt aktualisiert am 5. Juni 2026", "수정 2026.02.21" are
    updates; "Published on …", "Publié le …", "입력 2026.02.21" are publications ("Last
    published …" is not: it names the latest revision).
    """
    before = text[max(0, pos - LABEL_CHARS) : pos]
    if _UPDATED_LABEL.search(before):
        return "updated"
    if _PUBLISHED_LABEL.search(before):
        return "published"
    return None


# "datePublished" inside JSON that is not a JSON-LD script: a component's props in an HTML
# attribute (`data-props="{&quot;datePublished&quot;:&quot;2025-11-17T09:00:00-05:00&quot;}"`),
# escaped inside a script string (`\"datePublished\":\"…\"`)
_EMBEDDED_PUBLISHED = re.compile(
    r"(?:datePublished|publishedAt|firstPublished(?:At|Date)?)(?:&quot;|\\?\")\s*:\s*(?:&quot;|\\?\")"
    r"((?:19|20)\d{2}-\d{2}-\d{2}[^\"&\\]{0,30})"
)
EMBEDDED_SCAN = 2_000_000


def embedded_published(html: str) -> str | None:
    """A ``datePublished`` value found in escaped JSON anywhere in the raw HTML (last resort)."""
    m = _EMBEDDED_PUBLISHED.search(html, 0, EMBEDDED_SCAN)
    return m.group(1).strip() if m else None


def time_element_order(pairs: list[tuple[str, str]]) -> bool | None:
    """The numeric date order shown by ``<time>`` elements: ``(datetime attribute, text)`` pairs.

    ``<time datetime="2017-03-01">03/01/2017</time>`` shows a month-first page even when no
    printed date is unambiguous. False = month-first, True = day-first, None = unknown.
    """
    mdy = dmy = 0
    for attr, shown in pairs:
        iso = re.match(r"\s*((?:19|20)\d{2})-(\d{2})-(\d{2})", attr)
        m = _NUM_DATE.search(shown)
        if not iso or not m:
            continue
        month, day = int(iso.group(2)), int(iso.group(3))
        a, b = int(m.group(1)), int(m.group(2))
        if month == day:
            continue
        if (a, b) == (month, day):
            mdy += 1
        elif (a, b) == (day, month):
            dmy += 1
    if mdy != dmy:
        return mdy < dmy
    return None


# a numeric date followed by a North American zone ("3/4/2025 6:30 PM EST"): month-first
_US_ZONED = re.compile(
    r"(?<![\d/])\d{1,2}/\d{1,2}/(?:19|20)\d{2}[^/\d]{0,6}(?:\d{1,2}:\d{2}\s*(?:[ap]\.?m\.?)?\s*)?"
    r"(?<![^\W\d_])(?-i:(?:E|C|M|P|AK|H)[SD]?T)\b",
    re.IGNORECASE,
)
# relative dates in the languages of the news we crawl ("3 hours ago", "hace 2 días",
# "il y a 3 heures", "vor 3 Stunden", "3시간 전", "3小时前", "2 jam yang lalu", "3 saat önce")
RELATIVE_DATE = re.compile(
    r"(?<!\w)(?:\d{1,3}|an?|one)\s+(?:sec(?:ond)?s?|min(?:ute)?s?|h(?:ou)?rs?|days?|weeks?)\s+ago\b"
    r"|\b(?:hace|há|il\s+y\s+a|vor|منذ|قبل|för|acum|πριν\s+από|לפני|před)\s+\d{1,3}\s+[^\W\d_]{3,10}"
    r"|(?<!\w)\d{1,3}\s*(?:[^\s\d]{2,12}\s+(?:fa|назад|тому|yang\s+lalu|lalu|önce|trước|पहले|"
    r"geleden|temu|আগে|پیش)(?!\w)"
    r"|(?:초|분|시간|일)\s*전|(?:分钟|小时|天|分|時間|日)\s*前|[\u0e00-\u0e7f.]{1,12}?ที่แล้ว)"
    # "yesterday"/"today" only with a clock time: the bare word is everyday prose
    r"|\b(?:yesterday|today|gestern|heute|ayer|hoy|hier|aujourd'hui|ontem|hoje|ieri|oggi|"
    r"вчера|сегодня|вчора|сьогодні|wczoraj|dzisiaj|gisteren|vandaag|igår|idag|dün|bugün|"
    r"kemarin|hari\s+ini|hôm\s+qua|hôm\s+nay|أمس|اليوم)[,\s]+(?:at\s+|à\s+|um\s+|a\s+las\s+|"
    r"às\s+|alle\s+|в\s+|o\s+|om\s+|kl\.?\s+|saat\s+|pukul\s+|lúc\s+)?\d{1,2}[:.h]\d\d"
    r"(?:\s*[ap]\.?m\.?)?"
    r"|(?:昨天|今天|昨日|今日|어제|오늘)\s*\d{1,2}:\d\d",
    re.IGNORECASE,
)


def relative_dates(text: str, language: str | None, now: datetime | None) -> list[tuple[int, str]]:
    """``(position, raw text)`` of the relative dates printed in ``text`` that read against the
    crawl time ``now`` (none without it)."""
    if now is None:
        return []
    out = []
    for m in RELATIVE_DATE.finditer(text, 0, 20_000):
        if parse_date(m.group(0), now=now, language=language).value:
            out.append((m.start(), m.group(0)))
        if len(out) >= 10:
            break
    return out


def page_dayfirst(text: str, lang: str, shown: bool | None = None) -> bool | None:
    """How the page writes numeric dates: False = month-first, True = day-first, None = unknown.

    Unambiguous printed dates decide (``8/27/2025`` is month-first, ``27/8/2025`` day-first);
    then ``shown``, the order its ``<time>`` elements show (:func:`time_element_order`);
    failing that a US locale (``en-US``) or a numeric date printed with a North American zone
    ("3/4/2025 6:30 PM EST") means month-first.
    """
    mdy = dmy = 0
    for m in _NUM_DATE.finditer(text):
        a, b = int(m.group(1)), int(m.group(2))
        if a <= 12 < b <= 31:
            mdy += 1
        elif b <= 12 < a <= 31:
            dmy += 1
    if mdy != dmy:
        return mdy < dmy
    if shown is not None:
        return shown
    if lang.lower().replace("_", "-").endswith("-us") or _US_ZONED.search(text, 0, 20_000):
        return False
    return None


# Every printed date has a digit (other scripts' digits are made ASCII first), its first digit
# within DATE_LEAD characters of its start ("Wednesday, September 5, 2026") and its end within
# DATE_SPAN characters of that digit (the clock time and zone included).
DATE_LEAD = 64
DATE_SPAN = 160
_DIGIT_RUN = re.compile(r"\d+")


def near_digits(pattern: re.Pattern[str], text: str) -> Iterator[re.Match[str]]:
    """``pattern.finditer(text)`` for a date pattern, run only over the stretches of ``text``
    around its digits: the same matches (a date lies inside the stretch around its first
    digit, :data:`DATE_LEAD` before to :data:`DATE_SPAN` after), at a fraction of the cost on
    a long page, where a scan of every position of a 100,000-character text with the
    alternation of month words and numeric forms was most of the date finder's time."""
    start = end = -1
    size = len(text)

    def stretch(a: int, b: int) -> Iterator[re.Match[str]]:
        # one character past the stretch for the patterns' look-aheads (a date ends <= b)
        for m in pattern.finditer(text, a, min(size, b + 1)):
            if m.end() <= b:
                yield m

    for run in _DIGIT_RUN.finditer(text):
        a, b = max(0, run.start() - DATE_LEAD), run.end() + DATE_SPAN
        if a <= end:
            end = max(end, b)
            continue
        if end >= 0:
            yield from stretch(start, end)
        start, end = a, b
    if end >= 0:
        yield from stretch(start, end)


def printed_dates(
    text: str,
    dayfirst: bool | None,
    language: str | None = None,
    now: datetime | None = None,
) -> list[tuple[int, str, str]]:
    """``(position, raw text, YYYY-MM-DD)`` of dates printed in the page text (bounded work).

    English and numeric forms everywhere; on a page in another language also its own forms
    ("5 juin 2026", "21. Februar 2026", "2026년 2월 21일", "2026年2月21日").
    """
    out: list[tuple[int, str, str]] = []
    finder = _TEXT_DATE if (language or "en") == "en" else TEXT_DATE_ANY
    if not text.isascii():
        text = text.translate(_DIGITS)  # "٢١ فبراير ٢٠٢٦", "২১ ফেব্রুয়ারি ২০২৬": one to one
    for m in near_digits(finder, text):
        iso = parse_date(m.group(0), now=now, dayfirst=dayfirst, language=language).value
        if iso:
            out.append((m.start(), m.group(0), iso[:10]))
        if len(out) >= 60:
            break
    return out


def headline_position(text: str, headlines: list[str]) -> int:
    for h in headlines:
        h = " ".join(h.split())[:60]
        if len(h) >= 8:
            pos = text.find(h)
            if pos >= 0:
                return pos
    return -1


_ISO_INSTANT = re.compile(
    r"^\s*\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}:?\d{2})\s*$"
)
_CLOCK = re.compile(
    r"(오후|午後|下午|)\s*(\d{1,2})[:時时시h]\s*(\d{2})(?:\s*([ap])\.?m\.?)?", re.IGNORECASE
)
MAX_OFFSET = timedelta(hours=14)


def in_printed_zone(value: str, printed: list[tuple[int, str, str]]) -> str | None:
    """The metadata instant ``value`` (ISO with an offset, often UTC) written in the offset in
    which the page prints the same moment under its headline, when that falls on another day
    ("2026-02-20T23:30:00Z" printed as "입력 2026.02.21 08:30" -> "2026-02-21T08:30:00+09:00"):
    the publication day is the page's local day. None when no printed date is that moment."""
    if not _ISO_INSTANT.match(value):
        return None
    try:
        instant = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    if instant.tzinfo is None:
        return None
    utc = instant.astimezone(UTC).replace(tzinfo=None)
    for _, raw, day in printed:
        m = _CLOCK.search(raw)
        if not m or day == instant.date().isoformat():
            continue
        hour, minute = int(m.group(2)), int(m.group(3))
        if (m.group(1) or (m.group(4) or "").lower() == "p") and hour < 12:
            hour += 12
        elif (m.group(4) or "").lower() == "a" and hour == 12:
            hour = 0
        if hour > 23 or minute > 59:
            continue
        try:
            local = datetime.fromisoformat(day) + timedelta(hours=hour, minutes=minute)
        except ValueError:
            continue
        offset = local - utc
        if abs(offset) <= MAX_OFFSET and offset.total_seconds() % 900 == 0:
            moment = instant.astimezone(timezone(offset))
            return moment.isoformat(timespec="seconds")
    return None
