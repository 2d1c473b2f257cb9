"""The message catalogue: which language is spoken, and a message in it.

Python's own :mod:`gettext` reads the compiled catalogue shipped in the wheel;
``scripts/messages.py`` (Babel) extracts the messages from the source, keeps
``ko/LC_MESSAGES/nbtune.po`` in step with them and compiles it.

A message is written in English, with named fields so that a translation may
put them in its own order: ``gettext("{a} wins").format(a=name)``.  A message
defined before any language is chosen (a module-level table) is marked with
:func:`mark` and translated where it is shown.
"""

from __future__ import annotations

import contextlib
import functools
import gettext as gnu_gettext
import os
from collections.abc import Iterator
from pathlib import Path

from nbtune.language import fonts

#: the languages nbtune speaks; English is the source text
LANGUAGES = ("en", "ko")
DOMAIN = "nbtune"
LOCALE_DIR = Path(__file__).parent / "locale"
#: the environment variable that picks the language when :func:`set_language` has not
ENVIRONMENT_VARIABLE = "NBTUNE_LANG"

_chosen: str | None = None  # set_language's choice; None: the environment decides


def check_language(code: object, argument: str = "language") -> str:
    """``code`` as one of :data:`LANGUAGES`, or a ValueError that names the fix.

    Examples
    --------
    >>> check_language("ko")
    'ko'
    >>> check_language("kr")
    Traceback (most recent call last):
    ...
    ValueError: language='kr' is not a language nbtune speaks; use one of ('en', 'ko'), e.g. nbtune.set_language("ko") for Korean
    """
    if not isinstance(code, str) or code not in LANGUAGES:
        raise ValueError(f"{argument}={code!r} is not a language nbtune speaks; use one of "
                         f"{LANGUAGES}, e.g. nbtune.set_language(\"ko\") for Korean")
    return code


def set_language(code: str | None) -> None:
    """Speak ``code`` from now on: ``"en"`` (English) or ``"ko"`` (Korean); None: as the environment says.

    Plots drawn, widgets made, progress printed and errors raised after the
    call use the language.  An explicit call wins over the ``NBTUNE_LANG``
    environment variable, which wins over the system locale.  Korean figures
    need a Korean font (``fonts-nanum`` on Debian, Ubuntu and Colab); without
    one, figures keep English labels and nbtune says once how to install one.

    Parameters
    ----------
    code : {"en", "ko"} or None

    Examples
    --------
    >>> import nbtune
    >>> nbtune.set_language("ko")
    >>> nbtune.language.current_language()
    'ko'
    >>> nbtune.set_language("en")
    """
    global _chosen
    _chosen = None if code is None else check_language(code, "code")
    prepare_figures()


def current_language() -> str:
    """The language spoken now: :func:`set_language`'s, else ``NBTUNE_LANG``'s, else the locale's.

    An ``NBTUNE_LANG`` that names no language nbtune speaks is an error (it
    was set on purpose); a locale nbtune does not speak means English.
    """
    if _chosen is not None:
        return _chosen
    variable = os.environ.get(ENVIRONMENT_VARIABLE)
    if variable:
        return check_language(variable, ENVIRONMENT_VARIABLE)
    return locale_language()


def locale_language() -> str:
    """The first language of the system locale that nbtune speaks, as gettext reads it; else "en"."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            for part in value.split(":"):
                code = part.split("_")[0].split(".")[0].lower()
                if code in LANGUAGES:
                    return code
            return "en"
    return "en"


@contextlib.contextmanager
def speaking(code: str) -> Iterator[None]:
    """Speak ``code`` inside the block, then the language spoken before it.

    Examples
    --------
    >>> with speaking("ko"):
    ...     gettext("trials")
    '시도'
    """
    global _chosen
    code = check_language(code, "code")
    before = _chosen
    _chosen = code
    try:
        yield
    finally:
        _chosen = before


@functools.cache
def translations(code: str) -> gnu_gettext.NullTranslations:
    """The compiled catalogue of ``code`` (English: the messages as written)."""
    if code == "en":
        return gnu_gettext.NullTranslations()
    return gnu_gettext.translation(DOMAIN, LOCALE_DIR, languages=[code])


def gettext(message: str) -> str:
    """``message`` in the language spoken now (itself in English or when not translated).

    Examples
    --------
    >>> gettext("validation accuracy")
    'validation accuracy'
    """
    return translations(current_language()).gettext(message)


def gettext_for_figures(message: str) -> str:
    """``message`` in the language figures speak: the language spoken now, or English when it is
    Korean and no Korean font is installed (:func:`nbtune.language.fonts.figure_language`).

    Examples
    --------
    >>> gettext_for_figures("validation accuracy")
    'validation accuracy'
    """
    return translations(fonts.figure_language(current_language())).gettext(message)


def ngettext_for_figures(singular: str, plural: str, count: int) -> str:
    """:func:`ngettext` in the language figures speak (:func:`gettext_for_figures`).

    Examples
    --------
    >>> ngettext_for_figures("{count} trial", "{count} trials", 1).format(count=1)
    '1 trial'
    """
    return translations(fonts.figure_language(current_language())).ngettext(singular, plural, count)


def prepare_figures() -> str:
    """Make matplotlib ready to draw in the language spoken now; return the language figures
    speak (English when it is Korean and no Korean font is installed).

    :func:`set_language` does this itself; nbtune's plots call it before they
    make a figure, for a language chosen by ``NBTUNE_LANG`` or the locale.

    Examples
    --------
    >>> prepare_figures()
    'en'
    """
    code = fonts.figure_language(current_language())
    fonts.use_fonts_for(code)
    return code


def ngettext(singular: str, plural: str, count: int) -> str:
    """The singular or plural of a message for ``count``, in the language spoken now.

    Examples
    --------
    >>> ngettext("{count} trial", "{count} trials", 3).format(count=3)
    '3 trials'
    """
    return translations(current_language()).ngettext(singular, plural, count)


def mark(message: str) -> str:
    """``message`` itself: marks a message for the catalogue where it cannot be translated yet.

    A table made when a module is imported holds English; the code that shows
    an entry passes it through :func:`gettext` then.

    Examples
    --------
    >>> LABELS = {"grid": mark("grid search")}
    >>> gettext(LABELS["grid"])
    'grid search'
    """
    return message
