"""One aggregate's stored events with their positions in the log (notification ids).

eventsourcing reads an aggregate's events without their log positions; a timeline needs them to
order events recorded at the same moment (one command saves several aggregates at one time, and
their order in the log is the order they were recorded in). One query per aggregate, as a plain
read of its events: nothing here scans the log.
"""

from __future__ import annotations

from uuid import UUID

from eventsourcing.persistence import Recorder, StoredEvent
from eventsourcing.popo import POPOApplicationRecorder
from eventsourcing.postgres import PostgresApplicationRecorder
from eventsourcing.sqlite import SQLiteApplicationRecorder


def positioned_events(recorder: Recorder, originator_id: UUID) -> list[tuple[int, StoredEvent]]:
    """The stored events of one aggregate in version order, each with its log position."""
    if isinstance(recorder, SQLiteApplicationRecorder):
        return _sqlite(recorder, originator_id)
    if isinstance(recorder, PostgresApplicationRecorder):
        return _postgres(recorder, originator_id)
    if isinstance(recorder, POPOApplicationRecorder):
        return _memory(recorder, originator_id)
    msg = f"no log positions from a {type(recorder).__name__}"
    raise TypeError(msg)


def _sqlite(
    recorder: SQLiteApplicationRecorder, originator_id: UUID
) -> list[tuple[int, StoredEvent]]:
    # eventsourcing's SQLite notification id is the rowid of the events table; the table name is
    # eventsourcing's own and the id a parameter
    columns = "rowid AS notification_id, originator_id, originator_version, topic, state"
    statement = (
        f"SELECT {columns} FROM {recorder.events_table_name} "  # noqa: S608 (see above)
        "WHERE originator_id=? ORDER BY originator_version"
    )
    with recorder.datastore.transaction(commit=False) as cursor:
        cursor.execute(statement, [originator_id.hex])
        return [
            (
                row["notification_id"],
                StoredEvent(
                    originator_id=recorder.convert_originator_id(row["originator_id"]),
                    originator_version=row["originator_version"],
                    topic=row["topic"],
                    state=row["state"],
                ),
            )
            for row in cursor.fetchall()
        ]


def _postgres(
    recorder: PostgresApplicationRecorder, originator_id: UUID
) -> list[tuple[int, StoredEvent]]:
    # eventsourcing's own statement (SELECT * ... WHERE originator_id = %s) has notification_id
    with recorder.datastore.get_connection() as conn, conn.cursor() as cursor:
        cursor.execute(recorder.select_events_statement, [originator_id])
        rows = sorted(cursor.fetchall(), key=lambda row: row["originator_version"])
    return [
        (
            row["notification_id"],
            StoredEvent(
                originator_id=row["originator_id"],
                originator_version=row["originator_version"],
                topic=row["topic"],
                state=bytes(row["state"]),
            ),
        )
        for row in rows
    ]


def _memory(
    recorder: POPOApplicationRecorder, originator_id: UUID
) -> list[tuple[int, StoredEvent]]:
    # the in-memory recorder has no public read of positions; its notification id is the index
    # in its list of events plus one (see POPOAggregateRecorder._update_table)
    with recorder._database_lock:
        index = recorder._stored_events_index.get(str(originator_id), {})
        stored = recorder._stored_events
        return [(index[version] + 1, stored[index[version]]) for version in sorted(index)]
