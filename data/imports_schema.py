"""Tables of provenance: import batches (导入批次) and the figures a batch replaced (so that it
can be withdrawn, 撤销本批). Pushing systems use the access tokens of
:mod:`data.auth_schema` (kind ``api``).

Every imported figure carries ``batch_id`` and ``source_row`` in its own table (a plain
integer, not a foreign key: a bulk load of a million rows checks nothing it need not). The
batch says where the figures came from: the file or the pushing system, who, when, how
many rows were inserted, updated or unchanged — or why the whole file was refused.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from data.schema import Base


class ImportBatch(Base):
    __tablename__ = "import_batches"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: What was imported: ``indicator-values``, ``tasks`` … (see :mod:`data.imports.kinds`).
    kind: Mapped[str] = mapped_column(String(30), index=True)
    #: How it came: ``page`` (the /data upload), ``cli`` (``flask import``) or ``api`` (push).
    channel: Mapped[str] = mapped_column(String(10))
    #: The file's name as uploaded (page, command line), or ``None`` for a push.
    filename: Mapped[str | None] = mapped_column(String(255))
    #: The pushing system (the token's name), or ``None`` for a file.
    system_name: Mapped[str | None] = mapped_column(String(80))
    #: Who imported it (a user, the command line's account, or the system).
    actor: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(DateTime)
    #: ``accepted``, ``refused`` or ``withdrawn``.
    status: Mapped[str] = mapped_column(String(12), index=True)
    rows: Mapped[int] = mapped_column(Integer, default=0)
    inserted: Mapped[int] = mapped_column(Integer, default=0)
    updated: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    #: Demo rows of the topic removed because real data replaced them.
    demo_cleared: Mapped[int] = mapped_column(Integer, default=0)
    #: Why a refused batch was refused, in one sentence.
    message: Mapped[str | None] = mapped_column(Text)
    #: The row-by-row reasons (JSON list of {row, column, value, reason}; the first few).
    errors: Mapped[str | None] = mapped_column(Text)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    size_bytes: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64))
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    withdrawn_by: Mapped[str | None] = mapped_column(String(80))


class ImportReplaced(Base):
    """A row as it was before a batch changed it (JSON), so that the batch can be withdrawn."""

    __tablename__ = "import_replaced"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("import_batches.id"), index=True)
    table_name: Mapped[str] = mapped_column(String(40))
    #: The batch that had written the replaced row (``None``: demo or reference data).
    replaced_batch_id: Mapped[int | None] = mapped_column(Integer, index=True)
    row: Mapped[str] = mapped_column(Text)
