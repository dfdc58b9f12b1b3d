"""Imports on SQLite and PostgreSQL: good files in every accepted form, the corpus of bad
files (each refused with its reason, the store unchanged), idempotence, provenance, demo
data replaced, withdrawal, targets, and a property test of generated rows."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select, text

from data import queries
from data.imports.batches import WithdrawRefused, batch_rows, withdraw
from data.imports.run import run_import
from data.imports_schema import ImportBatch
from data.reference import load_reference
from data.schema import IndicatorTarget, IndicatorValue
from data.scope import EVERYTHING
from data.seeding import seed_all
from data.store import engine, write_transaction
from tests.data.conftest import BACKENDS, migrated_app
from tests.imports_corpus import GOOD_ROWS, HEADER, bad_files, csv_bytes, xlsx_bytes

#: The tables whose rows an import may change (the batch log is not "the store's figures").
DATA_TABLES = ("indicator_values", "indicator_targets", "tasks", "task_units",
               "task_regions", "task_reports", "problems", "problem_moves", "risk_events",
               "risk_assessments", "risk_notices", "evacuations", "appeal_weeks",
               "appeal_channel_weeks", "apps", "app_adoptions", "ranking_weights",
               "import_replaced", "dataset_info")


def snapshot() -> dict[str, str]:
    """Every data table's rows, hashed in a stable order."""
    out = {}
    with engine().connect() as conn:
        for name in DATA_TABLES:
            rows = conn.execute(text(f"SELECT * FROM {name}")).all()
            digest = hashlib.sha256(
                "\n".join(sorted(repr(tuple(r)) for r in rows)).encode()).hexdigest()
            out[name] = f"{len(rows)}:{digest}"
    return out


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


def do_import(path: Path, kind: str = "indicator-values", **options):
    return run_import(path, kind=kind, channel="cli", actor="测试", filename=path.name,
                      **options)


def value_of(code: str, adcode: str, period: str) -> float | None:
    with engine().connect() as conn:
        return conn.execute(select(IndicatorValue.value).where(
            IndicatorValue.indicator_code == code, IndicatorValue.region_adcode == adcode,
            IndicatorValue.period == period)).scalar()


# --- good files -------------------------------------------------------------------------------

@pytest.mark.parametrize("form", ["utf8", "utf8-bom", "gb18030", "gbk-tab", "xlsx",
                                  "english-codes"])
def test_a_good_file_is_accepted_in_every_form_and_again_changes_nothing(store, tmp_path, form):
    rows = [[*r[:3], str(float(r[3]) + len(form))] if r[0] == "DG_ZLB_DAU" else r
            for r in GOOD_ROWS]
    data = {
        "utf8": lambda: csv_bytes(rows),
        "utf8-bom": lambda: csv_bytes(rows, encoding="utf-8-sig"),
        "gb18030": lambda: csv_bytes(rows, encoding="gb18030"),
        "gbk-tab": lambda: csv_bytes(rows, encoding="gbk", delimiter="\t"),
        "xlsx": lambda: xlsx_bytes(rows),
        "english-codes": lambda: csv_bytes(rows, header=["indicator_code", "adcode", "period",
                                                         "value"]),
    }[form]()
    path = write(tmp_path, f"good.{'xlsx' if form == 'xlsx' else 'csv'}", data)
    first = do_import(path)
    assert first.accepted, first.message
    assert first.rows == len(rows)
    assert first.inserted + first.updated + first.unchanged == len(rows)
    assert value_of("DG_ZLB_DAU", "330106", "2026-10") == pytest.approx(12.5 + len(form))
    assert value_of("DE_TOTAL", "330100", "2025-12") == pytest.approx(1.23)
    assert value_of("DE_SMART_FACTORIES", "330106", "2026-10") == 24
    before = snapshot()
    again = do_import(path)
    assert again.accepted and again.unchanged == len(rows)
    assert (again.inserted, again.updated) == (0, 0)
    assert snapshot() == before  # importing it again changes nothing


def test_an_xlsx_with_dates_and_percentages_as_excel_writes_them(store, tmp_path):
    from datetime import datetime

    rows = [["DG_ONE_NET", "西湖", datetime(2026, 8, 1), 0.973]]
    path = write(tmp_path, "excel.xlsx", xlsx_bytes(rows, formats={"D2": "0.0%"}))
    outcome = do_import(path)
    assert outcome.accepted, outcome.issues
    assert value_of("DG_ONE_NET", "330106", "2026-08") == pytest.approx(97.3)


