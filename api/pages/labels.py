"""What the pages call the register's codes (levels, statuses, changes, certifying institutions),
as Dutch message ids that the templates translate (``{{ level|level }}``)."""

from __future__ import annotations

from typing import get_args

from api.schemas import LevelName, StatusName


def N_(message: str) -> str:  # noqa: N802 (the gettext convention: marked for extraction only)
    """Mark a message for translation where it is defined; it is translated where it is shown."""
    return message


LEVELS: dict[str, str] = {
    "aspirant": N_("Aspirant"),
    "basistrede": N_("Basistrede"),
    "trede_1": N_("Trede 1"),
    "trede_2": N_("Trede 2"),
    "trede_3": N_("Trede 3"),
}
#: a certificate's status on a day
STATUSES: dict[str, str] = {
    "active": N_("actief"),
    "suspended": N_("geschorst"),
    "withdrawn": N_("ingetrokken"),
    "expired": N_("verlopen"),
    "superseded": N_("vervangen"),
    "not_yet_valid": N_("nog niet geldig"),
}
#: what the register says about an organisation on a day (a position's status)
STANDINGS: dict[str, str] = {
    "certified": N_("gecertificeerd"),
    "suspended": N_("geschorst"),
    "expired": N_("verlopen"),
    "withdrawn": N_("ingetrokken"),
    "superseded": N_("vervangen"),
    "not_yet_certified": N_("nog niet gecertificeerd"),
    "never_certified": N_("nooit gecertificeerd"),
}
#: a change in a certificate's public history
CHANGES: dict[str, str] = {
    "issued": N_("uitgegeven"),
    "suspended": N_("geschorst"),
    "reinstated": N_("schorsing opgeheven"),
    "withdrawn": N_("ingetrokken"),
    "level_revised": N_("trede herzien"),
    "superseded": N_("vervangen door een nieuw certificaat"),
    "expired": N_("verlopen"),
    "aspirant_extended": N_("aspirantschap verlengd"),
}
#: the certifying institutions by their names (not translated)
INSTITUTIONS: dict[str, str] = {
    "kiwa": "Kiwa",
    "tuv_rheinland": "TÜV Rheinland",
    "normec": "Normec",
    "dnv": "DNV",
}
#: the choices of the level and status fields of a form, in the order shown
LEVEL_CHOICES: tuple[str, ...] = get_args(LevelName)
STATUS_CHOICES: tuple[str, ...] = get_args(StatusName)
