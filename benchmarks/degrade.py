"""Rewrite a page the way 2008-era news sites were built, keeping its text.

Used by ``benchmarks/extraction.py --degrade KIND[,KIND...]`` to measure how the extractors
cope with old layouts on pages whose ground truth is known (the text a reader sees does not
change, so the dev set's truth still holds). Kinds, applied in this order:

* ``roundtrip`` - parse and serialise only (the control: every other kind includes it);
* ``semantic`` - HTML5 containers become 2008 markup: ``article``/``main``/``section`` a
  ``<table><tr><td>``, ``header``/``footer``/``aside``/``nav``/``figure``/``figcaption`` a
  ``<div>``, ``time`` a ``<span>``; ARIA ``role`` attributes go;
* ``br`` - each run of adjacent ``<p>`` paragraphs becomes one ``<font>`` whose paragraphs
  are separated by ``<br><br>``;
* ``names`` - class/id words naming article/content/story are removed;
* ``nometa`` - JSON-LD, embedded JSON, ``<meta>``, microdata and ``<link rel=canonical>`` go;
* ``upper`` - tag names in upper case (``<TD>``, ``</FONT>``);
* ``cp1252`` - no doctype and no charset declaration, bytes in windows-1252 (characters it
  lacks as numeric references, as old sites wrote them): the page is handed over as bytes.

``old`` is all of them together.
"""

from __future__ import annotations

import re

import lxml.etree
import lxml.html

KINDS = ("roundtrip", "semantic", "br", "names", "nometa", "upper", "cp1252")
ALL = "old"

_TABLE_TAGS = {"article", "main", "section"}
_DIV_TAGS = {"header", "footer", "aside", "nav", "figure", "figcaption", "hgroup"}
_NAME_WORDS = re.compile(r"article|content|story", re.IGNORECASE)
_TAG = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9]*)|(?<=<script)(.*?)(?=</script>)|(?<=<style)(.*?)(?=</style>)",
    re.DOTALL,
)
_DOCTYPE = re.compile(r"^\s*<!DOCTYPE[^>]*>\s*", re.IGNORECASE)


def parse_kinds(spec: str) -> list[str]:
    """``"semantic,br"`` -> the kinds in application order; ``old`` -> all."""
    names = {s.strip() for s in spec.split(",") if s.strip()}
    if ALL in names:
        return list(KINDS)
    unknown = names - set(KINDS)
    if unknown:
        raise ValueError(
            f"unknown degradation {sorted(unknown)[0]!r}: use one of {', '.join(KINDS)}, {ALL}"
        )
    return [k for k in KINDS if k in names or k == "roundtrip"]


def _semantic(root: lxml.html.HtmlElement) -> None:
    for el in list(root.iter()):
        if not isinstance(el.tag, str):
            continue
        el.attrib.pop("role", None)
        tag = el.tag.lower()
        if tag in _TABLE_TAGS:
            kids = list(el)
            text = el.text
            el.text = None
            attrib = dict(el.attrib)
            el.attrib.clear()
            el.tag = "table"
            el.attrib.update(attrib)
            tr = lxml.etree.SubElement(el, "tr")
            td = lxml.etree.SubElement(tr, "td", valign="top")
            td.text = text
            for k in kids:
                td.append(k)
        elif tag in _DIV_TAGS:
            el.tag = "div"
        elif tag == "time":
            el.tag = "span"
            el.attrib.pop("datetime", None)


def _is_p(el: object) -> bool:
    return isinstance(el, lxml.etree._Element) and el.tag == "p"


def _br(root: lxml.html.HtmlElement) -> None:
    parents = {p.getparent() for p in root.iter("p") if p.getparent() is not None}
    for parent in parents:
        kids = list(parent)
        i = 0
        while i < len(kids):
            if not _is_p(kids[i]):
                i += 1
                continue
            j = i
            while j + 1 < len(kids) and _is_p(kids[j + 1]) and not (kids[j].tail or "").strip():
                j += 1
            run = kids[i : j + 1]
            font = lxml.etree.Element("font", face="Verdana", size="2")
            parent.insert(parent.index(run[0]), font)
            last: lxml.etree._Element | None = None
            for n, p in enumerate(run):
                if n:
                    lxml.etree.SubElement(font, "br")
                    b2 = lxml.etree.SubElement(font, "br")
                    b2.tail = "\n"
                    last = b2
                if p.text:
                    if last is None:
                        font.text = (font.text or "") + p.text
                    else:
                        last.tail = (last.tail or "") + p.text
                for child in list(p):
                    font.append(child)
                    last = child
            font.tail = run[-1].tail
            for p in run:
                parent.remove(p)
            i = j + 1


def _names(root: lxml.html.HtmlElement) -> None:
    for el in root.iter():
        if not isinstance(el.tag, str):
            continue
        for attr in ("class", "id"):
            value = el.get(attr)
            if value is None:
                continue
            words = [w for w in value.split() if not _NAME_WORDS.search(w)]
            if words:
                el.set(attr, " ".join(words))
            else:
                del el.attrib[attr]


def _nometa(root: lxml.html.HtmlElement) -> None:
    for el in list(root.iter("script", "meta", "link")):
        if el.tag == "script":
            kind = (el.get("type") or "").lower()
            if "json" not in kind and el.get("id") != "__NEXT_DATA__":
                continue
        elif el.tag == "link" and "canonical" not in (el.get("rel") or "").lower():
            continue
        el.drop_tree()
    for el in root.iter():
        if isinstance(el.tag, str):
            for attr in ("itemprop", "itemscope", "itemtype"):
                el.attrib.pop(attr, None)


def _upper(m: re.Match[str]) -> str:
    if m.group(2) is None:  # a script's or style's own text stays as it is
        return m.group(0)
    return "<" + m.group(1) + m.group(2).upper()


def degrade(html: str, kinds: list[str]) -> str | bytes:
    """The page rewritten by ``kinds`` (from :func:`parse_kinds`); bytes for ``cp1252``."""
    try:
        root = lxml.html.document_fromstring(html)
    except (lxml.etree.ParserError, ValueError):
        return html
    if "semantic" in kinds:
        _semantic(root)
    if "br" in kinds:
        _br(root)
    if "names" in kinds:
        _names(root)
    if "nometa" in kinds:
        _nometa(root)
    out = lxml.html.tostring(root, encoding="unicode", doctype="<!DOCTYPE html>")
    if "upper" in kinds:
        out = _TAG.sub(_upper, out)
    if "cp1252" in kinds:
        out = _DOCTYPE.sub("", out)
        out = re.sub(
            r"<meta\b[^>]*(?:charset|http-equiv\s*=\s*[\"']?content-type)[^>]*>",
            "",
            out,
            flags=re.IGNORECASE,
        )
        return out.encode("cp1252", errors="xmlcharrefreplace")
    return out
