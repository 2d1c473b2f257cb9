"""Every lesson opens in Colab and Binder from its first cells, made from one address.

The address is ``[project.urls] Repository`` in pyproject.toml; the badges, the
set-up cell and README's install command are written from it by
``scripts/lesson_metadata.py`` (``scripts/lesson_links.py`` makes them).
"""

import base64
import contextlib
import importlib.util
import io
import re
import subprocess
import sys
import types
import xml.etree.ElementTree as ET
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).parent.parent
sys.path.insert(0, str(ROOT / "scripts"))
import lesson_links  # noqa: E402  (a script, not a package)

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
KOREAN = sorted((ROOT / "notebooks" / "ko").glob("[0-9][0-9]_*.ipynb"))
REPO = lesson_links.repository()
FIND_SPEC = importlib.util.find_spec


def header(path: Path) -> tuple[nbformat.NotebookNode, nbformat.NotebookNode]:
    notebook = nbformat.read(path, as_version=4)
    return notebook.cells[0], notebook.cells[1]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.stem for p in NOTEBOOKS])
def test_first_cells_are_the_badges_and_the_set_up_from_the_one_address(path):
    badges, setup = header(path)
    assert (badges.id, badges.cell_type) == (lesson_links.BADGES_CELL_ID, "markdown")
    assert (setup.id, setup.cell_type) == (lesson_links.SETUP_CELL_ID, "code")
    targets = re.findall(r"\]\((https://[^)]+)\)", badges.source)
    assert targets == [REPO.colab_url(path.name), REPO.binder_url(path.name)]
    assert f'"{REPO.pip_source}"' in setup.source
    assert setup.outputs == [] and setup.execution_count is None


@pytest.mark.parametrize("path", NOTEBOOKS[:1], ids=[NOTEBOOKS[0].stem])
def test_badges_are_drawn_from_the_notebook_itself(path):
    """No image is fetched from outside: each badge is an SVG data URI that parses."""
    badges, _ = header(path)
    images = re.findall(r"!\[([^\]]+)\]\(([^)]+)\)", badges.source)
    assert [alt for alt, _ in images] == ["Open in Colab", "Launch on Binder"]
    for _, source in images:
        prefix = "data:image/svg+xml;base64,"
        assert source.startswith(prefix)
        svg = ET.fromstring(base64.b64decode(source[len(prefix):]))
        assert svg.tag == "{http://www.w3.org/2000/svg}svg"
        assert [t.text for t in svg.iter("{http://www.w3.org/2000/svg}text")] in (
            ["Open in", "Colab"], ["Launch on", "Binder"])


def test_the_address_is_written_only_in_pyproject():
    """Anywhere else it appears, it was generated from pyproject.toml (and is checked)."""
    tracked = subprocess.run(["git", "ls-files"], cwd=ROOT, capture_output=True, text=True,
                             check=True).stdout.split()
    generated = re.compile(r"<!-- links from pyproject\.toml: start -->.*?<!-- links: end -->",
                           re.S)
    found = []
    for name in tracked:
        path = ROOT / name
        if name == "pyproject.toml" or path.suffix not in {".md", ".py", ".toml", ".txt", ".sh",
                                                           ".cfg", ".ipynb", ""}:
            continue
        if path.suffix == ".ipynb":
            cells = nbformat.read(path, as_version=4).cells[2:]  # after the generated header
            text = "\n".join(c.source for c in cells)
        else:
            text = generated.sub("", path.read_text(encoding="utf-8", errors="replace"))
        if REPO.owner_and_name in text:
            found.append(name)
    assert found == []


@pytest.mark.parametrize("path", KOREAN, ids=[p.stem for p in KOREAN])
def test_the_korean_lessons_open_their_own_edition(path):
    """Their badges open notebooks/ko/ in Colab and Binder; their set-up installs the same."""
    badges, setup = header(path)
    lesson = f"ko/{path.name}"
    assert re.findall(r"\]\((https://[^)]+)\)", badges.source) == [REPO.colab_url(lesson),
                                                                   REPO.binder_url(lesson)]
    assert [alt for alt, _ in re.findall(r"!\[([^\]]+)\]\(([^)]+)\)", badges.source)] == [
        "Colab에서 열기", "Binder에서 실행"]
    assert f'"{REPO.pip_source}"' in setup.source and setup.outputs == []
    assert setup.source.rstrip().endswith('nbtune.set_language("ko")')


