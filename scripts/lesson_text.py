"""A lesson as plain text to translate, and back.

``dump`` writes every cell of a notebook as a block that starts with a line
``#### <cell type> <cell id>``; ``load`` reads such a file into the notebook,
cell by cell, and refuses a file whose cells (ids, types, order) are not the
notebook's.  Outputs stay empty and cell metadata is kept, so a translator edits
words only; ``tests/lesson_twins.py`` then checks that the code is the same
program as the English twin's.

Usage::

    python scripts/lesson_text.py dump notebooks/ko/05_editing_the_search_space.ipynb > 05.txt
    python scripts/lesson_text.py load 05.txt notebooks/ko/05_editing_the_search_space.ipynb
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import nbformat

MARK = re.compile(r"^#### (code|markdown|raw) (\S+)$", re.M)


def dump(notebook: nbformat.NotebookNode) -> str:
    """The cells as text blocks, each under its ``#### type id`` line."""
    return "".join(f"#### {cell.cell_type} {cell.id}\n{cell.source}\n" for cell in notebook.cells)


def load(text: str, notebook: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """The notebook with each cell's source taken from ``text``; the cells must match."""
    parts = MARK.split(text)[1:]
    blocks = [(parts[i], parts[i + 1], parts[i + 2]) for i in range(0, len(parts), 3)]
    wanted = [(cell.cell_type, cell.id) for cell in notebook.cells]
    if [(kind, cell_id) for kind, cell_id, _ in blocks] != wanted:
        raise SystemExit(f"the text's cells {[b[:2] for b in blocks]} are not the notebook's {wanted}")
    for cell, (_, _, source) in zip(notebook.cells, blocks):
        cell.source = source.removeprefix("\n").removesuffix("\n")
    return notebook


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("dump").add_argument("notebook", type=Path)
    loading = commands.add_parser("load")
    loading.add_argument("text", type=Path)
    loading.add_argument("notebook", type=Path)
    args = parser.parse_args(argv)
    notebook = nbformat.read(args.notebook, as_version=4)
    if args.command == "dump":
        sys.stdout.write(dump(notebook))
    else:
        notebook = load(args.text.read_text(encoding="utf-8"), notebook)
        nbformat.write(notebook, args.notebook)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
