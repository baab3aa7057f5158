"""The default dataset: valid, covered by data/README.md, and quoted verbatim from its sources.

The five source articles live outside the product (../shared/sources/); the quote checks read them
only when they are there and skip otherwise. An article is found by its title in the first lines
of a text, so the file names do not matter.
"""

import os
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from geomap.cli import cli
from geomap.load import load_dataset
from geomap.schema import split_list
from geomap.validate import check

from .conftest import ROOT, SHARED

DATA = ROOT / "data"
#: The five source articles, by their id in sources.csv.
ARTICLES = (
    "miranda-2020-07-28",
    "dialogo-2020-12-11",
    "global-research-2020-08-25",
    "mendez-2024-11",
    "critical-threats-2020-09-30",
)
#: Quotes are compared after straightening curly quotes and collapsing whitespace, nothing else.
_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"'})
_LOCATOR = re.compile(r"^(?:(?P<article>[a-z0-9-]+) )?para (?P<para>\d+)\b")
STORED_COPY = "stored copy"


def norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.translate(_QUOTES)).strip()


@pytest.fixture(scope="module")
def dataset():
    return load_dataset(DATA)


def coverage_tables() -> dict[str, list[tuple[str, str]]]:
    """Source id -> [(event id or '—', reason)] from the Coverage section of data/README.md."""
    text = (DATA / "README.md").read_text(encoding="utf-8")
    section = text.split("## Coverage", 1)[1].split("\n## ", 1)[0]
    tables = {}
    for block in section.split("\n### ")[1:]:
        source = re.match(r"`([a-z0-9-]+)`", block).group(1)
        rows = []
        for line in block.splitlines():
            cells = [c.strip() for c in line.strip().strip("|").split("|")]
            if len(cells) != 3 or cells[0] in ("claim", "---"):
                continue
            rows.append((cells[1].strip("`"), cells[2]))
        tables[source] = rows
    return tables


