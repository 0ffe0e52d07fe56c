from __future__ import annotations

import json

import pytest

from newsspider.extract import extract_article

PARAS = [
    f"Paragraph {i} of the article says something long enough to count as real text here."
    for i in range(6)
]


def _page(before: str = "", after: str = "", head: str = "") -> str:
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    return (
        f"<html><head>{head}</head><body><article><h1>The headline of the story</h1>"
        f"{before}{body}{after}</article></body></html>"
    )


@pytest.mark.parametrize(
    "before",
    [
        "<p>Table of contents</p>",
        "<p>6 min read</p>",
        "<p>Reading time: 11 minutes</p>",
        "<p>1,693 views</p>",
        "<p>This article contains affiliate links that may earn us a commission.</p>",
        "<p>Image credit: Depositphotos</p>",
    ],
)
def test_leading_noise_lines_dropped(before: str) -> None:
    body = extract_article(_page(before=before), "https://ex.com/a")["body"]
    assert body is not None
    assert body.startswith(PARAS[0])


@pytest.mark.parametrize(
    "after",
    [
        "<h2>Footnotes</h2><p>1. A footnote that is long enough to be kept as a block.</p>",
        "<h3>Read This Next</h3><p>Another story entirely that is long enough to be text.</p>",
        "<p>Contributing Writer</p><p>Jane writes about homes and gardens for many outlets.</p>",
        "<p>Copyright © 2023 Example Media. All rights reserved. Visit our terms of use.</p>",
    ],
)
def test_trailing_sections_cut(after: str) -> None:
    body = extract_article(_page(after=after), "https://ex.com/a")["body"]
    assert body is not None
    assert body.endswith(PARAS[-1])


def test_structured_article_body_filters_extra_blocks() -> None:
    promo = "<p>Start your free trial today and grow your business with our software suite.</p>"
    ld = {
        "@type": "NewsArticle",
        "headline": "The headline of the story",
        "articleBody": " ".join(PARAS),
    }
    head = f"<script type='application/ld+json'>{json.dumps(ld)}</script>"
    body = extract_article(_page(after=promo, head=head), "https://ex.com/a")["body"]
    assert body == "\n\n".join(PARAS)
    # without structured data the promo stays (nothing says it is not the article)
    body = extract_article(_page(after=promo), "https://ex.com/a")["body"]
    assert body is not None and "free trial" in body


def test_invisible_characters_leave_the_body() -> None:
    # soft hyphens (German sites hyphenate long words for the line break), zero-width spaces
    # and word joiners split the words they sit in; a zero-width non-joiner is spelling
    para = (
        "Das Bundes&shy;verfassungs&shy;gericht hat die Wahlrechts&shy;reform am Dienstag "
        "gekippt&#8203;, teilte das Ge&#8288;richt in Karlsruhe mit. Die Richter sahen "
        "darin einen Verstoß gegen die Chancen&shy;gleichheit der Parteien. می\u200cخواهد"
    )
    html = f"<html lang='de'><body><article><h1>Urteil</h1><p>{para}</p></article></body></html>"
    body = extract_article(html, "https://example.de/a")["body"]
    assert "Bundesverfassungsgericht" in body
    assert "Chancengleichheit" in body
    assert "gekippt, teilte das Gericht" in body
    assert "\u00ad" not in body and "\u200b" not in body and "\u2060" not in body
    assert "می\u200cخواهد" in body
