"""Join codes: unambiguous alphabet, fixed length, forgiving input."""

from __future__ import annotations

from random import Random

from quiz_app import joincode


def test_codes_avoid_look_alike_characters() -> None:
    rng = Random(7)
    codes = [joincode.generate_join_code(rng) for _ in range(500)]
    assert all(len(c) == 8 and joincode.is_well_formed(c) for c in codes)
    assert not set("".join(codes)) & set("0O1IL")


def test_same_seed_gives_the_same_code() -> None:
    assert joincode.generate_join_code(Random(3)) == joincode.generate_join_code(
        Random(3)
    )


def test_typed_codes_are_normalised() -> None:
    assert joincode.normalise_join_code(" kx7p-m2qd ") == "KX7PM2QD"
    assert joincode.is_well_formed(joincode.normalise_join_code("kx7p m2qd"))
    assert not joincode.is_well_formed("KX7PM2Q0")  # 0 is never in a code
    assert not joincode.is_well_formed("KX7PM2Q")
