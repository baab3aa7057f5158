import doctest

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geomap import gazetteer as gazetteer_module
from geomap.errors import PlaceError
from geomap.gazetteer import Gazetteer, fold
from geomap.load import load_dataset

from .conftest import FIXTURES


@pytest.fixture(scope="module")
def gazetteer():
    return Gazetteer.from_rows(load_dataset(FIXTURES / "basic").places.rows)


def test_doctests():
    assert doctest.testmod(gazetteer_module).failed == 0


@pytest.mark.parametrize(
    ("stop", "place_id"),
    [
        ("tachira", "tachira"),
        ("Táchira", "tachira"),
        ("TACHIRA", "tachira"),
        ("Tachira state", "tachira"),
        ("refineria cardon", "cardon-refinery"),
        ("Cardón", "cardon-refinery"),
        ("  cardon   REFINERY ", "cardon-refinery"),
        ("Teheran", "tehran"),
        ("tehrān", "tehran"),
    ],
)
def test_ids_names_and_aliases_resolve_ignoring_accents_and_case(gazetteer, stop, place_id):
    assert gazetteer.resolve(stop).id == place_id


def test_literal_lat_lon_is_a_point_in_lon_lat_order(gazetteer):
    place = gazetteer.resolve("10.5, -66.9")
    assert (place.lon, place.lat) == (-66.9, 10.5)
    assert place.id == ""


@pytest.mark.parametrize("stop", ["95,10", "10,200", "0,0"])
def test_impossible_literals_do_not_resolve(gazetteer, stop):
    assert gazetteer.lookup(stop) is None


def test_unknown_place_suggests_the_closest(gazetteer):
    with pytest.raises(PlaceError) as info:
        gazetteer.resolve("Tachira statee")
    assert str(info.value) == "unknown place 'Tachira statee' (did you mean 'tachira'?)"


def test_unknown_place_without_a_close_name(gazetteer):
    with pytest.raises(PlaceError) as info:
        gazetteer.resolve("Atlantis")
    assert str(info.value) == "unknown place 'Atlantis'"


@pytest.mark.parametrize(
    ("query", "first"),
    [("tachira", "tachira"), ("Cardon", "cardon-refinery"), ("teheran", "tehran"),
     ("damscus", "damascus"), ("bandar", "bandar-abbas")],
)
def test_search_is_fuzzy(gazetteer, query, first):
    assert gazetteer.search(query)[0].id == first


def test_search_without_query_lists_everything(gazetteer):
    assert len(gazetteer.search("")) == 8


def test_fold():
    assert fold("Refinería  Cardón") == "refineria cardon"


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=30))
def test_fold_of_ascii_text_is_the_full_fold(text):
    """ASCII text takes a shortcut (nothing to decompose); it must fold as everything else."""
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    assert fold(text) == " ".join(stripped.casefold().split())
