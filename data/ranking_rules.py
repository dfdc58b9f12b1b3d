"""The horse-race board's rules (赛马榜, 红黄黑榜), written once for the page, the panels, the
large screen and the briefing.

Score
    Each indicator that applies at the regions' level, has a target and a value, and has a
    weight above zero gives an item score: its completion against the time-prorated target
    (序时完成率, the ``progress`` of :mod:`data.rules`), capped at :data:`ITEM_CAP`. The
    composite score is the weighted mean of the item scores::

        综合得分 = Σ(权重ᵢ × min(序时完成率ᵢ, 120)) ÷ Σ 权重ᵢ

    A region with no scored item has no score and no rank.

Rank and ties
    Higher score first. Scores are compared as shown, to one decimal: equal scores share a rank
    and the next rank is skipped (1, 2, 2, 4); tied regions are listed by adcode.

Change of rank
    Against the board of the month before, among the same regions: ``▲2`` (two places up),
    ``▼1``, ``持平``, ``—`` (not ranked in one of the two).

Lists (红黄黑榜)
    Thresholds are data (:class:`data.ranking_schema.RankingList`): each list states its
    conditions on the score and on the number of red lights, and whether all or any must hold.
    Lists are tried by precedence (red, black, yellow) and a region goes on the first that takes
    it, with the reason in words.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import pandas as pd

#: The most an item counts for (120 % of its prorated target), so that one indicator far
#: ahead cannot hide others behind.
ITEM_CAP = 120.0
#: Scores are compared as shown: to this many decimals.
SCORE_DECIMALS = 1
UP, DOWN, SAME, NONE = "▲", "▼", "持平", "—"

FORMULA = (f"综合得分 = Σ(权重 × min(序时完成率, {ITEM_CAP:g})) ÷ Σ 权重。序时完成率为指标值对照"
           "序时目标（上年末值 +（年度目标 − 上年末值）× 月份 ÷ 完成时限）的百分比，越低越好的"
           "指标取其倒数；只计入在该层级适用、有目标、有数值且权重大于 0 的指标。")
TIE_RULE = ("得分按一位小数比较：得分相同者名次并列，其后名次顺延（如 1、2、2、4），"
            "并列者按行政区划代码排列。")
CHANGE_RULE = "名次变化对照上月同一批地区的名次：▲ 上升、▼ 下降，数字为变化的位次。"


def item_scores(status: pd.DataFrame, weights: dict[str, float]) -> pd.DataFrame:
    """The scored items of ``status`` (rows of :func:`data.queries.indicator_status`): those
    that apply, have a progress and a weight above zero; with ``weight`` and ``item_score``."""
    if status.empty:
        return status.assign(weight=pd.Series(dtype=float), item_score=pd.Series(dtype=float))
    out = status.copy()
    out["weight"] = out["indicator_code"].map(weights).fillna(0.0).astype(float)
    progress = pd.to_numeric(out["progress"], errors="coerce")
    scored = out["applicable"].astype(bool) & progress.notna() & (out["weight"] > 0)
    out = out[scored].copy()
    out["item_score"] = progress[scored].clip(upper=ITEM_CAP)
    return out


def composite_scores(status: pd.DataFrame, weights: dict[str, float],
                     members: Iterable[str]) -> pd.DataFrame:
    """One row per member region: ``score`` (NaN without a scored item), ``items`` (scored
    indicators), ``red_lights`` (applicable indicators with a red light)."""
    members = list(members)
    items = item_scores(status, weights)
    weighted = (items["weight"] * items["item_score"]).groupby(items["region_adcode"]).sum()
    total = items.groupby("region_adcode")["weight"].sum()
    count = items.groupby("region_adcode").size()
    reds = (status[status["applicable"].astype(bool) & (status["light"] == "red")]
            .groupby("region_adcode").size() if len(status) else pd.Series(dtype=int))
    frame = pd.DataFrame({"adcode": members})
    frame["score"] = frame["adcode"].map(weighted / total).astype(float)
    frame["items"] = frame["adcode"].map(count).fillna(0).astype(int)
    frame["red_lights"] = frame["adcode"].map(reds).fillna(0).astype(int)
    return frame


def rank_regions(scores: pd.DataFrame) -> pd.DataFrame:
    """``scores`` (adcode, score) ordered and ranked by the tie rule: ``rank`` (Int64, NA
    without a score)."""
    out = scores.copy()
    out["shown_score"] = out["score"].round(SCORE_DECIMALS)
    out["rank"] = out["shown_score"].rank(method="min", ascending=False).astype("Int64")
    out = out.sort_values(["shown_score", "adcode"], ascending=[False, True],
                          na_position="last")
    return out.reset_index(drop=True)


def rank_change(rank: object, previous: object) -> tuple[int | None, str]:
    """(places gained, words): ``(2, "▲2")``, ``(-1, "▼1")``, ``(0, "持平")``, ``(None, "—")``."""
    if _missing(rank) or _missing(previous):
        return None, NONE
    gained = int(previous) - int(rank)
    if gained == 0:
        return 0, SAME
    return gained, f"{UP if gained > 0 else DOWN}{abs(gained)}"


def _missing(value: object) -> bool:
    return value is None or value is pd.NA or (isinstance(value, float) and math.isnan(value))


def _conditions(rule: dict) -> list[tuple[str, callable]]:
    """The list's conditions as (words, test on (score, red lights))."""
    found = []
    if not _missing(rule.get("score_at_least")):
        limit = float(rule["score_at_least"])
        found.append((f"综合得分不低于 {limit:g}", lambda s, r, limit=limit: s >= limit))
    if not _missing(rule.get("score_below")):
        limit = float(rule["score_below"])
        found.append((f"综合得分低于 {limit:g}", lambda s, r, limit=limit: s < limit))
    if not _missing(rule.get("red_lights_at_least")):
        limit = int(rule["red_lights_at_least"])
        found.append((f"红灯指标 {limit} 项及以上", lambda s, r, limit=limit: r >= limit))
    if not _missing(rule.get("red_lights_at_most")):
        limit = int(rule["red_lights_at_most"])
        found.append(("无红灯指标" if limit == 0 else f"红灯指标不超过 {limit} 项",
                      lambda s, r, limit=limit: r <= limit))
    return found


