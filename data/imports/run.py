"""One import, all or nothing: read the file, check every row, then write it in one
transaction — or refuse it whole with the reasons, leaving the store as it was.

    outcome = run_import(path, kind="indicator-values", channel="cli", actor="张三",
                         filename="10月指标.xlsx")

Every import is recorded as a batch (``import_batches``), accepted or refused; a refused
file's batch says why, row by row. An accepted import into a topic still holding demo data
removes that topic's demo data in the same transaction (real figures are never mixed with
invented ones).
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Connection, text

from data import clock, demo_topics
from data.imports.cells import Issue, Refused
from data.imports.kinds import Kind, RowCheck
from data.imports.lookups import Lookups
from data.imports.reader import FileRefused, Row, Table, is_blank, open_table
from data.imports.registry import KINDS
from data.imports.writer import STAGING, Stager, duplicate_keys, merge
from data.imports_schema import ImportBatch
from data.scope import EVERYTHING, Scope
from data.store import write_transaction

if TYPE_CHECKING:
    from data.accounts import Account

log = logging.getLogger(__name__)

#: How many row-by-row reasons a refused batch keeps (the total is always counted).
KEPT_ISSUES = 200
CHANNELS = ("page", "cli", "api")
NOT_IMPORTED = "未导入，数据库未作任何改动。"


@dataclass
class Outcome:
    """What an import did: accepted with counts, or refused with the reasons."""

    kind: str
    accepted: bool
    batch_id: int | None = None
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    demo_cleared: int = 0
    message: str = ""
    issues: list[Issue] = field(default_factory=list)
    issue_count: int = 0

    def summary(self) -> str:
        if self.accepted:
            cleared = f"；已清除演示数据 {self.demo_cleared} 条" if self.demo_cleared else ""
            return (f"已导入第{self.batch_id}批：共 {self.rows} 行，新增 {self.inserted}，"
                    f"更新 {self.updated}，未变 {self.unchanged}{cleared}。")
        return f"未导入（第{self.batch_id}批，已拒收）：{self.message}"

    def as_dict(self) -> dict:
        return {
            "kind": self.kind, "accepted": self.accepted, "batch": self.batch_id,
            "rows": self.rows, "inserted": self.inserted, "updated": self.updated,
            "unchanged": self.unchanged, "demo_cleared": self.demo_cleared,
            "message": self.message if not self.accepted else self.summary(),
            "errors": [i.as_dict() for i in self.issues], "error_count": self.issue_count,
        }


def _header_key(text_: object, *, drop_notes: bool = False) -> str:
    value = unicodedata.normalize("NFKC", str(text_ or "")).strip().lower()
    if drop_notes:  # 数值(万人) → 数值
        value = re.sub(r"[(\[【][^)\]】]*[)\]】]", "", value)
    return re.sub(r"[\s*＊（）()\[\]【】:：]", "", value)


def map_header(kind: Kind, header: tuple) -> dict[int, str]:
    """Which column of the file is which column of the kind (by Chinese name, alias or
    English code); refuses unknown, repeated or missing columns."""
    names: dict[str, str] = {}
    for column in kind.columns:
        for label in (column.name, column.code, *column.aliases):
            names[_header_key(label)] = column.code
    mapping: dict[int, str] = {}
    issues: list[Issue] = []
    seen: dict[str, int] = {}
    for position, cell in enumerate(header):
        if cell is None or not str(cell).strip():
            continue
        code = names.get(_header_key(cell)) or names.get(_header_key(cell, drop_notes=True))
        label = str(cell).strip()
        if code is None:
            issues.append(Issue(1, label, None, "表头不是模板的列名，也不是英文列码；"
                                                "请使用下载的模板，或删除这一列"))
            continue
        if code in seen:
            issues.append(Issue(1, label, None, f"与第{seen[code] + 1}列重复"))
            continue
        seen[code] = position
        mapping[position] = code
    missing = [c for c in kind.required if c.code not in seen]
    for column in missing:
        issues.append(Issue(1, column.name, None,
                            f"缺少必填列“{column.name}”（或英文列码 {column.code}）"))
    if issues:
        filled = [str(c).strip() for c in header if c is not None and str(c).strip()]
        if len(filled) == 1 and not mapping:
            message = ("第1行不是表头：请删除表格上方的标题行，第一行应为列名"
                       f"（{'、'.join(c.name for c in kind.required)}）。")
        elif not mapping:
            message = (f"表头无法识别：不是“{kind.name}”模板的列名，也不是英文列码"
                       "（若列名是乱码，可能是文件编码不对）。")
        else:
            message = "表头有误：" + "；".join(i.sentence() for i in issues[:5])
        raise Refused(message, issues)
    return mapping


def checked_rows(kind: Kind, table: Table, mapping: dict[int, str], lookups: Lookups,
                 issues: list[Issue]) -> Iterator[tuple[int, dict]]:
    """The file's rows, checked; each failing row adds its reasons to ``issues``.

    Blank rows at the end are ignored; a blank row between rows of data is refused (two
    tables in one sheet, or rows deleted by hand)."""
    width = len(table.header)
    blank_run: list[int] = []
    quick = kind.fast(lookups) if kind.fast is not None else None
    positions = list(mapping.items())
    absent = dict.fromkeys(kind_codes_missing(kind, mapping))
    for row in table.rows():
        cells_ = row.cells
        if quick is not None and len(cells_) == width and not blank_run:
            raw = {code: cells_[position] for position, code in positions}
            raw.update(absent)
            record = quick(raw)
            if record is not None:
                yield row.number, record
                continue
        if is_blank(row.cells):
            blank_run.append(row.number)
            continue
        if blank_run:
            issues.append(Issue(blank_run[0], None, None,
                                "空行：数据中间不能有空行（请删除空行，或检查是否把两张表放在了一起）"))
            blank_run = []
        yield from _check(kind, row, width, mapping, lookups, issues)


def kind_codes_missing(kind: Kind, mapping: dict[int, str]) -> tuple[str, ...]:
    """The kind's columns the file does not have (read as empty)."""
    key = (kind.code, tuple(sorted(mapping.values())))
    found = _MISSING.get(key)
    if found is None:
        present = set(mapping.values())
        found = _MISSING[key] = tuple(c.code for c in kind.columns if c.code not in present)
    return found


