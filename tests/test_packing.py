"""The packed payload gives back exactly what ``map_payload`` made (coordinates to 1e-6°)."""

import base64
import json
import math
import os
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from geomap import packing
from geomap.assemble import assemble
from geomap.load import load_dataset
from geomap.packing import Chunk, decode_geoms, encode_geoms, pack, read_page, unpack
from geomap.payload import map_payload

from .conftest import FIXTURES
from .helpers import assert_same

CASE = FIXTURES.parent / "cases" / "packed.json"
ROOT = FIXTURES.parents[1]


@pytest.mark.parametrize("name", ["basic", "custom", "outlined", "overlap", "precision"])
def test_fixture_payloads_round_trip(name):
    payload = map_payload(assemble(load_dataset(FIXTURES / name)), "T", "map_geomap")
    assert_same(unpack(pack(payload)), payload)


def test_the_default_data_round_trips_through_a_page():
    from geomap.render import render_html

    assembly = assemble(load_dataset(ROOT / "data"))
    payload = map_payload(assembly, "Iran–Venezuela cooperation", "map_geomap")
    page = render_html(assembly, title="Iran–Venezuela cooperation")
    assert_same(read_page(page), payload)


# The shared case (tests/cases/packed.json, also read by tests/js/decode.test.js): written
# from this document with GEOMAP_UPDATE_GOLDEN=1, small blocks, streams and chunks.
CASE_GEOMS = [
    {"t": "P", "c": [-66.9, 10.5]},
    {"t": "L", "c": [[[51.4, 35.7], [-66.9, 10.5]]]},
    {"t": "L", "c": [[[179.5, 1.0], [181.25, 2.0], [183.123456, -3.5], [190.0, 4.0]],
                     [[1.0, 1.0]], []]},
    {"t": "L", "c": []},
    {"t": "P", "c": [-2000.123456, -89.999999]},
    {"t": "L", "c": [[[-2000.0, 0.0], [2000.0, 0.5], [-2000.0, 1.0], [2147.0, -1.0]]]},
    {"t": "L", "c": [[[-179.9, 60.0], [-180.5, 61.25], [-200.000001, 62.0]],
                     [[10.0, -5.0], [10.000001, -5.000001], [10.0, -5.0]]]},
]
CASE_DOC = {
    "version": 3, "map": "map_geomap", "title": "Tehrān – Caracas </script><!-- & \u2028",
    "kinds": [{"id": "flight", "label": "Flight", "color": "#000", "mark": "triangle", "count": 5}],
    "names": ["Straße Corp", "", "中国"],
    "events": {
        "id": ["a", "b", "c", "d", "e"], "title": ["Air bridge", "", "Ünïcode ☃", "</script>", "x"],
        "geom": [0, 1, 2, 3, 6], "travel": [None, 4, 5, None, 0],
        "actors": [[0], [], [1, 2], [0], []],
    },
    "geoms": CASE_GEOMS,
}


