"""The administrators' pages in Chromium: an administrator makes a city user, who signs in
and sees only its city; the audit log shows the sign-in and filters by action (Back undoes
the filter)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from tests.browser.server import SESSION_COOKIE, login_cookie
from tests.browser.test_tasks import choose

pytestmark = pytest.mark.browser

USERNAME, PASSWORD = "lishui-staff", "Oujiang-Lishui-2026"
AUDIT_ROWS = "#audit-grid .ag-center-cols-container .ag-row"


def test_an_administrator_makes_a_user_who_sees_only_its_region(page: Page, sign_in,
                                                                base_url: str):
    sign_in(page, "admin")
    page.goto("/admin")
    expect(page.locator("nav.nav a", has_text="用户管理")).to_have_count(1)
    page.fill("#admin-new-username", USERNAME)
    page.fill("#admin-new-name", "丽水市数据局 赵六")
    page.fill("#admin-new-unit", "丽水市数据局")
    choose(page, "#admin-new-role", "地区用户")
    choose(page, "#admin-new-region", "丽水市")
    page.fill("#admin-new-password", "short")
    page.click("#admin-new-submit")
    expect(page.locator("#admin-new-message")).to_contain_text("密码至少 10 位")
    expect(page.locator("#admin-new-username")).to_have_value(USERNAME)  # kept as typed
    page.fill("#admin-new-password", PASSWORD)
    page.click("#admin-new-submit")
    expect(page.locator("#admin-new-message")).to_contain_text(f"已创建用户 {USERNAME}")
    expect(page.locator(f'.ad-users tr[data-username="{USERNAME}"]')).to_contain_text("丽水市")

    # The new user signs in (a real sign-in at /login) and lands on its own city.
    page.context.clear_cookies()
    page.context.add_cookies([{"name": SESSION_COOKIE, "url": base_url,
                               "value": login_cookie(base_url, USERNAME, PASSWORD)}])
    page.goto("/")
    expect(page.locator("h2.page-heading")).to_contain_text("丽水市")
    expect(page.locator("nav.nav a", has_text="用户管理")).to_have_count(0)
    page.goto("/problems")
    expect(page.locator(".problems-page")).to_have_attribute("data-region", "331100")
    regions = page.locator("#problems-grid .ag-center-cols-container .ag-row [col-id=region]")
    expect(regions.first).to_be_visible()
    assert all(t.startswith("丽水市") for t in regions.all_inner_texts())
    page.goto("/region/330100")
    expect(page.locator("div.message-page")).to_contain_text("无权限")

    # The audit log shows that sign-in; filtering by action is an address, Back undoes it.
    sign_in(page, "admin")
    page.goto(f"/audit?user={USERNAME}")
    expect(page.locator(AUDIT_ROWS).first).to_be_visible()
    expect(page.locator(AUDIT_ROWS).filter(has_text="登录").first).to_be_visible()
    page.goto("/audit")
    choose(page, "#audit-action", "新建用户")
    expect(page).to_have_url(re.compile(r"/audit\?action=user_create$"))
    expect(page.locator(AUDIT_ROWS).filter(has_text=USERNAME)).to_have_count(1)
    actions = page.locator(f"{AUDIT_ROWS} [col-id=action_name]").all_inner_texts()
    assert actions and set(actions) == {"新建用户"}
    page.go_back()
    expect(page).to_have_url(re.compile(r"/audit$"))
    expect(page.locator(".audit-page h2")).to_contain_text("全部事件")
    expect(page.locator(AUDIT_ROWS).filter(has_text="新建用户").first).to_be_visible()
