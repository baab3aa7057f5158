"""The page script's own checks: ``node --test tests/js/``, eslint, and the page's fold of every
code point against Python's ``gazetteer.fold``.

Node comes from Debian (``apt-get install nodejs npm``); eslint and axe-core from the committed
lock: ``npm ci --ignore-scripts``. Without node these tests skip, unless ``GEOMAP_REQUIRE_NODE``
is set (CI), where they fail.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import unicodedata

import pytest

from geomap.gazetteer import fold

from .conftest import ROOT


def _need(tool: str, hint: str) -> str:
    path = shutil.which(tool) if os.sep not in tool else (tool if os.path.exists(tool) else None)
    if path is None:
        if os.environ.get("GEOMAP_REQUIRE_NODE"):
            pytest.fail(f"{tool} is missing: {hint}")
        pytest.skip(f"{tool} is missing: {hint}")
    return path


def _run(*argv: str) -> subprocess.CompletedProcess:
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=600)


def test_node_tests_pass():
    node = _need("node", "apt-get install -y nodejs")
    result = _run(node, "--test", "tests/js/")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]
    assert "# fail 0" in result.stdout
    assert "# pass 0" not in result.stdout


def test_eslint_passes():
    _need("node", "apt-get install -y nodejs")
    eslint = _need(str(ROOT / "node_modules" / ".bin" / "eslint"), "npm ci --ignore-scripts")
    result = _run(eslint, "--max-warnings", "0")
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-2000:]


def test_page_fold_equals_python_fold_for_every_code_point():
    """Every code point Python's Unicode database knows folds the same way on the page."""
    node = _need("node", "apt-get install -y nodejs")
    result = _run(node, "tests/js/fold_all.js")
    assert result.returncode == 0, result.stderr[-2000:]
    page = json.loads(result.stdout)
    points = [cp for cp in range(0x110000) if not 0xD800 <= cp < 0xE000]
    assert len(page) == len(points)
    differ = [
        (hex(cp), fold(chr(cp)), key)
        for cp, key in zip(points, page, strict=True)
        if unicodedata.category(chr(cp)) != "Cn" and fold(chr(cp)) != key
    ]
    assert differ == []


def test_the_manifest_lists_every_script():
    scripts = json.loads((ROOT / "geomap" / "static" / "js" / "manifest.json").read_text())
    on_disk = sorted(p.name for p in (ROOT / "geomap" / "static" / "js").glob("*.js"))
    assert sorted(scripts) == on_disk
    assert scripts[:2] == ["core.js", "decode.js"]
