"""Author name cleaning: keep person names, drop "By", roles, e-mails, URLs, dates, site names.

Role words are stripped in the languages of the news we crawl: English ("Staff Reporter"),
German ("Redakteurin"), French ("correspondant"), Spanish/Portuguese ("redactor",
"corresponsal", "repórter"), Italian, Dutch, Nordic, Polish, Turkish, Indonesian, Russian,
Arabic, and the CJK suffixes written after the name, with or without a space ("홍길동 기자",
"山田太郎記者"). :func:`is_site_name` tells a publisher's own name from a person's, so the
caller can prefer any person over it (the publisher is kept only when nothing else names one).
"""

from __future__ import annotations

import html
import re
from typing import Any

from newsspider.extract.title import fold_name

__all__ = ["clean_authors", "is_agency", "is_site_name", "ld_author_names", "names_in_text"]

_PREFIX = re.compile(
    r"^(?:(?:written|posted|published|reported|reviewed|edited|story|words|text|photos?|"
    r"(?:more )?articles|texto|testo|tekst|texte|escrito|escrita|geschrieben)\s+)?"
    r"(?:by|par|von|por|di|door|av|af|autor(?:a|in)?|auteur|autore|the author|author|more about|"
    r"text|texto|testo|tekst|redaktion|redacción|redação|oleh|penulis|yazar|yazan|автор|"
    r"tác\s+giả|लेखक|द्वारा|كتب|كتبت)\s*[:\-]?\s+",
    re.IGNORECASE,
)
# lead-ins of author links and lists: "View all posts by X", "Authored by: X", "Authors: X, Y"
_LEAD = re.compile(
    r"^(?:view\s+(?:all\s+)?(?:posts|articles|stories)\s+by|(?:all\s+)?(?:posts|stories)\s+by|"
    r"authored\s+by|authors?(?:\s*\(s\))?|contributors?|autoren|auteurs|autores|autori)"
    r"\s*[:\-]?\s+",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_URL = re.compile(r"https?://\S+|www\.\S+")
_ROLE = re.compile(
    r"\b(?:staff\s+(?:reporter|writer)|senior\s+(?:reporter|writer|editor|correspondent)|"
    r"contributing\s+(?:writer|editor)|correspondent|reporter|columnist|contributor|"
    r"editor(?:-in-chief)?|staff|updated|published|posted|min(?:ute)?s?\s+read|"
    r"former|writer|journalist|coordinator|consultant|marketer|strategist|specialist|"
    r"(?:sr\.?|senior|managing|marketing|content|product)\s+\w+|"
    r"(?:co-?)?founder|ceo|cto|cfo|coo|president|director|head\s+(?:of\s+)?\w+|chief\s+\w+|"
    # German, Dutch, Nordic
    r"redakteur(?:in)?|chefredakteur(?:in)?|korrespondent(?:in)?|reporter(?:in)?|"
    r"volontär(?:in)?|autor(?:in)?|redacteur|verslaggever|journalist(?:in|e)?|"
    # French, Spanish, Portuguese, Italian
    r"correspondante?|rédact(?:eur|rice)|envoyée?\s+spéciale?|journaliste|"
    r"redact(?:or|ora)|corresponsal|periodista|enviad[oa]\s+especial|"
    r"repórter|correspondente|redator(?:a)?|jornalista|colunista|"
    r"corrispondente|giornalista|redattor[ei]|inviat[oa]|"
    # Polish, Turkish, Indonesian
    r"dziennikarz(?:ka)?|redaktor(?:ka)?|korespondent(?:ka)?|muhabir\w*|editör\w*|wartawan|"
    r"penulis|kontributor|phóng\s+viên|biên\s+tập\s+viên|संवाददाता|"
    # Russian, Ukrainian
    r"корреспондент(?:ка)?|журналист(?:ка)?|редактор(?:ка)?|обозреватель(?:ница)?|"
    r"кореспондент(?:ка)?|журналіст(?:ка)?|оглядач(?:ка)?|"
    r"ф(?:ото)?графия)\b.*$",
    re.IGNORECASE,
)
# a role or credit label before the name in other languages ("Reporter: Budi Santoso",
# "Wartawan: …", "Muhabir: …", "خبرنگار: …", "रिपोर्ट: …"; with a colon, since the same words
# after a name are roles), and the bylines that need none ("Phóng viên Nguyễn Văn An",
# Hebrew "מאת …", Persian "به قلم …", Hungarian "Szerző: …")
_LABEL = re.compile(
    r"^(?:(?:reporter|reportera?o?|reportage|wartawan|laporan|liputan|muhabir|haber|"
    r"correspondent|korrespondent(?:in)?|redactor|redacción|redaktion|szerző|szöveg|"
    r"گزارش|خبرنگار|نویسنده|رپورٹ|रिपोर्ट|संवाददाता|प्रस्तुति|প্রতিবেদক|লেখক|"
    r"συντάκτης|кореспондент|корреспондент)\s*[:：]|"
    r"phóng\s+viên|מאת|נכתב\s+על\s+ידי|به\s+قلم)\s*",
    re.IGNORECASE,
)
# "A B e C D": two names joined by "and" in another language (both sides of two words or
# more, so a compound surname "Ortega y Gasset" stays whole)
_AND_WORDS = re.compile(r"\s+(?:e|y|i|og|och|ve|dan|và|и|і|و|en|a|ja|és|și|και)\s+", re.IGNORECASE)
# "Ahmet Yılmaz / İstanbul": a one-word place or desk after a slash
_SLASH_PLACE = re.compile(r"^(\S+(?:\s+\S+)+?)\s*/\s*[^\W\d_]+$")
_INNER_BY = re.compile(r"\b(?:written|posted|published|reported)\s+by(?:\s+|$)", re.IGNORECASE)
# "David at Example", "ALLIN ONE on" (the rest of the line was a site or a date)
_TRAILING_WORD = re.compile(r"\s+(?:at|on|in|for|from|with)$")  # lower case: "Audiophile On"
_TEMPLATE_KEY = re.compile(r"^\w+(?:\.\w+){3,}$")  # "page.head.extra.author"
# news agencies credited next to a reporter ("Jane Doe | Reuters"): not a person
_AGENCIES = frozenset(
    (
        "reuters", "ap", "associated press", "afp", "agence france-presse", "dpa", "bloomberg",
        "efe", "ansa", "xinhua", "yonhap", "kyodo", "pti", "press trust of india", "ians", "ani",
        "upi", "tass", "ria novosti", "anadolu", "kna", "epd", "apa", "sda", "keystone-sda",
        "bernama", "antara", "aap", "cna",
    )
)  # fmt: skip
# what follows a publisher's name in its site name ("Le Monde.fr", "KOMPAS.com")
_DOMAIN_ENDINGS = frozenset(
    (
        "com", "net", "org", "info", "news", "online", "fr", "de", "es", "it", "pt", "br",
        "combr", "ru", "jp", "cn", "kr", "in", "id", "vn", "tr", "pl", "nl", "couk", "coid",
        "cojp", "cokr", "comtr", "comau", "comcn",
    )
)  # fmt: skip
# a commenter ("Jane says"), a counter ("677 new writers this month")
_NOT_A_BYLINE = re.compile(r"\bsays$|^\d+\s+[a-z]")
# CJK / Arabic role words, also glued to the name ("홍길동기자", "山田太郎記者")
_ROLE_SUFFIX = re.compile(
    r"\s*(?:선임기자|기자|특파원|논설위원|편집위원|객원기자|인턴기자|"
    r"記者|特派員|編集委員|编辑|记者|特约记者|本报记者|通讯员|"
    r"مراسل|محرر|الصحفي)(?:\s.*)?$"
)
_ROLE_PREFIX = re.compile(
    r"^(?:本报记者|记者|記者|通讯员|作者|撰文|文字|文|글|مراسل|بقلم|كتب|كتبت)\s*[:：/／]?\s*"
)
# a role after a separator ("Ahmet Yılmaz - Ekonomi Muhabiri", "María García | Corresponsal
# en Bogotá"): the whole segment goes, not just the role word
_ROLE_SEGMENT_SEPS = (" - ", " – ", " — ", " | ", ", ")
ROLE_SEGMENT_WORDS = 5
# link texts picked up as bylines: social networks and account widgets
_NOT_A_NAME = re.compile(
    r"^(?:author|the author|authors|my profile|profile|member login|log ?in|sign ?in|"
    r"bluesky|facebook|twitter|x|instagram|linkedin|threads|mastodon|youtube|tiktok|"
    r"whatsapp|telegram|pinterest|reddit|rss|e-?mail|share|follow|contact|admin|"
    r"view all posts|all posts|view more posts|more posts|view profile|learn more|read more|"
    r"(?:see |view )?full bio|bio|name|read more about|"
    r"more|about|(?:mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun)(?:day|nesday|rsday|urday)?\.?)$",
    re.IGNORECASE,
)
_DATEISH = re.compile(
    r"\b(?:\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"[a-z]*\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}:\d{2}|"
    r"\d{1,2}\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+\d{4}|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?:st|nd|rd|th)?)"
    r"(?!\d).*$",
    re.IGNORECASE,
)
_LEADING_DATE = re.compile(
    r"\s*(?:(?:19|20)\d{2}[/.\-]\d{1,2}[/.\-]\d{1,2}|\d{1,2}[/.\-]\d{1,2}[/.\-](?:19|20)\d{2}|"
    r"\d{1,2}:\d{2}(?::\d{2})?)[\s,|·]*"
)
_SPLIT = re.compile(r"\s*(?:;|\||&|\band\b|\bund\b|\bet\b|·|/|／|、)\s*", re.IGNORECASE)
# a CJK dateline after the reporter ("記者王小明／台北報導", "记者张伟 北京报道")
_CJK_DATELINE = re.compile(r"^\S{0,8}(?:即時|即时)?(?:報導|报道|電|电)$")
_CJK_DATELINE_TAIL = re.compile(r"\s+[\u3400-\u9fff]{1,8}(?:即時|即时)?(?:報導|报道)$")
# a publication's own name in CJK (a paper, an agency, a broadcaster), not a person
_CJK_PUBLICATION = re.compile(r"[\u3400-\u9fff](?:報|报|新聞|新闻|日報|社|電視台|电视台|網|网)$")
# a one-word job after a name ("Tracy Parker, Dietitian", "…, Nutritionist"), not a place
_ROLE_ENDING = re.compile(r"(?:ist|ian|er|or|ant|ent|ee|ey)$")
_CREDENTIAL = re.compile(r"^(?:[A-Z]{2,6}|Ph\.?D\.?|M\.?D\.?|Jr\.?|Sr\.?|[A-Z]\.[A-Z]\.?|E-RYT.*)$")


