"""Memory: peak RSS of the full ``site`` crawl at two site sizes, and the growth between them.

    python benchmarks/memory.py --sizes 5000,50000 [--concurrency 16] [--no-state] [--json out]

For each N: generate (or reuse) the synthetic site, serve it with nginx, run the full crawl
(exports, pipelines, state in a fresh folder unless ``--no-state``) and read the crawl
process's peak RSS from ``wait4()`` (``ru_maxrss``: exact, no sampling). Growth = (peak at the
largest N - peak at the smallest N) / peak at the smallest N; target <= 10%.

Disk: ~80 KB per article (50,000 articles ~ 4 GB); check ``df -h /tmp`` first.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import synthetic_site  # noqa: E402
from throughput import full_crawl  # noqa: E402


def measure(n: int, concurrency: int, state: bool) -> dict[str, Any]:
    site_dir = Path(tempfile.gettempdir()) / "newsspider-bench" / f"site-{n}"
    synthetic_site.write_site(n, site_dir)
    with (
        tempfile.TemporaryDirectory(prefix="newsspider-memory-") as tmp,
        synthetic_site.nginx(site_dir) as url,
    ):
        return full_crawl(url, concurrency, Path(tmp), state=state)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="5000,50000", help="comma-separated article counts")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--no-state", action="store_true", help="NEWSSPIDER_STATE_ENABLED=False")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    runs = {}
    for n in sizes:
        runs[n] = measure(n, args.concurrency, state=not args.no_state)
        print(f"N={n}: peak RSS {runs[n]['peak_rss_mb']} MB, {runs[n]['pages_per_s']} pages/s")
    small, large = runs[sizes[0]]["peak_rss_mb"], runs[sizes[-1]]["peak_rss_mb"]
    growth = (large - small) / small if small else 0.0
    result = {"state": not args.no_state, "runs": runs, "growth": round(growth, 3)}
    print(json.dumps(result, indent=2))
    print(f"\npeak RSS {small} MB -> {large} MB: growth {growth:.1%} (target <= 10%)")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
