"""Counting the records of the run's JSONL and CSV files in one pass over their bytes.

The manifest's row counts (newsspider/extensions.py ``file_entry``) are taken from the same
chunks as each file's SHA-256, at C speed (``bytes.find`` is memchr); the history's
``articles_latest`` finds the run's own CSV records with the same rule
(newsspider/history.py ``RunArticles``).
"""

from __future__ import annotations

from array import array


class JsonlRowCounter:
    """Non-blank lines of a JSONL file fed in chunks, where every line is a JSON object.

    Finds each line end (``bytes.find``: memchr, about ten times the speed of iterating the
    lines) and looks at the byte after it: when every line starts with ``{``, no line is blank
    and the rows are the lines. ``rows()`` is None otherwise (a blank or foreign line):
    :func:`newsspider.extensions.count_rows` then reads the file."""

    def __init__(self) -> None:
        self.ends = 0  # b"\n"
        self.objects = 0  # lines starting with "{"
        self.first = True
        self.last = b""

    def update(self, chunk: bytes) -> None:
        if not chunk:
            return
        if self.first or self.last == b"\n":
            self.objects += chunk[:1] == b"{"
        self.first = False
        ends = objects = 0
        find = chunk.find
        i = find(b"\n")
        while i >= 0:
            ends += 1
            objects += chunk[i + 1 : i + 2] == b"{"  # at the chunk's end: the next update
            i = find(b"\n", i + 1)
        self.ends += ends
        self.objects += objects
        self.last = chunk[-1:]

    def rows(self) -> int | None:
        if self.first:
            return 0
        lines = self.ends + (self.last != b"\n")
        return lines if self.objects == lines else None


class CsvRecordCounter:
    """Records of a CSV file with every cell quoted (the exporters' and csv.writer's
    ``QUOTE_ALL``), fed in chunks, minus the header.

    A ``\\r\\n`` after an even number of ``"`` ends a record (a doubled ``""`` in a cell flips
    the parity twice): the one home of that rule; :func:`newsspider.feeds.record_ends` cuts a
    resumed file with it.
    A last record without one counts too, as csv.reader does. Each ``\\r`` is found with
    ``bytes.find`` (memchr) and the quotes before it counted in C. ``rows()`` is None when the
    file does not end outside quotes (not such a file, or torn):
    :func:`newsspider.extensions.count_rows` then parses it.

    ``ends``: an array the offset just past each record end is appended to (the history's
    ``articles_latest`` finds the run's CSV records with it)."""

    def __init__(self, ends: array[int] | None = None) -> None:
        self.ends = ends
        self.offset = 0  # of the chunk in the file
        self.records = 0
        self.odd = False  # an odd number of '"' so far: inside a quoted cell
        self.tail = False  # bytes after the last record end
        self.cr = False  # the last chunk ended with "\r"

    def update(self, chunk: bytes) -> None:
        if not chunk:
            return
        start = 0
        if self.cr:
            self.cr = False
            if chunk[:1] == b"\n":  # a record end cut in two by the chunks
                if not self.odd:
                    self.records += 1
                    self.tail = False
                    if self.ends is not None:
                        self.ends.append(self.offset + 1)
                start = 1
        odd, records, pos, size = self.odd, self.records, start, len(chunk)
        count, find, ends = chunk.count, chunk.find, self.ends
        tail_from = -1  # where the bytes after this chunk's last record end begin
        i = find(b"\r", start)
        while i >= 0:
            if count(b'"', pos, i) & 1:
                odd = not odd
            pos = i
            if i + 1 == size:
                self.cr = True  # its "\n" may begin the next chunk
                break
            if chunk[i + 1] == 0x0A and not odd:
                records += 1
                tail_from = i + 2
                if ends is not None:
                    ends.append(self.offset + i + 2)
            i = find(b"\r", i + 1)
        if count(b'"', pos) & 1:
            odd = not odd
        self.tail = tail_from < size if tail_from >= 0 else (self.tail or start < size)
        self.odd, self.records = odd, records
        self.offset += size

    def rows(self) -> int | None:
        if self.odd:
            return None
        return max(self.records + self.tail - 1, 0)
