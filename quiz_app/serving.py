"""How `quiz-app serve` runs waitress: one process per core, and students' answers
ahead of page loads in each request queue.

waitress hands whole requests to its request threads in arrival order. When a class
of 300 logs in at once, the queue fills with log-ins and page loads, and a student
already mid-quiz waits behind all of them for a save. An answer being saved is the
one request whose delay a student feels as lost work, so saves go ahead of the
other waiting requests, in their own arrival order (an older autosave must never
overwrite a newer answer), and at most ``MAX_SAVES_AHEAD`` of them, so a flood of
saves cannot hold every page back.
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
from collections.abc import Callable, Sequence
from typing import Any, NoReturn

from waitress.task import ThreadedTaskDispatcher

#: A student's answers and submissions in an attempt (see quiz/views.py).
_STUDENT_WORK = re.compile(r"/quiz/attempt/\d+/(answer|autosave|submit)")
#: How many saves may wait ahead of the oldest other request.
MAX_SAVES_AHEAD = 16


def is_student_work(method: str, path: str) -> bool:
    """Whether a request saves a student's answers (it goes ahead in the queue)."""
    return method == "POST" and _STUDENT_WORK.fullmatch(path) is not None


class StudentWorkFirst(ThreadedTaskDispatcher):
    """waitress's thread pool, where saves of answers go ahead of other requests."""

    def add_task(self, task: Any) -> None:
        # A task is a connection; the request it serves next is its first complete one.
        requests = getattr(task, "requests", None)
        request = requests[0] if requests else None
        if request is None or not is_student_work(request.command, request.path):
            super().add_task(task)
            return
        task.saves_student_work = True
        with self.lock:
            ahead = 0
            for queued in self.queue:
                if not getattr(queued, "saves_student_work", False):
                    break
                ahead += 1
            if ahead < MAX_SAVES_AHEAD:
                self.queue.insert(ahead, task)
            else:
                self.queue.append(task)
            self.queue_cv.notify()


# --------------------------------------------------------------------------------------
# Several processes on one port
#
# Python runs one thread at a time in a process (the GIL): one waitress process used
# a single core for everything but password hashing and SQLite, and 300 students
# logging in together waited 20 s or more for question 1 on two cores. Like
# gunicorn's workers, `serve` forks processes that accept on the sockets the parent
# bound; each is a whole waitress (its front still buffers whole requests, so slow
# clients hold a socket, not a thread). Few threads per process: more only queue for
# the GIL, and a save then waited up to 1.6 s (p99) behind page renders.

#: Seconds a crashed process waits before it is started again (no busy loop when
#: every start fails).
RESTART_DELAY_S = 1.0
_STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


def default_processes() -> int:
    """One process per core this process may use, at most 4 (about 80 MB each);
    1 where the system cannot fork."""
    if not hasattr(os, "fork"):
        return 1
    if hasattr(os, "sched_getaffinity"):  # a container's or taskset's CPUs
        cores = len(os.sched_getaffinity(0))
    else:
        cores = os.cpu_count() or 1
    return max(1, min(4, cores))


def listening_sockets(host: str, port: int) -> list[socket.socket]:
    """Bound, listening TCP sockets for ``host:port``, one per address the name has
    (``localhost`` is 127.0.0.1 and ::1), as waitress would bind them."""
    sockets: list[socket.socket] = []
    seen: set[tuple[Any, ...]] = set()
    for family, kind, proto, _, address in socket.getaddrinfo(
        host or None, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
    ):
        if (family, address) in seen:
            continue
        seen.add((family, address))
        sock = socket.socket(family, kind, proto)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:  # as waitress: IPv4 has its own socket
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind(address)
        sock.listen(1024)
        sock.setblocking(False)
        sockets.append(sock)
    return sockets


def serve_forked(
    start: Callable[[Sequence[socket.socket]], None],
    sockets: Sequence[socket.socket],
    processes: int,
    *,
    log: Callable[[str], None],
) -> None:
    """Run ``start(sockets)`` in ``processes`` child processes until SIGTERM or
    SIGINT, then let them finish their requests; a child that dies is started again.
    The children die with this process, even when it is killed with SIGKILL (Linux),
    so a restart finds the port free.
    """
    children: dict[int, int] = {}  # pid -> slot
    stopping = False
    parent = os.getpid()

    def spawn(slot: int) -> None:
        # Signals wait until the child has its own handlers and the parent knows the
        # child's pid: either may otherwise run the other's handler, or miss one.
        signal.pthread_sigmask(signal.SIG_BLOCK, _STOP_SIGNALS)
        try:
            if stopping:
                return
            pid = os.fork()
            if pid == 0:
                _run_child(start, sockets, parent)
            children[pid] = slot
        finally:
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)

    def stop(signum: int, frame: object) -> None:
        nonlocal stopping
        stopping = True
        for pid in list(children):
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGTERM)

    previous = {signum: signal.signal(signum, stop) for signum in _STOP_SIGNALS}
    try:
        for slot in range(processes):
            spawn(slot)
        while children:
            try:
                pid, status = os.wait()
            except ChildProcessError:
                break
            slot = children.pop(pid, -1)
            if slot < 0 or stopping:
                continue
            log(
                f"server process {pid} ended ({_exit_reason(status)}); starting another"
            )
            time.sleep(RESTART_DELAY_S)
            spawn(slot)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        for sock in sockets:
            sock.close()


def _run_child(
    start: Callable[[Sequence[socket.socket]], None],
    sockets: Sequence[socket.socket],
    parent: int,
) -> NoReturn:
    """The body of a forked child: serve until told to stop, then leave."""
    code = 1
    try:
        for signum in _STOP_SIGNALS:
            signal.signal(signum, _finish_requests)
        signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOP_SIGNALS)
        _die_with_parent(parent)
        start(sockets)
        code = 0
    except (SystemExit, KeyboardInterrupt):
        code = 0
    except BaseException:  # noqa: BLE001 - reported, then the child ends
        traceback.print_exc()
    finally:
        os._exit(code)


def _finish_requests(signum: int, frame: object) -> NoReturn:
    """Stop accepting; waitress's run() then lets running requests finish (up to 5
    s). A second signal (Ctrl+C reaches the parent and the child) changes nothing."""
    for stop_signal in _STOP_SIGNALS:
        signal.signal(stop_signal, signal.SIG_IGN)
    raise SystemExit(0)


def _exit_reason(status: int) -> str:
    if os.WIFSIGNALED(status):
        return f"signal {os.WTERMSIG(status)}"
    return f"exit code {os.waitstatus_to_exitcode(status)}"


def _die_with_parent(parent: int) -> None:
    """Ask Linux to SIGKILL this process when its parent dies; elsewhere, watch."""
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        pr_set_pdeathsig = 1
        if libc.prctl(pr_set_pdeathsig, signal.SIGKILL) == 0:
            # The parent may have died before the request: then nothing will come.
            if os.getppid() != parent:
                os._exit(0)
            return

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(0)

    threading.Thread(target=watch, name="parent-watch", daemon=True).start()
