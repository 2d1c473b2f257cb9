"""Numbers a lesson's prose quotes must be in its code or its outputs.

A markdown cell that says "the grid scored 0.9795" or "took 61.5 s" states
what some run showed; if the run beside it shows something else, a student
reads a claim the lesson does not back.  :func:`unbacked_numbers` finds every
decimal number, percentage and duration in a lesson's markdown (not in code
spans or blocks) and keeps those that neither a code cell writes (a setting:
``learning_rate=1e-3`` backs "0.001") nor an output prints (rounded as the
prose rounds it: an output's 0.6274 backs "0.63" and "63 %").  ``ALLOWED``
lists, with the reason, the few that are neither (a Python version, the
definition of a 95 % interval).

The Korean edition is checked the same way: a number may carry a particle or
a counter right after it ("0.63을", "360장", "23개", "3번", "2배"), "초" and "분"
are seconds and minutes ("10초", "3분"; not "3분의 1", a third), and its time
line ("시간: 한 코어에서 약 N초") is left to test_notebooks like the English one.

Because a lesson runs in fast mode in the tests, its prose cannot quote a
number only a default-budget run prints: such a lesson says "the table
above" and prints its verdict instead.  For an executed copy made at default
budgets::

    python tests/prose_numbers.py executed/*.ipynb
"""

from __future__ import annotations

import math
import re
import sys
from pathlib import Path

import nbformat

# lesson stem (or "*" for every lesson): {number as written: why it needs no output}
ALLOWED = {
    "*": {
        "95 %": "the level of an interval, a definition",
        "90 s": "every lesson's target on one core, measured by scripts/budget_report.py",
        "90초": "every lesson's target on one core (the Korean edition)",
    },
    "00_start_here": {"3.10": "the oldest Python nbtune supports"},
    "03_random_search_cv": {
        "1.5": "bench/parallel_trials.py's speed-up, cited with its source",
        "0.7": "bench/parallel_trials.py's memory per worker (0.4-0.7 GB), cited with its source",
        "0.333": "1/3, the answer's arithmetic", "0.009": "0.0009 / 0.0999, the answer's arithmetic",
    },
    "04_comparing_strategies": {"90 %": "the share of 0.01-0.1 in 1e-4-0.1, arithmetic",
                                "0.01": "a bound of that range"},
    "05_editing_the_search_space": {"0.25": "a dropout step the hint suggests typing"},
}

_UNIT = (r"(?P<percent>\s?%)|(?P<seconds>\s?(?:(?:s|sec|seconds?)\b|초(?!과|기)))"
         r"|(?P<minutes>\s?(?:(?:min|minutes?)\b|분(?!의|포|산|류|석)))")
#: what may follow a number in Korean prose: a particle or a counter (any Hangul syllable)
_HANGUL = "\uac00-\ud7a3"
# a number not inside a word, a version (3.10.1) or a range's dash; then maybe a unit; in
# Korean a particle or counter may follow it directly (a Hangul syllable is not a word part here)
_QUOTED = re.compile(r"(?<![\w.\-])(?P<value>\d+(?:\.(?P<decimals>\d+))?)(?!(?![" + _HANGUL
                     + r"])\w|\.\d)(?:" + _UNIT + ")?")
_SHOWN = re.compile(r"(?<![\w.])(?P<value>-?\d+(?:\.\d+)?(?:e[-+]?\d+)?)(?:" + _UNIT + ")?",
                    re.IGNORECASE)


def prose_of(cell_source: str) -> str:
    """The markdown without code blocks, code spans, links' targets, HTML tags and "Time:" lines.

    A lesson's "Time: about N s on one core" line quotes lessons.lesson_times(),
    which test_notebooks checks on its own.
    """
    text = re.sub(r"^(?:Time|시간): .*$", " ", cell_source, flags=re.M)
    text = re.sub(r"```.*?```", " ", text, flags=re.S)
    text = re.sub(r"`[^`]*`", " ", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    return re.sub(r"<[^>]+>", " ", text)


def kind_of(match: re.Match) -> str:
    return next((k for k in ("percent", "seconds", "minutes") if match[k]), "plain")


def quoted(cell_source: str) -> list[tuple[str, str, float, int]]:
    """(as written, kind, value, decimals) of each decimal, percentage and duration.

    The kind is 'plain', 'percent', 'seconds' or 'minutes'; integers without a
    unit are left out (counts and settings, too common to check this way).
    """
    found = []
    for match in _QUOTED.finditer(prose_of(cell_source)):
        kind = kind_of(match)
        if kind != "plain" or match["decimals"]:
            decimals = len(match["decimals"] or "")
            found.append((match[0].strip(), kind, float(match["value"]), decimals))
    return found


def shown(text: str) -> dict[str, set[float]]:
    """The numbers a text writes, by kind; durations in seconds."""
    numbers: dict[str, set[float]] = {"plain": set(), "percent": set(), "seconds": set()}
    for match in _SHOWN.finditer(text.replace(",", "")):
        value = float(match["value"])
        kind = kind_of(match)
        numbers["plain"].add(value)
        if kind == "percent":
            numbers["percent"].add(value)
        elif kind in ("seconds", "minutes"):
            numbers["seconds"].add(value * (60 if kind == "minutes" else 1))
    fractions = {100 * x for x in numbers["plain"] if 0 < x < 1}
    numbers["percent"] |= fractions  # 0.627 backs "63 %"
    return numbers


def _output_text(output: dict) -> str:
    if "text" in output:
        return "".join(output["text"])
    data = output.get("data", {})
    return "".join(data.get("text/plain", "")) + "".join(data.get("text/html", ""))


def backed(kind: str, value: float, decimals: int, numbers: dict[str, set[float]]) -> bool:
    """True if a number of the same kind rounds to ``value`` at the prose's precision."""
    if kind == "minutes":
        candidates = {x / 60 for x in numbers["seconds"]}
    else:
        candidates = numbers[kind]
    return any(math.isclose(round(x, decimals), value, abs_tol=1e-9) for x in candidates)


def unbacked_numbers(notebook: nbformat.NotebookNode, name: str) -> list[tuple[int, str]]:
    """(cell number, number as written) of each prose number no code or output backs."""
    texts = [c.source for c in notebook.cells if c.cell_type == "code"]
    texts += [_output_text(o) for c in notebook.cells if c.cell_type == "code"
              for o in c.get("outputs", [])]
    numbers = shown("\n".join(texts))
    allowed = {**ALLOWED["*"], **ALLOWED.get(name, {})}
    return [(number, written) for number, cell in enumerate(notebook.cells)
            if cell.cell_type == "markdown"
            for written, kind, value, decimals in quoted(cell.source)
            if written not in allowed and not backed(kind, value, decimals, numbers)]


if __name__ == "__main__":
    bad = 0
    for path in map(Path, sys.argv[1:]):
        for number, written in unbacked_numbers(nbformat.read(path, as_version=4),
                                                path.stem.split(".")[0]):
            bad += 1
            print(f"{path.name}: markdown cell {number} quotes {written!r}; no code or output has it")
    sys.exit(1 if bad else 0)
