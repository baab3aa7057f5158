"""Who rests on whom: independent origins, citations with their own quotes."""

import shutil
from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from geomap.assemble import assemble
from geomap.load import load_dataset
from geomap.payload import map_payload
from geomap.provenance import find_cycle, independent_origins
from geomap.records import resolve

from .conftest import FIXTURES
from .helpers import edit, problems

PROVENANCE = FIXTURES / "provenance"


@pytest.fixture
def data(tmp_path):
    return shutil.copytree(PROVENANCE, tmp_path / "data")



def test_chains_collapse_to_their_origin():
    graph = {"blog": ("news",), "news": ("wire",), "wire": (), "other": ()}
    assert independent_origins(["blog", "news", "wire"], graph) == 1
    assert independent_origins(["blog"], graph) == 1
    assert independent_origins(["blog", "other"], graph) == 2


def test_a_source_resting_on_several_never_counts_more_than_once():
    """Which of its sources a claim came from is unknown, so it is one origin, not many."""
    graph = {"digest": ("a", "b"), "a": (), "b": (), "c": ()}
    assert independent_origins(["digest"], graph) == 1
    assert independent_origins(["digest", "a"], graph) == 1
    assert independent_origins(["digest", "c"], graph) == 2
    assert independent_origins(["a", "b"], graph) == 2


@given(st.dictionaries(st.sampled_from("abcdef"), st.lists(st.sampled_from("abcdef"), max_size=3),
                       max_size=6))
def test_cycles_are_found_exactly_when_there_is_one(edges):
    graph = {k: tuple(v) for k, v in edges.items()}
    cycle = find_cycle(graph)

    def reaches(start, goal, seen=()):
        return any(n == goal or (n not in seen and reaches(n, goal, (*seen, n)))
                   for n in graph.get(start, ()) if n in graph)

    has_cycle = any(reaches(node, node) for node in graph)
    assert (cycle is not None) == has_cycle
    if cycle:
        assert cycle[0] == cycle[-1]
        assert all(b in graph[a] for a, b in pairwise(cycle))
    else:  # on any acyclic graph: between one origin and one per source
        assert 1 <= independent_origins(list(graph), graph) <= len(graph) or not graph


def test_records_and_payload_carry_origins_and_quotes():
    events = {e.id: e for e in resolve(load_dataset(PROVENANCE))}
    assert events["visit-tachira"].origins == 1  # news-a and blog-b both rest on wire-c
    assert [c.source for c in events["visit-tachira"].citations] == ["news-a", "blog-b"]
    payload = map_payload(assemble(load_dataset(PROVENANCE)), "t", "m")
    n = payload["events"]["id"].index("visit-tachira")
    assert payload["events"]["origins"][n] == 1
    sources = [payload["sources"][i]["id"] for i in payload["events"]["sources"][n]]
    quotes = payload["events"]["quotes"][n]
    assert dict(zip(sources, [q[0] for q in quotes], strict=True)) == {
        "news-a": "A visit.", "blog-b": "The visit happened.",
    }
    news = next(s for s in payload["sources"] if s["id"] == "news-a")
    assert news["verified"].startswith("2026-11 stored copy")


def test_confirmed_on_a_single_origin_is_warned():
    assert any("confirmed, but its sources come down to one independent origin" in w
               for w in problems(PROVENANCE, "warning"))
    assert problems(PROVENANCE) == []



@pytest.mark.parametrize(
    ("file", "old", "new", "message"),
    [
        ("sources.csv", "test fixture,,news-a", "test fixture,,news-z",
         "sources.csv:3: rests_on: unknown source 'news-z' (did you mean 'news-a'?)"),
        ("sources.csv", "test fixture,,news-a", "test fixture,,blog-b",
         "sources.csv:3: rests_on: source 'blog-b' rests on itself"),
        ("sources.csv", "en,test fixture,,\n", "en,test fixture,,blog-b\n",
         "rests_on: sources rest on each other in a circle: blog-b → news-a → wire-c → blog-b"),
        ("citations.csv", "air-bridge,blog-b", "air-bridge,news-a",
         "citations.csv:3: source: 'news-a' is not among the sources of event 'air-bridge'"),
        ("citations.csv", "air-bridge,blog-b", "air-brige,blog-b",
         "citations.csv:3: event: unknown event 'air-brige'"),
        ("citations.csv", "para 2,reports-claim", "para 2,agrees",
         "citations.csv:3: stance: stance 'agrees' is not one of supports, disputes"),
        ("citations.csv", "visit-tachira,blog-b,The visit happened.",
         "visit-tachira,news-a,The visit happened.",
         "citations.csv:5: source: 'visit-tachira' cites 'news-a' already on line 4"),
    ],
)
def test_provenance_rules(data, file, old, new, message):
    edit(data / file, old, new)
    found = problems(data)
    assert any(message in p for p in found), found


def test_an_uncited_source_of_a_cited_event_and_a_stray_evidence_are_warned(data):
    edit(data / "citations.csv", "visit-tachira,blog-b,The visit happened.,para 4,supports\n", "")
    edit(data / "events.csv", "blog-b,Flights ran.", "blog-b,Flights were many.")
    warnings = problems(data, "warning")
    assert any("source 'blog-b' of event 'visit-tachira' has no quote in citations.csv" in w
               for w in warnings), warnings
    assert any("events.csv:3: evidence: differs from every quote of event 'air-bridge'" in w
               for w in warnings), warnings


def test_older_sources_without_the_new_columns_still_validate():
    assert problems(FIXTURES / "basic") == []
