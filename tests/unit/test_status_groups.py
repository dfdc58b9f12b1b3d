"""The latest value of each region and indicator (data.queries.last_per_group) is what pandas'
group-by ``last()`` gives, missing values and column types included, on random months."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from data.queries import GROUP, last_per_group, numbered_groups

KEYS = ["region_adcode", "indicator_code"]
COLUMNS = [*KEYS, "period", "value", "updated_at", "value_source", "batch_id", "source_row"]


def random_values(seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = int(rng.integers(0, 60))
    frame = pd.DataFrame({
        "region_adcode": pd.array(rng.choice(["330102", "330105", "330106"], n), dtype="str"),
        "indicator_code": pd.array(rng.choice(["A", "B", "C"], n), dtype="str"),
        "period": pd.array([f"2026-{m:02d}" for m in rng.integers(1, 13, n)], dtype="str"),
    }).drop_duplicates(["region_adcode", "indicator_code", "period"]).reset_index(drop=True)
    m = len(frame)
    frame["value"] = np.where(rng.random(m) < 0.2, np.nan, rng.random(m))
    frame["updated_at"] = pd.to_datetime(["2026-01-01"] * m)
    frame["value_source"] = pd.array([None if rng.random() < 0.1 else "import"
                                      for _ in range(m)], dtype="str")
    # A batch on some values only: the latest of a region may have none while an earlier has.
    frame["batch_id"] = pd.Series([None if rng.random() < 0.5 else int(rng.integers(1, 9))
                                   for _ in range(m)], dtype=object)
    frame["source_row"] = pd.Series([None] * m, dtype=object) if seed % 2 else pd.Series(
        [None if rng.random() < 0.5 else 3 for _ in range(m)], dtype=object)
    frame = frame.sample(frac=1, random_state=seed).reset_index(drop=True)
    frame[GROUP] = numbered_groups(frame, KEYS)
    return frame.sort_values("period")


@pytest.mark.parametrize("seed", range(60))
def test_the_last_value_per_group_is_pandas_group_by_last(seed):
    rows = random_values(seed)
    expected = rows.groupby(KEYS, as_index=False).last()[COLUMNS]
    found = last_per_group(rows, KEYS, COLUMNS)
    pd.testing.assert_frame_equal(found, expected)
    for column in COLUMNS:  # None stays None, NaN stays NaN
        assert [type(v) for v in found[column]] == [type(v) for v in expected[column]]
