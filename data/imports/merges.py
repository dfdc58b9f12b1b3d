"""Merges of the kinds that write more than one row per file row, or whose rows must be
checked against the store as it stands (small files, so done row by row in Python):

- tasks: the task and its responsible units and regions (the children are replaced);
- problems: a problem, and the history of the stages its dates say it reached;
- problem moves: each move checked by the stage machine from the problem's current stage,
  and the problem's stage moved with it.

Each saves what it replaces (:func:`save_image`) so that the batch can be withdrawn, and says
why a batch cannot be withdrawn while something else now depends on rows it added.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import Connection, Table, delete, func, insert, select, update

from data.apps_schema import App, AppAdoption
from data.imports.cells import Issue, Refused
from data.imports_schema import ImportReplaced
from data.problems_rules import STAGE_DATE_COLUMNS, STAGE_NAMES, STAGES, move_refusal
from data.problems_schema import Problem, ProblemMove
from data.ranking_schema import RankingWeight
from data.risk_schema import Evacuation, RiskAssessment, RiskEvent, RiskNotice
from data.tasks_schema import (
    Task,
    TaskDirective,
    TaskIndicator,
    TaskMilestone,
    TaskRegion,
    TaskReport,
    TaskUnit,
)


def _json(value):
    if isinstance(value, datetime | date):
        return value.isoformat(sep=" ") if isinstance(value, datetime) else value.isoformat()
    return value


def save_image(conn: Connection, batch_id: int, table: Table, row: dict) -> None:
    """Keep ``row`` of ``table`` as it was before batch ``batch_id`` changed it."""
    conn.execute(insert(ImportReplaced).values(
        batch_id=batch_id, table_name=table.name,
        replaced_batch_id=row.get("batch_id"),
        row=json.dumps({c.name: _json(row.get(c.name)) for c in table.c}, ensure_ascii=False)))


def staged_rows(conn: Connection, staging: Table) -> list[dict]:
    return [dict(r._mapping) for r in conn.execute(select(staging).order_by(staging.c._row))]


def _existing(conn: Connection, table: Table, column: str, values: list) -> dict:
    found = {}
    for start in range(0, len(values), 500):
        chunk = values[start:start + 500]
        for row in conn.execute(select(table).where(table.c[column].in_(chunk))):
            found[row._mapping[column]] = dict(row._mapping)
    return found


def _advance(conn: Connection, table: Table) -> None:
    from data.imports.writer import advance_sequence

    advance_sequence(conn, table)


def _inserted_ids(conn: Connection, table: Table, batch_id: int) -> list[int]:
    """Ids of ``table``'s rows the batch added (its rows without a before-image)."""
    imaged = {json.loads(row)["id"] for row in conn.execute(
        select(ImportReplaced.row).where(ImportReplaced.batch_id == batch_id,
                                         ImportReplaced.table_name == table.name)).scalars()}
    ids = conn.execute(select(table.c.id).where(table.c.batch_id == batch_id)).scalars()
    return [i for i in ids if i not in imaged]


def _dependents(conn: Connection, ids: list[int], refs: list[tuple[Table, str, str]],
                batch_id: int) -> str | None:
    if not ids:
        return None
    found = []
    for table, column, name in refs:
        condition = [table.c[column].in_(ids)]
        if "batch_id" in table.c:  # rows the same batch wrote go with it
            condition.append((table.c.batch_id.is_(None)) | (table.c.batch_id != batch_id))
        count = conn.execute(select(func.count()).select_from(table).where(*condition)
                             ).scalar_one()
        if count:
            found.append(f"{count} 条{name}")
    if not found:
        return None
    return f"本批新增的数据已被引用（{'、'.join(found)}），不能撤销；请先处理这些记录。"


# --- tasks ------------------------------------------------------------------------------------

def _children(conn: Connection, ids: list[int]) -> dict[int, dict[str, set[str]]]:
    out: dict[int, dict[str, set[str]]] = defaultdict(lambda: {"units": set(), "regions": set()})
    if ids:
        for task_id, unit in conn.execute(select(TaskUnit.task_id, TaskUnit.department_code)
                                          .where(TaskUnit.task_id.in_(ids))):
            out[task_id]["units"].add(unit)
        for task_id, region in conn.execute(select(TaskRegion.task_id, TaskRegion.region_adcode)
                                            .where(TaskRegion.task_id.in_(ids))):
            out[task_id]["regions"].add(region)
    return out


def _split(text: str | None) -> set[str]:
    return {part for part in (text or "").split("|") if part}


