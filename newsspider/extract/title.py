"""Headline selection: compare JSON-LD headline, og:title, ``<h1>`` and ``<title>``.

* An ``<h1>`` that agrees with a metadata title (equal, or contained in it) wins: it is the
  title as printed on the page, without site decorations.
* Otherwise the JSON-LD headline, then og:title / twitter:title / ``<title>`` with site-name
  decorations stripped: the string is split on separators surrounded by spaces
  (`` | ``, `` - ``, `` – ``, `` — ``, `` · ``, `` » ``, `` :: ``, `` / ``) and segments that
  match the site name (og:site_name, JSON-LD WebSite name, or the registered domain) are
  dropped; if no segment matches the site, a short trailing segment is dropped when the first
  one is clearly the longest.
"""

from __future__ import annotations

import html
import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit

import lxml.etree

from newsspider.extract.html import INVISIBLE

__all__ = [
    "choose_headline",
    "find_standfirst",
    "fold_name",
    "glued_kicker",
    "heading_parts",
    "kicker_before",
    "strip_site_name",
]

_SEP = re.compile(r"\s+(?:\||-|–|—|·|•|»|::|/|~|<|>)\s+")
# the same without "»" for a title quoting with guillemets ("« Nous irons jusqu’au bout »")
_SEP_QUOTED = re.compile(r"\s+(?:\||-|–|—|·|•|::|/|~|<|>)\s+")
# separators written without spaces in CJK titles: a full-width bar anywhere ("…｜日経"), an
# underscore, hyphen or bar right after a CJK character ("…发展_新华网", "…확대-한겨레")
_CJK_SEP = re.compile(
    r"\s*[｜│]\s*|(?<=[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7a3\uff01-\uff60])\s*[_|\-]\s*"
)
# a last segment that names a news service rather than the article ("Son Dakika Haberleri",
# "Hindi News", "ライブドアニュース"): dropped when no segment matched the site
_NEWS_WORDS = re.compile(
    r"\b(?:news|nachrichten|actualités|actualites|noticias|notícias|notizie|nieuws|nyheter|"
    r"nyheder|wiadomości|haberler[i]?|haber|berita|tin\s+tức|новости|новини|أخبار|"
    r"समाचार|खबर|न्यूज़?|breaking)\b|뉴스|新闻|新聞|ニュース|资讯",
    re.IGNORECASE,
)
# a pagination marker left at the end ("… Halaman all", "… - Page 2", "Seite 3")
_PAGE_MARK = re.compile(
    r"\s*[-–|:]?\s*\(?(?:page|halaman|seite|página|pagina|strona|sayfa|trang)\s+(?:\d+|all|semua)\)?$",
    re.IGNORECASE,
)


def _seps(title: str) -> re.Pattern[str]:
    return _SEP_QUOTED if "«" in title else _SEP


_NON_ALNUM = re.compile(r"[\W_]+")


def _latin_accents() -> dict[int, str]:
    """Latin letters with diacritics -> their base letter ("í" -> "i", "ổ" -> "o"), one to one
    (Hangul and other scripts that decompose are left alone)."""
    table = {}
    for cp in (*range(0xC0, 0x250), *range(0x1E00, 0x1F00)):
        base = "".join(c for c in unicodedata.normalize("NFKD", chr(cp)) if c.isalpha())
        if len(base) == 1 and base != chr(cp):
            table[cp] = base
    return table


_ACCENTS = _latin_accents()


def fold_name(s: str) -> str:
    """A name for comparison: case-folded, without accents, punctuation or spaces ("EL PAÍS",
    "El País" and elpais.com all give "elpais")."""
    return _NON_ALNUM.sub("", s.casefold().translate(_ACCENTS))


_fold = fold_name


def _site_keys(site_name: str | None, url: str) -> set[str]:
    keys = set()
    if site_name:
        keys.add(_fold(site_name))
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        host = ""
    parts = [p for p in host.split(".") if p not in ("www", "m", "amp", "blog", "news")]
    if len(parts) >= 2:
        keys.add(_fold(parts[-2]))
        keys.add(_fold("".join(parts[:-1])))
        keys.add(_fold("".join(parts)))
    keys.discard("")
    return keys


def _is_site(segment: str, keys: set[str]) -> bool:
    f = _fold(segment)
    if not f:
        return True
    return any(f == k or (len(k) >= 4 and (k in f or f in k) and len(f) < 40) for k in keys)


