"""Import batches (read straight from the store: a refused batch changes no figure, so no
data version): the list, one batch's rows, and withdrawing an accepted batch (撤销本批).

Withdrawing a batch deletes the rows it wrote and puts back, in the same transaction, the
rows it had replaced (as they were, with their own batch and row). It is refused while a
later accepted batch has changed some of the same rows (withdraw that one first), or while
something else depends on a row the batch added (a progress report on an imported task).
Demo data a batch cleared is not brought back: ``flask seed-demo`` does that, when no
imported figure is left.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import pandas as pd
from sqlalchemy import Connection, delete, func, select, update

from data import audit, clock
from data.imports.registry import KINDS
from data.imports.writer import restore_rows
from data.imports_schema import ImportBatch, ImportReplaced
from data.scope import Scope
from data.store import read_connection, write_transaction

STATUS_NAMES = {"accepted": "已导入", "refused": "已拒收", "withdrawn": "已撤销"}
CHANNEL_NAMES = {"page": "页面上传", "cli": "命令行", "api": "接口推送"}
RESTORE_CHUNK = 5000

if TYPE_CHECKING:
    from data.accounts import Account


class WithdrawRefused(ValueError):
    """The batch cannot be withdrawn; the message says why, in Chinese."""


def _frame(conn: Connection, statement) -> pd.DataFrame:
    result = conn.execute(statement)
    return pd.DataFrame(result.all(), columns=list(result.keys()))


def batches(*, scope: Scope, kind: str | None = None, status: str | None = None,
            limit: int = 200) -> pd.DataFrame:
    """The latest batches, newest first."""
    statement = select(ImportBatch).order_by(ImportBatch.id.desc()).limit(limit)
    if kind:
        statement = statement.where(ImportBatch.kind == kind)
    if status:
        statement = statement.where(ImportBatch.status == status)
    with read_connection() as conn:
        return _frame(conn, statement)


def batch(*, scope: Scope, batch_id: int) -> dict | None:
    with read_connection() as conn:
        row = conn.execute(select(ImportBatch).where(ImportBatch.id == batch_id)).mappings().first()
    if row is None:
        return None
    found = dict(row)
    found["errors"] = json.loads(found["errors"]) if found.get("errors") else []
    return found


def batch_rows(*, scope: Scope, batch_id: int, limit: int = 500) -> pd.DataFrame:
    """The rows a batch wrote that still stand, in the order of its file."""
    found = batch(scope=scope, batch_id=batch_id)
    if found is None or found["kind"] not in KINDS:
        return pd.DataFrame()
    table = KINDS[found["kind"]].table
    with read_connection() as conn:
        return _frame(conn, select(table).where(table.c.batch_id == batch_id)
                      .order_by(table.c.source_row).limit(limit))


def replaced_count(*, scope: Scope, batch_id: int) -> int:
    with read_connection() as conn:
        return conn.execute(select(func.count()).select_from(ImportReplaced)
                            .where(ImportReplaced.batch_id == batch_id)).scalar_one()


def provenance(*, scope: Scope, batch_ids: tuple[int, ...]) -> dict[int, dict]:
    """What a figure's tooltip says about its batch: file or system, who, when."""
    if not batch_ids:
        return {}
    with read_connection() as conn:
        rows = conn.execute(select(ImportBatch.id, ImportBatch.filename, ImportBatch.system_name,
                                   ImportBatch.actor, ImportBatch.created_at,
                                   ImportBatch.channel)
                            .where(ImportBatch.id.in_(batch_ids))).mappings().all()
    return {row["id"]: dict(row) for row in rows}


