"""The examples in the docstrings of every module under geomap/ are run, and must hold."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import geomap

MODULES = sorted(m.name for m in pkgutil.iter_modules(geomap.__path__, "geomap."))


def test_every_module_is_covered():
    assert {"geomap.cli", "geomap.commands", "geomap.schema", "geomap.outlines"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    module = importlib.import_module(name)
    result = doctest.testmod(module, optionflags=doctest.ELLIPSIS, verbose=False)
    assert result.failed == 0, f"{result.failed} of {result.attempted} examples failed in {name}"


def test_examples_exist():
    attempted = sum(
        doctest.testmod(importlib.import_module(name), verbose=False, report=False).attempted
        for name in MODULES
    )
    assert attempted >= 8
