"""The house style is checked like any other behaviour: Ruff lint and format, mypy,
and the exact tool versions CI uses."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CHECKED = ["quiz_app", "tests", "benchmarks"]


def _ruff(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "ruff", *args, *CHECKED],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


def test_ruff_lint_is_clean():
    result = _ruff("check", "--select", "E,F,I,UP,B,SIM", "--output-format", "concise")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_format_is_clean():
    result = _ruff("format", "--check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_is_clean():
    """The configuration is in pyproject.toml: the package, pure cores strictly."""
    result = subprocess.run(
        [sys.executable, "-m", "mypy", "--no-error-summary"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_checking_tools_are_pinned_exactly():
    """A new release of a formatter or checker must not turn CI red by itself."""
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    extras = pyproject["project"]["optional-dependencies"]
    tools = {
        r.split("==")[0]: r for r in extras["test"] if r.startswith(("ruff", "mypy"))
    }
    assert set(tools) == {"ruff", "mypy"}
    assert all("==" in r for r in tools.values()), tools
