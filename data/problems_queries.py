"""Queries and writes of the seven problem lists. Every query takes keyword arguments only,
the viewer's :class:`~data.scope.Scope` first, and returns a DataFrame (or a small plain
value); results are cached by data version. The rules (stages, lights, rates) are in
:mod:`data.problems_rules`; this module only selects, joins and counts.

Filters travel as one :class:`ProblemFilter` (frozen, with a stable ``repr``, so it can be a
cache key). "Today" is an explicit argument everywhere; pages take it from
:func:`data.clock.today`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy import Connection, select, update

from data import audit, clock
from data import problems_rules as rules
from data.problems_schema import Problem, ProblemList, ProblemMove
from data.queries import frame as _frame
from data.queries import region_names, regions
from data.reference import PROVINCE
from data.schema import Department
from data.scope import ReadOnly, Scope
from data.store import StoreBusy, cached_query, read_connection, write_transaction

if TYPE_CHECKING:
    from data.accounts import Account

LISTS_FILE = Path(__file__).resolve().parent / "files" / "problem_lists.csv"


# --- reference data: the seven lists --------------------------------------------------------

def read_problem_lists() -> pd.DataFrame:
    """The lists as shipped in ``data/files/problem_lists.csv`` (code, name, prefix, order)."""
    return pd.read_csv(LISTS_FILE, dtype=str).astype({"sort_order": int})


def load_problem_lists(conn: Connection) -> None:
    """Insert or update the lists from the file (idempotent)."""
    table = ProblemList.__table__
    existing = set(conn.execute(select(table.c.code)).scalars())
    for record in read_problem_lists().to_dict("records"):
        if record["code"] in existing:
            conn.execute(table.update().where(table.c.code == record["code"]).values(**record))
        else:
            conn.execute(table.insert().values(**record))


# --- filters ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ProblemFilter:
    """What the problem page shows. Empty means "all"; ``region`` is a subtree's root."""

    region: str = PROVINCE
    list_code: str | None = None
    department: str | None = None
    category: str | None = None
    severity: str | None = None
    stage: str | None = None
    light: str | None = None
    #: Months ``YYYY-MM`` (inclusive) of the date a problem was found.
    found_from: str | None = None
    found_to: str | None = None

    def but(self, **changes: object) -> ProblemFilter:
        return replace(self, **changes)


@cached_query
def problem_lists(*, scope: Scope) -> pd.DataFrame:
    return _frame(select(ProblemList).order_by(ProblemList.sort_order))


def problem_clauses(scope: Scope) -> tuple:
    """The viewer's problems: in the scope's regions and of its departments (in SQL)."""
    return (scope.region_clause(Problem.region_adcode),
            scope.department_clause(Problem.department_code))


@cached_query
def all_problems(*, scope: Scope, today: date) -> pd.DataFrame:
    """Every problem the viewer may see (chosen in SQL), with names, the region's path
    (``path``: the adcodes from the province down to the problem's region), city and light."""
    frame = _frame(
        select(Problem, ProblemList.name.label("list_name"),
               ProblemList.sort_order.label("list_order"),
               Department.name.label("department_name"))
        .join(ProblemList, ProblemList.code == Problem.list_code)
        .join(Department, Department.code == Problem.department_code)
        .where(*problem_clauses(scope))
        .order_by(Problem.id)
    )
    tree = regions(scope=scope).set_index("adcode")
    names = region_names(scope=scope)
    frame["region_name"] = frame["region_adcode"].map(tree["name"])
    paths = {a: [*tree.at[a, "ancestors"], a] for a in tree.index}
    frame["path"] = frame["region_adcode"].map(paths)
    frame["city_adcode"] = frame["path"].map(lambda p: p[1] if len(p) > 1 else None)
    frame["city_name"] = frame["city_adcode"].map(names)
    frame["stage_name"] = frame["stage"].map(rules.STAGE_NAMES)
    frame["severity_name"] = frame["severity"].map(rules.SEVERITIES)
    for column in ("found_on", "deadline", *rules.STAGE_DATE_COLUMNS.values()):
        if frame[column].dtype == object and rules.plain_dates(frame[column]) is not None:
            continue  # already days (or None), as the store gives them
        dates = pd.to_datetime(frame[column])
        frame[column] = dates.dt.date.astype(object).where(dates.notna(), None)
    frame = rules.as_of(frame, today).reset_index(drop=True)
    frame["stage_name"] = frame["stage"].map(rules.STAGE_NAMES)
    return rules.assess_problems(frame, today=today)