def test_the_shared_case_decodes_to_its_document(monkeypatch):
    if os.environ.get("GEOMAP_UPDATE_GOLDEN"):
        monkeypatch.setattr(packing, "BLOCK_ROWS", 2)
        monkeypatch.setattr(packing, "STREAM_BYTES", 200)
        case = {
            "about": "A small packed payload (geomap/packing.py, with 2 rows per block, 200-byte "
                     "text streams and 16-character chunks) and the document it decodes to; "
                     "read by tests/test_packing.py and tests/js/decode.test.js.",
            "chunks": [c._asdict() for c in pack(CASE_DOC, chunk_chars=16)],
            "doc": CASE_DOC,
        }
        CASE.write_text(json.dumps(case, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    case = json.loads(CASE.read_text(encoding="utf-8"))
    chunks = [Chunk(**c) for c in case["chunks"]]
    assert len({c.stream for c in chunks}) > 2  # geometries and more than one text stream
    assert case["doc"] == json.loads(json.dumps(CASE_DOC))
    assert unpack(chunks) == case["doc"]
    assert_same(unpack(pack(case["doc"], chunk_chars=12)), case["doc"])


coordinate = st.tuples(
    st.floats(-2000, 2000, allow_nan=False), st.floats(-90, 90, allow_nan=False)
).map(list)
geometry = st.one_of(
    st.builds(lambda c: {"t": "P", "c": c}, coordinate),
    st.builds(lambda c: {"t": "L", "c": c},
              st.lists(st.lists(coordinate, max_size=12), max_size=6)),
)
text = st.text(max_size=20)


@settings(max_examples=60, deadline=None)
@given(
    geoms=st.lists(geometry, max_size=25),
    rows=st.lists(st.tuples(text, text, st.lists(st.integers(-5, 10**6), max_size=3),
                            st.none() | st.integers(0, 24)), min_size=1, max_size=20),
    title=text,
    block=st.integers(1, 5),
    stream_bytes=st.integers(1, 300),
)
def test_random_payloads_round_trip(geoms, rows, title, block, stream_bytes, monkeypatch_module):
    monkeypatch_module.setattr(packing, "BLOCK_ROWS", block)
    monkeypatch_module.setattr(packing, "STREAM_BYTES", stream_bytes)
    payload = {
        "version": 3, "title": title, "names": [r[0] for r in rows],
        "events": {"id": [r[0] for r in rows], "summary": [r[1] for r in rows],
                   "actors": [r[2] for r in rows], "travel": [r[3] for r in rows]},
        "geoms": geoms,
    }
    chunks = pack(payload, chunk_chars=8)
    assert all(len(c.text) <= 8 and re.fullmatch(r"[A-Za-z0-9+/=]+", c.text) for c in chunks)
    assert_same(unpack(chunks), payload)


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as mp:
        yield mp


def test_coordinates_are_millionths_of_a_degree():
    geoms = [{"t": "L", "c": [[[0.0000004, 0.0000006], [-179.9999995, 2147.0]]]}]
    assert decode_geoms(encode_geoms(geoms)) == [
        {"t": "L", "c": [[[0.0, 0.000001], [-180.0, 2147.0]]]}
    ]


@pytest.mark.parametrize("bad", [2148.0, -2148.0, math.inf, math.nan])
def test_a_coordinate_beyond_int32_millionths_is_refused(bad):
    with pytest.raises(ValueError, match="2147"):
        encode_geoms([{"t": "P", "c": [bad, 0.0]}])


def test_lone_surrogates_and_markup_survive():
    payload = {"version": 3, "title": "\ud800 </script> \u2028",
               "events": {"id": ["\udfff"]}, "geoms": []}
    assert unpack(pack(payload)) == payload


def test_a_damaged_stream_is_an_error_not_a_wrong_map():
    chunks = pack({"version": 3, "events": {"id": ["a"]}, "geoms": [{"t": "P", "c": [1, 2]}]})
    data = bytearray(base64.b64decode(chunks[0].text))
    data[-1] ^= 0xFF  # the zlib checksum no longer matches
    broken = Chunk(0, "geoms", base64.b64encode(bytes(data)).decode())
    with pytest.raises(Exception, match=r"incorrect data check|invalid"):
        unpack([broken, *chunks[1:]])


def test_chunks_are_at_most_chunk_chars_and_decode_alone():
    payload = {"version": 3, "events": {"id": [str(n) * 50 for n in range(2000)]},
               "geoms": [{"t": "P", "c": [n / 7, n / 13]} for n in range(2000)]}
    chunks = pack(payload, chunk_chars=1000)
    assert len(chunks) > 4
    assert all(len(c.text) <= 1000 and len(c.text) % 4 == 0 for c in chunks[:-1])
    assert_same(unpack(chunks), payload)
    with pytest.raises(ValueError):
        pack(payload, chunk_chars=1001)


@settings(max_examples=60, deadline=None)
@given(geoms=st.lists(geometry, max_size=25))
def test_a_geometry_table_is_its_dicts_and_packs_as_they_do(geoms):
    table = packing.Geometries.of(geoms)
    assert len(table) == len(geoms)
    assert table == geoms and list(table) == json.loads(json.dumps(geoms))
    assert table[-1:] == geoms[-1:]
    assert encode_geoms(table) == encode_geoms(geoms)


def test_a_geometry_table_refuses_what_it_cannot_hold():
    table = packing.Geometries.of(CASE_GEOMS)
    assert table[0] == CASE_GEOMS[0] and table[-1] == CASE_GEOMS[-1]
    with pytest.raises(IndexError):
        table[len(CASE_GEOMS)]
    assert table != CASE_GEOMS[:-1] and table != "not geometries"
    with pytest.raises(ValueError, match="inconsistent"):
        packing.Geometries([0], [1], [2], [[0.0, 0.0]])  # a part of 2 points, 1 point given
