"""Pure unpacking of a bank upload that is a .zip: one bank file and the images beside
it, in memory, bounded before anything is read. No Flask or DB imports.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Final

from quiz_app.banks.loader import size_problem
from quiz_app.banks.schema import BANK_SUFFIXES, IMAGE_EXTENSIONS, BankError, Problem

#: Entries a bank archive may list before it is refused unread.
MAX_ARCHIVE_MEMBERS: Final = 500


@dataclass(frozen=True, slots=True)
class BankArchive:
    """A bank file's bytes and its images by the name the questions use."""

    bank_name: str
    bank_bytes: bytes
    images: dict[str, bytes]


def _skipped(name: str) -> bool:
    """Folders and files an archiving tool adds on its own (macOS, hidden files)."""
    parts = PurePosixPath(name).parts
    return any(p.startswith(".") or p == "__MACOSX" for p in parts)


def unpack_bank_archive(
    raw: bytes, *, filename: str, max_bytes: int, max_image_bytes: int
) -> BankArchive:
    """The one bank file of a .zip and the images in its folder (and below).

    Sizes are checked on the archive's own list before a byte is inflated, and no
    member is read past its limit, so a zip bomb costs nothing.

    :raises BankError: naming ``filename`` and what is wrong with it.
    """

    def refuse(message: str) -> BankError:
        return BankError([Problem(filename, 0, 0, message)])

    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        members = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise refuse(f"this is not a readable .zip archive ({exc})") from None
    if len(members) > MAX_ARCHIVE_MEMBERS:
        raise refuse(
            f"the archive lists {len(members)} files; the limit is "
            f"{MAX_ARCHIVE_MEMBERS}"
        )
    files = [m for m in members if not m.is_dir() and not _skipped(m.filename)]
    banks = [m for m in files if m.filename.lower().endswith(BANK_SUFFIXES)]
    if len(banks) != 1:
        raise refuse(
            "a .zip upload must hold exactly one bank file (.yaml or .yml) with its "
            f"images; this one holds {len(banks)}"
        )
    bank = banks[0]
    base = PurePosixPath(bank.filename).parent
    bank_name = PurePosixPath(bank.filename).name
    problems: list[Problem] = []
    if bank.file_size > max_bytes:
        problems.append(size_problem(bank_name, bank.file_size, max_bytes))
    wanted: list[tuple[str, zipfile.ZipInfo]] = []
    for member in files:
        path = PurePosixPath(member.filename)
        if not member.filename.lower().endswith(IMAGE_EXTENSIONS):
            continue
        if path.is_absolute() or ".." in path.parts or not path.is_relative_to(base):
            continue  # not beside the bank: no question can name it
        name = path.relative_to(base).as_posix()
        if member.file_size > max_image_bytes:
            problems.append(
                Problem(
                    filename,
                    0,
                    0,
                    f"the image {name!r} is {member.file_size:,} bytes; the limit is "
                    f"{max_image_bytes:,} bytes",
                )
            )
        wanted.append((name, member))
    if problems:
        raise BankError(problems)
    try:
        with archive.open(bank) as handle:
            bank_bytes = handle.read(max_bytes + 1)
        images = {}
        for name, member in wanted:
            with archive.open(member) as handle:
                images[name] = handle.read(max_image_bytes + 1)
    except (zipfile.BadZipFile, OSError, ValueError, RuntimeError) as exc:
        # RuntimeError: an encrypted member.
        raise refuse(f"the archive cannot be read ({exc})") from None
    return BankArchive(bank_name, bank_bytes, images)
