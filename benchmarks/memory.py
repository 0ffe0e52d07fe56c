"""Memory: peak RSS of the full ``site`` crawl at two site sizes, and the growth between them.

    python benchmarks/memory.py --sizes 5000,50000 [--concurrency 16] [--no-state] [--json out]
        [--baseline DIR]   # also crawl each size with an older checkout's code, same run

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


def measure(n: int, concurrency: int, state: bool, repo: Path | None = None) -> dict[str, Any]:
    site_dir = Path(tempfile.gettempdir()) / "newsspider-bench" / f"site-{n}"
    synthetic_site.write_site(n, site_dir)
    with (
        tempfile.TemporaryDirectory(prefix="newsspider-memory-") as tmp,
        synthetic_site.nginx(site_dir) as url,
    ):
        if repo is None:
            return full_crawl(url, concurrency, Path(tmp), state=state)
        return full_crawl(url, concurrency, Path(tmp), state=state, repo=repo)


def growth(runs: dict[int, dict[str, Any]], sizes: list[int]) -> float:
    small, large = runs[sizes[0]]["peak_rss_mb"], runs[sizes[-1]]["peak_rss_mb"]
    return (large - small) / small if small else 0.0


def partial(path: Path | None, runs: dict[int, Any], base_runs: dict[int, Any]) -> None:
    """The sizes measured so far (``<json>.partial``): a long run stopped early keeps them."""
    if path is not None:
        text = json.dumps({"runs": runs, "baseline_runs": base_runs}, indent=2) + "\n"
        path.with_name(path.name + ".partial").write_text(text, encoding="utf-8")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="5000,50000", help="comma-separated article counts")
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--no-state", action="store_true", help="NEWSSPIDER_STATE_ENABLED=False")
    parser.add_argument("--json", type=Path, default=None)
    parser.add_argument(
        "--baseline",
        type=Path,
        default=None,
        help="an older checkout (git worktree add --detach DIR main): each size is crawled by "
        "its code too, right after this checkout's",
    )
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    runs: dict[int, dict[str, Any]] = {}
    base_runs: dict[int, dict[str, Any]] = {}
    for n in sizes:
        runs[n] = measure(n, args.concurrency, state=not args.no_state)
        print(f"N={n}: peak RSS {runs[n]['peak_rss_mb']} MB, {runs[n]['pages_per_s']} pages/s")
        partial(args.json, runs, base_runs)
        if args.baseline is not None:
            base_runs[n] = measure(n, args.concurrency, not args.no_state, args.baseline.resolve())
            print(f"N={n} baseline: peak RSS {base_runs[n]['peak_rss_mb']} MB")
            partial(args.json, runs, base_runs)
    result: dict[str, Any] = {
        "state": not args.no_state,
        "runs": runs,
        "growth": round(growth(runs, sizes), 3),
    }
    if base_runs:
        result["baseline"] = {
            "dir": str(args.baseline),
            "runs": base_runs,
            "growth": round(growth(base_runs, sizes), 3),
        }
    print(json.dumps(result, indent=2))
    small, large = runs[sizes[0]]["peak_rss_mb"], runs[sizes[-1]]["peak_rss_mb"]
    print(f"\npeak RSS {small} MB -> {large} MB: growth {growth(runs, sizes):.1%} (target <= 10%)")
    if base_runs:
        small, large = base_runs[sizes[0]]["peak_rss_mb"], base_runs[sizes[-1]]["peak_rss_mb"]
        print(f"baseline: {small} MB -> {large} MB: growth {growth(base_runs, sizes):.1%}")
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
