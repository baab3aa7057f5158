"""The on-disk route cache (one SQLite store): hits, misses, damaged entries and stores,
deletion, an older cache layout and concurrent writers."""

import multiprocessing
import os
import sqlite3

import pytest

from geomap import routes
from geomap.routes import STORE_FILE, RouteCache, decode_paths, encode_path, route_path

GULF_TO_CARDON = ((56.2, 27.15), (-70.216, 11.629))


@pytest.fixture
def cache(tmp_path):
    return RouteCache(tmp_path / "routes")


def _rows(directory, table="paths"):
    with sqlite3.connect(directory / STORE_FILE) as db:
        return db.execute(f"SELECT * FROM {table}").fetchall()


def _set_entry(directory, lengths, coords):
    db = sqlite3.connect(directory / STORE_FILE)
    with db:
        db.execute("UPDATE paths SET lengths = ?, coords = ?", (lengths, coords))
    db.close()


def test_miss_then_hit_returns_the_same_path(cache, monkeypatch):
    first = route_path("sea", GULF_TO_CARDON, cache)
    assert (cache.hits, cache.misses) == (0, 1)
    assert len(_rows(cache.directory)) == 1

    def must_not_route(*args):
        raise AssertionError("a cached route was computed again")

    monkeypatch.setattr(routes, "sea_path", must_not_route)
    again = RouteCache(cache.directory)
    assert route_path("sea", GULF_TO_CARDON, again) == first
    assert (again.hits, again.misses) == (1, 0)


def test_a_batch_reads_hits_and_computes_only_misses(cache, monkeypatch):
    wanted = [("air", GULF_TO_CARDON), ("air", GULF_TO_CARDON[::-1]), ("sea", GULF_TO_CARDON)]
    route_path(*wanted[0], cache)
    computed = []
    real = routes._compute
    monkeypatch.setattr(routes, "_compute", lambda *a: computed.append(a) or real(*a))
    seen = []
    fresh = RouteCache(cache.directory)
    found = fresh.paths(wanted, lambda done, total: seen.append((done, total)))
    assert found == [real(*w) for w in wanted]
    assert computed == wanted[1:]
    assert (fresh.hits, fresh.misses) == (1, 2)
    assert seen == [(1, 3), (2, 3), (3, 3)]
    assert len(_rows(cache.directory)) == 3


def test_paths_as_arrays_hold_the_same_points_whether_computed_or_stored(cache):
    """``arrays=True`` (what assembly reads) gives each part as an (n, 2) float64 array with
    the very points of the tuples, on a miss (computed) and on a hit (decoded)."""
    import numpy as np

    wanted = [("air", ((170.0, 10.0), (-170.0, 20.0))), ("sea", GULF_TO_CARDON)]
    computed = cache.paths(wanted, arrays=True)
    stored = RouteCache(cache.directory).paths(wanted, arrays=True)
    as_tuples = RouteCache(cache.directory).paths(wanted)
    for parts in (computed, stored):
        assert [[p.shape[1] for p in path] for path in parts] == [[2] * len(t) for t in as_tuples]
        assert all(p.dtype == np.float64 for path in parts for p in path)
        assert [[list(map(tuple, p.tolist())) for p in path] for path in parts] == as_tuples


def test_key_includes_mode_stops_and_versions(cache):
    route_path("sea", GULF_TO_CARDON, cache)
    route_path("air", GULF_TO_CARDON, cache)
    route_path("air", tuple(reversed(GULF_TO_CARDON)), cache)
    assert len(_rows(cache.directory)) == 3
    other = RouteCache(cache.directory)
    other.versions = "searoute-99"
    route_path("sea", GULF_TO_CARDON, other)
    assert other.misses == 1


def test_paths_are_stored_exactly():
    parts = routes.geodesic_path(((170.0, 10.0), (-170.0, 20.0)))  # two parts, antimeridian
    assert len(parts) == 2
    assert decode_paths([encode_path(parts)], [((170.0, 10.0), (-170.0, 20.0))]) == [parts]
    arrays = decode_paths([encode_path(parts)], [((170.0, 10.0), (-170.0, 20.0))], arrays=True)
    assert [list(map(tuple, part.tolist())) for part in arrays[0]] == parts
    assert encode_path(arrays[0]) == encode_path(parts)


@pytest.mark.parametrize("damage", [b"", b"not a database at all" * 100, b"\xff\xfe" * 3000,
                                    "truncated"])
