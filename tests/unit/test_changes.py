"""What changed (issue #21) on a hand-built shop: two countries each sell 10.00 a day for 20
complete weeks (140.00 a week in total); in the 21st week country A sells nothing, so the week's
revenue (week of 2024-05-20) is 70.00, below any interval around 140.00, and A is the driver (its 70.00 a week gone,
the whole move)."""

import pandas as pd
import pytest

from ecom_analytics.forecasting.changes import what_changed
from ecom_analytics.errors import InputError


def shop(weeks: int = 21, drop_a_last_week: bool = True) -> pd.DataFrame:
    days = pd.date_range("2024-01-01", periods=weeks * 7, freq="D")  # 2024-01-01 is a Monday
    rows = []
    for i, day in enumerate(days):
        for country in ("A", "B"):
            if drop_a_last_week and country == "A" and i >= (weeks - 1) * 7:
                continue
            rows.append({"order_id": f"{country}{i}", "timestamp": day + pd.Timedelta(hours=12), "amount": 10.0,
                         "quantity": 1.0, "customer_id": f"c{country}{i % 5}", "country": country,
                         "product_name": f"P{country}", "product_id": f"P{country}"})
    return pd.DataFrame(rows)


def test_a_week_that_lost_a_country_is_below_and_names_it():
    change = what_changed(shop(), "revenue", "week")
    assert change.period == pd.Timestamp("2024-05-20") and change.actual == 70.0
    assert change.expected == pytest.approx(140.0) and change.status == "below"
    countries = [d for d in change.drivers if d.dimension == "country"]
    assert [(d.name, d.value, d.baseline, d.change, d.share) for d in countries] == [("A", 0.0, 70.0, -70.0, 1.0)]


def test_a_steady_week_is_within_and_has_no_drivers():
    change = what_changed(shop(drop_a_last_week=False), "revenue", "week")
    assert change.status == "within" and change.actual == 140.0 and change.drivers == []


def test_a_short_history_gets_one_sentence():
    with pytest.raises(InputError, match="needs at least 12 complete periods") as caught:
        what_changed(shop(weeks=8), "revenue", "week")
    # a coded note: the Overview says it in the analyst's language from its code, not by parsing the sentence
    from ecom_analytics.forecasting.changes import TOO_SHORT
    from ecom_analytics.i18n import translate

    note = caught.value.note
    assert (note.code, note.params["MIN_PERIODS"]) == (TOO_SHORT, 12)
    assert translate(note.code, "zh", **note.params).startswith("判断最近一个时期至少需要 12 个完整时期；这些订单只有 ")
