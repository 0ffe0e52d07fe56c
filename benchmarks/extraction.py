"""Benchmark the generic article extractor against trafilatura, readability-lxml, newspaper4k.

Usage (from the repo root)::

    python benchmarks/extraction.py [--limit N] [--only ours,trafilatura] [--split even|odd|all]
                                    [--dataset PATH] [--json out.json]
                                    [--degrade old|semantic,br,names,nometa,upper,cp1252]

The dataset is the WCXB dev split (article pages) whose README defines the metrics:

* body: word 4-gram shingle multisets (tokens = ``\\w+``), per page tp/fp/fn normalised by their
  sum, precision = mean over pages with tp+fp > 0, recall = mean over pages with tp+fn > 0,
  F1 = harmonic mean of the two means;
* title / author exact: whitespace folded, case-folded; authors split on , ; | & and "and",
  compared as a set of names;
* date: the YYYY-MM-DD part.

``--degrade`` rewrites every page the way 2008-era sites were built (``benchmarks/degrade.py``:
tables for HTML5 containers, ``<br><br>`` paragraphs in a ``<font>``, no article/content/story
class names, no JSON-LD or meta, upper-case tags, undeclared windows-1252 bytes); the text and
the ground truth stay the same. "empty" counts pages whose body has no word.

Title/date/author are scored over pages whose ground truth has a value (a missing prediction
counts as wrong). Every extractor runs single-process, sequentially, on the same pages; the
timing covers decoding, parsing and metadata extraction.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

DEFAULT_DATASET = REPO.parent / "shared" / "datasets" / "wcxb-dev-articles"

Result = dict[str, Any]
Extractor = Callable[[str | bytes, str], Result]

_TOKEN = re.compile(r"\w+")
_AUTHOR_SPLIT = re.compile(r"\s*(?:[,;|&]|\band\b)\s*", re.IGNORECASE)


def shingles(text: str | None) -> Counter[tuple[str, ...]]:
    tokens = _TOKEN.findall(text or "")
    if not tokens:
        return Counter()
    if len(tokens) < 4:
        return Counter([tuple(tokens)])
    return Counter(tuple(tokens[i : i + 4]) for i in range(len(tokens) - 3))


def body_counts(pred: str | None, truth: str | None) -> tuple[float, float, float]:
    p, t = shingles(pred), shingles(truth)
    tp = sum((p & t).values())
    fp = sum(p.values()) - tp
    fn = sum(t.values()) - tp
    total = tp + fp + fn
    if total == 0:
        return 0.0, 0.0, 0.0
    return tp / total, fp / total, fn / total


def fold(s: str | None) -> str:
    return " ".join((s or "").split()).casefold()


def author_set(s: str | list[str] | None) -> frozenset[str]:
    if s is None:
        return frozenset()
    if isinstance(s, list):
        s = ", ".join(s)
    return frozenset(p for p in (fold(x) for x in _AUTHOR_SPLIT.split(s)) if p)


# --------------------------------------------------------------------------- extractors


def ours() -> Extractor:
    from newsspider.extract import extract_article

    def run(html: str | bytes, url: str) -> Result:
        r = extract_article(html, url)
        return {
            "body": r["body"],
            "title": r["headline"],
            "date": r["published_at"],
            "author": r["authors"],
        }

    return run


def trafilatura_ex() -> Extractor:
    import trafilatura

    def run(html: str | bytes, url: str) -> Result:
        doc = trafilatura.bare_extraction(html, url=url, with_metadata=True)
        if doc is None:
            return {}
        d = doc.as_dict() if hasattr(doc, "as_dict") else dict(doc)
        return {
            "body": d.get("text"),
            "title": d.get("title"),
            "date": d.get("date"),
            "author": d.get("author"),
        }

    return run


def readability_ex() -> Extractor:
    import lxml.html
    from readability import Document

    def run(html: str | bytes, url: str) -> Result:
        doc = Document(html, url=url)
        summary = doc.summary(html_partial=True)
        text = "\n\n".join(t.strip() for t in lxml.html.fromstring(summary).itertext() if t.strip())
        return {"body": text, "title": doc.short_title()}

    return run


def newspaper_ex() -> Extractor:
    import newspaper

    def run(html: str | bytes, url: str) -> Result:
        if isinstance(html, bytes):  # newspaper4k takes text only: decode as a browser would
            from w3lib.encoding import html_to_unicode

            html = html_to_unicode(None, html)[1]
        art = newspaper.Article(url, fetch_images=False)
        art.download(input_html=html)
        art.parse()
        date = art.publish_date.isoformat() if art.publish_date else None
        return {
            "body": art.text,
            "title": art.title,
            "date": date,
            "author": list(art.authors),
        }

    return run


EXTRACTORS: dict[str, Callable[[], Extractor]] = {
    "ours": ours,
    "trafilatura": trafilatura_ex,
    "readability": readability_ex,
    "newspaper4k": newspaper_ex,
}


def version_of(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    dist = {
        "ours": "newsspider",
        "trafilatura": "trafilatura",
        "readability": "readability-lxml",
        "newspaper4k": "newspaper4k",
    }[name]
    try:
        return version(dist)
    except PackageNotFoundError:
        return "(repo)" if name == "ours" else "?"


# --------------------------------------------------------------------------- scoring


def score(
    name: str,
    make: Callable[[], Extractor],
    pages: list[tuple[str, str | bytes, dict[str, Any]]],
) -> dict[str, Any]:
    row: dict[str, Any] = {"extractor": f"{name} {version_of(name)}"}
    try:
        fn = make()
    except Exception as exc:  # a peer that fails to import must not crash the run
        row["error"] = f"import failed: {type(exc).__name__}: {exc}"
        return row
    sum_tp_fp: list[float] = []
    prec: list[float] = []
    rec: list[float] = []
    title_ok = title_n = date_ok = date_n = auth_ok = auth_n = 0
    times: list[float] = []
    errors = empty = 0
    per_page: dict[str, Any] = {}
    for pid, html, truth in pages:
        t0 = time.perf_counter()
        try:
            res = fn(html, truth["url"])
        except Exception:
            res = {}
            errors += 1
        times.append((time.perf_counter() - t0) * 1000)
        tp, fp, fn_ = body_counts(res.get("body"), truth.get("articleBody"))
        empty += not _TOKEN.search(res.get("body") or "")
        if tp + fp > 0:
            prec.append(tp / (tp + fp))
        if tp + fn_ > 0:
            rec.append(tp / (tp + fn_))
        sum_tp_fp.append(tp)
        page: dict[str, Any] = {"body_tp": round(tp, 4), "fp": round(fp, 4), "fn": round(fn_, 4)}
        if truth.get("title"):
            title_n += 1
            ok = fold(res.get("title")) == fold(truth["title"])
            title_ok += ok
            page["title"] = ok
        if truth.get("publish_date"):
            date_n += 1
            ok = str(res.get("date") or "")[:10] == truth["publish_date"][:10]
            date_ok += ok
            page["date"] = ok
        if truth.get("author"):
            auth_n += 1
            ok = author_set(res.get("author")) == author_set(truth["author"])
            auth_ok += ok
            page["author"] = ok
        per_page[pid] = page
    p = statistics.fmean(prec) if prec else 0.0
    r = statistics.fmean(rec) if rec else 0.0
    row.update(
        body_p=p,
        body_r=r,
        body_f1=2 * p * r / (p + r) if p + r else 0.0,
        title=title_ok / title_n if title_n else None,
        date=date_ok / date_n if date_n else None,
        author=auth_ok / auth_n if auth_n else None,
        median_ms=statistics.median(times) if times else None,
        pages=len(pages),
        errors=errors,
        empty=empty,
        per_page=per_page,
    )
    if name in ("readability",):
        row["date"] = row["author"] = None
    return row


def fmt(v: Any) -> str:
    if v is None:
        return "—"
    return f"{v:.3f}"


def table(rows: list[dict[str, Any]]) -> str:
    out = [
        "| extractor | body P | body R | body F1 | title exact | date exact | author exact "
        "| empty | median ms/page |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for row in rows:
        if "error" in row:
            out.append(f"| {row['extractor']} | {row['error']} | | | | | | | |")
            continue
        out.append(
            f"| {row['extractor']} | {fmt(row['body_p'])} | {fmt(row['body_r'])} "
            f"| {fmt(row['body_f1'])} | {fmt(row['title'])} | {fmt(row['date'])} "
            f"| {fmt(row['author'])} | {row['empty']} | {row['median_ms']:.1f} |"
        )
    by = {r["extractor"].split()[0]: r for r in rows if "error" not in r}
    if "ours" in by and "trafilatura" in by:
        ratio = by["ours"]["median_ms"] / by["trafilatura"]["median_ms"]
        out.append("")
        out.append(f"ours / trafilatura median time: {ratio:.2f}")
    for peer in ("readability", "newspaper4k"):
        if "ours" in by and peer in by:
            ratio = by["ours"]["median_ms"] / by[peer]["median_ms"]
            out.append(f"ours / {peer} median time: {ratio:.2f}")
    return "\n".join(out)


def load_pages(
    dataset: Path, limit: int | None, split: str, degrade: str | None = None
) -> list[tuple[str, str | bytes, Any]]:
    kinds = None
    if degrade:
        from benchmarks.degrade import degrade as rewrite
        from benchmarks.degrade import parse_kinds

        kinds = parse_kinds(degrade)
    gt = json.loads((dataset / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for pid in sorted(gt):
        num = int(re.sub(r"\D", "", pid) or 0)
        if split == "even" and num % 2:
            continue
        if split == "odd" and not num % 2:
            continue
        path = dataset / "html" / f"{pid}.html.gz"
        html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        page: str | bytes = html if kinds is None else rewrite(html, kinds)
        pages.append((pid, page, gt[pid]))
        if limit and len(pages) >= limit:
            break
    return pages


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    ap.add_argument("--dataset", type=Path, default=DEFAULT_DATASET)
    ap.add_argument("--limit", type=int, default=None)
    ap.add_argument("--only", default=None, help="comma list of: " + ",".join(EXTRACTORS))
    ap.add_argument("--split", choices=["all", "even", "odd"], default="all")
    ap.add_argument("--json", type=Path, default=None, help="write rows (with per-page) here")
    ap.add_argument(
        "--degrade",
        default=None,
        help="rewrite pages as 2008-era markup: old (all) or a comma list of "
        "roundtrip,semantic,br,names,nometa,upper,cp1252 (benchmarks/degrade.py)",
    )
    args = ap.parse_args(argv)
    names = list(EXTRACTORS) if not args.only else [n.strip() for n in args.only.split(",")]
    for n in names:
        if n not in EXTRACTORS:
            ap.error(f"unknown extractor {n!r}")
    try:
        pages = load_pages(args.dataset, args.limit, args.split, args.degrade)
    except ValueError as exc:
        ap.error(str(exc))
    degraded = f", degrade={args.degrade}" if args.degrade else ""
    print(f"{len(pages)} pages from {args.dataset} (split={args.split}{degraded})", file=sys.stderr)
    rows = []
    for n in names:
        row = score(n, EXTRACTORS[n], pages)
        rows.append(row)
        print(f"done {n}", file=sys.stderr)
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
