"""``pso report``: the dispute report of an organisation on a day, as the staff route gives it
(JSON, or the document as PDF or printable HTML), for staff who open it without a browser token."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Annotated, Literal

import typer

from api.cli.common import Day, emit, parse_date, register
from api.pages.dispute_document import author, dispute_document, dispute_html, dispute_pdf


def report(
    kvk: Annotated[str, typer.Option(help="A KvK number the organisation covers.")],
    on: Day,
    pdf: Annotated[Path | None, typer.Option(help="Write the document as a PDF here.")] = None,
    html: Annotated[
        Path | None, typer.Option(help="Write the document as a printable HTML page here.")
    ] = None,
    lang: Annotated[Literal["nl", "en"], typer.Option(help="The document's language.")] = "nl",
    by: Annotated[
        str | None, typer.Option(help="Who made it, as the document names them (default: $USER).")
    ] = None,
) -> None:
    """The dispute report: the position on a day as known now and as the register said it at
    each moment it changed, with the timeline; JSON on stdout, or the document to a file."""
    day = parse_date(on, "--on")
    with register() as reg:
        if pdf is None and html is None:
            emit(
                dispute_document(reg, kvk, day, "", reg.clock.now()).report.model_dump(mode="json")
            )
            return
        made_by = author(by or f"cli:{getpass.getuser()}", "staff", lang)
        document = dispute_document(reg, kvk, day, made_by, reg.clock.now())
        if pdf is not None:
            pdf.write_bytes(dispute_pdf(document, lang))
            typer.echo(f"wrote {pdf}", err=True)
        if html is not None:
            html.write_text(dispute_html(document, lang, []), encoding="utf-8")
            typer.echo(f"wrote {html}", err=True)
