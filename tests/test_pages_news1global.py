"""Golden page tests for the news1global page objects, plus asserts that cannot be regenerated.

Fixtures: ``tests/fixtures/demo/pages.json`` lists each page of the generated demo site
(``newsspider/demo_site/<demo_path>``, read in place: no copies) with the URL it is parsed as;
``tests/fixtures/demo/<name>.expected.json`` holds the expected items. To accept new output after a
deliberate change, run ``NEWSSPIDER_REGEN_GOLDEN=1 pytest tests/test_pages_news1global.py``
and review the diff -- the hand-written tests below still have to pass.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, fields
from pathlib import Path
from typing import Any

import pytest
from parsel import Selector

from newsspider.items import Article, FrontPageSlot, PopularEntry
from newsspider.pages.news1global import (
    PROFILE,
    ArticlePage,
    FrontPage,
    parse_date_line,
    parse_iso_time,
    parse_printed_time,
    split_byline,
)

FIXTURES = Path(__file__).parent / "fixtures" / "demo"
DEMO_SITE = Path(__file__).parent.parent / "newsspider" / "demo_site"
PAGES: list[dict[str, str]] = json.loads((FIXTURES / "pages.json").read_text(encoding="utf-8"))
PAGES_BY_NAME = {p["name"]: p for p in PAGES}
REGEN = os.environ.get("NEWSSPIDER_REGEN_GOLDEN") == "1"
FRONT_URL = PAGES_BY_NAME["front"]["url"]


def load_html(name: str) -> str:
    return (DEMO_SITE / PAGES_BY_NAME[name]["demo_path"]).read_text(encoding="utf-8")


def actual_output(page: dict[str, str]) -> dict[str, Any]:
    html = load_html(page["name"])
    if page["kind"] == "front":
        front = FrontPage(page["url"], html)
        return {
            "slots": [asdict(s) for s in front.slots()],
            "popular": [asdict(p) for p in front.popular()],
        }
    article_page = ArticlePage(page["url"], html)
    return {
        "article": asdict(article_page.article()),
        "popular": [asdict(p) for p in article_page.popular()],
    }


def expected_output(page: dict[str, str]) -> dict[str, Any]:
    path = FIXTURES / f"{page['name']}.expected.json"
    if REGEN:
        text = json.dumps(actual_output(page), ensure_ascii=False, indent=2) + "\n"
        path.write_text(text, encoding="utf-8")
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def golden_cases() -> list[Any]:
    """One case per (page, item list, field): e.g. ("front", "slots", "headline")."""
    cases = []
    for page in PAGES:
        lists = ("slots", "popular") if page["kind"] == "front" else ("article", "popular")
        for key in lists:
            item_class = {"slots": FrontPageSlot, "popular": PopularEntry, "article": Article}[key]
            for f in fields(item_class):
                cases.append(
                    pytest.param(page["name"], key, f.name, id=f"{page['name']}-{key}-{f.name}")
                )
    return cases


_EXPECTED = {p["name"]: expected_output(p) for p in PAGES}
_ACTUAL: dict[str, dict[str, Any]] = {}


def actual_cached(name: str) -> dict[str, Any]:
    if name not in _ACTUAL:
        _ACTUAL[name] = actual_output(PAGES_BY_NAME[name])
    return _ACTUAL[name]


@pytest.mark.parametrize(("name", "key", "field_name"), golden_cases())
def test_golden_field(name: str, key: str, field_name: str) -> None:
    expected = _EXPECTED[name]
    assert key in expected, f"{name}: no expected file; run with NEWSSPIDER_REGEN_GOLDEN=1"
    actual = actual_cached(name)[key]
    if key == "article":
        assert actual[field_name] == expected[key][field_name]
    else:
        assert len(actual) == len(expected[key])
        assert [a[field_name] for a in actual] == [e[field_name] for e in expected[key]]


def test_every_golden_file_has_its_demo_page_and_no_html_copies() -> None:
    """The golden files test the generated demo pages themselves, never a copy of them."""
    assert [p for p in PAGES if not (DEMO_SITE / p["demo_path"]).is_file()] == []
    expected = sorted(
        p.name.removesuffix(".expected.json") for p in FIXTURES.glob("*.expected.json")
    )
    assert expected == sorted(PAGES_BY_NAME)  # no orphan, none missing
    assert list(FIXTURES.glob("*.html")) == []


# --------------------------------------------------------------------------- front page


@pytest.fixture(scope="module")
def front() -> FrontPage:
    return FrontPage(FRONT_URL, load_html("front"))


@pytest.fixture(scope="module")
def slots(front: FrontPage) -> list[FrontPageSlot]:
    return front.slots()


def test_date_line(slots: list[FrontPageSlot]) -> None:
    assert {s.date_line_raw for s in slots} == {"Saturday, February 21, 2026"}
    assert {s.page_date for s in slots} == {"2026-02-21"}


def test_positions_are_gapless_and_ordered(slots: list[FrontPageSlot]) -> None:
    assert [s.position_on_page for s in slots] == list(range(1, len(slots) + 1))
    assert slots[0].block == "Top Story"
    assert slots[0].article_id == "1001"
    blocks: dict[str | None, list[int | None]] = {}
    for s in slots:
        blocks.setdefault(s.block, []).append(s.position_in_block)
    for block, positions in blocks.items():
        assert positions == list(range(1, len(positions) + 1)), block
    assert list(blocks)[:3] == ["Top Story", "Latest News", "Editor's Picks"]
    assert {"Politics", "Business", "Society", "Culture", "Sports", "World", "Etc"} <= set(blocks)


def test_every_demo_article_is_on_the_front_page(slots: list[FrontPageSlot]) -> None:
    assert {s.article_id for s in slots} == {str(i) for i in range(1001, 1035)}
    assert all(s.section and s.article_url and s.headline and s.teaser for s in slots)


def test_tracking_link_is_canonicalized(front: FrontPage, slots: list[FrontPageSlot]) -> None:
    raw_hrefs = front.sel.css("a.headline-link::attr(href)").getall()
    assert "etc/article/1007.html?utm_source=newsletter&utm_medium=email#comments" in raw_hrefs
    picks = [s for s in slots if s.block == "Editor's Picks" and s.article_id == "1007"]
    assert [s.article_url for s in picks] == ["http://127.0.0.1:8000/etc/article/1007.html"]
    assert not any("utm_" in (s.article_url or "") or "#" in (s.article_url or "") for s in slots)


def test_formula_like_headlines_are_verbatim_slots(slots: list[FrontPageSlot]) -> None:
    by_id = {s.article_id: s.headline for s in slots}
    assert by_id["1014"] == (
        "=SUM of all fears: spreadsheet glitch delays tax refunds for 30,000 workers"
    )
    assert by_id["1009"] == (
        "+30% exports: shipments of Korean cosmetics to Southeast Asia hit new high"
    )


def test_broken_article_is_linked_from_latest_news(slots: list[FrontPageSlot]) -> None:
    assert any(s.block == "Latest News" and s.article_id == "1028" for s in slots)


def test_slot_urls_are_absolute(slots: list[FrontPageSlot]) -> None:
    assert slots[0].page_url == FRONT_URL
    assert slots[0].image_url == "http://127.0.0.1:8000/images/1001.svg"
    assert all((s.image_url or "").startswith("http://127.0.0.1:8000/images/") for s in slots)


def test_teasers_are_one_sentence(slots: list[FrontPageSlot]) -> None:
    for s in slots:
        assert s.teaser and s.teaser.endswith(".")
        assert not re.search(r"[.!?]\s+[A-Z]", s.teaser.replace("U.S. ", "US ")), s.teaser


def test_popular_list(front: FrontPage) -> None:
    popular = front.popular()
    assert [p.rank for p in popular] == list(range(1, 11))
    assert {p.list_name for p in popular} == {"Most Popular Articles"}
    assert popular[0].article_id == "1004"
    assert popular[0].headline and "🎤" in popular[0].headline
    assert {p.seen_on_url for p in popular} == {FRONT_URL}


# --------------------------------------------------------------------------- article pages


def article(name: str) -> Article:
    page = PAGES_BY_NAME[name]
    return ArticlePage(page["url"], load_html(page["name"])).article()


def test_article_fields_basic() -> None:
    a = article("article_1001")
    assert a.url == "https://www.news1global.com/politics/article/1001.html"
    assert a.canonical_url == a.url
    assert (a.article_id, a.section, a.category, a.site) == (
        "1001",
        "politics",
        "Politics",
        "news1global",
    )
    assert a.headline == (
        "Assembly passes extra budget after all-night session as rival parties trade blame"
    )
    assert a.authors == ["Choi Yeon-woo"]
    assert a.published_at == "2026-02-21T06:40:00+09:00"
    assert a.published_at_raw == "2026-02-21 06:40 KST"
    assert a.published_at_tz_assumed is False
    assert a.updated_at == "2026-02-21T11:15:00+09:00"
    assert a.language == "en"
    assert a.tags == ["National Assembly", "Budget", "Democratic Party", "People Power Party"]
    assert a.body and a.body.count("\n\n") == 4
    assert a.word_count == len(re.findall(r"\w+", a.body))
    assert a.image_url == "https://www.news1global.com/images/1001.svg"
    assert a.related_urls[0] == "https://www.news1global.com/politics/article/1008.html"
    assert (a.headline_source, a.body_source, a.authors_source, a.published_at_source) == (
        "profile", "profile", "profile", "profile",
    )  # fmt: skip


def test_in_article_ad_is_not_body_text() -> None:
    for name in PAGES_BY_NAME:
        if name.startswith("article_"):
            body = article(name).body or ""
            assert "Advertisement" not in body and "Subscribe" not in body, name


def test_tracking_url_of_article_is_canonicalized() -> None:
    a = article("article_1007")
    assert a.url == "http://127.0.0.1:8000/etc/article/1007.html"
    assert a.updated_at == "2026-02-21T14:30:00+09:00"
    assert a.updated_at_raw == "2026-02-21 14:30 KST"


def test_paywalled_article() -> None:
    a = article("article_1017")
    assert a.is_paywalled is True
    assert a.body and "\n\n" not in a.body
    assert article("article_1001").is_paywalled is False


def test_broken_article_has_no_headline() -> None:
    a = article("article_1028")
    assert a.headline is None and a.headline_source is None
    assert a.body is None and a.word_count is None
    assert a.article_id == "1028" and a.language == "en"


def test_non_ascii_survives() -> None:
    a = article("article_1004")
    assert a.headline and "“Midnight Hanok” — " in a.headline and a.headline.endswith("🎤")
    assert a.authors == ["Kim Min-ji (김민지)"]
    assert a.body and "(노바세븐)" in a.body and "‘couldn’t believe it’" in a.body
    assert "🎉" in a.body
    assert a.image_caption == "NOVA7 (노바세븐) performs “Midnight Hanok” at a showcase in Seoul."


def test_formula_headline_is_kept_verbatim() -> None:
    assert article("article_1014").headline == (
        "=SUM of all fears: spreadsheet glitch delays tax refunds for 30,000 workers"
    )


def test_two_authors_from_file_url() -> None:
    a = article("article_1005")
    assert a.authors == ["Park Ji-hoon", "Lee Soo-jin"]
    assert a.url == "file:///srv/demo_site/sports/article/1005.html"
    assert a.image_url == "file:///srv/demo_site/images/1005.svg"


def test_article_without_tags() -> None:
    assert article("article_1021").tags == []


def test_article_page_popular_list() -> None:
    page = PAGES_BY_NAME["article_1007"]
    popular = ArticlePage(page["url"], load_html(page["name"])).popular()
    assert len(popular) == 10
    assert {p.seen_on_url for p in popular} == {"http://127.0.0.1:8000/etc/article/1007.html"}


# --------------------------------------------------------------------------- fallbacks


FALLBACK_HTML = """<html lang="ko"><head><title>Fallback story | News1 Global</title>
<script type="application/ld+json">{"@context": "https://schema.org", "@graph": [
 {"@type": "WebPage"},
 {"@type": "NewsArticle", "headline": "From JSON-LD", "datePublished": "2026-02-20T23:10:00+09:00",
  "dateModified": "2026-02-21T08:00:00+09:00", "author": [{"@type": "Person", "name": "Ahn Bo-ra"}],
  "isAccessibleForFree": false}]}</script>
