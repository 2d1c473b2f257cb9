"""nbtune.plots in Korean: every title, axis label, legend and note of a real figure, and the verdicts.

Each draw function nbtune ships is drawn on small data, in English and under
``speaking("ko")``: in English its words are today's (the text the figures had
before they were translated), in Korean they are the catalogue's, and English
comes back after the block.  A strategy's or hyperparameter's name is code and
stays as it is in both.  Line breaks are left out of the comparisons: where a
title is broken depends on its width, which is the wrapping's business.
"""

import dataclasses

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from matplotlib.figure import Figure  # noqa: E402
from matplotlib.text import Text  # noqa: E402

import nbtune  # noqa: E402
from nbtune import plots  # noqa: E402
from nbtune.analysis import isolation  # noqa: E402
from nbtune.language import current_language, set_language, speaking  # noqa: E402
from nbtune.plots.style import score_label  # noqa: E402
from nbtune.plots.tables import axis_label  # noqa: E402

# a figure drawn before a Korean font is set up warns of each missing glyph; the words are what is tested
pytestmark = pytest.mark.filterwarnings("ignore:Glyph .* missing from font")


@pytest.fixture(autouse=True)
def english_after():
    yield
    plt.close("all")
    set_language(None)


# ------------------------------------------------------------------ small data
def mixed() -> nbtune.SearchResult:
    """Two strategies, a failed trial, a trial far below the others, test scores."""
    return nbtune.SearchResult(pd.DataFrame({
        "strategy": ["grid"] * 5 + ["random"] * 2,
        "trial": [0, 2, 1, 3, 4, 0, 1],
        "units": [8, 32, 16, 64, 128, 8, 24],
        "learning_rate": [1e-3, 1e-1, 1e-2, 1e-3, 1e-4, 3e-3, 3e-2],
        "activation": ["relu", "tanh", "relu", "tanh", "relu", "relu", "tanh"],
        "score": [0.80, 0.95, np.nan, 0.90, 0.10, 0.85, 0.85],
        "status": ["ok", "ok", "failed", "ok", "ok", "ok", "ok"],
        "train_epochs": [3, 3, 3, 3, 1, 3, 3],
        "epochs_spent": [3, 3, 1, 3, 1, 2, 2],
        "seconds": [1.0, 2.0, 0.5, 1.5, 0.2, 1.0, 1.0]}), scoring="accuracy", test_scores={"grid": 0.9})


def hyperband() -> nbtune.SearchResult:
    """Two brackets, one promotion."""
    return nbtune.SearchResult(pd.DataFrame({
        "strategy": "hyperband", "units": [8, 16, 8, 64], "score": [0.8, 0.7, 0.9, 0.85],
        "train_epochs": [1, 1, 3, 3], "bracket": [1, 1, 1, 0], "round": [0, 0, 1, 0]}))


def replayed(counts: tuple[int, int] = (3, 3)) -> nbtune.SearchResult:
    """Runs of random and grid search, as a replay returns them (a ``repeat`` column)."""
    rng = np.random.default_rng(0)
    rows = [{"strategy": strategy, "units": 8 * (trial + 1), "score": float(rng.uniform(0.8, 0.95)),
             "repeat": repeat, "trial": trial, "epochs_spent": 3, "seconds": 1.0}
            for strategy, runs in zip(("random", "grid"), counts)
            for repeat in range(runs) for trial in range(3)]
    return nbtune.SearchResult(pd.DataFrame(rows))


def shares(method: str | None) -> pd.DataFrame:
    table = pd.DataFrame({"parameter": ["learning_rate", "units", "learning_rate × units"],
                          "kind": ["main", "main", "pair"], "share": [0.5, 0.2, 0.1]})
    table.attrs = {"method": method}
    return table


def study() -> pd.DataFrame:
    trials = pd.DataFrame([(b, lr) for b in (16, 32) for lr in (1e-3, 1e-2, 1e-1)],
                          columns=["batch_size", "learning_rate"])
    trials["units"] = 64
    trials["score"] = [0.9, 0.95, 0.5, 0.91, 0.93, 0.6]
    return isolation(trials, "batch_size", "learning_rate", fixed={"units": 64})