def _write_children(conn: Connection, task_id: int, units: set[str], regions: set[str]) -> None:
    if units:
        conn.execute(insert(TaskUnit), [{"task_id": task_id, "department_code": u}
                                        for u in sorted(units)])
    if regions:
        conn.execute(insert(TaskRegion), [{"task_id": task_id, "region_adcode": r}
                                          for r in sorted(regions)])


def merge_tasks(conn: Connection, kind, staging: Table, *, batch_id: int, stamp: dict,
                **_: object) -> dict[str, int]:
    tasks = Task.__table__
    staged = staged_rows(conn, staging)
    existing = _existing(conn, tasks, "code", [r["code"] for r in staged])
    children = _children(conn, [t["id"] for t in existing.values()])
    counts = {"rows": len(staged), "inserted": 0, "updated": 0, "unchanged": 0}
    _advance(conn, tasks)
    for row in staged:
        values = {v: row[v] for v in kind.values}
        units, regions = _split(row["units"]), _split(row["regions"])
        old = existing.get(row["code"])
        stamped = {**values, "batch_id": batch_id, "source_row": row["_row"], **stamp}
        if old is None:
            task_id = conn.execute(insert(tasks).values(code=row["code"], **stamped)
                                   ).inserted_primary_key[0]
            _write_children(conn, task_id, units, regions)
            counts["inserted"] += 1
            continue
        was = children[old["id"]]
        if all(old[v] == values[v] for v in kind.values) and (
                was["units"], was["regions"]) == (units, regions):
            counts["unchanged"] += 1
            continue
        save_image(conn, batch_id, tasks, old)
        for unit in sorted(was["units"]):
            save_image(conn, batch_id, TaskUnit.__table__,
                       {"task_id": old["id"], "department_code": unit,
                        "batch_id": old["batch_id"]})
        for region in sorted(was["regions"]):
            save_image(conn, batch_id, TaskRegion.__table__,
                       {"task_id": old["id"], "region_adcode": region,
                        "batch_id": old["batch_id"]})
        conn.execute(update(tasks).where(tasks.c.id == old["id"]).values(**stamped))
        conn.execute(delete(TaskUnit).where(TaskUnit.task_id == old["id"]))
        conn.execute(delete(TaskRegion).where(TaskRegion.task_id == old["id"]))
        _write_children(conn, old["id"], units, regions)
        counts["updated"] += 1
    return counts


def task_dependents(conn: Connection, batch_id: int) -> str | None:
    ids = _inserted_ids(conn, Task.__table__, batch_id)
    return _dependents(conn, ids, [
        (TaskReport.__table__, "task_id", "进展报告"),
        (TaskMilestone.__table__, "task_id", "里程碑"),
        (TaskIndicator.__table__, "task_id", "关联指标"),
        (TaskDirective.__table__, "task_id", "批示或督办单"),
    ], batch_id)


def withdraw_task_children(conn: Connection, batch_id: int) -> None:
    """The units and regions of every task the batch wrote go; those of the tasks it
    changed come back from their images."""
    ids = select(Task.id).where(Task.batch_id == batch_id).scalar_subquery()
    conn.execute(delete(TaskUnit).where(TaskUnit.task_id.in_(ids)))
    conn.execute(delete(TaskRegion).where(TaskRegion.task_id.in_(ids)))


# --- problems -----------------------------------------------------------------------------------

def _history(problem_id: int, row: dict, *, batch_id: int, actor: str) -> list[dict]:
    """The moves a problem's stage dates say it made (发现 first)."""
    moves = [{"problem_id": problem_id, "from_stage": None, "to_stage": "found",
              "moved_at": datetime.combine(row["found_on"], datetime.min.time()),
              "moved_by": actor[:50], "note": f"导入（第{batch_id}批）", "batch_id": batch_id,
              "source_row": row["_row"]}]
    previous = "found"
    for stage in STAGES[1:]:
        day = row.get(STAGE_DATE_COLUMNS[stage])
        if day is None:
            break
        moves.append({"problem_id": problem_id, "from_stage": previous, "to_stage": stage,
                      "moved_at": datetime.combine(day, datetime.min.time()),
                      "moved_by": actor[:50], "note": f"导入（第{batch_id}批）",
                      "batch_id": batch_id, "source_row": row["_row"]})
        previous = stage
    return moves


