"""Text cleaning shared by the pipelines: pure functions, table-tested."""

from __future__ import annotations

import re
import unicodedata
from collections import deque

# C0/C1 control characters except tab/newline/CR, the BOM, and the Unicode "bidi override" and
# "line/paragraph separator" characters that turn a cell into something else in a spreadsheet.
_CONTROL_RE = re.compile(
    "[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufeff\u200e\u200f\u202a-\u202e\u2066-\u2069\ufffe\uffff]"
)
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_SPACES_RE = re.compile(r"[ \t\r\n\f\v\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000]+")
_INLINE_SPACES_RE = re.compile(r"[ \t\f\v\u00a0\u1680\u2000-\u200b\u202f\u205f\u3000]+")
_PARAGRAPH_BREAK_RE = re.compile(r"\s*\n\s*\n\s*")


_ASCII_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# the ASCII bytes _ASCII_CONTROL_RE keeps: tab, LF, CR and the printable range
_ASCII_SAFE_BYTES = bytes([9, 10, 13, *range(0x20, 0x7F)])
# white space other than " " and "\n" that clean_paragraphs rewrites
_OTHER_SPACES_RE = re.compile(r"[\t\r\f\v\u00a0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000]")


def strip_unsafe(text: str) -> str:
    """Remove lone surrogates, control characters and bidi overrides; NFC-normalize."""
    if text.isascii():
        # fast path (most text): no surrogates, nothing for NFC to change; text with no
        # control character at all (printable, or nothing left once the printable bytes and
        # tab/LF/CR are deleted: a C-level scan, ~10x faster than the regex) is returned as is
        if text.isprintable() or not text.encode("ascii").translate(None, _ASCII_SAFE_BYTES):
            return text
        return _ASCII_CONTROL_RE.sub("", text)
    text = _SURROGATE_RE.sub("", text)
    text = _CONTROL_RE.sub("", text)
    return unicodedata.normalize("NFC", text)


def clean_line(text: str | None) -> str | None:
    """A one-line field: unsafe characters removed, all white space runs -> one space.

    Returns None for empty results (missing is None, never "").
    """
    if text is None:
        return None
    text = strip_unsafe(text)
    if text.isprintable() and "  " not in text:
        # the only white space a printable text can hold is " " (tab, line breaks, NBSP and
        # the other Unicode spaces are not printable): no run to collapse, only the ends
        return text.strip() or None
    text = _SPACES_RE.sub(" ", text).strip()
    return text or None


def clean_paragraphs(text: str | None) -> str | None:
    """A multi-paragraph field (body): paragraphs separated by exactly one blank line.

    Inside a paragraph, white space runs become one space; U+2028/U+2029 count as breaks.
    """
    if text is None:
        return None
    for known in _CLEAN_PARAGRAPHS:  # joined by join_paragraphs, proven clean there
        if known is text:
            return text
    text = strip_unsafe(text)
    if _is_clean_paragraphs(text):
        return text
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.replace("\u2029", "\n\n").replace("\u2028", "\n")
    paragraphs = []
    for block in _PARAGRAPH_BREAK_RE.split(text):
        line = _SPACES_RE.sub(" ", _INLINE_SPACES_RE.sub(" ", block)).strip()
        if line:
            paragraphs.append(line)
    return "\n\n".join(paragraphs) or None


# the last bodies join_paragraphs proved clean (held, so their ids can't be reused): the
# normalize pipeline's clean_paragraphs finds a page object's body here by identity and
# returns it without scanning its ~36 KB again (~0.25 ms per article in a parse worker)
_CLEAN_PARAGRAPHS: deque[str] = deque(maxlen=8)


