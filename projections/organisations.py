"""Which organisation covers a KvK number: a table each projection that looks up by KvK keeps."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Connection, String, Table

from domain.organisation import Organisation
from projections.projection import Projection
from projections.rows import Rows


def kvk_table(projection: Projection) -> Table:
    """Declare the KvK table of a projection and keep it from organisation events."""
    table = projection.table(
        "kvks",
        Column("kvk", String(8), primary_key=True),
        Column("organisation_id", String(36), nullable=False, index=True),
    )
    rows = projection.buffer(table)

    def registered(_conn: Connection, _event: Any, org: Any, _position: int) -> None:
        for kvk in org.covered_kvks:
            rows.put({"kvk": kvk, "organisation_id": str(org.id)})

    def changed(conn: Connection, _event: Any, org: Any, _position: int) -> None:
        replace_kvks(conn, rows, str(org.id), org.covered_kvks)

    projection.on(Organisation.Registered, registered)
    projection.on(Organisation.SubsidiariesChanged, changed)
    return table


def replace_kvks(conn: Connection, rows: Rows, organisation_id: str, kvks: tuple[str, ...]) -> None:
    """Point exactly these KvK numbers at the organisation."""
    for row in rows.find(conn, "organisation_id", organisation_id):
        if row["kvk"] not in kvks:
            rows.delete(conn, row["kvk"])
    for kvk in kvks:
        rows.put({"kvk": kvk, "organisation_id": organisation_id})
