"""Run every lesson as a student opening it alone in Google Colab would.

A fresh virtual environment stands in for a Colab runtime: Python 3.12, full
``tensorflow`` (the oldest nbtune supports there), and Colab's own interactive
stack preinstalled at Colab's versions (``COLAB_PINS``, from
googlecolab/backend-info's pip-freeze.txt, August 2026).  A stand-in
``google-colab`` package requires exactly those versions, as the real one pins
``ipython==7.34.0`` and ``ipykernel==6.17.1``, so ``pip check`` sees anything
that installing nbtune changes; the kernel imports ``google.colab`` at start,
as Colab's does, so a lesson's set-up cell takes its Colab branch.

nbtune is not preinstalled.  Each lesson is copied alone into an empty folder
and executed in fast mode (``NBTUNE_FAST=1``), or with ``--budget default`` at
the budgets a student runs, where every ``claim(...)`` cell checks what the
lesson concludes (CI does this); its set-up cell installs nbtune
from the wheel built from this checkout (``NBTUNE_SOURCE``), not editable, and
nbtune is uninstalled again before the next lesson.  A lesson passes when no
cell errors, no stderr output appears and the set-up cell says it installed
nbtune.  The run passes when every lesson does, ``pip check`` is clean and
``tf.test.is_built_with_cuda()`` is what it was before.

Both editions are checked: the English lessons and the Korean ones
(``notebooks/ko/``, whose set-up cell also installs a Korean font on Colab).
``--jobs 2`` runs two lessons at a time, each in its own copy of the runtime
(so that one lesson's set-up never installs or removes nbtune under another);
``--save-executed DIR`` keeps each executed lesson (``DIR/05_....ipynb``,
``DIR/ko/05_....ipynb``) for the tests to read (``NBTUNE_EXECUTED_LESSONS``,
tests/test_notebooks.py), so CI runs each lesson once.

Usage::

    python scripts/colab_check.py                 # every lesson, both editions
    python scripts/colab_check.py 00 ko/05        # some lessons
    python scripts/colab_check.py --budget default --jobs 2 --save-executed out   # CI
    python scripts/colab_check.py --tensorflow 2.20.0 --python 3.13   # Colab since 2026-08

The kernel's environment is a student's: no ``TF_*``, ``NBTUNE_*`` (but the
two above) or ``PIP_*`` variables from this shell, and pip reads no config file
(this machine's points at local mirrors that pip warns about on stderr).
"""

from __future__ import annotations

import argparse
import concurrent.futures
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
LESSONS = (sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
           + sorted((NOTEBOOKS / "ko").glob("[0-9][0-9]_*.ipynb")))
# Colab's versions of what it preinstalls and nbtune touches (backend-info, 2026-08-19).
# numpy, keras and tensorboard are left to the chosen TensorFlow: they move with it.
COLAB_PINS = {
    "ipython": "7.34.0", "ipykernel": "6.17.1", "ipywidgets": "7.7.1",
    "widgetsnbextension": "3.6.10", "jupyterlab_widgets": "3.0.16", "jupyter_client": "7.4.9",
    "traitlets": "5.7.1", "scikit-learn": "1.6.1", "scipy": "1.16.3", "pandas": "2.2.3",
    "matplotlib": "3.10.0",
}
KERNEL = "colab-like"
# a stderr output that is only nbtune's EdgeWarning (file:line: EdgeWarning: ..., source line)
EDGE_WARNING = re.compile(r"(\S+:\d+: EdgeWarning: [^\n]*\n(  [^\n]*\n)?)+")
# the kernel imports google.colab first, as Colab's kernel does, then starts as ipykernel_launcher
KERNEL_START = "import google.colab; from ipykernel import kernelapp; kernelapp.launch_new_instance()"


def run(*command: str | Path, **options) -> subprocess.CompletedProcess:
    """Run a command, stop with its output if it fails."""
    done = subprocess.run([str(part) for part in command], capture_output=True, text=True,
                          **options)
    if done.returncode != 0:
        raise SystemExit(f"failed: {' '.join(map(str, command))}\n{done.stdout}\n{done.stderr}")
    return done


def find_python(wanted: str) -> str:
    """An interpreter for ``wanted`` (a command, a path, or a version such as ``3.12``)."""
    candidates = [wanted] if not wanted[0].isdigit() else [
        f"python{wanted}", *sorted(map(str, Path.home().glob(f".pyenv/versions/{wanted}*/bin/python")))]
    for candidate in candidates:
        try:
            subprocess.run([candidate, "--version"], capture_output=True, check=True)
            return candidate
        except (OSError, subprocess.CalledProcessError):  # absent, or a pyenv shim not enabled
            continue
    raise SystemExit(f"--python {wanted}: no working interpreter among {candidates}; "
                     f"install Python {wanted} or give its path")


def build_wheel(out: Path) -> Path:
    """nbtune's wheel, built from this checkout."""
    run(sys.executable, "-m", "build", "--wheel", "--outdir", out, ROOT)
    [wheel] = out.glob("nbtune-*.whl")
    return wheel