def test_the_korean_set_up_installs_a_font_on_colab_and_speaks_korean(monkeypatch):
    """On Colab without a Korean font: nbtune, then fonts-nanum; anywhere: Korean from then on."""
    import os

    import nbtune
    from nbtune.language import current_language, fonts

    fonts.korean_font()  # matplotlib lists the system's fonts now, before subprocess is replaced

    isdir, nanum = os.path.isdir, "/usr/share/fonts/truetype/nanum"
    monkeypatch.setattr(os.path, "isdir", lambda path: path != nanum and isdir(path))  # no font
    try:
        printed, commands = run_setup(monkeypatch, on_colab=True, installed=False, path=KOREAN[0])
        assert current_language() == "ko"
    finally:
        nbtune.set_language(None)
    assert [command[:2] for command, _ in commands] == [[sys.executable, "-m"],
                                                         ["apt-get", "install"]]
    assert commands[1][0][-1] == "fonts-nanum"
    assert printed.splitlines()[0].startswith("set-up: installed nbtune ")
    assert printed.splitlines()[1] == "set-up: installed fonts-nanum"
    monkeypatch.undo()
    try:
        assert run_setup(monkeypatch, on_colab=False, installed=False, path=KOREAN[0]) == ("", [])
        assert current_language() == "ko"
    finally:
        nbtune.set_language(None)


def run_setup(monkeypatch, *, on_colab: bool, installed: bool, pip_exit: int = 0,
              pip_stderr: str = "", path: Path = NOTEBOOKS[0]) -> tuple[str, list]:
    """Execute a lesson's set-up cell as a kernel would; pip is replaced by a recorder."""
    _, setup = header(path)
    if on_colab:
        monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    else:
        monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: FIND_SPEC(name, *a) if installed or name != "nbtune"
                        else None)
    commands = []

    def pip(command, **options):
        commands.append((command, options))
        return subprocess.CompletedProcess(command, pip_exit, "", pip_stderr)

    monkeypatch.setattr(subprocess, "run", pip)
    printed, warned = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(warned):
        exec(compile(setup.source, "<set-up>", "exec"), {"__name__": "__main__"})
    assert warned.getvalue() == pip_stderr
    return printed.getvalue(), commands


def test_set_up_does_nothing_outside_colab(monkeypatch):
    printed, commands = run_setup(monkeypatch, on_colab=False, installed=False)
    assert (printed, commands) == ("", [])


def test_set_up_on_colab_installs_nbtune_from_the_repository_and_says_so(monkeypatch):
    monkeypatch.delenv("NBTUNE_SOURCE", raising=False)
    printed, commands = run_setup(monkeypatch, on_colab=True, installed=False)
    [(command, options)] = commands
    assert command == [sys.executable, "-m", "pip", "install", "--quiet", REPO.pip_source]
    assert options == {"capture_output": True, "text": True}
    assert printed.count("\n") == 1 and printed.startswith("set-up: installed nbtune ")
    assert printed.rstrip().endswith(f"from {REPO.pip_source}")


def test_set_up_on_colab_takes_another_source_and_skips_an_installed_nbtune(monkeypatch):
    monkeypatch.setenv("NBTUNE_SOURCE", "/tmp/nbtune-0.1.0-py3-none-any.whl")
    _, commands = run_setup(monkeypatch, on_colab=True, installed=False)
    assert commands[0][0][-1] == "/tmp/nbtune-0.1.0-py3-none-any.whl"
    assert run_setup(monkeypatch, on_colab=True, installed=True) == ("", [])


def test_set_up_on_colab_shows_what_pip_warned_and_stops_with_pips_error(monkeypatch):
    warning = "ERROR: pip's dependency resolver does not currently take into account ...\n"
    printed, _ = run_setup(monkeypatch, on_colab=True, installed=False, pip_stderr=warning)
    assert printed.startswith("set-up: installed nbtune ")
    with pytest.raises(RuntimeError, match=r"pip could not install .*\n.*No matching distribution"):
        run_setup(monkeypatch, on_colab=True, installed=False, pip_exit=1,
                  pip_stderr="ERROR: No matching distribution found for nbtune\n")


@pytest.mark.parametrize("url", ["https://gitlab.com/a/nbtune", "github.com/a/nbtune",
                                 "https://github.com/only-owner"])
def test_an_address_that_is_not_a_github_repository_is_refused_with_the_fix(url):
    with pytest.raises(ValueError, match=r"Repository must be https://github\.com/<owner>/<name>.*"
                                         r"pyproject\.toml"):
        lesson_links.Repository(url, "main")


def test_a_release_ref_changes_every_link_and_the_install_source():
    tagged = lesson_links.repository("v0.1.0")
    assert "/blob/v0.1.0/" in tagged.colab_url("x.ipynb")
    assert "/v0.1.0?urlpath=" in tagged.binder_url("x.ipynb")
    assert tagged.pip_source.endswith("@v0.1.0")
