"""Author name cleaning: keep person names, drop "By", roles, e-mails, URLs, dates, site names."""

from __future__ import annotations

import html
import re
from typing import Any

__all__ = ["clean_authors", "ld_author_names"]

_PREFIX = re.compile(
    r"^(?:(?:written|posted|published|reported|reviewed|edited|story|words|text|photos?)\s+)?"
    r"(?:by|par|von|por|di|door|author|the author)\s*[:\-]?\s+",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"\S+@\S+\.\w+")
_URL = re.compile(r"https?://\S+|www\.\S+")
_ROLE = re.compile(
    r"\b(?:staff\s+(?:reporter|writer)|senior\s+(?:reporter|writer|editor|correspondent)|"
    r"contributing\s+(?:writer|editor)|correspondent|reporter|columnist|contributor|"
    r"editor(?:-in-chief)?|staff|updated|published|posted|min(?:ute)?s?\s+read)\b.*$",
    re.IGNORECASE,
)
_DATEISH = re.compile(
    r"\b(?:\d{1,4}[/.\-]\d{1,2}[/.\-]\d{1,4}|(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)"
    r"[a-z]*\.?\s+\d{1,2},?\s+\d{4}|\d{1,2}:\d{2})\b.*$",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"\s*(?:;|\||&|\band\b|\bund\b|\bet\b|·|/)\s*", re.IGNORECASE)
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
    s = _URL.sub(" ", s)
    s = _EMAIL.sub(" ", s)
    s = _PREFIX.sub("", s).strip(" ,:-|")
    s = _PREFIX.sub("", s).strip(" ,:-|")
    s = _DATEISH.sub("", s).strip(" ,:-|")
    s = _ROLE.sub("", s).strip(" ,:-|")
    s = s.strip(" \"'“”‘’•*·,;:")
    names: list[str] = []
    for part in _SPLIT.split(s):
        part = part.strip(" ,:-|\"'“”‘’•*·")
        if part.endswith(".") and not re.search(r"\b\w{1,3}\.$", part):
            part = part[:-1]
        if not part:
            continue
        # split "A, B" when both sides look like names; keep credentials attached
        pieces = [p.strip() for p in part.split(",") if p.strip()]
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
        if len(name) > 60 or len(name.split()) > 6:
            continue
        if not any(ch.isalpha() for ch in name):
            continue
        out.append(name)
    return out


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
    return out