def rates() -> pd.DataFrame:
    table = pd.DataFrame({"learning_rate": [1e-4, 1e-3, 1e-2], "loss": [2.3, 1.0, 3.0],
                          "smoothed_loss": [2.3, 1.5, 2.0]})
    table.attrs = {"suggested": 1e-4, "at_minimum": 1e-3}
    return table


CV = {"params": [{"batch_size": 10, "epochs": 5}, {"batch_size": 20, "epochs": 5}],
      "mean_test_score": [0.91, 0.94], "std_test_score": [0.02, 0.01]}
CV_PLAIN = {"params": [{"units": 8}, {"units": 16}], "mean_test_score": [0.91, np.nan]}
SPREAD = pd.DataFrame({"trials": [1, 1, 2, 2], "true_score": [0.5, 0.7, 0.9, 0.9]})


def no_seconds() -> nbtune.SearchResult:
    return nbtune.SearchResult(pd.DataFrame({"strategy": ["grid", "grid", "random"], "units": [8, 16, 8],
                                             "score": [0.9, 0.95, 0.93], "epochs_spent": [3, 3, 3]}))


# ------------------------------------------------------------------ every figure, in both languages
#: (draw, [(today's English, its Korean), ...]) for each draw function and each of its variants
FIGURES = {
    "trial_scores": (lambda: plots.plot_trial_scores(mixed()), [
        ("Validation accuracy of every trial, by strategy", "전략별 모든 시도의 검증 정확도"),
        ("validation accuracy", "검증 정확도"),
        ("grid\n5 trials", "grid\n시도 5회"),
        ("random\n2 trials", "random\n시도 2회"),
        ("trial", "시도"),
        ("best of its strategy", "전략별 최고"),
        ("test score of the best", "최고 조합의 테스트 점수"),
        ("1 below 0.788\n(drawn on the edge)", "0.788 아래 1개\n(아래쪽 가장자리에 표시)"),
        ("failed (no score)", "실패 (점수 없음)"),
    ]),
    "best_so_far_trials": (lambda: plots.plot_best_so_far(mixed(), x="trials"), [
        ("Best so far against trials run", "시도 수에 따른 지금까지의 최고 점수"),
        ("trials run", "실행한 시도 수"),
        ("best validation accuracy so far", "지금까지의 최고 검증 정확도"),
        ("grid: best 0.950", "grid: 최고 0.950"),
        ("failed trial (cost, no score)", "실패한 시도 (비용은 들고 점수는 없음)"),
    ]),
    "best_so_far_epochs": (lambda: plots.plot_best_so_far(mixed(), x="epochs"), [
        ("Best so far against epochs trained", "학습한 에포크에 따른 지금까지의 최고 점수"),
        ("epochs trained (all trials)", "학습한 에포크 (모든 시도)"),
    ]),
    "best_so_far_seconds": (lambda: plots.plot_best_so_far(mixed(), x="seconds"), [
        ("Best so far against seconds spent", "쓴 시간(초)에 따른 지금까지의 최고 점수"),
        ("seconds of training (the trials' own, not wall time)",
         "학습 시간(초) (시도 자신의 시간, 실제 경과 시간이 아님)"),
    ]),
    "score_by_param": (lambda: plots.plot_score_by_param(mixed(), "learning_rate"), [
        ("Validation accuracy against learning_rate", "learning_rate에 따른 검증 정확도"),
        ("learning_rate (log scale)", "learning_rate (로그 스케일)"),
        ("grid (5 trials)", "grid (시도 5회)"),
        ("failed (no score)", "실패 (점수 없음)"),
    ]),
    "sampled_points": (lambda: plots.plot_sampled_points(mixed(), "learning_rate", "activation"), [
        ("Where each strategy sampled learning_rate × activation",
         "각 전략이 learning_rate × activation에서 샘플링한 곳"),
        ("learning_rate (log scale)", "learning_rate (로그 스케일)"),
        ("random (2 trials)", "random (시도 2회)"),
        ("trained 1 epoch", "1 에포크 학습"),
        ("trained 3 epochs", "3 에포크 학습"),
        ("failed", "실패"),
    ]),
    "hyperband_rounds": (lambda: plots.plot_hyperband_rounds(hyperband()), [
        ("Hyperband: 4 trials in 2 brackets, 1 promoted", "하이퍼밴드: 브래킷 2개에서 시도 4회, 승격 1회"),
        ("promoted: same\nconfiguration,\ntrained longer", "승격: 같은 조합을\n더 오래 학습"),
        ("best", "최고"),
        ("bracket 1", "브래킷 1"),
        ("validation score", "검증 점수"),
    ]),
    "cv_results": (lambda: plots.plot_cv_results(CV), [
        ("Cross-validation: mean ± std of each configuration\n(epochs=5 in all)",
         "교차검증: 조합별 평균 ± 표준편차\n(모든 조합에서 epochs=5)"),
        ("mean score over the CV folds (bar: ± 1 std)", "CV 폴드의 평균 점수 (막대: ± 1 표준편차)"),
        ("best", "최고"),
    ]),
    "cv_results_plain": (lambda: plots.plot_cv_results(CV_PLAIN), [
        ("Score of each configuration", "조합별 점수"),
        ("validation score", "검증 점수"),
        ("failed", "실패"),
    ]),
    "cv_results_accuracy": (lambda: plots.plot_cv_results(mixed()), [
        ("validation accuracy", "검증 정확도"),
    ]),
    "hyperband_schedule": (lambda: plots.plot_hyperband_schedule(10, 3), [
        ("Hyperband(max_epochs=10, factor=3): 30 trials, 120 epochs in all\n"
         "each bar is a round; its number: models trained in it",
         "Hyperband(max_epochs=10, factor=3): 모두 합쳐 시도 30회, 120 에포크\n"
         "막대 하나는 라운드 하나, 숫자는 그 라운드에서 학습한 모델 수"),
        ("epochs a model has been trained for (none beyond max_epochs=10)",
         "모델이 학습한 에포크 (어떤 모델도 max_epochs=10보다 오래 학습하지 않는다)"),
        ("bracket 2\n44 epochs", "브래킷 2\n44 에포크"),
    ]),
    "hyperband_schedule_repeated": (lambda: plots.plot_hyperband_schedule(10, 3, 2), [
        ("epochs a model has been trained for (none beyond max_epochs=10); the brackets run 2 times",
         "모델이 학습한 에포크 (어떤 모델도 max_epochs=10보다 오래 학습하지 않는다); 브래킷을 2번 반복한다"),
    ]),
    "comparison": (lambda: plots.plot_comparison(mixed()), [
        ("Comparing grid, random:\nwhat each found, and what it cost",
         "grid, random 비교:\n각 전략이 찾은 것과 그 비용"),
        ("Best so far vs trials", "지금까지의 최고: 시도 수"),
        ("Best so far vs epochs", "지금까지의 최고: 에포크"),
        ("Best so far vs seconds", "지금까지의 최고: 시간(초)"),
        ("Validation accuracy of every trial, by strategy", "전략별 모든 시도의 검증 정확도"),
    ]),
    "comparison_without_seconds": (lambda: plots.plot_comparison(no_seconds()), [
        ("no seconds recorded", "기록된 시간(초) 없음"),
    ]),
    "best_so_far_bands": (lambda: plots.plot_best_so_far_bands(replayed(), x="epochs"), [
        ("Best so far: the median of 3 runs (line) and their middle half (band)",
         "지금까지의 최고 점수: 실행 3회의 중앙값(선)과 가운데 절반(띠)"),
        ("best validation score so far", "지금까지의 최고 검증 점수"),
    ]),
    "best_so_far_bands_unlike": (lambda: plots.plot_best_so_far_bands(replayed((3, 2))), [
        ("Best so far: the median (line) and their middle half (band)",
         "지금까지의 최고 점수: 중앙값(선)과 가운데 절반(띠)"),
        ("random (3 runs)", "random (실행 3회)"),
    ]),
    "regret": (lambda: plots.plot_regret(replayed(), 0.96, images=100), [
        ("How far each run's choice is below the table's true best",
         "각 실행이 고른 조합은 표의 참 최고 점수보다 얼마나 낮은가"),
        ("regret (validation images)", "후회 (검증 이미지 수)"),
    ]),
    "regret_in_score": (lambda: plots.plot_regret(replayed(), 0.96), [
        ("regret (score)", "후회 (점수)"),
    ]),
    "win_probability": (lambda: plots.plot_win_probability(replayed()), [
        ("P(row beats column) after the whole budget", "예산을 모두 쓴 뒤 P(행 전략이 열 전략을 이김)"),
        ("versus", "상대 전략"),
        ("strategy", "전략"),
    ]),
    "win_probability_at": (lambda: plots.plot_win_probability(replayed(), x="trials", at=2), [
        ("P(row beats column) after 2 trials", "시도 2회 뒤 P(행 전략이 열 전략을 이김)"),
    ]),
    "importance": (lambda: plots.plot_importance(shares("grid")), [
        ("Share of the score's variance (exact, over the full grid)",
         "점수 분산에서 차지하는 몫 (전체 그리드에서 정확히 계산)"),
        ("share of the variance of the score", "점수 분산에서 차지하는 몫"),
        ("alone (main effect)", "단독 (주 효과)"),
        ("pair (interaction)", "쌍 (상호작용)"),
    ]),
    "importance_forest": (lambda: plots.plot_importance(shares("forest")), [
        ("Share of the score's variance (a random forest's fANOVA)",
         "점수 분산에서 차지하는 몫 (랜덤 포레스트의 fANOVA)"),
    ]),
    "importance_unknown_method": (lambda: plots.plot_importance(shares(None)), [
        ("Share of the score's variance", "점수 분산에서 차지하는 몫"),
    ]),
    "isolation": (lambda: plots.plot_isolation(study()), [
        ("The best learning_rate for each batch_size (stars)", "batch_size 값마다 가장 좋은 learning_rate (별)"),
        ("learning_rate (the nuisance, re-tuned for each batch_size)",
         "learning_rate (장애 하이퍼파라미터, batch_size 값마다 다시 튜닝)"),
        ("validation accuracy\n(mean of the seeds)", "검증 정확도\n(시드 평균)"),
        ("fixed:\nunits = 64", "고정:\nunits = 64"),
    ]),
    "isolation_zoomed": (lambda: plots.plot_isolation(study(), ylim=(0.85, 1.0)), [
        ("The best learning_rate for each batch_size (stars) (zoomed: lower scores are below the axis)",
         "batch_size 값마다 가장 좋은 learning_rate (별) (확대: 더 낮은 점수는 축 아래에 있다)"),
    ]),
    "lr_range": (lambda: plots.plot_lr_range(rates(), marks={"the best of the table": 0.003}), [
        ("Learning-rate range test: the rate grows at every batch", "학습률 범위 테스트: 배치마다 학습률이 커진다"),
        ("learning rate (log scale)", "학습률 (로그 스케일)"),
        ("training loss", "학습 손실"),
        ("loss of each batch", "배치별 손실"),
        ("moving average", "이동 평균"),
        ("lowest average: 0.001", "가장 낮은 평균: 0.001"),
        ("suggested (lowest / 10): 0.0001", "추천 (가장 낮은 곳 / 10): 0.0001"),
    ]),
    "parallel_coordinates": (lambda: plots.plot_parallel_coordinates(
            mixed().trials[["units", "learning_rate", "activation", "score"]].dropna()), [
        ("6 trials, coloured by score", "시도 6회, 점수에 따라 색칠"),
        ("learning_rate (log)", "learning_rate (로그)"),
    ]),
    "sampling_spread": (lambda: plots.plot_sampling_spread(SPREAD, 0.95, images=360), [
        ("Have we sampled enough? Where random search ends, by trials",
         "충분히 샘플링했을까? 시도 수별로 랜덤 서치가 끝나는 곳"),
        ("trials of random search (each box: the runs of the replay)",
         "랜덤 서치의 시도 수 (상자 하나: 리플레이의 실행들)"),
        ("behind the true best\n(validation images; 0 = found it)",
         "참 최고 점수와의 차이\n(검증 이미지 수; 0 = 찾았다)"),
    ]),
    "sampling_spread_in_accuracy": (lambda: plots.plot_sampling_spread(SPREAD, 0.95), [
        ("behind the true best\n(accuracy; 0 = found it)", "참 최고 점수와의 차이\n(정확도; 0 = 찾았다)"),
    ]),
}