def strip_site_name(title: str, site_name: str | None, url: str) -> str:
    title = _PAGE_MARK.sub("", " ".join(title.split())) or title
    sep = _seps(title)
    parts = sep.split(title)
    if len(parts) == 1:
        return _strip_cjk_site(title, _site_keys(site_name, url))
    keys = _site_keys(site_name, url)
    kept = [p for p in parts if not _is_site(p, keys)]
    if kept and len(kept) < len(parts):
        # re-join what is left with the original separators; section names left between the
        # headline and the site ("Title | Internacional | EL PAÍS") go with the site
        if len(kept) == 1 or _sections_only(kept):
            return _PAGE_MARK.sub("", kept[0].strip()) or kept[0].strip()
        return _rejoin(title, parts, kept)
    first, last = parts[0], parts[-1]
    if (len(first) >= 2 * len(last) and len(last.split()) <= 4) or (
        _NEWS_WORDS.search(last) and len(last.split()) <= 5 and len(first) > len(last)
    ):
        if len(parts) > 2 and _sections_only(parts[:-1]):
            return first.strip()  # "Title < 사회 < 기사본문 - 경기일보": breadcrumb and site
        return _rejoin(title, parts, parts[:-1])
    return title


def _sections_only(kept: list[str]) -> bool:
    """The segments after the first are section labels: one or two words each, the first
    segment at least twice as long."""
    first, rest = kept[0], kept[1:]
    return all(len(p.split()) <= 2 and len(first) >= 2 * len(p) for p in rest)


def _strip_cjk_site(title: str, keys: set[str]) -> str:
    """A site suffix glued to a CJK title without spaces ("…高质量发展_新华网", "…｜日経"): the
    last segment, when it is the site or short next to the headline."""
    seps = list(_CJK_SEP.finditer(title))
    if not seps:
        return title
    last_sep = seps[-1]
    head, last = title[: last_sep.start()].strip(), title[last_sep.end() :].strip()
    if head and last and (_is_site(last, keys) or (len(last) <= 12 and len(head) >= 2 * len(last))):
        return head
    return title


def _rejoin(title: str, parts: list[str], kept: list[str]) -> str:
    seps = _seps(title).findall(title)
    out = ""
    for i, p in enumerate(parts):
        if p in kept:
            if out:
                out += seps[i - 1] if i - 1 < len(seps) else " "
            out += p
    return out.strip()


_WORD = re.compile(r"\w+")
# class/id words of a kicker (the short label printed over or before a headline)
_KICKER_CLASS = re.compile(
    r"kicker|overline|topline|eyebrow|dachzeile|roofline|supertitle|super-title|pretitle|"
    r"pre-title|overtitle|surtitre|antetitulo|occhiello|flag|label|rubric|category|tagline",
    re.IGNORECASE,
)
KICKER_MAX = 80
# where two text nodes of one heading meet without a space, a lower-case letter, digit or
# closing bracket followed by a capital is two visual lines ("Nationale Demo" + "Der 9. Juli")
_GLUE = re.compile(r"(?:[^\W\d_]{2}[a-z\u00df-\u00ff]|[0-9)\]?!.:])$")


def _two_lines(out: str, piece: str) -> bool:
    """``out`` and ``piece`` are two visual lines of a heading that meet without a space: a
    lower-case letter of any script, digit or closing bracket before a capital ("Эксклюзив" +
    "Путин …", "Ανάλυση" + "Η κυβέρνηση"), or an upper-case kicker before a capitalised word
    ("EXKLUSIV" + "Der 9. Juli")."""
    if not piece[0].isupper():
        return False
    if _GLUE.search(out):
        return True
    tail = out[-3:]
    if len(tail) < 3 or not tail.isalpha():
        return False
    return tail[-1].islower() or (tail.isupper() and piece[1:2].islower())


_MOJIBAKE = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d"
    "\u017e\u0192\u02c6\u02dc\u2013-\u203a\u20ac\u2122]"
)


def _quotes(s: str) -> str:
    """Headlines keep their typographic quotes as printed (“…”, ’): no folding to ASCII. A
    page whose own text is UTF-8 decoded twice ("Investorâ\x80\x99s", "Investorâ€™s") is
    mended."""
    if _MOJIBAKE.search(s):
        for codec in ("latin-1", "cp1252"):
            try:
                return s.encode(codec).decode("utf-8")
            except UnicodeError:
                continue
    return s


