"""How the history report scales: time and size of history.xlsx + report.html for a site with
N articles seen over R front-page runs (synthetic state built through the StateStore API).

    .venv/bin/python benchmarks/report_scale.py --articles 5000 --runs 200
"""

from __future__ import annotations

import argparse
import resource
import tempfile
import time
from pathlib import Path

from newsspider.report import REPORT_FILE, WORKBOOK_FILE, collect, refresh, render_report
from newsspider.state.store import ArticleState, StateStore

SLOTS = 40  # slots on the front page per run


def iso(minutes: int) -> str:
    day, rest = divmod(minutes, 1440)
    return f"2026-02-{1 + day % 28:02d}T{rest // 60:02d}:{rest % 60:02d}:00+00:00"


def build(path: Path, articles: int, runs: int) -> None:
    with StateStore(path) as store:
        store.db.execute("BEGIN")
        for n in range(articles):
            store.save_article(
                ArticleState(
                    f"s:{n}",
                    "s",
                    str(n),
                    f"https://s.test/a/{n}",
                    iso(n),
                    iso(n),
                    iso(n),
                    1,
                    f"h{n}",
                    "live",
                    None,
                    None,
                    {
                        "headline": f"Headline {n}",
                        "section": f"section{n % 8}",
                        "published_at": iso(n * 7).replace("+00:00", "+09:00"),
                        "body": "x" * 2000,
                    },
                )
            )
        for run in range(runs):
            run_id = f"r{run}"
            at = iso(run * 15)
            store.start_run(run_id, "frontpage", "https://s.test/", at)
            first = run * articles // max(runs, 1)
            for position in range(1, SLOTS + 1):
                article = (first + (position * 7) % SLOTS) % articles
                store.add_slot(
                    {
                        "run_id": run_id,
                        "page_url": "https://s.test/",
                        "crawled_at": at,
                        "position_on_page": position,
                        "block": "Latest",
                        "position_in_block": position,
                        "headline": f"Headline {article}",
                        "teaser": None,
                        "article_url": f"https://s.test/a/{article}",
                        "article_id": str(article),
                    }
                )
                if position <= 10:
                    store.add_popular_entry(
                        {
                            "run_id": run_id,
                            "list_name": "Most Popular",
                            "crawled_at": at,
                            "rank": position,
                            "headline": f"Headline {article}",
                            "article_url": f"https://s.test/a/{article}",
                            "article_id": str(article),
                        }
                    )
            store.record_observation("listing", run_id, "https://s.test/", at, f"s{run}", run_id)
            store.record_observation("popular", run_id, "Most Popular", at, f"p{run}", run_id)
            store.finish_run(run_id, at, "finished", {"items": 50, "rejects": run % 3})
        store.db.execute("COMMIT")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        build(out / "s.sqlite3", args.articles, args.runs)
        with StateStore(out / "s.sqlite3") as store:
            # CPU time of this process: the machine is shared, wall time says little
            start = time.process_time()
            page = render_report(collect(store), "s")
            report_s = time.process_time() - start
            start = time.process_time()
            counts = refresh(store, out)
            both_s = time.process_time() - start
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(
            f"{args.articles} articles, {args.runs} runs, {counts['frontpage_snapshots']} "
            f"snapshot rows"
        )
        print(
            f"report.html: {len(page.encode()) / 1e3:.0f} kB in {report_s:.2f} CPU s; "
            f"history.xlsx + report.html: {both_s:.2f} CPU s, "
            f"{(out / WORKBOOK_FILE).stat().st_size / 1e6:.1f} MB + "
            f"{(out / REPORT_FILE).stat().st_size / 1e3:.0f} kB; peak RSS {peak:.0f} MB"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
