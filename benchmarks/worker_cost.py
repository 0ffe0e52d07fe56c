"""The parse worker's CPU per article page, this checkout vs another, alternated in one run.

    python benchmarks/worker_cost.py --baseline DIR [--articles 2000] [--pages 300] [--rounds 5]
    python benchmarks/worker_cost.py --baseline DIR --pages 40 --instructions   # valgrind
    python benchmarks/worker_cost.py --baseline DIR --pool [--pages 1000]   # through the pool

Takes ``--pages`` article pages of the synthetic site (``benchmarks/synthetic_site.py``) and, in
a fresh interpreter per checkout and round (``PYTHONPATH`` = the checkout, the worker's own
set-up ``init_worker`` done first), times with ``time.process_time`` what a parse worker does
per page (newsspider/parsepool.py): ``parse_article_job`` with the checks on (decode, parse,
page object, normalize, validate, content hash, pre-rendered rows: the default crawl) and the
result's pickle (what the pool sends back). Rounds alternate between the checkouts so both see
the same load; the best round of each is reported, with the load average.

``--pool``: the worker as it runs in a crawl instead: a real ``spawn`` pool of one worker
(``init_worker``, ``run_in_worker``: the crawl's jobs with the checks and the body hash on),
fed 16 jobs at a time from an asyncio loop as the crawl's spider does, one listing page per
20 article pages (the synthetic site's ratio); reports the worker's own CPU per page after
its first page (receiving and unpickling each job, pickling and sending each result, the
executor's loop: what ``parse_article_job`` alone leaves out), its start-up plus first page,
and the feeding process's CPU per page (the pool's share of the crawling process).

Also prints a digest of every result (the Article's fields, its popular entries, drift
outcomes and worker checks, and the pre-rendered JSONL/CSV/workbook rows) per checkout: equal
digests show the two checkouts produce the same output for these pages.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

import synthetic_site  # noqa: E402

WORKER = r"""
import dataclasses, hashlib, json, pickle, sys, time
from pathlib import Path
from scrapy.http import HtmlResponse
from newsspider.parsepool import ArticleJob, init_worker, parse_article_job

init_worker(None)
files, rounds = json.loads(sys.argv[1]), int(sys.argv[2])
jobs = [
    ArticleJob(
        url="http://127.0.0.1:8000/" + "/".join(Path(f).parts[-3:]),
        body=Path(f).read_bytes(),
        content_type=b"text/html",
        encoding=None,
        response_class=HtmlResponse,
        profile="news1global",
        crawled_at="2026-02-21T00:00:00+00:00",
        check=True,
    )
    for f in files
]
for job in jobs[:20]:  # warm-up: first-use imports and caches
    parse_article_job(job)
best = {"job": 1e9, "job_and_pickle": 1e9}
for _ in range(rounds):
    t0 = time.process_time()
    for job in jobs:
        parse_article_job(job)
    best["job"] = min(best["job"], time.process_time() - t0)
    t0 = time.process_time()
    for job in jobs:
        pickle.dumps(parse_article_job(job), protocol=pickle.HIGHEST_PROTOCOL)
    best["job_and_pickle"] = min(best["job_and_pickle"], time.process_time() - t0)
digest = hashlib.sha256()
for job in jobs:
    parsed = parse_article_job(job)
    rendered = parsed.article.__dict__.get("_newsspider_prerender")
    checks = parsed.article.__dict__.get("_newsspider_worker_checks")
    digest.update(repr((
        dataclasses.asdict(parsed.article),
        [dataclasses.asdict(entry) for entry in parsed.popular],
        parsed.profile, parsed.profile_found, parsed.outcomes,
        dataclasses.astuple(checks) if checks is not None else None,
        rendered and (rendered.fields, rendered.values, rendered.jsonl.tail, rendered.csv.tail,
                      rendered.csv.truncated_cells, rendered.sheet.cells, rendered.sheet.widths,
                      rendered.sheet.layout, rendered.sheet.links),
    )).encode("utf-8", "surrogatepass"))
result = {k: v * 1000 / len(jobs) for k, v in best.items()}
result["digest"] = digest.hexdigest()[:16]
print(json.dumps(result))
"""


COUNTED = r"""
import sys
from pathlib import Path
from scrapy.http import HtmlResponse
from newsspider.parsepool import ArticleJob, init_worker, parse_article_job

