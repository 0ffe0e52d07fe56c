"""A second site is one small module: the page kernel (``newsspider/pages/base.py``) does the
rest. The module below is the worked example of docs/ADDING_A_SITE.md, defined in the test
file against two hand-written pages in ``tests/fixtures/second_site/``."""

from __future__ import annotations

from pathlib import Path

import pytest
from parsel import Selector

from newsspider.items import Article, FrontPageSlot, PopularEntry
from newsspider.pages.base import HtmlPage, SiteProfile, _as_str, _first, element_text
from newsspider.pages.generic import ProfileWithFallback

FIXTURES = Path(__file__).parent / "fixtures" / "second_site"
ARTICLE_URL = "https://www.harbourtimes.example/local/2026/02/21/ferry-timetable-changes-48213"
FRONT_URL = "https://www.harbourtimes.example/"

# ----------------------------------------------------------------- the site module (example)

SITE = "harbourtimes"


class ArticlePage(HtmlPage):
    # <h1 class="story-title">; <span class="story-author"> per author
    HEADLINE_CSS = "h1.story-title"
    AUTHOR_CSS = "p.story-meta span.story-author"
    # only the direct <p> children: the promo box inside the text is not the story
    BODY_PARAGRAPHS_CSS = "div.story-text > p"
    TAGS_CSS = "ul.story-tags a"
    RELATED_CSS = "aside.more a::attr(href)"
    CANONICAL_CSS = 'link[rel="canonical"]::attr(href)'

    def article(self) -> Article:
        url = self.page_url()
        body = "\n\n".join(filter(None, map(element_text, self.css(self.BODY_PARAGRAPHS_CSS))))
        authors = [element_text(a) for a in self.css(self.AUTHOR_CSS)]
        news = self.json_ld_of_type({"NewsArticle"})
        headline = element_text(self.css_first(self.HEADLINE_CSS)) or _as_str(news.get("headline"))
        return Article(
            url=url,
            canonical_url=self.canonical_link(self.css_str(self.CANONICAL_CSS)) or url,
            article_id=PROFILE.article_id(url),
            site=SITE,
            section=PROFILE.section(url),
            headline=headline,
            authors=[a for a in dict.fromkeys(authors) if a],
            body=body or None,
            tags=list(dict.fromkeys(filter(None, map(element_text, self.css(self.TAGS_CSS))))),
            related_urls=[u for u in map(self.canonical_link, self.css(self.RELATED_CSS)) if u],
            headline_source="profile",
            body_source="profile" if body else None,
            authors_source="profile" if authors else None,
        )

    def popular(self) -> list[PopularEntry]:
        return []


class FrontPage(HtmlPage):
    SLOT_CSS = "div.teaser"
    SLOT_LINK_CSS = "h2 a"

    def slots(self) -> list[FrontPageSlot]:
        slots: list[FrontPageSlot] = []
        for teaser in self.css(self.SLOT_CSS):
            link = _first(self.SLOT_LINK_CSS, teaser)
            url = self.canonical_link(link.get("href")) if link is not None else None
            if not PROFILE.is_article_url(url):
                continue
            slots.append(
                FrontPageSlot(
                    page_url=self.page_url(),
                    position_on_page=len(slots) + 1,
                    headline=element_text(link),
                    article_url=url,
                    article_id=PROFILE.article_id(url),
                    section=PROFILE.section(url),
                )
            )
        return slots

    def popular(self) -> list[PopularEntry]:
        return []


PROFILE = SiteProfile(
    name=SITE,
    front_page=FrontPage,
    article_page=ArticlePage,
    domains=("harbourtimes.example",),
    timezone="Australia/Sydney",
    # /<section>/<yyyy>/<mm>/<dd>/<slug>-<id>
    article_path_regex=r"^/(?P<section>[a-z]+)/\d{4}/\d{2}/\d{2}/[a-z0-9-]+-(?P<id>\d+)$",
)

# ----------------------------------------------------------------- the tests


