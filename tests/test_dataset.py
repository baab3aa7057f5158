"""The default dataset: valid, covered by data/README.md, and quoted verbatim from its sources.

The five source articles live outside the product (../shared/sources/); the quote check reads them
only when they are there and skips otherwise.
"""

import os
import re
from pathlib import Path

import pytest

from geomap.load import load_dataset
from geomap.schema import split_list
from geomap.validate import check

from .conftest import ROOT, SHARED

DATA = ROOT / "data"
#: Each source article's id in sources.csv -> the stem of its text in shared/sources/.
ARTICLES = {
    "miranda-2020-07-28": "000_44b42664a230890c",
    "dialogo-2020-12-11": "001_04b800c3838089d9",
    "global-research-2020-08-25": "002_f11b347d13f56598",
    "mendez-2024-11": "003_90e1ca45be2bc92e",
    "critical-threats-2020-09-30": "004_a673a290ac37996a",
}


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
    ids = {row["id"] for row in dataset.events.rows}
    assert listed == ids
    for source, rows in tables.items():
        for event, reason in rows:
            assert (event == "—") == bool(reason), (source, event, reason)
    # An event listed under an article cites that article.
    sources_of = {row["id"]: set(split_list(row["sources"])) for row in dataset.events.rows}
    for source, rows in tables.items():
        for event, _ in rows:
            if event != "—":
                assert source in sources_of[event], (source, event)


def _articles_dir() -> Path:
    return Path(os.environ.get("GEOMAP_SHARED_SOURCES", SHARED / "sources"))


def test_evidence_is_quoted_verbatim_from_a_cited_article(dataset):
    folder = _articles_dir()
    if not folder.is_dir():
        pytest.skip(f"the source articles are not available here ({folder})")
    texts = {sid: (folder / f"{stem}.txt").read_text(encoding="utf-8")
             for sid, stem in ARTICLES.items()}
    for row in dataset.events.rows:
        articles = [texts[s] for s in split_list(row["sources"]) if s in texts]
        assert articles, f"{row['id']} cites none of the five articles"
        quote = " ".join(row["evidence"].split())
        assert any(quote in " ".join(text.split()) for text in articles), row["id"]


def test_source_articles_match_their_records(dataset):
    folder = _articles_dir()
    if not folder.is_dir():
        pytest.skip(f"the source articles are not available here ({folder})")
    sources = {row["id"]: row for row in dataset.sources.rows}
    for sid, stem in ARTICLES.items():
        text = (folder / f"{stem}.txt").read_text(encoding="utf-8")
        assert sources[sid]["title"] in text, sid
        if sources[sid]["author"]:
            assert sources[sid]["author"].split()[-1] in text, sid
