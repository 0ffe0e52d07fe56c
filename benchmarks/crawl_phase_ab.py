"""The crawling process's CPU per page, this checkout vs an older one, full crawls alternated.

    python benchmarks/crawl_phase_ab.py --baseline DIR [--articles 2000] [--rounds 3]
                                        [--json out.json]

On a shared machine one crawl of each (``throughput.py --baseline``) moves by more than a
0.1 ms/page change; here the two checkouts crawl the same synthetic site in turns (baseline,
this, baseline, this, ...) with the same settings as ``throughput.py``'s ``full`` and the
medians are compared. Per crawl: ``crawl_phase_ms`` = the crawling process's CPU from
``spider_opened`` to ``spider_closed`` per response (the stat ``newsspider/crawl_phase/cpu_s``,
which the baseline must record too: e.g. a checkout of the commit that added it plus nothing
else), ``worker_ms`` = the parse workers' CPU per response
(``newsspider/parse_pool/worker_cpu_s``, their start-up included), ``both_ms`` = the two added,
``main_ms`` = the whole crawling process per response (start-up and end of run included, parse
workers excluded), ``pages_per_s``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
REPO = BENCH.parent
sys.path.insert(0, str(BENCH))

import synthetic_site  # noqa: E402
from throughput import full_crawl  # noqa: E402

FIGURES = ("crawl_phase_ms", "worker_ms", "both_ms", "main_ms", "pages_per_s")


def figures(run: dict[str, Any]) -> dict[str, float]:
    responses = run["responses"] or 1
    # the parse workers' CPU (their start-up included) per response: issue 14's crawl-phase
    # CPU is both processes' (``both_ms``), since the two share the machine's two cores
    worker_ms = round(run["parse_pool"].get("worker_cpu_s", 0.0) * 1000 / responses, 2)
    return {
        "crawl_phase_ms": run["main_crawl_cpu_ms_per_page"],
        "worker_ms": worker_ms,
        "both_ms": round(run["main_crawl_cpu_ms_per_page"] + worker_ms, 2),
        "main_ms": run["main_cpu_ms_per_page"],
        "pages_per_s": run["pages_per_s"],
    }


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, required=True, metavar="DIR")
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    site_dir = Path(tempfile.gettempdir()) / "newsspider-bench" / f"site-{args.articles}"
    synthetic_site.write_site(args.articles, site_dir)
    runs: dict[str, list[dict[str, float]]] = {"baseline": [], "this": []}
    load_before = os.getloadavg()
    with (
        tempfile.TemporaryDirectory(prefix="newsspider-ab-") as tmp,
        synthetic_site.nginx(site_dir) as url,
    ):
        for n in range(args.rounds):
            for name, repo in (("baseline", args.baseline.resolve()), ("this", REPO)):
                workdir = Path(tmp) / f"{name}-{n}"
                workdir.mkdir()
                run = full_crawl(url, args.concurrency, workdir, True, repo)
                runs[name].append(figures(run))
                print(f"round {n + 1} {name:<8} {json.dumps(runs[name][-1])}", flush=True)
    medians = {
        name: {key: round(statistics.median(r[key] for r in rows), 2) for key in FIGURES}
        for name, rows in runs.items()
    }
    result = {
        "articles": args.articles,
        "rounds": args.rounds,
        "loadavg": [round(x, 2) for x in (*load_before, *os.getloadavg())],
        "runs": runs,
        "median": medians,
        "ratio_this_to_baseline": {
            key: round(medians["this"][key] / medians["baseline"][key], 3)
            if medians["baseline"][key]
            else 0.0
            for key in FIGURES
        },
    }
    print(json.dumps({k: result[k] for k in ("loadavg", "median", "ratio_this_to_baseline")}))
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
