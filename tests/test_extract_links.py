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
