"""Check that nbtune works with the lowest versions its pyproject.toml allows.

The way scikit-learn's and pandas' minimum-dependency CI jobs do it: every
direct dependency of ``[project] dependencies`` (and of one TensorFlow extra)
is installed at exactly its lower bound (``name==X`` for ``name>=X``), in a
fresh virtual environment made with the oldest Python nbtune supports; then
nbtune from this checkout with ``--no-deps``; then only the test tools the
smoke tests need (pytest, nbclient, nbformat, and an ipykernel that works with
the minimum IPython), constrained so that they cannot move a pinned version.
``pip check`` must be clean and a smoke subset of the tests, which touches
every dependency, must pass.

Usage
-----
::

    python3.11 scripts/check_lower_bounds.py                  # Python 3.10.13, tensorflow-cpu
    python3.11 scripts/check_lower_bounds.py --python ~/.pyenv/versions/3.12.1/bin/python
    python3.11 scripts/check_lower_bounds.py --python PY --floor   # see "Per-Python floors"
    python3.11 scripts/check_lower_bounds.py --list            # the pins, nothing installed
    python3.11 scripts/check_lower_bounds.py --extra tensorflow --venv /tmp/lb --keep

The script itself needs Python 3.11 or newer (``tomllib``); the interpreter it
checks is ``--python`` (default ``~/.pyenv/versions/3.10.13/bin/python``).
It reaches only the package registries pip is configured for.  It prints a
table of the pins, the versions installed and the result, and exits 0 when
every pin installed, ``pip check`` is clean and the smoke tests pass, 1
otherwise (2 for bad arguments or a dependency without a lower bound).

Per-Python floors
-----------------
A lower bound can be older than the first release for a newer Python (scipy
1.10 is not released for CPython 3.12; matplotlib 3.7.0 has only an sdist
there).  Before installing, each pin is checked for a wheel for the target
interpreter (``pip install --dry-run --no-deps --only-binary=:all:``); the
table's last column says ``yes``, ``none for cp312`` (no such release for
that Python, or none at all) or ``sdist only for cp312``.  Without ``--floor``
either fails the run.  With ``--floor`` such a pin is replaced by the lowest
later release that has a wheel for that Python (its row says ``floor``), so
the run tests the oldest set installable there.  Nothing is ever built from
an sdist: the direct dependencies are installed with ``--only-binary``.

Notes
-----
Only the direct dependencies are pinned; pip picks the indirect ones, except
for the caps in ``ERA_CAPS`` (pyparsing < 3.3 while matplotlib < 3.11 is
pinned: pyparsing 3.3 deprecates the names older matplotlib calls, and the
plot tests turn warnings into errors), which the script prints when it
applies them.

The smoke subset (``SMOKE_TESTS``) runs in one pytest process, without
pytest-xdist: the scikit-learn estimator checks and a grid search
(scikit-learn, scipy, keras), Hyperband and Bayesian search (keras-tuner,
tensorboard, TensorFlow), the private names ``nbtune.training.compat`` reaches, results
and plots (pandas, matplotlib), the space editor and run panel (ipywidgets),
``ClearTrainingOutput`` in a real kernel (IPython, ipykernel) and lesson 04
executed in fast mode (``NBTUNE_FAST=1``, through nbclient).  On the 2-core
machine a run takes about 3.5 minutes: 1 to make the environment (TensorFlow,
and the notebook and JupyterLab that ipywidgets 7 pulls in), 2 for the tests
(140 of them).  nbtune is installed
from a copy of the checkout (its working-tree files, committed or not), so
nothing is written into the tree; the tests import that installed copy, never
the checkout's ``nbtune/``.  The virtual environment is made anew at each run
and deleted afterwards unless ``--keep`` is given.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import tomllib

try:
    from packaging.markers import Marker
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name
    from packaging.version import InvalidVersion, Version
except ImportError:  # pip ships its own copy
    from pip._vendor.packaging.markers import Marker
    from pip._vendor.packaging.requirements import Requirement
    from pip._vendor.packaging.utils import canonicalize_name
    from pip._vendor.packaging.version import InvalidVersion, Version

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PYTHON = Path.home() / ".pyenv" / "versions" / "3.10.13" / "bin" / "python"
EXTRAS = ("tensorflow-cpu", "tensorflow")

# Google Colab pairs IPython 7.34 with ipykernel 6.17.1; with IPython 8 or newer the
# resolver picks an ipykernel that fits the pinned IPython.
IPYKERNEL_FOR_IPYTHON_7 = "6.17.1"
TEST_TOOLS = ["pytest", "nbclient", "nbformat"]

SMOKE_TESTS = [
    # the scikit-learn-compatible estimator and a grid search: scikit-learn, scipy, keras
    "tests/test_estimator.py::test_classifier_passes_check_estimator",
    "tests/test_estimator.py::test_grid_search_routes_fit_and_build_params",
    "tests/test_estimator.py::test_numpy_scalars_reach_build_fn_and_fit_as_python_scalars",
    "tests/test_estimator.py::test_silent_at_verbose_0_and_pickles",
    "tests/test_search.py::test_grid_search_tries_every_configuration_and_matches_gridsearchcv",
    "tests/test_search.py::test_random_search_draws_the_same_candidates_as_parameter_sampler",
    # Hyperband and Bayesian through keras-tuner (tensorboard, TensorFlow)
    "tests/test_search.py::test_hyperband_follows_the_schedule_and_records_brackets",
    "tests/test_search.py::test_bayesian_runs_max_trials",
    "tests/test_search.py::test_compare_uses_one_validation_set_and_scores_each_winner_on_test",
    "tests/test_compat.py",  # the private names of TensorFlow and keras-tuner nbtune reaches
    # a class search over gRPC: grpcio at its bound, keras-tuner's service and its client
    "tests/test_classroom.py::test_the_token_refuses_strangers_and_keras_tuners_own_client",
    "tests/test_space.py",  # scipy.stats distributions, keras-tuner hyperparameters
    "tests/test_replays.py::test_replays_hyperband_proposes_what_keras_tuners_own_tuner_does",
    # results and plots: pandas, matplotlib
    "tests/test_results.py",
    "tests/test_plots.py",
    # the widgets: ipywidgets, IPython
    "tests/test_widgets.py",
    "tests/test_panel.py::test_grid_run_fills_result_progress_and_plot",
    "tests/test_panel.py::test_hyperband_from_an_editor",
    "tests/test_callbacks.py",  # ClearTrainingOutput, in a real kernel too (ipykernel)
    # one lesson, executed in fast mode in a kernel (nbclient, ipykernel)
    "tests/test_notebooks.py::test_lesson_runs_without_an_error[04_comparing_strategies]",
    "tests/test_notebooks.py::test_lesson_writes_nothing_to_stderr[04_comparing_strategies]",
]

# Caps on indirect dependencies, for a minimum set of its own era: (name, cap, applies when
# this direct dependency's pin is below this version, why). pyparsing 3.3 (Dec 2025)
# deprecates the camelCase names that matplotlib calls before 3.11 (matplotlib#29745,
# #30617); the DeprecationWarnings are hidden from students (they come from library code),
# but the plot tests that turn warnings into errors fail, on Colab's matplotlib 3.10.0 too.
ERA_CAPS = [
    ("pyparsing", "<3.3", "matplotlib", "3.11",
     "matplotlib < 3.11 calls the names pyparsing 3.3 deprecates"),
]

# the marker environment of the target interpreter, computed by its own pip's packaging
MARKER_ENVIRONMENT = (
    "import json\n"
    "try:\n"
    "    from pip._vendor.packaging.markers import default_environment\n"
    "except ImportError:\n"
    "    from packaging.markers import default_environment\n"
    "print(json.dumps(default_environment()))\n"
)


class Pin:
    """One direct dependency: its requirement, the version pinned and what happened."""

    def __init__(self, requirement: Requirement, source: str):
        self.requirement = requirement
        self.source = source  # "dependencies" or the extra's name
        self.name = canonicalize_name(requirement.name)
        self.bound = lower_bound(requirement)
        self.version = self.bound  # what is installed: the bound, or a later --floor
        self.wheel = "?"  # yes / none for cpXY / sdist only for cpXY / floor (...)
        self.installed: str | None = None

    @property
    def spec(self) -> str:
        return f"{self.name}=={self.version}" if self.version else self.name


def lower_bound(requirement: Requirement) -> str | None:
    """The X of ``>=X`` (or ``==X``/``~=X``) in a requirement, or None when it has none."""
    for specifier in requirement.specifier:
        if specifier.operator in (">=", "==", "~=", "==="):
            return specifier.version
    return None


def read_pins(pyproject: Path, extra: str, environment: dict[str, str]) -> list[Pin]:
    """The direct dependencies that apply to ``environment``, with their lower bounds."""
    project = tomllib.loads(pyproject.read_text())["project"]
    sources = [("dependencies", line) for line in project["dependencies"]]
    sources += [(extra, line) for line in project["optional-dependencies"][extra]]
    pins = []
    for source, line in sources:
        requirement = Requirement(line)
        marker: Marker | None = requirement.marker
        if marker is None or marker.evaluate({**environment, "extra": ""}):
            pins.append(Pin(requirement, source))
    return pins


def run(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run a command, echoing it and its output (without pip's notes on absent index folders)."""
    print("$", " ".join(str(part) for part in command), flush=True)
    with subprocess.Popen(command, text=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                          **kwargs) as process:
        for line in process.stdout:
            if not (line.startswith("WARNING: Location ") and "is ignored" in line):
                print(line, end="", flush=True)
    return subprocess.CompletedProcess(command, process.returncode)


