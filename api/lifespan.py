"""What ``pso serve`` runs beside the HTTP routes: the projection runner and the scheduler."""

from __future__ import annotations

import datetime as dt
import secrets
import threading
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import structlog
from fastapi import FastAPI

from api.back_office.guard import BackOffice
from api.middleware import next_request_id
from api.problems import BUSY_ERRORS
from api.readiness import Readiness
from api.settings import Settings
from api.signing import signing_key
from api.storage import Database
from api.users import Users
from api.wiring import Backend
from domain.clock import SimulatedClock, business_date
from domain.errors import DomainError
from domain.register import Register
from domain.signatures import SigningKey
from domain.values import Cause, Role
from scheduler import demo_stories
from scheduler.demo_stories import Story
from scheduler.simulation import Simulation

log = structlog.get_logger(__name__)
DEMO_ORGANISATIONS = 60
DEMO_YEARS = 4
DEMO_USER = "demo-staff"
DEMO_TOKEN_FILE = "demo-staff.token"  # noqa: S105 (a file name, not a secret)
DEMO_PASSWORD_FILE = "demo-staff.password"  # noqa: S105 (a file name, not a secret)
#: what may keep a starting process from publishing its statement key (it is published with
#: the first statement then)
NOT_PUBLISHED: tuple[type[Exception], ...] = (DomainError, *BUSY_ERRORS)


def demo_introduction(settings: Settings) -> str:
    """Seed the demo when empty; the URLs of the docs, three lookups, the demo's stories (the
    changes it recorded late or for a later day) and the demo's staff token (kept between
    starts)."""
    stories = seed_demo(settings)
    backend = Backend.build(settings)
    try:
        backend.runner.catch_up()
        users = Users(backend.writer, backend.reader)
        token = demo_token(settings, users)
        password = demo_password(settings, users)
        active = backend.queries.search(status="active", limit=1)[0]
    finally:
        backend.close()
    base = f"http://{settings.host}:{settings.port}"
    lines = [
        f"PSO register (demo) on {base}",
        f"  home page:   {base}/  (the register in the browser, Dutch; English: {base}/?lang=en)",
        f"  API docs:    {base}/docs",
    ]
    if active:
        org = active[0]
        kvk, number = org["main_kvk"], org["certificate_number"]
        today = business_date(dt.datetime.now(dt.UTC))
        year_ago = today - dt.timedelta(days=365)
        lines += [
            f"  its page:    {base}/c/{number}  (organisation: {base}/o/{kvk})",
            f"  certificate: curl {base}/api/v1/certificates/{number}",
            f"  position:    curl '{base}/api/v1/organisations/{kvk}/position?on={today}'",
            f"  coverage:    curl '{base}/api/v1/organisations/{kvk}/coverage?from={year_ago}"
            f"&to={today}&min_level=trede_1'",
            f"  statement:   curl -X POST {base}/api/v1/statements -H 'Content-Type:"
            f' application/json\' -d \'{{"kvk": "{kvk}", "on": "{today}"}}\'',
            f"  verify it:   .venv/bin/pso statement verify ID --register {base}  (ID: its id)",
        ]
    for story in stories:
        url = f"{base}/api/v1/organisations/{story.kvk}/position?on={story.effective_on}"
        before = story.known_before.strftime("%Y-%m-%dT%H:%M:%SZ")
        lines += [
            f"  {story.what} of {story.number} from {story.effective_on}, recorded"
            f" {story.recorded_at:%Y-%m-%d %H:%M} UTC:",
            f"    as known now:          curl '{url}'",
            f"    as known before then:  curl '{url}&as_known_at={before}'",
        ]
    lines += [
        f"  back office: {base}/beheer  (sign in as {DEMO_USER}, password {password};"
        f" kept in {demo_token_file(settings).with_name(DEMO_PASSWORD_FILE)})",
        f"  staff token: {token} (kept in {demo_token_file(settings)}, valid 90 days)",
        f"  staff:       curl -H 'Authorization: Bearer {token}' {base}/api/v1/staff/worklist",
    ]
    return "\n".join(lines)


