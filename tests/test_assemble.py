from geomap.assemble import assemble
from geomap.load import load_dataset

from .conftest import FIXTURES


def _events():
    return assemble(load_dataset(FIXTURES / "basic")).events


def test_one_row_per_event_in_wgs84_in_file_order():
    events = _events()
    assert events.crs.to_epsg() == 4326
    assert list(events["id"]) == [
        "tanker-to-cardon", "air-bridge", "visit-tachira", "pacific-flight",
    ]


def test_geometry_follows_kind():
    events = _events().set_index("id")
    assert events.loc["tanker-to-cardon", "geometry"].geom_type == "LineString"
    assert events.loc["air-bridge", "geometry"].geom_type == "LineString"
    assert events.loc["pacific-flight", "geometry"].geom_type == "MultiLineString"
    visit = events.loc["visit-tachira"]
    assert visit["geometry"].geom_type == "Point"
    # A point at the last stop, (lon, lat) order; the trip from Tehran kept as travel.
    assert (visit["geometry"].x, visit["geometry"].y) == (-72.225, 7.7669)
    assert visit["travel"].coords[0] == (51.389, 35.6892)
    assert visit["precision"] == "region"


def test_routes_start_and_end_at_their_stops():
    events = _events().set_index("id")
    bridge = list(events.loc["air-bridge", "geometry"].coords)
    assert bridge[0] == (-66.9036, 10.4806) and bridge[-1] == (51.389, 35.6892)
    tanker = list(events.loc["tanker-to-cardon", "geometry"].coords)
    assert tanker[0] == (56.2, 27.15) and tanker[-1] == (-70.216, 11.629)


def test_fields_are_normalised_for_display_and_filtering():
    visit = _events().set_index("id").loc["visit-tachira"]
    assert visit["date_label"] == "25 July 2020"
    assert (visit["start"], visit["end"]) == ("2020-07-25", "2020-07-25")
    assert visit["stops"] == "Tehrān > Táchira"
    assert visit["place_ids"] == "tehran;tachira"
    assert visit["sources"] == "news-a; blog-b"
    flight = _events().set_index("id").loc["pacific-flight"]
    assert flight["date_label"] == "1 June 2020 – 2 June 2020"
    assert (flight["start"], flight["end"]) == ("2020-06-01", "2020-06-02")
