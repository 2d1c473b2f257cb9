"""Hangul in figures: a Korean font for Korean figures, or English labels and one message.

matplotlib's default font, DejaVu Sans, has no Hangul: every syllable would
be drawn as an empty box, with one ``UserWarning: Glyph ... missing from
font(s)`` per character.  When nbtune speaks Korean, the first installed font
of :data:`KOREAN_FAMILIES` (``fonts-nanum`` on Debian, Ubuntu, Colab and
Binder) is added after matplotlib's own fonts, as the font matplotlib falls
back to for a glyph they lack: Hangul comes from it, everything else from the
font the figure had.  Nanum fonts have no U+2212 minus, so with Nanum first a
log axis's tick labels (mathtext, which does not fall back) drew ``10^{-3}``
with a box and logged a warning per tick (seen with matplotlib 3.10); behind
DejaVu Sans they draw as in English, and ``axes.unicode_minus`` can stay on.
nbtune ships no font file.  Where no Korean font is installed, figures keep
their English labels and nbtune says once how to install one.

Examples
--------
>>> from nbtune.language import fonts
>>> fonts.is_hangul("학습률"), fonts.is_hangul("learning rate")
(True, False)
"""

from __future__ import annotations

import functools
import logging
import warnings
from typing import Any

#: Korean fonts, best first: Nanum (Debian's fonts-nanum, what Colab gets), Noto/Source Han
#: (fonts-noto-cjk), then the ones Windows and macOS ship.
KOREAN_FAMILIES = ("NanumGothic", "NanumBarunGothic", "NanumSquare", "Noto Sans CJK KR",
                   "Noto Sans KR", "Source Han Sans KR", "Malgun Gothic", "Apple SD Gothic Neo",
                   "AppleGothic", "UnDotum", "Baekmuk Gulim")
#: parts of font file names that may hold one of them, for fonts installed after matplotlib
#: made its font list (Colab installs fonts-nanum in a running session)
FILE_HINTS = ("nanum", "notosanscjk", "notosanskr", "sourcehansans", "malgun", "applegothic",
              "applesdgothic", "undotum", "baekmuk")
INSTALL_HINT = ("Korean figures need a Korean font, and none is installed: nbtune's figures keep "
                "their English labels. Install one and restart the kernel: on Debian, Ubuntu or "
                "Colab `apt-get install fonts-nanum`; on macOS and Windows one is installed "
                "(AppleGothic, Malgun Gothic); anywhere, Noto Sans CJK KR.")
#: rcParams set for Korean figures, and what they were before (to put back)
_saved: dict[str, Any] | None = None
_told = False


class MissingFontWarning(UserWarning):
    """No Korean font is installed: Korean figures keep English labels (said once)."""


def is_hangul(text: str) -> bool:
    """True when ``text`` holds a Hangul syllable or letter."""
    return any("\uac00" <= char <= "\ud7a3" or "\u1100" <= char <= "\u11ff"
               or "\u3130" <= char <= "\u318f" for char in text)


def korean_font(manager: Any = None) -> str | None:
    """The family name of the first installed font of :data:`KOREAN_FAMILIES`, or None.

    ``manager`` is a matplotlib ``FontManager`` (default: matplotlib's own).
    Fonts installed after matplotlib listed the system's fonts are added to
    its list first, once.
    """
    from matplotlib import font_manager

    manager = manager or font_manager.fontManager
    found = _first_korean(manager)
    if found is None and manager is font_manager.fontManager and _added_new_fonts(manager):
        found = _first_korean(manager)
    return found


def _first_korean(manager: Any) -> str | None:
    installed = {entry.name for entry in manager.ttflist}
    return next((family for family in KOREAN_FAMILIES if family in installed), None)


@functools.cache
def _added_new_fonts(manager: Any) -> bool:
    """Add the system's Korean font files matplotlib's list misses; True when any was added."""
    from matplotlib import font_manager

    listed = {entry.fname for entry in manager.ttflist}
    added = False
    for path in font_manager.findSystemFonts():
        if path not in listed and any(hint in path.lower().replace("-", "").replace("_", "")
                                      for hint in FILE_HINTS):
            try:
                manager.addfont(path)
                added = True
            except (OSError, RuntimeError, ValueError):  # a file FreeType cannot read
                continue
    return added


def figure_language(language: str) -> str:
    """The language figures are labelled in: ``language``, or English when it is Korean and no
    Korean font is installed (then :data:`INSTALL_HINT` is said once, as a MissingFontWarning)."""
    global _told
    if language != "ko" or korean_font() is not None:
        return language
    if not _told:
        _told = True
        warnings.warn(INSTALL_HINT, MissingFontWarning, stacklevel=3)
        # the lesson's own Korean labels would warn once per glyph: one message is enough
        warnings.filterwarnings("ignore", message=r"Glyph \d+ .*missing from font",
                                category=UserWarning)
    return "en"


def use_fonts_for(language: str) -> None:
    """Set matplotlib's fonts for figures in ``language``: for Korean, a Korean font after the
    fonts set now (the one matplotlib falls back to for Hangul); else the fonts as they were
    before Korean was chosen."""
    global _saved
    if language != "ko" and _saved is None:
        return  # nothing to put back: matplotlib need not even be imported
    import matplotlib

    korean = korean_font() if language == "ko" else None
    font_log = logging.getLogger("matplotlib.font_manager")
    if korean is not None:
        if _saved is None:
            _saved = {"font.family": matplotlib.rcParams["font.family"]}
        family = _saved["font.family"]
        family = [family] if isinstance(family, str) else list(family)
        matplotlib.rcParams["font.family"] = [name for name in family if name != korean] + [korean]
        font_log.addFilter(_near_bold)
    elif _saved is not None:
        matplotlib.rcParams.update(_saved)
        _saved = None
        font_log.removeFilter(_near_bold)


def _near_bold(record: logging.LogRecord) -> bool:
    """Drop matplotlib's "Failed to find font weight bold for NanumGothic, now using 600".

    Bold Hangul is drawn all the same: NanumGothicBold.ttf (fonts-nanum 20200506) declares
    weight 600, so matplotlib 3.10 logs that warning the first time a bold title falls back to
    it; with no logging set up, Python prints it as a red stderr box in the notebook.
    """
    message = record.getMessage()
    return not (message.startswith("findfont: Failed to find font weight")
                and any(family in message for family in KOREAN_FAMILIES))
