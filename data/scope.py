"""The viewer's scope: which regions and departments a viewer may see.

Every query takes one. Until login arrives everyone gets :data:`EVERYTHING`; a city user
will get ``Scope(regions=("330100",))``, which admits Hangzhou and its whole subtree.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Scope:
    #: Adcodes of the subtrees the viewer may see; ``None`` means every region.
    regions: tuple[str, ...] | None = None
    #: Codes of the departments whose indicators the viewer may see; ``None`` means all.
    departments: tuple[str, ...] | None = None

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

    def admits_department(self, department: str) -> bool:
        return self.departments is None or department in self.departments


EVERYTHING = Scope()


def viewer_scope() -> Scope:
    """The scope of the person viewing the page. Everyone sees everything until login."""
    return EVERYTHING
