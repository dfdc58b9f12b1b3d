"""Tables of the horse-race board (赛马榜): the weight of each indicator in the composite score
and the red, yellow and black lists (红黄黑榜) with their thresholds. Both are data: the
reference files give the defaults (``data/files/ranking_weights.csv``, ``ranking_lists.csv``),
an administrator changes them on ``/rankings``; who changed them and when is kept."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Float, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from data.schema import Base


class RankingWeight(Base):
    """The weight of one indicator in the composite score (0: not counted)."""

    __tablename__ = "ranking_weights"
    indicator_code: Mapped[str] = mapped_column(ForeignKey("indicators.code"), primary_key=True)
    weight: Mapped[float] = mapped_column(Float)
    updated_by: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
    batch_id: Mapped[int | None] = mapped_column(Integer, index=True)
    source_row: Mapped[int | None] = mapped_column(Integer)


class RankingList(Base):
    """One of the red, yellow and black lists and the thresholds that put a region on it.

    A region is on the list when its conditions hold — all of them (``match == 'all'``) or any
    (``'any'``); an empty threshold is no condition. Lists are tried by ``precedence`` and a
    region goes on the first that takes it (black before yellow)."""

    __tablename__ = "ranking_lists"
    code: Mapped[str] = mapped_column(String(10), primary_key=True)
    name: Mapped[str] = mapped_column(String(20))
    meaning: Mapped[str] = mapped_column(Text)
    match: Mapped[str] = mapped_column(String(3))
    precedence: Mapped[int] = mapped_column(Integer)
    score_at_least: Mapped[float | None] = mapped_column(Float)
    score_below: Mapped[float | None] = mapped_column(Float)
    red_lights_at_least: Mapped[int | None] = mapped_column(Integer)
    red_lights_at_most: Mapped[int | None] = mapped_column(Integer)
    updated_by: Mapped[str] = mapped_column(String(40))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime)
