"""docs/DATA_DICTIONARY.md documents every column of every exported item class, in order."""

from __future__ import annotations

import re
from dataclasses import is_dataclass
from pathlib import Path

import pytest

import newsspider.items as items_module
from newsspider.feeds import EXPORT_FILES
from newsspider.items import Reject, field_names

DOC = Path(__file__).resolve().parent.parent / "docs" / "DATA_DICTIONARY.md"
ITEM_CLASSES = [*EXPORT_FILES.values(), Reject]


def documented_columns(class_name: str) -> list[str]:
    text = DOC.read_text(encoding="utf-8")
    match = re.search(rf"^## {class_name}\b.*?$(.*?)(?=^## |\Z)", text, re.S | re.M)
    assert match, f"no '## {class_name}' section in {DOC.name}"
    return re.findall(r"^\| `([a-z_]+)` \|", match.group(1), re.M)


@pytest.mark.parametrize("item_class", ITEM_CLASSES, ids=lambda c: c.__name__)
def test_every_field_documented_in_order(item_class: type) -> None:
    assert documented_columns(item_class.__name__) == field_names(item_class)


def test_every_item_class_is_exported_or_rejects() -> None:
    classes = {
        obj for obj in vars(items_module).values() if isinstance(obj, type) and is_dataclass(obj)
    }
    assert classes == set(ITEM_CLASSES)
