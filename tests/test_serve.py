"""`quiz-app serve` faces the network: slow or idle clients must not starve others."""

from __future__ import annotations

import html
import http.cookiejar
import os
import re
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _get(url: str, *, timeout: float) -> int:
    with urllib.request.urlopen(url, timeout=timeout) as response:
        response.read()
        return int(response.status)


def test_slow_clients_do_not_starve_the_log_in_page(tmp_path):
    """Ten connections that never finish their headers (slowloris) leave the server
    free to answer everyone else at once, even with only two request threads.
    """
    port = _free_port()
    env = {**os.environ, "QUIZ_DATA_DIR": str(tmp_path / "data")}
    quiz_app = str(Path(sys.executable).with_name("quiz-app"))
    for command in (["db", "upgrade"], ["create-teacher", "mrpark"]):
        subprocess.run(
            [quiz_app, *command],
            env=env,
            input="a long teacher password\n" * 2,
            text=True,
            check=True,
            capture_output=True,
        )
    server = subprocess.Popen(
        [quiz_app, "serve", "--port", str(port), "--threads", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    slow: list[socket.socket] = []
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                _get(base + "/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        for _ in range(10):
            sock = socket.create_connection(("127.0.0.1", port), timeout=5)
            sock.sendall(b"GET /account/login HTTP/1.1\r\nHost: x\r\nX-Slow: 1\r\n")
            slow.append(sock)
        time.sleep(0.5)
        for sock in slow:
            sock.sendall(b"X-Slower: 2\r\n")
        started = time.perf_counter()
        assert _get(base + "/account/login", timeout=5) == 200
        assert time.perf_counter() - started < 2
    finally:
        for sock in slow:
            sock.close()
        server.terminate()
        server.wait(timeout=20)


def test_a_served_app_with_a_teacher_accepts_writes(tmp_path):
    """serve once held SQLite's write lock from its start-up check until it stopped:
    every write then failed with "database is locked"."""
    port = _free_port()
    env = {**os.environ, "QUIZ_DATA_DIR": str(tmp_path / "data")}
    quiz_app = str(Path(sys.executable).with_name("quiz-app"))
    for command in (["db", "upgrade"], ["create-teacher", "mrpark"]):
        subprocess.run(
            [quiz_app, *command],
            env=env,
            input="a long teacher password\n" * 2,
            text=True,
            check=True,
            capture_output=True,
        )
    env["QUIZ_SQLITE_BUSY_TIMEOUT_S"] = "2"
    server = subprocess.Popen(
        [quiz_app, "serve", "--port", str(port), "--threads", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                _get(base + "/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.2)
        opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        with opener.open(base + "/account/login", timeout=10) as page:
            token = re.search(
                r'name="csrf_token"[^>]*value="([^"]+)"', page.read().decode()
            ).group(1)
        form = {
            "username": "mrpark",
            "password": "not the password",  # a failure is recorded: a write
            "csrf_token": html.unescape(token),
        }
        with opener.open(
            base + "/account/login",
            data=urllib.parse.urlencode(form).encode(),
            timeout=10,
        ) as response:
            assert response.status == 200
            assert "not right" in response.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=20)
