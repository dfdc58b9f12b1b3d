"""Queries of the horse-race board (赛马榜): the board of a level's regions under a region, the
rank of a region over time, the weekly 晾晒 of task progress, and the weights and lists an
administrator keeps. Every query takes the viewer's scope and applies it in SQL (the regions
through :meth:`Scope.region_clause`; the indicator figures through
:func:`data.queries.indicator_status`; the tasks through :func:`data.tasks_queries.task_chains`).
The rules are in :mod:`data.ranking_rules`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

import pandas as pd
from sqlalchemy import Connection, select

from data import queries
from data import ranking_rules as rules
from data import tasks_queries as tq
from data.queries import frame as _frame
from data.ranking_schema import RankingList, RankingWeight
from data.reference import FILES
from data.schema import Indicator, Region
from data.scope import Scope, subtree
from data.store import cached_query, write_transaction

#: The levels a board ranks, and under which region levels.
BOARD_LEVELS = {"province": ("city", "county"), "city": ("county",)}
HISTORY_MONTHS = 12
LIST_COLUMNS = ("code", "name", "meaning", "match", "precedence", "score_at_least",
                "score_below", "red_lights_at_least", "red_lights_at_most")


@dataclass(frozen=True)
class Board:
    """A view of the board (``/rankings``): the region whose regions are ranked, the level
    ranked, the month, the region whose rank over time is shown, the week of the 晾晒."""

    region: str
    level: str
    period: str
    focus: str | None
    week: str


# --- the weights and lists (data an administrator changes) ----------------------------------

@cached_query
def weights(*, scope: Scope) -> pd.DataFrame:
    """Every indicator of the viewer's catalogue with its weight, name and system, in
    catalogue order."""
    catalogue = queries.indicators(scope=scope)
    stored = _frame(select(RankingWeight.indicator_code, RankingWeight.weight,
                           RankingWeight.updated_by, RankingWeight.updated_at)
                    .where(RankingWeight.indicator_code.in_(
                        select(Indicator.code).where(
                            scope.department_clause(Indicator.owner_department)))))
    out = catalogue[["code", "name", "system_name", "lowest_level", "unit"]].merge(
        stored.rename(columns={"indicator_code": "code"}), on="code", how="left")
    out["weight"] = out["weight"].astype(float).fillna(0.0)
    return out


def weight_map(*, scope: Scope) -> dict[str, float]:
    frame = weights(scope=scope)
    return dict(zip(frame["code"], frame["weight"], strict=True))


@cached_query
def lists(*, scope: Scope) -> list[dict]:
    """The red, yellow and black lists with their thresholds (public rules: no scope)."""
    frame = _frame(select(*(getattr(RankingList, c) for c in LIST_COLUMNS))
                   .order_by(RankingList.precedence))
    found = [{k: (None if pd.isna(v) else v) for k, v in row.items()}
             for row in frame.to_dict("records")]
    return [{**row, "rule_words": rules.list_rule_words(row)} for row in found]


def load_defaults(conn: Connection) -> None:
    """Write the reference files' weights and lists where none is stored (an administrator's
    changes are kept)."""
    have = set(conn.execute(select(RankingWeight.indicator_code)).scalars())
    known = set(conn.execute(select(Indicator.code)).scalars())
    defaults = pd.read_csv(FILES / "ranking_weights.csv", dtype={"indicator_code": str})
    new = [{"indicator_code": r.indicator_code, "weight": float(r.weight),
            "updated_by": "参考数据", "updated_at": None}
           for r in defaults.itertuples() if r.indicator_code not in have
           and r.indicator_code in known]
    if new:
        conn.execute(RankingWeight.__table__.insert(), new)
    have_lists = set(conn.execute(select(RankingList.code)).scalars())
    frame = pd.read_csv(FILES / "ranking_lists.csv", dtype={"code": str})
    rows = []
    for record in frame.to_dict("records"):
        if record["code"] in have_lists:
            continue
        clean = {k: (None if pd.isna(v) else v) for k, v in record.items()}
        for key in ("red_lights_at_least", "red_lights_at_most"):
            clean[key] = None if clean[key] is None else int(clean[key])
        rows.append({**clean, "updated_by": "参考数据", "updated_at": None})
    if rows:
        conn.execute(RankingList.__table__.insert(), rows)


def save_weights(*, actor: str, changes: dict[str, float], at: datetime) -> int:
    """Store new weights (indicator code → weight, checked by
    :func:`ranking_rules.check_weight`); return how many changed. Refused (ValueError) if
    every weight would be zero."""
    checked = {code: rules.check_weight(value) for code, value in changes.items()}
    with write_transaction() as conn:
        table = RankingWeight.__table__
        current = dict(conn.execute(select(table.c.indicator_code, table.c.weight)).all())
        unknown = set(checked) - set(conn.execute(select(Indicator.code)).scalars())
        if unknown:
            raise ValueError(f"未找到指标“{'、'.join(sorted(unknown))}”。")
        if not any(checked.get(code, weight) > 0 for code, weight in
                   {**current, **checked}.items()):
            raise ValueError("至少要有一项指标的权重大于 0。")
        changed = 0
        for code, weight in checked.items():
            if code in current and current[code] == weight:
                continue
            values = {"weight": weight, "updated_by": actor, "updated_at": at}
            if code in current:
                conn.execute(table.update().where(table.c.indicator_code == code)
                             .values(**values))
            else:
                conn.execute(table.insert().values(indicator_code=code, **values))
            changed += 1
    return changed


def save_list(*, actor: str, code: str, at: datetime, **thresholds: float | int | None) -> None:
    """Change one list's thresholds (``score_at_least``, ``score_below``,
    ``red_lights_at_least``, ``red_lights_at_most``)."""
    allowed = {"score_at_least", "score_below", "red_lights_at_least", "red_lights_at_most"}
    if set(thresholds) - allowed:
        raise ValueError(f"未知的阈值：{'、'.join(sorted(set(thresholds) - allowed))}")
    with write_transaction() as conn:
        table = RankingList.__table__
        updated = conn.execute(table.update().where(table.c.code == code).values(
            **thresholds, updated_by=actor, updated_at=at))
        if updated.rowcount == 0:
            raise ValueError(f"未找到榜单“{code}”。")


# --- the board ---------------------------------------------------------------------------------

@cached_query
def members(*, scope: Scope, region: str, level: str) -> pd.DataFrame:
    """The regions of ``level`` beneath ``region`` that the viewer may see (in SQL), by
    adcode: adcode, name, parent_adcode."""
    return _frame(select(Region.adcode, Region.name, Region.parent_adcode)
                  .where(Region.level == level, Region.adcode.in_(subtree((region,))),
                         Region.adcode != region, scope.region_clause(Region.adcode))
                  .order_by(Region.adcode))


def _scores(*, scope: Scope, adcodes: tuple[str, ...], periods: tuple[str, ...]
            ) -> dict[str, pd.DataFrame]:
    """The ranked scores of ``adcodes`` in each of ``periods`` (one read of the figures)."""
    weights = weight_map(scope=scope)
    found = queries.statuses(scope=scope, adcodes=adcodes, periods=periods)
    return {period: rules.rank_regions(rules.composite_scores(status, weights, adcodes))
            for period, status in found.items()}


@cached_query
def board(*, scope: Scope, region: str, level: str, period: str) -> pd.DataFrame:
    """The board of ``level``'s regions beneath ``region`` for ``period``, best first:
    adcode, name, score, shown_score, rank, items, red_lights, previous_rank, gained,
    change_words, list_code, list_reason (see :mod:`data.ranking_rules`)."""
    found = members(scope=scope, region=region, level=level)
    adcodes = tuple(found["adcode"])
    before = queries.shift_period(period, -1)
    compared = before in queries.periods(scope=scope)
    scores = _scores(scope=scope, adcodes=adcodes,
                     periods=(before, period) if compared else (period,))
    ranked = scores[period].merge(found[["adcode", "name"]], on="adcode", how="left")
    if compared:
        previous = scores[before]
        ranked["previous_rank"] = ranked["adcode"].map(
            previous.set_index("adcode")["rank"]).astype("Int64")
    else:
        ranked["previous_rank"] = pd.array([pd.NA] * len(ranked), dtype="Int64")
    changes = [rules.rank_change(r, p) for r, p in
               zip(ranked["rank"], ranked["previous_rank"], strict=True)]
    ranked["gained"] = pd.array([c[0] for c in changes], dtype="Int64")
    ranked["change_words"] = [c[1] for c in changes]
    rules_ = lists(scope=scope)
    placed = [rules.list_placement(s, int(r), rules_)
              for s, r in zip(ranked["score"], ranked["red_lights"], strict=True)]
    ranked["list_code"] = [p[0] for p in placed]
    ranked["list_reason"] = [p[1] for p in placed]
    return ranked


@cached_query
def rank_history(*, scope: Scope, region: str, level: str, period: str) -> pd.DataFrame:
    """The board's ranks and scores for each of the :data:`HISTORY_MONTHS` months up to
    ``period`` that have figures: period, adcode, name, score, rank."""
    available = set(queries.periods(scope=scope))
    found = members(scope=scope, region=region, level=level)
    adcodes = tuple(found["adcode"])
    months = tuple(month for month in (queries.shift_period(period, -back)
                                       for back in range(HISTORY_MONTHS - 1, -1, -1))
                   if month in available)
    scores = _scores(scope=scope, adcodes=adcodes, periods=months)
    frames = [scores[month].assign(period=month) for month in months]
    if not frames:
        return pd.DataFrame(columns=["period", "adcode", "name", "score", "rank"])
    out = pd.concat(frames, ignore_index=True).merge(found[["adcode", "name"]], on="adcode")
    return out[["period", "adcode", "name", "score", "rank"]]


# --- the weekly 晾晒 -----------------------------------------------------------------------------

@cached_query
def weekly_progress(*, scope: Scope, region: str, level: str, week_end: date) -> pd.DataFrame:
    """Each member region's tasks (those whose execution chain reaches it) at the end of the
    week ending ``week_end`` against the end of the week before: adcode, name, tasks,
    progress (mean, %), previous (mean a week earlier), change (points), advanced (tasks
    whose progress rose), stalled (not finished and unchanged), done; most progress made
    first."""
    found = members(scope=scope, region=region, level=level)
    now = tq.task_chains(scope=scope, today=week_end)
    before = tq.task_chains(scope=scope, today=week_end - timedelta(days=7))
    rows = []
    for member in found.itertuples():
        mine = now[now["adcode"] == member.adcode].set_index("task_id")["progress"]
        was = before[before["adcode"] == member.adcode].set_index("task_id")["progress"]
        rows.append({"adcode": member.adcode, "name": member.name, **_week(mine, was)})
    return _most_progress_first(pd.DataFrame(rows, columns=["adcode", "name", *WEEK_COLUMNS]),
                                "adcode")


@cached_query
def weekly_progress_by_unit(*, scope: Scope, region: str, week_end: date) -> pd.DataFrame:
    """The same week for each lead unit (牵头单位): its tasks whose execution chain reaches
    ``region``, each at its overall progress — code, name and the columns of
    :func:`weekly_progress`; most progress made first."""
    now = tq.task_table(scope=scope, today=week_end)
    before = tq.task_table(scope=scope, today=week_end - timedelta(days=7))
    now = now[[isinstance(chain, list) and region in chain for chain in now["chain_adcodes"]]]
    rows = []
    for (code, name), mine in now.groupby(["lead_department", "lead_name"], sort=True):
        was = before[before["id"].isin(mine["id"])].set_index("id")["progress"]
        rows.append({"code": code, "name": name,
                     **_week(mine.set_index("id")["progress"], was)})
    return _most_progress_first(pd.DataFrame(rows, columns=["code", "name", *WEEK_COLUMNS]),
                                "code")


WEEK_COLUMNS = ["tasks", "progress", "previous", "change", "advanced", "stalled", "done"]


def _week(mine: pd.Series, was: pd.Series) -> dict:
    """Tasks' progress at a week's end (``mine``, by task) against the week before."""
    was = was.reindex(mine.index).fillna(0.0)
    return {
        "tasks": len(mine),
        "progress": float(mine.mean()) if len(mine) else None,
        "previous": float(was.mean()) if len(mine) else None,
        "change": float((mine - was).mean()) if len(mine) else None,
        "advanced": int((mine > was + 1e-9).sum()),
        "stalled": int((((mine - was).abs() < 1e-9) & (mine < 100)).sum()),
        "done": int((mine >= 100).sum()),
    }


def _most_progress_first(frame: pd.DataFrame, key: str) -> pd.DataFrame:
    return frame.sort_values(["change", "progress", key], ascending=[False, False, True],
                             na_position="last").reset_index(drop=True)