init_worker(None)
files, passes = sys.argv[1].split("\n"), int(sys.argv[2])
jobs = [
    ArticleJob("http://127.0.0.1:8000/" + "/".join(Path(f).parts[-3:]), Path(f).read_bytes(),
               b"text/html", None, HtmlResponse, "news1global", "2026-02-21T00:00:00+00:00", True)
    for f in files
]
for _ in range(1 + passes):  # the first pass: first-use imports and caches
    for job in jobs:
        parse_article_job(job)
"""


POOL = r"""
import asyncio, json, multiprocessing, os, sys, time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from scrapy.http import HtmlResponse
from newsspider.parsepool import (
    LISTING, ArticleJob, ListingJob, init_worker, run_in_worker,
)

def main():
    files, listings = json.loads(sys.argv[1]), json.loads(sys.argv[2])
    crawled_at = "2026-02-21T00:00:00+00:00"
    jobs = []
    for i, f in enumerate(files):
        if i % 20 == 0 and listings:
            page = listings[(i // 20) % len(listings)]
            jobs.append(ListingJob(
                "http://127.0.0.1:8000/" + "/".join(Path(page).parts[-2:]), Path(page).read_bytes(),
                b"text/html", None, HtmlResponse, "news1global", LISTING, crawled_at, False, True))
        jobs.append(ArticleJob(
            "http://127.0.0.1:8000/" + "/".join(Path(f).parts[-3:]), Path(f).read_bytes(),
            b"text/html", None, HtmlResponse, "news1global", crawled_at, True, True))
    executor = ProcessPoolExecutor(
        1, mp_context=multiprocessing.get_context("spawn"), initializer=init_worker,
        initargs=(os.getpid(),))
    first = executor.submit(run_in_worker, jobs[0]).result()[2]  # start-up + the first page
    async def feed():
        window, last = asyncio.Semaphore(16), [0.0]
        async def one(job):
            async with window:
                cpu = (await asyncio.wrap_future(executor.submit(run_in_worker, job)))[2]
                last[0] = max(last[0], cpu)
        await asyncio.gather(*(one(job) for job in jobs[1:]))
        return last[0]
    t0 = time.process_time()
    end = asyncio.run(feed())
    feeding = time.process_time() - t0
    executor.shutdown()
    pages = len(jobs) - 1
    print(json.dumps({"worker": (end - first) * 1000 / pages, "startup_s": first,
                      "feeder": feeding * 1000 / pages, "pages": pages}))

if __name__ == "__main__":
    main()
"""


def pool_once(checkout: Path, files: list[str], listings: list[str]) -> dict[str, object]:
    """One run of :data:`POOL` with ``checkout``'s code (a script file: spawn re-imports it)."""
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    with tempfile.TemporaryDirectory(prefix="worker-cost-pool-") as tmp:
        script = Path(tmp) / "pool_cost.py"
        script.write_text(POOL, encoding="utf-8")
        out = subprocess.run(
            [sys.executable, str(script), json.dumps(files), json.dumps(listings)],
            cwd=checkout, env=env, capture_output=True, text=True, check=True,
        )  # fmt: skip
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def pool_main(args: argparse.Namespace, files: list[str], listings: list[str]) -> int:
    runs: dict[str, list[dict[str, object]]] = {"before": [], "after": []}
    load = [os.getloadavg()[0]]
    for _ in range(args.rounds):
        runs["before"].append(pool_once(args.baseline.resolve(), files, listings))
        runs["after"].append(pool_once(REPO, files, listings))
    load.append(os.getloadavg()[0])
    keys = ("worker", "startup_s", "feeder")
    best = {name: {k: min(float(str(r[k])) for r in rs) for k in keys} for name, rs in runs.items()}
    print(
        f"{runs['after'][0]['pages']} pages through a spawn pool of 1 worker (1 listing page per"
        f" 20 articles), best of {args.rounds} alternated runs, load {load[0]:.1f} -> {load[1]:.1f}"
    )
    print(f"{'':<40} {'before':>8} {'after':>8} {'after/before':>12}")
    labels = {
        "worker": "worker CPU ms per page (after start-up)",
        "startup_s": "worker start-up + first page, CPU s",
        "feeder": "feeding process CPU ms per page",
    }
    for key in keys:
        before, after = best["before"][key], best["after"][key]
        print(f"{labels[key]:<40} {before:>8.3f} {after:>8.3f} {after / before:>12.2f}")
    if args.json:
        args.json.write_text(
            json.dumps({"load": load, "best": best, "runs": runs}, indent=2) + "\n",
            encoding="utf-8",
        )
    return 0


def instructions_per_page(checkout: Path, files: list[str]) -> float:
    """Instructions per page under valgrind (callgrind): a run with 2 more passes over the
    pages minus a run without them, so start-up and the warm-up pass cancel out. Exact and
    independent of the machine's load (~50x slower than native: use ~40 pages)."""
    counts = []
    for passes in (0, 2):
        out = subprocess.run(
            ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
             "-c", COUNTED, "\n".join(files), str(passes)],
            cwd=checkout, env={**os.environ, "PYTHONPATH": str(checkout)},
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        found = re.search(r"Collected : (\d+)", out.stderr)
        if found is None:
            raise SystemExit(f"valgrind gave no instruction count for {checkout}: is it installed?")
        counts.append(int(found[1]))
    return (counts[1] - counts[0]) / (2 * len(files))


def run_once(checkout: Path, files: list[str], rounds: int) -> dict[str, object]:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    out = subprocess.run(
        [sys.executable, "-c", WORKER, json.dumps(files), str(rounds)],
        cwd=checkout, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    result: dict[str, object] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, required=True)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=5, help="alternations of the checkouts")
    parser.add_argument("--inner", type=int, default=3, help="timed passes per interpreter")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="count instructions per page under valgrind instead of timing (exact under load)",
    )
    parser.add_argument(
        "--pool",
        action="store_true",
        help="the worker through a real spawn pool, listing pages mixed in (see above)",
    )
    args = parser.parse_args(argv)
    site = Path(tempfile.gettempdir()) / "newsspider-bench" / f"site-{args.articles}"
    synthetic_site.write_site(args.articles, site)
    files = sorted(str(p) for p in site.glob("*/article/*.html"))[: args.pages]
    if args.pool:
        listings = sorted(str(p) for p in site.glob("*/page-*.html"))
        return pool_main(args, files, listings)
    if args.instructions:
        counted = {
            name: instructions_per_page(checkout, files)
            for name, checkout in (("before", args.baseline.resolve()), ("after", REPO))
        }
        print(
            f"{len(files)} article pages, instructions per page (callgrind): before "
            f"{counted['before'] / 1e6:.2f} M, after {counted['after'] / 1e6:.2f} M, "
            f"after/before {counted['after'] / counted['before']:.3f}"
        )
        if args.json:
            args.json.write_text(json.dumps(counted, indent=2) + "\n", encoding="utf-8")
        return 0
    runs: dict[str, list[dict[str, object]]] = {"before": [], "after": []}
    load = [os.getloadavg()[0]]
    for _ in range(args.rounds):
        runs["before"].append(run_once(args.baseline.resolve(), files, args.inner))
        runs["after"].append(run_once(REPO, files, args.inner))
    load.append(os.getloadavg()[0])
    keys = ("job", "job_and_pickle")
    best = {name: {k: min(float(str(r[k])) for r in rs) for k in keys} for name, rs in runs.items()}
    digests = {name: sorted({str(r["digest"]) for r in rs}) for name, rs in runs.items()}
    print(
        f"{len(files)} article pages, best of {args.rounds}x{args.inner} passes, load "
        f"{load[0]:.1f} -> {load[1]:.1f}; worker CPU ms per page"
    )
    print(f"{'':<32} {'before':>8} {'after':>8} {'after/before':>12}")
    labels = {"job": "parse_article_job (checks on)", "job_and_pickle": "+ pickle of the result"}
    for key in keys:
        before, after = best["before"][key], best["after"][key]
        print(f"{labels[key]:<32} {before:>8.3f} {after:>8.3f} {after / before:>12.2f}")
    same = digests["before"] == digests["after"] and len(digests["after"]) == 1
    print(f"output digests: before {digests['before']} after {digests['after']}: "
          f"{'same' if same else 'DIFFERENT'}")  # fmt: skip
    if args.json:
        args.json.write_text(
            json.dumps({"load": load, "best": best, "digests": digests, "runs": runs}, indent=2)
            + "\n",
            encoding="utf-8",
        )
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
