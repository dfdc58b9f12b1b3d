"""Tables of the public's appeals (民呼我为): the categories and channels (data), and the
weekly counts of each county — received, handled, replied on time, rated and satisfied — by
category, and the weekly counts received by channel. Counts, not single appeals: the cockpit
watches volumes, rates and trends; the appeals themselves stay in the systems that handle them
(12345, 浙里办, 信访)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from data.schema import Base


class AppealCategory(Base):
    __tablename__ = "appeal_categories"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    #: The department that answers for the category (a problem raised from it goes there).
    department_code: Mapped[str] = mapped_column(ForeignKey("departments.code"))
    sort_order: Mapped[int] = mapped_column(Integer)


class AppealChannel(Base):
    __tablename__ = "appeal_channels"
    code: Mapped[str] = mapped_column(String(20), primary_key=True)
    name: Mapped[str] = mapped_column(String(40))
    sort_order: Mapped[int] = mapped_column(Integer)


class AppealWeek(Base):
    """One county's appeals of one category in the week starting ``week_start`` (a Monday)."""

    __tablename__ = "appeal_weeks"
    region_adcode: Mapped[str] = mapped_column(ForeignKey("regions.adcode"), primary_key=True)
    week_start: Mapped[date] = mapped_column(Date, primary_key=True, index=True)
    category_code: Mapped[str] = mapped_column(ForeignKey("appeal_categories.code"),
                                               primary_key=True)
    received: Mapped[int] = mapped_column(Integer)
    #: Of those received: handled (办结), replied within the time limit (按时答复), rated by the
    #: person (评价) and rated satisfied (满意).
    handled: Mapped[int] = mapped_column(Integer)
    on_time: Mapped[int] = mapped_column(Integer)
    rated: Mapped[int] = mapped_column(Integer)
    satisfied: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(20))  # 'demo', 'import' or 'api'
    batch_id: Mapped[int | None] = mapped_column(Integer, index=True)
    source_row: Mapped[int | None] = mapped_column(Integer)


class AppealChannelWeek(Base):
    """One county's appeals received through one channel in a week."""

    __tablename__ = "appeal_channel_weeks"
    region_adcode: Mapped[str] = mapped_column(ForeignKey("regions.adcode"), primary_key=True)
    week_start: Mapped[date] = mapped_column(Date, primary_key=True, index=True)
    channel_code: Mapped[str] = mapped_column(ForeignKey("appeal_channels.code"),
                                              primary_key=True)
    received: Mapped[int] = mapped_column(Integer)
    source: Mapped[str] = mapped_column(String(20))
    batch_id: Mapped[int | None] = mapped_column(Integer, index=True)
    source_row: Mapped[int | None] = mapped_column(Integer)
