"""benchmarks/degrade.py: the 2008-era rewrite keeps a page's text and drops the modern markup,
and the extractor reads the rewritten page's article whole."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import lxml.html
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.degrade import degrade, parse_kinds
from newsspider.extract import extract_article

PAGE = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>Harbor ferry schedule cut - The Ledger</title>
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "Harbor ferry"}</script>
<meta property="og:title" content="Harbor ferry schedule cut"></head>
<body><header role="banner"><nav><a href="/">Home</a> | <a href="/news">News</a></nav></header>
<main><article class="article-body story"><h1>Harbor ferry schedule cut</h1>
<p>The harbor ferry will run every ninety minutes instead of every hour from December, the
transit board decided on Thursday after a long debate about fuel costs.</p>
<p>Board members said the winter crossings carried fewer than twenty people on most mornings
last year, while the cost of diesel rose by almost a third — café owners on the pier agreed.</p>
<figure><img src="a.jpg"><figcaption>The ferry at dawn</figcaption></figure>
<p>The new timetable will be posted at both landings and printed in next week's edition.</p>
</article></main><footer><p>Copyright 2008 The Ledger</p></footer></body></html>"""

PARAGRAPHS = [
    "The harbor ferry will run every ninety minutes",
    "Board members said the winter crossings",
    "café owners on the pier agreed",
    "The new timetable will be posted",
]


def _words(html: str | bytes) -> list[str]:
    root = lxml.html.document_fromstring(html)
    for bad in root.xpath("//script|//style"):
        bad.drop_tree()
    return re.findall(r"\w+", root.text_content())


def test_old_rewrite_keeps_the_text_and_drops_modern_markup() -> None:
    out = degrade(PAGE, parse_kinds("old"))
    assert isinstance(out, bytes)
    text = out.decode("cp1252")
    assert _words(out.decode("cp1252")) == _words(PAGE)
    assert "é" in text  # windows-1252 bytes, not a reference
    assert not re.search(r"<(?:p|article|main|header|footer|nav|figure)\b", text, re.I)
    assert not re.search(r"charset|ld\+json|<meta|doctype|role=", text, re.I)
    assert not re.search(r"article-body|story", text)
    assert "<TABLE" in text and "<BR><BR>" in text and "<FONT" in text


@pytest.mark.parametrize("kind", ["semantic", "br", "names", "nometa", "upper", "old"])
def test_extractor_reads_the_rewritten_article(kind: str) -> None:
    body = extract_article(degrade(PAGE, parse_kinds(kind)), "https://example.org/a")["body"]
    assert body is not None
    pos = 0
    for part in PARAGRAPHS:
        pos = body.find(part, pos)
        assert pos >= 0, f"{kind}: {part!r} missing"
    assert "Copyright" not in body


def test_unknown_kind_is_one_clear_error() -> None:
    with pytest.raises(ValueError, match="unknown degradation 'tables'"):
        parse_kinds("tables")
