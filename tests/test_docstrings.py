"""Every docstring example in the library runs and shows what it says."""

import doctest
import importlib
import pkgutil

import pytest

import nbtune

# every module of the package (its entry point aside): a new module must have examples too
MODULES = ["nbtune", *(m.name for m in pkgutil.walk_packages(nbtune.__path__, "nbtune.")
                       if m.name != "nbtune.__main__")]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    module = importlib.import_module(name)
    outcome = doctest.testmod(module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert outcome.failed == 0
    assert outcome.attempted > 0, f"{name} has no docstring example"