def merge_problems(conn: Connection, kind, staging: Table, *, batch_id: int, stamp: dict,
                   actor: str, **_: object) -> dict[str, int]:
    problems = Problem.__table__
    staged = staged_rows(conn, staging)
    existing = _existing(conn, problems, "code", [r["code"] for r in staged])
    issues = []
    for row in staged:
        old = existing.get(row["code"])
        if old is not None and STAGES.index(row["stage"]) < STAGES.index(old["stage"]):
            issues.append(Issue(row["_row"], "销号日期", row["code"],
                                f"该问题已推进到“{STAGE_NAMES[old['stage']]}”，不能退回到"
                                f"“{STAGE_NAMES[row['stage']]}”；阶段推进请用“问题阶段推进”导入"))
    if issues:
        raise Refused(f"{issues[0].sentence()}", issues)
    counts = {"rows": len(staged), "inserted": 0, "updated": 0, "unchanged": 0}
    _advance(conn, problems)
    _advance(conn, ProblemMove.__table__)
    for row in staged:
        values = {v: row[v] for v in kind.values}
        stamped = {**values, "batch_id": batch_id, "source_row": row["_row"], **stamp}
        old = existing.get(row["code"])
        if old is None:
            problem_id = conn.execute(insert(problems).values(code=row["code"], **stamped)
                                      ).inserted_primary_key[0]
            conn.execute(insert(ProblemMove), _history(problem_id, row, batch_id=batch_id,
                                                       actor=actor))
            counts["inserted"] += 1
            continue
        if all(old[v] == values[v] for v in kind.values):
            counts["unchanged"] += 1
            continue
        save_image(conn, batch_id, problems, old)
        conn.execute(update(problems).where(problems.c.id == old["id"]).values(**stamped))
        reached = {m for m in conn.execute(select(ProblemMove.to_stage).where(
            ProblemMove.problem_id == old["id"])).scalars()}
        new_moves = [m for m in _history(old["id"], row, batch_id=batch_id, actor=actor)
                     if m["to_stage"] not in reached]
        if new_moves:
            conn.execute(insert(ProblemMove), new_moves)
        counts["updated"] += 1
    return counts


def problem_dependents(conn: Connection, batch_id: int) -> str | None:
    ids = _inserted_ids(conn, Problem.__table__, batch_id)
    return _dependents(conn, ids, [(ProblemMove.__table__, "problem_id", "阶段记录")], batch_id)


# --- problem moves --------------------------------------------------------------------------------

def merge_moves(conn: Connection, kind, staging: Table, *, batch_id: int, **_: object
                ) -> dict[str, int]:
    problems, moves = Problem.__table__, ProblemMove.__table__
    staged = staged_rows(conn, staging)
    ids = sorted({r["problem_id"] for r in staged})
    current = {p["id"]: p for p in _existing(conn, problems, "id", ids).values()}
    recorded: dict[tuple[int, str], dict] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for row in conn.execute(select(moves).where(moves.c.problem_id.in_(chunk))):
            recorded[(row.problem_id, row.to_stage)] = dict(row._mapping)
    counts = {"rows": len(staged), "inserted": 0, "updated": 0, "unchanged": 0}
    issues: list[Issue] = []
    changed_problems: dict[int, dict] = {}
    _advance(conn, moves)
    for row in sorted(staged, key=lambda r: (r["problem_id"], r["moved_at"], r["_row"])):
        key = (row["problem_id"], row["to_stage"])
        values = {v: row[v] for v in kind.values}
        old = recorded.get(key)
        problem = changed_problems.get(row["problem_id"]) or current[row["problem_id"]]
        if old is not None:  # a record of the history, corrected (who, when, the note)
            if all(old[v] == values[v] for v in kind.values):
                counts["unchanged"] += 1
                continue
            refusal = _out_of_order(problem, row["to_stage"], row["moved_at"].date())
            if refusal:
                issues.append(Issue(row["_row"], "时间", f"{row['moved_at']:%Y-%m-%d %H:%M}",
                                    f"{problem['code']}：{refusal}"))
                continue
            save_image(conn, batch_id, moves, old)
            conn.execute(update(moves).where(moves.c.id == old["id"]).values(
                **values, batch_id=batch_id, source_row=row["_row"]))
            date_column = STAGE_DATE_COLUMNS[row["to_stage"]]
            if row["problem_id"] not in changed_problems:
                save_image(conn, batch_id, problems, current[row["problem_id"]])
            conn.execute(update(problems).where(problems.c.id == row["problem_id"]).values(
                **{date_column: row["moved_at"].date()}))
            changed_problems[row["problem_id"]] = {**problem,
                                                   date_column: row["moved_at"].date()}
            counts["updated"] += 1
            continue
        refusal = move_refusal(current=problem["stage"], target=row["to_stage"],
                               mover=row["moved_by"], note=row["note"])
        stage_day = problem.get(STAGE_DATE_COLUMNS[problem["stage"]])
        if refusal is None and stage_day is not None and row["moved_at"].date() < stage_day:
            refusal = (f"早于该问题到达“{STAGE_NAMES[problem['stage']]}”的日期 "
                       f"{stage_day:%Y-%m-%d}")
        if refusal:
            issues.append(Issue(row["_row"], "推进到", STAGE_NAMES.get(row["to_stage"]),
                                f"{problem['code']}：{refusal}"))
            continue
        if row["problem_id"] not in changed_problems:
            save_image(conn, batch_id, problems, current[row["problem_id"]])
        conn.execute(insert(moves).values(
            problem_id=row["problem_id"], from_stage=problem["stage"], **values,
            to_stage=row["to_stage"], batch_id=batch_id, source_row=row["_row"]))
        date_column = STAGE_DATE_COLUMNS[row["to_stage"]]
        conn.execute(update(problems).where(problems.c.id == row["problem_id"]).values(
            stage=row["to_stage"], **{date_column: row["moved_at"].date()}))
        changed_problems[row["problem_id"]] = {**problem, "stage": row["to_stage"],
                                               date_column: row["moved_at"].date()}
        recorded[key] = {"id": None, **values}
        counts["inserted"] += 1
    if issues:
        raise Refused(issues[0].sentence(), issues)
    return counts


