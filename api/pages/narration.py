"""The timeline in plain language: every kind of event as a Dutch sentence, its facts as labelled
values (levels as "Trede 2", dates as "1 juli 2026", amounts in euros, the ids of other parts of
the story as what a person knows them by), and whether a change was backdated or scheduled.

Tables, not code per event: ``SENTENCES`` holds the sentence of every topic that appears in an
organisation's timeline, ``FACTS`` the label and kind of every fact (a unit test checks both
against the domain's event classes)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from gettext import NullTranslations
from typing import Any

from babel.numbers import format_currency, format_decimal

from api.pages import labels
from api.pages.labels import N_
from api.pages.language import LOCALES, long_date, moment
from api.staff_views import TimelineEntry
from domain.clock import business_date

#: what happened, by the event's stable topic (without its ``.vN``)
SENTENCES: dict[str, str] = {
    "pso.organisation.Registered": N_("De organisatie is ingeschreven."),
    "pso.organisation.ApplicationLodged": N_("Een aanvraag is bij de organisatie vastgelegd."),
    "pso.organisation.CertificateAttached": N_("Een certificaat is aan de organisatie gekoppeld."),
    "pso.organisation.CedrisMembershipRecorded": N_("Het lidmaatschap van Cedris is vastgelegd."),
    "pso.organisation.PrecededBy": N_("Een voorganger van de organisatie is vastgelegd."),
    "pso.organisation.SucceededBy": N_("Een opvolger van de organisatie is vastgelegd."),
    "pso.organisation.SubsidiariesChanged": N_("De dochterondernemingen zijn gewijzigd."),
    "pso.kvk_index.Claimed": N_("Het KvK-nummer is aan de organisatie toegekend."),
    "pso.kvk_index.Reclaimed": N_("Het KvK-nummer is opnieuw aan de organisatie toegekend."),
    "pso.kvk_index.Released": N_("Het KvK-nummer is vrijgegeven."),
    "pso.application.Submitted": N_("De definitieve aanvraag is ingediend."),
    "pso.application.Imported": N_("De aanvraag is overgenomen uit het vorige register."),
    "pso.application.AuditPlanObjected": N_("Er is bezwaar gemaakt tegen het auditplan."),
    "pso.application.AuditPlanned": N_("De audit is gepland."),
    "pso.application.FindingRecorded": N_("Een bevinding van de audit is vastgelegd."),
    "pso.application.FiguresCorrected": N_("De cijfers van de aanvraag zijn gecorrigeerd."),
    "pso.application.AuditReportFiled": N_("Het auditrapport is ingediend."),
    "pso.application.Granted": N_("Op de aanvraag is positief besloten."),
    "pso.application.Refused": N_("De aanvraag is afgewezen."),
    "pso.application.DecisionOverdueFlagged": N_("Het besluit is te laat: gemeld aan PSO."),
    "pso.application.DecisionBecameFinal": N_("Het besluit is onherroepelijk geworden."),
    "pso.application.ObjectionLodged": N_("Een bezwaar is bij de aanvraag vastgelegd."),
    "pso.application.Cancelled": N_("De aanvraag is geannuleerd."),
    "pso.certificate.Issued": N_("Het certificaat is uitgegeven."),
    "pso.certificate.ReminderIssued": N_("Een herinnering voor hercertificering is verstuurd."),
    "pso.certificate.Suspended": N_("Het certificaat is geschorst."),
    "pso.certificate.Reinstated": N_("De schorsing van het certificaat is opgeheven."),
    "pso.certificate.Withdrawn": N_("Het certificaat is ingetrokken."),
    "pso.certificate.LevelRevised": N_("De trede van het certificaat is herzien."),
    "pso.certificate.Superseded": N_("Het certificaat is vervangen door een nieuw certificaat."),
    "pso.certificate.Expired": N_("Het certificaat is verlopen."),
    "pso.certificate.AspirantExtended": N_("Het aspirantschap is verlengd."),
    "pso.objection.Filed": N_("Er is bezwaar gemaakt tegen het besluit."),
    "pso.objection.BoardAnswered": N_("Het bestuur heeft op het bezwaar beslist."),
    "pso.objection.EscalatedToCommittee": N_("Het bezwaar is voorgelegd aan de bezwaarcommissie."),
    "pso.objection.CommitteeDecided": N_("De bezwaarcommissie heeft beslist."),
    "pso.participation.Started": N_("De jaarbijdrage voor het certificaat is gestart."),
    "pso.participation.Invoiced": N_("Een jaarbijdrage is gefactureerd."),
    "pso.participation.Discounted": N_("Op een jaarbijdrage is korting gegeven."),
    "pso.participation.MarkedOverdue": N_("Een jaarbijdrage is niet op tijd betaald."),
    "pso.participation.Paid": N_("Een jaarbijdrage is betaald."),
}

#: how a fact is written: its kind decides the notation (see ``_write``)
DATE, LEVEL, YES_NO, MONEY, NUMBER, PERCENT, TEXT, KVKS, REFERENCE, INSTITUTION, OUTCOME = (
    "date", "level", "yes_no", "money", "number", "percent", "text", "kvks", "reference",
    "institution", "outcome",
)  # fmt: skip
#: the label and kind of every fact of an event, by its field name
FACTS: dict[str, tuple[str, str]] = {
    "name": (N_("Naam"), TEXT),
    "place": (N_("Plaats"), TEXT),
    "main_kvk": (N_("KvK-nummer"), TEXT),
    "kvk": (N_("KvK-nummer"), TEXT),
    "predecessor_kvk": (N_("KvK-nummer van de voorganger"), TEXT),
    "successor_kvk": (N_("KvK-nummer van de opvolger"), TEXT),
    "subsidiaries": (N_("Dochterondernemingen (KvK)"), KVKS),
    "member": (N_("Lid van Cedris"), YES_NO),
    "organisation_id": (N_("Organisatie"), REFERENCE),
    "application_id": (N_("Aanvraag"), REFERENCE),
    "certificate_id": (N_("Certificaat"), REFERENCE),
    "objection_id": (N_("Bezwaar"), REFERENCE),
    "successor_id": (N_("Nieuw certificaat"), REFERENCE),
    "aspirant": (N_("Aspirant"), YES_NO),
    "scope": (N_("Aangevraagd voor (KvK)"), KVKS),
    "ci": (N_("Certificerende instelling"), INSTITUTION),
    "handbook_version": (N_("Handboekversie"), TEXT),
    "submission_date": (N_("Ingediend op"), DATE),
    "decision_date": (N_("Besluitdatum"), DATE),
    "objection_date": (N_("Bezwaar gemaakt op"), DATE),
    "audit_date": (N_("Auditdatum"), DATE),
    "finding": (N_("Bevinding"), TEXT),
    "advice_level": (N_("Geadviseerde trede"), LEVEL),
    "advice_pso30plus": (N_("PSO 30+ geadviseerd"), YES_NO),
    "summary": (N_("Samenvatting"), TEXT),
    "level": (N_("Trede"), LEVEL),
    "pso30plus": (N_("PSO 30+"), YES_NO),
    "flagged_on": (N_("Gemeld op"), DATE),
    "final_on": (N_("Onherroepelijk op"), DATE),
    "cancellation_date": (N_("Geannuleerd op"), DATE),
    "number": (N_("Certificaatnummer"), TEXT),
    "covered_kvks": (N_("Gedekte KvK-nummers"), KVKS),
    "valid_from": (N_("Geldig vanaf"), DATE),
    "valid_until": (N_("Geldig tot en met"), DATE),
    "total_score": (N_("Totaalscore"), PERCENT),
    "reminder_date": (N_("Herinnerd op"), DATE),
    "effective_date": (N_("Ingangsdatum"), DATE),
    "filed_on": (N_("Ingediend op"), DATE),
    "answer_date": (N_("Beslist op"), DATE),
    "outcome": (N_("Uitkomst"), OUTCOME),
    "revised_level": (N_("Herziene trede"), LEVEL),
    "certificate_number": (N_("Certificaat"), TEXT),
    "start_date": (N_("Startdatum"), DATE),
    "total_fte": (N_("Totaal aantal fte"), NUMBER),
    "year": (N_("Bijdragejaar"), NUMBER),
    "invoice_date": (N_("Factuurdatum"), DATE),
    "due_date": (N_("Te betalen uiterlijk"), DATE),
    "bracket": (N_("Staffel"), TEXT),
    "base_amount": (N_("Basisbedrag"), MONEY),
    "discount": (N_("Korting"), MONEY),
    "amount": (N_("Bedrag"), MONEY),
    "schedule_effective_from": (N_("Tarieven geldig vanaf"), DATE),
    "overdue_on": (N_("Te laat sinds"), DATE),
    "paid_on": (N_("Betaald op"), DATE),
}
OUTCOMES = {"upheld": N_("gegrond"), "rejected": N_("ongegrond")}
ROLES = {
    "admin": N_("beheerder"),
    "staff": N_("medewerker PSO"),
    "auditor": N_("auditor"),
    "scheduler": N_("het register zelf (termijnbewaking)"),
    "import": N_("import uit het vorige register"),
}
#: changes whose effective date a person chose: marked when it lies before the day they were
#: recorded (backdated) or after it (scheduled)
CHOSEN_DATES = frozenset(
    {
        "pso.certificate.Suspended",
        "pso.certificate.Reinstated",
        "pso.certificate.Withdrawn",
        "pso.organisation.PrecededBy",
        "pso.organisation.SucceededBy",
    }
)
#: what a person knows the parts of the story by, by the event that creates each part
CERTIFICATE_OF = N_("certificaat %(number)s")
APPLICATION_OF = N_("aanvraag van %(day)s")
OBJECTION_OF = N_("bezwaar van %(day)s")
CONTRIBUTION_OF = N_("jaarbijdrage van certificaat %(number)s")
KVK_NUMBER_OF = N_("KvK-nummer %(kvk)s")
AN_EARLIER_PART = N_("een eerder deel van het dossier")


@dataclass(frozen=True)
class Fact:
    """One fact of an event as a person reads it."""

    label: str
    value: str


@dataclass(frozen=True)
class Told:
    """One event of the timeline in plain language."""

    recorded_at: str
    effective: list[Fact]
    subject: str
    sentence: str
    facts: list[Fact]
    actor: str
    reason: str | None
    backdated: bool
    scheduled: bool


def kind_of(topic: str) -> str:
    """An event's topic without its version: ``pso.certificate.Withdrawn``."""
    return topic.rsplit(".", 1)[0]