def ld_author_names(value: Any, people: dict[str, str], orgs: set[str] | None = None) -> list[str]:
    """Names from a JSON-LD ``author``/``creator`` value (str, dict, list, @id references)."""
    return [name for name, _ in ld_author_entries(value, people, orgs or set())]


def ld_author_entries(value: Any, people: dict[str, str], orgs: set[str]) -> list[tuple[str, bool]]:
    """``(name, is_organization)`` pairs from a JSON-LD ``author`` value."""
    out: list[tuple[str, bool]] = []
    stack = [value]
    n = 0
    while stack and n < 100:
        n += 1
        cur = stack.pop(0)
        if isinstance(cur, str):
            out.append((cur, False))
        elif isinstance(cur, list):
            stack[:0] = cur
        elif isinstance(cur, dict):
            name = cur.get("name")
            typ = cur.get("@type")
            types = {typ} if isinstance(typ, str) else set(typ) if isinstance(typ, list) else set()
            is_org = bool(types) and "Person" not in types
            ref = cur.get("@id")
            if isinstance(name, list):
                name = " ".join(x for x in name if isinstance(x, str))
            if isinstance(name, str) and name.strip():
                out.append((name, is_org))
            elif isinstance(ref, str) and ref in people:
                out.append((people[ref], ref in orgs))
            elif isinstance(cur.get("givenName"), str):
                out.append((f"{cur.get('givenName')} {cur.get('familyName') or ''}", False))
    return out