_MISSING: dict[tuple, tuple[str, ...]] = {}


def _check(kind: Kind, row: Row, width: int, mapping: dict[int, str], lookups: Lookups,
           issues: list[Issue]) -> Iterable[tuple[int, dict]]:
    extra = [c for c in row.cells[width:] if c is not None and str(c).strip()]
    if extra:
        issues.append(Issue(row.number, None, str(extra[0])[:60],
                            "这一行比表头多出数据（表头之外的单元格有内容）"))
        return
    raw = {code: row.cells[position] if position < len(row.cells) else None
           for position, code in mapping.items()}
    check = RowCheck(row.number, raw, kind)
    record = kind.check(check, lookups)
    if check.issues:
        issues.extend(check.issues)
    elif record is not None:
        yield row.number, record


def file_digest(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while chunk := f.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def run_import(path: Path, *, kind: str, channel: str, actor: str,
               filename: str | None = None, system: str | None = None,
               max_bytes: int | None = None, scope: Scope = EVERYTHING,
               account: Account | None = None) -> Outcome:
    """Import ``path`` as ``kind``; never raises for a bad file (the outcome says why).

    ``scope`` is what the importer may write (an administrator: everything; a pushing system
    bound to an account: that account's regions and departments); ``account`` who imports,
    for the audit log (``None``: the command line or a system)."""
    size = path.stat().st_size
    batch = {"kind": kind, "channel": channel, "filename": filename, "system_name": system,
             "actor": actor[:80], "size_bytes": size, "sha256": file_digest(path)}
    try:
        if max_bytes is not None and size > max_bytes:
            raise Refused(f"文件大小 {size / 1048576:.1f} MB，超过上限 "
                          f"{max_bytes / 1048576:.0f} MB。请拆分后分批导入。")
        table = open_table(path)
    except FileRefused as refused:
        return audited(record_refusal(batch, Refused(str(refused)), scope=scope), batch,
                       account)
    except Refused as refused:
        return audited(record_refusal(batch, refused, scope=scope), batch, account)
    return import_table(table, batch=batch, scope=scope, account=account)


def import_table(table: Table, *, batch: dict, scope: Scope = EVERYTHING,
                 account: Account | None = None) -> Outcome:
    """Import an opened table (a file, or the rows of a push) described by ``batch``."""
    spec = KINDS[batch["kind"]]
    try:
        outcome = _import(spec, table, batch, scope=scope)
    except FileRefused as refused:
        outcome = record_refusal(batch, Refused(str(refused)), scope=scope)
    except Refused as refused:
        outcome = record_refusal(batch, refused, scope=scope)
    finally:
        table.close()
    return audited(outcome, batch, account)


def audited(outcome: Outcome, batch: dict, account: Account | None) -> Outcome:
    """Every import, accepted or refused, is an event of the audit log."""
    from data import audit

    origin = batch.get("filename") or batch.get("system_name") or ""
    audit.record("api_push" if batch["channel"] == "api" else "import", by=account,
                 by_name=None if account is not None else batch["actor"],
                 target=f"{batch['kind']} 第{outcome.batch_id}批 {origin}".strip(),
                 detail=outcome.summary(), outcome="ok" if outcome.accepted else "refused")
    return outcome


def _import(spec: Kind, table: Table, batch: dict, *, scope: Scope) -> Outcome:
    mapping = map_header(spec, table.header)
    today = clock.today(scope=scope)
    now = clock.now(scope=scope)
    issues: list[Issue] = []
    with write_transaction() as conn:
        lookups = Lookups(conn, today=today, exclude_demo=spec.topic, scope=scope)
        for need in spec.needs:  # read before the rows stream (a COPY holds the connection)
            getattr(lookups, need)
        stager = Stager(conn, spec)
        try:
            for number, record in checked_rows(spec, table, mapping, lookups, issues):
                stager.add(number, record)
        except FileRefused as refused:
            stager.abort()
            raise Refused(str(refused)) from refused
        except Exception:
            stager.abort()
            raise
        staging = stager.finish()
        if not issues and stager.count == 0:
            raise Refused("文件中没有数据行（只有表头）。")
        if not issues:
            issues.extend(duplicate_keys(conn, spec, staging))
        if issues:
            raise Refused(_headline(issues), issues[:KEPT_ISSUES], count=len(issues))
        batch_id = _insert_batch(conn, batch | {"status": "accepted", "created_at": now})
        cleared = demo_topics.clear(conn, spec.topic)
        stamp = {"updated_at": now, "source": "api" if batch["channel"] == "api" else "import",
                 "updated_by": batch["actor"][:40]}
        stamp = {k: stamp[k] for k in spec.stamp}
        counts = (spec.merge or merge)(conn, spec, staging, batch_id=batch_id, stamp=stamp,
                                       actor=batch["actor"], now=now)
        conn.execute(ImportBatch.__table__.update().where(ImportBatch.id == batch_id).values(
            **counts, demo_cleared=cleared))
        if conn.dialect.name == "sqlite":
            conn.execute(text(f"DROP TABLE IF EXISTS {STAGING}"))
    return Outcome(kind=spec.code, accepted=True, batch_id=batch_id, demo_cleared=cleared,
                   **counts)


def _headline(issues: list[Issue]) -> str:
    rows = {i.row for i in issues if i.row is not None}
    first = issues[0].sentence()
    more = f"等 {len(issues)} 处问题（涉及 {len(rows)} 行）" if len(issues) > 1 else ""
    return f"{NOT_IMPORTED}{first}{('；' + more) if more else ''}"


def _insert_batch(conn: Connection, values: dict) -> int:
    return conn.execute(ImportBatch.__table__.insert().values(**values)).inserted_primary_key[0]


def record_refusal(batch: dict, refused: Refused, *, scope: Scope) -> Outcome:
    message = refused.message
    if not message.startswith(NOT_IMPORTED):
        message = f"{NOT_IMPORTED}{message}"
    issues = refused.issues[:KEPT_ISSUES]
    with write_transaction(figures=False) as conn:  # a refusal changes no figure
        batch_id = _insert_batch(conn, batch | {
            "status": "refused", "created_at": clock.now(scope=scope), "message": message,
            "errors": json.dumps([i.as_dict() for i in issues], ensure_ascii=False),
            "error_count": refused.count})
    return Outcome(kind=batch["kind"], accepted=False, batch_id=batch_id, message=message,
                   issues=issues, issue_count=refused.count)

