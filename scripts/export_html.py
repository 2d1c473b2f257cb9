"""Write an executed HTML copy of every lesson, to open in a browser with no kernel and no internet.

Usage::

    python scripts/export_html.py                      # all lessons, default budgets, into lessons-html/
    python scripts/export_html.py --fast --out /tmp/x  # NBTUNE_FAST=1: a quick check (tiny budgets)
    python scripts/export_html.py notebooks/05_*.ipynb --overwrite

Each lesson runs top to bottom in a fresh kernel with nbclient, the way
``scripts/budget_report.py`` runs it (NBTUNE_FAST=0 unless ``--fast``), and
nbconvert's ``HTMLExporter`` (lab template) writes ``OUT/<name>.html``.

Each page is one file that loads nothing from the internet. The template's
require.js, MathJax and Mermaid scripts (all from CDNs; the lessons need none)
are left out; figures are inlined by nbconvert; widgets are drawn from the
state saved at the end of the run by the JavaScript of the npm package
``@jupyter-widgets/html-manager``, inlined in the page with its icon font.
That file is found as ``scripts/render_widgets.py`` finds it (``--embed-js``,
else ``out/widgets/vendor/embed.js``, else fetched once with ``npm pack``).
Such widgets are a picture of their last state: without a kernel, moving a
slider computes nothing, and the page says so. Without the JavaScript the
widgets are left out and the page says that too.

An existing output file is never replaced unless ``--overwrite`` is given.
A lesson that fails is reported and skipped, and the exit status is then 1.
"""

from __future__ import annotations

import argparse
import base64
import datetime
import logging
import os
import re
import sys
import time
from pathlib import Path

import nbformat
from jinja2 import DictLoader
from nbconvert import HTMLExporter

ROOT = Path(__file__).resolve().parent.parent
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"

# The lab template without the blocks that load from CDNs, plus notes and the widget script.
TEMPLATE = """{%- extends 'index.html.j2' -%}
{% block html_head_js %}{% endblock html_head_js %}
{% block jupyter_widgets %}{% endblock jupyter_widgets %}
{% block html_head_js_mathjax %}{% endblock html_head_js_mathjax %}
{% block html_head_js_mermaidjs %}{% endblock html_head_js_mermaidjs %}
{% block extra_css %}<style>.jupyter-widgets { font-family: var(--jp-ui-font-family); }</style>
{% endblock extra_css %}
{% block body_header %}{{ super() }}
{% for note in resources.notes %}
<p style="margin: 8px 0; padding: 6px 10px; background: #fff8e1; border-left: 4px solid #f9a825;
font-family: var(--jp-ui-font-family); font-size: 13px">{{ note | e }}</p>
{% endfor %}
{% endblock body_header %}
{% block body_footer %}
{%- if resources.embed_js %}<script>{{ resources.embed_js }}</script>{% endif %}
{{ super() }}
{% endblock body_footer %}
"""


def widget_script(embed_js: Path) -> str:
    """The html-manager's embed.js, made to work inline in a page with no network.

    Its icon fonts become data URLs (woff2, the format Chromium, Firefox and
    Safari pick; the other formats become empty), the CDN it would load
    unknown widget modules from becomes a local path (the lessons use core
    widgets only), an ``@import`` of a web font is dropped, and webpack's
    search for its own script URL no longer throws for an inline script.
    """
    text = embed_js.read_text(encoding="utf-8")

    def font(match: re.Match) -> str:
        path = embed_js.parent / match[1]
        if path.suffix != ".woff2":
            return '"data:,"'
        return f'"data:font/woff2;base64,{base64.b64encode(path.read_bytes()).decode()}"'

    patches = [
        (r'\w+\.p\+"([0-9a-f]{20}\.(?:woff2|woff|ttf|eot|svg))"', font),
        (r'"https://cdn\.jsdelivr\.net/npm/"', '"./"'),
        (r'throw new Error\("Automatic publicPath is not supported in this browser"\)', "void 0"),
        (r"@import url\(['\"]?https?://[^)]*\);?", ""),
    ]
    for pattern, replacement in patches:
        text, count = re.subn(pattern, replacement, text)
        if count == 0 and "@import" not in pattern:
            raise RuntimeError(f"{embed_js}: no {pattern!r} to patch (another html-manager version?)")
    return text.replace("</script", "<\\/script")