def quiet(command: list[str], **kwargs) -> subprocess.CompletedProcess:
    """Run a command and capture its output."""
    return subprocess.run(command, text=True, capture_output=True, **kwargs)


def released_versions(python: Path, name: str) -> list[str]:
    """Every version of ``name`` the registries list for this interpreter (any format)."""
    result = quiet([python, "-m", "pip", "index", "versions", name])
    for line in result.stdout.splitlines():
        if line.startswith("Available versions:"):
            return [v.strip() for v in line.split(":", 1)[1].split(",") if v.strip()]
    return []


def has_wheel(python: Path, spec: str) -> bool:
    """Whether ``spec`` can be installed from a wheel on this interpreter (nothing installed)."""
    result = quiet([python, "-m", "pip", "install", "--dry-run", "--quiet", "--no-deps",
                    "--ignore-installed", "--only-binary=:all:", spec])
    return result.returncode == 0


def check_wheels(python: Path, pins: list[Pin], floor: bool, tag: str) -> None:
    """Fill in each pin's ``wheel`` column; with ``floor``, move to the first release with one.

    ``none for cp312``: no release of that version for this Python (or at all);
    ``sdist only for cp312``: released for it, but without a wheel (never built here)."""
    for pin in pins:
        if pin.version is None:
            pin.wheel = "no bound"
            continue
        if has_wheel(python, pin.spec):
            pin.wheel = "yes"
            continue
        released = released_versions(python, pin.name)
        listed = any(same(v, pin.version) for v in released)  # pip lists what fits the Python
        pin.wheel = f"sdist only for {tag}" if listed else f"none for {tag}"
        if not floor:
            continue
        later = sorted((v for v in released if is_later(v, pin.version)
                        and pin.requirement.specifier.contains(v)), key=Version)
        for version in later:
            if has_wheel(python, f"{pin.name}=={version}"):
                pin.version, pin.wheel = version, f"floor ({pin.bound}: {pin.wheel})"
                break


