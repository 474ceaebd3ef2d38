"""The sign-in page (jobmatch/web) in Chromium: axe's WCAG 2.1 A/AA rules at both widths, before and after a
refused submission; every field named by its label; signing in and out with the keyboard only.

The user is created with AccountService on the browser tests' own prefix, with cheap Argon2 parameters: the app
verifies a password with the parameters stored in its hash, and hashing cost is not what these tests check.
"""

from __future__ import annotations

import re

import pytest
from argon2 import PasswordHasher
from playwright.sync_api import Locator, Page, expect

from jobmatch.accounts.service import AccountService
from jobmatch.extensions import state
from tests.browser.conftest import VIEWPORTS, assert_accessible, shot

USERNAME = "trinhduyet"
PASSWORD = "mật-khẩu-trình-duyệt-1"  # diacritics on purpose: typed key by key like a person would
DISPLAY_NAME = "Lê Thị Duyệt"


@pytest.fixture(scope="module", autouse=True)
def counsellor(live_server):
    """A counsellor user who can sign in."""
    app_state = state(live_server.app)
    accounts = AccountService(app_state.es, live_server.prefix, app_state.tz,
                              hasher=PasswordHasher(time_cost=1, memory_cost=1024, parallelism=1))
    return accounts.create(USERNAME, PASSWORD, "counsellor", display_name=DISPLAY_NAME, actor="browser-test")


def open_login(page: Page) -> Page:
    """Open the sign-in page and check it answers 200."""
    response = page.goto("/login")
    assert response is not None and response.status == 200, response and response.status
    return page


def tab_to(page: Page, target: Locator, *, limit: int = 30) -> None:
    """Press Tab until `target` has the focus (fail after `limit` presses): the way a keyboard user gets there."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if target.evaluate("el => el === document.activeElement"):
            return
    pytest.fail(f"{limit} presses of Tab never reached {target}")


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_the_sign_in_page_passes_axe_and_fits_a_phone(page_at, viewport):
    page = open_login(page_at(viewport))
    assert_accessible(page, f"/login at {viewport} width")
    width = VIEWPORTS[viewport]["width"]
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    shot(page, f"login-{viewport}")


def test_every_field_is_named_by_its_label(desktop):
    open_login(desktop)
    form = desktop.locator("main form")
    fields = form.locator("input:not([type=hidden]), select, textarea")
    assert fields.count() == 2
    for i in range(fields.count()):
        field = fields.nth(i)
        labels = field.evaluate("el => Array.from(el.labels, label => label.textContent.trim())")
        assert len(labels) == 1 and labels[0], f"field {i} has no label of its own: {labels}"
        expect(field).to_have_accessible_name(labels[0])
    # Names a password manager and a screen reader understand.
    expect(desktop.get_by_label("Tên đăng nhập")).to_have_attribute("autocomplete", "username")
    password = desktop.get_by_label("Mật khẩu")
    expect(password).to_have_attribute("type", "password")
    expect(password).to_have_attribute("autocomplete", "current-password")


def test_empty_fields_are_marked_beside_them_and_stay_accessible(desktop):
    open_login(desktop)
    desktop.get_by_role("button", name="Đăng nhập").click()
    username = desktop.get_by_label("Tên đăng nhập")
    expect(username).to_have_attribute("aria-invalid", "true")
    # The message beside the field is what a screen reader reads with it.
    described = username.get_attribute("aria-describedby")
    assert described, "the invalid field points at no message"
    expect(desktop.locator(f"#{described.split()[0]}")).not_to_be_empty()
    assert_accessible(desktop, "/login after an empty submission")
    shot(desktop, "login-errors")


def test_signing_in_and_out_with_the_keyboard_only(desktop, live_server):
    open_login(desktop)
    desktop.keyboard.press("Tab")
    skip = desktop.get_by_role("link", name="Bỏ qua đến nội dung chính")
    expect(skip).to_be_focused()  # the first stop: past the header to the form
    expect(skip).to_be_visible()
    username = desktop.get_by_label("Tên đăng nhập")
    tab_to(desktop, username)
    desktop.keyboard.type(USERNAME)
    desktop.keyboard.press("Tab")
    expect(desktop.get_by_label("Mật khẩu")).to_be_focused()
    desktop.keyboard.type(PASSWORD)
    desktop.keyboard.press("Tab")
    expect(desktop.get_by_role("button", name="Đăng nhập")).to_be_focused()
    desktop.keyboard.press("Enter")
    expect(desktop).to_have_url(live_server("/counsellor"))
    expect(desktop.locator("header")).to_contain_text(DISPLAY_NAME)
    assert_accessible(desktop, "/counsellor, signed in")
    shot(desktop, "counsellor-home")

    sign_out = desktop.get_by_role("button", name="Đăng xuất")
    tab_to(desktop, sign_out)
    desktop.keyboard.press("Enter")
    expect(desktop).to_have_url(live_server("/login"))
    desktop.goto("/counsellor")  # the session is gone on the server: the home sends back to the sign-in page
    expect(desktop).to_have_url(re.compile(re.escape(live_server("/login")) + r"(\?.*)?$"))