def join_paragraphs(paragraphs: list[str]) -> str | None:
    """``"\n\n".join(paragraphs) or None``: a body of the paragraphs as a page object found
    them. When each paragraph is one clean line (printable: no line break, tab, control or
    bidi character and no white space but " "; no "  "; no space at either end) and the whole
    is NFC, the body is exactly what :func:`clean_paragraphs` returns for it, and it is
    remembered as such, so the normalize pipeline doesn't prove it again. Cheap on the
    paragraphs a page object cleaned with ``clean_text``: C-level scans of the body.

    Also proof that each paragraph is already what ``clean_text`` makes of it (one line:
    nothing to collapse, nothing at the ends), so a page object can join its paragraphs'
    text as found and clean them one by one only when the body is not remembered
    (:func:`is_clean_body`)."""
    body = "\n\n".join(paragraphs)
    if not body:
        return None
    if body.isascii():
        # the same proof over the whole body in C-level scans (str.isprintable costs ~3 ns a
        # character): no paragraph holds a line break or starts/ends with a space (one-
        # character searches: memchr), the body only printable bytes and line breaks (one
        # translation that also marks the words for count_words), no "  " (the joins add none)
        if any(not p or p[0] == " " or p[-1] == " " or "\n" in p for p in paragraphs):
            return body
        marked = body.encode("ascii").translate(_ASCII_WORDS_AND_CONTROLS)
        if b"\x00" in marked or "  " in body:
            return body
        # every byte marked as _ASCII_WORD_TO_A marks it (no control byte): the words now
        _WORD_COUNTS.append((body, marked.count(b" a") + (marked[:1] == b"a")))
        _CLEAN_PARAGRAPHS.append(body)
        return body
    clean = all(
        p and p.isprintable() and p[0] != " " and p[-1] != " " and "  " not in p for p in paragraphs
    ) and unicodedata.is_normalized("NFC", body)
    if clean:
        _CLEAN_PARAGRAPHS.append(body)
    return body


def is_clean_body(text: str | None) -> bool:
    """Whether ``text`` is a body :func:`join_paragraphs` proved clean (by identity)."""
    return text is not None and any(known is text for known in _CLEAN_PARAGRAPHS)


def is_clean_body_part(text: str) -> bool:
    """Whether ``text`` is the start of a body :func:`join_paragraphs` proved clean (a cut
    to a spreadsheet cell's limit): printable characters and line breaks only."""
    return any(
        known is text or (len(known) >= len(text) and known.startswith(text))
        for known in _CLEAN_PARAGRAPHS
    )


_WORD_RE = re.compile(r"\w+")
# ASCII fast path: [A-Za-z0-9_] (ASCII \w exactly) -> "a", every other byte -> " ", then the
# word starts are counted (no regex, no list of words)
_ASCII_WORD_TO_A = bytes(
    ord("a") if c < 128 and (chr(c).isalnum() or c == ord("_")) else ord(" ") for c in range(256)
)
# the same, with the bytes a clean body can't hold (controls but "\n", DEL) -> NUL
_ASCII_WORDS_AND_CONTROLS = bytes(
    0 if (c < 0x20 and c != 10) or c >= 0x7F else m for c, m in enumerate(_ASCII_WORD_TO_A)
)
# the word counts of the bodies join_paragraphs proved clean (ASCII), found by identity
_WORD_COUNTS: deque[tuple[str, int]] = deque(maxlen=8)


def _is_clean_paragraphs(text: str) -> bool:
    """True when clean_paragraphs would return ``text`` unchanged (the common case: a page
    object already joined clean paragraphs with one blank line). Substring tests only, so a
    30 KB body is checked without splitting or rejoining it."""
    if not text or text != text.strip() or "  " in text:
        return False
    if text.isascii():
        # the ASCII members of _OTHER_SPACES_RE: tab, CR, FF, VT (single-character tests)
        if "\t" in text or "\r" in text or "\f" in text or "\v" in text:
            return False
    elif _OTHER_SPACES_RE.search(text):
        return False
    # exactly one blank line between paragraphs: no empty paragraph (three line breaks in a
    # row), no space next to a break, no lone line break (without three in a row, every
    # "\n\n" is a separate pair: the line breaks are exactly twice the pairs); C-level scans
    return (
        "\n\n\n" not in text
        and " \n" not in text
        and "\n " not in text
        and text.count("\n") == 2 * text.count("\n\n")
    )


def count_words(text: str | None) -> int:
    """Number of Unicode word runs (\\w+) in ``text``."""
    if not text:
        return 0
    for known, words in _WORD_COUNTS:  # a body join_paragraphs counted as it proved it
        if known is text:
            return words
    return _count_words(text)


def _count_words(text: str) -> int:
    if text.isascii():
        # word bytes -> "a", others -> " "; a word starts at 0 or right after a space: count
        # the starts without building a list of words
        marked = text.encode("ascii").translate(_ASCII_WORD_TO_A)
        return marked.count(b" a") + (marked[:1] == b"a")
    return len(_WORD_RE.findall(text))