<script type="application/ld+json">{not json</script>
</head><body><div class="article-body"><p>  One\u00a0line
 paragraph. </p><p></p></div></body></html>"""


def test_structured_data_fallbacks() -> None:
    a = ArticlePage("https://www.news1global.com/world/article/77.html", FALLBACK_HTML).article()
    assert (a.headline, a.headline_source) == ("From JSON-LD", "structured_data")
    assert (a.authors, a.authors_source) == (["Ahn Bo-ra"], "structured_data")
    assert a.published_at == "2026-02-20T23:10:00+09:00"
    assert a.published_at_raw == "2026-02-20T23:10:00+09:00"
    assert (a.published_at_source, a.published_at_tz_assumed) == ("structured_data", False)
    assert a.updated_at == "2026-02-21T08:00:00+09:00"
    assert a.body == "One line paragraph." and a.word_count == 3
    assert a.is_paywalled is True
    assert a.language == "ko"
    assert (a.article_id, a.section) == ("77", "world")


def test_title_fallback_strips_site_name() -> None:
    html = "<html><head><title>Only a title | News1 Global</title></head></html>"
    a = ArticlePage("https://www.news1global.com/etc/article/5.html", html).article()
    assert (a.headline, a.headline_source) == ("Only a title", "meta")


GARBAGE = [
    "",
    "garbage <<<>>> &&&",
    "\x00\x01binary",
    "<html><body><div class='article-body'></div></body>",
    '<a class="headline-link" href="http://[::1">x</a><li class="headline-item"></li>',
    '<section class="headline-block"><li class="headline-item"><a class="headline-link" '
    'href="javascript:alert(1)">x</a></li></section>',
    '<script type="application/ld+json">[1, "x", {"@type": ["NewsArticle"], "author": 5}]</script>',
    '<div class="article-dates"><span class="published">Published : 2026-02-31 25:99 KST'
    "</span></div>",
    '<section class="most-popular"><ol><li><span class="rank">x</span></li></ol></section>',
]


@pytest.mark.parametrize("html", GARBAGE)
@pytest.mark.parametrize(
    "url", ["", "http://[::1", "https://www.news1global.com/etc/article/9.html"]
)
def test_never_raises_and_never_returns_empty_strings(html: str, url: str) -> None:
    items: list[Any] = [ArticlePage(url, html).article(), *ArticlePage(url, html).popular()]
    items += [*FrontPage(url, html).slots(), *FrontPage(url, html).popular()]
    for item in items:
        for key, value in asdict(item).items():
            assert value != "", key
            assert not (isinstance(value, list) and "" in value), key
    slots = FrontPage(url, html).slots()
    assert all(s.article_url is None for s in slots)  # javascript:/broken links are dropped


# --------------------------------------------------------------------------- helper tables


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Saturday, February 21, 2026", "2026-02-21"),
        ("  Saturday,\u00a0February 21, 2026 ", "2026-02-21"),
        ("Feb. 1, 2026", "2026-02-01"),
        ("Sunday, February 30, 2026", None),
        ("today", None),
        ("", None),
        (None, None),
    ],
)
def test_parse_date_line(raw: str | None, expected: str | None) -> None:
    assert parse_date_line(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-02-21 09:05 KST", ("2026-02-21T09:05:00+09:00", False)),
        ("2026.02.21 9:05", ("2026-02-21T09:05:00+09:00", True)),
        ("2026-02-21 00:05:30 UTC", ("2026-02-21T00:05:30+00:00", False)),
        ("2026-02-21 09:05 +0530", ("2026-02-21T09:05:00+05:30", False)),
        ("2026-02-21 09:05 -03:00", ("2026-02-21T09:05:00-03:00", False)),
        ("2026-13-21 09:05 KST", (None, None)),
        ("yesterday", (None, None)),
        (None, (None, None)),
    ],
)
def test_parse_printed_time(raw: str | None, expected: tuple[str | None, bool | None]) -> None:
    assert parse_printed_time(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2026-02-21T09:05:00+09:00", ("2026-02-21T09:05:00+09:00", False)),
        ("2026-02-21T00:05:00Z", ("2026-02-21T00:05:00+00:00", False)),
        ("2026-02-21T09:05:00", ("2026-02-21T09:05:00+09:00", True)),
        ("not a date", (None, None)),
    ],
)
def test_parse_iso_time(raw: str, expected: tuple[str | None, bool | None]) -> None:
    assert parse_iso_time(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("By Kim Min-ji, Staff Reporter", ["Kim Min-ji"]),
        ("By Kim Min-ji (김민지), Staff Reporter", ["Kim Min-ji (김민지)"]),
        ("By Park Ji-hoon and Lee Soo-jin, Staff Reporters", ["Park Ji-hoon", "Lee Soo-jin"]),
        ("By A Kim, B Lee and C Park", ["A Kim", "B Lee", "C Park"]),
        ("by  Seo Jae-min,  Defense Correspondent", ["Seo Jae-min"]),
        ("Staff Reporter", []),
        ("", []),
        (None, []),
    ],
)
def test_split_byline(raw: str | None, expected: list[str]) -> None:
    assert split_byline(raw) == expected


# --------------------------------------------------------------------------- profile


def test_profile_signature_matches_demo_pages_only() -> None:
    assert PROFILE.signature_css
    for name in PAGES_BY_NAME:
        assert Selector(text=load_html(name)).css(PROFILE.signature_css), name
    other = "<html><body><main><section class='most-popular'></section></main></body></html>"
    assert not Selector(text=other).css(PROFILE.signature_css)


@pytest.mark.parametrize(
    ("path", "is_article"),
    [
        ("/politics/article/1001.html", True),
        ("/etc/article/1028", True),
        ("/srv/demo_site/sports/article/1005.html", True),
        ("/politics/index.html", False),
        ("/tag/kbo.html", False),
        ("/", False),
    ],
)
def test_article_path_regex(path: str, is_article: bool) -> None:
    assert PROFILE.article_path_regex
    assert bool(re.search(PROFILE.article_path_regex, path)) is is_article


def test_profile_basics() -> None:
    assert (PROFILE.name, PROFILE.domains, PROFILE.timezone) == (
        "news1global", ("news1global.com",), "Asia/Seoul",
    )  # fmt: skip
    assert PROFILE.front_page is FrontPage and PROFILE.article_page is ArticlePage


@pytest.mark.parametrize(
    ("url", "article_id", "section"),
    [
        ("https://www.news1global.com/etc/article/1007", "1007", "etc"),
        ("file:///d/demo_site/politics/article/1001.html", "1001", "politics"),
        ("https://www.news1global.com/north-korea/article/2345/", "2345", "north-korea"),
        ("https://www.news1global.com/etc/article/1007?page=2#c", "1007", "etc"),
        ("https://www.news1global.com/etc/", None, None),
        ("https://www.news1global.com/etc/article/abc", None, None),
        ("http://[::1", None, None),
        (None, None, None),
    ],
)
def test_profile_url_rule(url: str | None, article_id: str | None, section: str | None) -> None:
    """The site's article id and section come from its profile's URL rule."""
    assert PROFILE.article_id(url) == article_id
    assert PROFILE.section(url) == section
    assert PROFILE.is_article_url(url) is (article_id is not None)