def test_every_figure_knows_its_batch_and_row(store, tmp_path):
    rows = [["DG_MOBILE_ENFORCE", "330102", "2026-07", "91.5"],
            ["DG_MOBILE_ENFORCE", "330105", "2026-07", "93"]]
    outcome = do_import(write(tmp_path, "provenance.csv", csv_bytes(rows)))
    assert outcome.accepted
    stored = batch_rows(scope=EVERYTHING, batch_id=outcome.batch_id)
    assert list(stored["source_row"]) == [2, 3]
    assert set(stored["batch_id"]) == {outcome.batch_id}
    assert set(stored["source"]) == {"import"}
    with engine().connect() as conn:
        recorded = conn.execute(select(ImportBatch).where(
            ImportBatch.id == outcome.batch_id)).mappings().one()
    assert recorded["status"] == "accepted" and recorded["filename"] == "provenance.csv"
    assert recorded["actor"] == "测试" and recorded["inserted"] == 2
    assert len(recorded["sha256"]) == 64
    status = queries.indicator_status(scope=EVERYTHING, adcodes=("330102",), period="2026-07",
                                      indicator="DG_MOBILE_ENFORCE").iloc[0]
    assert status["value_source"] == "import" and status["batch_id"] == outcome.batch_id
    assert status["source_row"] == 2


def test_an_update_can_be_withdrawn_and_the_replaced_figures_come_back(store, tmp_path):
    key = ("DL_SINGLE_TRACK", "330110", "2026-06")
    first = do_import(write(tmp_path, "a.csv", csv_bytes([[*key, "90"]])))
    second = do_import(write(tmp_path, "b.csv", csv_bytes(
        [[*key, "95"], ["DL_SINGLE_TRACK", "330110", "2026-05", "89"]])))
    assert (second.updated, second.inserted) == (1, 1)
    third = do_import(write(tmp_path, "c.csv", csv_bytes([[*key, "97"]])))
    assert value_of(*key) == 97
    # The second batch cannot go while the third has changed one of its figures.
    with pytest.raises(WithdrawRefused, match=f"第{third.batch_id}批"):
        withdraw(second.batch_id, actor="测试", scope=EVERYTHING)
    withdraw(third.batch_id, actor="测试", scope=EVERYTHING)
    assert value_of(*key) == 95
    message = withdraw(second.batch_id, actor="测试", scope=EVERYTHING)
    assert "恢复被本批替换的 1 行" in message
    assert value_of(*key) == 90  # the first batch's figure, with its provenance
    assert value_of("DL_SINGLE_TRACK", "330110", "2026-05") is None
    restored = batch_rows(scope=EVERYTHING, batch_id=first.batch_id)
    assert list(restored["value"]) == [90.0] and list(restored["source_row"]) == [2]
    with pytest.raises(WithdrawRefused, match="只有已导入的批次"):
        withdraw(second.batch_id, actor="测试", scope=EVERYTHING)


def test_a_withdrawn_batch_is_recorded_with_who_and_when(store, tmp_path):
    outcome = do_import(write(tmp_path, "w.csv", csv_bytes([["DG_ZLB_DAU", "330108",
                                                              "2026-03", "7"]])))
    withdraw(outcome.batch_id, actor="审核员", scope=EVERYTHING)
    with engine().connect() as conn:
        row = conn.execute(select(ImportBatch).where(ImportBatch.id == outcome.batch_id)
                           ).mappings().one()
    assert row["status"] == "withdrawn" and row["withdrawn_by"] == "审核员"
    assert row["withdrawn_at"] is not None


