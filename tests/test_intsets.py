"""The compact int set/map of the discovery registry and the dedupe pipeline behave as the
``set[int]`` / ``dict[int, int]`` they replace (checked against them, keys of every shape),
and hold a key in a fraction of the memory (tracemalloc, not time)."""

from __future__ import annotations

import random
import tracemalloc

import pytest

from newsspider.intsets import IntMap, IntSet


def keys() -> list[int]:
    rng = random.Random(14)
    sequential = list(range(0, 5_000))
    strided = [n * 1024 for n in range(3_000)]  # same low bits: would pile on one slot
    hashes = [hash(("article_url", f"https://news.example/a/{n}")) for n in range(5_000)]
    edges = [2**63 - 1, -(2**63), 2**64 + 5, -(2**70), 10**30]  # the last three: hashed
    wide = [rng.getrandbits(64) - 2**63 for _ in range(5_000)]
    return [*sequential, *strided, *hashes, *edges, *wide, *sequential[:100]]


def test_int_set_matches_a_set() -> None:
    compact, reference = IntSet(), set()
    for key in keys():
        assert (key in compact) == (key in reference)
        compact.add(key)
        reference.add(key)
        assert key in compact
        assert len(compact) == len(reference)
    assert 5_000 not in IntSet() and "a" not in compact and 0 in compact
    missing = [k for k in range(-2_000, 0)] + [2**62 + n for n in range(2_000)]
    assert not any(k in compact for k in missing if k not in reference)


def test_int_map_matches_a_dict() -> None:
    compact, reference = IntMap(), {}
    rng = random.Random(5)
    for key in keys():
        assert compact.get(key) == reference.get(key)
        value = (reference.get(key) or 0) | (1 << rng.randrange(3))
        compact[key] = value
        reference[key] = value
        assert len(compact) == len(reference)
    assert all(compact.get(k) == v for k, v in reference.items())
    assert sorted(compact.values()) == sorted(reference.values())
    assert compact.get(-1, 7) == (reference.get(-1, 7))
    with pytest.raises(ValueError, match="0-255"):
        compact[1] = 256


def test_a_key_costs_a_fraction_of_a_set_or_dict() -> None:
    n = 10_000
    values = [hash(("article_url", f"https://news.example/a/{i}")) for i in range(n)]

    def traced(build: object) -> int:
        tracemalloc.start()
        held = build()  # type: ignore[operator]
        size = tracemalloc.get_traced_memory()[0]
        tracemalloc.stop()
        assert len(held) == n
        return size

    def as_set() -> set[int]:
        return {v + 1 for v in values}  # new int objects, as the crawl makes them

    def as_intset() -> IntSet:
        s = IntSet()
        s.update(v + 1 for v in values)
        return s

    def as_dict() -> dict[int, int]:
        return {v + 1: 1 for v in values}

    def as_intmap() -> IntMap:
        m = IntMap()
        for v in values:
            m[v + 1] = 1
        return m

    assert traced(as_intset) * 2 < traced(as_set)
    assert traced(as_intmap) * 2 < traced(as_dict)
    assert traced(as_intset) < 25 * n  # bytes per key, at the worst point after a doubling


def test_add_new_says_whether_the_key_was_there() -> None:
    compact, reference = IntSet(), set()
    for key in keys():
        assert compact.add_new(key) == (key not in reference)
        reference.add(key)
    assert len(compact) == len(reference)
    assert not compact.add_new(0) and not compact.add_new(2**64 + 5)
