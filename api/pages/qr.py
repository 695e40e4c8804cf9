"""A QR code as inline SVG (made here by segno: no image request, nothing from elsewhere)."""

from __future__ import annotations

import html

import segno
from markupsafe import Markup

#: pixels per module: a code of a page address stays sharp on paper and scannable on a screen
SCALE = 4


def qr_svg(text: str, label: str) -> Markup:
    """The QR code of a text (a page's address) as an accessible inline SVG image."""
    svg = segno.make(text, error="m", micro=False).svg_inline(
        scale=SCALE, border=4, dark="#000", light="#fff", svgclass="qr", lineclass=None
    )
    named = f'<svg role="img" aria-label="{html.escape(label)}" '
    return Markup(svg.replace("<svg ", named, 1))  # noqa: S704 (segno's SVG, the label escaped)
