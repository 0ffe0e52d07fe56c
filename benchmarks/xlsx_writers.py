"""XlsxWriter (constant_memory) vs openpyxl (write_only): time and peak memory for N articles.

Each writer runs in its own subprocess (peak RSS is per process) and writes the same typed
article rows - 28 columns, a 3,000-character body, datetimes, ints, booleans, a URL link - to
one sheet; the XlsxWriter case goes through newsspider's own SheetWriter, so the figure is
the real exporter's. Results go to docs/ANALYSTS.md.

    .venv/bin/python benchmarks/xlsx_writers.py --rows 20000
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any


def article(n: int) -> dict[str, Any]:
    published = datetime(2026, 2, 21, 9, 5, tzinfo=UTC) + timedelta(minutes=n)
    return {
        "run_id": "bench",
        "crawled_at": published.isoformat(),
        "url": f"https://www.news.example/politics/article/{n}",
        "canonical_url": f"https://www.news.example/politics/article/{n}",
        "article_id": str(n),
        "site": "news1global",
        "section": "politics",
        "category": "Politics",
        "headline": f"Headline number {n} about something that happened",
        "description": "A one-sentence teaser of the story, as printed under the headline.",
        "authors": ["Ann Lee", "Bo Kim"],
        "published_at": published.isoformat(),
        "published_at_raw": "2026-02-21 09:05 KST",
        "updated_at": None,
        "updated_at_raw": None,
        "published_at_tz_assumed": False,
        "body": (f"Story {n}. " + "Paragraph of body text. " * 125)[:3000],  # unique per row
        "word_count": 500 + n % 300,
        "is_paywalled": n % 7 == 0,
        "tags": ["a", "b"],
        "image_url": f"https://www.news.example/img/{n}.jpg",
        "image_caption": "A caption",
        "language": "en",
        "related_urls": [],
        "headline_source": "profile",
        "body_source": "profile",
        "authors_source": "profile",
        "published_at_source": "profile",
    }


def run_xlsxwriter(path: Path, rows: int) -> None:
    from newsspider.workbook import SheetWriter, new_workbook

    columns = list(article(0))
    book = new_workbook(path)
    writer = SheetWriter(book, "articles", columns)
    for n in range(rows):
        writer.write(article(n).get)
    writer.close()
    book.close()


def run_openpyxl(path: Path, rows: int) -> None:
    import openpyxl
    from openpyxl.cell import WriteOnlyCell

    columns = list(article(0))
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("articles")
    sheet.append(columns)
    for n in range(rows):
        row = []
        for name, value in article(n).items():
            if isinstance(value, list):
                value = " | ".join(value) or None
            elif name in ("crawled_at", "published_at") and value:
                value = datetime.fromisoformat(value).replace(tzinfo=None)
            cell = WriteOnlyCell(sheet, value=value)
            if isinstance(value, str):
                cell.data_type = "s"  # never a formula
            if name == "url":
                cell.hyperlink = value
            row.append(cell)
        sheet.append(row)
    book.save(path)


def cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def child(writer: str, rows: int) -> None:
    import openpyxl  # noqa: F401 - both libraries loaded in both runs: same baseline

    import newsspider.workbook  # noqa: F401

    base_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.xlsx"
        start, cpu = time.perf_counter(), cpu_seconds()
        {"xlsxwriter": run_xlsxwriter, "openpyxl": run_openpyxl}[writer](path, rows)
        seconds, cpu = time.perf_counter() - start, cpu_seconds() - cpu
        peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        size_mb = path.stat().st_size / 1e6
    print(
        json.dumps(
            {
                "writer": writer,
                "rows": rows,
                "seconds": round(seconds, 1),
                "cpu_seconds": round(cpu, 1),
                "peak_rss_mb": round(peak_mb, 1),
                "growth_mb": round(peak_mb - base_mb, 1),
                "file_mb": round(size_mb, 2),
            }
        )
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--child", choices=["xlsxwriter", "openpyxl"])
    args = parser.parse_args()
    if args.child:
        child(args.child, args.rows)
        return 0
    print(
        f"{'writer':<11} {'rows':>7} {'wall s':>7} {'CPU s':>6} {'peak RSS MB':>12} "
        f"{'growth MB':>10} {'file MB':>8}"
    )
    for writer in ("xlsxwriter", "openpyxl"):
        out = subprocess.run(
            [sys.executable, __file__, "--child", writer, "--rows", str(args.rows)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        r = json.loads(out.strip().splitlines()[-1])
        print(
            f"{r['writer']:<11} {r['rows']:>7} {r['seconds']:>7} {r['cpu_seconds']:>6} "
            f"{r['peak_rss_mb']:>12} {r['growth_mb']:>10} {r['file_mb']:>8}"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
