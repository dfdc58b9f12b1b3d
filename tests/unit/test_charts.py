"""The region map's figure, built in one go (components.charts.figure_of), on constructed
comparisons: the branches no demo region reaches (a map where only some regions count the
indicator) keep their words and traces."""

from __future__ import annotations

import pandas as pd

from components import charts
from config.labels import NO_DATA_COLOUR, NOT_APPLICABLE, NOT_APPLICABLE_COLOUR
from data.geo import boundaries

ADCODES = ["330102", "330105", "330106", "330108"]


def comparison(**changes) -> pd.DataFrame:
    frame = pd.DataFrame({
        "adcode": ADCODES, "name": ["上城区", "拱墅区", "西湖区", "滨江区"], "level": "county",
        "population": 1.0, "label_lon": [120.17, 120.14, 120.13, 120.21],
        "label_lat": [30.25, 30.32, 30.26, 30.20], "region_adcode": ADCODES,
        "indicator_code": "X", "indicator_name": "指标", "value": [1.0, None, 3.0, 2.0],
        "applicable": [True, True, False, True], "light": ["green", "none", "na", "red"],
        "lowest_level": "city", "decimals": 1, "unit": "%", "completion": 1.0,
        "progress": 1.0, "direction": "higher", "target": 2.0, "target_source": "plan",
        "is_current": [False, True, False, False], "as_of": "2026-10",
    })
    return frame.assign(**changes)


def test_a_mixed_map_says_not_applicable_under_the_names_that_do_not_count_it():
    figure = charts.region_map(comparison(), boundaries().feature_collection(tuple(ADCODES)),
                               title="地图")
    valued, no_data, not_applicable, names = figure.data
    assert list(valued.locations) == ["330102", "330108"]
    assert list(no_data.locations) == ["330105"] and no_data.colorscale[0][1] == NO_DATA_COLOUR
    assert list(not_applicable.locations) == ["330106"]
    assert not_applicable.colorscale[0][1] == NOT_APPLICABLE_COLOUR
    assert names.type == "scattergeo" and names.mode == "text"
    assert list(names.text) == ["上城区", "拱墅区", f"西湖区<br>{NOT_APPLICABLE}", "滨江区"]
    assert not figure.layout.annotations
    assert figure.layout.geo.projection.type == "mercator" and figure.layout.title.text == "地图"


def test_a_map_where_no_region_counts_the_indicator_says_so_once():
    figure = charts.region_map(comparison(applicable=False, light="na"),
                               boundaries().feature_collection(tuple(ADCODES)), title="地图")
    assert [a.text for a in figure.layout.annotations] == [
        f"<b>{NOT_APPLICABLE}</b><br>该指标统计到设区市"]
    assert list(figure.data[-1].text) == ["上城区", "拱墅区", "西湖区", "滨江区"]
