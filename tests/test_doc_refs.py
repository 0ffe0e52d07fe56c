"""References to the benchmark docs' sections stay true: code, tests and docs cite a measurement
as ``docs/benchmarks/log.md "Session 9 (perf-end)"``, and that quoted name must begin a heading
of the file named last before it in the same paragraph. Over 200 such references point into the
two files, and the log's sections moved once already (session 12): this catches the next move.

Inside the two docs, a quoted name with no file named before it refers to the file it is in
(in docs/BENCHMARKS.md also to the log, as its targets table says).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BENCH = Path("docs/BENCHMARKS.md")
LOG = Path("docs/benchmarks/log.md")
SUFFIXES = {".py", ".md", ".sh", ".toml", ".cfg"}
SCRIPTS = {"scripts/demo", "scripts/test", ".ci/run"}
SELF = "tests/test_doc_refs.py"

PATH_RE = re.compile(r"(?:\.\./)?(?:docs/)?(?:benchmarks/log\.md|[A-Z_]+\.md)")
NAME_RE = re.compile(r'(?="([^"\n]{4,160})")')  # at every quote, so pairs can't go astray
# a quoted phrase is taken for a section name when it begins a heading of either doc, or looks
# like one ("Session 9 (perf-end)", "Issue 12, session 6")
LOOKS = re.compile(r"(Session|Issue) \d+|Second core|Memory|Page kernel")
# in the log's text as it was first written (never a heading of the original file either)
KNOWN = {(str(LOG), "Page kernel")}


def headings(path: Path) -> list[str]:
    out, fence = [], False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("```"):
            fence = not fence
        elif not fence and re.match(r"#{1,6} ", line):
            out.append(line.lstrip("#").strip())
    return out


def fold(text: str) -> str:
    """Comment markers and line breaks folded; a blank line stays a paragraph break (``\\n``),
    and so does each table row."""
    lines = []
    for line in text.splitlines():
        line = re.sub(r"^(#+|--|//)\s?", "", line.strip()).strip()
        if line.startswith("|"):
            line = "\n " + line + " \n"
        lines.append(line if line else "\n")
    return " ".join(lines)


def tracked_files(root: Path) -> list[Path]:
    # new files too (not ignored): a run before the commit reads what CI will read after it
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=root,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    names = sorted(set(listed))
    return [
        root / name
        for name in names
        if (Path(name).suffix in SUFFIXES or name in SCRIPTS)
        and (root / name).is_file()
        and name != SELF  # its citations below are the checker's test inputs, broken on purpose
    ]


def resolve(root: Path, src: Path, token: str) -> Path | None:
    if token.endswith("benchmarks/log.md"):
        return root / LOG
    if token.endswith("BENCHMARKS.md"):
        return root / BENCH
    name = token.split("/")[-1]
    for candidate in (src.parent / token, root / token, root / "docs" / name, root / name):
        if candidate.is_file():
            return candidate.resolve()
    return None


def bad_references(root: Path, files: list[Path]) -> tuple[int, list[str]]:
    """(references checked, the bad ones as ``file: "name" -> target``)."""
    bench, log = (root / BENCH).resolve(), (root / LOG).resolve()
    heads = {bench: headings(bench), log: headings(log)}
    seen, bad = 0, []
    for path in files:
        path = path.resolve()
        text = fold(path.read_text(encoding="utf-8", errors="replace"))
        paths = [(m.start(), m.group(0)) for m in PATH_RE.finditer(text)]
        for match in NAME_RE.finditer(text):
            name = " ".join(match.group(1).split())
            begins = any(h.startswith(name) for hs in (heads[bench], heads[log]) for h in hs)
            if not (begins or LOOKS.match(name)):
                continue
            before = [
                tok
                for pos, tok in paths
                if pos < match.start() and "\n" not in text[pos : match.start()]
            ]
            if before:
                target = resolve(root, path, before[-1])
                if target is None:
                    continue
                if target not in heads:
                    heads[target] = headings(target)
            elif path in (bench, log):
                target = path
            else:
                continue  # a quoted phrase with no benchmarks doc named before it
            candidates = [target, log] if path == bench and not before else [target]
            seen += 1
            if any(h.startswith(name) for t in candidates for h in heads[t]):
                continue
            rel = str(path.relative_to(root.resolve()))
            if (rel, name) not in KNOWN:
                bad.append(f'{rel}: "{name}" -> {target.relative_to(root.resolve())}')
    return seen, bad


def test_every_cited_benchmark_section_exists() -> None:
    seen, bad = bad_references(ROOT, tracked_files(ROOT))
    assert seen > 100  # the references are found at all
    assert not bad, "cited sections that are no heading there (rename the citation):\n" + "\n".join(
        bad
    )


@pytest.mark.parametrize(
    ("citation", "broken"),
    [
        ('# measured in docs/benchmarks/log.md "Session 3 (perf-cpu)"', False),
        ('# measured in docs/benchmarks/log.md "Session 4 (perf-cpu)"', True),
        ('# see docs/BENCHMARKS.md "Targets at a glance"', False),
        ('# see docs/BENCHMARKS.md "Session 3 (perf-cpu)"', True),  # that one is in the log
    ],
)
def test_a_citation_of_a_missing_section_is_found(
    tmp_path: Path, citation: str, broken: bool
) -> None:
    (tmp_path / "docs/benchmarks").mkdir(parents=True)
    (tmp_path / BENCH).write_text("# Benchmarks\n\n## Targets at a glance\n", encoding="utf-8")
    (tmp_path / LOG).write_text(
        "# Log\n\n### Session 3 (perf-cpu): the hot path\n", encoding="utf-8"
    )
    code = tmp_path / "module.py"
    code.write_text(citation + "\n", encoding="utf-8")
    seen, bad = bad_references(tmp_path, [code])
    assert seen == 1
    assert bool(bad) is broken
