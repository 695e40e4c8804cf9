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
#: a target-group worker's starting position at intake (uitgangspositie)
STARTING_POSITIONS: dict[str, str] = {
    "wsw": N_("Wsw-indicatie (SW)"),
    "participatiewet": N_("Participatiewet of bijstand, zonder loonkostensubsidie"),
    "participatiewet_lks": N_("Participatiewet met loonkostensubsidie"),
    "wao_wia_waz": N_("WAO, WIA of WAZ"),
    "wajong": N_("Wajong"),
    "bbl_bol_1": N_("BBL/BOL niveau 1, of VSO/PRO met stage of werkervaringsplaats"),
    "bbl_bol_2": N_("BBL/BOL niveau 2 met stage of leerwerkovereenkomst"),
    "bbl_bol_3_4": N_("BBL/BOL niveau 3 of 4"),
    "vso_pro": N_("VSO/PRO, met of zonder doelgroepregister"),
    "ww": N_("WW (ten minste 6 maanden)"),
    "wiw_id": N_("WIW- of ID-baan"),
    "lost_status": N_("Doelgroepstatus verloren in de laatste 2 jaar"),
    "doelgroepregister": N_("Andere registratie in het doelgroepregister"),
    "temporary_protection": N_("Tijdelijke bescherming (Oekraïne)"),
}
#: a target-group worker's kind of contract
CONTRACTS: dict[str, str] = {
    "regular": N_("Regulier contract (vast of tijdelijk)"),
    "supported_employment": N_("Begeleid werken"),
    "secondment": N_("Detachering of andere flexibele inzet"),
    "internship": N_("Stage, werkervaringsplaats of re-integratietraject"),
    "trial_placement": N_("Proefplaatsing"),
}
#: the four qualitative criteria of a trede
CRITERIA: dict[str, str] = {
    "passend_werk": N_("Passend werk"),
    "integratie": N_("Integratie"),
    "functioneren_en_ontwikkeling": N_("Functioneren en ontwikkeling"),
    "begeleiding": N_("Begeleiding"),
}
#: the four parts of an aspirant's plan of approach, by their handbook names
PLAN_PARTS: dict[str, str] = {
    "doelstelling": N_("Doelstelling"),
    "creeren_draagvlak": N_("Creëren van draagvlak"),
    "aanpassen_werving_selectie": N_("Aanpassen van werving en selectie"),
    "functies_beschikbaar": N_("Functies beschikbaar"),
}
