"""This machine's address on the local network, for join links and the console."""

from __future__ import annotations

import functools
import socket


@functools.cache
def lan_address() -> str | None:
    """The IPv4 address other machines on the LAN reach this one at, or None.

    Connecting a UDP socket sends nothing; it only asks the kernel which interface
    would route there. A classroom without internet may have no default route, so the
    host name's address is the fallback.
    """
    try:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
            probe.connect(("10.255.255.255", 1))
            address = probe.getsockname()[0]
        if address and not address.startswith("127."):
            return str(address)
    except OSError:
        pass
    try:
        address = socket.gethostbyname(socket.gethostname())
    except OSError:
        return None
    return None if address.startswith("127.") else address
