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
