"""Which organisation covers a KvK number: a table each projection that looks up by KvK keeps."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Connection, String, Table, delete, insert, or_

from projections.projection import Projection

ORGANISATION_TOPICS = ("pso.organisation.Registered.v1", "pso.organisation.SubsidiariesChanged.v1")


def kvk_table(projection: Projection) -> Table:
    """Declare the KvK table of a projection and keep it from organisation events."""
    table = projection.table(
        "kvks",
        Column("kvk", String(8), primary_key=True),
        Column("organisation_id", String(36), nullable=False, index=True),
    )

    def covered(conn: Connection, _event: Any, org: Any, _position: int) -> None:
        replace_kvks(conn, table, str(org.id), org.covered_kvks)

    for topic in ORGANISATION_TOPICS:
        projection.on(topic, covered)
    return table


def replace_kvks(
    conn: Connection, table: Table, organisation_id: str, kvks: tuple[str, ...]
) -> None:
    """Point exactly these KvK numbers at the organisation."""
    conn.execute(
        delete(table).where(or_(table.c.organisation_id == organisation_id, table.c.kvk.in_(kvks)))
    )
    conn.execute(insert(table), [{"kvk": kvk, "organisation_id": organisation_id} for kvk in kvks])
