"""Pipeline tests with hand-built items: changes, rejects with reasons, drops, stats."""

from __future__ import annotations

from typing import Any

import pytest
from scrapy.exceptions import DropItem
from scrapy.utils.test import get_crawler

from newsspider.items import Article, FrontPageSlot, PopularEntry, Reject
from newsspider.pipelines.dedupe import DedupePipeline
from newsspider.pipelines.normalize import NormalizePipeline
from newsspider.pipelines.validate import ValidatePipeline, problems_of


@pytest.fixture
def crawler() -> Any:
    return get_crawler()


def good_article(**overrides: Any) -> Article:
    data: dict[str, Any] = {
        "run_id": "r",
        "crawled_at": "2026-02-21T00:05:00+00:00",
        "url": "https://news1global.com/etc/article/1007",
        "article_id": "1007",
        "site": "news1global",
        "headline": "Seoul hosts summit",
        "body": "One.\n\nTwo.",
        "published_at": "2026-02-21T09:05:00+09:00",
        "published_at_raw": "2026-02-21 09:05 KST",
    }
    data.update(overrides)
    return Article(**data)


def test_normalize_counts_words_of_the_body_it_changed_only(crawler: Any) -> None:
    """The page object counts the body it made; normalize recounts only a body it cleaned
    (or one nobody counted), so an article's body is not counted twice."""
    pipe = NormalizePipeline(crawler)
    kept = pipe.process_item(good_article(body="One two.\n\nThree.", word_count=3))
    assert (kept.body, kept.word_count) == ("One two.\n\nThree.", 3)
    cleaned = pipe.process_item(good_article(body=" One  two.\r\n\r\nThree four. ", word_count=99))
    assert (cleaned.body, cleaned.word_count) == ("One two.\n\nThree four.", 4)
    uncounted = pipe.process_item(good_article(body="One two.", word_count=None))
    assert uncounted.word_count == 2


def test_normalize_cleans_text_urls_and_counts(crawler: Any) -> None:
    pipe = NormalizePipeline(crawler)
    item = Article(
        url="https://News1Global.com/etc/article/1007?utm_source=newsletter&utm_medium=email#comments",
        headline="  Seoul\u00a0 hosts\n summit\u202e ",
        body=" First  line.\r\n\r\n\r\nSecond\u2029Third ",
        authors=["Kim  Min-ji", "", "Kim Min-ji"],
        tags=["K-pop", " K-pop ", "KBO"],
        description="",
        image_url="javascript:alert(1)",
        related_urls=["https://news1global.com/a/article/1#x", "data:text/html,hi"],
        category="Cafe\u0301",  # decomposed é -> NFC
    )
    out = pipe.process_item(item)
    assert out.url == "https://news1global.com/etc/article/1007"
    assert out.headline == "Seoul hosts summit"
    assert out.body == "First line.\n\nSecond\n\nThird"
    assert out.word_count == 4
    assert out.authors == ["Kim Min-ji"]
    assert out.tags == ["K-pop", "KBO"]
    assert out.description is None
    assert out.image_url is None
    assert out.related_urls == ["https://news1global.com/a/article/1"]
    assert out.category == "Café"
    stats = crawler.stats.get_stats()
    assert stats["newsspider/normalize/tracking_removed"] == 2
    assert stats["newsspider/normalize/unsafe_url_removed"] == 2
    assert stats["newsspider/normalize/empty_to_none"] == 1


def test_normalize_removes_lone_surrogates_and_nul(crawler: Any) -> None:
    out = NormalizePipeline(crawler).process_item(PopularEntry(headline="a\x00b\ud800c"))
    assert out.headline == "abc"


def test_valid_article_passes(crawler: Any) -> None:
    item = good_article()
    assert ValidatePipeline(crawler).process_item(item) is item
    assert crawler.stats.get_value("newsspider/validate/Article/ok") == 1


def test_article_without_headline_becomes_reject_with_reason(crawler: Any) -> None:
    out = ValidatePipeline(crawler).process_item(good_article(headline=None, body=None))
    assert isinstance(out, Reject)
    assert out.item_type == "Article"
    assert out.url == "https://news1global.com/etc/article/1007"
    assert out.reasons == ["missing_headline", "missing_body"]
    assert out.item["article_id"] == "1007"
    assert crawler.stats.get_value("newsspider/validate/Article/missing_headline") == 1
    assert crawler.stats.get_value("newsspider/rejected") == 1


def test_paywalled_article_without_body_is_kept(crawler: Any) -> None:
    item = good_article(body=None, is_paywalled=True, description="Teaser.")
    assert ValidatePipeline(crawler).process_item(item) is item


def test_unparsed_date_is_a_warning_not_a_reject(crawler: Any, caplog: Any) -> None:
    item = good_article(published_at=None, published_at_raw="Tomorrow-ish, 25:99")
    assert ValidatePipeline(crawler).process_item(item) is item
    assert crawler.stats.get_value("newsspider/validate/warning/unparsed_published_at") == 1
    assert "could not parse the date 'Tomorrow-ish, 25:99'" in caplog.text


