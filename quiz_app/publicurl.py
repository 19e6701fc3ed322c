"""Pure choice of the address students should open: a configured public URL, or the
address the teacher used, with the LAN address in place of loopback. No Flask or DB.
"""

from __future__ import annotations

import ipaddress
from urllib.parse import urlsplit, urlunsplit

#: Bind addresses that listen on every interface.
ALL_INTERFACES = frozenset({"0.0.0.0", "::", "[::]", ""})


def is_loopback(host: str) -> bool:
    """Whether a host name or address only reaches this machine."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def base_url(
    *,
    configured: str | None,
    request_root: str,
    bind_host: str | None,
    lan_address: str | None,
) -> str:
    """The scheme, host and port (no trailing slash) to put in links for students.

    :param configured: PUBLIC_URL, which wins when set.
    :param request_root: the root URL of the teacher's request.
    :param bind_host: where the server listens, when known.
    :param lan_address: this machine's address on the local network, when known.
    """
    if configured:
        return configured.rstrip("/")
    parts = urlsplit(request_root)
    host = parts.hostname or ""
    if is_loopback(host) and bind_host in ALL_INTERFACES and lan_address:
        netloc = f"[{lan_address}]" if ":" in lan_address else lan_address
        if parts.port:
            netloc = f"{netloc}:{parts.port}"
        parts = parts._replace(netloc=netloc)
    return urlunsplit((parts.scheme, parts.netloc, "", "", "")).rstrip("/")


def reachable_by_others(url: str) -> bool:
    """Whether a link could work on a student's device (not a loopback address)."""
    return not is_loopback(urlsplit(url).hostname or "")
