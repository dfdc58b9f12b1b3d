"""Tables of the briefings (简报): every briefing asked for, its state and its file, and the
schedules that produce briefings on the work's rhythm. Declared on :class:`data.schema.Base`."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, DateTime, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from data.schema import Base


class Briefing(Base):
    """One briefing: who asked for it (or for whom a schedule made it), what it covers, where
    it stands (queued → running → done, or failed with the reason) and its file."""

    __tablename__ = "briefings"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    #: The user it is made for (its scope decides what it shows) and who asked for it.
    username: Mapped[str] = mapped_column(String(40), index=True)
    display_name: Mapped[str] = mapped_column(String(40))
    unit: Mapped[str] = mapped_column(String(100))
    requested_by: Mapped[str] = mapped_column(String(40))
    #: The scope it was computed under (JSON: regions and departments, null for all).
    scope: Mapped[str] = mapped_column(Text)
    region_adcode: Mapped[str] = mapped_column(String(6), index=True)
    region_name: Mapped[str] = mapped_column(String(40))
    window_kind: Mapped[str] = mapped_column(String(10))
    window_key: Mapped[str] = mapped_column(String(10))
    indicator_code: Mapped[str | None] = mapped_column(String(40))
    #: The chosen sections, comma-separated.
    sections: Mapped[str] = mapped_column(Text)
    #: page, cli, schedule
    source: Mapped[str] = mapped_column(String(10))
    schedule_id: Mapped[int | None] = mapped_column(Integer, index=True)
    #: queued, running, done, failed
    status: Mapped[str] = mapped_column(String(10), index=True)
    progress: Mapped[int] = mapped_column(Integer, default=0)
    #: What it is doing now (running) or why it failed (failed), in Chinese.
    message: Mapped[str | None] = mapped_column(Text)
    #: The file's name inside the briefing folder (a random name; set once done).
    file_name: Mapped[str | None] = mapped_column(String(80))
    #: The name the file is downloaded under (``杭州市数字化改革月报-2026-10.pdf``).
    title: Mapped[str | None] = mapped_column(String(200))
    size_bytes: Mapped[int | None] = mapped_column(Integer)
    pages: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, index=True)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    #: The last sign of life of a running job (a job silent too long is marked failed).
    heartbeat_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)


class BriefingSchedule(Base):
    """Briefings made on the work's rhythm: for its regions and recipients, one per window of
    its kind, on a weekday (weekly) or a day of the month after the window (the others)."""

    __tablename__ = "briefing_schedules"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(String(100))
    #: Adcodes, comma-separated.
    regions: Mapped[str] = mapped_column(Text)
    window_kind: Mapped[str] = mapped_column(String(10))
    #: Weekly: the ISO weekday (1 = Monday) it is made on; else the day of the month after the
    #: window ends.
    day: Mapped[int] = mapped_column(Integer)
    #: User names, comma-separated: one briefing per recipient, under the recipient's scope.
    recipients: Mapped[str] = mapped_column(Text)
    sections: Mapped[str] = mapped_column(Text)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_by: Mapped[str] = mapped_column(String(40))
    created_at: Mapped[datetime] = mapped_column(DateTime)
