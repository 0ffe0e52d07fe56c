"""A small but complete crawl state, built through the StateStore API: several runs of a front
page and a popular list with stories moving, articles over days and hours, revisions with a
rewritten headline, and run health counts. Used by the report and history-workbook tests."""

from __future__ import annotations

from pathlib import Path

from newsspider.state.store import ArticleState, StateStore

SITE = "news.example"
FRONT = "https://news.example/"
RUNS = 6
STORIES = 12
REWRITTEN_ID = "103"
OLD_HEADLINE = "Minister resigns"
NEW_HEADLINE = "=Minister resigns <after> vote & protest"  # formula-like and HTML-like


def run_time(run: int) -> str:
    return f"2026-02-21T{8 + run:02d}:00:00+00:00"


def build(path: Path) -> Path:
    with StateStore(path) as store:
        for n in range(STORIES):
            article_id = str(100 + n)
            section = "politics" if n % 2 else "world"
            published = f"2026-02-{19 + n % 3:02d}T{(7 + 3 * n) % 24:02d}:15:00+09:00"
            store.save_article(
                ArticleState(
                    article_key=f"{SITE}:{article_id}",
                    site=SITE,
                    article_id=article_id,
                    url=f"https://news.example/{section}/article/{article_id}",
                    first_seen=run_time(0),
                    last_seen=run_time(RUNS - 1),
                    last_changed=run_time(2 if article_id == REWRITTEN_ID else 0),
                    revision=2 if article_id == REWRITTEN_ID else 1,
                    content_hash=f"h{n}",
                    status="live",
                    removed_at=None,
                    removed_reason=None,
                    data={
                        "headline": NEW_HEADLINE if article_id == REWRITTEN_ID else f"Story {n}",
                        "section": "politics" if n % 2 else "world",
                        "published_at": published,
                        "word_count": 300 + n,
                        "url": f"https://news.example/a/{article_id}",
                        "article_id": article_id,
                    },
                )
            )
        store.add_revision_rows(
            [
                {
                    "article_key": f"{SITE}:{REWRITTEN_ID}",
                    "revision": 2,
                    "field": field,
                    "run_id": "run2",
                    "crawled_at": run_time(2),
                    "article_id": REWRITTEN_ID,
                    "site": SITE,
                    "url": f"https://news.example/a/{REWRITTEN_ID}",
                    "change": "edited",
                    "changed_fields": ["headline", "body"],
                    "old_value": old,
                    "new_value": new,
                }
                for field, old, new in (
                    ("headline", OLD_HEADLINE, NEW_HEADLINE),
                    ("body", "old body", "new body"),
                )
            ]
        )
        for run in range(RUNS):
            run_id = f"run{run}"
            store.start_run(run_id, "frontpage", FRONT, run_time(run))
            # stories move down one place per run; the top story changes every second run
            order = [100 + (n + run // 2) % STORIES for n in range(8)]
            for position, article in enumerate(order, start=1):
                store.add_slot(
                    {
                        "run_id": run_id,
                        "page_url": FRONT,
                        "crawled_at": run_time(run),
                        "position_on_page": position,
                        "block": "Top Story" if position == 1 else "Latest News",
                        "position_in_block": 1 if position == 1 else position - 1,
                        "headline": f"Story {article - 100}",
                        "teaser": None,
                        "article_url": f"https://news.example/a/{article}",
                        "article_id": str(article),
                    }
                )
                if position <= 5:
                    store.add_popular_entry(
                        {
                            "run_id": run_id,
                            "list_name": "Most Popular Articles",
                            "crawled_at": run_time(run),
                            "rank": 6 - position,
                            "headline": f"Story {article - 100}",
                            "article_url": f"https://news.example/a/{article}",
                            "article_id": str(article),
                        }
                    )
            store.record_observation("listing", run_id, FRONT, run_time(run), f"s{run}", run_id)
            store.record_observation(
                "popular", run_id, "Most Popular Articles", run_time(run), f"p{run}", run_id
            )
            counts = {"items": 20 + run, "rejects": run % 2, "failures": 1 if run == 3 else 0}
            store.finish_run(run_id, run_time(run).replace(":00:00", ":02:00"), "finished", counts)
    return path
