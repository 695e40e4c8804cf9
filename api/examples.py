"""Worked examples of the public answers, as the OpenAPI page shows them: one small register
(Groenwerk Utrecht BV, trede 2 since 1 July 2025, suspended from 1 March 2026 and reinstated on
1 April 2026), written as the register really answers it."""

from __future__ import annotations

from typing import Any

KVK = "30123456"
SUBSIDIARY = "30123457"
NUMBER = "PSO-2025-000042"
ON = "2026-12-01"

CERTIFICATE_ON_DAY: dict[str, Any] = {
    "number": NUMBER,
    "level": "trede_2",
    "pso30plus": False,
    "valid_from": "2025-07-01",
    "valid_until": "2027-06-30",
    "status": "active",
}
HISTORY: list[dict[str, Any]] = [
    {"position": 1812, "change": "issued", "level": "trede_2", "effective_date": "2025-07-01",
     "recorded_at": "2025-07-01T10:15:02+00:00", "scheduled": False},
    {"position": 2240, "change": "suspended", "level": "trede_2", "effective_date": "2026-03-01",
     "recorded_at": "2026-02-26T14:03:11+00:00", "scheduled": False},
    {"position": 2391, "change": "reinstated", "level": "trede_2", "effective_date": "2026-04-01",
     "recorded_at": "2026-04-01T08:30:45+00:00", "scheduled": False},
]  # fmt: skip
CERTIFICATE: dict[str, Any] = {
    "number": NUMBER,
    "on": ON,
    "status": "active",
    "level": "trede_2",
    "pso30plus": False,
    "valid_from": "2025-07-01",
    "valid_until": "2027-06-30",
    "ended_on": None,
    "handbook_version": "2.1",
    "covered_kvks": [KVK, SUBSIDIARY],
    "ci": "kiwa",
    "history": HISTORY,
}
POSITION: dict[str, Any] = {
    "kvk": KVK,
    "on": "2026-06-15",
    "as_known_at": None,
    "status": "certified",
    "level": "trede_2",
    "pso30plus": False,
    "certificate": CERTIFICATE_ON_DAY,
    "since": "2026-04-01",
    "recorded_at": "2026-04-01T08:30:45+00:00",
    "explanation": (
        f"certified at trede_2 by {NUMBER} since 2026-04-01 (recorded 2026-04-01T08:30:45+00:00);"
        " valid 2025-07-01 to 2027-06-30"
    ),
}
REGISTER_ITEM: dict[str, Any] = {
    "main_kvk": KVK,
    "name": "Groenwerk Utrecht BV",
    "place": "Utrecht",
    "covered_kvks": [KVK, SUBSIDIARY],
    "on": ON,
    "status": "active",
    "level": "trede_2",
    "pso30plus": False,
    "certificate_number": NUMBER,
    "valid_from": "2025-07-01",
    "valid_until": "2027-06-30",
    "ci": "kiwa",
}
ORGANISATION: dict[str, Any] = {
    **REGISTER_ITEM,
    "position": {**POSITION, "on": ON},
    "certificates": [CERTIFICATE],
    "successor": None,
    "predecessor": None,
}
REGISTER_PAGE: dict[str, Any] = {"items": [REGISTER_ITEM], "next_cursor": None}
COVERAGE: dict[str, Any] = {
    "kvk": KVK,
    "from": "2026-01-01",
    "to": "2026-12-31",
    "min_level": "trede_2",
    "covered": False,
    "gaps": [
        {
            "from": "2026-03-01",
            "to": "2026-03-31",
            "status": "suspended",
            "level": None,
            "certificate": {**CERTIFICATE_ON_DAY, "status": "suspended"},
        }
    ],
}
CHANGE_PAGE: dict[str, Any] = {
    "items": [
        {
            "cursor": 813213341587458391,
            "position": 2391,
            "published_on": "2026-04-01",
            "change": "reinstated",
            "certificate_number": NUMBER,
            "covered_kvks": [KVK, SUBSIDIARY],
            "level": "trede_2",
            "pso30plus": False,
            "status": "active",
            "effective_date": "2026-04-01",
            "recorded_at": "2026-04-01T08:30:45+00:00",
        }
    ],
    "next_cursor": 813213341587458391,
}
VERIFY_REQUEST: dict[str, Any] = {
    "items": [
        {"kvk": SUBSIDIARY, "on": "2026-06-15", "min_level": "trede_2"},
        {"kvk": KVK, "on": "2026-03-15", "min_level": "trede_1"},
        {"kvk": KVK, "on": "1999-12-31"},
    ]
}
VERIFY_RESPONSE: dict[str, Any] = {
    "results": [
        {
            "index": 0,
            "kvk": SUBSIDIARY,
            "on": "2026-06-15",
            "min_level": "trede_2",
            "ok": True,
            "status": "certified",
            "level": "trede_2",
            "certificate": CERTIFICATE_ON_DAY,
        },
        {
            "index": 1,
            "kvk": KVK,
            "on": "2026-03-15",
            "min_level": "trede_1",
            "ok": False,
            "status": "suspended",
            "level": None,
            "certificate": {**CERTIFICATE_ON_DAY, "status": "suspended"},
        },
        {
            "index": 2,
            "error": {
                "type": "https://pso-register.example/problems/invalid-input",
                "title": "Invalid input",
                "status": 422,
                "detail": "items.2.on: 1999-12-31 lies outside 2000-01-01 to 2100-12-31",
                "errors": [
                    {
                        "field": "items.2.on",
                        "message": "1999-12-31 lies outside 2000-01-01 to 2100-12-31",
                    }
                ],
            },
        },
    ]
}
HANDBOOK_VERSIONS: list[dict[str, Any]] = [
    {"version": "2.0", "effective_from": "2022-04-01", "effective_from_provisional": True,
     "levels": ["aspirant", "trede_1", "trede_2", "trede_3"], "provisional_values": 17},
    {"version": "2.1", "effective_from": "2023-04-01", "effective_from_provisional": False,
     "levels": ["aspirant", "basistrede", "trede_1", "trede_2", "trede_3"],
     "provisional_values": 17},
]  # fmt: skip
CSV = (
    "main_kvk,name,place,covered_kvks,on,status,level,pso30plus,certificate_number,valid_from,"
    "valid_until,ci\r\n"
    f"{KVK},Groenwerk Utrecht BV,Utrecht,{KVK} {SUBSIDIARY},{ON},active,trede_2,False,{NUMBER},"
    "2025-07-01,2027-06-30,kiwa\r\n"
)
JSONL = (
    f'{{"main_kvk":"{KVK}","name":"Groenwerk Utrecht BV","place":"Utrecht","covered_kvks":'
    f'["{KVK}","{SUBSIDIARY}"],"on":"{ON}","status":"active","level":"trede_2","pso30plus":false,'
    f'"certificate_number":"{NUMBER}","valid_from":"2025-07-01","valid_until":"2027-06-30",'
    '"ci":"kiwa"}\n'
)
NEWS_2_1 = "pso-nederland.nl news: Vooraankondiging PSO-handleiding versie 2.1"
#: the start of one version (the answer has every rule of the handbook)
HANDBOOK_VERSION: dict[str, Any] = {
    "version": "2.1",
    "effective_from": {"value": "2023-04-01", "source": NEWS_2_1},
    "levels": {
        "value": ["aspirant", "basistrede", "trede_1", "trede_2", "trede_3"],
        "source": NEWS_2_1,
    },
    "min_size_fte": {"value": 2, "source": "pso-nederland.nl: PSO-normen (pso-normen)"},
    "provisional_values": [
        {
            "value": "size.rounding",
            "why": "not published: the norm table has a row per whole size, so the total FTE is "
            "rounded half up to a whole size (1.5 FTE is size 2)",
        }
    ],
}

