"""Password hashing: Argon2id, with the older scrypt hashes still accepted.

Argon2id with 19 MiB, 2 passes and 1 lane is the first choice of the OWASP Password
Storage Cheat Sheet. It replaces werkzeug's default, scrypt with N=2^15, which is
below that sheet's own scrypt minimum (N=2^17) and still cost about 100 ms of CPU
per check here, against about 21 ms for Argon2id: 300 students logging in together
needed 30 CPU-seconds of hashing alone and waited up to 29 s for question 1.

Hashes made before the switch (``scrypt:…`` or ``pbkdf2:…``) still verify, and a
successful log-in replaces them (:func:`needs_rehash`). The hashing releases the GIL,
so a check runs beside other requests, and it never runs inside a write transaction.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from werkzeug.security import check_password_hash

#: OWASP's Argon2id minimum: m=19 MiB, t=2, p=1.
HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)
ARGON2_PREFIX = "$argon2"
#: werkzeug's prefixes for the hashes stored before Argon2id.
LEGACY_PREFIXES = ("scrypt:", "pbkdf2:")


def hash_password(password: str) -> str:
    """The stored form of a password."""
    return HASHER.hash(password)


def verify_password(stored: str, password: str) -> bool:
    """Whether ``password`` matches the stored hash (never raises for a bad hash)."""
    if stored.startswith(ARGON2_PREFIX):
        try:
            return HASHER.verify(stored, password)
        except (VerificationError, InvalidHashError):
            return False
    if stored.startswith(LEGACY_PREFIXES):
        try:
            return check_password_hash(stored, password)
        except ValueError:  # a damaged hash, or a digest this Python lacks
            return False
    return False  # an unusable password ("!") or anything unknown


def needs_rehash(stored: str) -> bool:
    """Whether a verified hash should be replaced by one with today's parameters."""
    if not stored.startswith(ARGON2_PREFIX):
        return True
    try:
        return HASHER.check_needs_rehash(stored)
    except InvalidHashError:
        return True
