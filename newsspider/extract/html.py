"""Decoding and safe parsing of untrusted HTML.

* :func:`decode_html` turns ``bytes`` into ``str``: BOM first, then a ``<meta charset>`` /
  ``http-equiv`` declaration in the first 4 KB (``euc-kr``/``ks_c_5601`` are decoded as its
  superset ``cp949``; ``iso-8859-1``/``ascii`` as ``cp1252``), then UTF-8 with
  ``errors="replace"``. If the declared charset fails strictly, UTF-8 is tried strictly before
  falling back to the declared charset with replacement characters.
* Input beyond :data:`MAX_BYTES` is truncated (with a warning); content that looks binary
  (NUL bytes / many control characters) is rejected with a warning.
* :func:`parse_html` uses lxml's libxml2 HTML parser *without* ``huge_tree`` first; only when
  libxml2 reports its nesting limit (256: old pages with hundreds of unclosed ``<font>``
  tags), which drops the rest of the page, is the page parsed again with ``huge_tree`` (a
  limit of 2048). All tree walks in this package are iterative, never recursive.
"""

from __future__ import annotations

import codecs
import re
import threading
from typing import Any

import lxml.etree
from w3lib.encoding import html_to_unicode

__all__ = ["INVISIBLE", "MAX_BYTES", "block_text", "decode_html", "parse_html", "text_of"]

# characters a reader does not see, for ``str.translate``: the soft hyphen German and Dutch
# sites put into long words for line breaking ("Bundes&shy;verfassungs&shy;gericht"),
# zero-width spaces, word joiners and byte-order marks (not the zero-width (non-)joiners
# Persian and Indic scripts spell with). They split the words they sit in.
INVISIBLE = dict.fromkeys(map(ord, "\u00ad\u200b\u2060\ufeff"))

