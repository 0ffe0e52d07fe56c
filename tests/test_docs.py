"""The README documents every NEWSSPIDER_* setting the code reads."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_every_project_setting_is_in_the_readme() -> None:
    code = "\n".join(p.read_text(encoding="utf-8") for p in (REPO / "newsspider").rglob("*.py"))
    used = set(re.findall(r"\bNEWSSPIDER_[A-Z_]*[A-Z]\b", code))
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"\bNEWSSPIDER_[A-Z_]*[A-Z]\b", readme))
    # shorthand rows like `NEWSSPIDER_REFETCH_MIN_INTERVAL`, `_AGE_FACTOR` name a family
    for row in re.findall(r"^\| (`NEWSSPIDER_[A-Z_]+`(?:, `_[A-Z_]+`)+)", readme, re.M):
        head = re.match(r"`(NEWSSPIDER_[A-Z]+_)", row)
        assert head
        documented |= {head.group(1) + tail for tail in re.findall(r"`_([A-Z_]+)`", row)}
    assert used - documented == set()


def test_each_default_is_declared_once_in_settings_py() -> None:
    """Components read a setting's fallback from settings.py (``defaults.NAME``), never a
    second literal that could drift from it."""
    literal = re.compile(r'\.get\w*\(\s*"(NEWSSPIDER_\w+)",\s*(?!defaults\.)[^)\s]')
    offenders = []
    for path in (REPO / "newsspider").rglob("*.py"):
        if path.name == "settings.py":
            continue
        for match in literal.finditer(path.read_text(encoding="utf-8")):
            offenders.append(f"{path.relative_to(REPO)}: {match.group(1)}")
    assert offenders == []
