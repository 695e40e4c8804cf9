"""A postman in a process of its own, for the outbox crash and concurrency tests.

``python -m tests.outbox_worker RECEIVER [--hang before|after] [--delay S] [--wait-for PATH]``
wires the backend from the ``PSO_*`` environment like ``pso serve`` does, but with a delivery
function that appends each message id it gets to RECEIVER (one ``os.write`` per line on an
``O_APPEND`` file, so a SIGKILL never leaves half a line and several processes can share it).
It delivers until no message is left undelivered, then exits 0.

``--hang before`` writes the id to ``RECEIVER.claimed`` and then blocks inside the delivery,
before recording it; ``--hang after`` blocks after recording it, before the delivery mark.
"""

from __future__ import annotations

import argparse
import os
import time
from pathlib import Path
from typing import Any

from api.settings import Settings
from api.wiring import Backend

FOREVER = 3600.0


def main() -> None:
    """Deliver every outbox message to the receiver file."""
    parser = argparse.ArgumentParser()
    parser.add_argument("receiver", type=Path)
    parser.add_argument("--hang", choices=("before", "after"))
    parser.add_argument("--delay", type=float, default=0.0, help="seconds before and after")
    parser.add_argument("--wait-for", type=Path, help="start delivering once this file exists")
    args = parser.parse_args()
    received = os.open(args.receiver, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)

    def deliver(message: dict[str, Any]) -> None:
        line = f"{message['message_id']}\n".encode()
        time.sleep(args.delay)
        if args.hang == "before":
            Path(f"{args.receiver}.claimed").write_bytes(line)
            time.sleep(FOREVER)
        os.write(received, line)
        if args.hang == "after":
            time.sleep(FOREVER)
        time.sleep(args.delay)

    backend = Backend.build(Settings.from_env(), deliver=deliver)
    if args.wait_for:  # say it is ready (RECEIVER.ready.PID), then wait for the start
        Path(f"{args.receiver}.ready.{os.getpid()}").touch()
        while not args.wait_for.exists():
            time.sleep(0.01)
    postman = backend.scheduler.postman
    while postman.undelivered():
        postman.deliver_all()
        time.sleep(0.02)
    backend.close()


if __name__ == "__main__":
    main()