MAX_BYTES = 5 * 1024 * 1024
DETECT_BYTES = 64 * 1024  # charset detection looks at this much of an undeclared page

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.\-]+)""", re.IGNORECASE
)
_CHARSET_ALIASES = {
    "euc-kr": "cp949",
    "euckr": "cp949",
    "ks_c_5601-1987": "cp949",
    "ks_c_5601": "cp949",
    "x-windows-949": "cp949",
    "windows-949": "cp949",
    "iso-8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "shift_jis": "cp932",
    "x-sjis": "cp932",
    "utf8": "utf-8",
}
_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f]")
_END_TAGS = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.IGNORECASE)
# React 18 streaming server rendering (Next.js app router): the text arrives in
# ``<div hidden id="S:0">`` segments at the end of <body>, and a script moves each into the
# place of its ``<template id="B:0">`` boundary, replacing the fallback ("Loading
# paragraph...") that sits between the template and the ``<!--/$-->`` comment
_STREAMED_MARK = '<div hidden id="S:'
_STREAMED_FALLBACK = re.compile(
    r'<!--\$\?--><template id="B:([0-9A-Za-z]+)"></template>(?:(?!<!--\$).){0,3000}?<!--/\$-->',
    re.DOTALL,
)


# <iframe> and <textarea> hold raw text up to their end tag: one left unclosed swallows the
# rest of the page as text (libxml2, like a browser). An element whose raw text runs to the
# end of the page, into another such element, or over RAW_TEXT_MAX characters of markup is
# closed right after its start tag, so the page after it is parsed as markup again. An
# unclosed <noscript> (a tracking pixel's) swallows the rest of its parent as elements, which
# are then dropped with it: it is closed the same way when no end tag follows before the next
# <noscript> (its content may legitimately be long markup, so length alone does not count).
_RAW_OPEN = re.compile(r"<(iframe|textarea|noscript)\b[^>]*>", re.IGNORECASE)
_RAW_CLOSE = {
    "iframe": re.compile(r"</iframe\s*>", re.IGNORECASE),
    "textarea": re.compile(r"</textarea\s*>", re.IGNORECASE),
    "noscript": re.compile(r"</noscript\s*>", re.IGNORECASE),
}
_MARKUP = re.compile(r"<(?:p|div|br|h[1-6]|li|table|span|a)\b", re.IGNORECASE)
RAW_TEXT_MAX = 2000


def _close_raw_text(text: str) -> str:
    """Close each unclosed ``<iframe>``/``<textarea>``/``<noscript>`` after its start tag."""
    parts: list[str] = []
    pos = 0
    m = _RAW_OPEN.search(text)
    while m is not None:
        tag = m.group(1).lower()
        close = _RAW_CLOSE[tag].search(text, m.end())
        end = close.start() if close else len(text)
        inner = text[m.end() : end]
        nested = _RAW_OPEN.search(inner)
        too_long = tag != "noscript" and len(inner) > RAW_TEXT_MAX and _MARKUP.search(inner)
        if close is None or nested or too_long:
            parts.append(text[pos : m.end()])
            parts.append(f"</{m.group(1)}>")
            pos = m.end()
            m = _RAW_OPEN.search(text, pos)
        else:
            m = _RAW_OPEN.search(text, close.end())
    if not parts:
        return text
    parts.append(text[pos:])
    return "".join(parts)


def _normalise_charset(name: str) -> str | None:
    name = name.strip().lower()
    name = _CHARSET_ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(data: str | bytes, warnings: list[str] | None = None) -> str:
    """Return ``data`` as text, truncated to :data:`MAX_BYTES`; ``""`` for binary content."""
    warn = warnings if warnings is not None else []
    if isinstance(data, str):
        text = data
        if len(text) > MAX_BYTES:
            warn.append(f"html too large, truncated at {MAX_BYTES // (1024 * 1024)} MB")
            text = text[:MAX_BYTES]
    else:
        raw = bytes(data)
        if len(raw) > MAX_BYTES:
            warn.append(f"html too large, truncated at {MAX_BYTES // (1024 * 1024)} MB")
            raw = raw[:MAX_BYTES]
        text = _decode_bytes(raw, warn)
    if _looks_binary(text):
        warn.append("binary content")
        return ""
    if "\x00" in text:
        text = text.replace("\x00", "")
    return text


def _decode_bytes(raw: bytes, warn: list[str]) -> str:
    for bom, enc in _BOMS:
        if raw.startswith(bom):
            return raw[len(bom) :].decode(enc, errors="replace")
    declared = None
    m = _META_CHARSET.search(raw[:4096])
    if m:
        declared = _normalise_charset(m.group(1).decode("ascii", "replace"))
    if declared and declared not in ("utf-8",) and not declared.startswith("utf-16"):
        try:
            return raw.decode(declared)
        except UnicodeDecodeError:
            try:
                text = raw.decode("utf-8")
                warn.append(f"declared charset {declared} is wrong, decoded as utf-8")
                return text
            except UnicodeDecodeError:
                return raw.decode(declared, errors="replace")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if declared is None:
        encoding, text = html_to_unicode(None, raw, auto_detect_fun=_detect_charset)
        if encoding not in ("utf-8", "utf8"):
            return text
    text = raw.decode("utf-8", errors="replace")
    if declared is None and text.count("\ufffd") == sum(b > 0x7F for b in raw):
        # undeclared, and not one of its few high bytes is part of a UTF-8 sequence: an old
        # page's curly quotes and accents in windows-1252, what a browser falls back to
        return raw.decode("cp1252", errors="replace")
    if text.count("\ufffd") > max(10, len(text) // 200):
        warn.append("invalid utf-8, decoded with replacement characters")
    return text


def _detect_charset(raw: bytes) -> str | None:
    """The charset of undeclared, non-UTF-8 bytes (charset-normalizer), or None.

    A page with only a few stray bytes in otherwise plain ASCII is left to UTF-8 with
    replacement characters: detection on so little evidence is a guess.
    """
    from charset_normalizer import from_bytes  # imported on first use: rarely needed

    sample = raw[:DETECT_BYTES]
    if sum(b > 0x7F for b in sample) < 8:
        return None
    best = from_bytes(sample).best()
    if best is None:
        return None
    return _normalise_charset(best.encoding)


def _looks_binary(text: str) -> bool:
    sample = text[:8192]
    if not sample:
        return False
    controls = len(_CONTROL.findall(sample))
    return controls > 8 and controls / len(sample) > 0.05


def parse_html(text: str) -> Any | None:
    """Parse ``text`` into an lxml HTML root element, or None when there is nothing to parse."""
    if not text or not text.strip():
        return None
    text = _XML_DECL.sub("", text, count=1)
    # browsers ignore early </body> / </html>; libxml2 drops everything after them
    text = _END_TAGS.sub("", text)
    text = _close_raw_text(text)
    streamed = _STREAMED_MARK in text
    if streamed:
        text = _STREAMED_FALLBACK.sub(r'<template id="B:\1"></template>', text)
    # plain lxml.etree elements: no per-element Python class lookup (lxml.html's is costly)
    parser = lxml.etree.HTMLParser(
        remove_comments=True, remove_pis=True, recover=True, default_doctype=False
    )
    try:
        root = lxml.etree.fromstring(text, parser=parser)
        if root is not None and _too_deep(parser):
            # old pages leave <font>/<div> tags unclosed by the hundred: libxml2 stops at a
            # depth of 256 and drops the rest of the page. Parse again with its larger limit
            # (every walk over the tree here is iterative)
            parser = lxml.etree.HTMLParser(
                remove_comments=True,
                remove_pis=True,
                recover=True,
                default_doctype=False,
                huge_tree=True,
            )
            root = lxml.etree.fromstring(text, parser=parser)
    except (lxml.etree.ParserError, ValueError, lxml.etree.XMLSyntaxError):
        return None
    if root is None:
        return None
    if root.tag != "html":
        wrapper = lxml.etree.Element("html")
        body = lxml.etree.SubElement(wrapper, "body")
        body.append(root)
        root = wrapper
    if streamed:
        _place_streamed_segments(root)
    return root


def _too_deep(parser: Any) -> bool:
    """libxml2 reported its nesting limit ("Excessive depth in document: 256"): the rest of
    the page was dropped."""
    return any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log)


def _place_streamed_segments(root: Any) -> None:
    """Move React's hidden streamed segments (``<div hidden id="S:x">``) to their boundary
    templates (``<template id="B:x">``), as the page's script does in a browser; a segment
    without a template is only un-hidden."""
    segments = {}
    for div in root.iter("div"):
        sid = div.get("id") or ""
        if sid.startswith("S:") and div.get("hidden") is not None:
            segments[sid[2:]] = div
    if not segments:
        return
    for tpl in list(root.iter("template")):
        tid = tpl.get("id") or ""
        seg = segments.get(tid[2:]) if tid.startswith("B:") else None
        parent = tpl.getparent()
        if seg is None or parent is None:
            continue
        _keep_tail(seg)
        seg.tail = tpl.tail
        parent.replace(tpl, seg)
    for seg in segments.values():
        del seg.attrib["hidden"]


def _keep_tail(el: Any) -> None:
    """Hand ``el``'s tail text to the node before it (``el`` is about to move)."""
    tail, el.tail = el.tail, None
    parent = el.getparent()
    if not tail or not tail.strip() or parent is None:
        return
    prev = el.getprevious()
    if prev is not None:
        prev.tail = (prev.tail or "") + tail
    else:
        parent.text = (parent.text or "") + tail


