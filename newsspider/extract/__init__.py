"""Generic (any-site) article extraction.

Public, stable API::

    from newsspider.extract import extract_article, find_article_links

    extract_article(html, url, *, default_tz=None, now=None) -> dict
    find_article_links(html, url) -> list[dict]

Dates are read by :mod:`newsspider.dates` (the one date parser of the project), guided by the
page language; relative dates ("3 hours ago", "vor 3 Stunden") need ``now`` (the crawl time).

``extract_article`` returns a plain dict with the keys ``headline``, ``kicker``,
``standfirst``, ``body``, ``authors``,
``published_at``, ``updated_at``, ``published_at_raw``, ``updated_at_raw``,
``published_at_tz_assumed``, ``tags``, ``section``, ``language``, ``image_url``,
``description``, ``canonical_url``, ``sources`` and ``warnings``. Missing values are None
(never ""), lists may be empty. ``sources`` maps a filled field to ``"structured_data"``
(JSON-LD / microdata), ``"meta"`` (OpenGraph, ``article:*``, ``<meta name>``,
``<time datetime>``) or ``"heuristics"`` (DOM scoring). ``warnings`` holds one-line reasons
for anything odd. It never raises on bad input (empty, binary, huge, deeply nested, wrongly
declared or undeclared charset). ``kicker`` is the short label printed over the headline
("Nationale Demo"), never part of ``headline``; ``standfirst`` is the dek between headline and
body. A standfirst printed apart from the article text is not added to ``body`` (the dev
set's ground truth leaves out 78 of the 119 standfirsts found there); one printed inside the
article text stays in it. A consumer wanting both joins them. See docs/EXTRACTION.md.
"""

from __future__ import annotations

import contextlib
import itertools
import re
from datetime import date, datetime
from typing import Any
from urllib.parse import urljoin

from lxml import etree

from newsspider.dates import ParsedDate, parse_date, parse_datetime
from newsspider.extract.authors import (
    clean_authors,
    is_agency,
    ld_author_entries,
    names_in_text,
)
from newsspider.extract.body import FALLBACK_BELOW, clean_tree, extract_body, fallback_body
from newsspider.extract.dates import (
    NEAR_HEADLINE_CHARS,
    URL_DATE,
    date_label,
    embedded_published,
    headline_position,
    in_printed_zone,
    page_dayfirst,
    printed_dates,
    relative_dates,
    time_element_order,
)
from newsspider.extract.embedded import embedded_article_text, embedded_scripts, extends
from newsspider.extract.html import INVISIBLE, block_text, decode_html, parse_html, text_of
from newsspider.extract.language import SAMPLE_CHARS, declared_language, guess_language
from newsspider.extract.links import find_article_links
from newsspider.extract.metadata import Metadata, collect_metadata
from newsspider.extract.title import (
    _site_keys,
    choose_headline,
    find_standfirst,
    glued_kicker,
    has_masthead_separator,
    heading_parts,
    kicker_before,
    masthead_names,
    strip_masthead_name,
)

__all__ = ["extract_article", "find_article_links", "parse_datetime"]

LD_BODY_RATIO = 2.0
EMBEDDED_MIN_BODY = 200  # a DOM body shorter than this sends us to the page's embedded JSON
EMBEDDED_TEASER_BODY = 2000  # ... and one shorter than this, if the JSON text extends it
TEASER_RATIO = 1.3  # by this factor
FALLBACK_MAX_HTML = 1_000_000  # a short body on a larger page is not retried