PROBLEMS = "https://pso-register.example/problems/"
NO_CERTIFICATE: dict[str, Any] = {
    "type": PROBLEMS + "not-found",
    "title": "Not found",
    "status": 404,
    "detail": "certificate PSO-2025-000099 is not in the register",
}
NO_ORGANISATION: dict[str, Any] = {
    "type": PROBLEMS + "not-found",
    "title": "Not found",
    "status": 404,
    "detail": "KvK number 99999999 was never certified: it is not in the register",
}
NO_VERSION: dict[str, Any] = {
    "type": PROBLEMS + "unknown-handbook-version",
    "title": "Unknown handbook version",
    "status": 404,
    "detail": "unknown handbook version '9.9'; known versions: 1.5, 1.6, 1.7, 1.8, 1.9, 2.0, 2.1",
}
#: a statement of the position of 15 June 2026, made on 1 December 2026, signed with the key of
#: RFC 8032 section 7.1 TEST 1 (a published test key: docs/statements.md verifies this example)
STATEMENT_ID = "0f8fad5b-d9cb-469f-a165-70867728950e"
ISSUED_AT = "2026-12-01T09:00:00+00:00"
STATEMENT_ON_DAY: dict[str, Any] = {"kvk": KVK, "on": "2026-06-15"}
STATEMENT_OVER_PERIOD: dict[str, Any] = {
    "kvk": KVK,
    "from": "2026-01-01",
    "to": "2026-12-31",
    "min_level": "trede_2",
}
STATEMENT_CONTENT: dict[str, Any] = {
    "format": "pso-statement/1",
    "id": STATEMENT_ID,
    "issued_at": ISSUED_AT,
    "kind": "position",
    "question": STATEMENT_ON_DAY,
    "organisation": {
        "main_kvk": KVK,
        "name": "Groenwerk Utrecht BV",
        "place": "Utrecht",
        "covered_kvks": [KVK, SUBSIDIARY],
    },
    "answer": {**POSITION, "as_known_at": ISSUED_AT},
    "certificates": [
        {k: v for k, v in CERTIFICATE.items() if k != "history"} | {"on": "2026-06-15"}
    ],
}
EXAMPLE_KEY_ID = "21fe31dfa154a261"
STATEMENT: dict[str, Any] = {
    "id": STATEMENT_ID,
    "signature": {
        "alg": "Ed25519",
        "key_id": EXAMPLE_KEY_ID,
        "value": "V0yfwAJ+PEthURNdF5K3anQHgMWJhHWuihQrqGSlIao1fOgn3rToofnv6+qcXfTxMoPC98cn"
        "nwRO9C5Zln16DQ==",
    },
    "statement": STATEMENT_CONTENT,
}
KEYS: dict[str, Any] = {
    "keys": [
        {
            "key_id": EXAMPLE_KEY_ID,
            "alg": "Ed25519",
            "public_key": "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=",
            "valid_from": ISSUED_AT,
        }
    ]
}
