"""Shared by the benchmark scripts: a free loopback port, a server to wait for."""

from __future__ import annotations

import socket
import time
import urllib.error
import urllib.request

HOST = "127.0.0.1"


def free_port() -> int:
    """A TCP port on the loopback address that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def wait_for(url: str, *, timeout_s: float = 60) -> None:
    """Poll ``url`` until it answers, or raise after ``timeout_s`` seconds."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:  # refused, reset, or a timeout while it starts
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not come up within {timeout_s} s")
