"""How wide a text is drawn, and a text broken into lines that fit a width.

Widths are measured with the fonts matplotlib will draw the text in (its Agg
renderer, which falls back from font to font glyph by glyph), not guessed from
a count of characters: a Hangul syllable is about one em wide, twice a Latin
letter, so a Korean title would overflow an estimate made for English.

Examples
--------
>>> round(text_inches("validation accuracy", 12), 2) > round(text_inches("accuracy", 12), 2)
True
>>> print(wrap("seconds of training (the trials' own, not wall time)", 2.5, 15))
seconds of training
(the trials' own, not
wall time)
"""

from __future__ import annotations

import functools
import re

#: matplotlib draws text at 72 points to the inch
POINTS_PER_INCH = 72.0


@functools.cache
def _renderer():  # noqa: ANN202 (a RendererAgg; matplotlib's Agg backend imported late)
    from matplotlib.backends.backend_agg import RendererAgg

    return RendererAgg(1, 1, POINTS_PER_INCH)


@functools.lru_cache(maxsize=8192)
def _points(text: str, fontsize: float, bold: bool, fonts: tuple[str, ...]) -> float:
    from matplotlib.font_manager import FontProperties

    properties = FontProperties(family=list(fonts), size=fontsize, weight="bold" if bold else "normal")
    width, _, _ = _renderer().get_text_width_height_descent(text, properties, ismath=False)
    return float(width)


def text_inches(text: str, fontsize: float, *, bold: bool = False) -> float:
    """How wide one line of ``text`` is drawn at ``fontsize`` points, in inches, in the fonts
    matplotlib uses now (``rcParams["font.family"]``).

    Examples
    --------
    >>> 0.05 < text_inches("x", 12) < 0.15  # about 0.6 em
    True
    """
    import matplotlib

    family = matplotlib.rcParams["font.family"]
    fonts = (family,) if isinstance(family, str) else tuple(family)
    return _points(text, float(fontsize), bool(bold), fonts) / POINTS_PER_INCH


def wrap(text: str, inches: float, fontsize: float, *, bold: bool = False) -> str:
    """``text`` broken at spaces into lines ``inches`` wide or less at ``fontsize``.

    A line too long is broken after a colon or semicolon, or before a
    parenthesis, where it can; else at any space.  A word wider than the line
    stays whole.  Widths are measured (:func:`text_inches`).

    Parameters
    ----------
    text : str
        Its own line breaks are kept.
    inches : float
        The width the lines may take.
    fontsize : float
        In points.
    bold : bool, default False

    Returns
    -------
    str

    Examples
    --------
    >>> print(wrap("Hyperband(max_epochs=27, factor=3): 70 trials, 375 epochs in all", 6.2, 16.5))
    Hyperband(max_epochs=27, factor=3):
    70 trials, 375 epochs in all
    >>> wrap("short", 2.5, 15)
    'short'
    """
    def fits(line: str) -> bool:
        return text_inches(line, fontsize, bold=bold) <= inches

    return "\n".join(line for text_line in text.splitlines() for line in _pack(text_line, fits))


def _pack(line: str, fits) -> list[str]:  # noqa: ANN001 (a str -> bool)
    """``line`` in lines that fit (where it has spaces): its clauses joined while they fit, a
    clause too long broken at spaces."""
    if fits(line):
        return [line]
    lines: list[str] = []
    for clause in re.split(r"(?<=[:;]) | (?=\()", line):
        if lines and fits(lines[-1] + " " + clause):
            lines[-1] += " " + clause
        elif fits(clause):
            lines.append(clause)
        else:
            lines += _pack_words(clause.split(" "), fits)
    return lines


def _pack_words(words: list[str], fits) -> list[str]:  # noqa: ANN001
    """Words joined into lines while they fit; a word too wide alone is a line of its own."""
    lines: list[str] = []
    for word in words:
        if lines and fits(lines[-1] + " " + word):
            lines[-1] += " " + word
        else:
            lines.append(word)
    return lines