def test_a_damaged_store_is_started_afresh(cache, damage):
    good = route_path("air", GULF_TO_CARDON, cache)
    route_path("sea", GULF_TO_CARDON, cache)  # a second page of data to cut into
    store = cache.directory / STORE_FILE
    data = store.read_bytes()
    store.write_bytes(data[: len(data) // 2] if damage == "truncated" else damage)
    fresh = RouteCache(cache.directory)
    assert route_path("air", GULF_TO_CARDON, fresh) == good
    assert fresh.misses == 1
    assert RouteCache(cache.directory).get("air", GULF_TO_CARDON) == good


def test_deleting_the_cache_is_safe(cache):
    good = route_path("air", GULF_TO_CARDON, cache)
    for entry in cache.directory.iterdir():
        entry.unlink()
    cache.directory.rmdir()
    assert route_path("air", GULF_TO_CARDON, RouteCache(cache.directory)) == good


def test_unwritable_cache_only_costs_time(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("not a directory")
    cache = RouteCache(blocker / "routes")
    assert route_path("air", GULF_TO_CARDON, cache) == route_path("air", GULF_TO_CARDON)


def test_a_read_only_store_is_read_and_left_alone(cache):
    good = route_path("air", GULF_TO_CARDON, cache)
    store = cache.directory / STORE_FILE
    before = store.read_bytes()
    store.chmod(0o444)
    cache.directory.chmod(0o555)
    try:
        if os.access(store, os.W_OK):
            pytest.skip("running as a user who may write anyway")
        fresh = RouteCache(cache.directory)
        assert fresh.paths([("air", GULF_TO_CARDON), ("sea", GULF_TO_CARDON)])[0] == good
        assert (fresh.hits, fresh.misses, fresh.dropped) == (1, 1, 0)
    finally:
        cache.directory.chmod(0o755)
        store.chmod(0o644)
    assert store.read_bytes() == before


def test_an_older_cache_layout_is_ignored(cache, monkeypatch):
    """One JSON file per route was the layout before the store: those files are not read."""
    cache.directory.mkdir(parents=True)
    old = cache.directory / ("0" * 64 + ".json")
    old.write_text("[[[0.5, 0.5], [1.5, 1.5]]]")
    good = route_path("air", GULF_TO_CARDON)
    assert route_path("air", GULF_TO_CARDON, cache) == good
    assert (cache.hits, cache.misses, cache.dropped) == (0, 1, 0)
    assert RouteCache(cache.directory).get("air", GULF_TO_CARDON) == good


def _write_many(directory, rounds):
    cache = RouteCache(directory)
    parts = routes.geodesic_path(GULF_TO_CARDON)
    for _ in range(rounds):
        cache.put("air", GULF_TO_CARDON, parts)
        got = cache.get("air", GULF_TO_CARDON)
        if got != parts:
            return False
    return cache.dropped == 0


def test_concurrent_writers_never_leave_half_an_entry(tmp_path):
    directory = tmp_path / "routes"
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        results = pool.starmap(_write_many, [(directory, 100), (directory, 100)])
    assert results == [True, True]
    assert [p.name for p in directory.iterdir()] == [STORE_FILE]  # no journal left behind
    assert RouteCache(directory).get("air", GULF_TO_CARDON) == routes.geodesic_path(GULF_TO_CARDON)


def test_a_second_render_computes_no_route(basic_data, tmp_path, monkeypatch):
    from geomap.pipeline import render_map

    monkeypatch.setenv("GEOMAP_CACHE_DIR", str(tmp_path / "cache"))
    render_map(basic_data, tmp_path / "first.html")
    # One sea lane, two flight arcs and one visit's travel; and the straits the lane passes.
    assert len(_rows(tmp_path / "cache")) == 4
    assert len(_rows(tmp_path / "cache", "passages")) == 1

    def must_not_route(*args):
        raise AssertionError("a cached route was computed again")

    monkeypatch.setattr(routes, "_compute", must_not_route)
    monkeypatch.setattr(routes, "sea_passages", must_not_route)
    render_map(basic_data, tmp_path / "second.html")
    assert (tmp_path / "first.html").read_bytes() == (tmp_path / "second.html").read_bytes()


# --- Entries are validated on read: a bad one is dropped and computed again. ---

def _f8(*values):
    import struct

    return struct.pack(f"<{len(values)}d", *values)


def _i4(*values):
    import struct

    return struct.pack(f"<{len(values)}i", *values)


GOOD_COORDS = (56.2, 27.15, -70.216, 11.629)
BAD_ENTRIES = {
    "no parts": (b"", b""),
    "empty part": (_i4(0), b""),
    "one point": (_i4(1), _f8(56.2, 27.15)),
    "lengths do not add up": (_i4(3), _f8(*GOOD_COORDS)),
    "negative length": (_i4(4, -2), _f8(*GOOD_COORDS)),
    "ragged lengths": (b"\x02\x00\x00", _f8(*GOOD_COORDS)),
    "ragged coordinates": (_i4(2), _f8(*GOOD_COORDS)[:-3]),
    "text, not bytes": ("2", "56.2,27.15,-70.216,11.629"),
    "a number, not bytes": (2, 3.5),
    "nan": (_i4(2), _f8(56.2, 27.15, float("nan"), 11.629)),
    "infinity": (_i4(2), _f8(56.2, 27.15, float("inf"), 11.629)),
    "latitude out of range": (_i4(2), _f8(56.2, 27.15, -70.216, 111.629)),
    "wrong stops": (_i4(2), _f8(0.5, 0.5, 1.5, 1.5)),
}


@pytest.mark.parametrize("damage", list(BAD_ENTRIES))
def test_a_bad_entry_is_dropped_and_recomputed(cache, damage):
    good = route_path("sea", GULF_TO_CARDON, cache)
    _set_entry(cache.directory, *BAD_ENTRIES[damage])
    fresh = RouteCache(cache.directory)
    assert route_path("sea", GULF_TO_CARDON, fresh) == good
    assert (fresh.dropped, fresh.misses) == (1, 1)
    assert RouteCache(cache.directory).get("sea", GULF_TO_CARDON) == good


def test_one_bad_entry_among_good_ones_costs_only_itself(cache):
    wanted = [("air", GULF_TO_CARDON), ("air", GULF_TO_CARDON[::-1]), ("sea", GULF_TO_CARDON)]
    good = cache.paths(wanted)
    db = sqlite3.connect(cache.directory / STORE_FILE)
    with db:
        db.execute("UPDATE paths SET coords = ? WHERE key = ?",
                   (_f8(0.5, 0.5, 1.5, 1.5), cache._key(*wanted[1])))
    db.close()
    fresh = RouteCache(cache.directory)
    assert fresh.paths(wanted) == good
    assert (fresh.hits, fresh.misses, fresh.dropped) == (2, 1, 1)


@pytest.mark.parametrize("kind", ["fifo", "directory", "symlink to /dev/zero"])
def test_a_special_file_in_place_of_the_store_neither_hangs_nor_crashes(cache, kind):
    good = route_path("air", GULF_TO_CARDON, cache)
    store = cache.directory / STORE_FILE
    store.unlink()
    if kind == "fifo":
        os.mkfifo(store)
    elif kind == "directory":
        store.mkdir()
        (store / "inside").write_text("x")
    else:
        store.symlink_to("/dev/zero")
    fresh = RouteCache(cache.directory)
    assert route_path("air", GULF_TO_CARDON, fresh) == good
    assert fresh.dropped == 1
    assert store.is_file() and not store.is_symlink()
    assert RouteCache(cache.directory).get("air", GULF_TO_CARDON) == good


def test_damaged_passages_are_computed_again(tmp_path):
    from geomap.routes import route_passages

    stops = [(56.2, 27.15), (-70.216, 11.629)]  # Bandar Abbas to Cardón
    cache = RouteCache(tmp_path)
    names = route_passages(stops, cache)
    assert names == ["Bab-el-Mandeb", "Strait of Gibraltar", "Strait of Hormuz", "Suez Canal"]
    for damage in ('["suez", "<script>"]', "{not json", "[" * 100_000):
        db = sqlite3.connect(tmp_path / STORE_FILE)
        with db:
            db.execute("UPDATE passages SET names = ?", (damage,))
        db.close()
        assert route_passages(stops, RouteCache(tmp_path)) == names
        assert _rows(tmp_path, "passages")[0][1] != damage  # stored again


def test_a_render_over_a_damaged_cache_keeps_every_route(basic_data, tmp_path, monkeypatch):
    from geomap.assemble import assemble
    from geomap.load import load_dataset

    monkeypatch.setenv("GEOMAP_CACHE_DIR", str(tmp_path / "cache"))
    dataset = load_dataset(basic_data)
    good = assemble(dataset, cache=RouteCache()).events
    _set_entry(tmp_path / "cache", b"", b"")
    cache = RouteCache()
    again = assemble(dataset, cache=cache).events
    assert cache.dropped == 4
    assert list(again["id"]) == list(good["id"])
    assert all(a.equals(b) for a, b in zip(again.geometry, good.geometry, strict=True))
