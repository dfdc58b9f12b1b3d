"""The rules of the public's appeals (民呼我为), written once.

Rates (of the appeals received in the period)
    办理率 = handled ÷ received; 按时答复率 = replied on time ÷ handled;
    满意率 = satisfied ÷ rated (those who gave a rating).

Trend warning (趋势预警)
    For a region and a category, the week's count x is compared with the :data:`BASELINE_WEEKS`
    weeks before it (mean m, standard deviation s). Poisson-like counts vary by about √m, so the
    spread used is max(s, √m, 1) and

        z = (x − m) ÷ max(s, √m, 1)

    The week is flagged when z ≥ :data:`Z_LIMIT` and x exceeds m by at least :data:`MIN_RISE`
    appeals (a rise from 1 to 4 is not a trend). Weeks without appeals count as 0.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

BASELINE_WEEKS = 8
Z_LIMIT = 3.0
MIN_RISE = 8
RULE_TEXT = (f"趋势预警：某地区某类诉求的本周件数 x 与其前 {BASELINE_WEEKS} 周对照，"
             "均值 m、标准差 s，z = (x − m) ÷ d，d 取 s、√m 与 1 中最大者"
             "（计数按泊松波动，至少取 √m）；"
             f"z ≥ {Z_LIMIT:g} "
             f"且比均值多 {MIN_RISE} 件以上即预警。")
RATE_TEXT = ("办理率 = 办结件数 ÷ 受理件数；按时答复率 = 按时答复件数 ÷ 办结件数；"
             "满意率 = 满意件数 ÷ 参评件数。")


def change_words(change: float | None) -> str:
    """A change in percent as shown: ``▲4.7%``, ``▼3.3%``, ``持平``, ``—``."""
    if change is None or pd.isna(change):
        return "—"
    if round(float(change), 1) == 0:
        return "持平"
    return f"{'▲' if change > 0 else '▼'}{abs(float(change)):.1f}%"


def ratio(part: float, whole: float) -> float | None:
    """``part / whole`` in percent, ``None`` without a whole."""
    return None if not whole else float(part) / float(whole) * 100.0


def rates(totals: dict | pd.Series) -> dict[str, float | None]:
    """办理率, 按时答复率, 满意率 of summed counts."""
    return {"handling": ratio(totals["handled"], totals["received"]),
            "on_time": ratio(totals["on_time"], totals["handled"]),
            "satisfaction": ratio(totals["satisfied"], totals["rated"])}


def z_score(history: list[float] | np.ndarray, count: float) -> tuple[float, float, float]:
    """(z, mean, spread) of ``count`` against ``history`` (the baseline weeks)."""
    values = np.asarray(history, dtype=float)
    mean = float(values.mean()) if len(values) else 0.0
    sd = float(values.std(ddof=1)) if len(values) > 1 else 0.0
    spread = max(sd, math.sqrt(mean), 1.0)
    return (float(count) - mean) / spread, mean, spread


def z_scores(history: np.ndarray, counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """:func:`z_score` of many series at once: ``history`` one row of baseline weeks per
    series, ``counts`` the week judged; (z, mean) per series."""
    history = np.asarray(history, dtype=float)
    counts = np.asarray(counts, dtype=float)
    weeks = history.shape[1]
    mean = history.mean(axis=1) if weeks else np.zeros(len(history))
    sd = history.std(axis=1, ddof=1) if weeks > 1 else np.zeros(len(history))
    spread = np.maximum(np.maximum(sd, np.sqrt(mean)), 1.0)
    return (counts - mean) / spread, mean


def flagged(count: float, mean: float, z: float) -> bool:
    return z >= Z_LIMIT and count - mean >= MIN_RISE


def warnings(series: pd.DataFrame, *, week: pd.Timestamp | object) -> pd.DataFrame:
    """The warnings of ``week`` in ``series`` (columns unit, category_code, week_start,
    received; missing weeks are 0): unit, category_code, received, mean, z, rise; the
    strongest first."""
    columns = ["unit", "category_code", "received", "mean", "z", "rise"]
    if series.empty:
        return pd.DataFrame(columns=columns)
    week = pd.Timestamp(week)
    weeks = [week - pd.Timedelta(weeks=k) for k in range(BASELINE_WEEKS, -1, -1)]
    data = series.assign(week_start=pd.to_datetime(series["week_start"]))
    table = data.pivot_table(index=["unit", "category_code"], columns="week_start",
                             values="received", aggfunc="sum", fill_value=0)
    table = table.reindex(columns=weeks, fill_value=0)
    counts = table.to_numpy(dtype=float)
    z_all, mean_all = z_scores(counts[:, :-1], counts[:, -1])
    rows = []
    for (unit, category), now, z, mean in zip(table.index, counts[:, -1].tolist(),
                                              z_all.tolist(), mean_all.tolist(), strict=True):
        if flagged(now, mean, z):
            rows.append({"unit": unit, "category_code": category, "received": int(now),
                         "mean": mean, "z": z, "rise": now - mean})
    return pd.DataFrame(rows, columns=columns).sort_values("z", ascending=False,
                                                          ignore_index=True)
