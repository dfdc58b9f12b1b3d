"""The regions of data/geo/zhejiang_regions.csv, for finding them on the page."""

from __future__ import annotations

import csv
from dataclasses import dataclass

from tests.browser.server import REPO_ROOT

REGIONS_CSV = REPO_ROOT / "data" / "geo" / "zhejiang_regions.csv"


@dataclass(frozen=True)
class Region:
    adcode: str
    name: str
    level: str
    parent_adcode: str
    label_point: tuple[float, float]  # (lon, lat), guaranteed inside the region's polygon


def load_regions() -> dict[str, Region]:
    """By adcode; adcodes are read as text."""
    with REGIONS_CSV.open(encoding="utf-8") as f:
        return {row["adcode"]: Region(row["adcode"], row["name"], row["level"],
                                      row["parent_adcode"],
                                      (float(row["label_lon"]), float(row["label_lat"])))
                for row in csv.DictReader(f)}
