"""The probe suite's machinery: run one bad input, give it a verdict.

A :class:`Case` is one bad input a student or an instructor could type. Running
it (:func:`run_case`) gives one verdict:

``clear``
    refused before anything trained or was written, with a ``ValueError``,
    ``TypeError``, a file error or an nbtune error whose message names the
    argument (``case.argument``) and a fix; or, for a case that expects a
    warning, a warning that does so;
``vague``
    refused with such an error, but the message misses the argument or a fix;
``silent``
    accepted without a word;
``late``
    refused only after a model was built or trained, or after a file was written;
``crash``
    a low-level error (``KeyError``, ``IndexError``, ``JSONDecodeError``, ``EOFError``...);
``hang``
    ran past its time or memory limit (only cases with ``isolated=True`` run in a
    subprocess with an address-space limit, so they can be stopped).

The cases live in ``tests/surface_cases_*.py`` (one module per surface, each a
list ``CASES``); ``tests/test_surfaces.py`` asserts every one is ``clear`` and
``scripts/probe_surfaces.py`` prints the counts per verdict (run it against an
older checkout to see what changed).
"""

from __future__ import annotations

import contextlib
import dataclasses
import importlib
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from pathlib import Path
from typing import Any

VERDICTS = ("clear", "vague", "silent", "late", "crash", "hang")

#: words that show a message says what to do
FIX_WORDS = re.compile(
    r"\b(use|give|pass|run|remake|set|call|write|drop|swap|choose|add|remove|rename|delete|"
    r"try|lower|raise|narrow|split|install|fix|load|keep|make|start|reduce|increase|"
    r"allow|accept|replace|convert|restore|wrap|e\.g\.|such as|instead|one of)\b",
    re.IGNORECASE,
)

#: error types judged by their message; anything else (and a subclass of these from
#: outside nbtune, such as json.JSONDecodeError or pandas' ParserError) is a crash
USER_ERRORS = (ValueError, TypeError, FileNotFoundError, FileExistsError, PermissionError,
               IsADirectoryError, NotADirectoryError)


@dataclasses.dataclass
class Case:
    """One bad input.

    Parameters
    ----------
    id : str
        Short and unique within its module: ``"float-step-1e-9-size"``.
    call : callable
        ``call(tmp)`` makes the bad call; ``tmp`` is an empty folder of its own.
        A module-level function (so a subprocess can find it by its case id).
    argument : str or tuple of str
        What the message must name (any one of them, case-insensitive).
    setup : callable, optional
        ``setup(tmp)`` writes the files the call reads; its writes are not
        counted as the call's.
    expect : {"error", "warning"}
        A case that should go ahead with a warning says "warning".
    isolated : bool
        Run in a subprocess with an address-space limit and a time limit
        (for inputs that could exhaust memory or hang).
    seconds : float
        The subprocess's time limit.
    fix : regex, optional
        Overrides :data:`FIX_WORDS` for this case.
    trains : bool
        Whether the call could build or train a Keras model. Only then is Keras
        imported and every model built or fit counted (a refusal after one is
        ``late``); a space or a table case says False and runs without TensorFlow.
    watch : callable, optional
        ``watch()`` returns a snapshot of something outside ``tmp`` that the call
        must not change (a shipped file, say); compared before and after.
    """

    id: str
    call: Callable[[Path], Any]
    argument: str | tuple[str, ...]
    setup: Callable[[Path], Any] | None = None
    expect: str = "error"
    isolated: bool = False
    seconds: float = 20.0
    fix: str | None = None
    trains: bool = True
    watch: Callable[[], Any] | None = None


@dataclasses.dataclass
class Outcome:
    case: str
    verdict: str
    detail: str
    seconds: float


# --------------------------------------------------------------------------
# what the call did: models built or trained, files written
# --------------------------------------------------------------------------
class _Counter:
    """Counts keras models built and fits started while installed."""

    def __init__(self, active: bool = True) -> None:
        self.active = active
        self.built = 0
        self.fits = 0
        self._undo: list = []

    def __enter__(self) -> _Counter:
        if not self.active:
            return self
        import keras  # imported first, so a call that would build a model is seen

        from nbtune.training import graph_fit

        counter = self
        for owner, name, field in ((keras.Model, "__init__", "built"), (keras.Model, "fit", "fits"),
                                   (graph_fit, "fit_in_one_call", "fits")):
            original = owner.__dict__.get(name, getattr(owner, name))

            def wrapped(*args, _original=original, _field=field, **kwargs):
                setattr(counter, _field, getattr(counter, _field) + 1)
                return _original(*args, **kwargs)

            had = name in owner.__dict__
            setattr(owner, name, wrapped)
            self._undo.append((owner, name, original, had))
        return self

    def __exit__(self, *exc: Any) -> None:
        for owner, name, original, had in reversed(self._undo):
            if had:
                setattr(owner, name, original)
            else:
                delattr(owner, name)


def _tree(folder: Path) -> dict[str, tuple[int, int]]:
    return {str(p.relative_to(folder)): (p.lstat().st_size, p.lstat().st_mtime_ns)
            for p in folder.rglob("*") if p.is_file() or p.is_symlink()}


def _is_user_error(exc: BaseException) -> bool:
    kind = type(exc)
    if kind.__module__.split(".")[0] == "nbtune" or kind is UsageError:
        return True
    return kind in USER_ERRORS