def one_line(text: str) -> str:
    """``text`` with its line breaks (and runs of spaces) as single spaces."""
    return " ".join(text.split())


def words(drawn) -> set[str]:
    """Every text a figure shows (titles, labels, ticks, legends, notes), each on one line."""
    figure = drawn if isinstance(drawn, Figure) else drawn.figure
    figure.draw_without_rendering()  # tick labels and shortened names take their text when drawn
    return {one_line(t.get_text()) for t in figure.findobj(Text) if t.get_text()}


def hangul(text: str) -> bool:
    return any("가" <= c <= "힣" for c in text)


@pytest.mark.parametrize("name", FIGURES)
def test_each_figure_speaks_korean_and_english_as_before(name):
    draw, pairs = FIGURES[name]
    english = words(draw())
    with speaking("ko"):
        korean = words(draw())
    for before, translated in pairs:
        assert one_line(before) in english, (before, sorted(english))
        assert one_line(translated) in korean, (translated, sorted(korean))
        assert one_line(before) not in korean
    assert current_language() == "en"


@pytest.mark.parametrize("name", ["trial_scores", "hyperband_schedule", "lr_range", "win_probability"])
def test_english_comes_back_after_korean_word_for_word(name):
    draw, _pairs = FIGURES[name]
    first = words(draw())
    with speaking("ko"):
        assert any(hangul(text) for text in words(draw()))
    assert words(draw()) == first