def test_targets_import_overrides_a_derived_target_and_survives_the_reference(store, tmp_path):
    header = ["指标编码", "地区", "年度", "目标值", "完成时限（月）", "表述", "目标来源", "依据"]
    rows = [["DG_ZLB_DAU", "330000", "2026", "560", "", "以上", "年度文件", "2026年工作要点"],
            ["DG_ZLB_DAU", "330106", "2026", "12", "6", "力争", "", ""]]
    outcome = do_import(write(tmp_path, "t.csv", csv_bytes(rows, header=header)),
                        kind="indicator-targets")
    assert outcome.accepted, outcome.issues
    assert outcome.updated == 1 and outcome.inserted == 1  # the province's was derived
    with write_transaction() as conn:
        load_reference(conn)  # init-db again: an imported target is never rewritten
    with engine().connect() as conn:
        found = {r.region_adcode: r for r in conn.execute(select(IndicatorTarget).where(
            IndicatorTarget.indicator_code == "DG_ZLB_DAU", IndicatorTarget.year == 2026))}
    assert found["330000"].target == 560 and found["330000"].source == "document"
    assert found["330000"].wording == "at_least" and found["330000"].basis == "2026年工作要点"
    assert found["330106"].due_month == 6 and found["330106"].source == "import"
    status = queries.indicator_status(scope=EVERYTHING, adcodes=("330000",), period="2026-10",
                                      indicator="DG_ZLB_DAU").iloc[0]
    assert status["target"] == 560 and not status["target_derived"]
    withdraw(outcome.batch_id, actor="测试", scope=EVERYTHING)
    with engine().connect() as conn:
        back = conn.execute(select(IndicatorTarget.source, IndicatorTarget.target).where(
            IndicatorTarget.indicator_code == "DG_ZLB_DAU", IndicatorTarget.year == 2026,
            IndicatorTarget.region_adcode == "330000")).one()
    assert back.source == "derived"  # the derived target is back


# --- the corpus of bad files -------------------------------------------------------------------

BAD = bad_files()


def test_the_corpus_has_at_least_thirty_bad_files():
    assert len(BAD) >= 30
    assert len({b.name for b in BAD}) == len(BAD)


@pytest.mark.parametrize("bad", BAD, ids=[b.name for b in BAD])
def test_a_bad_file_is_refused_with_its_reason_and_the_store_is_unchanged(store, tmp_path,
                                                                          bad):
    # Something already in the store, so that "unchanged" means something.
    seeded = do_import(write(tmp_path, "base.csv", csv_bytes(
        [["DG_ZLB_DAU", "330106", "2026-10", "12.5"], ["DG_ONE_NET", "330106", "2026-10", "99"]])))
    assert seeded.accepted
    before = snapshot()
    path = write(tmp_path, f"{bad.name}.bin", bad.data)
    outcome = do_import(path, kind=bad.kind, max_bytes=bad.max_bytes)
    assert not outcome.accepted
    said = outcome.message + " " + " ".join(i.sentence() for i in outcome.issues)
    for words in bad.words:
        assert words in said, (bad.name, said)
    assert snapshot() == before
    with engine().connect() as conn:
        recorded = conn.execute(select(ImportBatch).where(ImportBatch.id == outcome.batch_id)
                                ).mappings().one()
    assert recorded["status"] == "refused" and recorded["message"] == outcome.message
    assert recorded["error_count"] == outcome.issue_count
    assert json.loads(recorded["errors"]) == [i.as_dict() for i in outcome.issues]


def test_reasons_name_the_row_column_and_value(store, tmp_path):
    rows = [["DG_ZLB_DAU", "330106", "2026-10", "12"],
            ["DG_ONE_NET", "330106", "2026-10", "120"],
            ["DG_ZLB_DAU", "火星区", "2026-13", "x"]]
    outcome = do_import(write(tmp_path, "reasons.csv", csv_bytes(rows)))
    found = {(i.row, i.column, i.value) for i in outcome.issues}
    assert (3, "数值", "120") in found
    assert {(4, "地区", "火星区"), (4, "期间", "2026-13"), (4, "数值", "x")} <= found
    assert outcome.issue_count == 4
    assert outcome.message.startswith("未导入，数据库未作任何改动。第3行“数值”列（120）")


# --- demo data replaced ------------------------------------------------------------------------

@pytest.mark.parametrize("backend", BACKENDS)
def test_real_figures_replace_the_topics_demo_data_and_seed_demo_keeps_off(backend, request,
                                                                           tmp_path):
    app = migrated_app(backend, request, tmp_path)
    with app.app_context():
        with write_transaction() as conn:
            seed_all(conn)
        assert queries.dataset_status(scope=EVERYTHING)["demo_topics"] == [
            "指标数据", "重大任务", "问题清单", "风险“五色图”", "民呼我为", "应用一本账"]
        outcome = do_import(write(tmp_path, "real.csv", csv_bytes(GOOD_ROWS)))
        assert outcome.accepted and outcome.demo_cleared > 80_000
        with engine().connect() as conn:
            sources = set(conn.execute(select(IndicatorValue.source).distinct()).scalars())
            demo_targets = conn.execute(select(func.count()).select_from(IndicatorTarget).where(
                IndicatorTarget.source == "demo")).scalar_one()
        assert sources == {"import"} and demo_targets == 0
        status = queries.dataset_status(scope=EVERYTHING)
        assert "指标数据" not in status["demo_topics"] and status["demo"]
        assert status["updated_at"] is not None
        with write_transaction() as conn:
            sentences = seed_all(conn)
        assert any("指标数据已有导入的真实数据" in s for s in sentences)
        with engine().connect() as conn:
            assert conn.execute(select(func.count()).select_from(IndicatorValue)).scalar_one() \
                == len(GOOD_ROWS)
        engine().dispose()


