"""The segment builder (issue #21): rules parsed as written, applied to a hand-built customer
table, sized, saved and listed."""

import pandas as pd
import pytest

from ecom_analytics.errors import InputError
from ecom_analytics.insights.segment_builder import (Condition, column_types, customer_table, delete_segment, members,
                                            parse_rule, save_segment, saved_segments, summary)


def table() -> pd.DataFrame:
    features = pd.DataFrame({"orders": [1, 2, 5, 3], "recency_days": [200.0, 30.0, 10.0, 95.0],
                             "revenue_total": [50.0, 120.0, 900.0, 300.0],
                             "country": ["France", "United Kingdom", "United Kingdom", "Germany"]},
                            index=pd.Index(["a", "b", "c", "d"], name="customer_id"))
    rfm = pd.DataFrame({"r": [1, 4, 5, 3], "f": [1, 3, 5, 4], "m": [1, 2, 5, 4],
                        "segment": ["Hibernating", "Loyal", "Champions", "Loyal"]}, index=features.index)
    return customer_table(features, rfm, {"p_purchase": pd.Series({"b": 0.7, "c": 0.9, "d": 0.4})})


def test_the_issues_example_rule():
    t = table()
    rule = parse_rule("orders >= 2 and recency_days < 90 and p_purchase > 0.6", column_types(t))
    assert rule == [Condition("orders", ">=", 2.0), Condition("recency_days", "<", 90.0),
                    Condition("p_purchase", ">", 0.6)]
    assert members(t, rule).tolist() == [False, True, True, False]
    s = summary(t, members(t, rule))
    assert s == {"customers": 2, "share": 0.5, "revenue": 1020.0, "revenue_share": 1020.0 / 1370.0}


def test_text_lists_percent_thousands_and_chinese_and():
    t = table()
    types = column_types(t)
    assert members(t, parse_rule("segment in [Champions, Loyal] 且 country = \"United Kingdom\"", types)).tolist() == \
        [False, True, True, False]
    assert members(t, parse_rule("p_purchase >= 70%", types)).tolist() == [False, True, True, False]
    assert members(t, parse_rule("revenue_total >= 1,000", types)).sum() == 0
    assert members(t, parse_rule("", types)).all()  # no rule: everyone
    assert not members(t, parse_rule("p_purchase < 0.5", types))["a"]  # no prediction: not a member


@pytest.mark.parametrize("rule, says", [
    ("orders >> 2", "is not a condition"),
    ("order >= 2", "Did you mean orders"),
    ("orders >= many", "holds numbers"),
    ("country > France", "holds text"),
    ("segment in Loyal", "takes a list in brackets"),
])
def test_unreadable_rules_get_one_sentence(rule, says):
    with pytest.raises(InputError, match=says):
        parse_rule(rule, column_types(table()))


def test_save_list_replace_delete(tmp_path):
    save_segment(tmp_path, "Win back", "recency_days > 90", "abc", 12)
    save_segment(tmp_path, "Win back", "recency_days > 120", "abc", 7)  # same name: replaced
    save_segment(tmp_path, "高价值", "m = 5", "abc", 3)
    names = {s.name: s for s in saved_segments(tmp_path)}
    assert set(names) == {"Win back", "高价值"} and names["Win back"].rule == "recency_days > 120"
    delete_segment(tmp_path, "Win back")
    assert [s.name for s in saved_segments(tmp_path)] == ["高价值"]
    with pytest.raises(InputError):
        save_segment(tmp_path, "  ", "m = 5", "abc", 3)
