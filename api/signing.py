"""The key that signs statements: read from the settings (``PSO_STATEMENT_KEY``, or the file of
``PSO_STATEMENT_KEY_FILE`` that ``pso statement keygen FILE`` writes; ``pso serve`` publishes it
in the register when it starts signing with it: api/lifespan.py), and the demo's own key, kept
between starts.

Rotating the key is configuring another one: the next start publishes it (valid from then), and
every key published before stays listed at ``GET /api/v1/keys``, so older statements keep
verifying. The private key never leaves the process; the register keeps only public keys.
"""

from __future__ import annotations

import os
from pathlib import Path

from api.settings import Settings, signing_key_of
from api.storage import Database
from domain.signatures import SigningKey

DEMO_KEY_FILE = "demo-statement-key.pem"


def signing_key(settings: Settings) -> SigningKey | None:
    """The configured statement key, or None when statements are not configured."""
    if settings.statement_key is not None:
        return signing_key_of(settings.statement_key.encode(), "PSO_STATEMENT_KEY")
    if settings.statement_key_file is not None:
        path = settings.statement_key_file
        return signing_key_of(Path(path).read_bytes(), f"the key file {path}")
    return None


def write_key_file(path: Path) -> SigningKey:
    """A new key, written as PEM to a new file readable by its owner only."""
    key = SigningKey.generate()
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(descriptor, "wb") as sink:
        sink.write(key.pem())
    return key


def with_demo_key(settings: Settings) -> Settings:
    """The demo's settings: unless a statement key is configured, the demo's own key, kept in
    a file beside the SQLite file (``var/`` otherwise), made on the first start and used by
    every later one."""
    if settings.statement_key is not None or settings.statement_key_file is not None:
        return settings
    database = Database.parse(settings.database_url).path
    path = (database.parent if database else Path("var")) / DEMO_KEY_FILE
    if not path.exists():
        write_key_file(path)
    return settings.model_copy(update={"statement_key_file": str(path)})
