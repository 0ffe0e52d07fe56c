"""Suite hygiene: every test that starts a crawl is marked ``e2e``, so ``pytest -m "not e2e"``
stays a quick loop (read statically, with ast, so the check itself starts nothing); and a
child interpreter that fails says why."""

from __future__ import annotations

import ast
import textwrap
from pathlib import Path

import pytest

from tests.conftest import run_python

TESTS = Path(__file__).resolve().parent
# calls that start a crawl, in this process (``runner.crawl``) or in a child (``run_crawl``)
CRAWL_CALLS = {"run_crawl", "CrawlerProcess", "CrawlerRunner", "AsyncCrawlerRunner", "crawl"}
# a child process started with ``subprocess.X``, or with the conftest helper that runs code in a
# fresh interpreter, is a crawl when its code names one of these
CHILD_CALLS = {"run_python"}
CRAWL_WORDS = {"scrapy", "crawl", "scrapyd", "scrapyd-deploy", "newsspider.cli", "schedule"}


def _calls(node: ast.AST) -> set[str]:
    """Called names; ``subprocess.run(...)`` gives both ``run`` and ``subprocess.run``."""
    names = set()
    for call in ast.walk(node):
        if not isinstance(call, ast.Call):
            continue
        func = call.func
        if isinstance(func, ast.Attribute):
            names.add(func.attr)
            if isinstance(func.value, ast.Name):
                names.add(f"{func.value.id}.{func.attr}")
        elif isinstance(func, ast.Name):
            names.add(func.id)
    return names


def _words(node: ast.AST) -> set[str]:
    texts = (n.value for n in ast.walk(node) if isinstance(n, ast.Constant))
    return {w for t in texts if isinstance(t, str) for w in t.split()}


def starts_a_crawl(func: ast.FunctionDef, module: dict[str, ast.FunctionDef]) -> bool:
    """Does ``func``, or a same-module helper it calls or fixture it takes, start a crawl?"""
    seen: set[str] = set()
    todo = [func]
    calls: set[str] = set()
    words: set[str] = set()
    while todo:
        f = todo.pop()
        if f.name in seen:
            continue
        seen.add(f.name)
        calls |= _calls(f)
        words |= _words(f)
        deps = {a.arg for a in f.args.args} | _calls(f)
        todo += [module[name] for name in deps if name in module]
    spawns = any(c.startswith("subprocess.") or c in CHILD_CALLS for c in calls)
    return bool(calls & CRAWL_CALLS) or (spawns and bool(words & CRAWL_WORDS))


def unmarked_crawl_tests(source: str, name: str) -> list[str]:
    tree = ast.parse(source)
    for node in tree.body:
        if (
            isinstance(node, ast.Assign)
            and any(getattr(t, "id", None) == "pytestmark" for t in node.targets)
            and "e2e" in ast.unparse(node.value)
        ):
            return []
    module = {n.name: n for n in tree.body if isinstance(n, ast.FunctionDef)}
    return [
        f"{name}::{f.name}"
        for f in module.values()
        if f.name.startswith("test_")
        and not any("e2e" in ast.unparse(d) for d in f.decorator_list)
        and starts_a_crawl(f, module)
    ]


def test_every_test_that_starts_a_crawl_is_marked_e2e() -> None:
    unmarked = [
        test
        for path in sorted(TESTS.glob("test_*.py"))
        for test in unmarked_crawl_tests(path.read_text(encoding="utf-8"), path.name)
    ]
    assert unmarked == [], "mark @pytest.mark.e2e (they start a crawl): " + ", ".join(unmarked)


def test_the_check_tells_crawls_from_other_child_processes() -> None:
    source = textwrap.dedent(
        """
        import pytest, subprocess, sys

        @pytest.fixture
        def runs(tmp_path):
            return run_crawl("frontpage", tmp_path)

        def cmd():
            return [sys.executable, "-m", "scrapy", "crawl", "frontpage"]

        def test_fixture_crawls(runs): ...
        def test_helper_crawls(): subprocess.Popen(cmd())
        def test_runner_crawls(runner): runner.crawl(Spider)
        @pytest.mark.e2e
        def test_marked(runs): ...
        def test_other_child(): subprocess.run([sys.executable, "-c", "print(1)"])
        def test_python_crawls(): run_python(RECORDER, "crawl", "frontpage")
        def test_python_child(): run_python("print(1)")
        def test_no_child(): assert parse("x") is None
        """
    )
    assert unmarked_crawl_tests(source, "t.py") == [
        "t.py::test_fixture_crawls",
        "t.py::test_helper_crawls",
        "t.py::test_runner_crawls",
        "t.py::test_python_crawls",
    ]
    marked_module = "import pytest\npytestmark = pytest.mark.e2e\n" + source
    assert unmarked_crawl_tests(marked_module, "t.py") == []


def test_a_failing_child_interpreter_fails_the_test_with_its_stderr() -> None:
    with pytest.raises(AssertionError) as failed:
        run_python(
            "import sys; print('said', flush=True); sys.exit('the child broke: ' + sys.argv[1])",
            "x",
        )
    assert "the child exited 1:\nthe child broke: x" in str(failed.value)
    assert "said" not in str(failed.value)  # stderr, not stdout


def test_a_child_interpreter_that_runs_out_of_time_fails_with_its_stderr_so_far() -> None:
    code = "import sys, time; print('waiting', file=sys.stderr, flush=True); time.sleep(60)"
    with pytest.raises(AssertionError) as failed:
        run_python(code, timeout=3)
    assert str(failed.value) == "the child did not end in 3 s; its stderr:\nwaiting\n"


def test_a_child_interpreters_long_stderr_is_cut_to_its_tail() -> None:
    code = "import sys; sys.stderr.write('x' * 5000 + 'Traceback: the end'); sys.exit(2)"
    with pytest.raises(AssertionError) as failed:
        run_python(code)
    message = str(failed.value)
    assert message.startswith("the child exited 2:\n[... 2018 characters]\n")
    assert message.endswith("Traceback: the end")
