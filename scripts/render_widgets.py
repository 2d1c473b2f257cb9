"""Render the SpaceEditor and the SearchPanel to PNG files, to look at them.

Usage::

    python scripts/render_widgets.py [--out out/widgets] [--embed-js PATH] [--fallback]

Each widget's state is written to a standalone HTML page with
``ipywidgets.embed.embed_minimal_html`` and screenshotted with headless
Chromium.  The page needs the widget manager's JavaScript, which
``embed_minimal_html`` would load from a CDN; this script uses a local copy
instead: ``--embed-js``, or ``OUT/vendor/embed.js``, or (once) the file
from the npm package ``@jupyter-widgets/html-manager`` fetched with
``npm pack``.  Without Chromium or the JavaScript (or with ``--fallback``)
it draws the editor's summary and each control's state with matplotlib.

Writes ``editor.png`` (an edited lesson space with a measured time
estimate), ``editor_large.png`` (the too-large warning, presentation mode),
``editor_invalid.png`` (an invalid edit), ``panel.png`` (after a small grid
run), ``panel_stopped.png`` (a run stopped after two trials) and the
HTML pages beside them.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("MPLBACKEND", "Agg")

HTML_MANAGER = "@jupyter-widgets/html-manager@1"


def find_embed_js(out: Path, given: str | None) -> Path | None:
    """A local copy of the html-manager's embed.js (fetched with npm pack if needed)."""
    if given:
        return Path(given).resolve()
    vendor = out / "vendor" / "embed.js"
    if vendor.exists():
        return vendor.resolve()
    npm = shutil.which("npm")
    if npm is None:
        return None
    with tempfile.TemporaryDirectory() as tmp:
        done = subprocess.run([npm, "pack", HTML_MANAGER], cwd=tmp, capture_output=True, text=True)
        tarballs = list(Path(tmp).glob("*.tgz"))
        if done.returncode != 0 or not tarballs:
            print(f"npm pack {HTML_MANAGER} failed: {done.stderr.strip()[-300:]}")
            return None
        with tarfile.open(tarballs[0]) as tar:
            tar.extractall(tmp, filter="data")
        vendor.parent.mkdir(parents=True, exist_ok=True)
        for file in (Path(tmp) / "package" / "dist").iterdir():
            if not file.name.startswith(("embed-amd", "libembed")) and not file.name.endswith(".map"):
                shutil.copy(file, vendor.parent / file.name)  # embed.js and its fonts
    return vendor.resolve()


def chromium() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)
    return None


def screenshot(browser: str, page: Path, png: Path, size: str) -> None:
    subprocess.run(
        [browser, "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--hide-scrollbars", "--virtual-time-budget=8000", f"--screenshot={png}",
         f"--window-size={size}", page.resolve().as_uri()],
        check=True, capture_output=True, timeout=120,
    )


def render_html(widget, path: Path, title: str, embed_js: Path) -> None:
    from ipywidgets.embed import embed_minimal_html

    embed_minimal_html(str(path), views=[widget], title=title, requirejs=False, cors=False,
                       embed_url=embed_js.as_uri(), drop_defaults=False)
    # a white page with some margin, like a notebook cell
    text = path.read_text().replace("<body>", "<body style='margin:16px; background:white'>", 1)
    path.write_text(text)


def render_fallback(editor, png: Path, title: str) -> None:
    """Summary text and each control's state, drawn with matplotlib."""
    from matplotlib.figure import Figure

    lines = [title, ""]
    for name, row in editor.rows.items():
        parts = []
        for control in row.controls:
            label = getattr(control, "description", "") or type(control).__name__
            parts.append(f"{label}={control.value!r}")
        lines.append(f"{name:<14} {row.kind:<7} {'  '.join(parts)}  -> {row.count.value}")
    lines += ["", f"cv folds={editor.cv}  epochs={editor.epochs}", ""]
    lines += editor.summary_text.splitlines()
    if editor.message.value:
        import re

        lines += ["", re.sub("<[^>]+>", "", editor.message.value).replace("&#9888;", "!")]
    fig = Figure(figsize=(12, 0.32 * len(lines) + 0.6))
    fig.text(0.01, 0.98, "\n".join(lines), family="monospace", va="top", fontsize=11)
    fig.savefig(png, dpi=100)