def _clean_one(raw: str, site_keys: set[str]) -> list[str]:
    if "&" in raw:
        raw = html.unescape(raw)
    s = " ".join(raw.split())
    if not s or _URL.fullmatch(s):
        return []
    before = s
    s = _URL.sub(" ", s)
    s = _EMAIL.sub(" ", s)
    while True:  # a date printed before the name ("2026-02-21 17:00 聯合報 / 記者王小明")
        lead = _LEADING_DATE.match(s)
        if not lead or lead.end() >= len(s):
            break
        s = s[lead.end() :]
    s = _CJK_DATELINE_TAIL.sub("", s)
    m = _INNER_BY.search(s)
    if m:  # "May 28 Written By Jane Doe"
        s = s[m.end() :]
    s = _LEAD.sub("", s)
    s = _LABEL.sub("", s)
    s = _PREFIX.sub("", s).strip(" ,:-|")
    s = _PREFIX.sub("", s).strip(" ,:-|")
    s = _DATEISH.sub("", s).strip(" ,:-|")
    if _URL.search(before) or _DATEISH.search(before):
        # "David at davidbau.com", "ALLIN ONE on Jan 22, 2025": the word before what went
        s = _TRAILING_WORD.sub("", s)
    s = _ROLE_PREFIX.sub("", s)
    s = _without_role_segment(s)
    s = _ROLE.sub("", s).strip(" ,:-|")
    s = _ROLE_SUFFIX.sub("", s).strip(" ,:-|")
    s = s.strip(" \"'“”‘’•*·,;:")
    if "/" in s:
        s = _SLASH_PLACE.sub(r"\1", s)
    names: list[str] = []
    parts: list[str] = []
    for part in _SPLIT.split(s):
        joined = _AND_WORDS.split(part)
        if len(joined) > 1 and all(len(j.split()) >= 2 for j in joined):
            parts.extend(joined)
        else:
            parts.append(part)
    for part in parts:
        part = _ROLE_PREFIX.sub("", part.strip())
        if _CJK_DATELINE.match(part):
            continue
        part = _ROLE_SUFFIX.sub("", part).strip(" ,:-|\"'“”‘’•*·»«●▪(")
        if part.endswith(".") and not re.search(r"\b\w{1,3}\.$", part):
            part = part[:-1]
        if not part:
            continue
        # split "A, B" when both sides look like names; keep credentials attached
        pieces = [p.strip() for p in part.split(",") if p.strip()]
        if (
            len(pieces) == 2
            and len(pieces[0].split()) >= 2
            and len(pieces[1].split()) == 1
            and pieces[1][:1].isupper()
            and pieces[1].isalpha()
            and not pieces[1].isupper()
            and not _ROLE_ENDING.search(pieces[1])
        ):
            pieces = pieces[:1]  # "Chinedu Okafor, Abuja": the place of the dateline
        cur = ""
        for p in pieces:
            credential = bool(_CREDENTIAL.match(p) or _CREDENTIAL.match(p.replace(" ", "")))
            if cur and (credential or (len(p.split()) < 2 and not p[:1].isupper())):
                cur += ", " + p
            else:
                if cur:
                    names.append(cur)
                cur = p
        if cur:
            names.append(cur)
    out = []
    for name in names:
        name = _without_site(_collapse_repeats(name), site_keys)
        if _TEMPLATE_KEY.match(name):
            continue
        if len(name) > 60 or len(name.split()) > 6:
            continue
        if sum(ch.isalpha() for ch in name) < 2 or _NOT_A_NAME.match(name):
            continue
        if _NOT_A_BYLINE.search(name):
            continue
        if len(name) <= 3 and name.endswith("."):  # a left-over "Sr." / "Dr."
            continue
        out.append(name)
    return out


