"""CPU per article of the item path alone, this checkout vs another, alternated in one run.

    python benchmarks/item_path.py --baseline DIR [--articles 2000] [--pages 200] [--rounds 3]

Takes ``--pages`` article pages of the synthetic site (``benchmarks/synthetic_site.py``) and,
in a fresh interpreter per checkout and round (``PYTHONPATH`` = the checkout), times with
``time.process_time`` what happens to each page after the download: the news1global page
object (parse + fields), the normalize and validate pipelines, the state's content hash and
stored copy, and the JSONL, CSV and workbook exporters (in memory). No Scrapy engine, no
signals: a steadier figure than a whole crawl on a busy machine; rounds alternate between the
checkouts so both see the same load.
"""

from __future__ import annotations

import argparse
import json
import os
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
import io, json, sys, time
from pathlib import Path
from scrapy.utils.test import get_crawler
from newsspider.items import Article, field_names
from newsspider.sites import detect_profile
from newsspider.pipelines.normalize import NormalizePipeline
from newsspider.pipelines.validate import ValidatePipeline
from newsspider.exporters import JsonLinesExporter, SpreadsheetCsvItemExporter
from newsspider.workbook import XlsxItemExporter
from newsspider.state import runtime

files = json.loads(sys.argv[1])
pages = [(f"http://127.0.0.1:8000/{'/'.join(Path(f).parts[-3:])}", Path(f).read_text("utf-8"))
         for f in files]
profile = detect_profile(*pages[0])
crawler = get_crawler()
crawler.stats.open_spider()
normalize, validate = NormalizePipeline(crawler), ValidatePipeline(crawler)
names = field_names(Article)
jsonl = JsonLinesExporter(io.BytesIO(), fields_to_export=names)
csv = SpreadsheetCsvItemExporter(io.BytesIO(), fields_to_export=names)
csv.start_exporting()
xlsx = XlsxItemExporter(io.BytesIO(), item_classes=[Article])
xlsx.start_exporting()
copy = getattr(runtime, "item_data", None)
if copy is None:
    from dataclasses import asdict as copy
times = {k: 0.0 for k in ("page", "normalize", "validate", "state", "jsonl", "csv", "xlsx")}
for url, html in pages:
    t0 = time.process_time()
    item = profile.article_page(url, html).article()
    item.run_id, item.crawled_at = "bench", "2026-02-21T00:00:00+00:00"
    t1 = time.process_time()
    item = normalize.process_item(item)
    t2 = time.process_time()
    item = validate.process_item(item)
    t3 = time.process_time()
    runtime.stable_hash(runtime.article_content(item))
    copy(item)
    t4 = time.process_time()
    jsonl.export_item(item)
    t5 = time.process_time()
    csv.export_item(item)
    t6 = time.process_time()
    xlsx.export_item(item)
    t7 = time.process_time()
    for key, a, b in (("page", t0, t1), ("normalize", t1, t2), ("validate", t2, t3),
                      ("state", t3, t4), ("jsonl", t4, t5), ("csv", t5, t6), ("xlsx", t6, t7)):
        times[key] += b - a
print(json.dumps({k: v * 1000 / len(pages) for k, v in times.items()}))
"""


def run_once(checkout: Path, files: list[str]) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(checkout)}
    out = subprocess.run(
        [sys.executable, "-c", WORKER, json.dumps(files)],
        cwd=checkout, env=env, capture_output=True, text=True, check=True,
    )  # fmt: skip
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", type=Path, required=True)
    parser.add_argument("--articles", type=int, default=2000)
    parser.add_argument("--pages", type=int, default=200)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args(argv)
    site = Path(tempfile.gettempdir()) / "newsspider-bench" / f"site-{args.articles}"
    synthetic_site.write_site(args.articles, site)
    files = sorted(str(p) for p in site.glob("*/article/*.html"))[: args.pages]
    runs: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
    load = [os.getloadavg()[0]]
    for _ in range(args.rounds):
        runs["before"].append(run_once(args.baseline.resolve(), files))
        runs["after"].append(run_once(REPO, files))
    load.append(os.getloadavg()[0])
    best = {name: {k: min(r[k] for r in rs) for k in rs[0]} for name, rs in runs.items()}
    print(f"{args.pages} article pages, best of {args.rounds} rounds, load {load[0]:.1f} -> "
          f"{load[1]:.1f}; CPU ms per article")  # fmt: skip
    print(f"{'stage':<10} {'before':>8} {'after':>8}")
    for key in best["before"]:
        print(f"{key:<10} {best['before'][key]:>8.3f} {best['after'][key]:>8.3f}")
    totals = {name: sum(b.values()) for name, b in best.items()}
    print(f"{'total':<10} {totals['before']:>8.3f} {totals['after']:>8.3f}")
    if args.json:
        args.json.write_text(
            json.dumps({"load": load, "best": best, "runs": runs}, indent=2) + "\n",
            encoding="utf-8",
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