def find_widget_script(given: str | None) -> str | None:
    """embed.js found or fetched by render_widgets.find_embed_js, ready to inline, or None."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from render_widgets import find_embed_js

    os.environ.pop("MPLBACKEND", None)  # render_widgets sets Agg for itself: not for the kernels
    path = find_embed_js(ROOT / "out" / "widgets", given)
    return widget_script(path) if path and path.exists() else None


def execute(path: Path, timeout: int) -> nbformat.NotebookNode:
    """Run a lesson top to bottom in a new kernel, beside it; widget state is kept."""
    sys.path.insert(0, str(ROOT / "scripts"))
    from budget_report import lesson_client  # the budget report's way of running a lesson

    notebook = nbformat.read(path, as_version=4)
    lesson_client(notebook, path, timeout).execute()
    return notebook


def to_html(notebook: nbformat.NotebookNode, name: str, fast: bool, embed_js: str | None) -> str:
    """The executed lesson as one HTML page that loads nothing from the internet."""
    markdown = "\n".join(c.source for c in notebook.cells if c.cell_type == "markdown")
    heading = re.search(r"^#\s+(.+)$", markdown, re.M)  # the title, below the badges
    notebook.metadata["title"] = heading[1].strip() if heading else name
    budgets = "NBTUNE_FAST=1, tiny budgets: the numbers mean nothing" if fast else "default budgets"
    notes = [f"Executed copy of {name}.ipynb ({budgets}), {datetime.date.today()}."]
    has_widgets = bool(notebook.metadata.get("widgets", {}).get(WIDGET_STATE, {}).get("state"))
    if has_widgets and embed_js:
        notes.append("The widgets show their state at the end of the run. No Python kernel is "
                     "behind this page: moving a slider or pressing a button computes nothing.")
    elif has_widgets:
        notes.append("The widgets are not shown: their JavaScript (npm package "
                     "@jupyter-widgets/html-manager) could not be had offline.")
    exporter = HTMLExporter(template_name="lab", template_file="nbtune_offline.html.j2",
                            extra_loaders=[DictLoader({"nbtune_offline.html.j2": TEMPLATE})])
    exporter.log.setLevel(logging.ERROR)  # not the missing alt texts of every figure
    page, _ = exporter.from_notebook_node(notebook, resources={
        "metadata": {"name": name}, "notes": notes,
        "embed_js": embed_js if has_widgets else None})
    return page


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="*", type=Path, help="default: notebooks/0*.ipynb")
    parser.add_argument("--out", type=Path, default=ROOT / "lessons-html", help="output folder")
    parser.add_argument("--fast", action="store_true", help="NBTUNE_FAST=1 (tiny budgets)")
    parser.add_argument("--overwrite", action="store_true", help="replace existing HTML files")
    parser.add_argument("--timeout", type=int, default=900, help="seconds per cell")
    parser.add_argument("--embed-js", help="a local @jupyter-widgets/html-manager dist/embed.js")
    args = parser.parse_args(argv)
    os.environ["NBTUNE_FAST"] = "1" if args.fast else "0"
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    os.environ.pop("MPLBACKEND", None)  # the kernels draw figures inline, as in Jupyter
    paths = args.notebooks or sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    targets = {path: args.out / f"{path.stem}.html" for path in paths}
    existing = [target for target in targets.values() if target.exists()]
    if existing and not args.overwrite:
        for target in existing:
            print(f"error: {target} exists; pass --overwrite to replace it", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    embed_js: str | None = None
    failed = []
    for path, target in targets.items():
        started = time.perf_counter()
        try:
            notebook = execute(path, args.timeout)
            if embed_js is None and WIDGET_STATE in notebook.metadata.get("widgets", {}):
                embed_js = find_widget_script(args.embed_js)
            page = to_html(notebook, path.stem, args.fast, embed_js)
            with open(target, "w" if args.overwrite else "x", encoding="utf-8") as file:
                file.write(page)
            status = str(target)
        except Exception as exc:  # record it and go on with the next lesson
            failed.append(path.name)
            why = getattr(exc, "ename", None) and f"{exc.ename}: {exc.evalue}"
            status = f"FAILED {why or f'{type(exc).__name__}: {exc}'}".splitlines()[0][:200]
        print(f"{path.name:<36} {time.perf_counter() - started:>6.0f} s  {status}", flush=True)
    if failed:
        print(f"error: {len(failed)} of {len(paths)} lessons failed: {', '.join(failed)}",
              file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
