"""Article text that exists only in embedded JSON (client-rendered pages).

Single-page-app news sites often ship an empty ``<div id="root">`` and the article in a
script: Next.js ``<script id="__NEXT_DATA__" type="application/json">``, Nuxt/Redux/Apollo
hydration state (``window.__INITIAL_STATE__ = {...}``, ``window.__NUXT__``,
``window.__APOLLO_STATE__``, ``window.__PRELOADED_STATE__``), or another
``application/json`` script. :func:`embedded_scripts` keeps the raw text of those scripts
(called before scripts are stripped from the tree; cheap: no JSON is parsed) and
:func:`embedded_article_text` is called only when the DOM gave no body: it parses them and
returns the longest text-like value found under a body-like key (``articleBody``, ``body``,
``content``, ``text``, ``html``...). A value holding HTML is reduced to its paragraphs.
Work is bounded: at most :data:`MAX_SCRIPT_CHARS` per script and :data:`MAX_NODES` JSON
nodes visited.
"""

from __future__ import annotations

import json
import re
from typing import Any

import lxml.etree

__all__ = ["embedded_article_text", "embedded_scripts", "extends"]

MAX_SCRIPT_CHARS = 3_000_000
MAX_NODES = 200_000
MIN_TEXT = 200  # shorter values are teasers/labels, not an article body

_ASSIGN = re.compile(
    r"^\s*(?:window\.|self\.|var\s+|let\s+|const\s+)?"
    r"(__(?:INITIAL|PRELOADED|APOLLO|NUXT|REDUX|APP|DATA)[A-Z_]*__|__NUXT__)\s*=\s*",
)
_BODY_KEYS = {
    "articlebody",
    "body",
    "bodytext",
    "content",
    "contenthtml",
    "text",
    "html",
    "story",
    "storybody",
    "articletext",
    "fulltext",
    "maintext",
    "description",
    "rendered",
}
_TAGS = re.compile(r"<(?:p|br|div|h[1-6]|li)\b", re.IGNORECASE)


def embedded_scripts(root: Any) -> list[str]:
    """Raw texts of the scripts that may hold page state as JSON."""
    out = []
    for script in root.iter("script"):
        text = script.text or ""
        if len(text) < MIN_TEXT:
            continue
        typ = (script.get("type") or "").lower()
        if "ld+json" in typ:
            continue  # JSON-LD is read by metadata.py
        if typ == "application/json" or script.get("id") == "__NEXT_DATA__":
            out.append(text[:MAX_SCRIPT_CHARS])
            continue
        m = _ASSIGN.match(text)
        if m:
            out.append(text[m.end() : MAX_SCRIPT_CHARS].rstrip().rstrip(";"))
    return out


def _html_to_text(value: str) -> str:
    if not _TAGS.search(value):
        return " ".join(value.split()) if "\n" not in value else value.strip()
    parser = lxml.etree.HTMLParser(remove_comments=True, recover=True)
    try:
        root = lxml.etree.fromstring(f"<html><body>{value}</body></html>", parser=parser)
    except (lxml.etree.ParserError, ValueError, lxml.etree.XMLSyntaxError):
        return ""
    if root is None:
        return ""
    for bad in list(root.iter("script", "style", "figcaption", "figure", "aside")):
        parent = bad.getparent()
        if parent is not None:
            parent.remove(bad)
    paras = []
    for el in root.iter("p", "h2", "h3", "h4", "li", "blockquote"):
        text = " ".join("".join(t for t in el.itertext() if isinstance(t, str)).split())
        if text:
            paras.append(text)
    if not paras:
        return " ".join("".join(t for t in root.itertext() if isinstance(t, str)).split())
    return "\n\n".join(paras)


def _candidates(data: Any) -> list[str]:
    found: list[str] = []
    stack: list[tuple[Any, str]] = [(data, "")]
    seen = 0
    while stack and seen < MAX_NODES:
        seen += 1
        node, key = stack.pop()
        if isinstance(node, dict):
            stack.extend((v, str(k)) for k, v in node.items())
        elif isinstance(node, list):
            stack.extend((v, key) for v in node)
        elif isinstance(node, str) and len(node) >= MIN_TEXT:
            folded = key.replace("_", "").replace("-", "").lower()
            if folded in _BODY_KEYS and " " in node[:200]:
                found.append(node)
    return found


def embedded_article_text(scripts: list[str]) -> str | None:
    """The longest article-like text in the embedded JSON ``scripts``, or None."""
    best = ""
    for raw in scripts:
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            continue
        for value in _candidates(data):
            text = _html_to_text(value)
            if len(text) > len(best):
                best = text
    return best if len(best) >= MIN_TEXT else None


_WORD = re.compile(r"\w+")


def extends(teaser: str, full: str, share: float = 0.8) -> bool:
    """True when ``full`` contains at least ``share`` of ``teaser``'s word trigrams: the page
    printed a teaser (a paywall cut, "read more") of the text held in its embedded JSON."""
    small = _WORD.findall(teaser.casefold())
    big = _WORD.findall(full.casefold())
    if len(small) < 3:
        return False
    grams = {tuple(big[i : i + 3]) for i in range(len(big) - 2)}
    ours = [tuple(small[i : i + 3]) for i in range(len(small) - 2)]
    return sum(g in grams for g in ours) >= share * len(ours)