PUBLISHED_META = (
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "published_time",
    "article:published",
    "datepublished",
    "date_published",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "publication_date",
    "sailthru.date",
    "parsely-pub-date",
    "article.published",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date",
    "dcterms.date",
    "dc.date.created",
    "dcterms.created",
    "citation_publication_date",
    "citation_date",
    "date",
    "created",
    "og:pubdate",
    "release_date",
    "originalpublicationdate",
)
UPDATED_META = (
    "article:modified_time",
    "og:article:modified_time",
    "og:updated_time",
    "modified_time",
    "datemodified",
    "last-modified",
    "lastmod",
    "dcterms.modified",
    "article.updated",
)
_BYLINE = re.compile(
    r"^(?:(?:written|posted|text|words|story|reported)\s+by|by|authors?|contributors?|"
    r"von|par|por|door|av|oleh|penulis|yazar|автор|tác\s+giả|作者)\b\s*[:：]?\s*",
    re.IGNORECASE,
)
_BYLINE_TAGS = ("span", "p", "div", "li", "address", "h2", "h3", "h4", "h5", "h6", "small", "em")
_WRITTEN_BY_LABEL = re.compile(
    r"^(?:written by|author|geschrieben von|verfasst von|écrit par|auteur|escrito por|autor|"
    r"scritto da|autore|geschreven door|napisane przez|yazar)\s*:?$",
    re.IGNORECASE,
)
# path segments of author pages, in the languages of the news we crawl
AUTHOR_PATHS = (
    "author", "authors", "writers", "profile", "autor", "autores", "auteur", "auteurs",
    "autore", "autori", "penulis", "yazar", "yazarlar", "signataires", "journalist",
    "journalists", "reporter", "reporters", "giornalisti", "redakteur", "tac-gia", "avtor",
)  # fmt: skip
_AUTHOR_CLASS = re.compile(r"author|byline|writer|creator", re.IGNORECASE)


def _empty(warnings: list[str]) -> dict[str, Any]:
    return {
        "headline": None,
        "kicker": None,
        "standfirst": None,
        "body": None,
        "authors": [],
        "published_at": None,
        "updated_at": None,
        "published_at_raw": None,
        "updated_at_raw": None,
        "published_at_tz_assumed": None,
        "tags": [],
        "section": None,
        "language": None,
        "image_url": None,
        "description": None,
        "canonical_url": None,
        "sources": {},
        "warnings": warnings,
    }


def _str(v: Any) -> str | None:
    if isinstance(v, list):
        v = next((x for x in v if isinstance(x, str | dict)), None)
    if isinstance(v, dict):
        v = v.get("@value") or v.get("name") or v.get("url")
    if isinstance(v, int | float) and not isinstance(v, bool):
        v = str(v)
    if not isinstance(v, str):
        return None
    v = " ".join(v.split())
    return v or None


def _spaced_text(el: Any) -> str:
    return " ".join(" ".join(el.itertext()).split())


def _br_lines(el: Any) -> list[str]:
    """The text of ``el`` as the lines its ``<br>`` tags break it into."""
    lines: list[list[str]] = [[]]
    for event, node in etree.iterwalk(el, events=("start", "end")):
        if event == "start":
            if node.tag == "br":
                lines.append([])
            elif isinstance(node.tag, str) and node.text:
                lines[-1].append(node.text)
        elif node is not el and node.tail:
            lines[-1].append(node.tail)
    return [t for t in (" ".join(" ".join(line).split()) for line in lines) if t]


def _attr_value(el: Any) -> str | None:
    for attr in ("content", "datetime", "value"):
        v = el.get(attr)
        if v and v.strip():
            return str(v.strip())
    txt = " ".join(text_of(el).split())
    return txt or None


def extract_article(
    html: str | bytes,
    url: str,
    *,
    default_tz: str | None = None,
    now: datetime | None = None,
) -> dict[str, Any]:
    """Extract the article in ``html`` (served at ``url``). Never raises on bad input."""
    warnings: list[str] = []
    try:
        return _extract(html, url, default_tz, now, warnings)
    except Exception as exc:  # last-resort guard: a bad page must not kill a crawl
        warnings.append(f"extraction failed: {type(exc).__name__}: {exc}"[:200])
        return _empty(warnings)


