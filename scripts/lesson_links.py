"""The first two cells of every lesson: where to open it, and the set-up for Colab.

Every lesson starts with a markdown cell holding an "Open in Colab" badge and a
"Launch on Binder" badge, then a code cell that installs nbtune on Google Colab
and does nothing anywhere else.  Both are written from one address, the
``Repository`` entry of ``[project.urls]`` in pyproject.toml, and one git ref
(``main`` unless ``--ref`` says otherwise), so a lesson opened from a ref
installs nbtune from that same ref.  ``scripts/lesson_metadata.py`` writes them
into every lesson (and README's Binder badge and Colab command); its
``--check`` fails when a lesson's first cells differ from what this module
makes.

The badges are SVG images inside the markdown (data URIs), not images from
colab.research.google.com or mybinder.org: a lesson opened in JupyterLab makes
no request outside the machine (tests/test_browser.py checks it), and a lesson
opened offline shows its badges all the same.

Why the set-up cell installs nothing but nbtune on Colab: Colab ships
``ipywidgets`` 7.7.1 and draws widgets with its own widget manager, which does
not support ipywidgets 8 (googlecolab/colabtools issues #3020 and #3105, and
#4525 in 2024: "ipywidgets 8+ still isn't supported"; the manager that
``output.enable_custom_widget_manager()`` installs is loaded from a CDN and
did not make the core widgets draw, #3020).  Its ``google-colab`` package pins
``ipython==7.34.0`` (colabtools' setup.py).  nbtune's requirements accept both,
so pip adds nbtune, keras-tuner and kt-legacy and changes nothing Colab has;
``scripts/colab_check.py`` proves it in a Colab-like environment.

Examples
--------
>>> repo = Repository("https://github.com/someone/nbtune", "main")
>>> repo.colab_url("01_grid_search_cv.ipynb")
'https://colab.research.google.com/github/someone/nbtune/blob/main/notebooks/01_grid_search_cv.ipynb'
>>> repo.pip_source
'nbtune @ git+https://github.com/someone/nbtune@main'
"""

from __future__ import annotations

import base64
import re
import sys
from dataclasses import dataclass
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10: the test extra installs tomli, the same parser
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent
BADGES_CELL_ID = "open-in-colab-or-binder"
SETUP_CELL_ID = "set-up"
DEFAULT_REF = "main"


@dataclass(frozen=True)
class Repository:
    """A GitHub repository and a ref in it, and the addresses made from them."""

    url: str
    ref: str

    def __post_init__(self) -> None:
        self.owner_and_name  # noqa: B018 (refuse a bad address when it is read, not when used)

    @property
    def owner_and_name(self) -> str:
        """``owner/name`` of a ``https://github.com/owner/name`` address."""
        match = re.fullmatch(r"https://github\.com/([\w.-]+/[\w.-]+?)(?:\.git)?/?", self.url)
        if match is None:
            raise ValueError(f"[project.urls] Repository must be https://github.com/<owner>/<name>,"
                             f" got {self.url!r}; fix it in pyproject.toml")
        return match.group(1)

    def colab_url(self, lesson: str) -> str:
        """Colab's address of a lesson at this ref."""
        return (f"https://colab.research.google.com/github/{self.owner_and_name}"
                f"/blob/{self.ref}/notebooks/{lesson}")

    def binder_url(self, lesson: str) -> str:
        """Binder's address that builds this ref and opens a lesson in JupyterLab."""
        return (f"https://mybinder.org/v2/gh/{self.owner_and_name}/{self.ref}"
                f"?urlpath=lab/tree/notebooks/{lesson}")

    @property
    def pip_source(self) -> str:
        """What pip installs on Colab: nbtune from this repository at this ref."""
        return f"nbtune @ git+https://github.com/{self.owner_and_name}@{self.ref}"


def repository(ref: str = DEFAULT_REF, pyproject: Path = ROOT / "pyproject.toml") -> Repository:
    """The repository named once, in pyproject.toml's ``[project.urls]``."""
    with open(pyproject, "rb") as file:
        urls = tomllib.load(file)["project"]["urls"]
    return Repository(urls["Repository"], ref)


def badge_svg(left: str, right: str, color: str) -> str:
    """A flat two-part badge as SVG text (Verdana-like widths, 11 px text)."""
    left_width, right_width = 8 + 7 * len(left), 8 + 7 * len(right)
    width = left_width + right_width
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="20" role="img" '
            f'aria-label="{left}: {right}"><rect width="{width}" height="20" rx="3" fill="#555"/>'
            f'<rect x="{left_width}" width="{right_width}" height="20" rx="3" fill="{color}"/>'
            f'<g fill="#fff" font-family="Verdana,DejaVu Sans,sans-serif" font-size="11" '
            f'text-anchor="middle"><text x="{left_width / 2}" y="14">{left}</text>'
            f'<text x="{left_width + right_width / 2}" y="14">{right}</text></g></svg>')


def data_uri(svg: str) -> str:
    """An SVG as a base64 data URI (no request leaves the page to draw it)."""
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