def apply_filter(frame: pd.DataFrame, filters: ProblemFilter) -> pd.DataFrame:
    """The rows of ``frame`` (from :func:`all_problems`) that pass ``filters``."""
    keep = frame["path"].map(lambda p: filters.region in p).astype(bool)
    for column, wanted in (("list_code", filters.list_code),
                           ("department_code", filters.department),
                           ("category", filters.category), ("severity", filters.severity),
                           ("stage", filters.stage), ("light", filters.light)):
        if wanted:
            keep &= frame[column] == wanted
    if filters.found_from or filters.found_to:
        month = frame["found_on"].map(lambda d: d.strftime("%Y-%m"))
        if filters.found_from:
            keep &= month >= filters.found_from
        if filters.found_to:
            keep &= month <= filters.found_to
    return frame[keep].reset_index(drop=True)


@cached_query
def problems(*, scope: Scope, filters: ProblemFilter, today: date) -> pd.DataFrame:
    """The problems that pass ``filters``, newest first."""
    found = apply_filter(all_problems(scope=scope, today=today), filters)
    return found.sort_values(["found_on", "id"], ascending=False).reset_index(drop=True)


@cached_query
def problem(*, scope: Scope, problem_id: int, today: date) -> dict | None:
    """One problem (as a dict of its columns) or ``None`` if unknown or not visible."""
    frame = all_problems(scope=scope, today=today)
    row = frame[frame["id"] == problem_id]
    return None if row.empty else row.iloc[0].to_dict()


def refusal(*, scope: Scope, problem_id: int) -> str:
    """Why :func:`problem` found nothing: 无权限 (audited) if the problem exists outside the
    viewer's scope, else not found."""
    with read_connection() as conn:
        exists = conn.execute(select(Problem.id).where(Problem.id == problem_id)).first()
    if exists is None:
        return f"未找到编号为 {problem_id} 的问题。"
    from data import audit

    audit.record_denied(f"问题 {problem_id}")
    return f"无权限：编号为 {problem_id} 的问题不在您的账号可查看的范围内。"


@cached_query
def problem_history(*, scope: Scope, problem_id: int) -> pd.DataFrame:
    """The stage changes of a problem, oldest first."""
    if problem(scope=scope, problem_id=problem_id, today=clock.today(scope=scope)) is None:
        return pd.DataFrame(columns=["from_stage", "to_stage", "moved_by", "moved_at", "note"])
    history = _frame(
        select(ProblemMove.id, ProblemMove.from_stage, ProblemMove.to_stage,
               ProblemMove.moved_by, ProblemMove.moved_at, ProblemMove.note)
        .join(Problem, Problem.id == ProblemMove.problem_id)
        .where(ProblemMove.problem_id == problem_id, *problem_clauses(scope))
        .order_by(ProblemMove.moved_at, ProblemMove.id)
    )
    history["from_name"] = history["from_stage"].map(rules.STAGE_NAMES)
    history["to_name"] = history["to_stage"].map(rules.STAGE_NAMES)
    return history


@cached_query
def filter_options(*, scope: Scope) -> dict[str, list[tuple[str, str]]]:
    """Choices of the filters that come from the data: departments and categories
    (category values are ``name``; their labels carry the list's name)."""
    frame = all_problems(scope=scope, today=clock.today(scope=scope))
    departments = (frame[["department_code", "department_name"]].drop_duplicates()
                   .sort_values("department_code"))
    categories = (frame[["list_order", "list_name", "category"]].drop_duplicates()
                  .sort_values(["list_order", "category"]))
    return {
        "departments": list(departments.itertuples(index=False, name=None)),
        "categories": [(c, f"{ln} · {c}") for _, ln, c in
                       categories.itertuples(index=False, name=None)],
    }


def compared_regions(*, scope: Scope, adcode: str) -> pd.DataFrame:
    """The regions shown on the map for ``adcode``: its children, or, for a county, the
    counties of its city (``is_current`` marks the region itself)."""
    tree = regions(scope=scope)
    me = tree[tree["adcode"] == adcode]
    if me.empty:
        return tree.iloc[0:0].assign(is_current=pd.Series(dtype=bool))
    parent = adcode if me["level"].iloc[0] != "county" else me["parent_adcode"].iloc[0]
    members = tree[tree["parent_adcode"] == parent].copy()
    members["is_current"] = members["adcode"] == adcode
    return members.reset_index(drop=True)