def _without_role_segment(s: str) -> str:
    """Cut a short segment after a separator that holds a role word within its first words
    ("Ahmet Yılmaz - Ekonomi Muhabiri" -> "Ahmet Yılmaz")."""
    for sep in _ROLE_SEGMENT_SEPS:
        head, found, tail = s.partition(sep)
        if not found or not head.strip():
            continue
        words = tail.split()
        m = _ROLE.search(tail)
        if m and len(words) <= ROLE_SEGMENT_WORDS and len(tail[: m.start()].split()) <= 2:
            return head
    return s


# reporters named in the article text by CJK wire conventions: the Korean lead
# "(서울=연합뉴스) 홍길동 기자 = …", the Chinese "…2月21日电（记者张伟、李娜）", the Japanese
# signature paragraph "【山田太郎】" at the end
_KO_LEAD = re.compile(
    r"^\s*[(\[][^)\]]{1,30}[)\]]\s*([가-힣]{2,4})\s*(?:선임|수석|객원|인턴)?기자\s*="
)
_ZH_LEAD = re.compile(
    r"电\s*[（(]\s*(?:记者|記者)\s*([\u4e00-\u9fff]{2,4}(?:\s*[、，]\s*[\u4e00-\u9fff]{2,4})*)\s*[）)]"
)
_JA_SIGNATURE = re.compile(
    r"^\s*[【［(（]\s*([\u3040-\u30ff\u4e00-\u9fff]{2,8}(?:\s*[、，]\s*[\u3040-\u30ff\u4e00-\u9fff]{2,8})*)"
    r"\s*[】］)）]\s*$"
)
# bracketed labels that are not a signature ("【関連記事】", "【速報】", "【写真】")
_NOT_A_SIGNATURE = re.compile(
    r"関連|速報|写真|動画|詳報|図解|独自|解説|注目|広告|相关|新闻|图|视频"
)
_CJK_LIST = re.compile(r"\s*[、，]\s*")


