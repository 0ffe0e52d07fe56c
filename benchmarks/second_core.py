"""Second core: would parsing + extraction of article pages in a worker process pay off?

    python benchmarks/second_core.py --articles 2000 --pages 400 [--workers 1] [--inflight 16]

The decision data for issue 14's "use the second core", measured without changing the crawl:
what the crawling process spends per article page (a) doing the work itself, as the spider
does now (decode the body, the profile's page object with the generic fallback, the popular
list), versus (b) handing ``(url, body, encoding)`` to a ``concurrent.futures``
ProcessPoolExecutor and taking the finished Article + popular entries back (pickling the
~76 KB body out and the items in, the pool's queue threads). (b) pays off when the crawling
process's CPU per page drops by more than what the crawl around the page costs stays the
same; the worker's CPU then runs on the other core.

CPU is measured per process (``time.process_time`` for this process, RUSAGE_CHILDREN for the
workers after the pool is shut down), so the figures hold on a machine shared with other jobs;
wall-clock pages/s does not.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import resource
import sys
import time
from collections.abc import Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(BENCH.parent))

import synthetic_site  # noqa: E402

CRAWLED_AT = "2026-02-21T09:30:00+00:00"


def job_for(url: str, body: bytes, encoding: str) -> Any:
    from scrapy.http import HtmlResponse

    from newsspider.parsepool import ArticleJob

    content_type = f"text/html; charset={encoding}".encode()
    return ArticleJob(url, body, content_type, None, HtmlResponse, "news1global", CRAWLED_AT)


def extract(url: str, body: bytes, encoding: str) -> tuple[Any, list[Any]]:
    """The spider's article work for one page, as the crawl runs it inline
    (``newsspider.parsepool.parse_article_job``, the same function the workers run)."""
    from newsspider.parsepool import parse_article_job

    parsed = parse_article_job(job_for(url, body, encoding))
    return parsed.article, parsed.popular


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--articles", type=int, default=2000, help="synthetic site size")
    parser.add_argument("--pages", type=int, default=400, help="article pages measured")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--inflight", type=int, default=16, help="pages handed out at once")
    parser.add_argument("--site-dir", type=Path, default=None)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    site = args.site_dir or Path("/tmp/newsspider-bench") / f"site-{args.articles}"
    synthetic_site.write_site(args.articles, site)
    files = sorted(site.glob("*/article/*.html"))[: args.pages]
    base = "https://www.news1global.com/"
    pages = [(base + str(p.relative_to(site)), p.read_bytes(), "utf-8") for p in files]
    extract(*pages[0])  # imports, compiled selectors: not part of the per-page cost

    cpu0, wall0 = time.process_time(), time.perf_counter()
    inline = [extract(*page) for page in pages]
    inline_cpu, inline_wall = time.process_time() - cpu0, time.perf_counter() - wall0

    kids0 = children_cpu()
    from newsspider import parsepool

    # the crawl's pool: its start method, initializer and per-page function
    pool = ProcessPoolExecutor(
        max_workers=args.workers,
        mp_context=multiprocessing.get_context(parsepool.START_METHOD),
        initializer=parsepool.init_worker,
        initargs=(os.getpid(),),
    )
    jobs = [job_for(*page) for page in pages]
    list(pool.map(parsepool.run_in_worker, jobs[: args.workers * 2]))  # warm the workers
    cpu0, wall0 = time.process_time(), time.perf_counter()
    results: dict[int, Any] = {}
    pending: dict[Future[Any], int] = {}
    for i, job in enumerate(jobs):
        if len(pending) >= args.inflight:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                results[pending.pop(future)] = future.result()[0]
        pending[pool.submit(parsepool.run_in_worker, job)] = i
    for future in pending:
        results[pending[future]] = future.result()[0]
    pool_cpu, pool_wall = time.process_time() - cpu0, time.perf_counter() - wall0
    pool.shutdown()
    worker_cpu = children_cpu() - kids0  # includes the warm-up pages and start-up

    same = all((results[i].article, results[i].popular) == inline[i] for i in range(len(pages)))
    n = len(pages)
    result = {
        "pages": n,
        "mean_html_kb": round(sum(len(p[1]) for p in pages) / n / 1024, 1),
        "inline_cpu_ms_per_page": round(inline_cpu * 1000 / n, 2),
        "inline_pages_per_s": round(n / inline_wall, 1),
        "pool_workers": args.workers,
        "pool_main_cpu_ms_per_page": round(pool_cpu * 1000 / n, 2),
        "pool_worker_cpu_ms_per_page": round(worker_cpu * 1000 / (n + args.workers * 2), 2),
        "pool_pages_per_s": round(n / pool_wall, 1),
        "identical_items": same,
    }
    print(json.dumps(result, indent=2))
    print(
        f"\nper article page, crawling process: {result['inline_cpu_ms_per_page']} ms inline vs "
        f"{result['pool_main_cpu_ms_per_page']} ms with a pool of {args.workers} "
        f"(worker: {result['pool_worker_cpu_ms_per_page']} ms); items identical: {same}"
    )
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
