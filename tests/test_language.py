"""nbtune.language: which language is spoken, the compiled catalogue, Korean fonts.

The messages themselves are tested where they are shown (test_language_plots,
test_language_ui, test_language_errors).
"""

import contextlib
import logging
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib
import pytest

import nbtune
from nbtune import language
from nbtune.language import catalogue, fonts

ROOT = Path(__file__).parent.parent


pytestmark = pytest.mark.usefixtures("english")  # conftest.py: English before and after each test


def a_message() -> str:
    """A message of the catalogue that has a Korean translation."""
    translated = catalogue.translations("ko")._catalog  # gettext's parsed .mo, to pick one
    return next(key for key in translated if isinstance(key, str) and key)


def test_the_explicit_choice_wins_then_the_variable_then_the_locale(monkeypatch):
    assert language.current_language() == "en"
    monkeypatch.setenv("LANG", "ko_KR.UTF-8")
    assert language.current_language() == "ko"
    monkeypatch.setenv("NBTUNE_LANG", "en")
    assert language.current_language() == "en"
    nbtune.set_language("ko")
    assert language.current_language() == "ko"
    monkeypatch.setenv("NBTUNE_LANG", "ko")
    nbtune.set_language("en")
    assert language.current_language() == "en"
    nbtune.set_language(None)
    assert language.current_language() == "ko"


def test_the_locale_is_read_as_gettext_reads_it(monkeypatch):
    monkeypatch.setenv("LANGUAGE", "fr:ko")  # LANGUAGE is a list: the first nbtune speaks
    assert catalogue.locale_language() == "ko"
    monkeypatch.setenv("LANGUAGE", "fr_FR")
    assert catalogue.locale_language() == "en"  # a language nbtune does not speak: English
    monkeypatch.delenv("LANGUAGE")
    monkeypatch.setenv("LC_ALL", "ko_KR.UTF-8")
    assert catalogue.locale_language() == "ko"


@pytest.mark.parametrize("wrong", ["kr", "KO", "korean", "", 1, ["ko"]])
def test_a_language_nbtune_does_not_speak_is_refused_with_the_fix(wrong):
    with pytest.raises(ValueError, match=r"code=.* is not a language nbtune speaks; use one of "
                                         r"\('en', 'ko'\), e\.g\. nbtune\.set_language"):
        nbtune.set_language(wrong)
    assert language.current_language() == "en"


def test_a_wrong_variable_is_refused_when_read(monkeypatch):
    monkeypatch.setenv("NBTUNE_LANG", "jp")
    with pytest.raises(ValueError, match="NBTUNE_LANG='jp' is not a language nbtune speaks"):
        language.gettext("anything")
    monkeypatch.delenv("NBTUNE_LANG")


def test_speaking_puts_back_the_language_before_it():
    nbtune.set_language("ko")
    with language.speaking("en"):
        assert language.current_language() == "en"
    assert language.current_language() == "ko"
    with pytest.raises(RuntimeError), language.speaking("en"):
        raise RuntimeError("inside")
    assert language.current_language() == "ko"


def test_korean_is_read_from_the_compiled_catalogue_and_english_is_the_message():
    message = a_message()
    with language.speaking("ko"):
        korean = language.gettext(message)
    assert korean != message and fonts.is_hangul(korean)
    assert language.gettext(message) == message
    assert language.gettext("a message nobody wrote") == "a message nobody wrote"


def test_the_catalogue_covers_every_message_and_is_compiled():
    """scripts/messages.py --check: every message translated, the same {fields}, the .mo current."""
    check = subprocess.run([sys.executable, str(ROOT / "scripts" / "messages.py"), "--check"],
                           capture_output=True, text=True)
    assert check.returncode == 0, check.stderr[-3000:]


def test_the_catalogue_check_finds_a_missing_a_leftover_and_a_changed_field():
    sys.path.insert(0, str(ROOT / "scripts"))
    try:
        import messages
    finally:
        sys.path.remove(str(ROOT / "scripts"))
    from babel.messages.catalog import Catalog

    template, catalog = Catalog(), Catalog(locale="ko")
    for message_id in ("{a} wins", "trials", "seconds"):
        template.add(message_id)
    catalog.add("{a} wins", "{b} 승")
    catalog.add("trials", "시도")
    catalog.add("gone", "사라짐")
    found = messages.problems(catalog, template)
    assert found == ["fields differ: '{a} wins' -> '{b} 승'", "untranslated: 'seconds'",
                     "not in the code any more: 'gone'"]


def test_the_wheel_ships_the_compiled_catalogue():
    import tomllib

    data = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]["package-data"]
    assert "locale/*/LC_MESSAGES/nbtune.mo" in data["nbtune.language"]
    assert (ROOT / "nbtune" / "language" / "locale" / "ko" / "LC_MESSAGES" / "nbtune.mo").exists()


def test_korean_figures_use_a_korean_font_and_english_ones_what_was_there():
    family = fonts.korean_font()
    if family is None:
        pytest.skip("no Korean font here (CI installs fonts-nanum)")
    before = list(matplotlib.rcParams["font.family"])
    nbtune.set_language("ko")
    assert matplotlib.rcParams["font.family"] == [*before, family]  # the fallback for Hangul
    nbtune.set_language("ko")  # twice is once
    assert matplotlib.rcParams["font.family"] == [*before, family]
    import matplotlib.pyplot as plt

    figure, ax = plt.subplots()
    with warnings.catch_warnings(), assert_no_log("matplotlib"):
        warnings.simplefilter("error")  # a missing glyph would be a UserWarning
        ax.plot([1e-4, 1e-1], [-1, 1])
        ax.set_xscale("log")  # tick labels 10^{-4}: mathtext, with a minus
        ax.set_title("학습률에 따른 검증 정확도 −0.5")
        figure.canvas.draw()
    plt.close(figure)
    nbtune.set_language("en")
    assert matplotlib.rcParams["font.family"] == before


@contextlib.contextmanager
def assert_no_log(name: str):
    """Fail if the logger ``name`` (or a child) logs a warning inside the block."""
    records = []
    handler = logging.Handler(level=logging.WARNING)
    handler.emit = records.append
    logger = logging.getLogger(name)
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
    assert [r.getMessage() for r in records] == []


def test_without_a_korean_font_figures_keep_english_and_say_so_once(monkeypatch):
    """A machine with no Korean font: fonts.korean_font finds none among matplotlib's fonts."""
    from matplotlib import font_manager

    no_korean = font_manager.FontManager.__new__(font_manager.FontManager)
    no_korean.ttflist = [entry for entry in font_manager.fontManager.ttflist
                         if entry.name not in fonts.KOREAN_FAMILIES]
    assert fonts.korean_font(no_korean) is None
    monkeypatch.setattr(fonts, "korean_font", lambda manager=None: None)
    monkeypatch.setattr(fonts, "_told", False)
    message = a_message()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        nbtune.set_language("ko")  # says it here, at the set-up cell
        assert language.gettext_for_figures(message) == message  # English labels
        assert language.gettext_for_figures(message) == message
    assert [w.category for w in caught] == [fonts.MissingFontWarning]
    assert "apt-get install fonts-nanum" in str(caught[0].message)
    assert fonts.is_hangul(language.gettext(message))  # the rest still speaks Korean


def test_hangul_is_recognised():
    assert fonts.is_hangul("0.63을") and fonts.is_hangul("ㄱ") and not fonts.is_hangul("0.63 s")