def withdraw(batch_id: int, *, actor: str, scope: Scope, account: Account | None = None) -> str:
    """Withdraw an accepted batch in one transaction; a sentence saying what was done.
    ``account``: who (for the audit log; ``None``: the command line)."""
    with write_transaction() as conn:
        found = conn.execute(select(ImportBatch).where(ImportBatch.id == batch_id)
                             .with_for_update()).mappings().first()
        if found is None:
            raise WithdrawRefused(f"没有第{batch_id}批导入。")
        if found["status"] != "accepted":
            raise WithdrawRefused(f"第{batch_id}批{STATUS_NAMES.get(found['status'], '')}，"
                                  "只有已导入的批次可以撤销。")
        later = conn.execute(
            select(ImportBatch.id).join(ImportReplaced, ImportReplaced.batch_id == ImportBatch.id)
            .where(ImportReplaced.replaced_batch_id == batch_id,
                   ImportBatch.status == "accepted").distinct().order_by(ImportBatch.id.desc())
        ).scalars().all()
        if later:
            names = "、".join(f"第{b}批" for b in later)
            raise WithdrawRefused(f"{names}已更新了本批的部分数据，请先撤销{names}，"
                                  f"再撤销第{batch_id}批。")
        spec = KINDS[found["kind"]]
        if spec.withdraw_check is not None and (reason := spec.withdraw_check(conn, batch_id)):
            raise WithdrawRefused(reason)
        if spec.before_delete is not None:
            spec.before_delete(conn, batch_id)
        removed = 0
        for name in spec.tables:
            removed += _delete_written(conn, _table(name), batch_id)
        restored = _restore(conn, batch_id)
        conn.execute(update(ImportBatch).where(ImportBatch.id == batch_id).values(
            status="withdrawn", withdrawn_at=clock.now(scope=scope), withdrawn_by=actor[:80]))
    sentence = (f"已撤销第{batch_id}批：删除本批写入的 {removed} 行，恢复被本批替换的 "
                f"{restored} 行。")
    audit.record("import_withdraw", by=account,
                 by_name=None if account is not None else actor,
                 target=f"{found['kind']} 第{batch_id}批", detail=sentence)
    return sentence


def _surrogate(table) -> bool:
    """A table keyed by an ``id`` of its own (whose rows may be referenced by others)."""
    return [c.name for c in table.primary_key.columns] == ["id"]


def _imaged_ids(conn: Connection, table, batch_id: int) -> set[int]:
    return {json.loads(row)["id"] for row in conn.execute(
        select(ImportReplaced.row).where(ImportReplaced.batch_id == batch_id,
                                         ImportReplaced.table_name == table.name)).scalars()}


def _delete_written(conn: Connection, table, batch_id: int) -> int:
    """Delete the rows the batch added. Rows it changed are put back by :func:`_restore`:
    in a table keyed by ``id`` they stay (and are updated in place, so that what refers to
    them still does); in one keyed by its natural key they go and come back."""
    condition = [table.c.batch_id == batch_id]
    if _surrogate(table):
        imaged = _imaged_ids(conn, table, batch_id)
        if imaged:
            condition.append(table.c.id.not_in(imaged))
    return conn.execute(delete(table).where(*condition)).rowcount


def _restore(conn: Connection, batch_id: int) -> int:
    """Put back every row the batch replaced, as it was (in chunks)."""
    restored = 0
    last_id = 0
    while True:
        chunk = conn.execute(
            select(ImportReplaced.id, ImportReplaced.table_name, ImportReplaced.row)
            .where(ImportReplaced.batch_id == batch_id, ImportReplaced.id > last_id)
            .order_by(ImportReplaced.id).limit(RESTORE_CHUNK)).all()
        if not chunk:
            return restored
        last_id = chunk[-1][0]
        by_table: dict[str, list[str]] = {}
        for _, name, row in chunk:
            by_table.setdefault(name, []).append(row)
        for name, rows in by_table.items():
            table = _table(name)
            records = restore_rows(table, rows)
            if _surrogate(table):
                for record in records:
                    done = conn.execute(update(table).where(table.c.id == record["id"])
                                        .values(**record)).rowcount
                    if not done:
                        conn.execute(table.insert().values(**record))
            else:
                conn.execute(table.insert(), records)
            restored += len(rows)


def _table(name: str):
    from data.schema import Base

    return Base.metadata.tables[name]
