"""What a file's rows are checked against: regions, indicators, departments, systems, lists,
hazards, levels, tasks, problems and events that exist, read once per import.

A region is given by its adcode or its Chinese name — full (``西湖区``), short (``西湖``) or
with its city (``杭州市西湖区``); a name that fits more than one region is refused with the
candidates. Departments, systems, lists, hazards and levels take their code or their name.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from datetime import date
from functools import cached_property

import pandas as pd
from sqlalchemy import Connection, select

from data.appeals_schema import AppealCategory, AppealChannel
from data.apps_schema import App
from data.imports.cells import CellError, normal
from data.problems_schema import Problem, ProblemList
from data.risk_schema import Hazard, RiskEvent, RiskLevel
from data.schema import Department, Indicator, Region, System
from data.scope import EVERYTHING, Scope
from data.tasks_schema import Task

_SUFFIX = re.compile(r"(自治县|新区|市|区|县)$")


def short_name(name: str) -> str:
    return _SUFFIX.sub("", name) or name


class RegionIndex:
    """Finds a region by adcode or name (full, short, or prefixed by its city)."""

    def __init__(self, regions: pd.DataFrame) -> None:
        self.frame = regions.set_index("adcode")
        names: dict[str, set[str]] = defaultdict(set)
        for adcode, name, parent in zip(regions["adcode"], regions["name"],
                                        regions["parent_adcode"], strict=True):
            names[name].add(adcode)
            names[short_name(name)].add(adcode)
            if isinstance(parent, str) and parent in self.frame.index:
                parent_name = self.frame.loc[parent, "name"]
                if self.frame.loc[parent, "level"] != "province":
                    for prefix in (parent_name, short_name(parent_name)):
                        names[prefix + name].add(adcode)
        self.names = {k: tuple(sorted(v)) for k, v in names.items()}
        self.levels: dict[str, str] = dict(zip(regions["adcode"], regions["level"], strict=True))
        self.parents: dict[str, str | None] = {
            a: (p if isinstance(p, str) else None)
            for a, p in zip(regions["adcode"], regions["parent_adcode"], strict=True)}
        self.region_names: dict[str, str] = dict(zip(regions["adcode"], regions["name"],
                                                     strict=True))
        #: Exact spellings that need no normalising: adcodes and unambiguous names.
        self.exact: dict[str, str] = {a: a for a in self.levels}
        self.exact.update({k: v[0] for k, v in self.names.items() if len(v) == 1})

    def find(self, raw: object) -> str | None:
        if isinstance(raw, str) and raw in self.exact:
            return self.exact[raw]
        if isinstance(raw, float) and raw.is_integer():
            raw = int(raw)
        value = normal(raw)
        if value is None:
            return None
        value = value.replace(" ", "")
        if value.endswith(".0") and value[:-2].isdigit():
            value = value[:-2]
        if value.isdigit():
            if value in self.frame.index:
                return value
            raise CellError("没有这个行政区划代码（应为6位，例如 330106）")
        found = self.names.get(value) or self.names.get(value.removeprefix("浙江省"))
        if not found:
            raise CellError("没有这个地区（请填写行政区划代码或地区全称，例如 330106 或 西湖区）")
        if len(found) > 1:
            candidates = "、".join(f"{self.region_names[a]}（{a}）" for a in found)
            raise CellError(f"地区名称有歧义，可能是：{candidates}；请改填行政区划代码")
        return found[0]

    def level(self, adcode: str) -> str:
        return self.levels[adcode]

    def name(self, adcode: str) -> str:
        return self.region_names[adcode]

    def parent(self, adcode: str) -> str | None:
        return self.parents[adcode]

    def is_within(self, adcode: str, root: str) -> bool:
        """Whether ``adcode`` is ``root`` or below it."""
        current: str | None = adcode
        while current is not None:
            if current == root:
                return True
            current = self.parent(current)
        return False


class CodeOrName:
    """A short list of things with a code and a name (departments, systems, lists …)."""

    def __init__(self, pairs: list[tuple[str, str]], *, what: str) -> None:
        self.by_code = {code: name for code, name in pairs}
        self.by_upper = {code.upper(): code for code, _ in pairs}
        by_name: dict[str, set[str]] = defaultdict(set)
        for code, name in pairs:
            folded = unicodedata.normalize("NFKC", name)  # as a cell is read: （ → (
            for key in (name, folded, name.removeprefix("省"), folded.removeprefix("省")):
                by_name[key].add(code)
        self.by_name = {k: tuple(sorted(v)) for k, v in by_name.items()}
        self.what = what

    def find(self, raw: object) -> str | None:
        value = normal(raw)
        if value is None:
            return None
        if value.upper() in self.by_upper:
            return self.by_upper[value.upper()]
        found = self.by_name.get(value) or self.by_name.get(value.removeprefix("省"))
        if not found:
            raise CellError(f"没有这个{self.what}（请填写编码或名称，见模板的“选项”表）")
        if len(found) > 1:
            raise CellError(f"{self.what}名称有歧义：{'、'.join(found)}；请改填编码")
        return found[0]

    def names(self) -> list[str]:
        return list(self.by_code.values())


class Lookups:
    """Everything rows are checked against, read from ``conn`` when first needed."""

    def __init__(self, conn: Connection, *, today: date, exclude_demo: str | None = None,
                 scope: Scope = EVERYTHING) -> None:
        self.conn = conn
        self.today = today
        #: Whose rows these are: a pushing system bound to an account writes only inside the
        #: account's regions and departments.
        self.scope = scope
        #: The topic being imported: its demo rows are about to go, so rows cannot refer
        #: to them (a report on a demo task would be left without its task).
        self.exclude_demo = exclude_demo

    def _frame(self, statement) -> pd.DataFrame:
        result = self.conn.execute(statement)
        return pd.DataFrame(result.all(), columns=list(result.keys()))

    @cached_property
    def regions(self) -> RegionIndex:
        return RegionIndex(self._frame(select(Region.adcode, Region.name, Region.level,
                                              Region.parent_adcode)))

    @cached_property
    def allowed_regions(self) -> frozenset[str] | None:
        """The adcodes the importer may write, or ``None`` for every region."""
        if self.scope.regions is None:
            return None
        index = self.regions
        return frozenset(a for a in index.levels
                         if any(index.is_within(a, root) for root in self.scope.regions))

    def region_refusal(self, adcode: str) -> str | None:
        allowed = self.allowed_regions
        if allowed is not None and adcode not in allowed:
            return f"无权限：{self.regions.name(adcode)}不在本账号的地区范围内"
        return None

    def department_refusal(self, department: str | None) -> str | None:
        if not self.scope.admits_department(department):
            return "无权限：该项不属于本账号的部门"
        return None

    @cached_property
    def indicators(self) -> dict[str, dict]:
        frame = self._frame(select(Indicator))
        return {row["code"]: row for row in frame.to_dict("records")}

    @cached_property
    def indicator_names(self) -> dict[str, str]:
        return {row["name"]: code for code, row in self.indicators.items()}

    def indicator(self, raw: object) -> str | None:
        value = normal(raw)
        if value is None:
            return None
        if value.upper() in self.indicators:
            return value.upper()
        if value in self.indicator_names:
            return self.indicator_names[value]
        raise CellError("没有这个指标编码（见模板的“选项”表）")

    @cached_property
    def departments(self) -> CodeOrName:
        return CodeOrName([tuple(r) for r in self.conn.execute(
            select(Department.code, Department.name)).all()], what="单位")

    @cached_property
    def systems(self) -> CodeOrName:
        return CodeOrName([tuple(r) for r in self.conn.execute(
            select(System.code, System.name).order_by(System.sort_order)).all()], what="系统")

    @cached_property
    def problem_lists(self) -> CodeOrName:
        return CodeOrName([tuple(r) for r in self.conn.execute(
            select(ProblemList.code, ProblemList.name).order_by(ProblemList.sort_order)).all()],
            what="清单")

    @cached_property
    def hazards(self) -> CodeOrName:
        return CodeOrName([tuple(r) for r in self.conn.execute(
            select(Hazard.code, Hazard.name).order_by(Hazard.sort_order)).all()], what="灾种")

    @cached_property
    def risk_levels(self) -> CodeOrName:
        rows = self.conn.execute(select(RiskLevel.code, RiskLevel.name, RiskLevel.short_name)
                                 .order_by(RiskLevel.rank)).all()
        pairs = [(code, name) for code, name, _ in rows]
        pairs += [(code, short) for code, _, short in rows]
        pairs += [(code, f"{short}色") for code, _, short in rows]
        index = CodeOrName(pairs, what="风险等级")
        index.by_code = {code: name for code, name, _ in rows}
        return index

    @cached_property
    def tasks(self) -> dict[str, dict]:
        statement = select(Task.id, Task.code, Task.region_adcode, Task.source,
                           Task.start_date, Task.lead_department)
        if self.exclude_demo == "tasks":
            statement = statement.where(Task.source != "demo")
        frame = self._frame(statement)
        return {row["code"]: row for row in frame.to_dict("records")}

    @cached_property
    def problems(self) -> dict[str, dict]:
        statement = select(Problem)
        if self.exclude_demo == "problems":
            statement = statement.where(Problem.source != "demo")
        frame = self._frame(statement)
        return {row["code"]: row for row in frame.to_dict("records")}

    @cached_property
    def events(self) -> dict[str, dict]:
        """Disaster events by name: id, start and end."""
        statement = select(RiskEvent.id, RiskEvent.name, RiskEvent.started_at,
                           RiskEvent.ended_at)
        if self.exclude_demo == "risk":
            statement = statement.where(RiskEvent.source != "demo")
        return {row.name: {"id": row.id, "started_at": row.started_at,
                           "ended_at": row.ended_at} for row in self.conn.execute(statement)}

    @cached_property
    def appeal_categories(self) -> CodeOrName:
        return CodeOrName([tuple(r) for r in self.conn.execute(
            select(AppealCategory.code, AppealCategory.name)
            .order_by(AppealCategory.sort_order)).all()], what="诉求类别")

    @cached_property
    def appeal_channels(self) -> CodeOrName:
        return CodeOrName([tuple(r) for r in self.conn.execute(
            select(AppealChannel.code, AppealChannel.name)
            .order_by(AppealChannel.sort_order)).all()], what="渠道")

    @cached_property
    def apps(self) -> dict[str, dict]:
        """Applications of the ledger by code: name and launch date."""
        statement = select(App.code, App.name, App.launched_on)
        if self.exclude_demo == "apps":
            statement = statement.where(App.source != "demo")
        return {row.code: {"name": row.name, "launched_on": row.launched_on}
                for row in self.conn.execute(statement)}
