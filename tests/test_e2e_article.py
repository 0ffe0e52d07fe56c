"""End to end: `scrapy crawl article -a urls_file=…` on saved real pages (WCXB, CC-BY-4.0).

The pages are served from 127.0.0.1 at their original paths; each must come out as one
Article with the ground truth's headline, date and body snippets.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from urllib.parse import urlsplit

import jsonlines
import pytest

from tests.conftest import CrawlResult, run_crawl
from tests.servers import StaticSite

pytestmark = pytest.mark.e2e

WCXB = Path(__file__).resolve().parent / "fixtures" / "wcxb"
TRUTH: dict[str, dict[str, object]] = json.loads((WCXB / "ground-truth.json").read_text())


@pytest.fixture(scope="module")
def crawl(tmp_path_factory: pytest.TempPathFactory) -> tuple[CrawlResult, dict[str, str]]:
    root = tmp_path_factory.mktemp("site")
    paths: dict[str, str] = {}
    for page_id, truth in TRUTH.items():
        path = urlsplit(str(truth["url"])).path.strip("/") or page_id
        target = root / path / "index.html"  # served for /<path>/ and /<path>
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(gzip.decompress((WCXB / f"{page_id}.html.gz").read_bytes()))
        paths[page_id] = path + "/"
    export_dir = tmp_path_factory.mktemp("exports")
    with StaticSite(root) as site:
        urls_file = root / "urls.txt"
        urls_file.write_text(
            "# saved WCXB pages\n" + "".join(f"{site.url}{p}\n" for p in paths.values())
        )
        result = run_crawl("article", export_dir, f"urls_file={urls_file}")
    return result, {page_id: path for page_id, path in paths.items()}


def test_every_page_becomes_one_article(crawl: tuple[CrawlResult, dict[str, str]]) -> None:
    result, paths = crawl
    assert result.returncode == 0, result.log[-3000:]
    assert "Traceback" not in result.log
    with jsonlines.open(result.run_dir / "articles.jsonl") as reader:
        articles = {urlsplit(a["url"]).path.strip("/") + "/": a for a in reader}
    assert result.manifest()["reconciled"] is True
    assert len(articles) == len(TRUTH)
    titles_right = dates_right = 0
    for page_id, path in paths.items():
        truth, article = TRUTH[page_id], articles[path]
        assert article["site"] == "generic"
        assert article["body"], page_id
        for snippet in list(truth.get("with") or [])[:3]:
            assert " ".join(str(snippet).split()) in " ".join(article["body"].split()), page_id
        titles_right += article["headline"] == truth["title"]
        dates_right += (article["published_at"] or "")[:10] == truth["publish_date"]
    # the generic layer is scored on 793 pages by benchmarks/extraction.py; here, a floor
    assert titles_right >= 4
    assert dates_right >= 4
