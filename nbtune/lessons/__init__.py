"""The lessons wing: the lessons' own content, in one place.

* :mod:`nbtune.lessons.digits`: lesson 04's model (:func:`build_digits_model`),
  its comparison space, budgets and plan, :class:`WallClock`, and the space of
  the shipped ``digits-mlp`` table (:func:`make_digits_mlp`);
* :mod:`nbtune.lessons.claims`: :func:`claim`, a lesson's conclusion checked
  against its own run, beside the sentence that states it;
* :mod:`nbtune.lessons.shipped`: results shipped with nbtune, made by the
  lessons' own code (data in ``nbtune/lessons/precomputed``): lesson 04's
  comparison (:func:`load_precomputed`), the slow searches of lessons 01, 03 and
  06 (:func:`load_cv_search`), and each lesson's measured time
  (:func:`lesson_times`).

The lessons call these names as ``lessons.<name>``. This wing sits on top: it
imports every other wing and nothing imports it but the command line.

Examples
--------
>>> from nbtune import lessons
>>> lessons.comparison_space().names
('units', 'learning_rate')
"""

from nbtune.lessons.claims import claim
from nbtune.lessons.digits import (
    PRECOMPUTED,
    WallClock,
    build_digits_model,
    comparison_plan,
    comparison_settings,
    comparison_space,
    digits_mlp_space,
    make_digits_mlp,
    run_comparison,
)
from nbtune.lessons.shipped import (
    ShippedSearch,
    lesson_times,
    load_cv_search,
    load_precomputed,
    precompute,
    precomputed_info,
)

__all__ = ["PRECOMPUTED", "ShippedSearch", "WallClock", "build_digits_model", "claim", "comparison_plan",
           "comparison_settings", "comparison_space", "digits_mlp_space", "lesson_times",
           "load_cv_search", "load_precomputed", "make_digits_mlp", "precompute",
           "precomputed_info", "run_comparison"]
