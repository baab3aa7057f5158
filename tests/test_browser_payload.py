"""The page decodes its packed payload to the document Python decodes, or says it cannot."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .browser_support import offline_router
from .conftest import ROOT
from .helpers import page_payload

pytestmark = pytest.mark.browser

COMMITTED = ROOT / "maps" / "index.html"


def test_the_committed_map_decodes_to_the_document_python_reads(open_map):
    doc = page_payload(COMMITTED.read_text(encoding="utf-8"))
    opened = open_map(COMMITTED)
    opened.page.wait_for_function("window.geomap.drawnAt !== null")
    # Coordinates are integers / 1e6 on both sides, so they are equal to the last bit.
    assert json.loads(opened.evaluate("JSON.stringify(window.geomap.data)")) == doc
    assert opened.evaluate("window.geomap.drawnCount()") == len(doc["events"]["id"]) == 28
    assert opened.errors == []


def test_a_browser_without_decompression_gets_a_message_not_a_blank_map(browser, cdn_files):
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.add_init_script("delete window.DecompressionStream")
        page.route("**/*", offline_router(cdn_files, []))
        page.goto(Path(COMMITTED).resolve().as_uri())
        alert = page.get_by_role("alert")
        alert.wait_for(timeout=20_000)
        assert "DecompressionStream" in alert.inner_text()
        assert "browser" in alert.inner_text()
        assert alert.is_visible()
        box = alert.bounding_box()
        assert box["width"] > 100 and box["height"] > 30
        assert page.evaluate("window.geomap === undefined")
    finally:
        page.close()


def test_a_damaged_payload_is_reported_in_the_page(browser, cdn_files, tmp_path):
    text = COMMITTED.read_text(encoding="utf-8")
    start = text.index('data-kind="geoms">') + len('data-kind="geoms">')
    damaged = tmp_path / "damaged.html"
    damaged.write_text(text[:start] + "AAAA" + text[start + 4:], encoding="utf-8")
    page = browser.new_page(viewport={"width": 1280, "height": 800})
    try:
        page.route("**/*", offline_router(cdn_files, []))
        page.goto(damaged.resolve().as_uri())
        alert = page.get_by_role("alert")
        alert.wait_for(timeout=20_000)
        assert "could not be read" in alert.inner_text()
    finally:
        page.close()