@cached_query
def region_breakdown(*, scope: Scope, filters: ProblemFilter, today: date) -> pd.DataFrame:
    """Per compared region (see :func:`compared_regions` of ``filters.region``), the
    problems in its subtree that pass the other filters: total, open, closed, counts by
    light, and open problems per 10,000 residents."""
    members = compared_regions(scope=scope, adcode=filters.region)
    parent = (members["parent_adcode"].iloc[0] if len(members) else filters.region)
    found = apply_filter(all_problems(scope=scope, today=today), filters.but(region=parent))
    rows = []
    for member in members.itertuples(index=False):
        mine = found[found["path"].map(lambda p, a=member.adcode: a in p)]
        counts = rules.closure_rates(mine)
        rows.append({"adcode": member.adcode, **{k: counts[k] for k in (
            "total", "open", "closed", "red", "yellow", "green")},
            "rectification_rate": counts["rectification_rate"],
            "on_time_rate": counts["on_time_rate"]})
    table = members[["adcode", "name", "level", "population", "label_lon", "label_lat",
                     "is_current"]].merge(pd.DataFrame(rows, columns=[
                         "adcode", "total", "open", "closed", "red", "yellow", "green",
                         "rectification_rate", "on_time_rate"]), on="adcode", how="left")
    population = table["population"].astype(float)
    table["open_per_10k"] = (table["open"] / population * 10000).where(population > 0)
    return table


@cached_query
def common_problems(*, scope: Scope, filters: ProblemFilter, today: date,
                    limit: int = 15) -> pd.DataFrame:
    """Common problems (共性问题): categories present in many regions at once.

    Among the problems that pass ``filters``, per category: ``open_regions``, the counties
    where it is open now (未销号 — present at the same time), and ``regions``, the counties
    where it was found at all. Ranked by ``open_regions``, then ``regions``, cities and
    problems; ``region_share`` is ``open_regions`` over the counties of the subtree (or, when
    nothing is open, ``regions``), ``region_names`` the counties with most of them."""
    found = apply_filter(all_problems(scope=scope, today=today), filters)
    tree = regions(scope=scope)
    counties = tree[(tree["level"] == "county")
                    & tree.apply(lambda r: filters.region in [*r["ancestors"], r["adcode"]],
                                 axis=1)]
    columns = ["list_code", "list_name", "category", "open_regions", "regions", "cities",
               "problems", "open", "red", "region_share", "region_names"]
    if found.empty:
        return pd.DataFrame(columns=columns)
    found = found.assign(open_region=found["region_adcode"].where(found["stage"] != "closed"))
    grouped = found.groupby(["list_code", "list_name", "category"], as_index=False).agg(
        open_regions=("open_region", "nunique"),
        regions=("region_adcode", "nunique"),
        cities=("city_adcode", "nunique"),
        problems=("id", "size"),
        open=("stage", lambda s: int((s != "closed").sum())),
        red=("light", lambda s: int((s == "red").sum())),
    )
    names = {}
    for key, rows in found.groupby(["list_code", "category"]):
        current = rows[rows["stage"] != "closed"]
        names[key] = "、".join((current if len(current) else rows)["region_name"]
                              .value_counts().index[:5])
    grouped["region_names"] = [names[(lc, c)] for lc, c in
                               zip(grouped["list_code"], grouped["category"], strict=True)]
    counted = grouped["open_regions"].where(grouped["open_regions"] > 0, grouped["regions"])
    grouped["region_share"] = counted / max(len(counties), 1) * 100.0
    grouped = grouped.sort_values(["open_regions", "regions", "cities", "problems"],
                                  ascending=False)
    return grouped[columns].head(limit).reset_index(drop=True)


def region_problems(*, scope: Scope, adcode: str, today: date) -> pd.DataFrame:
    """The problems of ``adcode``'s subtree (those :func:`problems` gives with a filter on the
    region alone, in the order of :func:`all_problems`): only that subtree is read (a city
    reads its own problems, not the province's)."""
    tree = regions(scope=scope).set_index("adcode")
    if adcode not in tree.index:
        return apply_filter(all_problems(scope=scope, today=today), ProblemFilter(region=adcode))
    below = scope.below(adcode, list(tree.at[adcode, "ancestors"]))
    return apply_filter(all_problems(scope=below, today=today), ProblemFilter(region=adcode))