def build_editors(speed):
    from nbtune import Choice, Int, SearchSpace
    from nbtune.ui.editor import SpaceEditor

    lesson = SearchSpace(Int("units", 32, 512, step=32), Choice("learning_rate", [1e-2, 1e-3, 1e-4]))
    overhead, per_epoch = speed
    edited = SpaceEditor(lesson, fit_overhead=overhead, seconds_per_epoch=per_epoch)
    edited.rows["units"].slider.value = (32, 128)
    edited.rows["learning_rate"].select([1e-2, 1e-3])
    edited.export_button.click()
    edited.json_box.selected_index = 0

    from nbtune import Float

    big = SpaceEditor(
        SearchSpace(Int("units", 32, 512, step=32), Float("learning_rate", 1e-4, 1e-1, log=True),
                    Float("dropout_rate", 0.0, 0.5, step=0.1),
                    Choice("activation", ["relu", "tanh", "sigmoid"]),
                    Choice("optimizer", ["adam", "sgd"])),
        fit_overhead=overhead, seconds_per_epoch=per_epoch, presentation=True,
    )
    invalid = SpaceEditor(lesson)
    invalid.rows["learning_rate"].select([])
    return {"editor": edited, "editor_large": big, "editor_invalid": invalid}


def build_panels(cancer, tiny_build):
    from nbtune import Choice, Int, SearchSpace
    from nbtune.ui.editor import SpaceEditor
    from nbtune.ui.panel import SearchPanel

    editor = SpaceEditor(SearchSpace(Int("units", 4, 16, step=4), Choice("learning_rate", [1e-2, 1e-3])))
    panel = SearchPanel(tiny_build, editor, *cancer.train, epochs=2, cv=2)
    panel.run(block=True)

    class StopAfterTwo(SearchPanel):
        def trial_done(self, record):
            super().trial_done(record)
            if self.trials_done == 2:
                self.stop()

    stopped = StopAfterTwo(tiny_build, editor, *cancer.train, epochs=2, cv=2, strategy="random",
                           trials=6)
    stopped.run(block=True)
    return {"panel": panel, "panel_stopped": stopped}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="out/widgets")
    parser.add_argument("--embed-js", default=None, help="local @jupyter-widgets/html-manager dist/embed.js")
    parser.add_argument("--fallback", action="store_true", help="draw with matplotlib, no browser")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
    from conftest import tiny_build

    from nbtune import data
    from nbtune.training.speed import measure_speed

    cancer = data.load_breast_cancer()
    speed = measure_speed(tiny_build, *cancer.train)
    print(f"measured: {speed[0]:.2f} s per fit + {speed[1]:.3f} s per epoch")
    editors = build_editors(speed)
    panels = build_panels(cancer, tiny_build)

    browser = None if args.fallback else chromium()
    embed_js = None if args.fallback else find_embed_js(out, args.embed_js)
    if browser and embed_js:
        for name, widget in {**editors, **panels}.items():
            page = out / f"{name}.html"
            render_html(widget, page, name, embed_js)
            height = "1200,1000" if name.startswith("panel") else "1200,760"
            screenshot(browser, page, out / f"{name}.png", height)
            print(f"wrote {out / name}.png (Chromium)")
    else:
        why = "--fallback" if args.fallback else ("no Chromium" if not browser else "no embed.js")
        print(f"drawing with matplotlib ({why})")
        for name, editor in editors.items():
            render_fallback(editor, out / f"{name}.png", name)
        for name, panel in panels.items():
            if panel.figure is not None:
                panel.figure.savefig(out / f"{name}.png")
        print(f"wrote {sorted(p.name for p in out.glob('*.png'))}")
    for name, editor in editors.items():
        print(f"\n{name}:\n{editor.summary_text}")
    for name, panel in panels.items():
        print(f"\n{name}: {panel.result!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
