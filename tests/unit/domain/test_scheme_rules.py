"""Scheme versions published as events: a future version can be corrected, one in force cannot."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

import pytest

from domain.errors import ForbiddenError, InvalidInputError, InvalidTransitionError
from domain.values import Cause, Role
from norms.bundled import bundled_catalogue
from tests.scenarios import STAFF, scenario

ADMIN = Cause("admin-bea", Role.ADMIN, "corr-admin")


def version_document(name: str, effective_from: str) -> dict[str, Any]:
    """A copy of handbook 2.1 under another name and date."""
    doc = copy.deepcopy(dict(bundled_catalogue().version("2.1").document))
    doc["version"] = name
    doc["effective_from"] = {"value": effective_from, "provisional": "announced, date assumed"}
    return doc


def test_a_published_version_is_in_force_from_its_date() -> None:
    """2.2 from 1 April 2027: applications submitted from then on use it."""
    s = scenario()
    s.register.publish_handbook(version_document("2.2", "2027-04-01"), ADMIN)
    catalogue = s.register.catalogue
    assert catalogue.version_in_force(dt.date(2027, 3, 31)).version == "2.1"
    assert catalogue.version_in_force(dt.date(2027, 4, 1)).version == "2.2"


def test_a_future_version_may_be_corrected_before_it_comes_into_force() -> None:
    """Publishing 2.2 again before its date replaces it; the first publication stays in the log."""
    s = scenario()
    s.register.publish_handbook(version_document("2.2", "2027-04-01"), ADMIN)
    s.register.publish_handbook(version_document("2.2", "2027-05-01"), ADMIN)
    assert s.register.catalogue.version("2.2").effective_from.value == dt.date(2027, 5, 1)


def test_a_version_in_force_cannot_be_changed_only_followed() -> None:
    """2.1 has been in force since 2023; a 2.2 dated in the past is refused too."""
    s = scenario()
    with pytest.raises(InvalidTransitionError, match="only followed by a new version"):
        s.register.publish_handbook(version_document("2.1", "2027-04-01"), ADMIN)
    with pytest.raises(InvalidInputError, match="after today"):
        s.register.publish_handbook(version_document("2.2", "2025-01-01"), ADMIN)


def test_only_admins_publish_and_bad_documents_name_the_problem() -> None:
    """Staff may not publish; a document without a norm table is refused."""
    s = scenario()
    with pytest.raises(ForbiddenError, match="admin"):
        s.register.publish_handbook(version_document("2.2", "2027-04-01"), STAFF)
    broken = version_document("2.2", "2027-04-01")
    del broken["norm_table"]
    with pytest.raises(InvalidInputError, match="norm_table: is required"):
        s.register.publish_handbook(broken, ADMIN)