def colab_stand_in(folder: Path, tensorflow: str) -> Path:
    """A ``google-colab`` package that pins what Colab preinstalls (so ``pip check`` guards it)."""
    pins = [f"{name}=={version}" for name, version in COLAB_PINS.items()]
    pins.append(f"tensorflow=={tensorflow}")
    (folder / "google" / "colab").mkdir(parents=True)
    (folder / "google" / "colab" / "__init__.py").write_text('"""A stand-in for Colab."""\n')
    (folder / "setup.py").write_text(textwrap.dedent(f"""\
        from setuptools import setup
        setup(name="google-colab", version="1.0.0", packages=["google.colab"],
              install_requires={pins!r})
        """))
    return folder


def make_runtime(venv: Path, python: str, tensorflow: str, work: Path) -> Path:
    """The Colab-like environment: TensorFlow and Colab's stack, no nbtune. Returns its python."""
    run(python, "-m", "venv", venv)
    py = venv / "bin" / "python"
    run(py, "-m", "pip", "install", "--quiet", "--upgrade", "pip")
    pins = [f"{name}=={version}" for name, version in COLAB_PINS.items()]
    run(py, "-m", "pip", "install", "--quiet", f"tensorflow=={tensorflow}", *pins)
    run(py, "-m", "pip", "install", "--quiet", colab_stand_in(work / "google-colab", tensorflow))
    return py


def label(path: Path) -> str:
    """A lesson's short name: ``05``, or ``ko/05`` for the Korean edition."""
    return path.relative_to(NOTEBOOKS).as_posix()[:-len(path.name)] + path.stem[:2]


def copy_runtime(venv: Path, number: int) -> Path:
    """Another runtime, a copy of ``venv`` (its python finds its own packages by its place).
    Returns its python."""
    copy = venv.with_name(f"{venv.name}-{number}")
    run("cp", "-a", venv, copy)
    return copy / "bin" / "python"


def kernel_spec(folder: Path, py: Path, name: str = KERNEL) -> None:
    """A kernel named ``name`` that runs in the runtime ``py`` (found through JUPYTER_PATH)."""
    spec = folder / "kernels" / name
    spec.mkdir(parents=True)
    (spec / "kernel.json").write_text(json.dumps({
        "argv": [str(py), "-c", KERNEL_START, "-f", "{connection_file}"],
        "display_name": "Python 3 (Colab-like)", "language": "python"}))
    os.environ["JUPYTER_PATH"] = str(folder)


def student_environment(py: Path, wheel: Path, fast: bool = True) -> dict[str, str]:
    """A Colab student's environment, with the runtime first on PATH; ``fast`` sets NBTUNE_FAST."""
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("TF_", "NBTUNE_", "PIP_", "VIRTUAL_ENV", "PYTHON", "MPLBACKEND"))}
    env.update(PATH=f"{py.parent}{os.pathsep}{env.get('PATH', '')}", NBTUNE_FAST="1" if fast else "0",
               NBTUNE_SOURCE=str(wheel), PIP_CONFIG_FILE=os.devnull,
               PIP_DISABLE_PIP_VERSION_CHECK="1",
               # ipykernel 6.17's debugger prints a frozen-modules warning to the kernel's own
               # terminal at start (not into the notebook); Colab's terminal is not shown either
               PYDEVD_DISABLE_FILE_VALIDATION="1")
    return env


def built_with_cuda(py: Path) -> str:
    """What ``tf.test.is_built_with_cuda()`` says in the runtime."""
    code = "import tensorflow as tf; print(tf.test.is_built_with_cuda())"
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"}
    return run(py, "-c", code, env=env).stdout.strip()


def run_lesson(path: Path, py: Path, env: dict[str, str], timeout: int, kernel: str = KERNEL,
               save: Path | None = None) -> dict:
    """Execute one lesson alone in an empty folder; what a student would see of it.
    ``save``: a folder to keep the executed lesson in, under its path below notebooks/."""
    run(py, "-m", "pip", "uninstall", "--quiet", "--yes", "nbtune")
    folder = Path(tempfile.mkdtemp(prefix=f"colab-{label(path).replace('/', '-')}-"))
    shutil.copy(path, folder / path.name)
    notebook = nbformat.read(folder / path.name, as_version=4)
    client = NotebookClient(notebook, timeout=timeout, kernel_name=kernel,
                            resources={"metadata": {"path": str(folder)}},
                            extra_arguments=["--IPKernelApp.log_level=ERROR"])
    started, error = time.perf_counter(), ""
    try:
        client.execute(env=env)
    except CellExecutionError as exc:
        error = re.sub(r"\x1b\[[0-9;]*m", "", str(exc).strip().splitlines()[-1])[:200]
    seconds = time.perf_counter() - started
    outputs = [o for cell in notebook.cells for o in cell.get("outputs", [])]
    # nbtune's EdgeWarning is the lesson's advice (tests/test_notebooks.py::is_edge_warning)
    stderr = [o["text"] for o in outputs if o.get("name") == "stderr"
              and not EDGE_WARNING.fullmatch(o["text"])]
    errors = [o for o in outputs if o["output_type"] == "error"]
    setup = "".join(o.get("text", "") for o in notebook.cells[1].get("outputs", []))
    installed = setup.startswith("set-up: installed nbtune ")
    shutil.rmtree(folder)
    if save is not None:
        kept = save / path.relative_to(NOTEBOOKS)
        kept.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(notebook, kept)
    return {"lesson": label(path), "seconds": seconds, "errors": len(errors) + bool(error and
            not errors), "stderr": len(stderr), "set-up": "installed" if installed else "NOT",
            "detail": error or (stderr[0][:300] if stderr else "")}