def journey_table() -> list[str]:
    """Event ids listed in the Journeys section of data/README.md (events from stored copies)."""
    text = (DATA / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Journeys", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"^\| `([a-z0-9-]+)` \|", section, flags=re.M)


def test_the_data_has_no_errors(dataset):
    errors = [str(p) for p in check(dataset) if p.severity == "error"]
    assert errors == []


def test_every_event_cites_existing_sources(dataset):
    source_ids = {row["id"] for row in dataset.sources.rows}
    for row in dataset.events.rows:
        cited = split_list(row["sources"])
        assert cited, row["id"]
        assert set(cited) <= source_ids, row["id"]


def test_uncited_sources_say_why(dataset):
    cited = {s for row in dataset.events.rows for s in split_list(row["sources"])}
    for row in dataset.sources.rows:
        if row["id"] not in cited:
            assert "no event cites it" in row["note"], row["id"]


def test_every_event_has_evidence_and_confidence(dataset):
    for row in dataset.events.rows:
        assert row["evidence"].strip(), row["id"]
        assert row["confidence"] in ("confirmed", "reported", "alleged")


def test_coverage_table_and_data_agree(dataset):
    tables = coverage_tables()
    assert set(tables) == set(ARTICLES)
    listed = {event for rows in tables.values() for event, _ in rows if event != "—"}
    journeys = journey_table()
    ids = {row["id"] for row in dataset.events.rows}
    assert journeys and not listed & set(journeys)
    assert listed | set(journeys) == ids
    for source, rows in tables.items():
        for event, reason in rows:
            assert (event == "—") == bool(reason), (source, event, reason)
    # An event listed under an article cites that article.
    sources_of = {row["id"]: set(split_list(row["sources"])) for row in dataset.events.rows}
    for source, rows in tables.items():
        for event, _ in rows:
            if event != "—":
                assert source in sources_of[event], (source, event)


def test_geomap_validate_reports_no_errors_on_the_data():
    result = CliRunner().invoke(cli, ["validate", "--data", str(DATA)])
    assert result.exit_code == 0, result.output
    assert re.search(r"^0 errors, \d+ warnings? in ", result.output.splitlines()[-1])


def test_rests_on_and_citations_name_existing_ids(dataset):
    sources = {row["id"] for row in dataset.sources.rows}
    events = {row["id"]: set(split_list(row["sources"])) for row in dataset.events.rows}
    for row in dataset.sources.rows:
        for parent in split_list(row["rests_on"]):
            assert parent in sources and parent != row["id"], (row["id"], parent)
    assert dataset.citations is not None
    pairs = set()
    for row in dataset.citations.rows:
        assert row["event"] in events, row
        assert row["source"] in events[row["event"]], row
        assert row["stance"] in ("supports", "disputes", "reports-claim"), row
        pairs.add((row["event"], row["source"]))
    assert pairs == {(event, source) for event, cited in events.items() for source in cited}


def test_evidence_is_one_of_the_events_citation_quotes(dataset):
    quotes = {}
    for row in dataset.citations.rows:
        quotes.setdefault(row["event"], set()).add(row["quote"])
    for row in dataset.events.rows:
        assert row["evidence"] in quotes[row["id"]], row["id"]


def test_a_url_comes_with_how_it_was_verified(dataset):
    for row in dataset.sources.rows:
        if row["url"].strip():
            assert row["url"].startswith(("https://", "http://")), row["id"]
            assert row["verified"].startswith("2026-11"), row["id"]


def test_every_source_says_in_the_readme_how_it_was_verified(dataset):
    text = (DATA / "README.md").read_text(encoding="utf-8")
    section = text.split("\n## Verification", 1)[1].split("\n## ", 1)[0]
    listed = re.findall(r"^\| `([a-z0-9-]+)` \|", section, flags=re.M)
    assert sorted(listed) == sorted(row["id"] for row in dataset.sources.rows)


def _articles_dir() -> Path:
    return Path(os.environ.get("GEOMAP_SHARED_SOURCES", SHARED / "sources"))


def article_texts(dataset) -> dict[str, list[str]]:
    """Each of the five articles' non-empty lines, found by the source's title in a text's head."""
    folder = _articles_dir()
    if not folder.is_dir():
        pytest.skip(f"the source articles are not available here ({folder})")
    files = [[line for line in p.read_text(encoding="utf-8").split("\n") if line.strip()]
             for p in sorted(folder.glob("*.txt"))]
    titles = {row["id"]: norm(row["title"]) for row in dataset.sources.rows}
    texts = {}
    for sid in ARTICLES:
        hits = [lines for lines in files if titles[sid] in norm(" ".join(lines[:6]))]
        assert len(hits) == 1, f"{sid}: {len(hits)} texts carry its title"
        texts[sid] = hits[0]
    return texts


def test_citation_quotes_are_verbatim_in_the_articles(dataset):
    """A quote from one of the five articles, or from a source known only through one of them,
    is in the paragraph its locator names; a quote from a stored copy outside ../shared cannot be
    checked here, so its source must carry the copy's address and how it was verified."""
    texts = article_texts(dataset)
    sources = {row["id"]: row for row in dataset.sources.rows}
    checked = 0
    for line, row in dataset.citations.records():
        where = f"citations.csv:{line}"
        locator = _LOCATOR.match(row["locator"])
        if locator is None:
            assert row["source"] not in ARTICLES, where
            assert row["locator"].startswith(STORED_COPY), where
            assert sources[row["source"]]["url"] and sources[row["source"]]["verified"], where
            continue
        article = locator["article"] or row["source"]
        assert article in ARTICLES, where
        assert (locator["article"] is None) == (row["source"] in ARTICLES), where
        paragraph = int(locator["para"])
        assert 1 <= paragraph <= len(texts[article]), where
        assert norm(row["quote"]) in norm(texts[article][paragraph - 1]), where
        checked += 1
    assert checked >= 40


def test_the_quote_check_catches_a_changed_word(dataset):
    texts = article_texts(dataset)
    paragraph = texts["miranda-2020-07-28"][8]
    assert norm("according to AP") in norm(paragraph)
    assert norm("according to Reuters") not in norm(paragraph)
    assert norm("it\u2019s  a\ntest") == norm("it's a test")


def test_source_articles_match_their_records(dataset):
    texts = article_texts(dataset)
    sources = {row["id"]: row for row in dataset.sources.rows}
    for sid in ARTICLES:
        text = " ".join(texts[sid])
        if sources[sid]["author"]:
            assert sources[sid]["author"].split()[-1] in text, sid
