"""Every query function returns only its scope's rows, on SQLite and PostgreSQL.

The functions are found by looking: every public function of the query modules that takes a
``scope`` must have a case below (or be named reference data, with the reason), so a query
added later without a scope test fails here. Each case runs as a city (杭州市), a county
(西湖区), a department (省大数据局), a city's department (杭州市 × 省大数据局) and nobody.
"""

from __future__ import annotations

import inspect
from datetime import date, datetime

import pandas as pd
import pytest

from data import clock, queries
from data import problems_queries as pq
from data import risk_queries as rq
from data import tasks_queries as tq
from data.problems_queries import ProblemFilter
from data.scope import NOTHING, Scope

PROVINCE, HANGZHOU, XIHU = "330000", "330100", "330106"
BIGDATA = "BIGDATA"
SCOPES = {
    "hangzhou": Scope(regions=(HANGZHOU,)),
    "xihu": Scope(regions=(XIHU,)),
    "dsj": Scope(departments=(BIGDATA,)),
    "hangzhou-dsj": Scope(regions=(HANGZHOU,), departments=(BIGDATA,)),
    "nobody": NOTHING,
}
EVERYTHING = Scope()
MODULES = (queries, pq, tq, rq, clock)
#: Functions that take a scope but read reference data every viewer may see (or write, or
#: only help), with the reason.
EXEMPT = {
    "data.queries.region_parents": "the shape of the region tree is public geography",
    "data.queries.region_names": "place names are public geography",
    "data.queries.check_region": "raises for a region outside the scope (tested below)",
    "data.queries.check_department": "raises for a department outside the scope (below)",
    "data.queries.scope_words": "the scope in words",
    "data.problems_queries.problem_lists": "the seven lists (reference)",
    "data.problems_queries.refusal": "the words of a refusal (tested below)",
    "data.tasks_queries.refusal": "the words of a refusal (tested below)",
    "data.problems_queries.move_problem": "a write (refusals tested below)",
    "data.tasks_queries.add_directive": "a write (refusals tested below)",
    "data.tasks_queries.add_reply": "a write (refusals tested below)",
    "data.risk_queries.risk_levels": "the five levels (reference)",
    "data.risk_queries.hazards": "the hazards (reference)",
    "data.risk_queries.risk_events": "the events' names and times (reference)",
    "data.risk_queries.current_event": "chooses among the events (reference)",
    "data.clock.today": "the day every rule is judged on",
    "data.clock.now": "the time every write is stamped with",
}
#: The WHERE clauses themselves: tested through every query that uses them.
EXEMPT |= {f"data.{name}": "a WHERE clause" for name in (
    "queries.indicator_clause", "queries.value_clauses", "queries.listed_value_clauses",
    "problems_queries.problem_clauses",
    "tasks_queries.task_clause", "tasks_queries.visible_task_ids",
    "tasks_queries.directive_clauses", "tasks_queries.sees_departments")}


# --- what a scope admits -------------------------------------------------------------------------

def subtree(scope: Scope) -> set[str]:
    tree = queries.regions(scope=EVERYTHING)
    if scope.regions is None:
        return set(tree["adcode"])
    return {a for a, anc in zip(tree["adcode"], tree["ancestors"], strict=True)
            if a in scope.regions or set(anc) & set(scope.regions)}


def departments(scope: Scope) -> set[str]:
    every = set(tq.departments(scope=EVERYTHING)["code"])
    return every if scope.departments is None else set(scope.departments)


def today() -> date:
    return clock.today(scope=EVERYTHING)


def in_regions(values, scope: Scope) -> bool:
    allowed = subtree(scope)
    return all(v in allowed for v in values if isinstance(v, str))


def in_departments(values, scope: Scope) -> bool:
    allowed = departments(scope)
    return all(v in allowed for v in values if isinstance(v, str))


