"""Producing briefings: one function for the page's background job, the schedules and the
command line.

:func:`make_pdf` computes and prints a briefing for a scope. :func:`produce` runs a stored
briefing (``data.briefings``) from queued to done: it computes under the scope the user it is
made for has *now* (a user disabled since cannot receive it), writes the file whole or not at
all, records the outcome in the audit log, and on any failure — a bad region, a missing
Chromium, an exception, the job being stopped — marks the briefing failed with the reason and
leaves no file.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from flask import current_app, has_request_context

from briefing import environment, files, render
from briefing.document import SECTIONS, BriefingRequest, Progress, Viewer, compose
from data import accounts, audit, queries
from data import briefings as records
from data.scope import Scope
from data.windows import BadWindow, Window
from panels.addresses import BadAddress

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Made:
    data: bytes
    pages: int
    file_name: str
    summary: tuple[str, ...]


def make_pdf(request: BriefingRequest, *, scope: Scope, viewer: Viewer,
             progress: Progress | None = None) -> Made:
    """The PDF of ``request`` under ``scope``. Raises ``BadAddress`` for what names nothing and
    ``NotReady`` for what the machine lacks (both with a Chinese message)."""
    environment.require()
    with one_data_version():
        briefing = compose(request, scope=scope, viewer=viewer, made_at=accounts.now(),
                           progress=progress)
    printed = render.pdf(briefing, progress)
    return Made(printed.data, printed.pages, briefing.file_name, tuple(briefing.summary))


@contextmanager
def one_data_version() -> Iterator[None]:
    """Every figure of one briefing from one data version of the store (a write landing
    half-way cannot mix two states in one document): the version is read once, as a request
    does (outside a request, a request context of its own is opened for it)."""
    if has_request_context():
        yield
        return
    with current_app.test_request_context("/briefings"):
        yield


def request_of(record: dict) -> BriefingRequest:
    window = Window.parse(record["window_key"], kind=record["window_kind"])
    sections = tuple(s for s in record["sections"].split(",") if s) or tuple(SECTIONS)
    return BriefingRequest(adcode=record["region_adcode"], window=window, sections=sections,
                           indicator=record["indicator_code"] or None)


def _progress(briefing_id: int, report: Callable[[int, str], None] | None) -> Progress:
    def tell(share: int, words: str) -> None:
        records.heartbeat(briefing_id, progress=share, message=words, now=accounts.now())
        if report is not None:
            report(share, words)
    return tell


def produce(briefing_id: int, *, report: Callable[[int, str], None] | None = None) -> dict:
    """Run a queued briefing to its end (done or failed); its record afterwards. A briefing
    that is not queued (already started elsewhere) is left as it is."""
    if not records.start(briefing_id, now=accounts.now()):
        return records.get(briefing_id) or {}
    record = records.get(briefing_id)
    target = f"{record['region_name']} {record['window_key']}"
    try:
        account = accounts.find_user(record["username"])
        if account is None or not account.active:
            raise PermissionError(
                f"用户“{record['username']}”不存在或已停用，不能为其生成简报。")
        made = make_pdf(request_of(record), scope=account.scope,
                        viewer=Viewer(account.display_name, account.unit),
                        progress=_progress(briefing_id, report))
        name = files.new_name()
        files.write_atomically(files.folder() / name, made.data)
        records.finish(briefing_id, file_name=name, title=made.file_name,
                       size_bytes=len(made.data), pages=made.pages, now=accounts.now())
        audit.record("briefing", by=account, target=target,
                     detail=f"简报 #{briefing_id}（{records.SOURCES[record['source']]}，"
                            f"{made.pages} 页，{len(made.data):,} 字节）")
    except (BadAddress, BadWindow, environment.NotReady, PermissionError, ValueError) as refused:
        _failed(briefing_id, record, target, str(refused))
    except Exception as error:  # noqa: BLE001 - any failure is told, and the job ends cleanly
        log.exception("briefing %s failed", briefing_id)
        _failed(briefing_id, record, target, f"生成失败：{type(error).__name__}: {error}")
    except BaseException:  # the job was stopped (a cancel, a shutdown): say so, then stop
        _failed(briefing_id, record, target, "生成被中断（后台任务被停止），可以重新生成。")
        raise
    return records.get(briefing_id) or {}


def _failed(briefing_id: int, record: dict, target: str, reason: str) -> None:
    records.fail(briefing_id, reason=reason, now=accounts.now())
    audit.record("briefing", by_name=record["username"], target=target,
                 detail=f"简报 #{briefing_id}：{reason}", outcome="failed")


def queue(*, account: accounts.Account, requested_by: str, request: BriefingRequest,
          source: str, schedule_id: int | None = None) -> int:
    """Store a queued briefing of ``request`` for ``account`` (checked first: a region or
    window that names nothing is refused with ``BadAddress``/``BadWindow`` before anything is
    stored)."""
    scope = account.scope
    tree = queries.regions(scope=scope).set_index("adcode")
    if request.adcode not in tree.index:
        raise BadAddress(f"未找到行政区划代码为“{request.adcode}”的地区，或不在您的权限范围内。")
    return records.create(records.NewBriefing(
        username=account.username, display_name=account.display_name, unit=account.unit,
        requested_by=requested_by, scope=scope, region_adcode=request.adcode,
        region_name=str(tree.loc[request.adcode, "name"]), window_kind=request.window.kind,
        window_key=request.window.key, sections=request.sections, source=source,
        indicator_code=request.indicator, schedule_id=schedule_id), now=accounts.now())


def retry(briefing_id: int, *, account: accounts.Account) -> int:
    """A new queued briefing with the choices of an earlier (failed) one."""
    record = records.get(briefing_id)
    if record is None:
        raise BadAddress("没有这份简报。")
    return queue(account=account, requested_by=account.username, request=request_of(record),
                 source="page")
