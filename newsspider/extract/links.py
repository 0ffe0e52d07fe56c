"""Heuristic article-link discovery on a front/section page of an unknown site.

A link is kept when it points to the same site (same registered domain, subdomains allowed:
``newsspider.urls.registered_domain``),
is not inside ``nav``/``footer``/``header``/``aside``/menus, is not ``javascript:``/``mailto:``/
``tel:``, and scores high enough on:

* URL shape: numeric id (>= 4 digits), a date in the path, a long hyphenated slug (>= 4 words),
  or an ``/article/``, ``/news/``, ``/story/``, ``/post/``, ``/blog/`` ... segment;
* anchor text that looks like a headline (>= 4 words, or >= 20 characters in CJK scripts);
* a heading (``h1``-``h4``) around the anchor, or a teaser paragraph next to it.

Results are in page order, absolute, fragment stripped, deduplicated by canonical URL
(``newsspider.urls.canonicalize_url``: ``?utm_source=…`` twins of a link are one link).
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urldefrag, urljoin, urlsplit

from newsspider.extract.html import decode_html, parse_html, text_of
from newsspider.urls import canonicalize_url, registered_domain

__all__ = ["find_article_links"]

_ARTICLE_SEG = re.compile(
    r"/(?:article|articles|news|story|stories|post|posts|blog|view|read|content|\d{4}/\d{1,2})"
    r"(?:/|\.|$|\?)",
    re.IGNORECASE,
)
_NUM_ID = re.compile(r"\d{4,}")
_DATE_PATH = re.compile(r"/(?:19|20)\d{2}[/\-]?(?:0?[1-9]|1[0-2])(?:[/\-]|$)")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+){3,}", re.IGNORECASE)
_NON_ARTICLE = re.compile(
    r"/(?:tag|tags|category|categories|author|authors|search|login|signin|signup|register|"
    r"subscribe|account|about|contact|privacy|terms|help|faq|rss|feed|video|videos|gallery|"
    r"page)(?:/|$|\?)",
    re.IGNORECASE,
)
_SKIP_ANCESTORS = {"nav", "footer", "header", "aside", "menu", "form"}
_SKIP_CLASS = re.compile(
    r"(?:^|[\s_-])(?:nav|navbar|menu|footer|breadcrumbs?|header|masthead|sitemap|social|share|"
    r"cookie|gnb|lnb|util)(?:$|[\s_-])",
    re.IGNORECASE,
)
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


def _text(el: Any) -> str:
    return " ".join(text_of(el).split())


def _url_score(path: str) -> int:
    score = 0
    if _ARTICLE_SEG.search(path):
        score += 2
    if _DATE_PATH.search(path):
        score += 2
    if _NUM_ID.search(path):
        score += 2
    if _SLUG.search(path):
        score += 2
    if _NON_ARTICLE.search(path):
        score -= 3
    if path.strip("/") == "":
        score -= 5
    return score


def _text_score(text: str) -> int:
    words = len(text.split())
    if _CJK.search(text):
        return 2 if len(text) >= 12 else 0
    if words >= 5:
        return 2
    if words >= 3:
        return 1
    return -1


def find_article_links(html: str | bytes, url: str) -> list[dict[str, Any]]:
    """Return article-like links of a front page in page order. Never raises on bad input."""
    try:
        return _find(html, url)
    except Exception:
        return []


def _find(html: str | bytes, url: str) -> list[dict[str, Any]]:
    root = parse_html(decode_html(html if html is not None else ""))
    if root is None:
        return []
    try:
        base_host = registered_domain(urlsplit(url).hostname)
    except ValueError:
        return []
    # a page links to a handful of hosts: look each one up once
    same_site: dict[str, bool] = {}
    out: list[dict[str, Any]] = []
    seen: set[str] = set()
    for a in root.iter("a"):
        href = (a.get("href") or "").strip()
        if not href or href.startswith("#"):
            continue
        low = href.lower()
        if low.startswith(("javascript:", "mailto:", "tel:", "data:", "sms:")):
            continue
        try:
            absolute = urldefrag(urljoin(url, href))[0]
            parts = urlsplit(absolute)
        except ValueError:
            continue
        if parts.scheme not in ("http", "https") or not parts.hostname:
            continue
        host = parts.hostname
        if host not in same_site:
            same_site[host] = registered_domain(host) == base_host
        if not same_site[host]:
            continue
        try:
            key = canonicalize_url(absolute)
        except ValueError:
            continue
        if key in seen:
            continue
        if _in_boilerplate(a):
            continue
        headline = _text(a)
        heading = _heading_inside_or_around(a)
        if heading:
            headline = heading
        if not headline:
            continue
        score = _url_score(parts.path + ("?" + parts.query if parts.query else ""))
        score += _text_score(headline)
        if heading:
            score += 1
        teaser = _teaser(a, headline)
        if teaser:
            score += 1
        if score < 3:
            continue
        seen.add(key)
        out.append(
            {
                "url": absolute,
                "headline": headline,
                "teaser": teaser,
                "block": _block_heading(a),
                "position": len(out) + 1,
            }
        )
    return out


def _in_boilerplate(a: Any) -> bool:
    el = a.getparent()
    depth = 0
    while el is not None and depth < 60:
        depth += 1
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in _SKIP_ANCESTORS:
            return True
        role = (el.get("role") or "").lower()
        if role in ("navigation", "banner", "contentinfo", "menu", "menubar"):
            return True
        cls = f"{el.get('class') or ''} {el.get('id') or ''}"
        if cls.strip() and _SKIP_CLASS.search(cls):
            return True
        el = el.getparent()
    return False


def _heading_inside_or_around(a: Any) -> str | None:
    for h in a.iter(*_HEADINGS):
        t = _text(h)
        if t:
            return t
    parent = a.getparent()
    if parent is not None and parent.tag in _HEADINGS:
        return _text(parent) or None
    return None


def _teaser(a: Any, headline: str) -> str | None:
    """A paragraph following the anchor (or its heading) inside the same teaser box."""
    node = a
    for _ in range(3):
        parent = node.getparent()
        if parent is None:
            return None
        sib = node.getnext()
        while sib is not None:
            if isinstance(sib.tag, str):
                if sib.tag in ("p", "div", "span") and sib.iter("a").__next__ is not None:
                    t = _text(sib)
                    if t and t != headline and len(t.split()) >= 6 and not sib.xpath(".//a"):
                        return t
                    if t and t != headline and len(t.split()) >= 6:
                        return t
                break
            sib = sib.getnext()
        node = parent
    return None


def _block_heading(a: Any) -> str | None:
    """Nearest heading of the section containing ``a`` that is not the link's own heading."""
    el = a.getparent()
    depth = 0
    while el is not None and depth < 40:
        depth += 1
        if el.tag in ("section", "div", "article", "ul", "main", "body"):
            prev = el.getprevious()
            for h in el.iter(*_HEADINGS):
                if h is not None and a not in h.iter() and not h.xpath(".//a[@href]"):
                    t = _text(h)
                    if t:
                        return t
                break
            while prev is not None:
                if isinstance(prev.tag, str):
                    if prev.tag in _HEADINGS:
                        return _text(prev) or None
                    break
                prev = prev.getprevious()
        el = el.getparent()
    return None
