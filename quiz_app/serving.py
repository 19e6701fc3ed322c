"""How `quiz-app serve` runs waitress: students' answers first in the request queue,
and one process per core.

waitress hands whole requests to its request threads in arrival order. When a class
of 300 logs in at once, the queue fills with log-ins and page loads, and a student
already mid-quiz waited behind all of them for a save (p99 1.4 s on two cores). An
answer being saved is the one request whose delay a student feels as lost work, so
those go to the front of the queue; everything else keeps its order.
"""

from __future__ import annotations

import contextlib
import ctypes
import os
import re
import signal
import socket
import sys
import threading
import time
import traceback
from collections.abc import Callable
from typing import Any

from waitress.task import ThreadedTaskDispatcher

#: A student's answers and submissions in an attempt (see quiz/views.py).
_STUDENT_WORK = re.compile(r"^/quiz/attempt/\d+/(answer|autosave|submit)$")


def is_student_work(method: str, path: str) -> bool:
    """Whether a request saves a student's answers (it jumps the queue)."""
    return method == "POST" and _STUDENT_WORK.match(path) is not None


class StudentWorkFirst(ThreadedTaskDispatcher):
    """waitress's thread pool, where saves of answers jump the queue."""

    def add_task(self, task: Any) -> None:
        request = getattr(task, "request", None)
        if request is None or not is_student_work(request.command, request.path):
            super().add_task(task)
            return
        with self.lock:
            self.queue.appendleft(task)
            self.queue_cv.notify()


# --------------------------------------------------------------------------------------
# Several processes on one listening socket
#
# Python runs one thread at a time in a process (the GIL): one waitress process used
# a single core for everything but password hashing and SQLite, and 300 students
# logging in together waited 20 s or more for question 1 on two cores. Like
# gunicorn's workers, `serve` forks processes that accept on the one socket the
# parent bound; each is a whole waitress (its front still buffers whole requests, so
# slow clients hold a socket, not a thread).

#: Seconds a crashed process waits before it is started again (no busy loop when
#: every start fails).
RESTART_DELAY_S = 1.0


def default_processes() -> int:
    """One process per core, at most 4 (about 100 MB each); 1 where fork is missing."""
    if not hasattr(os, "fork"):
        return 1
    return max(1, min(4, os.cpu_count() or 1))


def listening_socket(host: str, port: int) -> socket.socket:
    """A bound, listening TCP socket for ``host:port`` (what waitress would bind)."""
    family, kind, proto, _, address = socket.getaddrinfo(
        host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    )[0]
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(address)
    sock.listen(1024)
    sock.setblocking(False)
    return sock


def serve_forked(
    start: Callable[[socket.socket], None],
    sock: socket.socket,
    processes: int,
    *,
    log: Callable[[str], None],
) -> None:
    """Run ``start(sock)`` in ``processes`` child processes until SIGTERM or SIGINT;
    a child that dies is started again. The children die with this process, even
    when it is killed with SIGKILL (Linux), so a restart finds the port free.
    """
    children: dict[int, int] = {}  # pid -> slot
    stopping = False

    def spawn(slot: int) -> None:
        pid = os.fork()
        if pid == 0:  # the child
            code = 1
            try:
                signal.signal(signal.SIGTERM, signal.SIG_DFL)
                signal.signal(signal.SIGINT, signal.default_int_handler)
                _die_with_parent()
                start(sock)
                code = 0
            except KeyboardInterrupt:
                code = 0
            except BaseException:  # noqa: BLE001 - reported, then the child ends
                traceback.print_exc()
            finally:
                os._exit(code)
        children[pid] = slot

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    previous = {
        signum: signal.signal(signum, stop)
        for signum in (signal.SIGTERM, signal.SIGINT)
    }
    try:
        for slot in range(processes):
            spawn(slot)
        while children:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            except InterruptedError:
                continue
            slot = children.pop(pid, -1)
            if slot < 0 or stopping:
                continue
            log(
                f"server process {pid} ended ({_exit_reason(status)}); starting another"
            )
            time.sleep(RESTART_DELAY_S)
            if not stopping:
                spawn(slot)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        sock.close()


def _exit_reason(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit code {os.waitstatus_to_exitcode(status)}"


def _die_with_parent() -> None:
    """Ask Linux to SIGKILL this process when its parent dies; elsewhere, watch."""
    parent = os.getppid()
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        PR_SET_PDEATHSIG = 1
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL) == 0 and os.getppid() == parent:
            return

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