def read(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def test_second_site_article_fields() -> None:
    article = ArticlePage(ARTICLE_URL + "?utm_source=x#c", read("article.html")).article()
    assert article.url == ARTICLE_URL
    assert article.canonical_url == ARTICLE_URL
    assert (article.article_id, article.section, article.site) == ("48213", "local", SITE)
    assert article.headline == "Ferry timetable changes from Monday"
    assert article.authors == ["Alex Nguyen", "Sam O'Brien"]
    assert article.body == (
        "Ferries on the inner harbour will run every twenty minutes from Monday.\n\n"
        "The operator said the change follows a review of passenger numbers."
    )
    assert article.tags == ["Transport", "Ferries"]
    assert article.related_urls == [
        "https://www.harbourtimes.example/sport/2026/02/20/rowing-club-wins-title-48190",
        "https://other.example/x",
    ]


def test_second_site_front_page_slots() -> None:
    slots = FrontPage(FRONT_URL, read("front.html")).slots()
    assert [(s.position_on_page, s.article_id, s.section, s.headline) for s in slots] == [
        (1, "48213", "local", "Ferry timetable changes from Monday"),
        (2, "48190", "sport", "Rowing club wins title"),
    ]
    assert slots[0].article_url == ARTICLE_URL
    assert {s.page_url for s in slots} == {FRONT_URL}


def test_second_site_empty_fields_filled_by_the_generic_layer() -> None:
    """The example leaves published_at to the generic layer (JSON-LD datePublished)."""
    html = read("article.html")
    page = ProfileWithFallback(ArticlePage(ARTICLE_URL, html), ARTICLE_URL, html, PROFILE.timezone)
    article = page.article()
    assert article.published_at == "2026-02-21T07:30:00+11:00"
    assert article.headline_source == "profile"


@pytest.mark.parametrize(
    ("url", "article_id", "section"),
    [
        (ARTICLE_URL, "48213", "local"),
        (ARTICLE_URL + "?page=2", "48213", "local"),
        ("https://www.harbourtimes.example/local/2026/02/21/", None, None),
        ("https://www.harbourtimes.example/local/article/1001", None, None),  # news1global's
        ("http://[::1", None, None),
        (None, None, None),
    ],
)
def test_second_site_url_rule(url: str | None, article_id: str | None, section: str | None) -> None:
    assert PROFILE.article_id(url) == article_id
    assert PROFILE.section(url) == section
    assert PROFILE.is_article_url(url) is (article_id is not None)


@pytest.mark.parametrize("page_class", [ArticlePage, FrontPage])
def test_kernel_selects_what_parsel_selects_for_any_site(page_class: type[HtmlPage]) -> None:
    for name, url in (("article.html", ARTICLE_URL), ("front.html", FRONT_URL)):
        page = page_class(url, read(name))
        sel: Selector = page.sel
        for attr in dir(page_class):
            css = getattr(page_class, attr)
            if attr.endswith("_CSS") and isinstance(css, str):
                expected = [s.root for s in sel.css(css)]
                got = page.css(css)
                assert len(got) == len(expected), (attr, css)
                assert all(a is b or a == b for a, b in zip(got, expected, strict=True)), css


def test_pages_share_no_state() -> None:
    """Caches live on the page: the same href on two pages resolves against each page."""
    html = '<html><body><a href="x/1.html">x</a></body></html>'
    first = HtmlPage("https://a.example/one/", html)
    second = HtmlPage("https://b.example/two/", html)
    assert first.canonical_link("x/1.html") == "https://a.example/one/x/1.html"
    assert second.canonical_link("x/1.html") == "https://b.example/two/x/1.html"
    assert first.json_ld_objects() == [] and second.page_url() == "https://b.example/two/"


def test_the_documented_example_is_this_module() -> None:
    """docs/ADDING_A_SITE.md shows this module: its code block runs and gives the same items."""
    import re
    from dataclasses import asdict, replace

    doc = (Path(__file__).parents[1] / "docs" / "ADDING_A_SITE.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", doc, re.DOTALL)
    assert len(blocks) == 1
    namespace: dict[str, object] = {"__name__": "harbourtimes_example"}
    exec(compile(blocks[0], "ADDING_A_SITE.md", "exec"), namespace)
    documented_article, documented_front = namespace["ArticlePage"], namespace["FrontPage"]
    assert isinstance(documented_article, type) and isinstance(documented_front, type)
    html, front = read("article.html"), read("front.html")
    assert asdict(documented_article(ARTICLE_URL, html).article()) == asdict(
        ArticlePage(ARTICLE_URL, html).article()
    )
    assert [asdict(s) for s in documented_front(FRONT_URL, front).slots()] == [
        asdict(s) for s in FrontPage(FRONT_URL, front).slots()
    ]
    documented_profile = namespace["PROFILE"]
    assert isinstance(documented_profile, SiteProfile)
    assert replace(documented_profile, front_page=FrontPage, article_page=ArticlePage) == PROFILE