def _out_of_order(problem: dict, stage: str, day: date) -> str | None:
    """Why a corrected date of a stage the problem reached would put its stages out of
    order (each stage on or after the one before, on or before the one after)."""
    at = STAGES.index(stage)
    before = problem.get(STAGE_DATE_COLUMNS[STAGES[at - 1]]) if at else None
    after = (problem.get(STAGE_DATE_COLUMNS[STAGES[at + 1]])
             if at + 1 < len(STAGES) else None)
    if before is not None and day < before:
        return f"早于“{STAGE_NAMES[STAGES[at - 1]]}”的日期 {before:%Y-%m-%d}"
    if after is not None and day > after:
        return f"晚于“{STAGE_NAMES[STAGES[at + 1]]}”的日期 {after:%Y-%m-%d}"
    return None


def move_dependents(conn: Connection, batch_id: int) -> str | None:
    """A problem moved on after the batch's moves (by hand or by a later batch) cannot go
    back behind them."""
    ours = conn.execute(select(ProblemMove.problem_id, func.max(ProblemMove.moved_at))
                        .where(ProblemMove.batch_id == batch_id)
                        .group_by(ProblemMove.problem_id)).all()
    later = 0
    for problem_id, last in ours:
        later += conn.execute(select(func.count()).select_from(ProblemMove).where(
            ProblemMove.problem_id == problem_id, ProblemMove.moved_at > last,
            (ProblemMove.batch_id.is_(None)) | (ProblemMove.batch_id != batch_id))).scalar_one()
    if later:
        return f"本批推进过的问题之后又有 {later} 条阶段变更，不能撤销；请先撤销或处理这些变更。"
    return None


# --- risk events ---------------------------------------------------------------------------

def event_dependents(conn: Connection, batch_id: int) -> str | None:
    ids = _inserted_ids(conn, RiskEvent.__table__, batch_id)
    return _dependents(conn, ids, [
        (RiskAssessment.__table__, "event_id", "风险研判"),
        (RiskNotice.__table__, "event_id", "告知函或督办单"),
        (Evacuation.__table__, "event_id", "转移人数"),
    ], batch_id)


# --- the incentive layer --------------------------------------------------------------------

def app_dependents(conn: Connection, batch_id: int) -> str | None:
    """Applications the batch added that regions adopted since (a later batch)."""
    codes = [row["code"] for row in conn.execute(select(App.__table__).where(
        App.batch_id == batch_id)).mappings()]
    imaged = {json.loads(row)["code"] for row in conn.execute(
        select(ImportReplaced.row).where(ImportReplaced.batch_id == batch_id,
                                         ImportReplaced.table_name == "apps")).scalars()}
    added = [code for code in codes if code not in imaged]
    if not added:
        return None
    count = conn.execute(select(func.count()).select_from(AppAdoption).where(
        AppAdoption.app_code.in_(added),
        (AppAdoption.batch_id.is_(None)) | (AppAdoption.batch_id != batch_id))).scalar_one()
    if not count:
        return None
    return f"本批新增的应用已被引用（{count} 条推广记录），不能撤销；请先撤销这些推广记录。"


def merge_weights(conn: Connection, kind, staging: Table, **options: object) -> dict[str, int]:
    """The default merge, refused if it would leave every weight at zero (no score)."""
    from data.imports.writer import merge

    counts = merge(conn, kind, staging, **options)
    if not conn.execute(select(func.count()).select_from(RankingWeight).where(
            RankingWeight.weight > 0)).scalar_one():
        raise Refused("导入后所有指标的权重都为 0，赛马榜将无法计分；请至少保留一个大于 0 的权重。")
    return counts