def _join_pieces(pieces: list[str]) -> str:
    out = ""
    for piece in pieces:
        glued = out and piece and not out[-1].isspace() and not piece[0].isspace()
        if glued and _two_lines(out, piece):
            out += " "
        out += piece
    return " ".join(out.translate(INVISIBLE).split())


def kicker_before(h: Any) -> str | None:
    """A kicker printed just before the heading ``h``: its previous sibling (or the previous
    sibling of a wrapper holding only ``h``) whose class says kicker/overline/eyebrow/..."""
    el = h
    for _ in range(2):
        prev = el.getprevious()
        while prev is not None and not isinstance(prev.tag, str):
            prev = prev.getprevious()
        if prev is not None:
            words = f"{prev.get('class') or ''} {prev.get('id') or ''}"
            text = " ".join("".join(t for t in prev.itertext() if isinstance(t, str)).split())
            if _KICKER_CLASS.search(words) and 0 < len(text) <= KICKER_MAX:
                return text.rstrip(" :|–—-") or None
            return None
        parent = el.getparent()
        if parent is None or len([c for c in parent if isinstance(c.tag, str)]) != 1:
            return None
        el = parent
    return None


# class/id/itemprop words of a standfirst (the dek/summary between the headline and the body)
_STANDFIRST_CLASS = re.compile(
    r"standfirst|\bdek\b|\bdeck\b|dek[_-]|articledek|sub-?title|sub-?headline|\bsubhead|"
    r"subhed|strapline|\blede\b|\blead(?:-?text|-?in|-?paragraph)?\b|\bintro\b|"
    r"article-?summary|summary-text|\bsummary\b|teaser|excerpt|\babstract\b|chapo|chapeau|"
    r"bajada|entradilla|sottotitolo|vorspann|ingress|alternativeheadline|\bdescription\b",
    re.IGNORECASE,
)
_STANDFIRST_NOT = re.compile(
    r"newsletter|cookie|consent|author|bio|comment|related|promo|card|caption|cta|form|"
    r"site-description|nav|menu|footer|sidebar|share|modal|popup|tooltip|breadcrumb",
    re.IGNORECASE,
)
STANDFIRST_MIN = 30
STANDFIRST_MAX = 600
STANDFIRST_SCAN = 40  # elements looked at after the headline


def find_standfirst(h: Any) -> tuple[str | None, Any]:
    """``(text, element)`` of the standfirst printed after the headline element ``h``.

    Looks at the elements that follow ``h`` in document order (at most
    :data:`STANDFIRST_SCAN`) for one whose class/id/itemprop says standfirst/dek/subtitle/
    lead/summary/teaser (and not newsletter/author/related/...), holding 30-600 characters of
    mostly unlinked text; the first paragraph-sized block without such a class ends the search
    (the body has begun).
    """
    root = h.getroottree().getroot()
    seen = 0
    started = False
    for el in root.iter():
        if el is h:
            started = True
            continue
        if not started or not isinstance(el.tag, str) or h in el.iterancestors():
            continue
        seen += 1
        if seen > STANDFIRST_SCAN:
            break
        words = f"{el.get('class') or ''} {el.get('id') or ''} {el.get('itemprop') or ''}"
        marked = _STANDFIRST_CLASS.search(words) and not _STANDFIRST_NOT.search(words)
        if not marked and el.tag != "p":
            continue
        text = " ".join("".join(t for t in el.itertext() if isinstance(t, str)).split())
        if marked:
            if STANDFIRST_MIN <= len(text) <= STANDFIRST_MAX:
                linked = sum(
                    len(
                        a.text_content()
                        if hasattr(a, "text_content")
                        else "".join(t for t in a.itertext() if isinstance(t, str))
                    )
                    for a in el.iter("a")
                )
                if linked < 0.3 * len(text):
                    return text, el
            continue
        if el.tag == "p" and len(text) > 150:
            break
    return None, None


