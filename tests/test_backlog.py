"""The site spider's compressed URL backlog (newsspider/backlog.py): a FIFO like a deque."""

from __future__ import annotations

import sys
from collections import deque

import pytest
from hypothesis import given
from hypothesis import strategies as st

from newsspider.backlog import BLOCK, UrlBacklog

urls = st.text(alphabet=st.characters(blacklist_characters="\n"), max_size=40)


@given(st.lists(st.one_of(urls, st.none()), max_size=3 * BLOCK + 50))
def test_same_order_as_a_deque(ops: list[str | None]) -> None:
    # a string is an append, None a popleft (when not empty)
    backlog, reference = UrlBacklog(), deque[str]()
    for op in ops:
        if op is None:
            if reference:
                assert backlog.popleft() == reference.popleft()
        else:
            backlog.append(op)
            reference.append(op)
        assert len(backlog) == len(reference) and bool(backlog) == bool(reference)
    assert [backlog.popleft() for _ in range(len(backlog))] == list(reference)
    with pytest.raises(IndexError):
        backlog.popleft()


def test_many_urls_in_a_little_memory() -> None:
    backlog = UrlBacklog()
    n = 20 * BLOCK
    for i in range(n):
        backlog.append(f"https://news.example.com/politics/2026/02/21/story-{i}-some-words")
    held = sum(len(block) for block in backlog._blocks) + sum(
        sys.getsizeof(url) for url in backlog._tail
    )
    assert held / n < 20  # bytes per URL (a str alone is ~110)
    backlog.popleft()
    backlog.clear()
    assert not backlog and len(backlog) == 0


def test_a_newline_is_refused_in_one_line() -> None:
    with pytest.raises(ValueError, match="newline"):
        UrlBacklog().append("https://a.example/x\ny")
