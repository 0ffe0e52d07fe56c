"""Author names of the generic extractor: cleaning (a table) and where they are found."""

from __future__ import annotations

import pytest

from newsspider.extract import extract_article
from newsspider.extract.authors import clean_authors
from newsspider.extract.title import _site_keys

PARA = "This is a paragraph of the article body that goes on for a while. " * 6


def _page(body: str, head: str = "") -> str:
    return (
        f"<html lang='en'><head>{head}</head><body><h1>An article headline here</h1>"
        f"{body}<p>{PARA}</p></body></html>"
    )


@pytest.mark.parametrize(
    ("raw", "url", "expected"),
    [
        # lead-ins of author links and lists
        ("View all posts by Ray Ansari", "https://ex.com/a", ["Ray Ansari"]),
        ("Authored by: Ehsan Jazini", "https://ex.com/a", ["Ehsan Jazini"]),
        (
            "Authors: Julie Weisenhorn and Natalie Hoidal",
            "https://ex.com/a",
            ["Julie Weisenhorn", "Natalie Hoidal"],
        ),
        ("Contributors: Janet Loughrey", "https://ex.com/a", ["Janet Loughrey"]),
        # a date glued after the name, ISO or without a year
        ("Nick van Mead 2022-11-23T08:10+", "https://ex.com/a", ["Nick van Mead"]),
        ("Heather Handmade December 8", "https://ex.com/a", ["Heather Handmade"]),
        # the word before a stripped date or site ("on …", "at …"); a capital "On" is a name
        ("ALLIN ONE on Jan 22, 2025", "https://ex.com/a", ["ALLIN ONE"]),
        ("David at https://davidbau.com", "https://ex.com/a", ["David"]),
        ("Audiophile On", "https://ex.com/a", ["Audiophile On"]),
        # the publisher after the person's name
        ("Brian Truitt USA TODAY", "https://www.usatoday.com/story/x", ["Brian Truitt"]),
        (
            "David Jackson - FullStack Editorial Team",
            "https://www.fullstack.com/x",
            ["David Jackson"],
        ),
        # founders and executives
        ("Mateusz Haberny Founder at Oakywood", "https://ex.com/a", ["Mateusz Haberny"]),
        ("Matt Check Head Winemaker, Co-Founder", "https://ex.com/a", ["Matt Check"]),
        # a name printed twice, glued
        ("Loona Construction Loona Construction", "https://ex.com/a", ["Loona Construction"]),
        # a news agency or the publisher next to people
        ("Jane Doe | Reuters", "https://ex.com/a", ["Jane Doe"]),
        (
            "Manoj Jain, Jagpreet Chhatwal, The Commercial Appeal",
            "https://eu.commercialappeal.com/story/x",
            ["Manoj Jain", "Jagpreet Chhatwal"],
        ),
        # ... but an agency alone stays (nothing else names the author)
        ("Reuters", "https://ex.com/a", ["Reuters"]),
        # link labels, weekdays and template keys are not names
        ("Full Bio", "https://ex.com/a", []),
        ("Sat", "https://ex.com/a", []),
        ("page.head.extra.author", "https://ex.com/a", []),
        ("sara.r.peter", "https://ex.com/a", ["sara.r.peter"]),
        ("Jun 2 Written By", "https://ex.com/a", []),
    ],
)
def test_clean_authors(raw: str, url: str, expected: list[str]) -> None:
    assert clean_authors([raw], _site_keys(None, url)) == expected


def test_written_by_reading_hint_of_the_meta_tags() -> None:
    head = (
        '<meta name="twitter:label1" content="Written by">'
        '<meta name="twitter:data1" content="Nawaz Dhandala">'
        '<meta name="twitter:label2" content="Est. reading time">'
        '<meta name="twitter:data2" content="9 minutes">'
    )
    assert extract_article(_page("", head), "https://ex.com/a")["authors"] == ["Nawaz Dhandala"]


@pytest.mark.parametrize(
    "byline",
    [
        # an author-classed element that names nobody does not end the search
        "<div class='author-box'>Author</div><p><span>Published August 7, 2023</span> "
        "<span>by Nicole Burke</span></p>",
        "<div class='attribution'>Text by <a href='/contributor/x/'>Nicole Burke</a></div>",
        "<h3>Written by Nicole Burke</h3>",
        "<div><strong>Contributors:</strong> Nicole Burke</div>",
    ],
)
def test_byline_lines(byline: str) -> None:
    assert extract_article(_page(byline), "https://ex.com/a")["authors"] == ["Nicole Burke"]


@pytest.mark.parametrize(
    "byline",
    [
        # 2008 table layouts: name, desk and date on lines of one byline cell
        "<table><tr><td class='byline'><font size=1>By Nicole Burke<br>Ledger staff<br>"
        "Published: April 2, 2008</font></td></tr></table>",
        "<div class='byline'>By<br><b>Nicole Burke</b><br>Herald correspondent</div>",
        "<div class='author'>Nicole Burke<br>Gazette reporter</div>",
    ],
)
def test_byline_lines_broken_by_br_are_not_joined(byline: str) -> None:
    # joined, the desk's paper name stayed glued to the name ("Nicole Burke Ledger")
    assert extract_article(_page(byline), "https://ex.com/a")["authors"] == ["Nicole Burke"]
