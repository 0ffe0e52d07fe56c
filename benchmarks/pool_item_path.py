"""CPU per article in the crawling process for pool-parsed pages: worker checks off vs on.

    python benchmarks/pool_item_path.py [--articles 2000] [--pages 200] [--rounds 3]

For ``--pages`` article pages of the synthetic site, runs the parse worker's function
(``parsepool.parse_article_job``) with ``check`` off (the crawling process normalizes,
validates and hashes, as before issue 14's session 4) and on (the worker does, the pipelines
decide from its results: newsspider/pipelines/checks.py), then times with
``time.process_time`` what the *crawling process* does with each result: unpickling it (as
the pool's result pipe does), the drift stats, the normalize and validate pipelines and the
state's content hash (the worker's, or computed). Also the worker's own time per page for
both. Rounds alternate off/on in one interpreter; best of ``--rounds``.
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

import synthetic_site  # noqa: E402


def main(argv: Sequence[str] | None = None) -> int:
    from scrapy.http import HtmlResponse
    from scrapy.utils.test import get_crawler

    from newsspider.health.drift import record_article_fields, stat_key
    from newsspider.parsepool import ArticleJob, parse_article_job
    from newsspider.pipelines.checks import checks_of
    from newsspider.pipelines.normalize import NormalizePipeline
    from newsspider.pipelines.validate import ValidatePipeline
    from newsspider.state.runtime import article_hash, item_data

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    site = Path(tempfile.gettempdir()) / "newsspider-bench" / f"site-{args.articles}"
    synthetic_site.write_site(args.articles, site)
    files = sorted(site.glob("*/article/*.html"))[: args.pages]
    jobs = []
    for path in files:
        url = "http://127.0.0.1:8000/" + "/".join(path.parts[-3:])
        response = HtmlResponse(url, body=path.read_bytes(), headers={"Content-Type": "text/html"})
        jobs.append(
            ArticleJob(
                url,
                response.body,
                b"text/html",
                None,
                HtmlResponse,
                None,
                "2026-02-21T00:00:00+00:00",
            )
        )
    best: dict[str, dict[str, float]] = {}
    load = [os.getloadavg()[0]]
    for _ in range(args.rounds):
        for check in (False, True):
            t0 = time.process_time()
            results = [pickle.dumps(parse_article_job(replace(job, check=check))) for job in jobs]
            worker = time.process_time() - t0
            crawler = get_crawler()
            normalize, validate = NormalizePipeline(crawler), ValidatePipeline(crawler)
            t0 = time.process_time()
            for blob in results:
                parsed = pickle.loads(blob)
                if parsed.outcomes is not None:
                    for field, outcome in parsed.outcomes.items():
                        crawler.stats.inc_value(stat_key(parsed.profile, field, outcome))
                else:
                    record_article_fields(crawler.stats, parsed.profile, parsed.article, parsed)
                item = parsed.article
                item.crawled_at, item.run_id = "2026-02-21T00:00:00+00:00", "bench"
                item = validate.process_item(normalize.process_item(item))
                checks = checks_of(item)
                data = item_data(item)
                if checks is None or checks.content_hash is None:
                    article_hash(data)
            crawl = time.process_time() - t0
            name = "checks in worker" if check else "checks in crawling process"
            row = {"crawling_ms": crawl * 1000 / len(jobs), "worker_ms": worker * 1000 / len(jobs)}
            prev = best.get(name)
            best[name] = {k: min(v, prev[k]) if prev else v for k, v in row.items()}
    load.append(os.getloadavg()[0])
    print(f"{len(jobs)} pages, best of {args.rounds}, load {load[0]:.1f} -> {load[1]:.1f}")
    print(json.dumps(best, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
