"""The upload profile (issue #21) on a hand-built raw table: types, missing shares, distinct
values, top values and alerts, counted by hand."""

import pandas as pd

from ecom_analytics.ingest.profile import column_distribution, profile_columns


def raw() -> pd.DataFrame:
    n = 40
    return pd.DataFrame({
        "order": [f"{1000 + i}" for i in range(n)],                      # whole numbers, all different
        "when": [f"2024-01-{1 + i % 28:02d} 10:00" for i in range(n)],  # dates
        "qty": ["1", "2", "2", "3"] * 10,                                # numbers, 3 distinct
        "shop": ["A"] * 39 + ["B"],                                      # 97.5 % one value
        "flag": ["yes", "no"] * 20,                                      # yes/no
        "code": ["85123A"] * 10 + [str(20000 + i) for i in range(30)],   # 75 % numbers: mixed
        "note": [""] * 30 + [" x "] * 10,                                # 75 % missing, spaces around
        "same": ["EUR"] * n,                                             # constant
        "mail": [f"u{i}@x.com" for i in range(n)],                       # personal data: masked
    }, dtype="string")


def test_profile_counts_and_alerts_by_hand():
    p = profile_columns(raw(), masked={"mail"}).set_index("column")
    assert p.loc["order", "type"] == "identifier" and p.loc["order", "distinct"] == 40
    assert [a.code for a in p.loc["order", "alerts"]] == ["unique"]
    assert p.loc["when", "type"] == "date"
    assert p.loc["qty", "type"] == "number" and p.loc["qty", "top"] == [("2", 20), ("1", 10), ("3", 10)]
    assert [(a.code, a.share, a.value) for a in p.loc["shop", "alerts"]] == [("dominant", 39 / 40, "A")]
    assert p.loc["flag", "type"] == "yes/no"
    assert [(a.code, a.share) for a in p.loc["code", "alerts"]] == [("mixed", 0.75)]
    assert p.loc["note", "missing"] == 0.75
    assert [(a.code, a.share) for a in p.loc["note", "alerts"]] == [("mostly_empty", 0.75), ("constant", None),
                                                                   ("spaces", 1.0)]
    assert [(a.code, a.value) for a in p.loc["same", "alerts"]] == [("constant", "EUR")]
    assert p.loc["mail", "top"] == [] and p.loc["mail", "distinct"] == 40


def test_distributions():
    frame = raw()
    qty = column_distribution(frame["qty"], "number")
    assert qty["count"].sum() == 40
    when = column_distribution(frame["when"], "date")  # 28 days: per day
    assert when["label"].iloc[0] == "2024-01-01" and when["count"].sum() == 40 and when["count"].iloc[0] == 2
    shop = column_distribution(frame["shop"], "category")
    assert shop.to_dict("list") == {"label": ["A", "B"], "count": [39, 1]}


def test_a_very_wide_file_is_profiled_on_its_first_columns():
    from ecom_analytics.ingest.profile import MAX_COLUMNS

    wide = pd.DataFrame({f"c{i}": ["1", "2"] for i in range(MAX_COLUMNS + 50)}, dtype="string")
    assert len(profile_columns(wide)) == MAX_COLUMNS