def _message_verdict(case: Case, message: str) -> tuple[str, str]:
    names = (case.argument,) if isinstance(case.argument, str) else case.argument
    named = any(n.lower() in message.lower() for n in names)
    fixed = re.search(case.fix, message, re.IGNORECASE) if case.fix else FIX_WORDS.search(message)
    if named and fixed:
        return "clear", message
    missing = ([] if named else [f"argument {names}"]) + ([] if fixed else ["a fix"])
    return "vague", f"misses {' and '.join(missing)}: {message}"


class UsageError(Exception):
    """A command line's refusal (argparse's ``SystemExit(2)``), its ``error:`` line as message."""


def _usage_error(exit: SystemExit, stderr: str) -> Exception:
    """``exit`` as an error to judge: a refusal with a message, or a crash (any other exit)."""
    lines = [line for line in stderr.splitlines() if ": error: " in line]
    if exit.code == 2 and lines:
        return UsageError("\n".join(lines))
    return RuntimeError(f"SystemExit({exit.code!r}) with stderr {stderr.strip()[-200:]!r}")


def judge(case: Case, tmp: Path) -> tuple[str, str]:
    """Run ``case`` in this process and give its verdict and a detail line."""
    if case.setup is not None:
        case.setup(tmp)
    before = _tree(tmp)
    watched = case.watch() if case.watch else None
    stderr = io.StringIO()
    with _Counter(case.trains) as counter, warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            with contextlib.redirect_stderr(stderr):
                case.call(tmp)
        except MemoryError as exc:
            return "hang", f"MemoryError: {exc}"
        except SystemExit as exc:  # a command line refuses with exit code 2 and a message
            error = None if exc.code in (0, None) else _usage_error(exc, stderr.getvalue())
        except Exception as exc:  # noqa: BLE001 - the verdict is the point
            error = exc
        else:
            error = None
    changed = _tree(tmp) != before or (case.watch is not None and case.watch() != watched)
    if error is None:
        if case.expect == "warning":
            for w in caught:
                verdict = _message_verdict(case, str(w.message))
                if verdict[0] == "clear":
                    return verdict
            return "silent", "no warning naming the argument: " + "; ".join(
                str(w.message)[:120] for w in caught)
        return "silent", "accepted"
    text = f"{type(error).__name__}: {error}"
    if isinstance(error, ImportError) and "failed to map segment" in str(error):
        # a library (TensorFlow, to train) did not fit under the address-space limit
        return "hang", f"went past the memory limit: {text}"
    if not _is_user_error(error):
        return "crash", text
    if counter.built or counter.fits or changed:
        return "late", f"after {counter.built} models built, {counter.fits} fits, " \
                       f"files changed={changed}: {text}"
    verdict, detail = _message_verdict(case, str(error))
    return verdict, f"{type(error).__name__}: {detail}" if verdict != "clear" else text


# --------------------------------------------------------------------------
# running a case: here, or in a subprocess with limits
# --------------------------------------------------------------------------
def _limited_child(module: str, case_id: str, tmp: str, headroom_mb: int) -> None:
    """The subprocess: import, cap the address space a little above what is used now, judge."""
    import resource

    cases = {c.id: c for c in importlib.import_module(module).CASES}
    case = cases[case_id]
    if case.trains:
        import keras  # noqa: F401  (the counter's hooks need it; its mappings are not the call's)

    with open("/proc/self/status") as f:
        vm = next(int(line.split()[1]) for line in f if line.startswith("VmSize"))
    limit = (vm + headroom_mb * 1024) * 1024
    resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    verdict, detail = judge(case, Path(tmp))
    print(json.dumps({"verdict": verdict, "detail": detail}))


def run_case(module: str, case: Case, *, headroom_mb: int = 300) -> Outcome:
    """Judge ``case`` (from ``module``'s ``CASES``), in a subprocess if ``case.isolated``."""
    start = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        if not case.isolated:
            verdict, detail = judge(case, Path(tmp))
        else:
            here = str(Path(__file__).parent)
            code = (f"import sys; sys.path.insert(0, {here!r}); import surface_probe; "
                    f"surface_probe._limited_child({module!r}, {case.id!r}, {tmp!r}, {headroom_mb})")
            try:
                done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                      timeout=case.seconds + 30, env={**os.environ, "PYTHONWARNINGS": "ignore"})
            except subprocess.TimeoutExpired:
                verdict, detail = "hang", f"no answer within {case.seconds + 30:.0f} s"
            else:
                last = done.stdout.strip().splitlines()[-1:] or [""]
                try:
                    verdict, detail = json.loads(last[0]).values()
                except ValueError:
                    verdict = "hang" if "MemoryError" in done.stderr or done.returncode < 0 else "crash"
                    detail = f"exit {done.returncode}: {done.stderr.strip()[-300:]}"
    return Outcome(case.id, verdict, detail, time.perf_counter() - start)


def all_modules() -> list[str]:
    """The case modules, ``surface_cases_*.py`` beside this file."""
    return sorted(p.stem for p in Path(__file__).parent.glob("surface_cases_*.py"))


def load_cases(module: str) -> list[Case]:
    here = str(Path(__file__).parent)
    if here not in sys.path:
        sys.path.insert(0, here)
    cases = importlib.import_module(module).CASES
    ids = [c.id for c in cases]
    duplicated = {i for i in ids if ids.count(i) > 1}
    if duplicated:
        raise ValueError(f"{module}: case ids used twice: {sorted(duplicated)}")
    return cases