def visible_tasks(scope: Scope) -> set[str]:
    """The tasks a scope may see, by the rule, from the leader's view."""
    everything = tq.task_table(scope=EVERYTHING, today=today())
    allowed, depts = subtree(scope), departments(scope)
    keep = set()
    for task in everything.itertuples():
        regions_ok = bool(set(task.chain_adcodes) & allowed)
        depts_ok = task.lead_department in depts or bool(set(task.unit_codes) & depts)
        if regions_ok and depts_ok:
            keep.add(task.code)
    return keep


def outside_problem(scope: Scope) -> int:
    everything = pq.all_problems(scope=EVERYTHING, today=today())
    allowed, depts = subtree(scope), departments(scope)
    out = everything[~(everything["region_adcode"].isin(allowed)
                       & everything["department_code"].isin(depts))]
    return int(out["id"].iloc[0])


def outside_task(scope: Scope) -> str:
    everything = tq.task_table(scope=EVERYTHING, today=today())
    return sorted(set(everything["code"]) - visible_tasks(scope))[0]


def first_indicator(scope: Scope) -> str:
    catalogue = queries.indicators(scope=scope)
    return catalogue["code"].iloc[0] if len(catalogue) else "DG_ZLB_DAU"


def root(scope: Scope) -> str:
    return scope.regions[0] if scope.regions else PROVINCE


# --- one case per query function ------------------------------------------------------------------

def case_regions(scope):
    found = queries.regions(scope=scope)
    assert set(found["adcode"]) == (subtree(scope) if scope != NOTHING else set())


def case_region_path(scope):
    path = queries.region_path(scope=scope, adcode=XIHU)
    assert [a for a, _, _ in path] == [PROVINCE, HANGZHOU, XIHU]
    assert [v for _, _, v in path] == [a in queries.regions(scope=scope)["adcode"].values
                                       for a, _, _ in path]


def case_indicators(scope):
    found = queries.indicators(scope=scope)
    assert in_departments(found["owner_department"], scope)
    assert len(found) or scope == NOTHING


def case_periods(scope):
    found = queries.periods(scope=scope)
    assert (found == []) == (scope == NOTHING)


def case_dataset_status(scope):
    found = queries.dataset_status(scope=scope)
    assert (found["latest_period"] is None) == (scope == NOTHING)


def case_indicator_status(scope):
    every = tuple(queries.regions(scope=EVERYTHING)["adcode"])
    found = queries.indicator_status(scope=scope, adcodes=every, period="2026-10")
    assert in_regions(found["region_adcode"], scope)
    if len(found):
        assert in_departments(found["owner_department"], scope)
        assert set(found["region_adcode"]) == subtree(scope)


def case_region_comparison(scope):
    found = queries.region_comparison(scope=scope, adcode=PROVINCE,
                                      indicator=first_indicator(scope), period="2026-10")
    assert found.empty or in_regions(found["adcode"], scope)
    inside = queries.region_comparison(scope=scope, adcode=root(scope),
                                       indicator=first_indicator(scope), period="2026-10")
    assert inside.empty or in_regions(inside["adcode"], scope)


def case_indicator_trend(scope):
    outside = "330200" if scope.regions else None
    if outside:
        assert queries.indicator_trend(scope=scope, adcode=outside,
                                       indicator=first_indicator(scope),
                                       period="2026-10").empty
    other = queries.indicators(scope=EVERYTHING)
    other = other[~other["owner_department"].isin(departments(scope))]
    if len(other):
        assert queries.indicator_trend(scope=scope, adcode=root(scope),
                                       indicator=other["code"].iloc[0],
                                       period="2026-10").empty


def problem_rows_ok(frame, scope):
    return (in_regions(frame["region_adcode"], scope)
            and in_departments(frame["department_code"], scope))


def case_all_problems(scope):
    found = pq.all_problems(scope=scope, today=today())
    assert problem_rows_ok(found, scope)
    everything = pq.all_problems(scope=EVERYTHING, today=today())
    expected = everything[everything["region_adcode"].isin(subtree(scope))
                          & everything["department_code"].isin(departments(scope))]
    assert len(found) == (len(expected) if scope != NOTHING else 0)


