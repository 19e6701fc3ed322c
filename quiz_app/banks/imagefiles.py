"""Bank image files on disk: only regular files inside the bank's own folder.

A teacher's bank (or an uploaded archive) could carry ``img.png -> /etc/passwd`` or a
link to the secret key; following it would serve that file to anyone.
"""

from __future__ import annotations

from pathlib import Path


def image_file_problem(base: Path, name: str) -> str | None:
    """Why ``name`` (relative to the bank's folder ``base``) may not be served, or
    None when it is a regular file inside that folder, reached without any symlink.
    """
    path = base
    for part in Path(name).parts:
        path = path / part
        if path.is_symlink():
            return f"image file {name!r} is a symbolic link; copy the image instead"
    try:
        resolved = path.resolve(strict=True)
    except (OSError, RuntimeError):
        return f"image file {name!r} not found beside the bank"
    if not resolved.is_relative_to(base.resolve()):
        return f"image file {name!r} lies outside the bank's folder"
    if not resolved.is_file():
        return f"image file {name!r} not found beside the bank"
    return None


def safe_image_path(base: Path, name: str) -> Path | None:
    """The image's path when it may be served, else None."""
    return None if image_file_problem(base, name) else base / name
