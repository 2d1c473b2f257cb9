"""What a student reads from the widgets, the progress line and the checks, in Korean.

Each test makes the real object (a SpaceEditor, a SearchPanel, a tiny search on
the digits, a warning, a claim) while nbtune speaks Korean, reads its words, and
makes it again in English after: the English is today's, unchanged.
"""

import io
import math
from unicodedata import east_asian_width

import pandas as pd
import pytest
from conftest import tiny_build

import nbtune
from nbtune.display import SearchProgress
from nbtune.language import gettext, speaking
from nbtune.lessons import claim
from nbtune.search import strategies
from nbtune.search.results import SearchResult
from nbtune.space import Choice, Fixed, Float, Int, SearchSpace
from nbtune.space.edges import EdgeWarning, warn_at_edges
from nbtune.ui.editor import SpaceEditor
from nbtune.ui.panel import SearchPanel
from nbtune.ui.runner import SearchRunner, status_parts

SPACE = SearchSpace(Int("units", 32, 512, step=32), Float("learning_rate", 1e-4, 1e-1, log=True),
                    Choice("activation", ["relu", "tanh"]), Fixed("optimizer", "adam"))


pytestmark = pytest.mark.usefixtures("english")  # conftest.py: English before and after each test


def editor_words(editor: SpaceEditor) -> dict:
    """Every label, button, tooltip and title of an editor a student reads."""
    rows = editor.rows
    return {
        "cv": editor.cv_input.description, "epochs": editor.epochs_input.description,
        "reset": (editor.reset_button.description, editor.reset_button.tooltip),
        "export": (editor.export_button.description, editor.export_button.tooltip),
        "import": (editor.import_button.description, editor.import_button.tooltip),
        "placeholder": editor.json_text.placeholder, "json": editor.json_box.get_title(0),
        "title": editor.children[1].value, "step": rows["units"].step.description,
        "points": rows["learning_rate"].points_box.description,
        "log": rows["learning_rate"].widget.children[1].children[3].value,
        "fixed": rows["optimizer"].widget.children[1].children[1].value,
        "count": rows["activation"].count.value,
    }


def test_the_editor_speaks_korean_then_english_again():
    with speaking("ko"):
        editor = SpaceEditor(SPACE, seconds_per_epoch=0.5, fit_overhead=2.0, max_grid=10,
                             max_minutes=1)
        korean = editor_words(editor)
        summary = editor.summary_text
        editor.rows["activation"].buttons[0].value = False
        editor.rows["activation"].buttons[1].value = False  # no value: the row is invalid
        invalid = (editor.rows["activation"].count.value, editor.summary_text,
                   editor.message.value)
    assert korean == {
        "cv": "교차검증 폴드", "epochs": "에포크",
        "reset": ("처음으로", "처음 탐색 공간으로 되돌리기"),
        "export": ("JSON 내보내기", "편집한 탐색 공간을 아래에 JSON으로 쓰기"),
        "import": ("JSON 가져오기", "아래 JSON에서 탐색 공간 불러오기"),
        "placeholder": "JSON 내보내기를 누르면 편집한 탐색 공간이 여기에 쓰인다. 탐색 공간을 붙여 "
                       "넣고 JSON 가져오기를 누른다",
        "json": "JSON: 편집한 탐색 공간 내보내기 / 가져오기",
        "title": "<b style='font-size: 1.2em'>탐색 공간</b>", "step": "간격", "points": "점 개수",
        "log": "로그", "fixed": "고정", "count": "값 2개",
    }
    assert summary.splitlines()[:3] == [
        "그리드 조합 160개 (units 16 x learning_rate 5 x activation 2 x optimizer 1)",
        "x 폴드 3개 = 학습 480번, 각각 10 에포크: 모두 4,800 에포크",
        "시간: 약 45분 20초 (조합마다 2초 + 에포크마다 0.5초)",
    ]
    assert summary.splitlines()[3].startswith("경고: 수업에는 너무 크다: 조합 160개 > 10. ")
    assert summary.splitlines()[4] == "경고: 수업에는 너무 길다: 약 45분 20초 > 1분"
    assert invalid[0] == "\u26a0 잘못됨" and invalid[1] == "그리드: -- (위의 편집을 먼저 고친다)"
    assert "activation: 고른 값이 없다: 하나 이상 고른다" in invalid[2]

    english = editor_words(SpaceEditor(SPACE))
    assert english["cv"] == "cv folds" and english["reset"] == ("Reset", "back to the original space")
    assert english["title"] == "<b style='font-size: 1.2em'>Search space</b>"
    assert (english["step"], english["points"], english["log"], english["fixed"],
            english["count"]) == ("step", "points", "log", "fixed", "2 values")
    # the editor made in Korean says its summary in the language spoken when it changes
    editor.rows["activation"].buttons[0].value = True
    assert editor.summary_text.startswith("80 grid configurations (units 16 x learning_rate 5")
    assert editor.rows["activation"].count.value == "1 value"