@pytest.mark.parametrize(
    "value", ["21/02/2026", "2026-02-30T09:00:00+09:00", "2026-06-05T10:00:00.5+09:00:00"]
)
def test_bad_page_date_is_a_warning_and_moves_to_raw(crawler: Any, value: str) -> None:
    item = good_article(published_at=value, published_at_raw=None, published_at_tz_assumed=True)
    errors, warnings = problems_of(item)
    assert errors == []
    assert [code for code, _ in warnings] == ["bad_published_at"]
    assert ValidatePipeline(crawler).process_item(item) is item
    assert (item.published_at, item.published_at_raw, item.published_at_tz_assumed) == (
        None,
        value,
        None,
    )


@pytest.mark.parametrize(
    "value", ["2026-06-05T10:00", "2026-06-05T10:00:00", "2026-06-05", "2026-06-05T10:00:00Z"]
)
def test_naive_or_day_only_page_date_is_kept(value: str) -> None:
    # issue 9 bug 4: <time datetime="2026-06-05T10:00"> used to reject the whole article
    errors, warnings = problems_of(good_article(published_at=value))
    assert errors == [] and warnings == []


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"crawled_at": "2026-02-30T00:00:00+00:00"}, "bad_crawled_at"),
        ({"word_count": -1}, "bad_word_count"),
        ({"authors": "Kim"}, "bad_type_authors"),
        ({"article_id": 1007}, "bad_type_article_id"),
        ({"url": "ftp://x/y"}, "bad_url"),
        ({"headline": "x" * 1001}, "headline_too_long"),
        ({"is_paywalled": "yes"}, "bad_type_is_paywalled"),
    ],
)
def test_article_format_errors(overrides: dict[str, Any], reason: str) -> None:
    errors, _ = problems_of(good_article(**overrides))
    assert reason in [code for code, _ in errors]


@pytest.mark.parametrize(
    ("item", "reasons"),
    [
        (
            FrontPageSlot(
                page_url="https://x.test/",
                headline="H",
                article_url="https://x.test/a",
                position_on_page=0,
                position_in_block=1,
            ),
            ["bad_position_on_page"],
        ),
        (
            FrontPageSlot(
                page_url="https://x.test/",
                headline=None,
                article_url="https://x.test/a",
                position_on_page=1,
                position_in_block=1,
            ),
            ["missing_headline"],
        ),
        (
            FrontPageSlot(
                page_url="https://x.test/",
                headline="H",
                article_url="https://x.test/a",
                position_on_page=1,
                position_in_block=1,
                page_date="2026-13-01",
            ),
            ["bad_page_date"],
        ),
        (
            PopularEntry(
                list_name="Most Popular", rank=None, headline="H", article_url="https://x.test/a"
            ),
            ["missing_rank"],
        ),
        (
            PopularEntry(
                list_name="Most Popular", rank=True, headline="H", article_url="https://x.test/a"
            ),
            ["bad_type_rank"],
        ),
    ],
)
def test_slot_and_popular_rules(item: Any, reasons: list[str]) -> None:
    errors, _ = problems_of(item)
    assert [code for code, _ in errors] == reasons


def test_dedupe_article_by_id_and_url(run_crawler: Any) -> None:
    crawler = run_crawler
    pipe = DedupePipeline.from_crawler(crawler)
    pipe.process_item(good_article())
    with pytest.raises(DropItem):
        pipe.process_item(good_article())
    with pytest.raises(DropItem):  # same URL, id missing
        pipe.process_item(good_article(article_id=None))
    other = good_article(article_id="1008", url="https://news1global.com/etc/article/1008")
    assert pipe.process_item(other) is other
    assert crawler.stats.get_value("newsspider/dedupe/Article") == 2


def test_dedupe_identical_popular_list_once_per_run(run_crawler: Any) -> None:
    pipe = DedupePipeline.from_crawler(run_crawler)

    def entries(seen_on: str) -> list[PopularEntry]:
        return [
            PopularEntry(
                list_name="Most Popular Articles",
                rank=r,
                headline=f"H{r}",
                article_url=f"https://x.test/s/article/{r}",
                seen_on_url=seen_on,
            )
            for r in (1, 2, 3)
        ]

    kept = [pipe.process_item(e) for e in entries("https://x.test/")]
    dropped = 0
    for e in entries("https://x.test/s/article/1"):
        with pytest.raises(DropItem):
            pipe.process_item(e)
        dropped += 1
    assert len(kept) == 3 and dropped == 3
    assert all(e.seen_on_url == "https://x.test/" for e in kept)


def test_rejects_pass_through_every_pipeline(run_crawler: Any) -> None:
    crawler = run_crawler
    reject = Reject(item_type="Article", url="https://x.test/a", reasons=["fetch_http_500"])
    pipes = (
        NormalizePipeline(crawler),
        ValidatePipeline(crawler),
        DedupePipeline.from_crawler(crawler),
    )
    for pipe in pipes:
        assert pipe.process_item(reject) is reject