def _extract(
    html: str | bytes,
    url: str,
    default_tz: str | None,
    now: datetime | None,
    warnings: list[str],
) -> dict[str, Any]:
    text = decode_html(html if html is not None else "", warnings)
    root = parse_html(text)
    result = _empty(warnings)
    if root is None:
        if "binary content" not in warnings:
            warnings.append("empty or unparseable html")
        return result
    sources: dict[str, str] = result["sources"]
    md = collect_metadata(root)
    scripts = embedded_scripts(root)
    _strip_scripts(root)
    art = md.article or {}
    page = md.page or {}

    # ------------------------------------------------------------------ headline
    h1s: list[str] = []
    h1_info: list[tuple[Any, str | None, str]] = []
    for h in root.iter("h1"):
        kicker, t = heading_parts(h)
        if t and len(t) < 400:
            h1s.append(t)
            h1_info.append((h, kicker, t))
    headline, src = choose_headline(
        h1s,
        _str(art.get("headline")) or _str(art.get("name")),
        md.first_meta("og:title", "twitter:title"),
        md.title_tag,
        md.site_name,
        url,
    )
    if headline and has_masthead_separator(headline):
        # the site's name left in the title where no og:site_name names it ("… : The
        # Bayside Ledger"): the page prints it in its masthead, logo or copyright line
        named = strip_masthead_name(headline, masthead_names(root, url))
        if named != headline:
            headline, src = named, "heuristics"
    headline_el = next((h for h, _, t in h1_info if headline and t == headline), None)
    if headline_el is None and headline:  # a kicker glued before the headline in its <h1>
        for i, (h, kicker, t) in enumerate(h1_info):
            glued = glued_kicker(t, headline)
            if glued:
                headline_el, h1_info[i] = h, (h, kicker or glued, t)
                break
    for h, kicker, _ in h1_info:
        if h is headline_el:
            result["kicker"] = kicker or kicker_before(h)
            if result["kicker"]:
                sources["kicker"] = "heuristics"
    standfirst = find_standfirst(headline_el)[0] if headline_el is not None else None
    if standfirst:
        result["standfirst"] = standfirst
        sources["standfirst"] = "heuristics"
    if headline:
        result["headline"] = headline
        sources["headline"] = src or "heuristics"

    # ------------------------------------------------------------------ dates
    lang = md.lang
    pub_raw, pub_src, dayfirst, lang = _find_published(
        root, md, art, page, url, [headline or "", *h1s[:1]], now, lang
    )
    if pub_raw is None:
        # nothing in the metadata or the text: JSON-LD-like data escaped in an attribute
        pub_raw, pub_src = embedded_published(text), "structured_data"
    published = parse_date(
        pub_raw, default_tz=default_tz, now=now, dayfirst=dayfirst, language=lang, source=pub_src
    )
    _put_date(result, "published_at", published)
    if published.raw and not published.value:
        warnings.append(f"unparseable published date: {published.raw[:60]!r}")
    upd_raw, upd_src = _find_updated(md, art, page)
    updated = parse_date(upd_raw, default_tz=default_tz, now=now, language=lang, source=upd_src)
    if updated.value:  # an unreadable modification date is not worth a warning
        _put_date(result, "updated_at", updated)

    # ------------------------------------------------------------------ authors
    keys = _site_keys(md.site_name, url)
    authors, a_src = _find_authors(root, md, art, keys)
    result["authors"] = authors
    if authors:
        sources["authors"] = a_src

    # ------------------------------------------------------------------ other metadata
    tags: list[str] = []
    kw = art.get("keywords")
    if isinstance(kw, str):
        tags = [t.strip() for t in kw.split(",")]
    elif isinstance(kw, list):
        tags = [t.strip() for t in kw if isinstance(t, str)]
    if tags:
        sources["tags"] = "structured_data"
    else:
        tags = [t.strip() for t in md.meta.get("article:tag", [])]
        if not tags:
            news_kw = md.first_meta("news_keywords", "keywords")
            tags = [t.strip() for t in (news_kw or "").split(",")]
        if tags:
            sources["tags"] = "meta"
    seen: set[str] = set()
    unique_tags: list[str] = []
    for t in tags:
        if t and t.casefold() not in seen:
            seen.add(t.casefold())
            unique_tags.append(t)
    result["tags"] = unique_tags[:50]
    if not result["tags"]:
        sources.pop("tags", None)

    section = _str(art.get("articleSection"))
    if section:
        sources["section"] = "structured_data"
    else:
        section = md.first_meta("article:section", "section", "category")
        if section:
            sources["section"] = "meta"
    result["section"] = section

    lang, lang_src = declared_language(root, md.meta, md.ld_objects)
    if lang:
        result["language"] = lang
        sources["language"] = lang_src
    image = _str(art.get("image"))
    if image:
        sources["image_url"] = "structured_data"
    else:
        image = md.first_meta("og:image", "og:image:url", "twitter:image", "twitter:image:src")
        if image:
            sources["image_url"] = "meta"
    if image:
        try:
            result["image_url"] = urljoin(url, image)
        except ValueError:
            result["image_url"] = None
    desc = md.first_meta("og:description", "description", "twitter:description")
    if desc:
        sources["description"] = "meta"
    else:
        desc = _str(art.get("description"))
        if desc:
            sources["description"] = "structured_data"
    result["description"] = desc
    canonical = md.canonical or md.first_meta("og:url")
    if canonical:
        with contextlib.suppress(ValueError):
            result["canonical_url"] = urljoin(url, canonical)

    # ------------------------------------------------------------------ body
    clean_tree(root)
    ld_body = _str(art.get("articleBody"))
    body = extract_body(root, headline, ld_body)
    body_src = "heuristics"
    ld_longer = (
        ld_body
        and len(ld_body) > 200
        and (
            len(ld_body) > LD_BODY_RATIO * len(body or "")
            or (len(ld_body) > TEASER_RATIO * len(body or "") and extends(body or "", ld_body))
        )
    )
    if ld_body and (ld_longer or not body):
        body, body_src = ld_body, "structured_data"
    if len(body or "") < EMBEDDED_TEASER_BODY and scripts:
        # a client-rendered page: the article is only in the hydration JSON; or the page
        # prints a teaser of the text the JSON holds in full (taken only if it extends ours)
        embedded = embedded_article_text(scripts)
        n = len(body or "")
        if embedded and (
            (n < EMBEDDED_MIN_BODY and len(embedded) > LD_BODY_RATIO * n)
            or (len(embedded) > TEASER_RATIO * n and extends(body or "", embedded))
        ):
            body, body_src = embedded, "structured_data"
    if len(body or "") < FALLBACK_BELOW and (not body or len(text) < FALLBACK_MAX_HTML):
        # the main strategy found (almost) nothing: a second, lenient pass on a fresh parse
        # (on a huge page only when it found nothing at all: the parse is the cost)
        second = fallback_body(text, headline)
        if second and len(second) > LD_BODY_RATIO * len(body or ""):
            body, body_src = second, "heuristics"
    if body and any(ch in body for ch in "\u00ad\u200b\u2060\ufeff"):
        body = body.translate(INVISIBLE).strip()  # soft hyphens, zero-width spaces
    if body:
        result["body"] = body
        sources["body"] = body_src
    else:
        warnings.append("no article body found")
    if result["language"] in (None, "en"):
        # nothing declared, or a theme's default "en" over text in another language
        guessed = guess_language(" ".join(filter(None, [headline, body])))
        if guessed and (result["language"] is None or guessed != "en"):
            result["language"] = guessed
            sources["language"] = "heuristics"
    return result


