import pytest

from components import format as fmt


def test_quantities_carry_their_units():
    assert fmt.quantity(99.123, 1, "%") == "99.1%"
    assert fmt.quantity(12068.1, 1, "万台") == "12,068.1 万台"
    assert fmt.quantity(float("nan"), 1, "个") == "—"
    assert fmt.quantity(None, 0, "个") == "—"


def test_year_on_year_is_in_points_for_rates_and_percent_otherwise():
    assert fmt.year_on_year(change=1.24, ratio=None, unit="%", decimals=1) == "+1.2个百分点"
    assert fmt.year_on_year(change=-0.01, ratio=None, unit="%", decimals=1) == "持平"
    assert fmt.year_on_year(change=30, ratio=14.86, unit="个", decimals=0) == "+14.9%"
    assert fmt.year_on_year(change=None, ratio=float("nan"), unit="个", decimals=0) == "—"


# --- units scaled to the value, densities, month ticks ----------------------------------------

@pytest.mark.parametrize(("value", "decimals", "unit", "expected"), [
    (0.085, 3, "万款", (850.0, 0, "款", 10_000.0)),
    (0.149, 3, "万亿元", (1490.0, 0, "亿元", 10_000.0)),
    (0.00002, 5, "万亿元", (2000.0, 0, "万元", 100_000_000.0)),  # two steps down
    (5.54, 2, "万亿元", (5.54, 2, "万亿元", 1.0)),  # 1 or more: as it is
    (0.5, 1, "%", (0.5, 1, "%", 1.0)),  # a rate has no smaller unit
    (0.5, 1, "个", (0.5, 1, "个", 1.0)),
    (0.0, 2, "万人", (0.0, 2, "万人", 1.0)),  # zero stays in its unit
    (None, 2, "万人", (None, 2, "万人", 1.0)),
])
def test_a_value_below_one_takes_the_smaller_unit(value, decimals, unit, expected) -> None:
    scaled = fmt.readable(value, decimals, unit)
    assert scaled[1:] == expected[1:]
    assert scaled[0] == (pytest.approx(expected[0]) if expected[0] is not None else None)
    assert fmt.quantity(scaled[0], scaled[1], scaled[2]) == (
        "—" if value is None else fmt.quantity(expected[0], expected[1], expected[2]))


def test_scaled_values_keep_thousands_separators() -> None:
    value, decimals, unit, _ = fmt.readable(0.149, 3, "万亿元")
    assert fmt.quantity(value, decimals, unit) == "1,490 亿元"
    assert fmt.number(3662, 0) == "3,662"


@pytest.mark.parametrize(("per_person", "expected"), [
    ([0.0003, 0.0005, 0.0004], (10_000, "每万人")),  # 3–5 per 10,000
    ([0.00002, 0.00003, 0.00004], (100_000, "每十万人")),  # 0.2–0.4 per 10,000
    ([0.000004, 0.000003, 0.000005], (1_000_000, "每百万人")),  # 0.04 per 10,000
    ([0.0000003, 0.0000002], (1_000_000, "每百万人")),
    ([float("nan"), 0.0], (10_000, "每万人")),  # nothing known: the usual base
])
def test_a_density_is_given_where_it_reads_as_at_least_one(per_person, expected) -> None:
    assert fmt.density_base(tuple(per_person)) == expected


def test_monthly_ticks_fall_on_whole_years_or_quarters() -> None:
    from components.charts import month_ticks

    long = [f"{y}-{m:02d}" for y in range(2020, 2027) for m in range(1, 13)][11:-2]
    values, texts = month_ticks(long)  # 2020-12 … 2026-10
    assert values == [f"{y}-01" for y in range(2021, 2027)]
    assert texts == [f"{y}年" for y in range(2021, 2027)]
    short = [f"2025-{m:02d}" for m in range(11, 13)] + [f"2026-{m:02d}" for m in range(1, 11)]
    values, texts = month_ticks(short)
    assert values == ["2026-01", "2026-04", "2026-07", "2026-10"]
    assert texts == ["2026年1月", "4月", "7月", "10月"]


def test_names_that_would_overlap_on_a_map_are_left_out() -> None:
    import pandas as pd

    from components.charts import names_that_fit

    data = pd.DataFrame({
        "name": ["上城区", "拱墅区", "淳安县", "建德市"],
        "label_lon": [120.17, 120.171, 118.9, 119.3],
        "label_lat": [30.25, 30.251, 29.6, 29.45],
        "is_current": [False, True, False, False],
    })
    fits = names_that_fit(data)
    assert fits == [False, True, True, True]  # the current one of the two that collide
    assert names_that_fit(data.iloc[[0, 2, 3]]) == [True, True, True]
