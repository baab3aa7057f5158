"""Journeys' stops with their own dates, and the carriers that made them."""

import shutil

import pytest

from geomap.assemble import assemble
from geomap.journeys import Carrier
from geomap.load import load_dataset
from geomap.payload import map_payload
from geomap.records import resolve

from .conftest import FIXTURES
from .helpers import edit, problems

PROVENANCE = FIXTURES / "provenance"


@pytest.fixture
def data(tmp_path):
    return shutil.copytree(PROVENANCE, tmp_path / "data")



def test_a_journey_keeps_its_stops_dates_and_carrier():
    tanker = next(e for e in resolve(load_dataset(PROVENANCE)) if e.id == "tanker-to-cardon")
    assert [(s.place, s.departed and s.departed.iso(), s.arrived and s.arrived.iso(), s.leg)
            for s in tanker.journey] == [
        ("Bandar Abbas", "2020-04-28", None, ""),
        ("Refinería Cardón", None, "2020-05-25", "modelled"),
    ]
    assert tanker.carrier_info == Carrier("fortune", "Fortune", "tanker", flag="IR")
    payload = map_payload(assemble(load_dataset(PROVENANCE)), "t", "m")
    n = payload["events"]["id"].index("tanker-to-cardon")
    assert payload["events"]["journey"][n][1][:4] == ["Refinería Cardón", "25 May 2020", "",
                                                      "modelled"]
    carrier = payload["carriers"][payload["events"]["carrier_info"][n]]
    assert carrier["description"] == "Fortune (tanker, flag IR)"



@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("stops.csv", "2,Cardón,2020-05-25", "2,Cardón,2020-04-01",
         "stops.csv:3: arrived: '2020-04-01' is before the previous stop's '2020-04-28'"),
        ("stops.csv", "1,bandar-abbas,,2020-04-28", "1,bandar-abbas,2020-05-01,2020-04-28",
         "stops.csv:2: departed: '2020-04-28' is before the arrival '2020-05-01'"),
        ("stops.csv", "2,Cardón", "3,Cardón",
         "stops.csv:2: sequence: the stops of 'tanker-to-cardon' must be numbered 1 to 2"),
        ("stops.csv", "2,Cardón", "2,caracas",
         "differ from its places in events.csv (bandar-abbas > cardon-refinery)"),
        ("stops.csv", ",modelled,", ",guessed,",
         "stops.csv:3: leg: leg 'guessed' is not one of modelled, reported, observed"),
        ("stops.csv", "tanker-to-cardon,1", "tanker-to-cardn,1",
         "stops.csv:2: event: unknown event 'tanker-to-cardn'"),
        ("carriers.csv", "fortune,Fortune,tanker,,", "fortune,Fortune,tanker,123,",
         "carriers.csv:2: imo: '123' is not a valid IMO"),
        ("carriers.csv", "mahan-air,Mahan Air", "fortune,Mahan Air",
         "carriers.csv:3: id: duplicate id 'fortune' (first on line 2)"),
    ],
)
def test_journey_rules(data, file, old, new, message):
    edit(data / file, old, new)
    found = problems(data)
    assert any(message in p for p in found), found
