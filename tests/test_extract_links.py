from __future__ import annotations

from newsspider.extract import find_article_links

FRONT = """<html><body>
<header><nav><a href="/news/">News</a><a href="/2026/02/21/nav-story-should-be-skipped">Nav</a>
</nav></header>
<main>
 <section><h2>Top stories</h2>
  <article><h3><a href="/news/2026/02/21/council-approves-new-city-budget#comments">Council
   approves new city budget after long debate</a></h3>
   <p>The vote followed six hours of discussion about transport and housing.</p></article>
  <article><a href="https://www.site.example/article/123456">Storm warning issued for the whole
   coast this weekend</a></article>
  <article><a href="/news/2026/02/21/council-approves-new-city-budget">Council approves new
   city budget after long debate</a></article>
 </section>
 <section><h2>Sport</h2>
  <ul><li><a href="/sport/local-team-wins-the-regional-cup-final">Local team wins the regional
   cup final in extra time</a></li>
  <li><a href="/tag/football">Football</a></li>
  <li><a href="javascript:void(0)">Load more stories from the archive</a></li>
  <li><a href="mailto:desk@site.example">Email the sports desk about this story</a></li>
  <li><a href="https://other.example/news/2026/02/21/offsite-story-here">Offsite story that
   should not be listed here</a></li></ul>
 </section>
</main>
<footer><a href="/news/2026/02/20/footer-story-link-here">Footer story link here and more</a>
</footer></body></html>"""


def test_front_page_links() -> None:
    links = find_article_links(FRONT, "https://site.example/")
    urls = [link["url"] for link in links]
    assert urls == [
        "https://site.example/news/2026/02/21/council-approves-new-city-budget",
        "https://www.site.example/article/123456",
        "https://site.example/sport/local-team-wins-the-regional-cup-final",
    ]
    first = links[0]
    assert first["headline"] == "Council approves new city budget after long debate"
    assert (
        first["teaser"] == "The vote followed six hours of discussion about transport and housing."
    )
    assert first["block"] == "Top stories"
    assert [link["position"] for link in links] == [1, 2, 3]
    assert links[2]["block"] == "Sport"
    assert links[1]["teaser"] is None


def test_bytes_and_garbage() -> None:
    assert find_article_links(FRONT.encode("utf-8"), "https://site.example/")
    assert find_article_links(b"\x00\x01\x02" * 1000, "https://site.example/") == []
    assert find_article_links("<a href='/news/1234567'>x</a>", "not a url") == []


def test_same_site_is_the_registered_domain() -> None:
    """Two sites under one public suffix (.net.au) are two sites; subdomains are one."""
    page = """<html><body><main>
    <article><a href="https://www.abc.net.au/news/2026-02-21/flood-warning-for-the-coast/123456">
    Flood warning issued for the whole coast this weekend</a></article>
    <article><a href="https://www.theage.net.au/news/2026-02-21/other-site-story/654321">
    Another site's story about the same coastal flooding</a></article>
    <article><a href="https://abc.net.au/news/2026-02-21/flood-warning-for-the-coast/123456?utm_source=x">
    Flood warning issued for the whole coast this weekend</a></article>
    </main></body></html>"""
    links = find_article_links(page, "https://www.abc.net.au/news/")
    assert [link["url"] for link in links] == [
        "https://www.abc.net.au/news/2026-02-21/flood-warning-for-the-coast/123456",
        "https://abc.net.au/news/2026-02-21/flood-warning-for-the-coast/123456?utm_source=x",
    ]


def test_tracking_twins_of_a_link_are_one_link() -> None:
    page = """<html><body><main>
    <article><a href="/news/2026/02/21/council-approves-new-city-budget?utm_source=home">Council
    approves new city budget after long debate</a></article>
    <article><a href="/news/2026/02/21/council-approves-new-city-budget?utm_medium=x#top">Council
    approves new city budget after long debate</a></article>
    </main></body></html>"""
    links = find_article_links(page, "https://site.example/")
    assert [link["url"] for link in links] == [
        "https://site.example/news/2026/02/21/council-approves-new-city-budget?utm_source=home"
    ]
