"""End to end in Chromium: the four tables of an Olist-shaped export chosen together in the Data
page's file chooser (issue #16), joined on Confirm, and the Data quality page of the joined data.

The files and their hand-counted figures are those of tests/app/test_tables_page.py."""

from __future__ import annotations

import re

import pytest

from tests.fixtures import OLIST

pytestmark = pytest.mark.e2e


def test_four_tables_through_the_file_chooser(tab, tmp_path):
    paths = []
    for name in list(OLIST)[:4]:  # order header, line items, customers, payments
        (tmp_path / name).write_text(OLIST[name], encoding="utf-8")
        paths.append(str(tmp_path / name))
    tab.goto("/data")
    tab.page.locator("[data-testid='stFileUploader'] input[type=file]").set_input_files(paths)
    tab.settle()
    assert tab.shows("Tables uploaded together")
    assert tab.shows("orders with items: 5 · ⚠ orders without items: 1 · ⚠ items without an order: 1")
    assert tab.shows(re.compile(r"Customers are identified by 'customer_unique_id'"))
    assert tab.shows("the payments match on 75.0% of orders")
    tab.check("tables_1_proposal")
    tab.page.get_by_role("button", name="Confirm and join").click()
    tab.settle()
    assert tab.shows(re.compile(r"9 rows in, 5 kept, 4 set aside with a reason"))
    ids = tab.page.url.split("?", 1)[1]
    assert re.fullmatch(r"orders=[0-9a-f]{16}", ids)  # the link carries only the id
    tab.goto(f"/data_quality?{ids}")
    assert tab.shows("Tables joined")
    assert tab.shows("Match with freight")
    tab.check("tables_2_quality")
