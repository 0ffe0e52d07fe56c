"""``schema.json`` in every run folder: the columns and types of every table, from items.py.

An empty JSONL file carries no columns (``pandas.read_json(..., lines=True)`` gives a frame
with none), and CSV headers carry no types. The schema says, per table, which files hold it and
each column's name, JSON type, format, pandas dtype and description (the field's comment in
:mod:`newsspider.items`), so an empty or partial run loads with the right columns and types
(README, "Loading a run in pandas").
"""

from __future__ import annotations

import dataclasses
import inspect
import re
import types
import typing
from pathlib import Path
from typing import Any

from newsspider.feeds import EXPORT_FILES, REJECTS_FILE, WORKBOOK_FILE, write_text_atomic
from newsspider.items import URL_FIELDS, URL_LIST_FIELDS, Reject

SCHEMA_FILE = "schema.json"
SCHEMA_VERSION = 1
DATE_FIELDS = frozenset({"page_date"})
# JSON type -> pandas dtype (nullable extension types: a missing value stays missing)
PANDAS_DTYPES = {
    "string": "string",
    "integer": "Int64",
    "number": "Float64",
    "boolean": "boolean",
    "array": "object",
    "object": "object",
}
_COMMENT = re.compile(r"^\s+(\w+): [^=]+=.*?(?:#\s*(.*))?$")


def _json_type(annotation: Any) -> tuple[str, str | None]:
    """(JSON type, item type of an array) of a field annotation such as ``int | None``."""
    args = [a for a in typing.get_args(annotation) if a is not type(None)]
    origin = typing.get_origin(annotation)
    if origin in (typing.Union, types.UnionType) and len(args) == 1:
        return _json_type(args[0])
    if origin is list:
        return "array", _json_type(args[0])[0] if args else None
    if origin is dict or annotation is dict:
        return "object", None
    for python, name in ((bool, "boolean"), (int, "integer"), (float, "number")):
        if annotation is python:
            return name, None
    return "string", None


def _class_lines(item_class: type) -> list[str]:
    """The lines of ``item_class``'s body in its module's source, as ``inspect.getsource``
    gives them (without the decorators, which hold no field), found by a scan of the file:
    from ``class <name>`` to the last indented line before the next top-level statement.
    ``inspect.getsource`` tokenizes the module and walks its syntax tree for each class:
    ~0.1 s of every run's end for five classes."""
    import linecache
    import sys

    module = sys.modules[item_class.__module__]
    source = module.__file__ or ""
    lines = linecache.getlines(source, module.__dict__)
    head = re.compile(rf"class {re.escape(item_class.__qualname__)}\b")
    start = next((n for n, line in enumerate(lines) if head.match(line)), None)
    if start is None:  # not a top-level class of a source file
        return inspect.getsource(item_class).splitlines()
    end = start + 1
    for n in range(start + 1, len(lines)):
        line = lines[n]
        if line.strip() and not line.startswith("#") and not line[0].isspace():
            break
        if line.strip() and line[0].isspace():
            end = n + 1  # the last indented (body) line so far
    return [line.rstrip("\r\n") for line in lines[start:end]]


def _descriptions(item_class: type) -> dict[str, str]:
    """Each field's comment in items.py (on its line, or on the next for a wrapped field)."""
    out: dict[str, str] = {}
    lines = _class_lines(item_class)
    for n, line in enumerate(lines):
        match = _COMMENT.match(line)
        if match and match.group(1) not in out:
            comment = match.group(2)
            if comment is None and n + 1 < len(lines) and "#" in lines[n + 1]:
                comment = lines[n + 1].split("#", 1)[1].strip()
            if comment:
                out[match.group(1)] = comment.strip()
    return out


def column_schema(item_class: type) -> list[dict[str, Any]]:
    hints = typing.get_type_hints(item_class)
    notes = _descriptions(item_class)
    columns = []
    for f in dataclasses.fields(item_class):
        json_type, items = _json_type(hints[f.name])
        column: dict[str, Any] = {"name": f.name, "type": json_type}
        if items:
            column["items"] = items
        if f.name.endswith("_at") and json_type == "string":
            column["format"] = "date-time"
        elif f.name in DATE_FIELDS:
            column["format"] = "date"
        elif f.name in URL_FIELDS or f.name in URL_LIST_FIELDS:
            column["format"] = "uri"
        column["pandas_dtype"] = PANDAS_DTYPES[json_type]
        column["nullable"] = json_type not in ("array", "object")
        if f.name in notes:
            column["description"] = notes[f.name]
        columns.append(column)
    return columns


def run_schema() -> dict[str, Any]:
    """The schema of every table of a run folder."""
    tables: dict[str, Any] = {}
    for stem, item_class in EXPORT_FILES.items():
        tables[stem] = {
            "item_class": item_class.__name__,
            "files": [f"{stem}.jsonl", f"{stem}.csv", f"{WORKBOOK_FILE}#{stem}"],
            "csv_extra_columns": ["truncated_fields"],
            "columns": column_schema(item_class),
        }
    tables["rejects"] = {
        "item_class": Reject.__name__,
        "files": [REJECTS_FILE, f"{WORKBOOK_FILE}#rejects"],
        "columns": column_schema(Reject),
    }
    return {"schema_version": SCHEMA_VERSION, "tables": tables}


def write_schema(run_dir: Path) -> Path:
    import json

    path = run_dir / SCHEMA_FILE
    write_text_atomic(path, json.dumps(run_schema(), ensure_ascii=False, indent=2) + "\n")
    return path
