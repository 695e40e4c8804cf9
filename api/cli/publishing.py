"""``pso norms publish``: publishing a scheme version as an admin."""

from __future__ import annotations

import getpass
import json
import uuid
from pathlib import Path
from typing import Any

from api.cli.common import run_printing
from domain.register import Register
from domain.values import Cause, Role


def publish_norms(path: Path, actor: str | None) -> None:
    """Publish a resolved handbook document (JSON) as an admin."""
    document = json.loads(path.read_text(encoding="utf-8"))
    cause = Cause(actor or f"cli:{getpass.getuser()}", Role.ADMIN, f"cli-{uuid.uuid4()}")

    def publish(r: Register) -> dict[str, Any]:
        published = r.publish_handbook(document, cause)
        return {"version": published.version, "effective_from": published.effective_from}

    run_printing(publish)
