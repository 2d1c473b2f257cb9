"""The package's imports run down its wings, never back up.

Each wing may import from itself and from the wings below it, as
ARCHITECTURE.md draws them. Every module of the package is in a wing, and is
checked for every import, deferred ones inside functions too.
"""

import ast
from pathlib import Path

import pytest

import nbtune

PACKAGE = Path(nbtune.__file__).parent

#: wing -> the wings it may import from (itself always). Lowest first; ARCHITECTURE.md draws it.
WINGS = {
    "language": set(),  # the message catalogue and Korean fonts: every wing's words
    "base": {"language"},  # backend, formatting, display, data, arguments: what every wing shares
    "space": {"language", "base"},
    "training": {"language", "base", "space"},
    "search": {"language", "base", "space", "training"},
    "analysis": {"language", "base", "space", "training", "search"},  # reads benchmarks, never imports them
    "benchmarks": {"language", "base", "space", "training", "search"},
    "plots": {"language", "base", "space", "search", "analysis"},
    "ui": {"language", "base", "space", "training", "search", "analysis", "plots"},
    "classroom": {"language", "base", "space", "training", "search"},  # beside ui: a class on one search
    "lessons": {"language", "base", "space", "training", "search", "analysis", "benchmarks", "plots"},
    "top": {"language", "base", "space", "training", "search", "analysis", "benchmarks", "plots", "ui",
            "classroom", "lessons"},
}
BASE = {"nbtune.backend", "nbtune.formatting", "nbtune.display", "nbtune.data", "nbtune.arguments"}
TOP = {"nbtune", "nbtune.cli", "nbtune.__main__"}  # the public face and the command line
#: inside the space wing, one way: the package -> search_space -> build_fns -> dimensions
SPACE_ORDER = ["nbtune.space.dimensions", "nbtune.space.edges", "nbtune.space.build_fns",
               "nbtune.space.search_space", "nbtune.space"]


def wing_of(module: str) -> str | None:
    if module in BASE:
        return "base"
    if module in TOP:
        return "top"
    parts = module.split(".")
    if len(parts) > 1 and parts[1] in WINGS and (PACKAGE / parts[1]).is_dir():
        return parts[1]
    return None


def nbtune_imports(source: str, module: str) -> set[str]:
    """Every nbtune module that ``source`` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("nbtune")}
        elif isinstance(node, ast.ImportFrom) and node.module:
            if node.level:
                raise AssertionError(f"{module}: relative import; nbtune imports by full name")
            if node.module == "nbtune":  # from nbtune import space -> nbtune.space
                found |= {f"nbtune.{alias.name}" for alias in node.names}
            elif node.module.startswith("nbtune."):
                found.add(node.module)
    return found


def modules() -> dict[str, Path]:
    found = {}
    for path in PACKAGE.rglob("*.py"):
        parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def upward_imports(name: str, source: str) -> list[str]:
    wing = wing_of(name)
    if wing is None:
        return []
    allowed = WINGS[wing] | {wing}
    wrong = []
    for target in sorted(nbtune_imports(source, name)):
        target_wing = wing_of(target)
        if target_wing not in allowed:
            wrong.append(f"{name} ({wing}) imports {target} ({target_wing or 'not in a wing'})")
        elif name in SPACE_ORDER and target in SPACE_ORDER:
            if SPACE_ORDER.index(target) >= SPACE_ORDER.index(name):
                wrong.append(f"{name} imports {target}: the space wing runs "
                             + " -> ".join(reversed(SPACE_ORDER)))
    return wrong


def test_the_check_sees_an_upward_import_even_a_deferred_one():
    source = "def f():\n    from nbtune.search import compare\n"
    assert upward_imports("nbtune.space.dimensions", source) == [
        "nbtune.space.dimensions (space) imports nbtune.search (search)"]
    assert upward_imports("nbtune.space.dimensions", "import nbtune.space.build_fns\n")
    assert upward_imports("nbtune.backend", "from nbtune import space\n")
    assert upward_imports("nbtune.space.search_space", "from nbtune.space.dimensions import Int\n") == []
    # the package's __init__ imports search_space: a module of the wing must not import it
    assert upward_imports("nbtune.space.build_fns", "from nbtune.space import Int\n")


@pytest.mark.parametrize("name", sorted(m for m in modules() if wing_of(m)))
def test_no_module_imports_up_across_the_wings(name):
    assert upward_imports(name, modules()[name].read_text(encoding="utf-8")) == []


def test_the_wings_exist_and_hold_what_the_map_says():
    assert set(modules()) >= {*BASE, *TOP, *SPACE_ORDER}
    assert {wing_of(name) for name in modules()} == set(WINGS)  # every module placed, no empty wing


def test_the_top_level_stays_small():
    top_level = [path.name for path in PACKAGE.glob("*.py")]
    assert len(top_level) <= 8, top_level


def test_architecture_md_names_only_modules_and_functions_that_exist():
    """Every ``wing/module.py`` (and ``module.py::name``) ARCHITECTURE.md names is there."""
    import re

    text = (PACKAGE.parent / "ARCHITECTURE.md").read_text(encoding="utf-8")
    named = re.findall(r"\b((?:[a-z_]+/)?[a-z_]+\.py)(?:::([A-Za-z_]+))?", text)
    assert len(named) > 30
    for path, name in named:
        if path.startswith(("tests/", "scripts/")):
            assert (PACKAGE.parent / path).is_file(), path
            continue
        found = [p for p in PACKAGE.rglob(path.split("/")[-1]) if p.as_posix().endswith(path)]
        assert found, f"ARCHITECTURE.md names {path}, which is not in nbtune/"
        if name:
            assert re.search(rf"^(def|class) {name}\b", found[0].read_text(), re.M), (path, name)
    for wing in WINGS:
        assert wing == "top" or f"\n {wing}" in text, f"ARCHITECTURE.md does not draw the {wing} wing"
