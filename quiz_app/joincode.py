"""Pure join codes: generation with an injected Random, normalisation of what a student
types. No Flask or DB. Shared: classes' join codes and accounts' reset codes use its
alphabet.
"""

from __future__ import annotations

import re
from random import Random
from typing import Final

#: No 0/O, 1/I/L: a code read aloud or copied from a projector cannot be mistyped
#: between look-alikes.
ALPHABET: Final = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH: Final = 8
_SEPARATORS = re.compile(r"[\s\-_.]+")


def generate_join_code(rng: Random, *, length: int = CODE_LENGTH) -> str:
    """A random code from the unambiguous alphabet (31**8, about 8.5e11 codes)."""
    return "".join(rng.choice(ALPHABET) for _ in range(length))


def normalise_join_code(text: str) -> str:
    """The canonical form of a typed code: upper case, with spaces, dashes, dots and
    underscores dropped.
    """
    return _SEPARATORS.sub("", text).upper()


def is_well_formed(code: str) -> bool:
    """Whether a normalised code has the right length and only alphabet letters."""
    return len(code) == CODE_LENGTH and all(c in ALPHABET for c in code)
