"""The scheme data: provenance of every value, inheritance between versions, the document form."""

from __future__ import annotations

import copy
import json
from decimal import Decimal

import pytest

from norms.catalogue import SchemeCatalogue
from norms.errors import HandbookError, UnknownVersionError
from norms.handbook import STARTING_POSITIONS, handbook_from_document
from norms.levels import Level


def test_values_the_rules_call_assumptions_are_marked_provisional(
    catalogue: SchemeCatalogue,
) -> None:
    """Every [A] value of PSO-RULES.md is provisional in the data, never presented as official."""
    v21, v19 = catalogue.version("2.1"), catalogue.version("1.9")
    assert v21.contracts["trial_placement"].weight.provenance.is_provisional
    assert v21.starting_positions["bbl_bol_3_4"].weight.provenance.is_provisional
    assert v21.starting_positions["bbl_bol_1"].weight.provenance.is_provisional
    assert v21.qualitative_required_for.provenance.is_provisional  # basistrede included
    assert catalogue.version("1.8").effective_from.provenance.is_provisional
    assert catalogue.version("2.0").effective_from.provenance.is_provisional
    assert v19.norm_table.provenance.is_provisional
    schedule = catalogue.schedules[0]
    assert schedule.payment_term_days.provenance.is_provisional


def test_published_values_cite_their_source(catalogue: SchemeCatalogue) -> None:
    """Published values carry the page they were published on."""
    v21 = catalogue.version("2.1")
    weight = v21.starting_positions["ww"].weight
    assert weight.value == Decimal("0.75")
    assert weight.provenance.status == "published"
    assert "1.6" in (weight.provenance.source or "")
    assert v21.norm_table.provenance.status == "published"
    assert v21.aspirant.max_extensions.value == 1
    assert catalogue.version("1.9").aspirant.max_extensions.value == 2
    assert not catalogue.version("1.9").aspirant.max_extensions.provenance.is_provisional


def test_handbook_1_5_takes_the_1_6_values_only_provisionally(catalogue: SchemeCatalogue) -> None:
    """1.5's own weights are unknown: the inherited values say so; its date stays published."""
    v15 = catalogue.version("1.5")
    assert v15.starting_positions["wajong"].weight.provenance.is_provisional
    assert not v15.effective_from.provenance.is_provisional
    assert (
        not catalogue.version("1.6").starting_positions["wajong"].weight.provenance.is_provisional
    )


def test_levels_and_starting_positions_follow_the_versions(catalogue: SchemeCatalogue) -> None:
    """Basistrede from 2.1, BBL/BOL 3-4 from 1.9, temporary protection from 2.1."""
    assert [v.version for v in catalogue.versions if v.has_level(Level.BASISTREDE)] == ["2.1"]
    assert "bbl_bol_3_4" not in catalogue.version("1.8").starting_positions
    assert set(catalogue.version("2.1").starting_positions) == set(STARTING_POSITIONS)


def test_a_resolved_version_is_a_self_contained_json_document(catalogue: SchemeCatalogue) -> None:
    """Each version serialises to JSON and reads back with the same rules (to publish as events)."""
    for version in catalogue.versions:
        again = handbook_from_document(json.loads(json.dumps(version.document)))
        assert again.norm_table == version.norm_table
        assert again.starting_positions == version.starting_positions
        assert again.provisional_values() == version.provisional_values()


def test_a_document_without_provenance_for_a_value_is_refused(catalogue: SchemeCatalogue) -> None:
    """A value that is neither published with a source nor marked provisional cannot be loaded."""
    doc = copy.deepcopy(dict(catalogue.version("2.1").document))
    del doc["contracts"]["regular"]["weight"]["source"]
    with pytest.raises(HandbookError, match=r"contracts\.regular\.weight: needs exactly one"):
        handbook_from_document(doc)


def test_a_document_with_a_gap_in_the_norm_table_is_refused(catalogue: SchemeCatalogue) -> None:
    """The table must hold every whole size from 2 to 105."""
    doc = copy.deepcopy(dict(catalogue.version("2.1").document))
    doc["norm_table"]["rows"] = [r for r in doc["norm_table"]["rows"] if r["size"] != "42"]
    with pytest.raises(HandbookError, match=r"every size 2\.\.105"):
        handbook_from_document(doc)


def test_an_unknown_version_name_lists_the_known_ones(catalogue: SchemeCatalogue) -> None:
    """Asking for version 3.0 says which versions exist."""
    with pytest.raises(UnknownVersionError, match=r"'3\.0'.*1\.5, 1\.6"):
        catalogue.version("3.0")
