"""Links for students: the public URL, the teacher's address, or the LAN address in
place of loopback."""

from __future__ import annotations

import re

import pytest

from quiz_app.publicurl import base_url, is_loopback, reachable_by_others
from quiz_app.qrcode import qr_svg


@pytest.mark.parametrize(
    ("configured", "root", "bind", "lan", "expected"),
    [
        # QUIZ_PUBLIC_URL wins over everything.
        (
            "https://quiz.school.example/",
            "http://127.0.0.1:5000/",
            "0.0.0.0",
            "10.0.0.7",
            "https://quiz.school.example",
        ),
        # The teacher opened the LAN address: students use the same.
        (None, "http://192.168.1.20:5000/", "0.0.0.0", "192.168.1.20",
         "http://192.168.1.20:5000"),
        # Served on every interface, opened on the server itself: the LAN address.
        (None, "http://127.0.0.1:5000/", "0.0.0.0", "192.168.1.20",
         "http://192.168.1.20:5000"),
        (None, "http://localhost:8080/", "::", "10.1.2.3", "http://10.1.2.3:8080"),
        # Served on loopback only: the LAN address would not work either.
        (None, "http://127.0.0.1:5000/", "127.0.0.1", "192.168.1.20",
         "http://127.0.0.1:5000"),
        # No LAN address known: keep what the teacher used.
        (None, "http://127.0.0.1:5000/", "0.0.0.0", None, "http://127.0.0.1:5000"),
        (None, "https://quiz.example/", None, "10.0.0.1", "https://quiz.example"),
    ],
)  # fmt: skip
def test_base_url(configured, root, bind, lan, expected):
    got = base_url(
        configured=configured, request_root=root, bind_host=bind, lan_address=lan
    )
    assert got == expected


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.8.0.1", True), ("localhost", True), ("[::1]", True),
     ("192.168.0.4", False), ("quiz.example", False), ("", False)],
)  # fmt: skip
def test_is_loopback(host, loopback):
    assert is_loopback(host) is loopback


def test_reachable_by_others():
    assert not reachable_by_others("http://127.0.0.1:5000/classes/join/X")
    assert reachable_by_others("http://10.0.0.2:5000/classes/join/X")


def test_qr_svg_is_inline_accessible_and_without_style_attributes():
    svg = str(qr_svg("http://10.0.0.2:5000/classes/join/ABCDEFGH", label='Join "10B"'))
    assert svg.startswith('<svg role="img" aria-label="Join &#34;10B&#34;" ')
    assert re.search(r'viewBox="0 0 \d+ \d+"', svg)
    assert "style=" not in svg and "<script" not in svg
