"""The horse-race board's rules as plain functions: ties by the shown score, the change of
rank, the lists' conditions (all or any), the weights an administrator types."""

from __future__ import annotations

import math

import pandas as pd
import pytest

from data import ranking_rules as rules
from panels import registry

LISTS = [
    {"code": "red", "name": "红榜", "match": "all", "precedence": 1, "score_at_least": 102.0,
     "score_below": None, "red_lights_at_least": None, "red_lights_at_most": 0},
    {"code": "black", "name": "黑榜", "match": "any", "precedence": 2, "score_at_least": None,
     "score_below": 97.0, "red_lights_at_least": 4, "red_lights_at_most": None},
    {"code": "yellow", "name": "黄榜", "match": "any", "precedence": 3, "score_at_least": None,
     "score_below": 100.0, "red_lights_at_least": 2, "red_lights_at_most": None},
]


def test_scores_equal_to_one_decimal_tie_and_the_next_rank_is_skipped():
    scores = pd.DataFrame({"adcode": ["330300", "330200", "330100", "330400", "330500"],
                           "score": [98.04, 98.01, 99.5, float("nan"), 97.0]})
    ranked = rules.rank_regions(scores)
    assert list(ranked["adcode"]) == ["330100", "330200", "330300", "330500", "330400"]
    assert [None if pd.isna(r) else int(r) for r in ranked["rank"]] == [1, 2, 2, 4, None]


def test_the_change_of_rank_in_words():
    assert rules.rank_change(2, 4) == (2, "▲2")
    assert rules.rank_change(5, 4) == (-1, "▼1")
    assert rules.rank_change(3, 3) == (0, "持平")
    assert rules.rank_change(pd.NA, 3) == (None, "—")
    assert rules.rank_change(1, None) == (None, "—")


@pytest.mark.parametrize(("score", "reds", "expected"), [
    (103.0, 0, "red"), (103.0, 1, None), (101.0, 0, None), (99.0, 0, "yellow"),
    (101.0, 2, "yellow"), (96.9, 0, "black"), (101.0, 4, "black"), (102.0, 0, "red"),
    (96.96, 0, "yellow"),  # shown as 97.0: not below 97
    (math.nan, 9, None),
])
def test_a_region_goes_on_the_first_list_that_takes_it(score, reds, expected):
    code, reason = rules.list_placement(score, reds, LISTS)
    assert code == expected
    if expected == "black":
        assert reason.startswith(f"综合得分 {round(score, 1):.1f}，红灯指标 {reds} 项：")
    assert (reason == "") == (code is None)


def test_the_lists_in_words():
    assert rules.list_rule_words(LISTS[0]) == "综合得分不低于 102 且 无红灯指标"
    assert rules.list_rule_words(LISTS[1]) == "综合得分低于 97 或 红灯指标 4 项及以上"


def test_items_that_do_not_apply_or_weigh_nothing_do_not_count():
    status = pd.DataFrame({
        "region_adcode": ["A", "A", "A", "B"], "indicator_code": ["X", "Y", "Z", "X"],
        "applicable": [True, False, True, True], "progress": [130.0, 50.0, 80.0, float("nan")],
        "light": ["green", "na", "red", "none"]})
    scores = rules.composite_scores(status, {"X": 1.0, "Y": 5.0, "Z": 3.0}, ["A", "B"])
    a = scores.set_index("adcode").loc["A"]
    assert a["score"] == pytest.approx((1 * 120 + 3 * 80) / 4)  # X capped at 120
    assert a["items"] == 2 and a["red_lights"] == 1
    assert math.isnan(scores.set_index("adcode").loc["B", "score"])


def test_a_typed_weight_is_checked():
    assert rules.check_weight(" 2.5 ") == 2.5
    for bad in ("x", "-1", "101", "nan"):
        with pytest.raises(ValueError):
            rules.check_weight(bad)


def test_the_ranking_panel_is_offered_to_every_surface():
    spec = registry.spec("race")
    assert spec.surfaces == registry.ALL_SURFACES
    assert spec.title == "赛马榜"