def panel_words(panel: SearchPanel) -> dict:
    """The panel's buttons, boxes and status before a run."""
    return {
        "strategies": panel.strategy_buttons._options_labels,
        "run": panel.run_button.description,
        "stop": (panel.stop_button.description, panel.stop_button.tooltip),
        "boxes": [box.description for box in panel._budget.values()],
        "status": panel.status.value,
    }


def test_the_panel_speaks_korean_then_english_again(cancer):
    space = SearchSpace(Choice("units", [4, 8]))
    with speaking("ko"):
        panel = SearchPanel(tiny_build, space, *cancer.train, epochs=1, cv=2)
        korean = panel_words(panel)
        panel.strategy_buttons.value = "random"
        random_box = panel.trials_input.description
        panel.strategy_buttons.value = "grid"
        panel.run(block=True)
        status = panel.status.value
    assert korean == {
        "strategies": ("그리드", "랜덤", "하이퍼밴드", "베이지안", "반감법"),
        "run": "실행", "stop": ("중지", "지금 시도가 끝나면 탐색 멈추기"),
        "boxes": ["시도", "에포크", "교차검증 폴드", "max_epochs", "factor"],
        "status": "준비됨: 전략과 예산을 고른 뒤 실행을 누른다",
    }
    assert random_box == "조합"
    assert panel.error is None, panel.message.value
    assert status.startswith("<b>grid</b> | 시도 2/2 | 최고 0.")
    assert " 경과 | 최고 조합: units=" in status
    assert panel.plot_output.outputs[0]["data"]["text/plain"] == "<지금까지의 최고 점수 곡선, 시도 2회>"

    english = panel_words(SearchPanel(tiny_build, space, *cancer.train))
    assert english == {
        "strategies": ("Grid", "Random", "Hyperband", "Bayesian", "Halving"),
        "run": "Run", "stop": ("Stop", "end the search after the current trial"),
        "boxes": ["trials", "epochs", "cv folds", "max_epochs", "factor"],
        "status": "ready: choose a strategy and a budget, then press Run",
    }


def test_strategy_labels_are_read_in_the_language_spoken_and_names_stay_keys():
    with speaking("ko"):
        korean = [(s.name, s.label, s.short_label, s.trials_word) for s in strategies.registry()]
    assert korean == [
        ("grid", "그리드 서치", "그리드", "시도"), ("random", "랜덤 서치", "랜덤", "조합"),
        ("hyperband", "하이퍼밴드", "하이퍼밴드", "시도"),
        ("bayesian", "베이지안 최적화", "베이지안", "시도"),
        ("successive_halving", "연속 반감법", "반감법", "시도"),
    ]
    assert strategies.get("hyperband").label == "Hyperband"
    assert [s.label for s in strategies.registry()] == [
        "Grid search", "Random search", "Hyperband", "Bayesian optimisation", "Successive halving"]
    assert strategies.get("random").trials_word == "configurations"


def digits_build(units=8):
    """One hidden layer for the ten digits, quick to train."""
    import keras

    model = keras.Sequential([keras.layers.Dense(units, activation="relu"),
                              keras.layers.Dense(10, activation="softmax")])
    model.compile("adam", "sparse_categorical_crossentropy")
    return model


class StopAfterOne(SearchProgress):
    """The progress line, writing into a buffer, that asks the search to stop after one trial."""

    def should_stop(self):
        return self.done >= 1


def test_a_real_search_prints_its_progress_line_in_korean(digits):
    progress = StopAfterOne(stream=io.StringIO())
    with speaking("ko"):
        result = nbtune.grid_search(digits_build, SearchSpace(Choice("units", [4, 8])),
                                    *digits.train, cv=2, epochs=1, progress=progress)
    printed = progress.stream.getvalue()
    last = printed.strip().split("\r")[-1]
    assert not result.complete and len(result.trials) == 1
    assert last.startswith("grid   [##########..........] 시도 1/2 | 최고 0.")
    assert " 경과, 약 " in last and last.endswith(" 남음 | 멈춤: 끝난 시도 1개를 남겼다")
    assert "trials" not in printed and "elapsed" not in printed
    # the same tally, read in English again
    assert progress.line().startswith("grid   [##########..........] 1/2 trials | best 0.")


def test_the_status_of_a_runner_and_a_line_with_failures_in_korean():
    tally = SearchProgress(enabled=False)
    tally.begin("random", 3)
    tally.trial_done({"score": math.nan, "status": "failed"})
    tally.trial_done({"score": 0.75, "status": "ok"})
    with speaking("ko"):
        parts = status_parts(tally)
        final = status_parts(tally, final=gettext("no successful trial"))
        line = tally.line()
    assert parts[:4] == ["random", "시도 2/3", "실패 1", "최고 0.7500"]
    assert parts[4].endswith(" 경과") and parts[5].startswith("약 ") and parts[5].endswith(" 남음")
    assert final[-1] == "성공한 시도가 없다"
    assert "시도 2/3, 실패 1 | 최고 0.7500 | " in line
    runner = SearchRunner()
    runner.begin("grid", None)
    with speaking("ko"):
        assert runner.status_text().startswith("grid | 시도 0회 | 최고 - | ")
    assert runner.status_text().startswith("grid | 0 trials | best - | ")
    assert status_parts(tally)[1:4] == ["2/3 trials", "1 failed", "best 0.7500"]