def list_rule_words(rule: dict) -> str:
    """A list's thresholds in words: ``综合得分低于 85 或 红灯指标 6 项及以上``."""
    joiner = " 且 " if rule["match"] == "all" else " 或 "
    return joiner.join(words for words, _ in _conditions(rule)) or "（未设条件）"


def list_placement(score: float, red_lights: int, lists: list[dict]) -> tuple[str | None, str]:
    """(list code, reason) of a region by ``lists`` (dicts of the list table), or
    ``(None, "")`` for none. A region without a score goes on no list."""
    if _missing(score):
        return None, ""
    shown = round(float(score), SCORE_DECIMALS)
    for rule in sorted(lists, key=lambda r: r["precedence"]):
        conditions = _conditions(rule)
        met = [words for words, test in conditions if test(shown, red_lights)]
        if not conditions:
            continue
        if (rule["match"] == "all" and len(met) == len(conditions)) or \
                (rule["match"] == "any" and met):
            facts = f"综合得分 {shown:.{SCORE_DECIMALS}f}，红灯指标 {red_lights} 项"
            return rule["code"], f"{facts}：{'，'.join(met)}"
    return None, ""


def check_weight(raw: object) -> float:
    """A weight typed by an administrator: a number from 0 to 100 (ValueError in Chinese)."""
    try:
        value = float(str(raw).strip())
    except ValueError:
        raise ValueError(f"权重“{raw}”不是数字。") from None
    if math.isnan(value) or not 0 <= value <= 100:
        raise ValueError(f"权重“{raw}”应在 0 到 100 之间。")
    return value