def case_problems(scope):
    found = pq.problems(scope=scope, filters=ProblemFilter(region=PROVINCE), today=today())
    assert problem_rows_ok(found, scope)
    forged = pq.problems(scope=scope, filters=ProblemFilter(region="330200",
                                                            department="AUDIT"),
                         today=today())
    assert problem_rows_ok(forged, scope)


def case_problem(scope):
    assert pq.problem(scope=scope, problem_id=outside_problem(scope), today=today()) is None


def case_problem_history(scope):
    assert pq.problem_history(scope=scope, problem_id=outside_problem(scope)).empty


def case_filter_options(scope):
    found = pq.filter_options(scope=scope)
    assert in_departments([c for c, _ in found["departments"]], scope)


def case_compared_regions(scope):
    for adcode in (PROVINCE, root(scope), "330200"):
        found = pq.compared_regions(scope=scope, adcode=adcode)
        assert found.empty or in_regions(found["adcode"], scope)


def case_region_breakdown(scope):
    found = pq.region_breakdown(scope=scope, filters=ProblemFilter(region=root(scope)),
                                today=today())
    assert found.empty or in_regions(found["adcode"], scope)
    mine = pq.all_problems(scope=scope, today=today())
    assert found["total"].fillna(0).sum() <= len(mine)


def case_common_problems(scope):
    found = pq.common_problems(scope=scope, filters=ProblemFilter(region=PROVINCE),
                               today=today(), limit=100)
    names = set(queries.regions(scope=scope)["name"])
    for listed in found["region_names"]:
        assert set(listed.split("、")) <= names


def case_list_light_counts(scope):
    found = pq.list_light_counts(scope=scope, adcode=PROVINCE, today=today())
    assert found["total"].sum() == len(pq.all_problems(scope=scope, today=today()))


def case_departments(scope):
    found = tq.departments(scope=scope)
    assert in_departments(found["code"], scope)


def case_task_chains(scope):
    found = tq.task_chains(scope=scope, today=today())
    assert in_regions(found["adcode"], scope)


def case_task_table(scope):
    found = tq.task_table(scope=scope, today=today())
    assert set(found["code"]) == (visible_tasks(scope) if scope != NOTHING else set())


def case_region_tasks(scope):
    found = tq.region_tasks(scope=scope, adcode=PROVINCE, today=today())
    assert set(found["code"]) <= visible_tasks(scope)


def case_task_detail(scope):
    assert tq.task_detail(scope=scope, code=outside_task(scope), today=today()) is None
    mine = sorted(visible_tasks(scope)) if scope != NOTHING else []
    for code in mine[:3]:
        detail = tq.task_detail(scope=scope, code=code, today=today())
        assert in_regions(detail["chain"]["adcode"], scope)
        assert in_regions(detail["reports"]["region_adcode"], scope)
        if len(detail["indicators"]):
            assert in_regions(detail["indicators"]["region_adcode"], scope)
            assert in_departments(detail["indicators"]["owner_department"], scope)


def case_directives(scope):
    found = tq.directives(scope=scope, today=today())
    assert in_regions(found["receiver_region"].dropna(), scope)
    assert in_departments(found["receiver_department"].dropna(), scope)
    assert set(found["task_code"]) <= visible_tasks(scope)
    if not tq.sees_departments(scope):  # a department (a provincial body) is in no city
        assert found["receiver_region"].notna().all()
    everything = tq.directives(scope=EVERYTHING, today=today())
    expected = everything[everything["task_code"].isin(visible_tasks(scope))
                          & everything["receiver_region"].map(
                              lambda r: in_regions([r], scope) if isinstance(r, str)
                              else tq.sees_departments(scope))
                          & everything["receiver_department"].map(
                              lambda d: in_departments([d], scope) if isinstance(d, str)
                              else True)]
    assert set(found["id"]) == set(expected["id"])  # and nothing of its own is missing


