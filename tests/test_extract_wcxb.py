"""Real pages from the WCXB dev set (see tests/fixtures/wcxb/ATTRIBUTION.md)."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path
from typing import Any

import pytest

from newsspider.extract import extract_article

FIXTURES = Path(__file__).parent / "fixtures" / "wcxb"
TRUTH: dict[str, dict[str, Any]] = json.loads(
    (FIXTURES / "ground-truth.json").read_text(encoding="utf-8")
)
FULL = ["4500", "0438", "0422", "4166"]


def _norm(s: str) -> str:
    return " ".join(s.split())


def _load(pid: str) -> tuple[bytes, dict[str, Any]]:
    return gzip.decompress((FIXTURES / f"{pid}.html.gz").read_bytes()), TRUTH[pid]


@pytest.mark.parametrize("pid", FULL)
def test_page_matches_ground_truth(pid: str) -> None:
    html, truth = _load(pid)
    r = extract_article(html, truth["url"])
    assert r["headline"] == truth["title"]
    assert r["published_at"][:10] == truth["publish_date"]
    names = {n.casefold() for n in re.split(r"\s*(?:,|&|\band\b)\s*", truth["author"])}
    assert {a.casefold() for a in r["authors"]} == names
    body = _norm(r["body"])
    for snippet in truth["with"]:
        assert _norm(snippet) in body
    for snippet in truth["without"]:
        assert _norm(snippet) not in body
    assert set(r["sources"]) >= {"headline", "body", "authors", "published_at"}
    assert r["warnings"] == []


def test_early_closing_html_tag_does_not_lose_the_article() -> None:
    # page 0310 closes </body></html> right after the header and puts the article after it
    html, truth = _load("0310")
    r = extract_article(html.decode("utf-8"), truth["url"])
    body = _norm(r["body"])
    for snippet in truth["with"]:
        assert _norm(snippet) in body
    assert r["headline"] == truth["title"]


def test_result_shape_and_types() -> None:
    html, truth = _load("0438")
    r = extract_article(html, truth["url"])
    for key in (
        "headline",
        "body",
        "authors",
        "published_at",
        "updated_at",
        "published_at_raw",
        "updated_at_raw",
        "published_at_tz_assumed",
        "tags",
        "section",
        "language",
        "image_url",
        "description",
        "canonical_url",
        "sources",
        "warnings",
    ):
        assert key in r
    for key, value in r.items():
        assert value != "", key
    assert isinstance(r["authors"], list) and isinstance(r["tags"], list)
    assert set(r["sources"].values()) <= {"structured_data", "meta", "heuristics"}
    assert "\n\n" in r["body"]
    if r["image_url"] is not None:
        assert r["image_url"].startswith("http")


def test_structured_data_is_preferred() -> None:
    html = b"""<html lang="en-GB"><head><title>Quake hits coast | Daily Planet</title>
    <meta property="og:site_name" content="Daily Planet">
    <script type="application/ld+json">{"@context":"https://schema.org","@graph":[
      {"@type":"WebSite","name":"Daily Planet"},
      {"@type":["NewsArticle"],"headline":"Quake hits coast",
       "datePublished":"2026-02-21T09:05:00+09:00","dateModified":"2026-02-21T10:00:00+09:00",
       "author":[{"@type":"Person","name":"By Lois Lane"},{"@id":"#ck"}],
       "keywords":"quake, coast","articleSection":"World",
       "image":{"@type":"ImageObject","url":"/img/q.jpg"}},
      {"@type":"Person","@id":"#ck","name":"Clark Kent"}]}</script></head>
    <body><nav><a href="/">Home</a> <a href="/world">World</a></nav>
    <article><h1>Quake hits coast</h1>
    <p>A strong earthquake struck the coast early on Saturday, officials said, shaking
    buildings across the region and cutting power to thousands of homes.</p>
    <div class="share-bar">Share on Facebook Share on X</div>
    <p>There were no immediate reports of casualties, but rescue teams were sent to the
    worst-hit towns, according to the regional emergency agency.</p></article>
    <footer>Copyright Daily Planet</footer></body></html>"""
    r = extract_article(html, "https://planet.example/world/2026/02/21/quake")
    assert r["headline"] == "Quake hits coast"
    assert r["authors"] == ["Lois Lane", "Clark Kent"]
    assert r["published_at"] == "2026-02-21T09:05:00+09:00"
    assert r["updated_at"] == "2026-02-21T10:00:00+09:00"
    assert r["published_at_tz_assumed"] is False
    assert r["tags"] == ["quake", "coast"]
    assert r["section"] == "World"
    assert r["language"] == "en"
    assert r["image_url"] == "https://planet.example/img/q.jpg"
    assert r["sources"]["authors"] == "structured_data"
    assert r["sources"]["published_at"] == "structured_data"
    assert r["body"].startswith("A strong earthquake")
    assert "Share on" not in r["body"] and "Copyright" not in r["body"]
    assert r["body"].count("\n\n") == 1


def test_title_decoration_stripped_and_default_tz_applied() -> None:
    html = """<html><head><title>Markets rally on rate hopes - Business | The Herald</title>
    <meta property="og:site_name" content="The Herald">
    <meta name="author" content="By Jane Doe, Staff Reporter (jane@herald.example)">
    </head><body><div class="story-body"><p class="byline">Feb. 21, 2026 9:05 AM</p>
    <p>Stocks rose sharply on Friday as investors bet that the central bank would cut rates
    sooner than expected, lifting technology shares to a record.</p></div></body></html>"""
    r = extract_article(html, "https://herald.example/business/markets", default_tz="Asia/Seoul")
    # the site and the section name between it and the headline both go
    assert r["headline"] == "Markets rally on rate hopes"
    assert r["authors"] == ["Jane Doe"]
    assert r["published_at"] == "2026-02-21T09:05:00+09:00"
    assert r["published_at_tz_assumed"] is True
    assert r["published_at_raw"] == "Feb. 21, 2026 9:05 AM"
