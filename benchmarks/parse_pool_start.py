"""Parse pool start-up: CPU and wall time until the first page is parsed, per start method.

    python benchmarks/parse_pool_start.py [--workers 1] [--repeat 3]

The decision data for ``newsspider.parsepool.START_METHOD``: a pool of ``--workers`` workers
with ``spawn`` and with ``forkserver`` (``newsspider.parsepool`` preloaded, as
``set_forkserver_preload`` does it), each asked to parse one article page of the bundled demo
(so every worker has run its initializer and imported the page objects). CPU is the
user + system time of every process below this one (read from /proc before the pool is shut
down: a forkserver's workers are not this process's children, so RUSAGE_CHILDREN would miss
them), plus this process's own CPU over the same span. Linux only (/proc).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import subprocess
import sys
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))

from scrapy.http import HtmlResponse  # noqa: E402

from newsspider import parsepool  # noqa: E402
from newsspider.items import utc_now_iso  # noqa: E402

DEMO = BENCH.parent / "newsspider" / "demo_site"
TICKS = os.sysconf("SC_CLK_TCK")


def descendants_cpu(root: int) -> float:
    """CPU seconds (user + system) of every live process below ``root``."""
    parents: dict[int, int] = {}
    cpu: dict[int, float] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        parents[int(entry)] = int(fields[1])
        cpu[int(entry)] = (int(fields[11]) + int(fields[12])) / TICKS
    total, todo = 0.0, [root]
    while todo:
        pid = todo.pop()
        for child, parent in parents.items():
            if parent == pid:
                total += cpu[child]
                todo.append(child)
    return total


def measure(method: str, workers: int) -> dict[str, Any]:
    context = multiprocessing.get_context(method)
    if method == "forkserver":
        context.set_forkserver_preload(["newsspider.parsepool"])
    url = "https://www.news1global.com/etc/article/1007"
    job = parsepool.ArticleJob(
        url=url,
        body=(DEMO / "etc" / "article" / "1007.html").read_bytes(),
        content_type=b"text/html; charset=utf-8",
        encoding=None,
        response_class=HtmlResponse,
        profile="news1global",
        crawled_at=utc_now_iso(),
    )
    cpu0, wall0 = time.process_time(), time.perf_counter()
    pool = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=parsepool.init_worker,
        # a forkserver's workers are its children, not ours: they watch their own parent
        initargs=(os.getpid() if method == "spawn" else None,),
    )
    futures = [pool.submit(parsepool.parse_article_job, job) for _ in range(workers * 4)]
    results = [f.result() for f in futures]
    wall = time.perf_counter() - wall0
    cpu = time.process_time() - cpu0 + descendants_cpu(os.getpid())
    pool.shutdown()
    assert all(r.article.article_id == "1007" for r in results)
    return {"method": method, "workers": workers, "wall_s": round(wall, 2), "cpu_s": round(cpu, 2)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    rows = []
    for _ in range(args.repeat):
        for method in ("spawn", "forkserver"):
            # a fresh interpreter per measurement: the forkserver is a process-wide singleton
            code = (
                f"import sys; sys.path.insert(0, {str(BENCH)!r}); import parse_pool_start as b;"
                f" import json; print(json.dumps(b.measure({method!r}, {args.workers})))"
            )
            out = subprocess.run(
                [sys.executable, "-c", code], capture_output=True, text=True, check=True
            ).stdout
            rows.append(json.loads(out.strip().splitlines()[-1]))
    load = os.getloadavg()
    print(json.dumps({"loadavg": [round(x, 2) for x in load], "runs": rows}, indent=2))
    for method in ("spawn", "forkserver"):
        mine = [r for r in rows if r["method"] == method]
        print(
            f"{method:<11} workers {args.workers}: CPU s {[r['cpu_s'] for r in mine]}"
            f"  wall s {[r['wall_s'] for r in mine]}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