def case_receivers(scope):
    for option in tq.receivers(scope=scope):
        kind, code = option["value"].split(":", 1)
        assert in_regions([code], scope) if kind == "region" else in_departments([code], scope)
        assert kind == "region" or tq.sees_departments(scope)


def case_milestones(scope):
    found = tq.milestones(scope=scope)
    assert set(found["code"]) <= visible_tasks(scope)


def case_counties_under(scope):
    found = rq.counties_under(scope=scope, parent=PROVINCE)
    assert in_regions(found["adcode"], scope)


def case_event_assessments(scope):
    found = rq.event_assessments(scope=scope, event_id=1, parent=PROVINCE)
    assert found.empty or in_regions(found["region_adcode"], scope)
    assert found.empty == (scope == NOTHING)


def case_assessment_times(scope):
    assert (rq.assessment_times(scope=scope, event_id=1) == []) == (scope == NOTHING)


def case_risk_map(scope):
    found = rq.risk_map(scope=scope, event_id=1, parent=PROVINCE, hazard="ALL",
                        at=datetime(2021, 7, 25, 12))
    assert in_regions(found["adcode"], scope)


def case_risk_notices(scope):
    found = rq.risk_notices(scope=scope, event_id=1, parent=PROVINCE)
    assert found.empty or in_regions(found["region_adcode"], scope)


def case_evacuation_reports(scope):
    found = rq.evacuation_reports(scope=scope, event_id=1, parent=PROVINCE)
    assert found.empty or in_regions(found["region_adcode"], scope)


def case_county_history(scope):
    if scope.regions is not None:
        assert rq.county_history(scope=scope, event_id=1, adcode="330203").empty


def case_peak_time(scope):
    assert (rq.peak_time(scope=scope, event_id=1) is None) == (scope == NOTHING)


def case_statuses(scope):
    every = tuple(queries.regions(scope=EVERYTHING)["adcode"])
    months = ("2025-12", "2026-10")
    found = queries.statuses(scope=scope, adcodes=every, periods=months)
    assert list(found) == list(months)
    for month in months:
        assert in_regions(found[month]["region_adcode"], scope)
        if len(found[month]):
            assert in_departments(found[month]["owner_department"], scope)
            assert set(found[month]["region_adcode"]) == subtree(scope)


def case_cockpit_moment(scope):
    found = rq.cockpit_moment(scope=scope, now=datetime(2026, 11, 22, 12))
    assert (found is None) == (scope == NOTHING)



def case_share_statuses(scope):
    """What a build shares is read within the scope: the statuses taken from it hold no
    region or indicator outside it, even when regions outside it are asked for."""
    from data.store import query_memo

    every = tuple(queries.regions(scope=EVERYTHING)["adcode"])
    with query_memo():
        queries.share_statuses(scope=scope, adcodes=every, periods=("2026-09", "2026-10"))
        found = queries.statuses(scope=scope, adcodes=every, periods=("2026-09", "2026-10"))
    for month in found.values():
        assert in_regions(month["region_adcode"], scope)
        if len(month):
            assert in_departments(month["owner_department"], scope)
            assert set(month["region_adcode"]) == subtree(scope)


def case_region_problems(scope):
    for adcode in {root(scope), PROVINCE, "330100"}:
        found = pq.region_problems(scope=scope, adcode=adcode, today=today())
        assert in_regions(found["region_adcode"], scope)
        assert in_departments(found["department_code"], scope)


CASES = {f"{module.__name__}.{name[5:]}": fn for name, fn in globals().items()
         if name.startswith("case_")
         for module in MODULES
         if getattr(getattr(module, name[5:], None), "__module__", None) == module.__name__}


def scoped_functions() -> set[str]:
    found = set()
    for module in MODULES:
        for name, fn in inspect.getmembers(module, inspect.isfunction):
            if name.startswith("_") or fn.__module__ != module.__name__:
                continue
            if "scope" in inspect.signature(getattr(fn, "uncached", fn)).parameters:
                found.add(f"{module.__name__}.{name}")
    return found