#: the badges' alternative text (what a screen reader says) in each edition
BADGE_WORDS = {"en": ("Open in Colab", "Launch on Binder"), "ko": ("Colab에서 열기", "Binder에서 실행")}


def badges_markdown(repo: Repository, lesson: str, language: str = "en") -> str:
    """The markdown of a lesson's first cell: its two badges (``lesson`` is its path under
    notebooks/, e.g. ``ko/05_editing_the_search_space.ipynb`` for the Korean edition)."""
    colab = data_uri(badge_svg("Open in", "Colab", "#e37400"))
    binder = data_uri(badge_svg("Launch on", "Binder", "#579aca"))
    open_in_colab, launch_on_binder = BADGE_WORDS[language]
    return (f"[![{open_in_colab}]({colab})]({repo.colab_url(lesson)})\n"
            f"[![{launch_on_binder}]({binder})]({repo.binder_url(lesson)})")


def setup_code(repo: Repository) -> str:
    """The set-up cell: on Colab, install nbtune from ``repo``; anywhere else, nothing."""
    return f'''\
# Set-up: on Google Colab, install nbtune (once per session). Anywhere else: nothing.
# It adds nbtune, keras-tuner and kt-legacy; Colab's TensorFlow, IPython and ipywidgets stay.
import importlib.metadata, importlib.util, os, subprocess, sys
if "google.colab" in sys.modules and importlib.util.find_spec("nbtune") is None:
    SOURCE = os.environ.get("NBTUNE_SOURCE", "{repo.pip_source}")
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", SOURCE],
                         capture_output=True, text=True)  # Colab would not show pip's own output
    if pip.returncode != 0:
        raise RuntimeError(f"pip could not install {{SOURCE}}:\\n{{pip.stderr}}")
    print(pip.stderr, end="", file=sys.stderr)  # pip's warnings, if it had any
    importlib.invalidate_caches()
    print(f"set-up: installed nbtune {{importlib.metadata.version('nbtune')}} from {{SOURCE}}")'''


def korean_setup_code(repo: Repository) -> str:
    """The Korean edition's set-up cell: the English one's install, in Korean words; on Colab,
    also a Korean font (Colab has none: Hangul would be empty boxes); then Korean everywhere."""
    return f'''\
# 설정: Google Colab에서는 nbtune을 설치한다(세션마다 한 번). 다른 곳에서는 설치하지 않는다.
# nbtune, keras-tuner, kt-legacy만 더한다. Colab의 TensorFlow, IPython, ipywidgets는 그대로 둔다.
import importlib.metadata, importlib.util, os, subprocess, sys
if "google.colab" in sys.modules and importlib.util.find_spec("nbtune") is None:
    SOURCE = os.environ.get("NBTUNE_SOURCE", "{repo.pip_source}")
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", SOURCE],
                         capture_output=True, text=True)  # Colab은 pip의 출력을 보여 주지 않는다
    if pip.returncode != 0:
        raise RuntimeError(f"pip가 {{SOURCE}}을(를) 설치하지 못했다:\\n{{pip.stderr}}")
    print(pip.stderr, end="", file=sys.stderr)  # pip의 경고가 있으면 보여 준다
    importlib.invalidate_caches()
    print(f"set-up: installed nbtune {{importlib.metadata.version('nbtune')}} from {{SOURCE}}")
# Colab에는 한글 글꼴이 없다: 그림의 한글이 빈 네모로 나오지 않도록 나눔 글꼴을 설치한다.
if "google.colab" in sys.modules and not os.path.isdir("/usr/share/fonts/truetype/nanum"):
    apt = subprocess.run(["apt-get", "install", "-y", "-qq", "fonts-nanum"], capture_output=True, text=True)
    print("set-up: installed fonts-nanum" if apt.returncode == 0 else f"set-up: {{apt.stderr[-300:]}}")
# nbtune의 그림, 위젯, 진행 줄, 오류 메시지를 한국어로 (영어로 되돌리려면 set_language("en"))
import nbtune
nbtune.set_language("ko")'''


def header_cells(repo: Repository, lesson: str, language: str = "en") -> list[dict]:
    """A lesson's first two cells as notebook JSON (outputs empty), in its edition's language."""
    badges = {"cell_type": "markdown", "id": BADGES_CELL_ID, "metadata": {},
              "source": badges_markdown(repo, lesson, language)}
    code = korean_setup_code(repo) if language == "ko" else setup_code(repo)
    setup = {"cell_type": "code", "execution_count": None, "id": SETUP_CELL_ID, "metadata": {},
             "outputs": [], "source": code}
    for cell in (badges, setup):
        cell["source"] = cell["source"].splitlines(keepends=True)
    return [badges, setup]


def with_header(notebook: dict, repo: Repository, lesson: str, language: str = "en") -> dict:
    """The notebook with its header cells made anew (an older header replaced, not doubled)."""
    body = [cell for cell in notebook["cells"]
            if cell.get("id") not in (BADGES_CELL_ID, SETUP_CELL_ID)]
    return {**notebook, "cells": header_cells(repo, lesson, language) + body}
