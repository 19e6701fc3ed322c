"""QR codes as inline SVG, made on the server with segno (no JavaScript, no network)."""

from __future__ import annotations

import functools

import segno
from markupsafe import Markup, escape


#: A class page draws its join link's code on every view (about 0.1 s each): the same
#: link gives the same code, so recent ones are kept.
@functools.lru_cache(maxsize=256)
def qr_svg(data: str, *, label: str) -> Markup:
    """An SVG QR code of ``data`` that scales with CSS, with ``label`` as its
    accessible name. Dark modules on a white square with the quiet zone, so phones
    read it in the dark theme and on a projector alike.
    """
    code = segno.make(data, error="m", micro=False)
    svg = code.svg_inline(
        scale=1, border=4, omitsize=True, dark="#000", light="#fff", title=None
    )
    # segno writes <svg viewBox=... class="segno">; name it for screen readers.
    return Markup(
        svg.replace(
            "<svg ",
            f'<svg role="img" aria-label="{escape(label)}" ',
            1,
        )
    )
