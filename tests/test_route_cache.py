"""The on-disk route cache: hits, misses, damaged files, deletion and concurrent writers."""

import multiprocessing

import pytest

from geomap import routes
from geomap.routes import RouteCache, route_path

GULF_TO_CARDON = ((56.2, 27.15), (-70.216, 11.629))


@pytest.fixture
def cache(tmp_path):
    return RouteCache(tmp_path / "routes")


def test_miss_then_hit_returns_the_same_path(cache, monkeypatch):
    first = route_path("sea", GULF_TO_CARDON, cache)
    assert (cache.hits, cache.misses) == (0, 1)
    assert len(list(cache.directory.glob("*.json"))) == 1

    def must_not_route(*args):
        raise AssertionError("a cached route was computed again")

    monkeypatch.setattr(routes, "sea_path", must_not_route)
    again = RouteCache(cache.directory)
    assert route_path("sea", GULF_TO_CARDON, again) == first
    assert (again.hits, again.misses) == (1, 0)


def test_key_includes_mode_stops_and_versions(cache):
    route_path("sea", GULF_TO_CARDON, cache)
    route_path("air", GULF_TO_CARDON, cache)
    route_path("air", tuple(reversed(GULF_TO_CARDON)), cache)
    assert len(list(cache.directory.glob("*.json"))) == 3
    other = RouteCache(cache.directory)
    other.versions = "searoute-99"
    route_path("sea", GULF_TO_CARDON, other)
    assert other.misses == 1


@pytest.mark.parametrize("damage", [b"", b"{not json", b'{"a": 1}', b"[[[1]]]", b"\xff\xfe"])
def test_damaged_file_is_a_miss_and_is_rewritten(cache, damage):
    good = route_path("air", GULF_TO_CARDON, cache)
    (entry,) = cache.directory.glob("*.json")
    entry.write_bytes(damage)
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


def _write_many(directory, rounds):
    cache = RouteCache(directory)
    parts = routes.geodesic_path(GULF_TO_CARDON)
    for _ in range(rounds):
        cache.put("air", GULF_TO_CARDON, parts)
        got = cache.get("air", GULF_TO_CARDON)
        if got is not None and got != parts:
            return False
    return True


def test_concurrent_writers_never_leave_half_a_file(tmp_path):
    directory = tmp_path / "routes"
    with multiprocessing.get_context("spawn").Pool(2) as pool:
        results = pool.starmap(_write_many, [(directory, 200), (directory, 200)])
    assert results == [True, True]
    assert [p.suffix for p in directory.iterdir()] == [".json"]  # no temporary files left
    assert RouteCache(directory).get("air", GULF_TO_CARDON) == routes.geodesic_path(GULF_TO_CARDON)


def test_a_second_render_computes_no_route(basic_data, tmp_path, monkeypatch):
    from geomap.pipeline import render_map

    monkeypatch.setenv("GEOMAP_CACHE_DIR", str(tmp_path / "cache"))
    render_map(basic_data, tmp_path / "first.html")
    # One sea lane (and the straits it passes), two flight arcs and one visit's travel.
    assert len(list((tmp_path / "cache").glob("*.json"))) == 5

    def must_not_route(*args):
        raise AssertionError("a cached route was computed again")

    monkeypatch.setattr(routes, "_compute", must_not_route)
    monkeypatch.setattr(routes, "sea_passages", must_not_route)
    render_map(basic_data, tmp_path / "second.html")
    assert (tmp_path / "first.html").read_bytes() == (tmp_path / "second.html").read_bytes()


# --- Entries are validated on read: a bad one is dropped and computed again. ---

BAD_ENTRIES = {
    "no parts": b"[]",
    "empty part": b"[[]]",
    "one point": b"[[[56.2, 27.15]]]",
    "not a number": b'[[[56.2, 27.15], ["x", 1]]]',
    "boolean": b"[[[56.2, 27.15], [true, false]]]",
    "nan": b"[[[56.2, 27.15], [NaN, 11.629]]]",
    "infinity": b"[[[56.2, 27.15], [Infinity, 11.629]]]",
    "latitude out of range": b"[[[56.2, 27.15], [-70.216, 111.629]]]",
    "three coordinates": b"[[[56.2, 27.15, 0], [-70.216, 11.629, 0]]]",
    "wrong stops": b"[[[0.5, 0.5], [1.5, 1.5]]]",
    "deep nesting": b"[" * 100_000 + b"]" * 100_000,
}


@pytest.mark.parametrize("damage", list(BAD_ENTRIES))
def test_a_bad_entry_is_dropped_and_recomputed(cache, damage):
    good = route_path("sea", GULF_TO_CARDON, cache)
    (entry,) = cache.directory.glob("*.json")
    entry.write_bytes(BAD_ENTRIES[damage])
    fresh = RouteCache(cache.directory)
    assert route_path("sea", GULF_TO_CARDON, fresh) == good
    assert (fresh.dropped, fresh.misses) == (1, 1)
    assert RouteCache(cache.directory).get("sea", GULF_TO_CARDON) == good


@pytest.mark.parametrize("kind", ["fifo", "directory", "symlink to /dev/zero"])
def test_a_special_file_in_the_cache_neither_hangs_nor_crashes(cache, kind):
    import os

    good = route_path("air", GULF_TO_CARDON, cache)
    (entry,) = cache.directory.glob("*.json")
    entry.unlink()
    if kind == "fifo":
        os.mkfifo(entry)
    elif kind == "directory":
        entry.mkdir()
    else:
        entry.symlink_to("/dev/zero")
    fresh = RouteCache(cache.directory)
    assert route_path("air", GULF_TO_CARDON, fresh) == good
    assert fresh.dropped == 1
    assert RouteCache(cache.directory).get("air", GULF_TO_CARDON) == good


def test_a_render_over_a_damaged_cache_keeps_every_route(basic_data, tmp_path, monkeypatch):
    from geomap.assemble import assemble
    from geomap.load import load_dataset

    monkeypatch.setenv("GEOMAP_CACHE_DIR", str(tmp_path / "cache"))
    dataset = load_dataset(basic_data)
    good = assemble(dataset, cache=RouteCache()).events
    for entry in (tmp_path / "cache").glob("*.json"):
        entry.write_bytes(b"[]")
    cache = RouteCache()
    again = assemble(dataset, cache=cache).events
    assert cache.dropped == 4
    assert list(again["id"]) == list(good["id"])
    assert all(a.equals(b) for a, b in zip(again.geometry, good.geometry, strict=True))
