"""The ui wing: what a student clicks in a notebook.

* :mod:`nbtune.ui.editor`: :class:`SpaceEditor`, sliders that edit a search
  space, with a live cost estimate;
* :mod:`nbtune.ui.panel`: :class:`SearchPanel`, a search run from buttons,
  with progress, Stop and the comparison plots;
* :mod:`nbtune.ui.runner`: the headless runner under the panel (a search on a
  background thread that a view watches);
* :mod:`nbtune.ui.style`: the widgets' shared look (sizes readable on a
  projector).

It imports the search and plots wings, never the lessons. Importing it does not
import ipywidgets: the classes do, when made.

Examples
--------
>>> from nbtune.ui.style import styled
>>> callable(styled)
True
"""