def test_the_edge_warning_in_korean_then_english():
    dims = [Int("units", 16, 512), Float("lr", 1e-4, 1e-1, log=True)]
    best = {"units": 512, "lr": 1e-4}
    with speaking("ko"):
        with pytest.warns(EdgeWarning) as caught:
            warn_at_edges(gettext("{strategy} search's best").format(strategy="grid"), dims, best)
    assert [str(w.message) for w in caught] == [
        "grid 탐색의 최고 값 units=512: Int('units', 16, 512)의 위쪽 끝에 있다. 최고는 그보다 위에 "
        "있을 수 있다. 범위를 좁히거나 승자를 믿기 전에 그쪽으로 범위를 넓힌다 (Tuning Playbook의 "
        "경계 규칙).",
        "grid 탐색의 최고 값 lr=0.0001: Float('lr', 0.0001, 0.1, log=True)의 아래쪽 끝에 있다. "
        "최고는 그보다 아래에 있을 수 있다. 범위를 좁히거나 승자를 믿기 전에 그쪽으로 범위를 넓힌다 "
        "(Tuning Playbook의 경계 규칙).",
    ]
    with pytest.warns(EdgeWarning) as caught:
        warn_at_edges(gettext("{strategy} search's best").format(strategy="grid"), dims, best)
    assert str(caught[0].message) == (
        "grid search's best units=512 sits at the high edge of Int('units', 16, 512): the best "
        "may lie above it. Widen the range there before narrowing it or trusting the winner "
        "(the Tuning Playbook's boundary rule).")
    assert str(caught[1].message).startswith("grid search's best lr=0.0001 sits at the low edge")


def test_claim_prints_its_check_in_korean_then_english(capsys):
    with speaking("ko"):
        claim("랜덤 서치가 그리드 서치를 이긴다", True)
        claim("하이퍼밴드가 이긴다", False, check=False)
    claim("random search beats the grid", True)
    assert capsys.readouterr().out.splitlines() == [
        "확인함: 랜덤 서치가 그리드 서치를 이긴다",
        "이 예산에서는 확인하지 않음: 하이퍼밴드가 이긴다",
        "checked: random search beats the grid",
    ]


def a_result(complete: bool = True) -> SearchResult:
    return SearchResult(pd.DataFrame({
        "strategy": ["grid", "grid", "random"], "units": [32, 64, 48],
        "score": [0.91, 0.95, 0.93], "seconds": [1.0, 2.0, 1.5], "epochs_spent": [30, 30, 30],
    }), complete=complete, test_scores={"grid": 0.9, "random": 0.92})


def test_the_summary_is_shown_with_korean_headings_and_keeps_its_keys(tmp_path):
    summary = a_result().summary()
    keys = ["trials", "failed", "best_score", "best_params", "epochs_spent", "seconds",
            "test_score"]
    with speaking("ko"), pd.option_context("display.max_columns", None, "display.width", 300):
        text, page = repr(summary), summary._repr_html_()
        stopped = a_result(complete=False)._repr_html_()
        summary.to_csv(tmp_path / "summary.csv")
        assert list(summary.columns) == keys and summary.loc["grid", "best_score"] == 0.95
    headings = ["전략", "시도", "실패", "최고 점수", "최고 조합", "사용한 에포크", "시간(초)", "테스트 점수"]
    assert all(heading in text and f"<th>{heading}</th>" in page for heading in headings)
    assert "best_score" not in text and "best_score" not in page
    assert "<b>(일찍 멈춤: 모든 시도를 실행하지는 않았다)</b>" in stopped and "최고 점수" in stopped
    assert pd.read_csv(tmp_path / "summary.csv").columns[0] == "strategy"  # a file keeps the keys
    # what the lesson adds to it and what it selects stay summaries, shown in Korean
    summary["wall_seconds"] = pd.Series({"grid": 5.0, "random": 4.0})
    with speaking("ko"):
        chosen = repr(summary[["best_score", "wall_seconds"]])
    assert "최고 점수" in chosen and "wall_seconds" in chosen

    # English: the headings are the keys, shown exactly as pandas shows them
    english = a_result().summary()
    assert repr(english) == repr(pd.DataFrame(english))
    assert english._repr_html_() == pd.DataFrame(english)._repr_html_()
    assert a_result(complete=False)._repr_html_() == (
        "<p>SearchResult <b>(stopped early: not every trial ran)</b></p>"
        + pd.DataFrame(english).to_html())


def test_a_korean_summary_lines_up_in_a_terminal():
    """Hangul takes two columns of a terminal: the shown summary's columns still line up."""
    with speaking("ko"):
        lines = repr(a_result().summary()[["trials", "best_score"]]).splitlines()

    def width(text):
        return sum(2 if east_asian_width(c) in "WF" else 1 for c in text)

    assert lines[1].startswith("전략") and len({width(line) for line in lines}) == 1