def heading_parts(h: Any) -> tuple[str | None, str]:
    """``(kicker, headline text)`` of a heading element.

    A first child whose class says kicker/overline/eyebrow/... (or that a ``<br>`` separates
    from the rest) is the kicker, not part of the headline; text nodes that meet without a
    space across elements are joined with one where a capital starts the next visual line.
    """
    kicker = None
    skip: Any = None
    children = [c for c in h if isinstance(c.tag, str)]
    if children and not (h.text or "").strip():
        first = children[0]
        words = f"{first.get('class') or ''} {first.get('id') or ''}"
        ktext = " ".join("".join(t for t in first.itertext() if isinstance(t, str)).split())
        rest_after_br = len(children) > 1 and children[1].tag == "br"
        if ktext and len(ktext) <= KICKER_MAX and (_KICKER_CLASS.search(words) or rest_after_br):
            kicker, skip = ktext.rstrip(" :|–—-") or None, first
    pieces: list[str] = []
    for ev, el in lxml.etree.iterwalk(h, events=("start", "end")):
        if not isinstance(el.tag, str):
            continue
        inside_skip = skip is not None and (el is skip or skip in el.iterancestors())
        if ev == "start":
            if el.tag == "br":
                pieces.append(" ")
            elif el.text and not inside_skip:
                pieces.append(el.text)
        elif el is not h and el.tail and not (inside_skip and el is not skip):
            pieces.append(el.tail)
    text = _join_pieces(pieces)
    if "&" in text and re.search(r"&(?:#x?[0-9a-f]+|[a-z]+);", text, re.IGNORECASE):
        text = html.unescape(text)
    if kicker and not text:
        return None, kicker
    return kicker, text


# scripts written without spaces between words (Han, kana, Thai, Lao, Khmer, Myanmar): their
# "words" are whole clauses, so headlines in them are compared by character pairs instead
_UNSPACED = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u9fff]")
UNSPACED_MIN = 4  # so many such characters make a headline of more than one word


def _units(s: str) -> set[str]:
    """Words of ``s``, case-folded; for text in a script without spaces, its character pairs."""
    if _UNSPACED.search(s):
        letters = "".join(ch for ch in s.casefold() if ch.isalnum())
        return {letters[i : i + 2] for i in range(len(letters) - 1)} or {letters}
    return {w.casefold() for w in _WORD.findall(s)}


def _overlap(a: str, b: str) -> float:
    """Share of ``a``'s words (character pairs in unspaced scripts) that ``b`` has too."""
    wa, wb = _units(a), _units(b)
    if not wa:
        return 0.0
    return len(wa & wb) / len(wa)


def _several_words(s: str) -> bool:
    """A headline, not a one-word label: two words, or in a script written without spaces
    (Chinese, Japanese, Thai) at least :data:`UNSPACED_MIN` of its characters."""
    return len(s.split()) >= 2 or len(_UNSPACED.findall(s)) >= UNSPACED_MIN


def _clean(s: Any) -> str | None:
    if not isinstance(s, str):
        return None
    if "&" in s:
        s = html.unescape(html.unescape(s))
    s = " ".join(s.translate(INVISIBLE).split())
    return s or None


def _strip_h1(h: str, keys: set[str]) -> str:
    """An h1 minus site-name segments ("Title – Artlyst"); after a pipe, as for ``<title>``."""
    parts = _seps(h).split(h)
    if len(parts) == 1:
        return h
    kept = [p for p in parts if not _is_site(p, keys)]
    if " | " in h and len(kept) > 1 and len(kept[0]) >= 2 * max(len(p) for p in kept[1:]):
        return kept[0].strip()
    if kept and len(kept) < len(parts):
        return kept[0].strip() if len(kept) == 1 else _rejoin(h, parts, kept)
    return h


def _is_stamp(rest: str) -> bool:
    """What an h1 holds besides its title is a stamp (a date, a byline with a date, a points
    counter), not words of the title: two or more words and a digit ("Dec 18 2025", "Posted on
    July 1, 2024 by infuy", "(latimes.com) 87"); a lone year ("2025 Software …") is a title's."""
    return (
        len(rest.split()) >= 2
        and any(ch.isdigit() for ch in rest)
        and bool(_STAMP_WORD.search(rest) or "(" in rest)
    )


# what makes a stamp of words with a digit: a year, a clock time, a month, a byline word
# ("… Trends from KBIS & IBS 202" is the title's own tail)
_STAMP_WORD = re.compile(
    r"\b(?:19|20)\d{2}\b|\d:\d\d|\b(?:posted|updated|published|by|read|ago|points?|"
    r"jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)\w*\b",
    re.IGNORECASE,
)


