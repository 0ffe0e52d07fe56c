"""The one serialisation behind the crawl state's content hashes, the history tables' hashes
and the JSONL export lines.

:func:`dumps_sorted` gives the bytes of ``json.dumps(data, ensure_ascii=False, sort_keys=True,
separators=(",", ":"))`` and :func:`dumps_compact` those of the same without ``sort_keys``
(keys in the dict's order: a JSONL row's field order), made by orjson (~40x faster for a
25 KB article body) whenever orjson is certain to give the same bytes, by json otherwise:
hashes in existing state files stay valid and export lines are unchanged (tests/test_perf.py
and tests/test_perf_cpu.py check the equality on generated values).
"""

from __future__ import annotations

import json
from typing import Any

import orjson

_SCALARS = (str, int, bool, type(None))


def _plain(value: Any) -> bool:
    """A value orjson writes exactly as json does: str, int, bool, None, or a list/tuple of
    those (floats print differently, e.g. 1e+16 vs 1e16; anything else orjson may encode
    where json would raise)."""
    kind = type(value)
    if kind in _SCALARS:
        return True
    if kind is list or kind is tuple:
        return all(type(item) in _SCALARS for item in value)
    return False


def _plain_dict(data: Any) -> bool:
    return type(data) is dict and all(
        type(key) is str and _plain(value) for key, value in data.items()
    )


def dumps_compact(data: dict[str, Any]) -> bytes | None:
    """``json.dumps(data, ensure_ascii=False, separators=(",", ":"))`` as UTF-8 bytes when
    orjson gives exactly those (a flat dict of str/int/bool/None/lists of them, no lone
    surrogate); None otherwise: the caller then uses json with its own options."""
    if _plain_dict(data):
        try:
            return orjson.dumps(data)
        except TypeError:  # lone surrogates, ints beyond 64 bits
            return None
    return None


def dumps_sorted(data: Any) -> bytes:
    """``json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))`` as UTF-8
    bytes (the state's hash input). Raises as json does (TypeError, UnicodeEncodeError)."""
    plain = _plain_dict(data) if type(data) is dict else _plain(data)
    if plain:
        try:
            return orjson.dumps(data, option=orjson.OPT_SORT_KEYS)
        except TypeError:  # lone surrogates, ints beyond 64 bits: json decides (and raises)
            pass
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return text.encode("utf-8")
