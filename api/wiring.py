"""The one place that wires the backend together: event store, read models, runner, scheduler."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from sqlalchemy import Engine

from api.settings import Settings
from api.storage import Database
from domain.clock import Clock, SystemClock
from domain.register import Register
from projections.catalogue import ReadModels, read_models
from projections.database import schema_lock
from projections.queries import RegisterQueries
from projections.runner import Runner
from projections.staff_queries import StaffQueries
from scheduler.deliveries import Policy
from scheduler.delivery import Deliver, Postman, log_delivery
from scheduler.service import Scheduler
from scheduler.sweep import Sweep


@dataclass
class Backend:
    """Everything a process of the register needs, built from the settings."""

    database: Database
    register: Register
    reader: Engine
    writer: Engine
    models: ReadModels
    runner: Runner
    queries: RegisterQueries
    staff: StaffQueries
    scheduler: Scheduler

    @classmethod
    def build(
        cls,
        settings: Settings,
        clock: Clock | None = None,
        batch_size: int = 1000,
        deliver: Deliver = log_delivery,
    ) -> Backend:
        """Open the database of ``PSO_DATABASE_URL`` and create missing read-model tables;
        outbox messages go to ``deliver``."""
        clock = clock or SystemClock()
        database = Database.parse(settings.database_url)
        env = database.event_store_env(settings.cipher_key)
        writer = database.engine(writer=True)
        with schema_lock(writer):  # the event store creates its tables on PostgreSQL here
            register = Register(env, clock=clock)
        reader = database.engine()
        models = read_models(register.catalogue)
        runner = Runner(register, writer, models.all(), batch_size=batch_size, reader=reader)
        runner.setup()
        staff = StaffQueries(reader, models)
        sweep = Sweep(register, runner, staff)
        postman = Postman(
            writer, models.outbox, clock, deliver, delivery_policy(settings), reader=reader
        )
        return cls(
            database=database,
            register=register,
            reader=reader,
            writer=writer,
            models=models,
            runner=runner,
            queries=RegisterQueries(reader, models, clock, head=runner.head),
            staff=staff,
            scheduler=Scheduler(sweep, postman),
        )

    def close(self) -> None:
        """Release connections."""
        self.reader.dispose()
        self.writer.dispose()
        self.register.close()


def delivery_policy(settings: Settings) -> Policy:
    """The outbox's lease and retries from the settings."""
    return Policy(
        lease=dt.timedelta(seconds=settings.outbox_lease_seconds),
        max_attempts=settings.outbox_max_attempts,
        first_retry=dt.timedelta(seconds=settings.outbox_retry_seconds),
    )
