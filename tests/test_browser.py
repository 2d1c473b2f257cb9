"""Lesson 05 in a real browser: JupyterLab on 127.0.0.1, Debian's Chromium, Playwright.

What a student does with the mouse and keys, checked on the Python side:
the lesson opens without being marked modified, runs top to bottom (fast
mode) without an error and without asking anything of the internet, a key
press on a slider handle changes ``editor.space`` by one step and moves no
other handle, Run and Stop on a panel leave a partial result, no label of the
editor or the panel is clipped at 1024 px, at 150 % zoom or in Presentation
Mode, and the lesson opens as RISE slides.  Screenshots go to
``$NBTUNE_SCREENSHOTS`` (a folder) or to pytest's temporary folder; the path
is printed.  The kernel gets a student's environment: none of the variables
the test run sets for itself (quiet TensorFlow, matplotlib's Agg backend).

Playwright drives the system's Chromium (``executable_path``): no browser is
downloaded.  Where Chromium, Playwright or JupyterLab is missing, the tests
skip and say which.  ``.ci/run`` installs Chromium with apt.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from test_notebooks import is_edge_warning

from nbtune.backend import QUIET_ENVIRONMENT

ROOT = Path(__file__).parent.parent
LESSON = ROOT / "notebooks" / "05_editing_the_search_space.ipynb"
KOREAN_LESSON = ROOT / "notebooks" / "ko" / LESSON.name
CHROMIUM = os.environ.get("NBTUNE_CHROMIUM") or shutil.which("chromium") or shutil.which(
    "chromium-browser"
)
CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"]


def missing(what: str) -> None:
    """Skip, saying what is missing; fail instead where NBTUNE_REQUIRE_BROWSER is set (CI)."""
    if os.environ.get("NBTUNE_REQUIRE_BROWSER"):
        pytest.fail(f"NBTUNE_REQUIRE_BROWSER is set, but {what}", pytrace=False)
    pytest.skip(f"browser test skipped: {what}", allow_module_level=True)


if CHROMIUM is None or not Path(CHROMIUM).is_file():
    missing(f"no Chromium ({CHROMIUM or 'none on PATH'}): install Debian's `chromium` "
            "(apt-get install chromium) or set NBTUNE_CHROMIUM to a Chromium binary")
try:
    import jupyterlab  # noqa: F401
    from playwright import sync_api
except ImportError as exc:
    missing(f"{exc.name} is not installed: pip install -e '.[test]'")

# What a student sees clipped: a text wider than its own box (text-overflow hides the
# rest), or a control that runs past the right edge of the output area.
CLIPPED_LABELS = """(root) => {
  const selectors = '.widget-label, .widget-readout, .widget-label-basic, button, '
    + '.widget-html-content, .widget-inline-hbox label, .lm-AccordionPanel-title, '
    + '.jupyter-widget-Collapse-header, input, .widget-slider, .widget-progress';
  const area = root.closest('.jp-OutputArea-output') || root;
  const right = area.getBoundingClientRect().right;
  const clipped = [];
  for (const el of root.querySelectorAll(selectors)) {
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const name = (el.textContent || el.value || el.className).trim().slice(0, 40);
    if (el.tagName !== 'INPUT' && (el.scrollWidth > el.clientWidth + 1
                                   || el.scrollHeight > el.clientHeight + 4))
      clipped.push(`${name} (${el.clientWidth} px for ${el.scrollWidth})`);
    else if (box.right > right + 1)
      clipped.push(`${name} (past the right edge by ${Math.round(box.right - right)} px)`);
  }
  return clipped;
}"""

# Run code in the notebook's own kernel (what a new cell would do) and return what it printed.
RUN_IN_KERNEL = """async (code) => {
  const kernel = window.jupyterapp.shell.currentWidget.sessionContext.session.kernel;
  const future = kernel.requestExecute({code, store_history: false});
  let text = '';
  future.onIOPub = (msg) => {
    const c = msg.content;
    if (msg.header.msg_type === 'stream') text += c.text;
    if (msg.header.msg_type === 'execute_result') text += c.data['text/plain'];
    if (msg.header.msg_type === 'error') text += c.ename + ': ' + c.evalue;
  };
  await future.done;
  return text;
}"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def quiet_jupyterlab_settings(settings: Path) -> None:
    """No news or update pop-up over the notebook (they would also ask the internet)."""
    plugin = settings / "@jupyterlab" / "apputils-extension"
    plugin.mkdir(parents=True)
    (plugin / "notification.jupyterlab-settings").write_text(
        json.dumps({"fetchNews": "false", "checkForUpdates": False})
    )
    # every cell laid out, so that a widget scrolled to is where the page says it is
    notebook = settings / "@jupyterlab" / "notebook-extension"
    notebook.mkdir(parents=True)
    (notebook / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))


