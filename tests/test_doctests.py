"""Docstring examples are documentation: every module's doctests must pass."""

from __future__ import annotations

import doctest
import importlib
import pkgutil

import pytest

import mtmend.cleaner
import mtmend.cli
from mtmend.cleaner.engine import example
import mtmend.corpus
import mtmend.review
import mtmend.tmx


def _modules():
    for package in (mtmend.corpus, mtmend.cleaner, mtmend.tmx, mtmend.review, mtmend.cli):
        for info in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            yield info.name


MODULES = sorted(_modules())


def test_every_package_is_found():
    assert {"mtmend.corpus.edits", "mtmend.cleaner.engine", "mtmend.tmx.writer", "mtmend.review.view", "mtmend.cli.main"} <= set(MODULES)


@pytest.mark.parametrize("name", MODULES)
def test_doctests(name):
    module = importlib.import_module(name)
    # Rule docstrings show ``example(rule_function, text)`` without importing it: a rule module
    # importing the engine would close an import cycle (engine -> config -> registry -> rule).
    result = doctest.testmod(module, extraglobs={"example": example}, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{result.failed} of {result.attempted} doctests failed in {name}"
