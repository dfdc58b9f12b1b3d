"""Rules and builders of the five-colour risk map that need no store."""

from __future__ import annotations

import itertools
from datetime import datetime

import numpy as np
import pandas as pd
import pytest
from dash import no_update

from components import risk as view
from data.reference import read_risk_levels
from data.risk_rules import (
    NO_DATA_COLOUR,
    count_by_level,
    high_counts,
    latest_per_hazard,
    overall_levels,
)

RANKS = {"RED": 1, "ORANGE": 2, "YELLOW": 3, "BLUE": 4, "GREEN": 5}

# Colour-vision deficiency simulation (Machado, Oliveira & Fernandes 2009, severity 1).
CVD = {
    "protanopia": [[0.152286, 1.052583, -0.204868], [0.114503, 0.786281, 0.099216],
                   [-0.003882, -0.048116, 1.051998]],
    "deuteranopia": [[0.367322, 0.860646, -0.227968], [0.280085, 0.672501, 0.047413],
                     [-0.011820, 0.042940, 0.968881]],
    "tritanopia": [[1.255528, -0.076749, -0.178779], [-0.078411, 0.930809, 0.147602],
                   [0.004733, 0.691367, 0.303900]],
}


def lab(colour: str, matrix) -> np.ndarray:
    rgb = np.array([int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])
    linear = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
    linear = np.clip(np.array(matrix) @ linear, 0, 1)
    xyz = np.array([[0.4124, 0.3576, 0.1805], [0.2126, 0.7152, 0.0722],
                    [0.0193, 0.1192, 0.9505]]) @ linear / np.array([0.95047, 1.0, 1.08883])
    f = np.where(xyz > 0.008856, np.cbrt(xyz), 7.787 * xyz + 16 / 116)
    return np.array([116 * f[1] - 16, 500 * (f[0] - f[1]), 200 * (f[1] - f[2])])


@pytest.mark.parametrize("vision", ["normal", *CVD])
def test_the_level_colours_and_no_data_grey_stay_apart_for_colour_blind_eyes(vision):
    colours = [*read_risk_levels()["colour"], NO_DATA_COLOUR]
    matrix = np.eye(3) if vision == "normal" else CVD[vision]
    points = [lab(c, matrix) for c in colours]
    closest = min(np.linalg.norm(a - b) for a, b in itertools.combinations(points, 2))
    assert closest > 15, f"two colours are within ΔE {closest:.1f} for {vision}"


def test_each_level_has_exactly_one_colour_on_the_map_scale():
    levels = read_risk_levels()
    scale, zmin, zmax = view.level_colourscale(levels)
    assert (zmin, zmax) == (0.5, len(levels) + 1.5)
    for rank, colour in zip(levels["rank"], levels["colour"], strict=True):
        position = (rank - zmin) / (zmax - zmin)
        covering = {c for (lo, c), (hi, _) in zip(scale[::2], scale[1::2], strict=True)
                    if lo <= position <= hi}
        assert covering == {colour}
    no_data_position = (len(levels) + 1 - zmin) / (zmax - zmin)
    assert {c for (lo, c), (hi, _) in zip(scale[::2], scale[1::2], strict=True)
            if lo <= no_data_position <= hi} == {NO_DATA_COLOUR}


def assessments(rows):
    return pd.DataFrame(rows, columns=["id", "region_adcode", "hazard_code", "level_code",
                                       "assessed_at"])


def test_overall_level_is_the_worst_latest_hazard_level():
    rows = assessments([
        (1, "A", "TYPHOON", "RED", pd.Timestamp("2030-01-01 00:00")),
        (2, "A", "TYPHOON", "BLUE", pd.Timestamp("2030-01-01 06:00")),
        (3, "A", "FLOOD", "YELLOW", pd.Timestamp("2030-01-01 03:00")),
        (4, "B", "FLOOD", "GREEN", pd.Timestamp("2030-01-01 00:00")),
    ])
    early = overall_levels(latest_per_hazard(rows, pd.Timestamp("2030-01-01 01:00")), RANKS)
    assert dict(zip(early["region_adcode"], early["level_code"], strict=True)) == {
        "A": "RED", "B": "GREEN"}
    late = overall_levels(latest_per_hazard(rows, pd.Timestamp("2030-01-01 06:00")), RANKS)
    assert dict(zip(late["region_adcode"], late["level_code"], strict=True)) == {
        "A": "YELLOW", "B": "GREEN"}
    assert late.set_index("region_adcode").loc["A", "hazards"] == ("FLOOD",)


def test_ties_list_every_hazard_at_the_top_level():
    rows = assessments([(1, "A", "TYPHOON", "RED", pd.Timestamp("2030-01-01")),
                        (2, "A", "SEAWALL", "RED", pd.Timestamp("2030-01-01"))])
    top = overall_levels(latest_per_hazard(rows, None), RANKS)
    assert top.iloc[0]["hazards"] == ("SEAWALL", "TYPHOON")