def test_set_language_speaks_korean_until_it_is_set_back():
    set_language("ko")
    ax = plots.plot_best_so_far(mixed())
    assert (ax.get_title(), ax.get_ylabel()) == ("시도 수에 따른 지금까지의 최고 점수", "지금까지의 최고 검증 정확도")
    set_language(None)
    ax = plots.plot_best_so_far(mixed())
    assert (ax.get_title(), ax.get_ylabel()) == ("Best so far against trials run", "best validation accuracy so far")


def test_names_of_strategies_hyperparameters_and_a_students_marks_stay_as_given():
    with speaking("ko"):
        scores = plots.plot_score_by_param(mixed(), "units")
        legend = [t.get_text() for t in scores.get_legend().get_texts()]
        assert legend[:2] == ["grid (시도 5회)", "random (시도 2회)"]
        lines = words(plots.plot_lr_range(rates(), marks={"the best of the table": 0.003}))
        assert "the best of the table: 0.003" in lines
        regret = plots.plot_regret(replayed(), 0.96)
        assert [t.get_text() for t in regret.get_xticklabels()] == ["random", "grid"]


def test_the_score_and_cost_labels_the_figures_share():
    assert [score_label(s) for s in ("accuracy", "roc_auc", None)] == [
        "validation accuracy", "validation score (roc_auc)", "validation score"]
    seconds = axis_label(mixed(), "seconds")
    with speaking("ko"):
        assert [score_label(s) for s in ("val_accuracy", "roc_auc", None)] == [
            "검증 정확도", "검증 점수 (roc_auc)", "검증 점수"]
        assert axis_label(mixed(), "seconds") == "학습 시간(초) (시도 자신의 시간, 실제 경과 시간이 아님)"
        assert axis_label(mixed(), "trials") == "실행한 시도 수"
    assert axis_label(mixed(), "seconds") == seconds == "seconds of training (the trials' own, not wall time)"
    # the keys of the choices are what code passes (x="seconds"): they stay English
    assert list(plots.tables.X_CHOICES) == ["trials", "epochs", "seconds"]


