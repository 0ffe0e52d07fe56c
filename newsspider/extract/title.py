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
from typing import Any
from urllib.parse import urlsplit

__all__ = ["choose_headline", "strip_site_name"]

_SEP = re.compile(r"\s+(?:\||-|–|—|·|•|»|::|/|~)\s+")
_NON_ALNUM = re.compile(r"[\W_]+")


def _fold(s: str) -> str:
    return _NON_ALNUM.sub("", s.casefold())


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
    title = " ".join(title.split())
    parts = _SEP.split(title)
    if len(parts) == 1:
        return title
    keys = _site_keys(site_name, url)
    kept = [p for p in parts if not _is_site(p, keys)]
    if kept and len(kept) < len(parts):
        # re-join what is left with the original separators
        if len(kept) == 1:
            return kept[0].strip()
        return _rejoin(title, parts, kept)
    first, last = parts[0], parts[-1]
    if len(first) >= 2 * len(last) and len(last.split()) <= 4:
        return _rejoin(title, parts, parts[:-1])
    return title


def _rejoin(title: str, parts: list[str], kept: list[str]) -> str:
    seps = _SEP.findall(title)
    out = ""
    for i, p in enumerate(parts):
        if p in kept:
            if out:
                out += seps[i - 1] if i - 1 < len(seps) else " "
            out += p
    return out.strip()


_QUOTES = str.maketrans({"\u2019": "'", "\u2018": "'", "\u201c": '"', "\u201d": '"'})
_WORD = re.compile(r"\w+")


def _quotes(s: str) -> str:
    """Typographic quotes/apostrophes become ASCII ones (the common form in headlines)."""
    return s.translate(_QUOTES)


def _overlap(a: str, b: str) -> float:
    wa = {w.casefold() for w in _WORD.findall(a)}
    wb = {w.casefold() for w in _WORD.findall(b)}
    if not wa:
        return 0.0
    return len(wa & wb) / len(wa)


def _clean(s: Any) -> str | None:
    if not isinstance(s, str):
        return None
    if "&" in s:
        s = html.unescape(html.unescape(s))
    s = " ".join(s.split())
    return s or None


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
    good = [h for h in h1s[:8] if len(_fold(h)) >= 4 and not _is_site(h, keys)]
    for h in good:
        fh = _fold(h)
        for fm in folded_metas:
            if fh == fm or (fh in fm and len(fh) >= 0.3 * len(fm)):
                return _quotes(h), "heuristics"
    # a lone h1 unrelated to every metadata title is usually a widget/section heading
    if (
        good
        and len(good[0].split()) >= 2
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
