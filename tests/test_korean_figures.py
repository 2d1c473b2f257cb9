"""Every figure nbtune draws, drawn in Korean: Hangul labels, drawn in a Korean font, inside the
figure, for a screen and a projector.

The same figures as tests/test_plots.py (its ``DRAWN`` table and fixtures), under
``speaking("ko")`` with the Korean font set as ``set_language("ko")`` sets it.
"""

import logging
import warnings

import matplotlib.pyplot as plt
import pytest
from test_plots import DRAWN, cut_off, drawn_figure, real, runs, shown_texts  # noqa: F401 (fixtures)

import nbtune
from nbtune.language import fonts, speaking


@pytest.fixture(autouse=True)
def korean():
    if fonts.korean_font() is None:
        pytest.skip("no Korean font here (CI installs fonts-nanum)")
    nbtune.set_language("ko")
    yield
    nbtune.set_language(None)
    plt.close("all")


class Collected(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@pytest.mark.parametrize("presentation", [False, True], ids=["screen", "projector"])
@pytest.mark.parametrize("name", sorted(DRAWN))
def test_the_korean_figure_speaks_korean_inside_its_edges(name, presentation, real, runs):  # noqa: F811
    logged = Collected()
    logging.getLogger("matplotlib").addHandler(logged)
    try:
        with warnings.catch_warnings(), speaking("ko"):
            warnings.simplefilter("error")  # a glyph missing from every font would warn
            figure = drawn_figure(name, real, runs, presentation)
    finally:
        logging.getLogger("matplotlib").removeHandler(logged)
    assert logged.messages == []  # no "does not have a glyph" from mathtext either
    texts = [t.get_text() for t in shown_texts(figure)]
    assert any(fonts.is_hangul(text) for text in texts), texts
    assert not cut_off(figure)


def test_a_korean_title_is_wrapped_at_its_measured_width():
    """Hangul is about twice as wide as a Latin letter: the title is broken to fit its Axes."""
    from nbtune.plots.text import text_inches, wrap

    title = "하이퍼밴드의 시도 점수: 라운드마다 살아남은 조합과 그 점수 (검증 정확도)"
    assert text_inches("가나다라", 12) > 1.3 * text_inches("abcd", 12)  # about 0.9 em against 0.6
    lines = wrap(title, 4.0, 16).splitlines()
    assert len(lines) > 1 and all(text_inches(line, 16) <= 4.0 for line in lines)
