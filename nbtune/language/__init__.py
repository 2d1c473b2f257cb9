"""nbtune's words in the student's language: English, or Korean (한국어).

Everything a student reads from the library (plot titles, axis labels and
legends, widget labels, progress lines, verdicts, the common errors) goes
through one gettext catalogue, ``nbtune/language/locale/<code>/LC_MESSAGES/nbtune.mo``.
The English text is the message id, so English needs no catalogue.

Which language: :func:`set_language` wins; else the ``NBTUNE_LANG``
environment variable; else the system locale (``LANGUAGE``, ``LC_ALL``,
``LC_MESSAGES``, ``LANG``, as gettext reads them); else English.

Examples
--------
>>> from nbtune import language
>>> with language.speaking("ko"):
...     language.gettext("validation accuracy")
'검증 정확도'
>>> language.gettext("validation accuracy")
'validation accuracy'
"""

from nbtune.language.catalogue import (
    LANGUAGES,
    current_language,
    gettext,
    gettext_for_figures,
    mark,
    ngettext,
    ngettext_for_figures,
    prepare_figures,
    set_language,
    speaking,
)

__all__ = ["LANGUAGES", "current_language", "gettext", "gettext_for_figures", "mark", "ngettext",
           "ngettext_for_figures", "prepare_figures", "set_language", "speaking"]
