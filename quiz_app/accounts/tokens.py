"""Pure one-time tokens: reset codes a student can type, setup tokens, and their hashes.
No Flask or DB; the caller passes the random source (the OS's, outside tests).
"""

from __future__ import annotations

import hashlib
from random import Random
from typing import Final

from quiz_app.joincode import ALPHABET, normalise_join_code

#: 12 characters of the 31-letter alphabet: about 59 bits, typed from a slip of paper.
RESET_CODE_LENGTH: Final = 12
#: Printed in the setup link; nobody types it.
SETUP_TOKEN_BITS: Final = 192


def generate_reset_code(rng: Random) -> str:
    """A new reset code, e.g. ``K7QM-2RTX-9HPW``."""
    raw = "".join(rng.choice(ALPHABET) for _ in range(RESET_CODE_LENGTH))
    return format_reset_code(raw)


def format_reset_code(code: str) -> str:
    """A normalised code in groups of four, as it is shown."""
    code = normalise_join_code(code)
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def normalise_reset_code(text: str) -> str:
    """What a student typed, in the form that is hashed: upper case, no separators."""
    return normalise_join_code(text)[: RESET_CODE_LENGTH * 2]


def generate_setup_token(rng: Random) -> str:
    """A new first-run setup token (48 hex digits)."""
    return f"{rng.getrandbits(SETUP_TOKEN_BITS):0{SETUP_TOKEN_BITS // 4}x}"


def hash_token(token: str) -> str:
    """The stored form of a token or normalised code (SHA-256, hex). Tokens are long
    and random, so a fast hash is enough: there is nothing to brute-force offline.
    """
    return hashlib.sha256(token.encode("utf-8")).hexdigest()
