"""End to end on a site without a profile: the generic layer finds the links and the fields."""

from __future__ import annotations

from pathlib import Path

import jsonlines
import pytest

from tests.conftest import CrawlResult, run_crawl
from tests.servers import StaticSite

pytestmark = pytest.mark.e2e

SITE = Path(__file__).resolve().parent / "fixtures" / "generic_site"


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> CrawlResult:
    export_dir = tmp_path_factory.mktemp("exports")
    with StaticSite(SITE) as site:
        return run_crawl("frontpage", export_dir, f"url={site.url}")


def test_generic_front_page_and_articles(crawl: CrawlResult) -> None:
    assert crawl.returncode == 0, crawl.log[-3000:]
    assert "Traceback" not in crawl.log
    assert "parsed with the 'generic' profile" in crawl.log
    with jsonlines.open(crawl.run_dir / "front_page.jsonl") as reader:
        slots = list(reader)
    assert [s["headline"] for s in slots] == [
        "Harbor bridge reopens to traffic after six months of repairs",
        "Night market returns to Pier Seven with forty new food stalls",
    ]
    assert [s["article_id"] for s in slots] == ["84512", "84513"]
    assert not any("utm_" in s["article_url"] or "#" in s["article_url"] for s in slots)
    assert slots[0]["teaser"] == (
        "Commuters regained their shortest route into downtown on Saturday morning."
    )

    with jsonlines.open(crawl.run_dir / "articles.jsonl") as reader:
        articles = {a["article_id"]: a for a in reader}
    bridge, market = articles["84512"], articles["84513"]
    assert bridge["site"] == "generic"
    assert bridge["headline"] == "Harbor bridge reopens to traffic after six months of repairs"
    assert bridge["headline_source"] in ("structured_data", "meta", "heuristics")
    assert bridge["authors"] == ["Dana Whitfield"]
    assert bridge["published_at"] == "2026-02-21T07:30:00-05:00"
    assert bridge["published_at_source"] == "structured_data"
    assert bridge["updated_at"] == "2026-02-21T09:10:00-05:00"
    assert bridge["body"].startswith("The Harbor Street bridge reopened")
    assert bridge["body"].count("\n\n") == 3
    assert "Share on social media" not in bridge["body"]
    assert "Council votes" not in bridge["body"]
    assert market["authors"] == ["Priya Raman"]
    assert market["published_at"] == "2026-02-21T11:00:00-05:00"
    assert market["published_at_source"] == "meta"
    assert "cookies" not in market["body"]
    assert market["body"].count("\n\n") == 2