@cached_query
def list_light_counts(*, scope: Scope, adcode: str, today: date) -> pd.DataFrame:
    """For the cockpit panel: per list, the problems in ``adcode``'s subtree: total, open,
    closed and counts by light, in the lists' order (lists without problems included)."""
    found = region_problems(scope=scope, adcode=adcode, today=today)
    rows = []
    for lst in problem_lists(scope=scope).itertuples(index=False):
        counts = rules.closure_rates(found[found["list_code"] == lst.code])
        rows.append({"list_code": lst.code, "list_name": lst.name,
                     **{k: counts[k] for k in ("total", "open", "closed", "red", "yellow",
                                               "green")}})
    return pd.DataFrame(rows)


# --- writes ----------------------------------------------------------------------------------

class MoveRefused(ValueError):
    """A stage change the rules refuse; the message is shown to the user as it is."""


MOVED_MEANWHILE = "该问题刚被他人办理，请刷新页面查看最新阶段后再办理。"


def move_problem(*, scope: Scope, problem_id: int, to_stage: str, mover: str | None,
                 note: str | None, today: date, now: datetime,
                 expected_stage: str | None = None, by: Account | None = None) -> str:
    """Move a problem to ``to_stage`` and record the move in its history, in one
    transaction. ``expected_stage`` is the stage the mover saw: if someone moved the
    problem meanwhile the move is refused. Raises :class:`MoveRefused` with the reason;
    returns a sentence saying what was done. The move goes into the audit log (``by``: the
    signed-in account that made it)."""
    if scope.read_only:
        raise MoveRefused(ReadOnly.message)
    try:
        return _move(scope=scope, problem_id=problem_id, to_stage=to_stage, mover=mover,
                     note=note, today=today, now=now, expected_stage=expected_stage, by=by)
    except StoreBusy as busy:  # another write holds the store (SQLite): nothing was written
        raise MoveRefused(MOVED_MEANWHILE) from busy


def _move(*, scope: Scope, problem_id: int, to_stage: str, mover: str | None,
          note: str | None, today: date, now: datetime, expected_stage: str | None,
          by: Account | None) -> str:
    with write_transaction() as conn:
        row = conn.execute(
            select(Problem.id, Problem.stage, Problem.region_adcode, Problem.department_code,
                   Problem.code)
            .where(Problem.id == problem_id, *problem_clauses(scope)).with_for_update()
        ).first()
        if row is None:
            raise MoveRefused("未找到该问题，或您无权办理该问题。")
        if expected_stage is not None and row.stage != expected_stage:
            raise MoveRefused(
                f"该问题已被他人变更为“{rules.STAGE_NAMES.get(row.stage, row.stage)}”阶段，"
                "请刷新页面后再办理。")
        refusal = rules.move_refusal(current=row.stage, target=to_stage, mover=mover, note=note)
        if refusal:
            raise MoveRefused(refusal)
        # Compare-and-set on the stage: of two moves made at the same moment one wins and the
        # other is refused, on SQLite (where FOR UPDATE does nothing) as on PostgreSQL.
        moved = conn.execute(
            update(Problem).where(Problem.id == problem_id, Problem.stage == row.stage)
            .values(stage=to_stage, **{rules.STAGE_DATE_COLUMNS[to_stage]: today}))
        if moved.rowcount != 1:
            raise MoveRefused(MOVED_MEANWHILE)
        conn.execute(ProblemMove.__table__.insert().values(
            problem_id=problem_id, from_stage=row.stage, to_stage=to_stage,
            moved_by=(mover or "").strip(), moved_at=now.replace(microsecond=0),
            note=(note or "").strip() or None))
    audit.record("stage_move", by=by, target=f"问题 {row.code}",
                 detail=f"{rules.STAGE_NAMES[row.stage]} → {rules.STAGE_NAMES[to_stage]}")
    return (f"{row.code} 已由“{rules.STAGE_NAMES[row.stage]}”推进到"
            f"“{rules.STAGE_NAMES[to_stage]}”。")
