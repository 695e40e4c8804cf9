"""Documents: a template of the pages rendered as a printable HTML page or as a PDF (WeasyPrint),
from one template. The print style sheet (``api/static/document.css``) sets A4, the margins, the
running header and the footer with "pagina X van Y" (CSS ``@page`` counters; the words come from
the template, so they are translated). Nothing is fetched from elsewhere: the style sheet is read
from ``api/static``, the fonts are Debian's (fontconfig; ``make install`` installs them), and
any other address in a document stops the rendering."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

import weasyprint  # type: ignore[import-untyped]
from weasyprint.urls import FatalURLFetchingError, URLFetcher  # type: ignore[import-untyped]

from api.pages.rendering import STATIC, STATIC_PATH, environment

#: the address documents are rendered under: only its static assets can be read
BASE = "https://document.invalid/"
PDF = "application/pdf"


class LocalAssets(URLFetcher):  # type: ignore[misc]
    """Reads the pages' own assets from ``api/static``; refuses every other address."""

    def fetch(self, url: str, headers: Any = None) -> Any:  # noqa: ARG002 (its signature)
        """The asset's bytes, or a stop of the rendering."""
        parts = urlsplit(url)
        name = parts.path.removeprefix(STATIC_PATH + "/")
        path = (STATIC / name).resolve()
        base = urlsplit(BASE)
        if (parts.scheme, parts.netloc) != (base.scheme, base.netloc) or (
            not parts.path.startswith(STATIC_PATH + "/")
            or not path.is_relative_to(STATIC.resolve())
            or not path.is_file()
        ):
            raise FatalURLFetchingError(f"a document may use only its own assets, not {url}")
        mime = "text/css" if path.suffix == ".css" else "image/svg+xml"
        return weasyprint.urls.URLFetcherResponse(url, path.read_bytes(), {"Content-Type": mime})


def render_document(language: str, template: str, context: Mapping[str, Any]) -> str:
    """A document as an HTML page in a language (``switch``: links to it in other languages)."""
    env = environment(language)
    return env.get_template(template).render({"switch": [], **context})


def pdf(html: str) -> bytes:
    """The PDF of a document's HTML (A4, page numbers, the fonts embedded)."""
    document = weasyprint.HTML(string=html, base_url=BASE, url_fetcher=LocalAssets())
    result: bytes = document.write_pdf()
    return result


def filename(kind: str, reference: str, day: dt.date, suffix: str) -> str:
    """A dated file name: ``geschillenrapport-12345678-2025-06-01.pdf``."""
    safe = "".join(c if c.isalnum() or c in "-_" else "-" for c in reference)
    return f"{kind}-{safe}-{day.isoformat()}.{suffix}"