GLUED_KICKER_WORDS = 3


def glued_kicker(heading: str, title: str) -> str | None:
    """The kicker printed in the same heading before the metadata's title ("Nationale Demo" in
    "Nationale Demo Der 9. Juli wird Feiertag" when og:title is "Der 9. Juli wird Feiertag"):
    at most :data:`GLUED_KICKER_WORDS` words before a title that ends the heading."""
    if not title or not heading.endswith(title) or heading == title:
        return None
    prefix = heading[: len(heading) - len(title)].strip(" :|–—-")
    # a kicker is a few words ("2025", "[2025]", an article "The"/"Der"/"La" or a long first
    # line are the title's own)
    words = prefix.split()
    if (
        words
        and len(words) <= GLUED_KICKER_WORDS
        and not (len(words) == 1 and len(prefix) <= 3)
        and any(sum(ch.isalpha() for ch in w) >= 2 for w in words)
        and not title[:1].islower()
    ):
        return prefix
    return None


def _printed_part(text: str, folded: str) -> str | None:
    """The slice of ``text`` whose folded form is ``folded`` (None when it is not in it)."""
    keep = [i for i, ch in enumerate(text) if _fold(ch)]
    flat = "".join(_fold(text[i]) for i in keep)
    start = flat.find(folded)
    if start < 0 or len(flat) != len(keep):
        return None
    part = text[keep[start] : keep[start + len(folded) - 1] + 1]
    return part.strip() or None


def choose_headline(
    h1s: list[str],
    ld_headline: str | None,
    og_title: str | None,
    title_tag: str | None,
    site_name: str | None,
    url: str,
) -> tuple[str | None, str | None]:
    """Return ``(headline, source)`` where source is structured_data/meta/heuristics."""
    ld = _clean(ld_headline)
    og = _clean(og_title)
    tt = _clean(title_tag)
    metas = [m for m in (ld, og, tt) if m]
    folded_metas = [_fold(m) for m in metas]
    keys = _site_keys(site_name, url)
    good = [_strip_h1(h, keys) for h in h1s[:8] if len(_fold(h)) >= 4 and not _is_site(h, keys)]
    good = [h for h in good if h]
    # a kicker glued before the headline inside the <h1> ("Nationale Demo" + "Der 9. Juli …"),
    # the headline alone being the JSON-LD/OpenGraph title
    stripped = [_fold(strip_site_name(m, site_name, url)) for m in metas]
    for h in good:
        for fm in stripped[: len(metas) - bool(tt)]:
            part = _printed_part(h, fm) if len(fm) >= 12 else None
            if part and glued_kicker(h, part):
                return _quotes(part), "heuristics"
    for h in good:
        fh = _fold(h)
        for fm in folded_metas:
            if fh == fm or (fh in fm and len(fh) >= 0.3 * len(fm)):
                return _quotes(h), "heuristics"
    # an h1 holding a metadata title and more: a date, byline or counter printed inside the
    # heading ("Dec 18 2025 Preparing a transition", "… Posted on July 1, 2024 by infuy"):
    # the part of the printed h1 that is the title
    for h in good:
        for fm in stripped:
            part = _printed_part(h, fm) if len(fm) >= 12 else None
            if part and len(fm) >= 0.5 * len(_fold(h)) and _is_stamp(h.replace(part, " ")):
                return _quotes(part), "heuristics"
    # an h1 unrelated to every metadata title is usually a widget/section heading (measured on
    # the dev set: preferring a lone unrelated h1 over og:title loses more titles than it wins)
    if (
        good
        and _several_words(good[0])
        and (not metas or max(_overlap(good[0], m) for m in metas) >= 0.3)
    ):
        return _quotes(good[0]), "heuristics"
    if ld:
        return _quotes(strip_site_name(ld, site_name, url)), "structured_data"
    if og:
        return _quotes(strip_site_name(og, site_name, url)), "meta"
    if good:
        return _quotes(good[0]), "heuristics"
    if tt:
        return _quotes(strip_site_name(tt, site_name, url)), "meta"
    return None, None


