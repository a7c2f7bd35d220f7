"""End to end in Chromium: a campaign list (customer, arm, send date) uploaded through the file
chooser on the Campaigns page, with outcomes computed from the sample orders."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

from ecom_analytics.sample import SAMPLE_ORDERS

pytestmark = pytest.mark.e2e


def _campaign_list(path: Path) -> int:
    """Every customer of the sample orders, alternately in a control arm and an e-mail arm, sent 2011-10-01."""
    orders = pd.read_csv(SAMPLE_ORDERS, usecols=["CustomerID"])
    customers = sorted(orders["CustomerID"].dropna().astype(int).unique())
    frame = pd.DataFrame({"customer_id": customers,
                          "arm": ["control" if i % 2 == 0 else "email" for i in range(len(customers))],
                          "send_date": "2011-10-01"})
    frame.to_csv(path, index=False)
    return len(customers)


def test_campaign_list_with_current_orders(tab, tmp_path):
    listed = _campaign_list(tmp_path / "campaign_list.csv")
    tab.goto("/")
    tab.page.get_by_role("button", name="Load the sample data").click()
    tab.settle(timeout=180)
    ids = "&".join(p for p in tab.page.url.split("?", 1)[1].split("&") if p.startswith(("orders=", "events=")))
    tab.goto(f"/campaigns?{ids}&cp_source=Campaign+list+%2B+current+orders")
    assert tab.shows(re.compile("Outcomes come from the current orders"))
    tab.page.locator("[data-testid='stFileUploader'] input[type=file]").set_input_files(str(tmp_path / "campaign_list.csv"))
    tab.settle(timeout=300)
    assert tab.shows("Outcome window (days after the send date)")
    # the e-mail arm (every second customer listed) with its size, and the reading of its effect
    sizes = [int(n.replace(",", "")) for n in
             re.findall(r"\(n = ([\d,]+)\)", " ".join(tab.page.locator("[data-testid='stMetricLabel']").all_inner_texts()))]
    assert sizes == [listed // 2], sizes
    assert tab.shows(re.compile(r"^Reading: email"))
    tab.check("14_campaign_list_with_orders")