def same(a: str, b: str) -> bool:
    try:
        return Version(a) == Version(b)
    except InvalidVersion:
        return a == b


def is_later(a: str, b: str) -> bool:
    try:
        return Version(a) > Version(b) and not Version(a).is_prerelease
    except InvalidVersion:
        return False


def era_caps(pins: list[Pin]) -> list[str]:
    """The requirements of :data:`ERA_CAPS` that apply to these pins, each announced."""
    versions = {pin.name: pin.version for pin in pins}
    caps = []
    for name, cap, when, below, why in ERA_CAPS:
        if versions.get(when) and Version(versions[when]) < Version(below):
            caps.append(f"{name}{cap}")
            print(f"indirect: {name}{cap} ({why}; {when} {versions[when]} is pinned)")
    return caps


def copy_checkout(destination: Path) -> Path:
    """The files nbtune's wheel is built from, copied so that the build writes nothing here."""
    destination.mkdir(parents=True)
    for path in ROOT.iterdir():
        if path.is_file() and not path.name.startswith("."):
            shutil.copy2(path, destination / path.name)
    shutil.copytree(ROOT / "nbtune", destination / "nbtune",
                    ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    return destination


def installed_versions(python: Path) -> dict[str, str]:
    result = quiet([python, "-m", "pip", "list", "--format=json"])
    return {canonicalize_name(p["name"]): p["version"] for p in json.loads(result.stdout)}


def print_table(pins: list[Pin], python_version: str) -> bool:
    """The pins and what got installed; True when every pin is installed as pinned."""
    rows = [("package", "requirement", "pinned", "installed", f"wheel for {python_version}")]
    ok = True
    for pin in pins:
        specifier = ",".join(sorted((str(s) for s in pin.requirement.specifier),
                                    key=lambda s: not s.startswith(">"))) or "(none)"
        installed = pin.installed or "-"
        if pin.version is None or pin.installed is None or not same(pin.installed, pin.version):
            ok = False
            if pin.installed and pin.version:
                installed += "  (NOT the pin)"
        rows.append((pin.name, specifier, pin.version or "-", installed, pin.wheel))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    print()
    for number, row in enumerate(rows):
        print("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())
        if number == 0:
            print("  ".join("-" * width for width in widths))
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--python", type=Path, default=DEFAULT_PYTHON,
                        help="the interpreter to check (default: %(default)s)")
    parser.add_argument("--extra", choices=EXTRAS, default="tensorflow-cpu",
                        help="the TensorFlow extra whose bound is checked (default: %(default)s)")
    parser.add_argument("--floor", action="store_true",
                        help="replace a pin that has no wheel for this Python by the first "
                             "later release that has one")
    parser.add_argument("--ipykernel", default=None,
                        help="the ipykernel version for the lesson's kernel (default: "
                             f"{IPYKERNEL_FOR_IPYTHON_7} with IPython 7, else the resolver's)")
    parser.add_argument("--venv", type=Path, default=None,
                        help="where to make the virtual environment (default: a new temporary "
                             "folder); an existing one is deleted first")
    parser.add_argument("--keep", action="store_true", help="keep the virtual environment")
    parser.add_argument("--list", action="store_true",
                        help="print the pins and their wheels only; install nothing")
    parser.add_argument("pytest_args", nargs="*",
                        help="tests to run instead of the smoke subset (pytest node ids)")
    args = parser.parse_args(argv)

    python = args.python.expanduser()
    if not python.exists():
        parser.error(f"--python {python}: no such interpreter")
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix="nbtune-lower-bounds-"))
    venv = args.venv.expanduser().resolve() if args.venv else work / "venv"
    try:
        return check(args, python, venv, work, started)
    finally:
        if args.keep:
            print(f"kept the virtual environment: {venv}")
        elif args.venv:
            shutil.rmtree(venv, ignore_errors=True)
        if not (args.keep and venv.is_relative_to(work)):
            shutil.rmtree(work, ignore_errors=True)