# --------------------------------------------------------------------------- the masthead
# A headline still holding a separator may carry the site's name without og:site_name to
# name it (2008 pages: "Fire destroys warehouse : The Bayside Ledger"). The page itself names
# its site where a reader sees it: the logo's alt text, the link to the home page, an element
# classed logo/masthead/brand/site-name, the copyright line.
_MASTHEAD_SEP = re.compile(r"\s+(?:\||-|–|—|·|•|»|::|:|/|~)\s+")
_MASTHEAD_CLASS = re.compile(
    r"logo|masthead|brand|site-?name|site-?title|sitename|sitetitle|banner", re.IGNORECASE
)
_COPYRIGHT = re.compile(r"©|&copy;|\(c\)|\bcopyright\b|版权所有|版權所有", re.IGNORECASE)
_EXSLT = {"re": "http://exslt.org/regular-expressions"}
MASTHEAD_TEXT_MAX = 120  # an element or copyright line longer than this is not a site name
MASTHEAD_SEGMENT_WORDS = 6  # a site name is a few words


def has_masthead_separator(headline: str) -> bool:
    """The headline still holds a spaced separator (``" : "`` included)."""
    return bool(_MASTHEAD_SEP.search(headline))


def _home_link(href: str, host: str) -> bool:
    href = href.strip()
    if href in ("/", "./", "", "#") or href.lower() in ("/index.html", "/index.htm", "/index.php"):
        return True
    try:
        parts = urlsplit(href)
    except ValueError:
        return False
    return bool(parts.hostname) and parts.hostname == host and parts.path in ("", "/")


def masthead_names(root: Any, url: str) -> list[str]:
    """Folded texts where the page names its own site: logo alts, home-link texts, elements
    classed logo/masthead/brand/site-name, copyright lines (each under
    :data:`MASTHEAD_TEXT_MAX` characters)."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:
        host = ""
    out: list[str] = []

    def add(text: str | None) -> None:
        if text:
            f = _fold(text)
            if f and len(text) <= MASTHEAD_TEXT_MAX:
                out.append(f)

    for el in root.iter("a", "img"):
        if el.tag == "img":
            alt = el.get("alt")
            words = f"{el.get('src') or ''} {el.get('class') or ''} {el.get('id') or ''}"
            if alt and _MASTHEAD_CLASS.search(words):
                add(alt)
            continue
        if not _home_link(el.get("href") or "", host):
            continue
        add(" ".join("".join(t for t in el.itertext() if isinstance(t, str)).split()))
        for img in el.iter("img"):
            add(img.get("alt"))
    for el in root.xpath(
        "//*[re:test(@class, 'logo|masthead|brand', 'i') or re:test(@id, 'logo|masthead', 'i')]",
        namespaces=_EXSLT,
    ):
        add(" ".join("".join(t for t in el.itertext() if isinstance(t, str)).split()))
    for text in root.xpath(
        "//body//text()[re:test(., '©|copyright|\\(c\\)|版权所有|版權所有', 'i')]",
        namespaces=_EXSLT,
    ):
        line = " ".join(str(text).split())
        if _COPYRIGHT.search(line):
            add(line)
    return out


def strip_masthead_name(headline: str, names: list[str]) -> str:
    """``headline`` without a first or last segment that the page prints as its site's name
    (see :func:`masthead_names`): "Fire destroys warehouse : The Bayside Ledger", "Le Journal
    du Port :: Incendie au port". The segment is a few words, and what is left is still a
    headline, not the site's name again."""
    if not names:
        return headline
    parts = _MASTHEAD_SEP.split(headline)
    if len(parts) < 2:
        return headline
    seps = _MASTHEAD_SEP.findall(headline)

    def named(f: str) -> bool:
        return any(f == n or (len(f) >= 6 and f in n) for n in names)

    def is_site(p: str) -> bool:
        f = _fold(p)
        return len(f) >= 4 and len(p.split()) <= MASTHEAD_SEGMENT_WORDS and named(f)

    start, end = 0, len(parts)
    if is_site(parts[-1]):
        end -= 1
    if end - start > 1 and is_site(parts[0]):
        start += 1
    if (start, end) == (0, len(parts)):
        return headline
    kept = parts[start] + "".join(
        s + p for s, p in zip(seps[start : end - 1], parts[start + 1 : end], strict=True)
    )
    kept = kept.strip()
    # what is left is a headline, not the site's name again ("The Bayside Ledger : Ledger")
    return kept if _several_words(kept) and not named(_fold(kept)) else headline
