"""Give every lesson the metadata JupyterLab writes, and RISE's slide types.

JupyterLab rewrites a notebook's ``kernelspec`` and ``language_info`` when it
opens it with a kernel, and so marks it modified before a student has done
anything, unless they already hold what it would write.  This script writes
exactly that (seen in JupyterLab 4.6 with ipykernel; the Python version is the
one this script runs under, so run it with the Python of CI and Binder, 3.11:
JupyterLab records the kernel's exact version, so a student on another Python
still sees the lesson marked modified, and only that field changes).

Every lesson's first two cells, an "Open in Colab" and a "Launch on Binder"
badge and the set-up cell that installs nbtune on Colab, are written from the
repository address in pyproject.toml (``scripts/lesson_links.py``), and so is
README's Binder badge.

Each cell also gets a RISE slide type (``metadata.slideshow.slide_type``, read
by jupyterlab-rise): a new slide at the title and at each ``##`` heading, a
sub-slide at each ``###`` heading, and every other cell on the slide before
it.  The notebook's ``rise`` settings let a long slide scroll.

Usage::

    python scripts/lesson_metadata.py           # rewrite the lessons that differ
    python scripts/lesson_metadata.py --check   # exit 1, naming them, if any differs
    python scripts/lesson_metadata.py --ref v0.1.0   # badges and set-up of a release tag
"""

from __future__ import annotations

import argparse
import copy
import json
import re
import sys
from pathlib import Path

import lesson_links

ROOT = Path(__file__).resolve().parent.parent
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
# the Korean edition: the same lessons, in notebooks/ko/, with their own header cells
KOREAN_LESSONS = sorted((ROOT / "notebooks" / "ko").glob("[0-9][0-9]_*.ipynb"))
# README's lines that name the repository, between these markers, are written from pyproject.toml
README_START, README_END = "<!-- links from pyproject.toml: start -->", "<!-- links: end -->"

KERNELSPEC = {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"}
# "white" (reveal.js) uses a font that ships with it; RISE's default theme, "simple", fetches
# two fonts from fonts.googleapis.com (seen in headless Chromium with jupyterlab-rise 0.43.1)
RISE = {"scroll": True, "theme": "white", "transition": "none"}


def language_info(version: str) -> dict:
    """What ipykernel tells JupyterLab about a Python of this version."""
    return {"codemirror_mode": {"name": "ipython", "version": 3}, "file_extension": ".py",
            "mimetype": "text/x-python", "name": "python", "nbconvert_exporter": "python",
            "pygments_lexer": "ipython3", "version": version}


def slide_type(cell: dict, first: bool) -> str:
    """RISE's slide type for a cell: 'slide', 'subslide' or '-' (the slide before)."""
    source = "".join(cell["source"]).lstrip()
    if first or (cell["cell_type"] == "markdown" and source.startswith(("# ", "## "))):
        return "slide"
    if cell["cell_type"] == "markdown" and source.startswith("### "):
        return "subslide"
    return "-"


def normalised(notebook: dict, version: str, repo: lesson_links.Repository, lesson: str,
               language: str = "en") -> dict:
    """The notebook with its header cells and the metadata above for this Python version
    (``lesson``: its path under notebooks/, ``ko/...`` for the Korean edition)."""
    notebook = lesson_links.with_header(copy.deepcopy(notebook), repo, lesson, language)
    notebook["metadata"].update(kernelspec=KERNELSPEC, language_info=language_info(version),
                                rise=RISE)
    for number, cell in enumerate(notebook["cells"]):
        cell["metadata"]["slideshow"] = {"slide_type": slide_type(cell, number == 0)}
    return notebook


def readme_links(repo: lesson_links.Repository, first: str = "00_start_here.ipynb") -> str:
    """README's Binder badge and the install command that works before a PyPI release
    (``first``: the lesson the badges open, ``ko/00_start_here.ipynb`` in README.ko.md)."""
    binder = repo.binder_url(first)
    return (f"[![Launch on Binder](https://mybinder.org/badge_logo.svg)]({binder})\n"
            f"[![Open in Colab](https://colab.research.google.com/assets/colab-badge.svg)]"
            f"({repo.colab_url(first)})\n\n"
            f"nbtune is not on PyPI yet. Until it is, install it from the repository:\n\n"
            f"```bash\npip install \"{repo.pip_source}\"\n```\n\n"
            f"Once it is published, `pip install nbtune` will install the same thing.")


def with_readme_links(readme: str, repo: lesson_links.Repository,
                      first: str = "00_start_here.ipynb") -> str:
    """README with the text between its markers made from the repository address."""
    pattern = re.compile(re.escape(README_START) + ".*?" + re.escape(README_END), re.S)
    if len(pattern.findall(readme)) != 1:
        raise SystemExit(f"README must hold {README_START} ... {README_END} once")
    block = f"{README_START}\n{readme_links(repo, first)}\n{README_END}"
    return pattern.sub(lambda _: block, readme)


def as_text(notebook: dict) -> str:
    """The JSON as JupyterLab saves it (one space indent, keys sorted, a final newline)."""
    return json.dumps(notebook, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if a lesson differs (but for its Python version)")
    parser.add_argument("--ref", default=lesson_links.DEFAULT_REF,
                        help="the git ref the badges open and the set-up cell installs (default: %(default)s)")
    args = parser.parse_args(argv)
    repo = lesson_links.repository(args.ref)
    differ = []
    this_python = ".".join(str(part) for part in sys.version_info[:3])
    for path in LESSONS + KOREAN_LESSONS:
        language = "ko" if path.parent.name == "ko" else "en"
        text = path.read_text(encoding="utf-8")
        notebook = json.loads(text)
        # --check: any Python's version will do (the tests run on several)
        recorded = notebook["metadata"].get("language_info", {}).get("version")
        version = recorded if args.check and recorded else this_python
        lesson = path.relative_to(ROOT / "notebooks").as_posix()
        wanted = as_text(normalised(notebook, version, repo, lesson, language))
        if wanted != text:
            differ.append(lesson)
            if not args.check:
                path.write_text(wanted, encoding="utf-8")
    for readme, first in ((ROOT / "README.md", "00_start_here.ipynb"),
                          (ROOT / "README.ko.md", "ko/00_start_here.ipynb")):
        text = readme.read_text(encoding="utf-8")
        if text != (wanted := with_readme_links(text, repo, first)):
            differ.append(readme.name)
            if not args.check:
                readme.write_text(wanted, encoding="utf-8")
    if differ:
        verb = "differ from" if args.check else "rewritten to"
        print(f"{', '.join(differ)} {verb} the metadata of scripts/lesson_metadata.py", file=sys.stderr)
    return 1 if differ and args.check else 0


if __name__ == "__main__":
    raise SystemExit(main())
