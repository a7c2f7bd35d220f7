"""A campaign list over real Online Retail customers joined with their orders (slow; skipped
without ../shared/data).

The real file has no campaign, so the test randomises customers into an "e-mail" arm and a
holdout that nobody e-mailed: an A/A test. Whatever the window, the true effect is zero, the arm
sizes fit 50/50, and the pre-campaign features come from the feature module at the send date.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from ecom_analytics.ingest import pipeline
from ecom_analytics.campaign import analyse_campaign, campaign_from_orders

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def orders(shared_data) -> pd.DataFrame:
    data = (shared_data / "online_retail.csv.gz").read_bytes()
    return pipeline.process(pipeline.prepare(data, "online_retail.csv.gz"), salt="test").cleaning.clean


def test_aa_campaign_on_online_retail(orders):
    send = pd.Timestamp("2011-09-01")
    known = orders.loc[orders["timestamp"] < send, "customer_id"].dropna().unique()
    rng = np.random.default_rng(0)
    campaign = pd.DataFrame({"customer_id": known, "arm": rng.choice(["e-mail", "holdout"], len(known)),
                             "send_date": "2011-09-01"})
    data = campaign_from_orders(campaign, orders, window_days=30)
    assert data.control == "holdout" and len(data.table) == len(known)
    # every customer bought before the send date, so none has zero prior revenue and orders
    assert (data.table["prior_orders"] >= 1).all()
    # outcomes by hand for the whole list: customers with an order in [send, send + 30 days)
    window = orders[(orders["timestamp"] >= send) & (orders["timestamp"] < send + pd.Timedelta(days=30))]
    buyers = set(window["customer_id"].dropna()) & set(known)
    assert int(data.table["converted"].sum()) == len(buyers)
    result = analyse_campaign(data, "converted", uplift_models=())
    row = result.effects.iloc[0]
    assert row["ci_low"] < 0 < row["ci_high"]  # no effect: the interval covers zero
    assert not result.srm["mismatch"]
    assert result.cuped is not None and result.cuped["variance_reduction"].iloc[0] > 0.01
