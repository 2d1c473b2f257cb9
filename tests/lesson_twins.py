"""A Korean lesson is its English twin's program: only words may differ.

Both editions hold the same cells, with the same ids and types, in the same
order.  Every code cell but the set-up cell (which each edition gets from
``scripts/lesson_links.py``) parses to the same Python syntax tree once every
string constant is masked: comments, docstrings, printed text and f-string
text may be translated, but not a name, a number, a call or a format field.
IPython syntax (``%magic``, ``!command``) is turned into Python first, as the
kernel would.

Examples
--------
>>> masked("print('best', f'{score:.2f} 점')  # a comment") == masked('print("최고", f"{score:.2f} s")')
True
>>> masked("print('best', 0.5)") == masked("print('best', 0.6)")
False
"""

from __future__ import annotations

import ast

import nbformat

SETUP_CELL_ID = "set-up"


def masked(source: str) -> str:
    """The cell's syntax tree as text, with every string constant blanked."""
    from IPython.core.inputtransformer2 import TransformerManager

    tree = ast.parse(TransformerManager().transform_cell(source))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            node.value = ""
    return ast.dump(tree)


def differences(english: nbformat.NotebookNode, korean: nbformat.NotebookNode) -> list[str]:
    """Where the two editions are not the same program: one line per difference."""
    shape = [(cell.cell_type, cell.id) for cell in english.cells]
    if shape != [(cell.cell_type, cell.id) for cell in korean.cells]:
        return [f"the cells differ: English {shape}, Korean "
                f"{[(cell.cell_type, cell.id) for cell in korean.cells]}"]
    found = []
    for left, right in zip(english.cells, korean.cells):
        if left.cell_type != "code" or left.id == SETUP_CELL_ID:
            continue
        try:
            same = masked(left.source) == masked(right.source)
        except SyntaxError as error:
            found.append(f"cell {left.id}: {error}")
            continue
        if not same:
            found.append(f"cell {left.id}: the code differs beyond strings and comments")
    return found