def names_in_text(paragraphs: list[str]) -> list[str]:
    """Reporters named by a CJK wire convention in the article's paragraphs (the first three
    for a lead, the last three for a signature), or []."""
    for text in paragraphs[:3]:
        m = _KO_LEAD.match(text) or _ZH_LEAD.search(text[:80])
        if m:
            return _CJK_LIST.split(m.group(1))
    for text in reversed(paragraphs[-3:]):
        m = _JA_SIGNATURE.match(text)
        if m and not _NOT_A_SIGNATURE.search(m.group(1)):
            return _CJK_LIST.split(m.group(1))
    return []


def _collapse_repeats(name: str) -> str:
    """ "Loona Construction Loona Construction" (a name printed twice, glued) -> once."""
    words = name.split()
    for size in range(1, len(words) // 2 + 1):
        if len(words) % size == 0 and words == words[:size] * (len(words) // size):
            return " ".join(words[:size])
    return name


def _without_site(name: str, site_keys: set[str]) -> str:
    """A person's name followed by the publisher's ("Brian Truitt USA TODAY",
    "David Jackson - FullStack Editorial Team") -> the person's."""
    for sep in (" - ", " – ", " — ", " | "):
        head, found, tail = name.partition(sep)
        if (
            found
            and len(head.split()) >= 2
            and (
                is_site_name(tail, site_keys)
                or re.search(r"\b(?:team|staff|editorial)\b", tail, re.I)
            )
        ):
            return head.strip()
    words = name.split()
    for k in range(2, len(words)):
        if is_site_name(" ".join(words[k:]), site_keys):
            return " ".join(words[:k])
    return name


def is_agency(name: str, site_keys: set[str]) -> bool:
    """A news agency or the publisher ("Reuters", "The Commercial Appeal" on its own site)
    named in a list of authors next to people."""
    folded = " ".join(name.casefold().split())
    if folded in _AGENCIES or is_site_name(name, site_keys) or _CJK_PUBLICATION.search(name):
        return True
    # the publisher's desk and a place ("g1 SP — São Paulo", "Reuters Berlin")
    first = fold_name(folded.split()[0]) if folded else ""
    # (the site's first word only before a dash: "Kyle Howells" on kyle.me is a person)
    return first in _AGENCIES or (first in site_keys and bool(re.search(r"\s[—–-]\s", name)))


def is_site_name(name: str, site_keys: set[str]) -> bool:
    """True when ``name`` is the publisher itself (its site name or registered domain)."""
    folded = fold_name(re.sub(r"^the\s+", "", name.strip().casefold()))
    if not folded:
        return False
    for key in site_keys:
        if folded == key or (len(key) >= 4 and folded.startswith(key) and len(folded) < 30):
            return True
        # "Le Monde" on "Le Monde.fr", "Kompas" on "Kompas.com"
        if len(folded) >= 4 and key.startswith(folded) and key[len(folded) :] in _DOMAIN_ENDINGS:
            return True
    return False


def clean_authors(raws: list[str], site_keys: set[str] | None = None) -> list[str]:
    keys = site_keys or set()
    out: list[str] = []
    seen: set[str] = set()
    for raw in raws:
        if not isinstance(raw, str):
            continue
        for name in _clean_one(raw, keys):
            k = name.casefold()
            if k not in seen:
                seen.add(k)
                out.append(name)
    people = [n for n in out if not is_agency(n, keys)]
    return people if people and len(people) < len(out) else out