@pytest.mark.parametrize("seed", range(20))
def test_high_counts_in_one_pass_are_those_of_the_overall_levels_at_each_time(seed):
    rng = np.random.default_rng(seed)
    size = int(rng.integers(1, 80))
    start = pd.Timestamp("2030-01-01")
    moments = [start + pd.Timedelta(hours=int(h)) for h in rng.integers(0, 12, size)]
    rows = assessments([
        (int(i), f"R{rng.integers(0, 8)}", ["TYPHOON", "FLOOD", "SEAWALL"][rng.integers(0, 3)],
         [*RANKS, "UNKNOWN"][rng.integers(0, 6)], moments[i])
        for i in rng.permutation(size)])
    times = sorted({*moments, start - pd.Timedelta(hours=1), start + pd.Timedelta(hours=30)})
    expected = [int((overall_levels(latest_per_hazard(rows, when), RANKS)["level_code"]
                     .map(RANKS) <= 2).sum()) for when in times]
    assert high_counts(rows, [t.to_pydatetime() for t in times], RANKS, top=2) == expected
    assert high_counts(rows.iloc[0:0], times, RANKS, top=2) == [0] * len(times)


def test_counts_list_every_level_even_at_zero_and_no_data_last():
    frame = pd.DataFrame({"level_code": ["RED", "RED", "GREEN", "NONE"]})
    counts = count_by_level(frame, read_risk_levels())
    assert list(counts["code"]) == ["RED", "ORANGE", "YELLOW", "BLUE", "GREEN", "NONE"]
    assert list(counts["count"]) == [2, 0, 0, 0, 1, 1]


def test_text_on_a_level_is_readable():
    assert view.ink_for("#a50f15") == "#ffffff"
    assert view.ink_for("#ffe45c") == "#1f2933"


def test_play_pause_and_the_ticker(pages_loaded):
    from pages.risk import ids, next_frame

    assert next_frame(ids.play, index=3, last=10, paused=True) == (3, False, "⏸ 暂停")
    assert next_frame(ids.play, index=10, last=10, paused=True) == (0, False, "⏸ 暂停")
    assert next_frame(ids.play, index=3, last=10, paused=False) == (no_update, True, "▶ 播放")
    assert next_frame(ids.ticker, index=3, last=10, paused=False) == (4, no_update, no_update)
    assert next_frame(ids.ticker, index=10, last=10, paused=False) == (
        no_update, True, "▶ 播放")


def test_a_moment_snaps_to_the_last_assessment_before_it(pages_loaded):
    from pages.risk import time_index

    times = [datetime(2030, 1, 1, h) for h in (0, 6, 12)]
    assert time_index(times, datetime(2030, 1, 1, 7)) == 1
    assert time_index(times, datetime(2029, 12, 31)) == 0
    assert time_index(times, None) == 2


def test_risk_links_carry_the_state(pages_loaded):
    from panels.addresses import risk_href

    assert risk_href() == "/risk"
    assert risk_href(region="330200", event=1, hazard="SEAWALL",
                     at=datetime(2021, 7, 25, 12), county="330225") == (
        "/risk?region=330200&event=1&hazard=SEAWALL&at=2021-07-25T12%3A00&county=330225")


def test_a_countys_notices_name_their_hazard_and_are_open_until_signed_for():
    from components.risk import warned_table
    from tests.layout_tools import find, text_of

    at = datetime(2024, 6, 18, 6, 0)
    frame = pd.DataFrame({"adcode": ["330822"], "name": ["常山县"], "city_name": ["衢州市"],
                          "level_code": ["RED"], "level_short": ["红"], "colour": ["#c00000"],
                          "rank": [1], "hazards": [["geo", "flash"]],
                          "assessed_at": [at]})
    notices = pd.DataFrame({
        "region_adcode": ["330822"] * 3, "kind": ["notice", "notice", "order"],
        "hazard_code": ["geo", "flash", None],
        "issued_at": pd.to_datetime(["2024-06-16 00:30", "2024-06-16 00:30",
                                     "2024-06-16 07:00"]),
        "acknowledged_at": pd.to_datetime(["2024-06-16 01:00", "2024-06-19 08:00", None])})
    table = warned_table(frame, notices, hazard_names={"geo": "地质灾害", "flash": "山洪"}, at=at)
    lines = find(table, lambda c: "notice-line" in (getattr(c, "className", "") or ""))
    said = [text_of(line) for line in lines]
    assert said[0] == "风险告知函（地质灾害） 06-16 00:30 · 已签收 06-16 01:00"
    assert said[1] == "风险告知函（山洪） 06-16 00:30 · 未签收"  # signed for after the moment
    assert said[2].startswith("工作督办单 06-16 07:00")
    assert ["is-open" in line.className for line in lines] == [False, True, True]
    assert len(find(table, lambda c: getattr(c, "className", None) == "level-chip")) == 1
