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


def _clean(s: Any) -> str | None:
    if not isinstance(s, str):
        return None
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
    for h in h1s[:5]:
        fh = _fold(h)
        if len(fh) < 4:
            continue
        for fm in folded_metas:
            if fh == fm or (fh in fm and len(fh) >= 0.3 * len(fm)):
                return h, "heuristics"
    if ld:
        return strip_site_name(ld, site_name, url), "structured_data"
    if og:
        return strip_site_name(og, site_name, url), "meta"
    if h1s:
        return h1s[0], "heuristics"
    if tt:
        return strip_site_name(tt, site_name, url), "meta"
    return None, None