@pytest.fixture(scope="module")
def shots(tmp_path_factory) -> Path:
    folder = Path(os.environ.get("NBTUNE_SCREENSHOTS") or tmp_path_factory.mktemp("screenshots"))
    folder.mkdir(parents=True, exist_ok=True)
    print(f"\nscreenshots: {folder}")
    return folder


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    """JupyterLab serving a copy of lesson 05 (fast mode); yields (url, folder)."""
    yield from serve(LESSON, tmp_path_factory)


@pytest.fixture(scope="module")
def korean_lab(tmp_path_factory):
    """JupyterLab serving a copy of the Korean lesson 05 (fast mode); yields (url, folder)."""
    yield from serve(KOREAN_LESSON, tmp_path_factory)


def serve(lesson: Path, tmp_path_factory):  # noqa: ANN201 (a generator of (url, folder))
    """JupyterLab on 127.0.0.1 serving a copy of ``lesson``; yields (url, folder), then stops."""
    base = tmp_path_factory.mktemp("lab")
    folder = base / "lessons"  # what the file browser shows: the lesson alone
    folder.mkdir()
    shutil.copy(lesson, folder / lesson.name)
    quiet_jupyterlab_settings(base / "settings")
    port, token = free_port(), "nbtune-browser-test"
    student = {name: value for name, value in os.environ.items()
               if name not in (*QUIET_ENVIRONMENT, "MPLBACKEND")}
    env = dict(student, NBTUNE_FAST="1", JUPYTERLAB_SETTINGS_DIR=str(base / "settings"),
               JUPYTERLAB_WORKSPACES_DIR=str(base / "workspaces"))
    server = subprocess.Popen(
        [sys.executable, "-m", "jupyterlab", "--no-browser", "--ip=127.0.0.1", f"--port={port}",
         f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={folder}",
         "--LabApp.expose_app_in_browser=True", "--ServerApp.log_level=WARN",
         "--allow-root"],
        env=env, stdout=subprocess.DEVNULL, stderr=open(base / "server.log", "w"),
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while True:
        try:
            urllib.request.urlopen(f"{url}/api/status?token={token}", timeout=2)
            break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("JupyterLab did not start:\n" + (base / "server.log").read_text())
            time.sleep(0.5)
    yield f"{url}/lab/tree/{lesson.name}?token={token}", folder
    server.terminate()
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        server.kill()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


def outside_requests(page) -> list[str]:
    """The list, kept up to date, of what ``page`` asks of anything but 127.0.0.1."""
    urls: list[str] = []
    page.on("request", lambda request: urls.append(request.url)
            if not request.url.startswith(("http://127.0.0.1", "data:", "blob:")) else None)
    return urls


def open_lesson(browser, url: str, *, width=1024, height=768, zoom=1.0):
    """A page with the lesson open and its kernel idle, in a window of width x height px.

    ``zoom=1.5`` is the browser's 150 %: the page lays out in 1.5 times fewer CSS
    pixels and draws each 1.5 times larger.
    """
    context = browser.new_context(
        viewport={"width": round(width / zoom), "height": round(height / zoom)},
        device_scale_factor=zoom)
    page = context.new_page()
    page.outside_requests = outside_requests(page)  # nothing may come from the internet
    page.goto(url)
    page.wait_for_function(
        "() => window.jupyterapp && window.jupyterapp.shell.currentWidget"
        " && window.jupyterapp.shell.currentWidget.sessionContext"
        " && window.jupyterapp.shell.currentWidget.sessionContext.session"
        " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel"
        " && window.jupyterapp.shell.currentWidget.sessionContext.session.kernel.status === 'idle'",
        timeout=120_000,
    )
    return page


def run_all(page, timeout_ms=600_000) -> None:
    """Run > Run All Cells, then wait until every code cell has an execution count."""
    page.evaluate("() => window.jupyterapp.commands.execute('notebook:run-all-cells')")
    page.wait_for_function(
        """() => {
          const nb = window.jupyterapp.shell.currentWidget;
          const cells = [...nb.content.model.cells].filter(c => c.type === 'code');
          return nb.sessionContext.session.kernel.status === 'idle'
            && cells.every(c => c.executionCount !== null);
        }""",
        timeout=timeout_ms, polling=500,
    )


def errors_in_outputs(page) -> list[str]:
    """Error and stderr outputs of the notebook, but for nbtune's EdgeWarning (advice, kept)."""
    return [error for error in page.evaluate(
        """() => {
          const errors = [];
          for (const cell of window.jupyterapp.shell.currentWidget.content.model.cells) {
            if (cell.type !== 'code') continue;
            for (let i = 0; i < cell.outputs.length; i++) {
              const out = cell.outputs.get(i).toJSON();
              if (out.output_type === 'error') errors.push(out.ename + ': ' + out.evalue);
              if (out.name === 'stderr') errors.push('stderr: ' + out.text);
            }
          }
          return errors;
        }"""
    ) if not (error.startswith("stderr: ") and is_edge_warning(error.removeprefix("stderr: ")))]


def in_kernel(page, code: str) -> str:
    return page.evaluate(RUN_IN_KERNEL, code)


@pytest.fixture(scope="module")
def lesson(browser, lab):
    """Lesson 05 opened at 1024 x 768 and run top to bottom; yields the page."""
    url, _ = lab
    page = open_lesson(browser, url)
    page.dirty_on_open = page.evaluate(
        "() => window.jupyterapp.shell.currentWidget.context.model.dirty")
    page.metadata_on_open = json.loads(page.evaluate(
        "() => JSON.stringify(window.jupyterapp.shell.currentWidget.context.model.metadata)"))
    run_all(page)
    # saved, so that a second window (another size or zoom) opens it with its outputs;
    # its widgets come back from the same kernel
    page.evaluate("() => window.jupyterapp.commands.execute('docmanager:save')")
    page.wait_for_function("() => !window.jupyterapp.shell.currentWidget.context.model.dirty")
    yield page
    page.context.close()


def test_the_lesson_loads_nothing_from_the_internet(lesson):
    assert lesson.outside_requests == []


def test_the_badges_draw_and_link_to_colab_and_binder(browser, lab, shots):
    """The first cell's two badges are images drawn from the notebook itself, at 150 % too."""
    url, _ = lab
    page = open_lesson(browser, url, zoom=1.5)
    try:
        badges = page.evaluate(
            """() => [...document.querySelectorAll('.jp-MarkdownCell a img')].slice(0, 2).map(
                 img => ({alt: img.alt, width: img.naturalWidth, href: img.closest('a').href}))""")
        page.screenshot(path=str(shots / "zoom150_badges.png"),
                        clip={"x": 0, "y": 0, "width": 1024 / 1.5, "height": 360 / 1.5})
        assert [b["alt"] for b in badges] == ["Open in Colab", "Launch on Binder"]
        assert all(b["width"] > 50 for b in badges), badges  # drawn, not a broken image
        assert badges[0]["href"].startswith("https://colab.research.google.com/github/")
        assert badges[1]["href"].startswith("https://mybinder.org/v2/gh/")
        assert page.outside_requests == []
    finally:
        page.context.close()


def test_the_lesson_opens_as_slides(browser, lab):
    """RISE (jupyterlab-rise) shows one slide per cell marked 'slide', with no web fonts."""
    url, folder = lab
    cells = json.loads(LESSON.read_text())["cells"]
    slides = sum(c["metadata"]["slideshow"]["slide_type"] == "slide" for c in cells)
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    page = context.new_page()
    outside = outside_requests(page)
    try:
        page.goto(url.replace("/lab/tree/", "/rise/"))
        page.wait_for_function("() => document.querySelectorAll('.reveal .slides > section').length > 0",
                               timeout=60_000)
        assert page.evaluate("() => document.querySelectorAll('.reveal .slides > section').length") == slides
        assert outside == []
    finally:
        context.close()


def test_opening_the_lesson_does_not_mark_it_modified(lesson):
    """JupyterLab finds the metadata it would write (scripts/lesson_metadata.py).

    It records the kernel's exact Python version: on another Python than the
    lesson's, that field changes, and only that one.
    """
    committed = json.loads(LESSON.read_text())["metadata"]
    seen = lesson.metadata_on_open
    python = ".".join(map(str, sys.version_info[:3]))
    if committed["language_info"]["version"] == python:
        assert lesson.dirty_on_open is False and seen == committed
    else:
        seen["language_info"]["version"] = committed["language_info"]["version"]
        assert seen == committed


def test_lesson_runs_top_to_bottom_without_error(lesson):
    assert errors_in_outputs(lesson) == []
    assert "stopped" in in_kernel(lesson, "print(stopped)").lower()


def units_handles(page):
    """The two handles of the first editor's units slider."""
    row = page.locator(".nbtune-row").filter(
        has=page.locator(".nbtune-name", has_text="units")).first
    row.scroll_into_view_if_needed()
    return row.locator(".noUi-handle")


def test_a_key_press_moves_one_handle_and_the_python_space(lesson):
    """Lesson 05's default budgets leave units at 64-128, step 64, on a slider from 32.

    Before the lattice fix, one ArrowRight on the upper handle gave 96-224.
    """
    units = "editor.rows['units']"
    in_kernel(lesson, f"{units}.slider.value = (64, 128); {units}.step.value = 64")
    lesson.wait_for_timeout(500)
    handles = units_handles(lesson)
    shown = [float(handles.nth(i).get_attribute("aria-valuenow")) for i in (0, 1)]
    assert shown == [64, 128]  # drawing the slider moved nothing
    handles.nth(1).focus()
    lesson.keyboard.press("ArrowRight")
    lesson.wait_for_timeout(500)  # the slider sends its value when the key is up
    state = json.loads(in_kernel(
        lesson, f"import json; print(json.dumps([{units}.slider.value, editor.space['units'].grid()]))"))
    assert state == [[64, 192], [64, 128, 192]]
    assert [float(handles.nth(i).get_attribute("aria-valuenow")) for i in (0, 1)] == [64, 192]


def test_run_and_stop_buttons_leave_a_partial_result(lesson, shots):
    panel = lesson.locator(".nbtune-panel").nth(1)  # the random search with 50 trials
    panel.scroll_into_view_if_needed()
    runs_before = int(in_kernel(lesson, "print(len(stop_panel.results))"))
    panel.get_by_role("button", name="Run").click()
    deadline = time.monotonic() + 120
    # the click reaches the kernel after a moment: until the run starts, trials_done
    # still counts the lesson's last run (seen in CI: Stop before any trial, 0 trials)
    while in_kernel(lesson, "print(stop_panel.running)").strip() != "True":
        assert time.monotonic() < deadline, "the search did not start within 2 minutes of Run"
        time.sleep(0.2)
    while int(in_kernel(lesson, "print(stop_panel.trials_done)") or 0) < 1:
        assert time.monotonic() < deadline, "no trial finished within 2 minutes of Run"
        time.sleep(0.5)
    panel.get_by_role("button", name="Stop").click()
    deadline = time.monotonic() + 120
    while in_kernel(lesson, "print(stop_panel.running)").strip() != "False":
        assert time.monotonic() < deadline, "the search did not stop within 2 minutes of Stop"
        time.sleep(0.5)
    panel.screenshot(path=shots / "panel_stopped.png")
    report = json.loads(in_kernel(
        lesson, "import json; r = stop_panel.results[-1]; "
                "print(json.dumps([len(stop_panel.results), len(r.trials), r.complete]))"))
    assert report[0] == runs_before + 1
    assert 1 <= report[1] < 50 and report[2] is False
    assert "stop" in panel.inner_text().lower()


VIEWS = {  # name: (viewport width, height, zoom, presentation mode)
    "1024px": (1024, 768, 1.0, False),
    "zoom150": (1400, 900, 1.5, False),
    "presentation": (1024, 768, 1.0, True),
}


def presentation_mode(page, on: bool) -> None:
    """View > Appearance > Presentation Mode."""
    page.evaluate(
        """(on) => {
          const app = window.jupyterapp;
          if (app.commands.isToggled('application:toggle-presentation-mode') !== on)
            return app.commands.execute('application:toggle-presentation-mode');
        }""", on)
    page.wait_for_timeout(500)
    assert page.evaluate(
        "() => window.jupyterapp.commands.isToggled('application:toggle-presentation-mode')") == on


@pytest.mark.parametrize("view", list(VIEWS))
def test_no_label_is_clipped(browser, lab, lesson, shots, view):
    width, height, zoom, presentation = VIEWS[view]
    in_kernel(lesson, "editor.json_box.selected_index = 0")  # the JSON buttons shown too
    page = open_lesson(browser, lab[0], width=width, height=height, zoom=zoom)
    try:
        presentation_mode(page, presentation)
        clipped = {}
        for kind in ("nbtune-editor", "nbtune-panel"):
            widget = page.locator(f".{kind}").first
            widget.wait_for(timeout=60_000)
            for end in ("start", "end"):  # the window shows a tall widget in two parts
                widget.evaluate(f"(el) => el.scrollIntoView({{block: '{end}'}})")
                page.wait_for_timeout(300)
                page.screenshot(path=shots / f"{view}_{kind}_{end}.png")
            clipped[kind] = widget.evaluate(CLIPPED_LABELS)
        assert clipped == {"nbtune-editor": [], "nbtune-panel": []}
    finally:
        page.context.close()


@pytest.fixture(scope="module")
def korean_lesson(browser, korean_lab):
    """The Korean lesson 05 opened at 150 % zoom and run top to bottom; yields the page."""
    page = open_lesson(browser, korean_lab[0], width=1400, height=900, zoom=1.5)
    run_all(page)
    yield page
    page.context.close()


def test_the_korean_lesson_runs_and_its_widgets_speak_korean_unclipped(korean_lesson, shots):
    """At 150 % zoom: no error, no stderr (no missing glyph), Korean labels, none clipped."""
    from nbtune.language import fonts

    assert errors_in_outputs(korean_lesson) == []
    assert korean_lesson.outside_requests == []
    clipped, texts = {}, {}
    for kind in ("nbtune-editor", "nbtune-panel"):
        widget = korean_lesson.locator(f".{kind}").first
        widget.wait_for(timeout=60_000)
        for end in ("start", "end"):
            widget.evaluate(f"(el) => el.scrollIntoView({{block: '{end}'}})")
            korean_lesson.wait_for_timeout(300)
            korean_lesson.screenshot(path=shots / f"ko_zoom150_{kind}_{end}.png")
        clipped[kind] = widget.evaluate(CLIPPED_LABELS)
        texts[kind] = widget.inner_text()
    assert clipped == {"nbtune-editor": [], "nbtune-panel": []}
    assert all(fonts.is_hangul(text) for text in texts.values()), texts


def test_the_korean_lesson_draws_hangul_in_its_figures(korean_lesson, shots):
    """Every figure's text is drawn in a font that has Hangul, inside the figure (in the kernel)."""
    report = json.loads(in_kernel(korean_lesson, """
import json, matplotlib
from nbtune.language import fonts
family = matplotlib.rcParams["font.family"]
print(json.dumps({"family": list(family), "korean": fonts.korean_font()}))
""").strip().splitlines()[-1])
    assert report["korean"] and report["family"][-1] == report["korean"], report
    figure = korean_lesson.locator(".jp-RenderedImage img").first
    figure.scroll_into_view_if_needed()
    figure.screenshot(path=shots / "ko_zoom150_first_figure.png")
