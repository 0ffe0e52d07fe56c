"""The news1global fast path (compiled XPath on the lxml tree, container index, clean-text and
word-count fast paths) selects exactly what parsel's ``.css()`` selects. Correctness only."""

from __future__ import annotations

import random
import re
from pathlib import Path

import pytest
from parsel import Selector

from newsspider.pages.base import clean_text, element_text
from newsspider.pages.news1global import ArticlePage, ListingPage
from newsspider.text import count_words

DEMO = Path(__file__).resolve().parents[1] / "newsspider" / "demo_site"
PAGES = sorted(DEMO.glob("*/article/*.html"))[:12] + sorted(DEMO.glob("*.html"))[:3]

# layouts the fast path must treat exactly like parsel: nested and repeated containers,
# class lists separated by tabs/newlines, repeated class names, non-XML white space
MUTATIONS = {
    "as-is": lambda h: h,
    "nested-body": lambda h: h.replace(
        'class="article-body">',
        'class="article-body"><div class="article-body"><p>in <b>x</b></p></div>',
        1,
    ),
    "two-headers": lambda h: h.replace(
        '<div class="article-header">',
        '<div class="article-header"><p class="byline">By Dup One</p></div>'
        '<div class="article-header">',
        1,
    ),
    "tab-class": lambda h: h.replace('class="article-body"', 'class="x\tarticle-body\n"', 1),
    "repeated-class": lambda h: h.replace('class="tags"', 'class="tags tags"', 1),
    "nbsp-class": lambda h: h.replace('class="article-dates"', 'class="x\u00a0article-dates"', 1),
    "child-nodes": lambda h: h.replace("<p>", "<p><!-- c --> a <b>b</b>", 3),
    "paywall": lambda h: h.replace("</article>", '<div class="paywall">Subscribe</div></article>'),
    "truncated": lambda h: h[: len(h) // 2],
    # head-first look-ups (css_first/css_str): later copies in the body, or only in the body
    "meta-in-body-too": lambda h: re.sub(
        r"(<body[^>]*>)",
        r'\1<link rel="canonical" href="/body"><meta name="description" content="body">'
        r"<title>body title</title>",
        h,
        count=1,
    ),
    "meta-only-in-body": lambda h: re.sub(r'<link rel="canonical"[^>]*>', "", h).replace(
        "</footer>", '</footer><link rel="canonical" href="/only-body">', 1
    ),
    "comment-before-head": lambda h: h.replace("<head>", "<!-- c --><head>", 1),
}


def _as_comparable(values: list[object]) -> list[object]:
    return [v if isinstance(v, str) else id(v) for v in values]


# the pages as they are stay in the quick loop; the 8 mutated layouts of every page (120 more
# cases, benchmark-sized) run in the full suite: marked slow (README, "Tests")
MUTATION_CASES = [
    pytest.param(m, id=m, marks=() if m == "as-is" else pytest.mark.slow) for m in sorted(MUTATIONS)
]


@pytest.mark.parametrize("mutation", MUTATION_CASES)
@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.relative_to(DEMO).as_posix())
def test_css_fast_path_selects_what_parsel_selects(path: Path, mutation: str) -> None:
    html = MUTATIONS[mutation](path.read_text(encoding="utf-8"))
    url = f"https://www.news1global.com/{path.relative_to(DEMO).as_posix()}"
    for page_class in (ArticlePage, ListingPage):
        page = page_class(url, html)
        sel: Selector = page.sel
        for name in dir(page_class):
            css = getattr(page_class, name)
            if not name.endswith("_CSS") or not isinstance(css, str):
                continue
            expected = [s.root for s in sel.css(css)]
            assert _as_comparable(page.css(css)) == _as_comparable(expected), (name, css)
            assert page.css_any(css) is bool(expected), (name, css)
            first = expected[0] if expected else None
            got = element_text(page.css_first(css))
            want = None if first is None else element_text(first)
            assert got == want, (name, css)
            if expected and isinstance(expected[0], str):
                assert page.css_str(css) == sel.css(css).get(), (name, css)


def test_element_text_matches_descendant_text_nodes() -> None:
    html = (
        "<div><p>plain  text </p><p> a<b>b</b>c<!-- x --></p><p></p>"
        "<p>\u00a0nbsp\u2003em</p><p><script>s</script>t</p></div>"
    )
    sel = Selector(text=html)
    for p in sel.css("p"):
        expected = " ".join(" ".join(p.xpath(".//text()").getall()).split()) or None
        assert element_text(p.root) == expected


def test_clean_text_fast_path_equals_split_join() -> None:
    rnd = random.Random(6)
    spaces = [chr(c) for c in range(0x3001) if chr(c).isspace()]
    alphabet = [*spaces, "a", "b", " ", "é", "한", "\x00", "\u200b", "\ufeff", "\x85"]
    for _ in range(50_000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 10)))
        assert clean_text(text) == (" ".join(text.split()) or None), repr(text)


