"""End to end in Chromium: the password gate of a shared server keeps the linked page, asks once per
browser session (a second tab opens without it, another browser is asked), and shows no page list
before the password."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.e2e


def test_password_once_per_browser_and_the_link_kept(browser, gated_server):
    from tests.e2e.conftest import Page

    tab = Page(browser, gated_server)
    other = Page(browser, gated_server)  # another browser (its own cookies)
    try:
        tab.goto("/segments?lang=zh")  # the first request of this server: no page list either
        assert tab.page.locator("input[type=password]").count() == 1
        assert tab.page.locator("[data-testid='stSidebarNav'] a").count() == 0, "pages listed before the password"
        assert "/segments" in tab.page.url
        tab.check("access_01_locked_zh")
        tab.page.locator("input[type=password]").fill("s3cret")
        tab.page.keyboard.press("Enter")
        tab.settle()
        assert "/segments" in tab.page.url and "lang=zh" in tab.page.url
        assert tab.shows("RFM 分群"), "the linked page is not shown after the password"
        assert tab.page.locator("[data-testid='stSidebarNav'] a").count() > 10
        tab.check("access_02_after_password_zh")

        second = tab.context.new_page()  # a new tab of the same browser
        second.goto(gated_server + "/products")
        tab.page, first = second, tab.page
        tab.settle()
        assert second.locator("input[type=password]").count() == 0, "a second tab asked for the password again"
        assert tab.shows("Products")
        tab.page = first

        other.goto("/products")
        assert other.page.locator("input[type=password]").count() == 1, "another browser got in without it"
    finally:
        tab.close()
        other.close()