def run_lessons(lessons: list[Path], runtimes: list[Path], wheel: Path,
                args: argparse.Namespace) -> list[dict]:
    """Every lesson, ``len(runtimes)`` at a time, each runtime running one lesson at a time."""
    free = list(enumerate(runtimes))
    rows = []
    with concurrent.futures.ThreadPoolExecutor(max_workers=len(runtimes)) as pool:
        running: dict[concurrent.futures.Future, tuple[int, Path]] = {}
        queue = list(lessons)
        while queue or running:
            while queue and free:
                number, py = free.pop(0)
                env = student_environment(py, wheel, fast=args.budget == "fast")
                kernel = KERNEL if number == 0 else f"{KERNEL}-{number}"
                future = pool.submit(run_lesson, queue.pop(0), py, env, args.timeout, kernel,
                                     args.save_executed)
                running[future] = (number, py)
            done, _ = concurrent.futures.wait(running, return_when=concurrent.futures.FIRST_COMPLETED)
            for future in done:
                free.append(running.pop(future))
                rows.append(future.result())
                print("{lesson:6} {seconds:5.0f} s  errors {errors}  stderr {stderr}  "
                      "set-up {set-up}  {detail}".format(**rows[-1]), flush=True)
    return sorted(rows, key=lambda row: row["lesson"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("lessons", nargs="*",
                        help="lessons: 05 (English), ko/05 (Korean); default: all of both editions")
    parser.add_argument("--python", default="3.12",
                        help="the runtime's Python: a version, a command or a path (default: 3.12)")
    parser.add_argument("--tensorflow", default="2.16.1",
                        help="the full tensorflow to preinstall (default: the oldest nbtune supports)")
    parser.add_argument("--timeout", type=int, default=600, help="seconds per cell")
    parser.add_argument("--budget", choices=("fast", "default"), default="fast",
                        help="fast: NBTUNE_FAST=1 (tiny budgets); default: the students' budgets, "
                             "where the lessons' claims are checked")
    parser.add_argument("--jobs", type=int, default=1,
                        help="lessons run at a time, each in its own copy of the runtime (default: 1)")
    parser.add_argument("--save-executed", type=Path, metavar="DIR",
                        help="keep each executed lesson in DIR, under its path below notebooks/")
    args = parser.parse_args(argv)
    lessons = [p for p in LESSONS if not args.lessons or label(p) in args.lessons]
    if not lessons:
        parser.error(f"no lesson {args.lessons}; the lessons are {[label(p) for p in LESSONS]}")
    if args.jobs < 1:
        parser.error(f"--jobs {args.jobs}: give 1 or more lessons at a time, e.g. --jobs 2")
    with tempfile.TemporaryDirectory(prefix="colab-check-") as tmp:
        work = Path(tmp)
        started = time.perf_counter()
        wheel = build_wheel(work / "dist")
        py = make_runtime(work / "venv", find_python(args.python), args.tensorflow, work)
        kernel_spec(work / "jupyter", py)
        print(f"runtime: {run(py, '--version').stdout.strip()}, tensorflow {args.tensorflow}, "
              f"ipywidgets {COLAB_PINS['ipywidgets']}, ipython {COLAB_PINS['ipython']}, "
              f"{args.budget} budgets "
              f"({time.perf_counter() - started:.0f} s to make); wheel {wheel.name}", flush=True)
        cuda_before = built_with_cuda(py)
        runtimes = [py] + [copy_runtime(work / "venv", number) for number in range(1, args.jobs)]
        for number, runtime in enumerate(runtimes[1:], start=1):
            kernel_spec(work / "jupyter", runtime, f"{KERNEL}-{number}")
        rows = run_lessons(lessons, runtimes, wheel, args)
        run(py, "-m", "pip", "install", "--quiet", "--no-deps", wheel)  # pip check sees nbtune too
        check = subprocess.run([py, "-m", "pip", "check"], capture_output=True, text=True)
        cuda_after = built_with_cuda(py)
    print(f"pip check: {check.stdout.strip() or check.stderr.strip()}")
    print(f"tf.test.is_built_with_cuda(): {cuda_before} before, {cuda_after} after")
    failed = [r["lesson"] for r in rows if r["errors"] or r["stderr"] or r["set-up"] != "installed"]
    ok = not failed and check.returncode == 0 and cuda_before == cuda_after
    print(f"colab check: {'passed' if ok else 'FAILED'} ({len(rows)} lessons"
          f"{', failed: ' + ' '.join(failed) if failed else ''})")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