def _put_date(result: dict[str, Any], name: str, parsed: ParsedDate) -> None:
    """Write a date group into the extract_article() dict, whole."""
    result[name] = parsed.value
    result[f"{name}_raw"] = parsed.raw
    if name == "published_at":
        result["published_at_tz_assumed"] = parsed.tz_assumed
    if parsed.value and parsed.source:
        result["sources"][name] = parsed.source


def _strip_scripts(root: Any) -> None:
    doomed = [el for el in root.iter("script", "style", "noscript", "template")]
    for el in doomed:
        parent = el.getparent()
        if parent is None:
            continue
        if el.tail:
            prev = el.getprevious()
            if prev is not None:
                prev.tail = (prev.tail or "") + el.tail
            else:
                parent.text = (parent.text or "") + el.tail
        parent.remove(el)


def _find_published(
    root: Any,
    md: Metadata,
    art: dict[str, Any],
    page: dict[str, Any],
    url: str,
    headlines: list[str],
    now: datetime | None = None,
    language: str | None = None,
) -> tuple[str | None, str, bool | None, str | None]:
    """The publication date: ``(raw string, source, dayfirst hint for parsing it, language
    to read it in)``; the language is the declared one, or the text's when the page declares
    none or English over text in another language.

    Candidates: ``article:published_time``-style meta ("og"), JSON-LD ``datePublished``
    (article, then WebPage), microdata, other published-date metas, then modification dates,
    then ``<time datetime>``; plus the dates printed in the page text (each with the label
    printed before it: "Published …", "Updated …", in the page's language) and a date in the
    URL. A day is *printed* when it appears in the text other than only after an "Updated"
    label: a date the page itself calls an update is not its publication date.

    1. A full date in the URL path (``/2025/12/18/``) is the most reliable signal: the
       candidate on that day (any source, printed or not) wins, else the URL date itself.
    2. A date the page labels as published ("Published …", "Publié le …", "입력 …"; not in a
       list of cards repeating the label) wins, unless it is within a day of the top
       candidate (the same moment in another zone: the candidate keeps its time).
    3. The first published-date candidate whose day is printed wins (metadata often carries
       stale or template dates). Modification dates count too (a page printing only its
       modification date without calling it an update is dated by it), except when the top
       candidate is an OpenGraph ``article:published_time``: that tag is CMS-set and reliable.
    4. Unprinted: the date printed right below the headline (within ``NEAR_HEADLINE_CHARS``)
       wins when it is not a modification date and more than a day from the top candidate
       (an OpenGraph time set by a site migration, a Medium post's "Dec 30, 2013"); else an
       OpenGraph published time is kept, and other metadata loses to a ``<time>`` element
       whose day is printed.
    5. No published candidate: a printed ``<time>`` (the first one after the headline before
       those of a sidebar above it; not classed or labelled as an update), a printed
       modification date, any ``<time>``, the first printed date, the first modification date.

    Last, a pick that the page prints only as the update of a pair ("December 3, 2025.
    Updated: December 7, 2025") gives way to the date printed first.
    """
    body = root.find("body")
    text = " ".join((block_text(body) if body is not None else "")[:100_000].split())
    lang = root.get("lang") or md.first_meta("og:locale") or ""
    times = root.xpath("//time")[:30]
    shown = time_element_order(
        [(t.get("datetime") or "", " ".join(text_of(t).split())[:80]) for t in times]
    )
    dayfirst = page_dayfirst(text, lang, shown)
    if language in (None, "en"):
        # undeclared, or a theme's default "en" over text in another language: the text's
        # own language finds its printed dates ("21 de febrero de 2026")
        guessed = guess_language(text[:SAMPLE_CHARS])
        if guessed and guessed != "en":
            language = guessed

    def day(v: str) -> str:
        return (parse_date(v, now=now, dayfirst=dayfirst, language=language).value or "")[:10]

    cands: list[tuple[str, str, str]] = []

    def add(v: str | None, src: str, kind: str) -> None:
        if v and day(v):
            cands.append((v, src, kind))

    for k in PUBLISHED_META[:3]:
        for v in md.meta.get(k, []):
            add(" ".join(v.split()), "meta", "og")
    for obj in (art, page):
        for key in ("datePublished", "dateCreated", "uploadDate"):
            add(_str(obj.get(key)), "structured_data", "ld")
    for el in md.microdata.get("datePublished", []):
        add(_attr_value(el), "structured_data", "ld")
    for obj in md.ld_objects:
        add(_str(obj.get("datePublished")), "structured_data", "ld")
    add(md.first_meta(*PUBLISHED_META[3:]), "meta", "meta")
    for k, vs in md.meta.items():
        if "publish" in k and not any(w in k for w in ("publisher", "modif", "updat")):
            for v in vs[:1]:
                add(" ".join(v.split()), "meta", "meta")
    n_pub = len(cands)
    for obj in (art, page):
        add(_str(obj.get("dateModified")), "structured_data", "mod")
    add(md.first_meta(*UPDATED_META), "meta", "mod")
    n_strong = len(cands)
    time_pos: dict[int, int] = {}  # candidate index -> position of the <time>'s text
    for t in times[:10]:
        label = " ".join(text_of(t).split())[:80]
        hint = " ".join(filter(None, [t.get("class"), t.get("itemprop"), t.get("id"), label]))
        if "modif" not in hint.lower() and "updat" not in hint.lower():
            before = len(cands)
            add((t.get("datetime") or "").strip() or label, "meta", "time")
            if len(cands) > before and label:
                time_pos[before] = text.find(label)
    printed = printed_dates(text, dayfirst, language, now)
    labels = [date_label(text, pos) for pos, _, _ in printed]
    seen_days = {d for _, _, d in printed}
    mod_days = {day(v) for v, _, kind in cands[n_pub:n_strong] if kind == "mod"}

    hpos = headline_position(text, headlines)

    def finish(v: str, src: str, hint: bool | None) -> tuple[str, str, bool | None, str | None]:
        """The pick, unless the page prints it only as the update of a pair."""
        d = (parse_datetime(v, now=now, dayfirst=hint, language=language)[0] or "")[:10]
        for i in range(1, len(printed)):
            (p0, raw0, d0), (p1, _, d1) = printed[i - 1], printed[i]
            if d1 == d and d0 != d and labels[i] == "updated" and p1 - p0 < 80:
                return raw0, "heuristics", dayfirst, language
        if src != "heuristics" and hpos >= 0:
            # a UTC timestamp whose moment the page prints under its headline on another day
            near = [c for c in printed if abs(c[0] - hpos) < NEAR_HEADLINE_CHARS]
            local = in_printed_zone(v, near)
            if local:
                return local, src, hint, language
        return v, src, hint, language

    m_url = URL_DATE.search(url or "")
    if m_url:
        url_day = f"{m_url.group(1)}-{m_url.group(2)}-{m_url.group(3)}"
        for v, src, _ in cands:
            if day(v) == url_day:
                return v, src, dayfirst, language
        for _, raw, d in printed:
            if d == url_day:
                return raw, "heuristics", dayfirst, language
        return url_day, "heuristics", dayfirst, language

    top_day = day(cands[0][0]) if n_pub else ""
    labelled = [
        (raw, d) for (_, raw, d), lab in zip(printed, labels, strict=True) if lab == "published"
    ]
    top_confirmed = any(
        d == top_day and lab != "updated" for (_, _, d), lab in zip(printed, labels, strict=True)
    )
    if labelled and not top_confirmed:
        raw, d = labelled[0]
        cards = sum(1 for _, other in labelled if other == d) >= 3  # "Published …" on cards
        if not cards and not (top_day and _days_apart(top_day, d) <= 1):
            for v, src, _ in cands:
                if day(v) == d:
                    return finish(v, src, dayfirst)
            return finish(raw, "heuristics", dayfirst)

    og_first = n_pub > 0 and cands[0][2] == "og"
    # the OpenGraph time is checked alone: another metadata date printed somewhere (a card
    # of a related article) does not beat it; one printed under the headline may (below)
    order = [c for c in cands[:n_pub] if c[2] == "og"] if og_first else cands[:n_strong]
    if not n_pub:
        # no published date in metadata: a printed <time> beats a printed modification date,
        # and the one printed under the headline beats a sidebar's list printed above it
        near = [
            i
            for i, p in sorted(time_pos.items())
            if hpos >= 0 and 0 <= p - hpos < NEAR_HEADLINE_CHARS
        ]
        order = [cands[i] for i in near] + cands[n_strong:] + order
    elif hpos >= 0:
        # a published date printed under the headline before one printed elsewhere (the
        # JSON-LD of related articles whose cards print their dates further down)
        near_days = {d for p, _, d in printed if 0 <= p - hpos < NEAR_HEADLINE_CHARS}
        first = [c for c in order[:n_pub] if day(c[0]) in near_days]
        order = first + order
    for v, src, _ in order:
        if day(v) in seen_days:
            return finish(v, src, dayfirst)
        # an ambiguous numeric date (03-09-2026) whose other reading is the printed one
        other = not dayfirst if dayfirst is not None else False
        if (parse_datetime(v, dayfirst=other)[0] or "")[:10] in seen_days:
            return finish(v, src, other)
    if n_pub:
        if hpos >= 0:
            for (pos, raw, d), lab in zip(printed, labels, strict=True):
                if not hpos <= pos < hpos + NEAR_HEADLINE_CHARS or (og_first and lab == "updated"):
                    continue
                if not og_first or (d not in mod_days and _days_apart(top_day, d) > 1):
                    return finish(raw, "heuristics", dayfirst)
                break
        if not og_first:
            for v, src, _ in cands[n_strong:]:  # a printed <time>
                if day(v) in seen_days:
                    return finish(v, src, dayfirst)
        return finish(cands[0][0], cands[0][1], dayfirst)
    if len(cands) > n_strong:
        return finish(cands[n_strong][0], cands[n_strong][1], dayfirst)
    if printed:
        # a masthead's "today" printed above the headline: the first date under it first,
        # then the one printed closest above it (a dateline over the headline)
        under = [raw for p, raw, _ in printed if hpos >= 0 and 0 <= p - hpos < NEAR_HEADLINE_CHARS]
        above = [raw for p, raw, _ in printed if hpos >= 0 and 0 < hpos - p < NEAR_HEADLINE_CHARS]
        pick = under[0] if under else above[-1] if above else printed[0][1]
        return finish(pick, "heuristics", dayfirst)
    if cands:
        return finish(cands[0][0], cands[0][1], dayfirst)
    # nothing absolute anywhere: a relative date ("3 hours ago") read against the crawl time,
    # the one under the headline first
    rel = relative_dates(text, language, now)
    if rel:
        under = [raw for p, raw in rel if hpos >= 0 and 0 <= p - hpos < NEAR_HEADLINE_CHARS]
        return (under[0] if under else rel[0][1]), "heuristics", dayfirst, language
    return None, "", dayfirst, language