def test_count_words_ascii_fast_path_equals_regex() -> None:
    word = re.compile(r"\w+")
    rnd = random.Random(7)
    alphabet = [chr(c) for c in range(128)]
    for _ in range(50_000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 16)))
        assert count_words(text) == len(word.findall(text)), repr(text)
    assert count_words("word") == 1
    assert count_words(" a b_c  d9 ") == 3
    assert count_words("한국 news") == 2


def test_canonical_link_fast_join_equals_urljoin() -> None:
    """canonical_link() joins plain relative paths itself (no urljoin) and caches per page:
    the answers are urljoin() + canonicalize_url(), on every page, in any call order."""
    from urllib.parse import urljoin

    from newsspider.pages.base import join_simple_relative
    from newsspider.urls import canonicalize_url

    bases = [
        "https://www.news1global.com/politics/article/1.html",
        "https://www.news1global.com/politics/article/2.html?x=1#f",
        "https://www.news1global.com/politics/article/",
        "https://www.news1global.com/politics/article//3.html",
        "https://www.news1global.com/x;p/a.html;q",
        "http://u:p@h:8080/a/b/c.html",
        "https://H.test/A/b.html",
        "https://h",
        "https://h/a",
        "http://[::1",
    ]
    hrefs = ["a.html", "../b.html", "../../c/d.html", "./x?q=1#f", "..", "x;y", "%2e%2e/z"]
    hrefs += ["~u/x", "a//b", "../../../../e", "b?utm_source=x&id=2", "..//x", " a.html "]
    hrefs += ["a/./b", "a/../b", "-x_y~z/1.2", "../", "é/x", "a b", "", "javascript:x()"]

    def expected(base: str, href: str) -> str | None:
        try:
            url = urljoin(base, href.strip()) if href.strip() else None
            return canonicalize_url(url) if url and url.split(":")[0] in ("http", "https") else None
        except ValueError:
            return None

    fast_hits = 0
    for base in bases:
        page = ArticlePage(base, "<html></html>")
        for href in [*hrefs, *reversed(hrefs)]:  # the second round is answered from the cache
            assert page.canonical_link(href) == expected(base, href), (base, href)
        directory = urljoin(base, ".") if base.startswith("http") and "[" not in base else None
        for href in hrefs:
            joined = join_simple_relative(directory, href) if directory else None
            if joined is not None:
                fast_hits += 1
                assert joined == urljoin(base, href), (base, href)
    assert fast_hits >= 30  # the fast path is taken for the plain relative paths
    assert join_simple_relative("https://h/a/b/", "../../c/d.html") == "https://h/c/d.html"
    assert ArticlePage(bases[0], "").canonical_link(None) is None


def test_csv_row_writer_equals_csv_module() -> None:
    import csv
    import io

    from newsspider.exporters import SpreadsheetCsvItemExporter
    from newsspider.items import PopularEntry

    rnd = random.Random(8)
    alphabet = ['"', ",", "\r", "\n", "\x00", "a", "é", " ", "'", "=", "\t", "\ud800"]
    for _ in range(300):
        values = ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 6))) for _ in "ab"]
        item = PopularEntry(list_name=values[0], headline=values[1], rank=rnd.randint(1, 9))
        out = io.BytesIO()
        exporter = SpreadsheetCsvItemExporter(
            out, fields_to_export=["list_name", "rank", "headline"]
        )
        exporter.start_exporting()
        exporter.export_item(item)
        exporter.finish_exporting()
        expected = io.BytesIO()
        stream = io.TextIOWrapper(expected, encoding="utf-8", errors="replace", newline="")
        writer = csv.writer(stream, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
        stream.write("\ufeff")
        writer.writerow(["list_name", "rank", "headline", "truncated_fields"])
        from newsspider.exporters import csv_cell

        writer.writerow(
            [csv_cell(v, " | ") for v in (item.list_name, item.rank, item.headline)] + [""]
        )
        stream.flush()
        assert out.getvalue() == expected.getvalue(), values


def test_is_clean_paragraphs_equals_reference_predicate() -> None:
    from newsspider.text import _OTHER_SPACES_RE, _is_clean_paragraphs

    def reference(text: str) -> bool:
        return (
            bool(text)
            and text == text.strip()
            and "  " not in text
            and " \n" not in text
            and "\n " not in text
            and "\n\n\n" not in text
            and text.count("\n") == 2 * text.count("\n\n")
            and not _OTHER_SPACES_RE.search(text)
        )

    rnd = random.Random(9)
    alphabet = [" ", "\n", "\n", "a", "b", "\t", "\u00a0", "\u2028", "\r", "é", "\x0b", "\x1c"]
    for _ in range(50_000):
        text = "".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 10)))
        assert _is_clean_paragraphs(text) == reference(text), repr(text)