def demo_token_file(settings: Settings) -> Path:
    """Where the demo keeps its staff token: beside the SQLite file (``var/`` otherwise)."""
    database = Database.parse(settings.database_url).path
    return (database.parent if database else Path("var")) / DEMO_TOKEN_FILE


def demo_token(settings: Settings, users: Users) -> str:
    """The demo's staff token: the one kept from an earlier start while it is valid, else a new
    one for the same user (the database keeps only its hash; the file is readable by its owner
    only)."""
    path = demo_token_file(settings)
    kept = path.read_text(encoding="utf-8").strip() if path.is_file() else None
    token = users.token_for(DEMO_USER, "staff", kept or None)
    if token != kept:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.chmod(0o600)
        path.write_text(token + "\n", encoding="utf-8")
    return token


def demo_password(settings: Settings, users: Users) -> str:
    """The demo staff user's back-office password: kept beside its token (made once, readable
    by its owner only) and set again at every start (the database keeps only its hash)."""
    path = demo_token_file(settings).with_name(DEMO_PASSWORD_FILE)
    kept = path.read_text(encoding="utf-8").strip() if path.is_file() else ""
    password = kept or secrets.token_urlsafe(12)
    if password != kept:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch(mode=0o600)
        path.chmod(0o600)
        path.write_text(password + "\n", encoding="utf-8")
    users.set_password(DEMO_USER, password)
    return password


def seed_demo(settings: Settings) -> list[Story]:
    """Fill an empty register with a simulated one that ends about today, then record the demo's
    stories; the stories told (none when the register was not empty)."""
    start = dt.datetime.now(dt.UTC) - dt.timedelta(days=365 * DEMO_YEARS)
    clock = SimulatedClock(start)
    backend = Backend.build(settings, clock=clock)
    try:
        if backend.runner.head() > 0:
            return []
        log.info("demo_seeding", organisations=DEMO_ORGANISATIONS, years=DEMO_YEARS)
        Simulation(backend.register, backend.scheduler, clock, seed=2026).run(
            DEMO_ORGANISATIONS, DEMO_YEARS
        )
        kvks = (f"{70000000 + i:08d}" for i in range(DEMO_ORGANISATIONS))
        stories = demo_stories.tell(backend.register, clock, kvks)
        log.info("demo_seeded", events=backend.runner.head(), stories=len(stories))
        return stories
    finally:
        backend.close()


def start_signing(settings: Settings, register: Register) -> SigningKey | None:
    """The configured key, published in the register (once; a busy database only defers it to
    the first statement, which publishes it with itself)."""
    key = signing_key(settings)
    if key is None:
        log.info("statements_unsigned", reason="no PSO_STATEMENT_KEY or PSO_STATEMENT_KEY_FILE")
        return None
    cause = Cause("pso serve", Role.ADMIN, next_request_id(), "the statement key configured")
    try:
        published = register.publish_statement_key(key.public_key, cause)
    except NOT_PUBLISHED as exc:
        log.warning("statement_key_not_published", key_id=key.key_id, error=str(exc))
        return key
    log.info("statement_key", key_id=key.key_id, newly_published=published)
    return key


@asynccontextmanager
async def running(app: FastAPI) -> AsyncIterator[None]:
    """Start the runner thread and the scheduler with the app; stop them with it."""
    settings: Settings = app.state.settings
    backend = Backend.build(settings, clock=app.state.clock)
    app.state.backend = backend
    app.state.users = Users(backend.writer, backend.reader, backend.register.clock)
    app.state.back_office = BackOffice.build(settings, backend, app.state.users)
    app.state.signer = start_signing(settings, backend.register)
    app.state.readiness = Readiness(
        settings, backend.runner, backend.writer, backend.register.clock, backend.database
    )
    stop = threading.Event()
    runner = threading.Thread(
        target=backend.runner.run_forever, args=(stop,), name="projections", daemon=True
    )
    runner.start()
    scheduler = backend.scheduler.start(settings.sweep_interval) if settings.scheduler else None
    log.info("serving", database=settings.database_url.split("@")[-1], scheduler=bool(scheduler))
    try:
        yield
    finally:
        stop.set()
        backend.runner.nudge()
        if scheduler is not None:
            scheduler.shutdown(wait=True)
        runner.join(timeout=30)
        app.state.readiness.close()
        backend.close()