def test_a_cv_table_without_hyperparameters_labels_its_configurations_in_the_language_spoken():
    cv = {"params": [{}, {}], "mean_test_score": [0.9, 0.8]}
    assert plots.cv_results_table(cv)["label"].tolist() == ["configuration 0", "configuration 1"]
    with speaking("ko"):
        assert plots.cv_results_table(cv)["label"].tolist() == ["조합 0", "조합 1"]


# ------------------------------------------------------------------ verdicts
@pytest.fixture
def wins() -> pd.DataFrame:
    return pd.DataFrame([
        {"strategy": "random", "versus": "grid", "probability": 0.63, "low": 0.55, "high": 0.70, "runs": 100},
        {"strategy": "grid", "versus": "random", "probability": 0.37, "low": 0.30, "high": 0.45, "runs": 100},
        {"strategy": "hyperband", "versus": "random", "probability": 0.49, "low": 0.40, "high": 0.58,
         "runs": 50},
    ])


def test_a_verdict_names_the_winner_in_code_whichever_side_wins_or_a_tie(wins):
    first = plots.verdict(wins, "random", "grid")
    assert (first.winner, first.tie) == ("random", False)
    assert (first.a, first.b, first.probability, first.low, first.high, first.runs) == (
        "random", "grid", 0.63, 0.55, 0.70, 100)
    second = plots.verdict(wins, "grid", "random")  # the interval below one half: b wins
    assert (second.winner, second.tie) == ("random", False)
    tie = plots.verdict(wins, "hyperband", "random")
    assert (tie.winner, tie.tie) == (None, True)
    with speaking("ko"):  # the fields are the same in every language
        assert plots.verdict(wins, "hyperband", "random") == tie
        assert plots.verdict(wins, "random", "grid").winner == "random"
    with pytest.raises(dataclasses.FrozenInstanceError):
        first.winner = "grid"
    assert isinstance(first, plots.Verdict)


