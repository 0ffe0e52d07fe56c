"""A set of ints and an int -> small-int map in ~12-24 bytes per key instead of ~60-100.

The ``site`` spider's discovery registry (article key -> channel bitmask) and the dedupe
pipeline's seen keys (``hash()`` of each item key) hold one entry per article of the site: as
a ``dict``/``set`` of Python ints that is ~100 and ~60 bytes per key (the int object and the
table slot), 14 MB at 50,000 articles, most of the peak-RSS growth with the site size once the
workbook's links were gone (docs/BENCHMARKS.md "Memory"). Here keys are 64-bit values in an
``array('q')`` with open addressing (multiply-shift start, linear probing, at most 2/3 full);
the map's values are bytes in a ``bytearray`` beside it.

A key outside the signed 64-bit range is stored as a ``hash()`` of it (which is in it): like the
``hash()`` of the item keys themselves, two such keys can collide with a chance of ~10^-8
among 10^6 keys, which a per-run dedupe accepts.
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator

_MIN_CAPACITY = 1024
_LOW, _HIGH = -(2**63), 2**63 - 1
_EMPTY = 0  # a free slot; the key 0 itself is kept apart
# multiply-shift: the first slot comes from the product's middle bits, so keys that differ only
# in their high bits (ids that are multiples of 1024 …) don't all start at the same slot
_MIX = 0x9E3779B97F4A7C15
_SHIFT = 29


def _fit(key: int) -> int:
    # hash((key,)), not hash(key): an int's own hash is key mod 2**61-1, so 2**64 + 5 would be
    # the key 13
    return key if _LOW <= key <= _HIGH else hash((key,))


class IntSet:
    """``add`` / ``in`` / ``len`` / ``update`` of a ``set[int]``, ~12-24 bytes per key; plus
    ``add_new``, which also says whether the key is new."""

    def __init__(self) -> None:
        self._slots = array("q", bytes(8 * _MIN_CAPACITY))
        self._mask = _MIN_CAPACITY - 1
        self._used = 0  # keys in _slots (the key 0 is not)
        self._zero = False

    def __len__(self) -> int:
        return self._used + self._zero

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, int):
            return False
        key = _fit(key)
        if key == _EMPTY:
            return self._zero
        slots, mask = self._slots, self._mask
        i = ((key * _MIX) >> _SHIFT) & mask
        while True:
            value = slots[i]
            if value == key:
                return True
            if value == _EMPTY:
                return False
            i = (i + 1) & mask

    def add(self, key: int) -> None:
        self.add_new(key)

    def add_new(self, key: int) -> bool:
        """Add ``key``; True when it was not there yet (one probe for "seen? then add")."""
        key = _fit(key)
        if key == _EMPTY:
            new = not self._zero
            self._zero = True
            return new
        slots, mask = self._slots, self._mask
        i = ((key * _MIX) >> _SHIFT) & mask
        while True:
            value = slots[i]
            if value == key:
                return False
            if value == _EMPTY:
                slots[i] = key
                self._used += 1
                if self._used * 3 > len(slots) * 2:
                    self._grow()
                return True
            i = (i + 1) & mask

    def update(self, keys: Iterable[int]) -> None:
        for key in keys:
            self.add(key)

    def _grow(self) -> None:
        old = self._slots
        self._slots = array("q", bytes(16 * len(old)))
        self._mask = 2 * len(old) - 1
        self._used = 0
        for key in old:
            if key != _EMPTY:
                self.add(key)


class IntMap:
    """``get`` / ``[key] = value`` / ``len`` / ``values`` of a ``dict[int, int]`` whose values
    are 0-255 (a few flag bits), ~13-27 bytes per key."""

    def __init__(self) -> None:
        self._keys = array("q", bytes(8 * _MIN_CAPACITY))
        self._values = bytearray(_MIN_CAPACITY)
        self._mask = _MIN_CAPACITY - 1
        self._used = 0
        self._zero: int | None = None  # the value of the key 0

    def __len__(self) -> int:
        return self._used + (self._zero is not None)

    def get(self, key: int, default: int | None = None) -> int | None:
        key = _fit(key)
        if key == _EMPTY:
            return default if self._zero is None else self._zero
        keys, mask = self._keys, self._mask
        i = ((key * _MIX) >> _SHIFT) & mask
        while True:
            value = keys[i]
            if value == key:
                return self._values[i]
            if value == _EMPTY:
                return default
            i = (i + 1) & mask

    def __setitem__(self, key: int, value: int) -> None:
        if not 0 <= value <= 255:
            raise ValueError(f"IntMap values are 0-255, not {value}")
        key = _fit(key)
        if key == _EMPTY:
            self._zero = value
            return
        keys, mask = self._keys, self._mask
        i = ((key * _MIX) >> _SHIFT) & mask
        while True:
            found = keys[i]
            if found == key:
                self._values[i] = value
                return
            if found == _EMPTY:
                keys[i] = key
                self._values[i] = value
                self._used += 1
                if self._used * 3 > len(keys) * 2:
                    self._grow()
                return
            i = (i + 1) & mask

    def values(self) -> Iterator[int]:
        if self._zero is not None:
            yield self._zero
        for key, value in zip(self._keys, self._values, strict=True):
            if key != _EMPTY:
                yield value

    def _grow(self) -> None:
        old_keys, old_values = self._keys, self._values
        self._keys = array("q", bytes(16 * len(old_keys)))
        self._values = bytearray(2 * len(old_values))
        self._mask = 2 * len(old_keys) - 1
        self._used = 0
        for key, value in zip(old_keys, old_values, strict=True):
            if key != _EMPTY:
                self[key] = value
