"""The committed demo site: matches its generator byte for byte, links resolve, edge cases exist."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from parsel import Selector

from tools.demo import content
from tools.demo.build import render_site, write_site

DEMO = Path(__file__).resolve().parent.parent / "newsspider" / "demo_site"
HTML_FILES = sorted(DEMO.rglob("*.html"))
ARTICLE_FILES = sorted(DEMO.glob("*/article/*.html"))
SITE_FILES = frozenset(str(p) for p in DEMO.rglob("*") if p.is_file())


def page(rel: str) -> Selector:
    return Selector(text=(DEMO / rel).read_text(encoding="utf-8"))


def files_under(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_committed_site_matches_build_byte_for_byte(tmp_path: Path) -> None:
    write_site(tmp_path)
    built, committed = files_under(tmp_path), files_under(DEMO)
    assert sorted(built) == sorted(committed), "run: python -m tools.demo.build"
    changed = [name for name in built if built[name] != committed[name]]
    assert changed == [], f"stale files {changed[:5]}; run: python -m tools.demo.build"


def test_the_generator_is_not_part_of_the_installed_package() -> None:
    import fnmatch
    import tomllib

    repo = DEMO.parents[1]
    config = tomllib.loads((repo / "pyproject.toml").read_text(encoding="utf-8"))
    include = config["tool"]["setuptools"]["packages"]["find"]["include"]
    packages = [
        ".".join(p.parent.relative_to(repo).parts)
        for top in ("newsspider", "tools")
        for p in (repo / top).rglob("__init__.py")
    ]
    # what setuptools' packages.find installs: the packages matching an include pattern
    installed = [name for name in packages if any(fnmatch.fnmatch(name, i) for i in include)]
    assert "tools.demo" in packages  # the generator is a package here ...
    assert "newsspider" in installed and "newsspider.pages" in installed
    assert not [name for name in installed if name.startswith("tools") or ".demo" in name]  # ...
    assert "tools" in config["tool"]["mypy"]["packages"]  # still type-checked
    package_code = (DEMO.parent).rglob("*.py")
    assert not [p for p in package_code if "tools.demo" in p.read_text(encoding="utf-8")]


def test_build_is_deterministic() -> None:
    assert render_site() == render_site()


def test_size_of_the_site() -> None:
    sections = {p.parent.parent.name for p in ARTICLE_FILES}
    assert len(ARTICLE_FILES) >= 30
    assert len(sections) >= 5
    assert {"politics", "business", "society", "culture", "sports", "world", "etc"} <= sections


def test_article_pages_are_heavy_like_real_ones() -> None:
    sizes = [p.stat().st_size for p in ARTICLE_FILES if "1028" not in p.name]
    assert min(sizes) > 30_000


def _local_links(sel: Selector) -> list[str]:
    links = sel.css("a::attr(href), img::attr(src), link::attr(href), script::attr(src)").getall()
    return [h.strip() for h in links if h.strip() and not urlsplit(h.strip()).scheme]


@pytest.mark.parametrize("path", HTML_FILES, ids=lambda p: p.relative_to(DEMO).as_posix())
def test_every_link_resolves(path: Path) -> None:
    sel = Selector(text=path.read_text(encoding="utf-8"))
    links = _local_links(sel)
    assert links, "a page without links"
    for href in links:
        assert not href.startswith("/"), f"{href}: links must be relative"
        target_path = urlsplit(href).path
        if not target_path:  # "#comments", "?x" -- same page
            continue
        # lexical (the site has no symlinks): one set lookup instead of a resolve() per link
        target = os.path.normpath(path.parent / target_path)
        assert target.startswith(f"{DEMO}{os.sep}"), f"{href} leaves the site"
        assert target in SITE_FILES, f"{href} -> {target} does not exist"


def test_robots_txt() -> None:
    robots = (DEMO / "robots.txt").read_text(encoding="utf-8")
    assert "User-agent: *" in robots and "Disallow: /search" in robots


def test_front_page() -> None:
    front = page("index.html")
    assert front.css("div.date-line::text").get() == "Saturday, February 21, 2026"
    linked = {
        h.split("?")[0].split("#")[0] for h in front.css("a.headline-link::attr(href)").getall()
    }
    assert linked == {a.path for a in content.ARTICLES}
    assert len(front.css("section.most-popular ol > li")) == 10
    assert front.css("section.headline-block[data-block='Top Story']")
    assert front.css("#cookie-banner") and front.css(".ad-slot") and front.css(".share-bar")


def test_edge_case_no_tags() -> None:
    assert not page("etc/article/1021.html").css("div.tags")
    assert page("politics/article/1001.html").css("div.tags a.tag")


def test_edge_case_updated() -> None:
    sel = page("etc/article/1007.html")
    assert sel.css("span.updated::text").get() == "Updated : 2026-02-21 14:30 KST"
    assert '"dateModified": "2026-02-21T14:30:00+09:00"' in sel.get()
    assert not page("etc/article/1014.html").css("span.updated")


def test_edge_case_non_ascii() -> None:
    text = (DEMO / "culture/article/1004.html").read_text(encoding="utf-8")
    for needle in ("Kim Min-ji (김민지)", "“", "”", "‘", "’", "—", "🎤", "🎉"):
        assert needle in text, needle


def test_edge_case_formula_headlines_on_front_page() -> None:
    headlines = page("index.html").css("a.headline-link::text").getall()
    assert any(h.startswith("=SUM of all fears") for h in headlines)
    assert any(h.startswith("+30% exports") for h in headlines)


def test_edge_case_paywall() -> None:
    sel = page("society/article/1017.html")
    assert sel.css("div.article-body div.paywall::text").get() == "Subscribe to read the full story"
    assert len(sel.css("div.article-body > p")) == 1


def test_edge_case_broken_page() -> None:
    sel = page("etc/article/1028.html")
    assert not sel.css("h1")
    assert sel.css("title::text").get() is None
    assert not sel.css('meta[property="og:title"], script[type="application/ld+json"]')
    assert sel.css("nav.main-nav") and sel.css("footer.site-footer")
    latest = page("index.html").css("section[data-block='Latest News'] a::attr(href)").getall()
    assert "etc/article/1028.html" in latest


def test_edge_case_tracking_link() -> None:
    hrefs = page("index.html").css("a::attr(href)").getall()
    assert "etc/article/1007.html?utm_source=newsletter&utm_medium=email#comments" in hrefs
    assert "etc/article/1007.html" in hrefs


def test_edge_case_two_authors() -> None:
    byline = page("sports/article/1005.html").css("p.byline::text").get()
    assert byline == "By Park Ji-hoon and Lee Soo-jin, Staff Reporters"


def test_article_head_metadata() -> None:
    sel = page("politics/article/1001.html")
    assert sel.xpath("/html/@lang").get() == "en"
    assert sel.css("title::text").get() == (
        "Assembly passes extra budget after all-night session as rival parties trade blame"
        " | News1 Global"
    )
    assert sel.css('link[rel="canonical"]::attr(href)').get() == "1001.html"
    for prop in ("og:title", "og:description", "og:image", "og:url", "og:type", "og:site_name"):
        assert sel.css(f'meta[property="{prop}"]::attr(content)').get(), prop
    assert sel.css('meta[property="og:type"]::attr(content)').get() == "article"
    assert '"@type": "NewsArticle"' in sel.get()
    assert '"datePublished": "2026-02-21T06:40:00+09:00"' in sel.get()


def test_docs_list_the_same_edge_cases() -> None:
    readme = (DEMO / "README.md").read_text(encoding="utf-8")
    doc = content.__doc__ or ""
    for ident in (
        "1021",
        "1001, 1007, 1016",
        "1004",
        "1014",
        "1009",
        "1017",
        "1028",
        "1007",
        "1005",
    ):
        assert ident in readme and ident in doc, ident
