"""The look the widgets share: presentation mode for a projector.

``SpaceEditor(presentation=True)`` and ``SearchPanel(presentation=True)`` add
:data:`PRESENTATION_CLASS` to themselves and put :data:`PRESENTATION_CSS` in
front of their controls, so labels, readouts, inputs and buttons read at 20 px
from the back of a room.

Examples
--------
>>> from nbtune.ui_style import PRESENTATION_CLASS, PRESENTATION_CSS
>>> PRESENTATION_CLASS in PRESENTATION_CSS and "font-size: 20px" in PRESENTATION_CSS
True
"""

from __future__ import annotations

__all__ = ["PRESENTATION_CLASS", "PRESENTATION_CSS"]

#: The CSS class a widget adds to itself in presentation mode.
PRESENTATION_CLASS = "nbtune-presentation"

#: The style sheet (an HTML ``<style>`` element) of presentation mode.
PRESENTATION_CSS = f"""<style>
.{PRESENTATION_CLASS}, .{PRESENTATION_CLASS} .widget-label,
.{PRESENTATION_CLASS} .widget-readout, .{PRESENTATION_CLASS} input,
.{PRESENTATION_CLASS} button, .{PRESENTATION_CLASS} textarea,
.{PRESENTATION_CLASS} .widget-html-content, .{PRESENTATION_CLASS} .widget-label-basic
{{ font-size: 20px !important; line-height: 1.5 !important; }}
.{PRESENTATION_CLASS} .widget-inline-hbox {{ min-height: 40px; }}
</style>"""
