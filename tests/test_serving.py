"""How `quiz-app serve` runs waitress: saves of answers jump the request queue, and
several processes share one port and die with their parent."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from types import SimpleNamespace

import pytest

from quiz_app.serving import (
    MAX_SAVES_AHEAD,
    StudentWorkFirst,
    default_processes,
    is_student_work,
)


@pytest.mark.parametrize(
    ("method", "path", "first"),
    [
        ("POST", "/quiz/attempt/12/answer", True),
        ("POST", "/quiz/attempt/12/autosave", True),
        ("POST", "/quiz/attempt/12/submit", True),
        ("GET", "/quiz/attempt/12/submit", False),  # the review page: a page load
        ("POST", "/account/login", False),
        ("POST", "/quiz/attempt/12/answer/extra", False),
        ("POST", "/quiz/bank-quiz/start", False),
        ("POST", "/quiz/attempt/12/answer\n", False),
    ],
)
def test_which_requests_save_a_students_work(method, path, first):
    assert is_student_work(method, path) is first


def _task(method: str, path: str) -> SimpleNamespace:
    """What waitress queues: a connection, with its complete requests in order."""
    return SimpleNamespace(requests=[SimpleNamespace(command=method, path=path)])


def _paths(dispatcher: StudentWorkFirst) -> list[str]:
    return [task.requests[0].path if task.requests else "" for task in dispatcher.queue]


def test_saves_go_ahead_of_page_loads_in_their_own_order():
    dispatcher = StudentWorkFirst()  # no threads started: the queue only fills
    for n in range(3):
        dispatcher.add_task(_task("GET", f"/page/{n}"))
    dispatcher.add_task(_task("POST", "/quiz/attempt/7/autosave"))
    dispatcher.add_task(_task("POST", "/account/login"))
    dispatcher.add_task(_task("POST", "/quiz/attempt/7/answer"))
    dispatcher.add_task(SimpleNamespace(requests=[]))  # nothing complete: in line
    # the autosave, then the newer answer: an old save never lands on a newer one
    assert _paths(dispatcher)[:2] == [
        "/quiz/attempt/7/autosave",
        "/quiz/attempt/7/answer",
    ]
    assert _paths(dispatcher)[2:5] == ["/page/0", "/page/1", "/page/2"]
    assert _paths(dispatcher)[5] == "/account/login"


def test_a_flood_of_saves_cannot_hold_every_page_back():
    dispatcher = StudentWorkFirst()
    dispatcher.add_task(_task("GET", "/"))
    for n in range(MAX_SAVES_AHEAD + 5):
        dispatcher.add_task(_task("POST", f"/quiz/attempt/{n}/autosave"))
    paths = _paths(dispatcher)
    assert paths.index("/") == MAX_SAVES_AHEAD
    last = range(MAX_SAVES_AHEAD, MAX_SAVES_AHEAD + 5)
    assert paths[-5:] == [f"/quiz/attempt/{n}/autosave" for n in last]


def test_one_process_per_core_at_most_four(monkeypatch):
    monkeypatch.delattr(os, "sched_getaffinity", raising=False)
    monkeypatch.setattr(os, "cpu_count", lambda: 16)
    assert default_processes() == 4
    monkeypatch.setattr(os, "cpu_count", lambda: 2)
    assert default_processes() == 2
    monkeypatch.delattr(os, "fork")
    assert default_processes() == 1


# --------------------------------------------------------------------------------------
# The real thing


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(x) for x in path.read_text().split()] if path.exists() else []


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _port_is_free(port: int) -> bool:
    with socket.socket() as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def _until(check, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.1)
    return check()


@pytest.fixture
def served(tmp_path):
    """`quiz-app serve --processes 2` on a free port: (process, port)."""
    port = _free_port()
    env = {**os.environ, "QUIZ_DATA_DIR": str(tmp_path / "data")}
    quiz_app = str(Path(sys.executable).with_name("quiz-app"))
    server = subprocess.Popen(
        [quiz_app, "serve", "--port", str(port), "--processes", "2"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )

    def healthy() -> bool:
        try:
            with urllib.request.urlopen(
                f"http://127.0.0.1:{port}/healthz", timeout=2
            ) as response:
                return response.status == 200
        except OSError:
            return False

    assert _until(healthy, 60), "the server did not start"
    try:
        yield server, port
    finally:
        if server.poll() is None:
            server.kill()
        server.wait(timeout=20)


pytestmark_linux = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="reads /proc"
)


@pytest.mark.slow
@pytestmark_linux
def test_two_processes_serve_one_port_and_stop_together(served):
    server, port = served
    workers = _children(server.pid)
    assert len(workers) == 2
    for _ in range(10):
        with urllib.request.urlopen(
            f"http://127.0.0.1:{port}/healthz", timeout=5
        ) as response:
            assert response.status == 200
    server.send_signal(signal.SIGTERM)
    assert server.wait(timeout=20) == 0
    assert _until(lambda: not any(_alive(pid) for pid in workers), 5)
    assert _until(lambda: _port_is_free(port), 5)


@pytest.mark.slow
@pytestmark_linux
def test_a_killed_server_leaves_no_process_holding_the_port(served):
    """kill -9 of `serve` (a crash, an impatient admin): its processes go with it, so
    the next `serve` can bind the port."""
    server, port = served
    workers = _children(server.pid)
    assert len(workers) == 2
    server.kill()
    server.wait(timeout=20)
    assert _until(lambda: not any(_alive(pid) for pid in workers), 5)
    assert _until(lambda: _port_is_free(port), 5)


@pytest.mark.slow
@pytestmark_linux
def test_a_process_that_dies_is_replaced(served):
    server, port = served
    first, second = _children(server.pid)
    os.kill(first, signal.SIGKILL)
    assert _until(lambda: len(set(_children(server.pid)) - {first}) == 2, 10)
    assert second in _children(server.pid)
    with urllib.request.urlopen(
        f"http://127.0.0.1:{port}/healthz", timeout=5
    ) as response:
        assert response.status == 200
