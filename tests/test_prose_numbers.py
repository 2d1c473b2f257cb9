"""tests/prose_numbers.py reads the numbers of English and Korean prose alike."""

import pytest
from prose_numbers import quoted, shown


@pytest.mark.parametrize("prose, expected", [
    # English, as before
    ("the grid scored 0.9795 in 61.5 s", [("0.9795", "plain"), ("61.5 s", "seconds")]),
    ("63 % of the time, 3 min", [("63 %", "percent"), ("3 min", "minutes")]),
    ("Python 3.10.1, a range 0.1-0.5, word5.5", [("0.1", "plain")]),  # a range: its start
    # Korean particles right after a number
    ("점수 0.63을 얻었다", [("0.63", "plain")]),
    ("0.63를", [("0.63", "plain")]), ("0.63이", [("0.63", "plain")]),
    ("0.63가", [("0.63", "plain")]), ("0.63은", [("0.63", "plain")]),
    ("0.63는", [("0.63", "plain")]), ("0.63의", [("0.63", "plain")]),
    # counters
    ("0.5장", [("0.5", "plain")]), ("2.5개", [("2.5", "plain")]), ("1.5회", [("1.5", "plain")]),
    ("2.5번", [("2.5", "plain")]), ("1.6배", [("1.6", "plain")]),
    # units
    ("63%", [("63%", "percent")]), ("95 %의 구간", [("95 %", "percent")]),
    ("10초 걸렸다", [("10초", "seconds")]), ("61.5초", [("61.5초", "seconds")]),
    ("3분 안에", [("3분", "minutes")]), ("1.5 분", [("1.5 분", "minutes")]),
    # not durations: a third, "more than", integers without a unit
    ("3분의 1", []), ("0.9초과", [("0.9", "plain")]), ("360장, 23개, 3번", []),
    # the time line is test_notebooks' to check
    ("시간: 한 코어에서 약 45초 (레슨 00에 모든 레슨의 시간이 있다)", []),
    ("Time: about 45 s on one core", []),
])
def test_numbers_are_read_with_their_particle_counter_or_unit(prose, expected):
    assert [(written, kind) for written, kind, _, _ in quoted(prose)] == expected


def test_outputs_in_korean_back_durations():
    numbers = shown("학습 12.5초, 전체 3분")
    assert 12.5 in numbers["seconds"] and 180 in numbers["seconds"]
