"""The look the widgets share: sizes relative to the notebook's text, rows that wrap.

:class:`~nbtune.SpaceEditor` and :class:`~nbtune.SearchPanel` call
:func:`styled`: it adds :data:`WIDGET_CLASS` (and their own class) to them and
gives the :func:`style_sheet` element they put in front of their controls.  Their fonts follow the notebook's own text size
(``--jp-content-font-size1``, which JupyterLab raises in Presentation Mode and
the browser scales when it zooms) instead of ipywidgets' fixed 13 px;
``presentation=True`` adds :data:`PRESENTATION_CLASS`: 1.4 times that size,
for a projector.  Rows wrap when the column is narrow (the file browser open,
150 % zoom) instead of squeezing their labels to "learning_rat" or "lo".

Examples
--------
>>> import re
>>> from nbtune.ui.style import PRESENTATION_CLASS, WIDGET_CLASS, style_sheet
>>> sheet = style_sheet()
>>> WIDGET_CLASS in sheet and PRESENTATION_CLASS in sheet
True
>>> sorted(set(re.findall(r"[0-9.]+px", sheet)))   # no fixed size but the fallback
['14px']
"""

from __future__ import annotations

from typing import Any

#: The CSS class of every nbtune widget (the editor and the run panel).
WIDGET_CLASS = "nbtune-widget"

#: The CSS class a widget adds to itself in presentation mode.
PRESENTATION_CLASS = "nbtune-presentation"

#: How much larger than the notebook's text presentation mode writes.
PRESENTATION_SCALE = 1.4


def style_sheet() -> str:
    """The HTML ``<style>`` element the widgets put in front of their controls.

    ``--nbtune-font`` is the notebook's text size (14px when the page does not
    say); every ipywidgets size the widgets use is set relative to it, so a
    label's box grows with its text.
    """
    w, p = WIDGET_CLASS, PRESENTATION_CLASS
    return f"""<style>
.{w} {{
  --nbtune-font: var(--jp-content-font-size1, 14px);
  --jp-widgets-font-size: var(--nbtune-font);
  --jp-widgets-inline-height: calc(2 * var(--nbtune-font));
  --jp-widgets-inline-label-width: auto;
  --jp-widgets-slider-handle-size: calc(1.15 * var(--nbtune-font));
  font-size: var(--nbtune-font);
  line-height: 1.4;
}}
.{w}.{p} {{ --nbtune-font: calc({PRESENTATION_SCALE} * var(--jp-content-font-size1, 14px)); }}
.{w} .widget-hbox {{ flex-wrap: wrap; align-items: center; column-gap: 0.3em; }}
.{w} .widget-hbox > *, .{w} button {{ flex-shrink: 0; max-width: 100%; }}
.{w} .widget-hbox > .widget-slider {{ flex-shrink: 1; }}
.{w} .widget-label, .{w} .widget-readout {{ overflow: visible; text-overflow: clip; }}
.{w} .widget-inline-hbox .widget-label {{ padding-right: 0.3em; }}
.{w} .widget-text input {{ width: 5em; flex: 0 0 5em; }}
.{w} .widget-html-content {{ font-size: var(--nbtune-font); line-height: 1.5; }}
.{w} .widget-toggle-buttons .widget-toggle-button {{ width: auto; min-width: 6em; }}
</style>"""


def styled(box: Any, kind: str, *, presentation: bool) -> Any:
    """Give an nbtune widget its classes; return the ``<style>`` element to put first in it.

    Parameters
    ----------
    box : ipywidgets.Box
        The editor or the panel.
    kind : str
        Its own CSS class (``nbtune-editor``, ``nbtune-panel``: what a browser test finds).
    presentation : bool
        Also :data:`PRESENTATION_CLASS`: larger text, for a projector.

    Examples
    --------
    >>> import ipywidgets as widgets
    >>> box = widgets.VBox()
    >>> sheet = styled(box, "nbtune-demo", presentation=True)
    >>> box._dom_classes, sheet.value == style_sheet()
    (('nbtune-widget', 'nbtune-demo', 'nbtune-presentation'), True)
    """
    import ipywidgets as widgets  # deferred: this module's sizes need no widgets

    for name in (WIDGET_CLASS, kind, *([PRESENTATION_CLASS] if presentation else [])):
        box.add_class(name)
    return widgets.HTML(style_sheet())
