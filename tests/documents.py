"""What the document tests do with a PDF: read its text back (pypdf), check that nothing of the
machinery shows (topics, ids, raw dicts, ``None``), and photograph its pages (poppler's
``pdftoppm``, installed by ``make install``) into var/screenshots for a reviewer."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

from pypdf import PdfReader

SCREENSHOTS = Path(__file__).parents[1] / "var" / "screenshots"
UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.IGNORECASE)
PDFTOPPM = Path("/usr/bin/pdftoppm")


def pdf_text(document: bytes) -> str:
    """The text of every page of a PDF, pages joined by a blank line."""
    reader = PdfReader(io.BytesIO(document))
    return "\n\n".join(page.extract_text() for page in reader.pages)


def pdf_pages(document: bytes) -> int:
    """How many pages a PDF has."""
    return len(PdfReader(io.BytesIO(document)).pages)


def machinery(text: str) -> list[str]:
    """What a reader of a document should never see in it: event topics, UUIDs, Python dicts
    and ``None``; each found, quoted."""
    found = re.findall(r"\bdomain\.\S+|\bpso\.[a-z_]+\.\S+", text) + UUID.findall(text)
    found += [m for m in ("{'", "None", "'}") if m in text]
    return found


def photograph_pdf(document: bytes, name: str) -> list[Path]:
    """Each page of a PDF as a PNG in var/screenshots (``NAME-1.png``...)."""
    if shutil.which(str(PDFTOPPM)) is None:
        raise AssertionError(f"{PDFTOPPM} is missing: `make install` installs poppler-utils")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob(f"{name}-*.png"):
        old.unlink()
    source = SCREENSHOTS / f"{name}.pdf"
    source.write_bytes(document)
    subprocess.run(  # noqa: S603 (poppler's pdftoppm, fixed arguments)
        [str(PDFTOPPM), "-r", "60", "-png", str(source), str(SCREENSHOTS / name)],
        check=True,
        timeout=60,
    )
    return sorted(SCREENSHOTS.glob(f"{name}-*.png"))