def check(args, python: Path, venv: Path, work: Path, started: float) -> int:
    """Make the environment, install the pins, run the tests; the exit code."""
    if venv.exists():
        shutil.rmtree(venv)
    if run([python, "-m", "venv", venv]).returncode:
        return 1
    vpython = venv / "bin" / "python"
    environment = json.loads(quiet([vpython, "-c", MARKER_ENVIRONMENT], check=True).stdout)
    python_version = environment["python_full_version"]
    tag = "cp" + "".join(python_version.split(".")[:2])
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    requires_python = project.get("requires-python", "")
    print(f"Python {python_version} ({python}); nbtune requires-python {requires_python}")
    pins = read_pins(ROOT / "pyproject.toml", args.extra, environment)
    unbounded = [pin.name for pin in pins if pin.version is None]
    if unbounded:
        print(f"no lower bound to check for: {', '.join(unbounded)}; give each one in "
              "pyproject.toml")
        return 2

    phase = time.monotonic()
    check_wheels(vpython, pins, args.floor, tag)
    print(f"checked the wheels in {time.monotonic() - phase:.0f} s")
    missing = [pin for pin in pins if pin.wheel.startswith(("none", "sdist"))]
    if args.list or missing:
        print_table(pins, tag)
        for pin in missing:
            print(f"{pin.name}=={pin.version}: {pin.wheel}")
        if missing and not args.floor:
            print("(--floor installs the first later release with a wheel instead)")
        return 1 if missing else 0

    # 1. the direct dependencies at their pins, from wheels only
    phase = time.monotonic()
    caps = era_caps(pins)
    constraints = work / "pins.txt"
    constraints.write_text("".join(f"{spec}\n" for spec in [*(p.spec for p in pins), *caps]))
    pip = [vpython, "-m", "pip", "install", "--quiet"]
    names = ",".join(pin.name for pin in pins)
    if run([*pip, f"--only-binary={names}", "-c", constraints,
            *(pin.spec for pin in pins)]).returncode:
        print("FAIL: the pins do not install together (the resolver's error is above)")
        return 1
    # 2. nbtune itself, from a copy of the checkout, without its dependencies
    source = copy_checkout(work / "nbtune-source")
    if run([*pip, "--no-deps", source]).returncode:
        return 1
    # 3. the test tools, which may not move a pin
    tools = list(TEST_TOOLS)
    ipython = next((pin for pin in pins if pin.name == "ipython"), None)
    if args.ipykernel:
        tools.append(f"ipykernel=={args.ipykernel}")
    elif ipython and Version(ipython.version).major < 8:
        tools.append(f"ipykernel=={IPYKERNEL_FOR_IPYTHON_7}")
    else:
        tools.append("ipykernel")
    if run([*pip, "-c", constraints, *tools]).returncode:
        print("FAIL: the test tools do not install beside the pins")
        return 1
    print(f"installed in {time.monotonic() - phase:.0f} s")

    versions = installed_versions(vpython)
    for pin in pins:
        pin.installed = versions.get(pin.name)
    pins_ok = print_table(pins, tag)
    shown = ["pytest", "nbclient", "nbformat", "ipykernel", "jupyter-client",
             *(name for name, *_ in ERA_CAPS)]
    tools_installed = ", ".join(f"{name} {versions.get(name, '-')}" for name in shown)
    print(f"\ntest tools and capped: {tools_installed}")
    pip_check = run([vpython, "-m", "pip", "check"])

    # 4. the smoke tests, importing the installed nbtune (pytest's script puts no checkout
    #    folder on sys.path), with a kernel and IPython profile of their own
    where = quiet([vpython, "-c", "import nbtune; print(nbtune.__file__)"], cwd=work)
    print(f"nbtune under test: {where.stdout.strip() or where.stderr.strip()}")
    env = {key: value for key, value in os.environ.items()
           if key not in ("PYTHONPATH", "VIRTUAL_ENV", "JUPYTER_PATH",
                          "NBTUNE_EXECUTED_LESSONS")}  # the lesson runs here, at the bounds
    env.update(PATH=f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}", VIRTUAL_ENV=str(venv),
               JUPYTER_DATA_DIR=str(work / "jupyter"), IPYTHONDIR=str(work / "ipython"),
               MPLBACKEND="Agg")
    phase = time.monotonic()
    tests = args.pytest_args or SMOKE_TESTS
    pytest = run([venv / "bin" / "pytest", "-o", "addopts=", "-q", "-ra", "-p", "no:cacheprovider",
                  "--durations=10", *tests], cwd=ROOT, env=env)
    test_seconds = time.monotonic() - phase

    print_table(pins, tag)
    verdicts = [
        ("pins installed as pinned", pins_ok),
        ("pip check", pip_check.returncode == 0),
        (f"smoke tests ({len(tests)} ids, {test_seconds:.0f} s)", pytest.returncode == 0),
    ]
    print()
    for label, ok in verdicts:
        print(f"{'ok  ' if ok else 'FAIL'}  {label}")
    passed = all(ok for _, ok in verdicts)
    print(f"\n{'PASS' if passed else 'FAIL'}: nbtune's lower bounds on Python {python_version} "
          f"({args.extra}{', --floor' if args.floor else ''}), "
          f"{time.monotonic() - started:.0f} s in all")
    return 0 if passed else 1


if __name__ == "__main__":
    sys.exit(main())
