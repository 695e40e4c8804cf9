"""``pso import FILE``: bring an existing register in from CSV, all or nothing."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import Progress

from api.cli.common import BAD_INPUT, emit
from api.settings import Settings
from api.wiring import Backend
from domain.import_file import parse_register_csv
from domain.service.imports import ImportRefusedError
from domain.values import Cause, Role

err = Console(stderr=True)


def import_register(
    file: Annotated[Path, typer.Argument(help="CSV with the columns listed in the README.")],
    dry_run: Annotated[  # noqa: FBT002 (a command-line flag)
        bool, typer.Option("--dry-run", help="Check everything, write nothing.")
    ] = False,
) -> None:
    """Import certificates of an existing register (effective dates from the file)."""
    try:
        text = file.read_text(encoding="utf-8-sig")
    except OSError as exc:
        err.print(f"error: cannot read {file}: {exc.strerror}")
        raise typer.Exit(BAD_INPUT) from None
    rows, problems = parse_register_csv(text)
    if problems:
        _refuse(file, problems)
    backend = Backend.build(Settings.from_env())
    cause = Cause(
        "import",
        Role.IMPORT,
        f"import-{file.name}-{uuid.uuid4().hex[:8]}",
        reason=f"imported from {file.name}",
    )
    try:
        with Progress(console=err) as bar:
            task = bar.add_task("importing", total=len(rows) or 1)
            report = backend.register.import_register(
                rows,
                cause,
                dry_run=dry_run,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        if not dry_run:
            backend.runner.catch_up()
    except ImportRefusedError as exc:
        _refuse(file, exc.problems)
    finally:
        backend.close()
    emit({"dry_run": dry_run, **vars(report)})


def _refuse(file: Path, problems: list[str]) -> None:
    err.print(f"error: {file} was not imported ({len(problems)} problem(s)); nothing was written:")
    for problem in problems:
        err.print(f"  {problem}", highlight=False)
    raise typer.Exit(BAD_INPUT)
