"""schema.json: columns and types of every table, derived from the item dataclasses."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from newsspider.feeds import EXPORT_FILES
from newsspider.items import Reject, field_names
from newsspider.schema import SCHEMA_FILE, column_schema, run_schema, write_schema


@pytest.mark.parametrize(("stem", "item_class"), [*EXPORT_FILES.items(), ("rejects", Reject)])
def test_every_table_has_its_dataclass_columns_in_order(stem: str, item_class: type) -> None:
    table = run_schema()["tables"][stem]
    assert table["item_class"] == item_class.__name__
    assert [c["name"] for c in table["columns"]] == field_names(item_class)
    assert all(c.get("description") for c in table["columns"])


def test_types_formats_and_pandas_dtypes() -> None:
    columns = {c["name"]: c for c in run_schema()["tables"]["articles"]["columns"]}
    assert columns["word_count"]["type"] == "integer"
    assert columns["word_count"]["pandas_dtype"] == "Int64"
    assert columns["is_paywalled"]["type"] == "boolean"
    assert columns["published_at"]["format"] == "date-time"
    assert columns["authors"] == {**columns["authors"], "type": "array", "items": "string"}
    assert columns["url"]["format"] == "uri"
    assert columns["headline"]["type"] == "string"
    front = {c["name"]: c for c in run_schema()["tables"]["front_page"]["columns"]}
    assert front["page_date"]["format"] == "date"
    assert front["position_on_page"]["type"] == "integer"


def test_a_new_field_appears_without_code_changes() -> None:
    @dataclass
    class WithStandfirst:
        headline: str | None = None  # the title
        standfirst: str | None = None  # the paragraph under the headline
        score: float | None = None  # a number
        labels: list[str] = field(default_factory=list)  # tags

    columns = column_schema(WithStandfirst)
    assert [(c["name"], c["type"]) for c in columns] == [
        ("headline", "string"),
        ("standfirst", "string"),
        ("score", "number"),
        ("labels", "array"),
    ]
    assert columns[1]["description"] == "the paragraph under the headline"


def test_write_schema(tmp_path: Path) -> None:
    path = write_schema(tmp_path)
    assert path.name == SCHEMA_FILE
    assert json.loads(path.read_text(encoding="utf-8")) == run_schema()
    assert not list(tmp_path.glob("*.part"))


@pytest.mark.parametrize("item_class", [*EXPORT_FILES.values(), Reject])
def test_the_class_body_scan_gives_the_lines_inspect_gives(item_class: type) -> None:
    """schema._class_lines scans the module's source instead of inspect.getsource (which
    tokenizes and walks the whole module per class): the same body lines, so the same
    descriptions."""
    import inspect

    from newsspider.schema import _class_lines

    source = inspect.getsource(item_class).splitlines()
    body = source[next(n for n, line in enumerate(source) if line.startswith("class ")) :]
    assert _class_lines(item_class) == body
