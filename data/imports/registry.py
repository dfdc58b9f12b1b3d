"""Every kind that can be imported, in the order the /data page lists them."""

from __future__ import annotations

from data.imports.kinds import Kind
from data.imports.kinds_incentives import (
    APP_ADOPTIONS,
    APPEAL_CHANNELS,
    APPEALS,
    APPS,
    RANKING_WEIGHTS,
)
from data.imports.kinds_indicators import INDICATOR_TARGETS, INDICATOR_VALUES
from data.imports.kinds_problems import PROBLEM_MOVES, PROBLEMS
from data.imports.kinds_risk import EVACUATIONS, RISK_ASSESSMENTS, RISK_EVENTS, RISK_NOTICES
from data.imports.kinds_tasks import TASK_REPORTS, TASKS

KINDS: dict[str, Kind] = {kind.code: kind for kind in (
    INDICATOR_VALUES, INDICATOR_TARGETS, TASKS, TASK_REPORTS, PROBLEMS, PROBLEM_MOVES,
    RISK_EVENTS, RISK_ASSESSMENTS, RISK_NOTICES, EVACUATIONS, APPEALS, APPEAL_CHANNELS, APPS,
    APP_ADOPTIONS, RANKING_WEIGHTS)}