def subjects(entries: Iterable[TimelineEntry], language: str, words: NullTranslations) -> dict[
    str, str
]:  # fmt: skip
    """What each part of the story (aggregate) is called, from the event that created it."""
    gettext = words.gettext
    names: dict[str, str] = {}
    for entry in entries:
        kind, facts, key = kind_of(entry.event), entry.facts, str(entry.aggregate_id)
        if kind == "pso.organisation.Registered":
            names[key] = f"{facts['name']} (KvK {facts['main_kvk']})"
        elif kind == "pso.kvk_index.Claimed" and key not in names:
            names[key] = gettext(KVK_NUMBER_OF) % {"kvk": facts["kvk"]}
        elif kind == "pso.certificate.Issued":
            names[key] = gettext(CERTIFICATE_OF) % {"number": facts["number"]}
        elif kind == "pso.participation.Started":
            names[key] = gettext(CONTRIBUTION_OF) % {"number": facts["certificate_number"]}
        elif kind in ("pso.application.Submitted", "pso.application.Imported"):
            day = facts.get("submission_date") or facts.get("decision_date")
            names[key] = gettext(APPLICATION_OF) % {"day": long_date(_day(day), language)}
        elif kind == "pso.objection.Filed":
            names[key] = gettext(OBJECTION_OF) % {
                "day": long_date(_day(facts["filed_on"]), language)
            }
    return names


