"""The README's test command is exactly what CI runs."""

from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    ci_lines = (ROOT / ".ci" / "run").read_text().splitlines()
    test_command = next(line for line in ci_lines if line.startswith("python3 -m venv"))
    assert f"```sh\n{test_command}\n```" in readme
    # The browser tests skip without the browser extra: CI installs it.
    assert '-e ".[test,browser]"' in test_command


def test_readme_start_command_serves():
    readme = (ROOT / "README.md").read_text()
    assert (
        "```sh\npython3 -m venv .venv && .venv/bin/pip install . "
        "&& .venv/bin/quiz-app serve\n```" in readme
    )
