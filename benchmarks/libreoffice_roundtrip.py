"""Does LibreOffice read a newsspider workbook without loss? (Not a CI test: LibreOffice is big.)

Converts the workbook with LibreOffice headless (``soffice --convert-to``: xlsx -> ods -> xlsx,
so every cell goes through LibreOffice's own model twice), reads the original and the result
with openpyxl and compares every sheet cell by cell: same sheets, same values, same types
(text stays text - a leading ``=`` included -, numbers numbers, datetimes datetimes, booleans
booleans). Prints one line per sheet; exit status 1 on any difference.

    apt-get install -y --no-install-recommends libreoffice-calc-nogui   # ~90 s, ~400 MB
    .venv/bin/python benchmarks/libreoffice_roundtrip.py exports/latest/newsspider.xlsx
    .venv/bin/python benchmarks/libreoffice_roundtrip.py exports/history/<site>/history.xlsx
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import openpyxl


def convert(source: Path, fmt: str, out_dir: Path, profile: Path) -> Path:
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        sys.exit(
            "libreoffice_roundtrip: no soffice on PATH; apt-get install libreoffice-calc-nogui"
        )
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation={profile.as_uri()}",
            "--headless",
            "--convert-to",
            fmt,
            "--outdir",
            str(out_dir),
            str(source),
        ],
        check=True,
        capture_output=True,
        timeout=600,
    )
    result = out_dir / f"{source.stem}.{fmt.split(':')[0]}"
    if not result.exists():
        sys.exit(f"libreoffice_roundtrip: LibreOffice wrote no {result.name}")
    return result


def same(a: Any, b: Any) -> bool:
    if isinstance(a, datetime) and isinstance(b, datetime):
        return abs(a - b) < timedelta(milliseconds=1)
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b or (a == b and type(a) is type(b))
    if isinstance(a, int | float) and isinstance(b, int | float):
        return abs(a - b) < 1e-9
    return bool(a == b and type(a) is type(b))


def links_kept(original: Path, converted: Path) -> list[str]:
    """Every ``=HYPERLINK(...)`` cell of the original is the same formula in the result."""
    left, right = openpyxl.load_workbook(original), openpyxl.load_workbook(converted)
    problems: list[str] = []
    for name in left.sheetnames:
        links = lost = 0
        for a_row, b_row in zip(left[name].iter_rows(), right[name].iter_rows(), strict=False):
            for a, b in zip(a_row, b_row, strict=False):
                if isinstance(a.value, str) and a.value.startswith("=HYPERLINK("):
                    links += 1
                    if b.value != a.value:
                        lost += 1
                        if lost <= 3:
                            problems.append(f"{name}!{a.coordinate}: {a.value!r} -> {b.value!r}")
        if links:
            print(f"{name:<22} {links:>7} links {lost:>9} lost")
    return problems


def compare(original: Path, converted: Path) -> list[str]:
    problems: list[str] = []
    # URL cells are =HYPERLINK("url") formulas with the URL cached: compare cached values, and
    # check below that every link is still that formula (clickable) after the round trip
    left = openpyxl.load_workbook(original, data_only=True)
    problems += links_kept(original, converted)
    # LibreOffice has no boolean cell type (a number formatted TRUE/FALSE) and writes booleans
    # to xlsx as the formulas TRUE()/FALSE() with the value cached: compare the cached values
    right = openpyxl.load_workbook(converted, data_only=True)
    if left.sheetnames != right.sheetnames:
        return [f"sheets differ: {left.sheetnames} vs {right.sheetnames}"]
    for name in left.sheetnames:
        a_rows = list(left[name].iter_rows(values_only=True))
        b_rows = list(right[name].iter_rows(values_only=True))
        cells = diffs = 0
        for r, (a_row, b_row) in enumerate(zip(a_rows, b_rows, strict=False), start=1):
            width = max(len(a_row), len(b_row))
            a_row = tuple(a_row) + (None,) * (width - len(a_row))
            b_row = tuple(b_row) + (None,) * (width - len(b_row))
            for c, (a, b) in enumerate(zip(a_row, b_row, strict=True), start=1):
                cells += a is not None
                if not same(a, b):
                    diffs += 1
                    if diffs <= 5:
                        problems.append(
                            f"{name}!R{r}C{c}: {a!r} ({type(a).__name__}) became "
                            f"{b!r} ({type(b).__name__})"
                        )
        if len(a_rows) != len(b_rows):
            problems.append(f"{name}: {len(a_rows)} rows became {len(b_rows)}")
        print(f"{name:<22} {len(a_rows) - 1:>7} rows {cells:>9} cells  {diffs} differences")
    return problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("workbook", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        ods = convert(args.workbook, "ods", work / "ods", work / "profile")
        back = convert(ods, "xlsx:Calc MS Excel 2007 XML", work / "xlsx", work / "profile")
        problems = compare(args.workbook, back)
    for line in problems:
        print(line)
    print("lossless" if not problems else f"{len(problems)} problems")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