def test_every_query_function_has_a_scope_case():
    missing = scoped_functions() - set(CASES) - set(EXEMPT)
    assert not missing, f"query functions without a scope test: {sorted(missing)}"


@pytest.mark.parametrize("scope_name", list(SCOPES))
@pytest.mark.parametrize("function", sorted(CASES))
def test_a_scoped_query_returns_only_the_scopes_rows(seeded, function, scope_name):
    CASES[function](SCOPES[scope_name])


# --- the refusals ---------------------------------------------------------------------------

def test_regions_and_departments_outside_the_scope_are_refused_by_name(seeded):
    hangzhou = SCOPES["hangzhou"]
    queries.check_region(scope=hangzhou, adcode=XIHU)
    with pytest.raises(queries.ScopeRefused, match="无权限"):
        queries.check_region(scope=hangzhou, adcode="330200")
    with pytest.raises(queries.ScopeRefused, match="未找到"):
        queries.check_region(scope=hangzhou, adcode="999999")
    queries.check_department(scope=SCOPES["dsj"], code=BIGDATA)
    with pytest.raises(queries.ScopeRefused, match="无权限"):
        queries.check_department(scope=SCOPES["dsj"], code="AUDIT")
    queries.check_department(scope=hangzhou, code="AUDIT")
    assert "无权限" in pq.refusal(scope=hangzhou, problem_id=outside_problem(hangzhou))
    assert "未找到" in pq.refusal(scope=hangzhou, problem_id=10**9)
    assert "无权限" in tq.refusal(scope=hangzhou, code=outside_task(hangzhou))


def test_no_write_reaches_outside_the_scope(seeded):
    hangzhou = SCOPES["hangzhou"]
    now = datetime(2026, 11, 22, 10)
    with pytest.raises(pq.MoveRefused, match="无权"):
        pq.move_problem(scope=hangzhou, problem_id=outside_problem(hangzhou),
                        to_stage="closed", mover="张三", note="越权", today=now.date(),
                        now=now)
    task = sorted(visible_tasks(hangzhou))[0]
    with pytest.raises(tq.DirectiveRefused):
        tq.add_directive(scope=hangzhou, task_code=task, kind="instruction",
                         author_name="张三", author_role="处长", body="越权",
                         receiver="region:330200", deadline="2026-12-30", today=now.date())
    with pytest.raises(tq.DirectiveRefused):
        tq.add_directive(scope=hangzhou, task_code=outside_task(hangzhou), kind="instruction",
                         author_name="张三", author_role="处长", body="越权",
                         receiver="region:330100", deadline="2026-12-30", today=now.date())
    outside = tq.directives(scope=EVERYTHING, today=now.date())
    outside = outside[~outside["task_code"].isin(visible_tasks(hangzhou))]
    with pytest.raises(tq.DirectiveRefused):
        tq.add_reply(scope=hangzhou, task_code=outside["task_code"].iloc[0],
                     directive_id=int(outside["id"].iloc[0]), replied_by="杭州市",
                     body="越权", today=now.date())


def test_a_read_only_scope_writes_nothing(seeded):
    screen = Scope(regions=(PROVINCE,), read_only=True)
    now = datetime(2026, 11, 22, 10)
    problem = pq.all_problems(scope=screen, today=now.date())
    problem = problem[problem["stage"] == "found"].iloc[0]
    with pytest.raises(pq.MoveRefused, match="只读"):
        pq.move_problem(scope=screen, problem_id=int(problem["id"]), to_stage="assigned",
                        mover="大屏", note=None, today=now.date(), now=now)
    with pytest.raises(tq.DirectiveRefused, match="只读"):
        tq.add_directive(scope=screen, task_code="ZD2026-001", kind="instruction",
                         author_name="大屏", author_role="大屏", body="不应写入",
                         receiver="region:330100", deadline="2026-12-30", today=now.date())
    assert pd.isna(pq.problem(scope=EVERYTHING, problem_id=int(problem["id"]),
                              today=now.date())["assigned_on"])