def test_a_verdict_says_its_sentence_in_the_language_spoken(wins):
    said = {pair: plots.verdict(wins, *pair) for pair in
            [("random", "grid"), ("grid", "random"), ("hyperband", "random")]}
    assert [str(v) for v in said.values()] == [
        "P(random beats grid) = 0.63 (95 % interval 0.55 to 0.70, 100 runs each): random wins",
        "P(grid beats random) = 0.37 (95 % interval 0.30 to 0.45, 100 runs each): random wins",
        "P(hyperband beats random) = 0.49 (95 % interval 0.40 to 0.58, 50 runs each): "
        "a tie (the interval holds one half)",
    ]
    with speaking("ko"):
        assert [str(v) for v in said.values()] == [
            "P(random 대 grid에서 random 승) = 0.63 (95 % 구간 0.55~0.70, 전략마다 100회 실행): random의 승리",
            "P(grid 대 random에서 grid 승) = 0.37 (95 % 구간 0.30~0.45, 전략마다 100회 실행): random의 승리",
            "P(hyperband 대 random에서 hyperband 승) = 0.49 (95 % 구간 0.40~0.58, 전략마다 50회 실행): "
            "무승부 (구간에 0.5가 들어 있다)",
        ]
        assert plots.who_wins(wins, "random", "grid") == str(said[("random", "grid")])
    assert str(said[("random", "grid")]).endswith("random wins")


def test_who_wins_is_the_verdicts_sentence_as_lesson_07_reads_it(wins):
    for a, b in [("random", "grid"), ("grid", "random"), ("hyperband", "random")]:
        assert plots.who_wins(wins, a, b) == str(plots.verdict(wins, a, b))
    assert "a tie" in plots.who_wins(wins, "hyperband", "random")
    contest = pd.DataFrame([{"strategy": "mine", "versus": "random", "probability": 0.8, "low": 0.7,
                             "high": 0.9, "runs": 10}])
    assert plots.who_wins(contest, "mine", "random").endswith("mine wins")
    assert plots.verdict(contest, "mine", "random").winner == "mine"


def test_a_verdict_of_a_real_replay_agrees_with_its_table():
    table = plots.win_probability(replayed(), x="trials", boot=200)
    said = plots.verdict(table, "random", "grid")
    row = table[(table["strategy"] == "random") & (table["versus"] == "grid")].iloc[0]
    assert (said.probability, said.low, said.high, said.runs) == (
        pytest.approx(row["probability"]), pytest.approx(row["low"]), pytest.approx(row["high"]), 3)
    expected = "random" if row["low"] > 0.5 else "grid" if row["high"] < 0.5 else None
    assert said.winner == expected
    with pytest.raises(ValueError, match="the table has no row for 'random' against 'bayesian'"):
        plots.verdict(table, "random", "bayesian")
