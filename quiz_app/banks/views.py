"""Web layer: images that banks keep beside their YAML files."""

from __future__ import annotations

from pathlib import Path

from flask import Blueprint, abort, send_file
from werkzeug.wrappers import Response

from quiz_app.banks import services
from quiz_app.banks.imagefiles import safe_image_path

bp = Blueprint("banks", __name__, url_prefix="/banks")

#: Only these files are served, whatever else lies beside a bank.
IMAGE_SUFFIXES = frozenset({".png", ".jpg", ".jpeg", ".gif", ".svg", ".webp"})


@bp.get("/<bank_id>/media/<path:filename>")
def media(bank_id: str, filename: str) -> Response:
    """Serve an image that a bank's questions refer to (and no other file)."""
    folder = services.get_bank_folder(bank_id)
    if (
        folder is None
        or Path(filename).suffix.lower() not in IMAGE_SUFFIXES
        or filename not in services.bank_image_files(bank_id)
    ):
        abort(404)
    path = safe_image_path(Path(folder), filename)
    if path is None:
        abort(404)  # a symlink, or a path out of the bank's folder
    response = send_file(path, max_age=3600)
    # An SVG could carry script: the page's CSP forbids it there, this header covers
    # a direct visit to the file.
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'"
    )
    return response
