"""The viewer's scope: which regions and departments a viewer may see, as SQL.

Every query takes a :class:`Scope` and applies it in its WHERE clause
(:meth:`Scope.region_clause`, :meth:`Scope.department_clause`), so that permissions are one
mechanism in the data layer, never a check in a page. :func:`viewer_scope` is the one entry
point through which pages, panels and callbacks get the scope of the signed-in user; without
one (no request, nobody signed in) it is :data:`NOTHING`.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from flask import has_request_context
from sqlalchemy import ColumnElement, Select, select, true
from sqlalchemy.orm import aliased


@dataclass(frozen=True)
class Scope:
    #: Adcodes of the subtrees the viewer may see; ``None`` means every region.
    regions: tuple[str, ...] | None = None
    #: Codes of the departments whose indicators, tasks and problems the viewer may see;
    #: ``None`` means all.
    departments: tuple[str, ...] | None = None
    #: A read-only viewer (a wall screen) may not write anything.
    read_only: bool = False

    def __post_init__(self) -> None:
        # A canonical order keeps the repr, and so the cache key, stable.
        if self.regions is not None:
            object.__setattr__(self, "regions", tuple(sorted(set(self.regions))))
        if self.departments is not None:
            object.__setattr__(self, "departments", tuple(sorted(set(self.departments))))

    def admits_region(self, adcode: str, ancestors: list[str]) -> bool:
        """Whether a region (given with the adcodes of its ancestors) is visible."""
        if self.regions is None:
            return True
        return adcode in self.regions or any(a in self.regions for a in ancestors)

    def admits_department(self, department: str | None) -> bool:
        return self.departments is None or department in self.departments

    # --- in SQL ------------------------------------------------------------------------------

    def region_clause(self, column: ColumnElement) -> ColumnElement[bool]:
        """``column`` (an adcode) lies in one of the scope's subtrees."""
        if self.regions is None:
            return true()
        return column.in_(subtree(self.regions))

    def department_clause(self, column: ColumnElement) -> ColumnElement[bool]:
        """``column`` (a department code) is one of the scope's departments."""
        if self.departments is None:
            return true()
        return column.in_(self.departments)

    @property
    def everything(self) -> bool:
        return self.regions is None and self.departments is None

    def below(self, adcode: str, ancestors: list[str]) -> Scope:
        """This scope limited to ``adcode``'s subtree (``ancestors``: the adcodes above it),
        for a question about that subtree alone: the same rows of it, read without the rest
        of the scope. The scope itself where ``adcode`` is the top of the tree (no ancestor)
        or lies outside the scope."""
        if not ancestors or not self.admits_region(adcode, ancestors):
            return self
        return replace(self, regions=(adcode,))


def subtree(roots: tuple[str, ...]) -> Select:
    """The adcodes of ``roots`` and of every region beneath them (a recursive query on the
    regions table, so it holds for any depth of the tree)."""
    from data.schema import Region

    top = (select(Region.adcode).where(Region.adcode.in_(roots))
           .cte("scope_subtree", recursive=True, nesting=True))
    child = aliased(Region)
    tree = top.union_all(select(child.adcode).where(child.parent_adcode == top.c.adcode))
    return select(tree.c.adcode)


#: The leader's scope: every region and department.
EVERYTHING = Scope()
#: Nobody signed in: no region, no department.
NOTHING = Scope(regions=(), departments=(), read_only=True)


class ReadOnly(PermissionError):
    """A read-only viewer tried to write."""

    message = "只读账号（大屏）不能提交或修改任何内容。"


def viewer_scope() -> Scope:
    """The scope of the signed-in user of this request (:data:`NOTHING` without one)."""
    if not has_request_context():
        return NOTHING
    from flask_login import current_user

    if not current_user or not current_user.is_authenticated:
        return NOTHING
    return current_user.scope


def home_region(scope: Scope) -> str | None:
    """The region a user lands on when it is not the province: the root of a scope limited
    to one subtree (a county user opening ``/`` arrives at the county's cockpit)."""
    from data.reference import PROVINCE

    if scope.regions is None or len(scope.regions) != 1 or scope.regions[0] == PROVINCE:
        return None
    return scope.regions[0]