def _days_apart(a: str, b: str) -> int:
    try:
        return abs((date.fromisoformat(a) - date.fromisoformat(b)).days)
    except ValueError:
        return 10**6


def _find_updated(
    md: Metadata, art: dict[str, Any], page: dict[str, Any]
) -> tuple[str | None, str]:
    for obj in (art, page):
        v = _str(obj.get("dateModified"))
        if v:
            return v, "structured_data"
    for el in md.microdata.get("dateModified", []):
        v = _attr_value(el)
        if v:
            return v, "structured_data"
    v = md.first_meta(*UPDATED_META)
    if v:
        return v, "meta"
    return None, ""


def _find_authors(
    root: Any, md: Metadata, art: dict[str, Any], keys: set[str]
) -> tuple[list[str], str]:
    publisher: list[tuple[list[str], str]] = []  # the site's own name as author: last resort

    def people(names: list[str], src: str) -> list[str]:
        # the publisher, or a news agency alone, is kept for when no later source names a person
        persons = [n for n in names if not is_agency(n, keys)]
        if names and not persons and not publisher:
            publisher.append((names, src))
        return persons

    entries = ld_author_entries(art.get("author"), md.ld_people, md.ld_orgs)
    names = people(clean_authors([n for n, org in entries if not org], keys), "structured_data")
    if names:
        return names, "structured_data"
    # an organisation as author: only when nothing names a person
    orgs = clean_authors([n for n, org in entries if org], keys)
    raws = []
    for el in md.microdata.get("author", []):
        inner = el.xpath(".//*[@itemprop='name']")
        raws.append(_attr_value(inner[0] if inner else el) or "")
    names = people(clean_authors(raws, keys), "structured_data")
    if names:
        return names, "structured_data"
    metas = [
        v
        for k in (
            "author",
            "article:author",
            "dc.creator",
            "byl",
            "sailthru.author",
            "parsely-author",
            "citation_author",
            "twitter:creator",
        )
        for v in md.meta.get(k, [])
    ]
    # Yoast's reading hints: twitter:label1 "Written by" + twitter:data1 "Jane Doe"
    for i in range(1, 5):
        label = md.first_meta(f"twitter:label{i}") or ""
        if _WRITTEN_BY_LABEL.match(label):
            metas.extend(md.meta.get(f"twitter:data{i}", [])[:1])
    names = people(clean_authors([m for m in metas if not m.startswith("@")], keys), "meta")
    if names:
        return names, "meta"

    raws = [_spaced_text(el) for el in root.xpath("//*[@rel='author']")[:5]]
    if not raws:
        raws = [
            _spaced_text(el)
            for el in root.xpath(
                "//body//a[" + " or ".join(f"contains(@href, '/{p}/')" for p in AUTHOR_PATHS) + "]"
            )[:3]
        ]
        raws = [r for r in raws if 2 < len(r) < 60][:1]
    names = people(clean_authors(raws, keys), "heuristics")
    if names:
        return names[:5], "heuristics"
    raws = []  # the links named nobody: go on to the byline elements
    body = root.find("body")
    if body is not None:
        for el in body.iter():
            if not isinstance(el.tag, str):
                continue
            cls = f"{el.get('class') or ''} {el.get('id') or ''}"
            if cls.strip() and _AUTHOR_CLASS.search(cls):
                txt = _spaced_text(el)
                if 2 < len(txt) < 80:
                    if el.find(".//br") is not None:
                        # "By Ruth Okafor<br>Ledger staff<br>Published: …": the first line
                        # naming someone, not the lines joined ("Ruth Okafor Ledger")
                        lines = [t for t in _br_lines(el) if _BYLINE.sub("", t).strip()]
                        txt = next((t for t in lines if clean_authors([t], keys)), txt)
                    raws.append(txt)
                    break
    names = people(clean_authors(raws, keys), "heuristics")
    if names:
        return names[:5], "heuristics"
    raws = []
    if body is not None:
        for el in body.iter(*_BYLINE_TAGS):
            txt = _spaced_text(el)
            if len(txt) > 80:
                continue
            m = _BYLINE.match(txt)
            if m:
                rest = txt[m.end() :].strip()
                if not rest:
                    nxt = el.getnext()
                    rest = _spaced_text(nxt) if nxt is not None else ""
                if rest and rest[:1].isupper() and len(rest) < 60:
                    raws.append(rest)
                    if clean_authors([rest], keys) or len(raws) >= 3:
                        break
    names = people(clean_authors(raws, keys), "heuristics")
    if not names and body is not None:
        # a CJK wire convention in the text: "(서울=연합뉴스) 홍길동 기자 =", "【山田太郎】"
        paras = [_spaced_text(p) for p in itertools.islice(body.iter("p"), 200)]
        names = people(clean_authors(names_in_text([p for p in paras if p]), keys), "heuristics")
    if not names and orgs:
        return orgs, "structured_data"
    if not names and publisher:
        return publisher[0]
    return names[:5], "heuristics"
