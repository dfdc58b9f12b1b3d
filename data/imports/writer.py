"""Writing checked rows: a staging table, then one merge into the real table.

The rows of a file go first into a temporary staging table (PostgreSQL: ``COPY`` through
psycopg 3, streamed; SQLite: batched inserts), inside the import's transaction. Only when
every row has passed (and no key is repeated, which the staging table finds) are they merged:

1. counted: new (no row with the key), changed (a value differs), unchanged;
2. the rows about to change are saved as they were (``import_replaced``, JSON), so that the
   batch can be withdrawn;
3. changed rows are updated and new rows inserted, each stamped with the batch and the row of
   the file it came from. Unchanged rows are not touched: importing a file again changes
   nothing.
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import (
    Column,
    Connection,
    Integer,
    MetaData,
    Table,
    Text,
    and_,
    case,
    cast,
    exists,
    func,
    literal,
    not_,
    select,
    text,
)

from data.imports.cells import Issue
from data.imports.kinds import Kind
from data.imports_schema import ImportReplaced

STAGING = "import_staging"
FLUSH_ROWS = 5000


class Stager:
    """Rows into the staging table, streamed."""

    def __init__(self, conn: Connection, kind: Kind) -> None:
        self.conn = conn
        self.kind = kind
        extra = dict(kind.staging_extra)
        self.columns = [*kind.keys, *kind.values, *extra]
        metadata = MetaData()
        postgres = conn.dialect.name == "postgresql"
        self.table = Table(
            STAGING, metadata,
            Column("_row", Integer),
            *(Column(c, extra[c] if c in extra else kind.table.c[c].type)
              for c in self.columns),
            prefixes=["TEMPORARY"],
            postgresql_on_commit="DROP",
        )
        if not postgres:  # a pooled SQLite connection may keep an earlier one
            conn.execute(text(f"DROP TABLE IF EXISTS {STAGING}"))
        self.table.create(conn)
        self.count = 0
        self._buffer: list[dict] = []
        self._copy = None
        self._cursor = None
        if postgres:
            self._cursor = conn.connection.driver_connection.cursor()
            names = ", ".join(["_row", *self.columns])
            self._copy_cm = self._cursor.copy(f"COPY {STAGING} ({names}) FROM STDIN")
            self._copy = self._copy_cm.__enter__()

    def add(self, number: int, record: dict) -> None:
        self.count += 1
        if self._copy is not None:
            self._copy.write_row((number, *(record[c] for c in self.columns)))
            return
        self._buffer.append({"_row": number, **{c: record[c] for c in self.columns}})
        if len(self._buffer) >= FLUSH_ROWS:
            self.flush()

    def flush(self) -> None:
        if self._buffer:
            self.conn.execute(self.table.insert(), self._buffer)
            self._buffer = []

    def finish(self) -> Table:
        """Close the stream; the staging table is ready to be queried."""
        if self._copy is not None:
            self._copy_cm.__exit__(None, None, None)
            self._copy = None
            self._cursor.close()
        self.flush()
        if self.conn.dialect.name == "postgresql":  # the planner's row count for the joins
            self.conn.execute(text(f"ANALYZE {STAGING}"))
        return self.table

    def abort(self) -> None:
        if self._copy is not None:
            with contextlib.suppress(Exception):  # the transaction is rolled back anyway
                self._copy_cm.__exit__(RuntimeError, RuntimeError("aborted"), None)
            self._copy = None


def duplicate_keys(conn: Connection, kind: Kind, staging: Table, *, limit: int = 50
                   ) -> list[Issue]:
    """Keys given twice in the file: each repeated key with the rows it appears on."""
    keys = [staging.c[k] for k in kind.keys]
    found = conn.execute(
        select(*keys, func.min(staging.c._row), func.max(staging.c._row), func.count())
        .group_by(*keys).having(func.count() > 1).order_by(func.min(staging.c._row))
        .limit(limit)
    ).all()
    issues = []
    names = "、".join(kind.column(kind.file_column(k)).name for k in kind.keys)
    for row in found:
        *key, first, last, times = row
        shown = " / ".join(_show(v) for v in key)
        issues.append(Issue(int(last), None, shown,
                            f"与第{first}行重复（{names}相同，共{times}行）：同一键只能出现一次"))
    return issues


def _show(value) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _json_pairs(conn: Connection, table: Table) -> object:
    pairs = []
    for column in table.c:
        pairs += [literal(column.name), column]
    builder = func.json_build_object if conn.dialect.name == "postgresql" else func.json_object
    return cast(builder(*pairs), Text)


def merge(conn: Connection, kind: Kind, staging: Table, *, batch_id: int,
          stamp: dict, **_: object) -> dict[str, int]:
    """Merge the staged rows into ``kind.table``; return the counts."""
    target = kind.table
    match = and_(*(target.c[k] == staging.c[k] for k in kind.keys))
    same = and_(*(target.c[v].is_not_distinct_from(staging.c[v]) for v in kind.values))
    joined = staging.join(target, match)
    matched, unchanged = conn.execute(
        select(func.count(), func.coalesce(func.sum(case((same, 1), else_=0)), 0))
        .select_from(joined)).one()
    total = conn.execute(select(func.count()).select_from(staging)).scalar_one()
    changed = matched - unchanged
    if changed:
        conn.execute(ImportReplaced.__table__.insert().from_select(
            ["batch_id", "table_name", "replaced_batch_id", "row"],
            select(literal(batch_id), literal(target.name), target.c.batch_id,
                   _json_pairs(conn, target))
            .select_from(joined).where(not_(same))))
        updates = {v: staging.c[v] for v in kind.values}
        updates |= {"batch_id": batch_id, "source_row": staging.c._row, **stamp}
        conn.execute(target.update().where(match, not_(same)).values(updates))
    if total - matched:
        advance_sequence(conn, target)
        columns = [*kind.keys, *kind.values, "batch_id", "source_row", *stamp]
        rows = select(*(staging.c[c] for c in [*kind.keys, *kind.values]),
                      literal(batch_id), staging.c._row,
                      *(literal(v) for v in stamp.values())
                      ).where(not_(exists().where(match)))
        conn.execute(target.insert().from_select(columns, rows))
    return {"rows": total, "inserted": total - matched, "updated": changed,
            "unchanged": unchanged}


def advance_sequence(conn: Connection, table: Table) -> None:
    """Rows inserted with explicit ids (the demo's) leave PostgreSQL's sequence behind; move
    it past the largest id before inserting without one."""
    if conn.dialect.name != "postgresql" or "id" not in table.c:
        return
    conn.execute(text(
        f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
        f"COALESCE((SELECT max(id) FROM {table.name}), 0) + 1, false)"))


def restore_value(table: Table, column: str, value):
    """A value read back from a JSON before-image, in its column's Python type."""
    if value is None:
        return None
    python_type = table.c[column].type.python_type
    if python_type is datetime and isinstance(value, str):
        return datetime.fromisoformat(value.replace("T", " ")[:26])
    if python_type is date and isinstance(value, str):
        return date.fromisoformat(value[:10])
    if python_type is float:
        return float(value)
    if python_type is int:
        return int(value)
    return value


def restore_rows(table: Table, rows: Iterable[str]) -> list[dict]:
    out = []
    for row in rows:
        data = json.loads(row)
        out.append({k: restore_value(table, k, v) for k, v in data.items() if k in table.c})
    return out
