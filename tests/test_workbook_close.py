"""The workbooks' close (the end of a run): the sheet rows copied as bytes, large members
deflated by two threads. Same sheet XML, a zip every reader opens, the same cells."""

from __future__ import annotations

import io
import os
import random
import zipfile
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from xlsxwriter.worksheet import Worksheet

import newsspider.workbook as workbook
from newsspider.workbook import FastTextWorksheet, new_workbook

TEXTS = [
    "Ünïcödé – “quotes” 日本語 🎉 " * 300,
    'xml & < > " specials',
    "ctrl\x01char",
    "word " * 6000,
]


class Unseekable(io.RawIOBase):
    """Write-only, no tell/seek: as the feeds' ``.part`` files (zipfile then writes a data
    descriptor after each member instead of going back to its header)."""

    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, b: Any) -> int:
        self.data += bytes(b)
        return len(b)


def build(target: Any, rows: int = 300) -> None:
    book = new_workbook(target, compresslevel=1)
    sheet = book.add_worksheet("articles", worksheet_class=FastTextWorksheet)
    for row in range(rows):
        sheet.write_string(row, 0, TEXTS[row % len(TEXTS)] + str(row))
        sheet.write_number(row, 1, row)
    book.close()


def sheet_xml(data: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None  # every member inflates to its CRC
        return archive.read("xl/worksheets/sheet1.xml")


def test_rows_are_copied_as_bytes_not_through_xlsxwriters_text_copy(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def slow(self: Worksheet, target: io.BytesIO) -> None:
        book = new_workbook(target)
        sheet = book.add_worksheet("t", worksheet_class=self)
        for row, text in enumerate(TEXTS * 3):
            sheet.write_string(row, 0, text)
        book.close()

    reference = io.BytesIO()
    slow(Worksheet, reference)  # type: ignore[arg-type]

    def refuse(self: Worksheet) -> None:
        raise AssertionError("XlsxWriter's text copy was used")

    monkeypatch.setattr(Worksheet, "_write_optimized_sheet_data", refuse)
    fast = io.BytesIO()
    slow(FastTextWorksheet, fast)  # type: ignore[arg-type]
    assert sheet_xml(fast.getvalue()) == sheet_xml(reference.getvalue())


@pytest.mark.parametrize("block", [1000, 4096, 65536])
@pytest.mark.parametrize("seekable", [True, False])
def test_large_members_deflated_on_two_threads_read_back_the_same(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, block: int, seekable: bool
) -> None:
    serial = io.BytesIO()
    build(serial)
    expected = sheet_xml(serial.getvalue())
    assert len(expected) > 200_000
    calls: list[int] = []
    real = workbook._deflate_block

    def counted(data: bytes, level: int, last: bool) -> bytes:
        calls.append(len(data))
        return real(data, level, last)

    monkeypatch.setattr(workbook, "PARALLEL_DEFLATE_MIN", 100_000)
    monkeypatch.setattr(workbook, "DEFLATE_BLOCK", block)
    monkeypatch.setattr(workbook, "_deflate_block", counted)
    if seekable:
        path = tmp_path / "b.xlsx"
        build(path)
        data = path.read_bytes()
    else:
        target = Unseekable()
        build(target)
        data = bytes(target.data)
    assert sheet_xml(data) == expected
    assert sum(calls) == len(expected) and len(calls) == -(-len(expected) // block)
    # and a reader of workbooks gets the cells
    sheet = load_workbook(io.BytesIO(data), read_only=True)["articles"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[7] == (TEXTS[3] + "7", 7)
    assert len(rows) == 300


@pytest.mark.parametrize("size", [0, 1, 4095, 4096, 4097, 3 * 4096, 50_000])
def test_joined_blocks_are_one_deflate_stream(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, size: int
) -> None:
    """Any size against the block size, incompressible data too."""
    rng = random.Random(size)
    data = bytes(rng.getrandbits(8) for _ in range(size // 2)) + b"abc" * (size // 6)
    source = tmp_path / "member.bin"
    source.write_bytes(data)
    monkeypatch.setattr(workbook, "PARALLEL_DEFLATE_MIN", 0)
    monkeypatch.setattr(workbook, "DEFLATE_BLOCK", 4096)
    leveled = type("Z", (workbook._LeveledZipFile,), {"compresslevel_default": 1})
    target = tmp_path / "z.zip"
    with leveled(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.write(source, "member.bin")
    with zipfile.ZipFile(target) as archive:
        assert archive.testzip() is None
        assert archive.read("member.bin") == data
    assert os.path.getsize(target) > 0
