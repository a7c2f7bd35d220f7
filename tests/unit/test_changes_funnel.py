"""What changed in the funnel (issue #21) on hand-built events: 14 complete weeks (2024-01-01 is a Monday);
every week each of three products A, B, C has 16 users who view it, 8 of whom also cart it and 4 of those
also buy it (view -> cart 50 %, cart -> purchase 50 %). In the 14th week (of 2024-04-01) only 2 of A's 8
carting users buy: cart -> purchase is 10 / 24 = 41.7 %, below an interval around the steady 50 %, and A is
named with its own rate (25 % of 8 against 50 %: 2 users fewer than at that rate); view -> cart stays 50 %."""

import pandas as pd
import pytest

from ecom_analytics.errors import InputError
from ecom_analytics.forecasting.changes import (FUNNEL_BELOW, FUNNEL_DRIVER_DOWN, FUNNEL_TOO_SHORT, FUNNEL_WITHIN,
                                                funnel_changed, funnel_words)
from ecom_analytics.i18n import translate

CATEGORY = {"A": "Toys", "B": "Toys", "C": "Books"}


def events(weeks: int = 14, a_buyers_last_week: int = 2) -> pd.DataFrame:
    rows = []
    for week in range(weeks):
        monday = pd.Timestamp("2024-01-01") + pd.Timedelta(weeks=week)
        for product in "ABC":
            buyers = a_buyers_last_week if product == "A" and week == weeks - 1 else 4
            for i in range(16):
                user = f"{product}{week}-{i}"
                at = monday + pd.Timedelta(days=i % 7, hours=10)
                steps = ["view"] + (["cart"] if i < 8 else []) + (["purchase"] if i < buyers else [])
                for k, step in enumerate(steps):
                    rows.append({"user_id": user, "timestamp": at + pd.Timedelta(minutes=k), "event_type": step,
                                 "product_id": product, "category": CATEGORY[product]})
    return pd.DataFrame(rows)


def countries(frame: pd.DataFrame) -> pd.Series:
    users = frame.drop_duplicates("user_id").set_index("user_id")["product_id"]
    return users.map({"A": "France", "B": "United Kingdom", "C": "United Kingdom"})


def test_a_week_where_one_product_buys_half_as_often_is_below_and_names_it():
    frame = events()
    change = funnel_changed(frame, "week", {"country": countries(frame)}, pd.Series({"A": "Red kite"}))
    assert change.period == pd.Timestamp("2024-04-01")
    cart, buy = change.steps
    assert (cart.step, cart.status, cart.rate, cart.users, cart.passed) == ("view_to_cart", "within", 0.5, 48, 24)
    assert (buy.step, buy.status, buy.users, buy.passed) == ("cart_to_purchase", "below", 24, 10)
    assert buy.rate == pytest.approx(10 / 24) and buy.expected == pytest.approx(0.5) and buy.low > 10 / 24
    named = [(d.dimension, d.name, d.users, d.passed, d.rate, d.baseline, d.gap) for d in buy.drivers]
    assert named == [("product", "Red kite (A)", 8, 2, 0.25, 0.5, -2.0),
                     ("category", "Toys", 16, 6, 0.375, 0.5, -2.0),
                     ("country", "France", 8, 2, 0.25, 0.5, -2.0)]
    assert cart.drivers == []


def test_the_verdicts_are_coded_notes_worded_in_either_language():
    notes = funnel_changed(events(), "week").notes()
    assert [n.code for n in notes] == [FUNNEL_WITHIN, FUNNEL_BELOW, FUNNEL_DRIVER_DOWN, FUNNEL_DRIVER_DOWN]
    english = translate(funnel_words(notes[1], "en"), "en")
    assert english.startswith("In the week of 2024-04-01, cart → purchase was 41.7% (10 of 24 users), below the "
                              "expected 50.0% – 50.0%")
    driver = translate(funnel_words(notes[2], "en"), "en")
    assert driver == ("A (product): 25.0% of its 8 users went on, against 50.0% over the 4 weeks before "
                      "(−25.0 pts, 2 users fewer than at that rate).")
    chinese = translate(funnel_words(notes[1], "zh"), "zh")
    assert "2024年4月1日" in chinese and "加购 → 购买" in chinese and "41.7%" in chinese and "低于" in chinese


def test_a_steady_funnel_is_within_everywhere():
    change = funnel_changed(events(a_buyers_last_week=4), "week")
    assert [s.status for s in change.steps] == ["within", "within"]
    assert all(s.drivers == [] for s in change.steps)


def test_a_short_history_or_no_funnel_steps_gets_one_sentence():
    with pytest.raises(InputError, match="needs at least 12 complete periods") as caught:
        funnel_changed(events(weeks=8), "week")
    assert caught.value.note.code == FUNNEL_TOO_SHORT
    views_only = events()
    views_only = views_only[views_only["event_type"] == "view"]
    with pytest.raises(InputError, match="needs view, cart and purchase events; these events have no cart, purchase events"):
        funnel_changed(views_only, "week")


def test_a_segment_that_moved_the_step_is_named_in_the_analysts_language():
    """A's users are the RFM segment Champions, the others Loyal: Champions is named, its name translated."""
    frame = events()
    users = frame.drop_duplicates("user_id").set_index("user_id")["product_id"]
    segments = users.map({"A": "Champions", "B": "Loyal", "C": "Loyal"})
    change = funnel_changed(frame, "week", {"segment": segments})
    segment = [d for d in change.steps[1].drivers if d.dimension == "segment"]
    assert [(d.name, d.users, d.passed, d.gap) for d in segment] == [("Champions", 8, 2, -2.0)]
    note = next(n for n in change.notes() if n.code == FUNNEL_DRIVER_DOWN and n.params["dimension"].code == "segment")
    assert translate("Champions", "zh") == "重要价值客户"
    assert translate(funnel_words(note, "zh"), "zh").startswith(
        f"{translate('Champions', 'zh')}（{translate('segment', 'zh')}）：其 8 位用户中有 25.0% 进入下一步")