# --- generated rows ------------------------------------------------------------------------------

COUNTY_INDICATORS = {"DG_ZLB_DAU": "万人", "DG_ONE_NET": "%", "DE_SMART_FACTORIES": "家",
                     "DL_PETITIONS": "件"}
COUNTIES = ("330102", "330105", "330106", "330108", "330109", "330110", "330111", "330112")
PERIODS = tuple(f"{y}-{m:02d}" for y in (2024, 2025, 2026) for m in range(1, 13))[:34]
FAULTS = ("none", "unknown_region", "bad_period", "text_value", "over_100", "negative",
          "duplicate", "unknown_indicator", "future")


@st.composite
def files(draw):
    keys = draw(st.lists(st.tuples(st.sampled_from(sorted(COUNTY_INDICATORS)),
                                   st.sampled_from(COUNTIES), st.sampled_from(PERIODS)),
                         min_size=1, max_size=25, unique=True))
    rows = []
    for code, adcode, period in keys:
        unit = COUNTY_INDICATORS[code]
        if unit == "%":
            value = draw(st.floats(0, 100, allow_nan=False).map(lambda v: round(v, 2)))
        elif unit in ("家", "件"):
            value = draw(st.integers(0, 100_000))
        else:
            value = draw(st.floats(0, 10_000, allow_nan=False).map(lambda v: round(v, 3)))
        rows.append([code, adcode, period, value])
    fault = draw(st.sampled_from(FAULTS))
    at = draw(st.integers(0, len(rows) - 1))
    if fault == "unknown_region":
        rows[at][1] = draw(st.sampled_from(["999999", "123456", "火星区"]))
    elif fault == "bad_period":
        rows[at][2] = draw(st.sampled_from(["2026-13", "26-1", "2026/00", "上月"]))
    elif fault == "text_value":
        rows[at][3] = draw(st.sampled_from(["约12", "N/A", "12万", "--"]))
    elif fault == "over_100":
        rows[at][0], rows[at][3] = "DG_ONE_NET", draw(st.floats(100.01, 1e6))
    elif fault == "negative":
        rows[at][3] = -draw(st.integers(1, 1000))
    elif fault == "duplicate":
        rows.append(list(rows[at]))
    elif fault == "unknown_indicator":
        rows[at][0] = "NOT_AN_INDICATOR"
    elif fault == "future":
        rows[at][2] = "2031-01"
    form = draw(st.sampled_from(["utf-8", "gb18030", "xlsx"]))
    return rows, fault, form


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(case=files())
def test_generated_files_are_accepted_exactly_when_every_row_is_valid(store, tmp_path, case):
    rows, fault, form = case
    data = xlsx_bytes(rows) if form == "xlsx" else csv_bytes(rows, encoding=form)
    path = write(tmp_path, "generated.xlsx" if form == "xlsx" else "generated.csv", data)
    before = snapshot()
    outcome = do_import(path)
    if fault == "none":
        assert outcome.accepted, (outcome.message, rows)
        for code, adcode, period, value in rows:
            assert value_of(code, adcode, period) == pytest.approx(float(value))
        again = do_import(path)
        assert again.accepted and again.unchanged == len(rows)
    else:
        assert not outcome.accepted, (fault, rows)
        assert outcome.issues and snapshot() == before


def test_header_names_may_carry_marks_spaces_and_notes_in_brackets(store, tmp_path):
    header = [" 指标编码* ", "地区（代码或名称）", "期间", "数值(万人)"]
    path = write(tmp_path, "marks.csv", csv_bytes([["DG_ZLB_DAU", "330106", "2026-04", "9"]],
                                                  header=header))
    outcome = do_import(path)
    assert outcome.accepted, outcome.message
    assert value_of("DG_ZLB_DAU", "330106", "2026-04") == 9
    assert [h.strip(" *") for h in header][0] == HEADER[0]