def narrate(entries: list[TimelineEntry], language: str, words: NullTranslations) -> list[Told]:
    """The timeline in plain language, in recorded order."""
    names = subjects(entries, language, words)
    gettext = words.gettext

    def write(name: str, value: Any) -> str:
        return _write(FACTS[name][1], value, language, gettext, names)

    told = []
    for entry in entries:
        kind = kind_of(entry.event)
        recorded_day = business_date(entry.recorded_at)
        shown = [(n, v) for n, v in entry.facts.items() if v not in (None, "", [])]
        dated = [(n, _day(v)) for n, v in shown if FACTS[n][1] == DATE]
        chosen = [day for name, day in dated if name == "effective_date"]
        moved = kind in CHOSEN_DATES and bool(chosen)
        told.append(
            Told(
                recorded_at=moment(entry.recorded_at, language),
                effective=[Fact(gettext(FACTS[n][0]), long_date(d, language)) for n, d in dated],
                subject=names.get(str(entry.aggregate_id), gettext(AN_EARLIER_PART)),
                sentence=gettext(SENTENCES[kind]),
                facts=[
                    Fact(gettext(FACTS[n][0]), write(n, v)) for n, v in shown if FACTS[n][1] != DATE
                ],
                actor=_actor(entry, gettext),
                reason=entry.reason,
                backdated=moved and chosen[0] < recorded_day,
                scheduled=moved and chosen[0] > recorded_day,
            )
        )
    return told


def _actor(entry: TimelineEntry, gettext: Callable[[str], str]) -> str:
    role = gettext(ROLES[entry.actor_role])
    if entry.actor_ci:
        role = f"{role}, {labels.INSTITUTIONS.get(entry.actor_ci, entry.actor_ci)}"
    return f"{entry.actor_id} ({role})"


def _day(value: Any) -> dt.date:
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value))


def _number(kind: str, value: Any, locale: str) -> str:
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    if kind == MONEY:
        return format_currency(number, "EUR", locale=locale)
    written = format_decimal(number, locale=locale)
    return f"{written} %" if kind == PERCENT else written


def _write(
    kind: str, value: Any, language: str, gettext: Callable[[str], str], names: dict[str, str]
) -> str:
    """A fact's value in the notation of its kind."""
    writers: dict[str, Callable[[], str]] = {
        LEVEL: lambda: gettext(labels.LEVELS.get(value, value)),
        YES_NO: lambda: gettext(N_("ja")) if value else gettext(N_("nee")),
        KVKS: lambda: ", ".join(str(v) for v in value),
        REFERENCE: lambda: names.get(str(value), gettext(AN_EARLIER_PART)),
        INSTITUTION: lambda: labels.INSTITUTIONS.get(value, str(value)),
        OUTCOME: lambda: gettext(OUTCOMES.get(value, value)),
        MONEY: lambda: _number(kind, value, LOCALES[language]),
        NUMBER: lambda: _number(kind, value, LOCALES[language]),
        PERCENT: lambda: _number(kind, value, LOCALES[language]),
    }
    return writers.get(kind, lambda: str(value))()
