"""`pip install .` gives a wheel that carries templates, static files, banks and
migrations, and serves.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
    )
    (path,) = out.glob("armistice_study-*.whl")
    return path


def test_wheel_carries_resources(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    assert "quiz_app/templates/base.html" in names
    assert "quiz_app/static/css/app.css" in names
    assert any(
        n.startswith("quiz_app/question_banks/") and n.endswith(".yaml") for n in names
    )
    assert any(n.startswith("quiz_app/migrations/versions/") for n in names)
    assert "quiz_app/accounts/data/common-passwords.txt" in names
    assert "quiz_app/static/js/timezone.js" in names
    assert not any(".venv" in n or "__pycache__" in n for n in names)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_installed_wheel_serves_a_page(wheel, tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    bin_dir = venv / "bin"
    subprocess.run([str(bin_dir / "pip"), "install", "-q", str(wheel)], check=True)
    port = _free_port()
    env = {**os.environ, "QUIZ_DATA_DIR": str(tmp_path / "data")}
    env.pop("QUIZ_BANKS_DIR", None)
    server = subprocess.Popen(
        [str(bin_dir / "quiz-app"), "serve", "--port", str(port), "--threads", "1"],
        cwd=tmp_path,  # away from the checkout, so only the installed package is used
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    printed: list[str] = []
    try:
        # `serve` prints a one-time setup link before it starts serving.
        setup_link = ""
        while not setup_link:
            line = server.stdout.readline().decode()
            assert line, "no setup link printed:\n" + "".join(printed)
            printed.append(line)
            if "/account/setup?token=" in line:
                setup_link = line.strip()
        body = ""
        for _ in range(100):
            try:
                with urllib.request.urlopen(setup_link) as resp:
                    body = resp.read().decode()
                    break
            except OSError:
                time.sleep(0.2)
        assert "Set up Armistice Study" in body
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/static/css/app.css"
        ) as resp:
            assert resp.status == 200
    finally:
        server.terminate()
        output = "".join(printed) + server.communicate(timeout=20)[0].decode()
    assert "banks imported" in output
    assert " 0 created" not in output.split("Banks:")[1].splitlines()[0]