def text_of(el: Any) -> str:
    """All text inside ``el`` (like lxml.html's ``text_content``), never None."""
    return "".join(t for t in el.itertext() if isinstance(t, str))


# elements a browser lays out as blocks (or breaks): their text never runs into a neighbour's
_BLOCKS = frozenset(
    [
        "p",
        "div",
        "section",
        "article",
        "main",
        "header",
        "footer",
        "aside",
        "nav",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "dl",
        "dt",
        "dd",
        "table",
        "tr",
        "td",
        "th",
        "br",
        "blockquote",
        "figure",
        "figcaption",
        "address",
        "pre",
        "hr",
        "form",
        "center",
    ]
)


_BLOCK_TEXT_XSLT = (
    '<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">'
    '<xsl:output method="text" encoding="UTF-8"/>'
    '<xsl:template match="{}"><xsl:text> </xsl:text><xsl:apply-templates/>'
    "<xsl:text> </xsl:text></xsl:template>"
    '<xsl:template match="comment()|processing-instruction()"/>'
    "</xsl:stylesheet>"
).format("|".join(sorted(_BLOCKS)))
_local = threading.local()


def block_text(el: Any) -> str:
    """The text inside ``el`` as a reader sees it: like :func:`text_of`, with a space where a
    block element starts or ends, so a minified page's "Headline</h1><div>vor 5 Minuten" does
    not read "Headlinevor 5 Minuten". An XSLT transform (libxslt, faster than
    :func:`text_of`'s Python loop); one compiled stylesheet per thread."""
    xslt = getattr(_local, "block_text", None)
    if xslt is None:
        xslt = _local.block_text = lxml.etree.XSLT(lxml.etree.XML(_BLOCK_TEXT_XSLT))
    try:
        return str(xslt(el))
    except lxml.etree.XSLTError:  # nesting deeper than libxslt's template depth limit
        return text_of(el)
