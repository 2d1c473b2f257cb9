"""Every docstring example in the library runs and shows what it says."""

import doctest
import importlib

import pytest

MODULES = ["nbtune", "nbtune.data", "nbtune.results", "nbtune.display", "nbtune.schedule",
           "nbtune.callbacks", "nbtune.search", "nbtune.estimator", "nbtune.runlog",
           "nbtune.lessons", "nbtune.widgets", "nbtune.engine", "nbtune.routing",
           "nbtune.backend", "nbtune.cli", "nbtune.space", "nbtune.formatting",
           "nbtune.ui_style", "nbtune.compat", "nbtune.strategies"]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    outcome = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert outcome.failed == 0
    assert outcome.attempted > 0, f"{name} has no docstring example"
