"""The parse worker's CPU savings (issue 14, session 6) change nothing: the tree parsed from the
response's own bytes is the tree parsel builds from the text, and the fast paths give what the
general ones give. Correctness only (speed: benchmarks/worker_cost.py)."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest
from lxml import etree
from parsel import Selector
from scrapy.http import HtmlResponse, TextResponse

from newsspider.pages.base import page_selector
from newsspider.parsepool import utf8_body_of

DEMO = Path(__file__).resolve().parents[1] / "newsspider" / "demo_site"
PAGE = (DEMO / "politics" / "article" / "1001.html").read_text(encoding="utf-8")
URL = "https://www.news1global.com/politics/article/1001"

# documents at the edges of page_selector's proof: each must give parsel's own tree
DOCUMENTS = {
    "demo page": PAGE,
    "trailing newline": PAGE + "\n",
    "leading white space": " \r\n\t" + PAGE,
    "trailing unicode space": PAGE + "\u00a0",
    "trailing separator control": PAGE + "\x1c",
    "leading unicode space": "\u3000" + PAGE,
    "nul inside": PAGE.replace("<body", "<bo\x00dy", 1),
    "xml declaration": '<?xml version="1.0" encoding="utf-8"?>\n<html><body><p>x</p></body></html>',
    "json document": '{"a": [1, 2]}',
    "text only": "just some text, no tags",
    "non-ascii body": "<html><body><p>김민지 café — “quoted”</p></body></html>",
    "fragment": "<p>one</p><p>two</p>",
    "comment first": "<!-- c --><html><body><p>x</p></body></html>",
    "empty": "",
    "white space only": "  \n ",
}


def _tree(sel: Selector) -> tuple[str, bytes | object]:
    root = sel.root
    if isinstance(root, etree._Element):
        return sel.type, etree.tostring(root.getroottree(), encoding="utf-8")
    return sel.type, root


@pytest.mark.parametrize("name", sorted(DOCUMENTS))
def test_page_selector_builds_parsels_tree_from_the_bytes(name: str) -> None:
    html = DOCUMENTS[name]
    expected = Selector(text=html or "<html></html>", base_url=URL)
    if expected.type == "json":  # parsel's JSON guess: a page object's page is HTML (text_selector)
        expected = Selector(text=html, type="html", base_url=URL)
    got = page_selector(URL, html, html.encode("utf-8"))
    assert got.type == expected.type == ("xml" if html.startswith("<?xml") else "html")
    assert _tree(got) == _tree(expected)  # same serialization: the same tree
    assert got.root.base == expected.root.base
    assert got.css("p::text").getall() == expected.css("p::text").getall()
    assert _tree(page_selector(URL, html)) == _tree(expected)  # without the bytes


def test_page_selector_takes_the_bytes_path_for_an_ordinary_page() -> None:
    """The fast path is taken where it should be (else the test above proves nothing about
    it): a tree parsed from the bytes keeps them as they are, so a byte that the text's
    round trip would turn into something else shows in the tree."""
    html = "<html><body><p>a</p></body></html>"
    marked = b"<html><body><p>b</p></body></html>"  # deliberately not html's encoding
    assert page_selector(URL, html, marked).css("p::text").get() == "b"
    assert page_selector(URL, html, b"  " + marked + b"\n").css("p::text").get() == "b"
    for unsafe in (b"<?xml version='1.0'?>" + marked, marked + b"\x1c", b"\x00" + marked):
        assert page_selector(URL, html, unsafe).css("p::text").get() == "a"


def _response(body: bytes, content_type: bytes | None = None, **kwargs: object) -> TextResponse:
    headers = {b"Content-Type": content_type} if content_type else None
    return HtmlResponse(URL, body=body, headers=headers, **kwargs)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("body", "content_type", "encoding", "same"),
    [
        (PAGE.encode("utf-8"), b"text/html; charset=utf-8", None, True),
        (PAGE.encode("utf-8"), b"text/html", None, True),  # the page's <meta charset>
        (PAGE.encode("utf-8"), None, None, True),
        (PAGE.encode("utf-8"), b"text/html; charset=UTF8", None, True),
        (PAGE.encode("utf-8"), None, "utf-8", True),
        (codecs.BOM_UTF8 + PAGE.encode("utf-8"), None, None, False),  # the text drops the BOM
        (PAGE.encode("utf-8") + b"\xff<p>x</p>", None, None, False),  # a byte replaced
        ("<p>caf\u00e9</p>".encode("cp1252"), b"text/html; charset=windows-1252", None, False),
        ("<p>caf\u00e9</p>".encode("utf-16"), None, None, False),
        ("<p>\ufffd</p>".encode(), b"text/html; charset=utf-8", None, False),  # can't tell
    ],
)
def test_utf8_body_of_is_the_body_only_when_it_encodes_the_text(
    body: bytes, content_type: bytes | None, encoding: str | None, same: bool
) -> None:
    response = _response(body, content_type, **({"encoding": encoding} if encoding else {}))
    found = utf8_body_of(response, response.text)
    assert (found is body) is same
    if found is not None:
        assert response.text.encode("utf-8") == found


# --- the popular list read once per distinct list ---------------------------------------------

HREFS = [
    "../../politics/article/1002.html",
    "1003.html",
    "https://www.news1global.com/x/article/4",
    "HTTP://Other.example/a?b=1#c",
    "http:///no-host",
    "http://\thost/x",
    "https:\\\\host\\x",
    "/root/relative",
    "?page=2",
    "#top",
    "",
    "  1004.html  ",
    "./1005.html",
    "//cdn.example/x",
    "javascript:alert(1)",
]
SIBLINGS = [  # same directory, different pages, query strings and fragments
    "https://www.news1global.com/politics/article/1001",
    "https://www.news1global.com/politics/article/2002?ref=x#y",
    "https://www.news1global.com/politics/article/",
]


@pytest.mark.parametrize("href", HREFS)
def test_a_link_that_does_not_depend_on_the_url_resolves_the_same_on_every_sibling(
    href: str,
) -> None:
    from newsspider.pages.news1global import ArticlePage

    pages = [ArticlePage(url, "<html></html>") for url in SIBLINGS]
    assert len({page.link_base() for page in pages}) == 1
    links = {page.canonical_link(href) for page in pages}
    if not pages[0].link_depends_on_url(href):
        assert len(links) == 1


def _with_popular(hrefs: list[str], title: str = "Most Popular Articles") -> str:
    items = "".join(
        f'<li><span class="rank">{n}</span><a href="{href}">Headline {n}</a></li>'
        for n, href in enumerate(hrefs, start=1)
    )
    block = f'<section class="most-popular"><h2>{title}</h2><ol>{items}</ol></section>'
    return PAGE.replace('<section class="most-popular">', block + '<section class="x">', 1)


@pytest.mark.parametrize(
    "hrefs",
    [HREFS[:3], HREFS, ["?page=2", "1003.html"], ["/a/article/9", "https://h/b/article/8"]],
    ids=["cacheable", "mixed", "url-dependent", "root-relative"],
)
def test_popular_entries_are_the_same_read_fresh_or_remembered(hrefs: list[str]) -> None:
    from newsspider.pages import news1global
    from newsspider.pages.news1global import ArticlePage

    html = _with_popular(hrefs)
    other_dir = "https://www.news1global.com/sports/article/7"
    urls = [*SIBLINGS, other_dir, "http://127.0.0.1:8000/politics/article/1001.html"]
    fresh = []
    for url in urls:
        news1global._POPULAR_ROWS.clear()
        fresh.append(ArticlePage(url, html).popular())
    news1global._POPULAR_ROWS.clear()
    for _ in range(2):  # the second pass reads every list from the memo where it may
        assert [ArticlePage(url, html).popular() for url in urls] == fresh
    remembered = len(news1global._POPULAR_ROWS)
    assert remembered == (3 if hrefs == HREFS[:3] else 0)  # one per directory
    # a list that changed is read again, not taken from the memo
    changed = _with_popular(hrefs, title="Most Read")
    assert {e.list_name for e in ArticlePage(urls[0], changed).popular()} >= {"Most Read"}
    assert fresh[0] and fresh[0][0].seen_on_url == ArticlePage(urls[0], html).page_url()


# --- the body proven clean once ---------------------------------------------------------------


def test_join_paragraphs_remembers_only_bodies_clean_paragraphs_leaves_as_they_are() -> None:
    import random

    from newsspider import text as text_module
    from newsspider.text import clean_paragraphs, join_paragraphs

    rnd = random.Random(14)
    alphabet = [
        *"ab é", " ", " ", "\n", "\t", "\u00a0", "\u2028", "\x00", "\u202e", "\ufeff",
        "e\u0301", "\u0301", "한", "\x1c", "\ud800", "\x7f", "\r", "\x0b", "\x01",
    ]  # fmt: skip
    remembered = 0
    for _ in range(20_000):
        paragraphs = [
            "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 6)))
            for _ in range(rnd.randint(0, 4))
        ]
        text_module._CLEAN_PARAGRAPHS.clear()
        body = "\n\n".join(paragraphs) or None
        expected = clean_paragraphs(body)  # nothing remembered: the full proof
        joined = join_paragraphs(paragraphs)
        assert joined == body
        if text_module._CLEAN_PARAGRAPHS:
            remembered += 1
            assert text_module._CLEAN_PARAGRAPHS[-1] is joined
            assert expected == joined, repr(paragraphs)
        assert clean_paragraphs(joined) == expected, repr(paragraphs)
    assert remembered > 100  # the fast path is exercised, not only the fallback


def test_a_page_objects_body_is_found_clean_by_identity() -> None:
    from newsspider import text as text_module
    from newsspider.pages.news1global import ArticlePage
    from newsspider.text import clean_paragraphs

    body = ArticlePage(URL, PAGE).body()
    assert body and any(known is body for known in text_module._CLEAN_PARAGRAPHS)
    assert clean_paragraphs(body) is body
    assert clean_paragraphs(body + " ") == body  # an equal but different string: full path


DEMO_PAGES = sorted(DEMO.glob("*/article/*.html"))


@pytest.mark.parametrize("path", DEMO_PAGES, ids=lambda p: p.relative_to(DEMO).as_posix())
def test_a_page_parsed_from_its_bytes_gives_the_same_items(path: Path) -> None:
    from newsspider.pages import news1global
    from newsspider.pages.news1global import ArticlePage, ListingPage

    html = path.read_text(encoding="utf-8")
    url = f"https://www.news1global.com/{path.relative_to(DEMO).as_posix()}"
    for page_class in (ArticlePage, ListingPage):
        news1global._POPULAR_ROWS.clear()
        from_text = page_class(url, html)
        from_bytes = page_class(url, html, utf8_body=html.encode("utf-8"))
        assert type(from_bytes.root) is not type(from_text.root)  # the bytes path was taken
        if page_class is ArticlePage:
            assert from_bytes.article() == from_text.article()
        else:
            assert from_bytes.slots() == from_text.slots()
        assert from_bytes.popular() == from_text.popular()
