"""Cleaning (ecom_analytics.ingest.cleaning) on hand-made fixtures with known counts: one reason per
quarantined row (the first rule in the documented order), every rule listed in ``reasons``,
and a report that reconciles rows and revenue, per rule. Nothing is lost."""

from __future__ import annotations

import functools

import pandas as pd
import pytest

from ecom_analytics.ingest import pipeline, schema
from ecom_analytics.ingest.cleaning import ORDER_RULES, clean, outlier_thresholds, rules
from ecom_analytics.ingest.mapping import apply_mapping, propose_mapping
from tests import fixtures as F


@functools.lru_cache(maxsize=None)
def result(policy: str = "flag") -> pipeline.IngestResult:
    prepared = pipeline.prepare(F.cleaning_orders_csv(), "cleaning.csv")
    return pipeline.process(prepared, outlier_policy=policy)


def by_rule(report: dict) -> dict[str, dict]:
    return {r["rule"]: r for r in report["rules"]}


def reasons_by_line(quarantine: pd.DataFrame) -> dict[int, str]:
    return dict(zip(quarantine["source_line"].tolist(), quarantine["reason"].tolist()))


EXPECTED_REASONS = {
    26: "duplicate", 27: "unreadable_date", 28: "unreadable_number", 29: "missing_customer", 30: "cancellation",
    31: "cancellation", 32: "non_positive_price", 33: "missing_customer", 35: "malformed_line",
}


def test_each_rule_quarantines_exactly_its_lines():
    q = result().cleaning.quarantine
    assert reasons_by_line(q) == EXPECTED_REASONS
    counts = {r: x["quarantined"] for r, x in by_rule(result().report["cleaning"]).items()}
    assert counts == {"malformed_line": 1, "unreadable_date": 1, "unreadable_number": 1, "duplicate": 1,
                      "missing_customer": 2, "cancellation": 2, "non_positive_price": 1, "outlier": 0}


def test_no_line_is_lost_or_counted_twice():
    r = result()
    lines = r.cleaning.clean["source_line"].tolist() + r.cleaning.quarantine["source_line"].tolist()
    assert sorted(lines) == list(range(2, 36))
    rep = r.report["cleaning"]
    assert (rep["rows_in"], rep["rows_clean"], rep["rows_quarantined"]) == (34, 25, 9)


def test_exact_duplicate_keeps_the_first_copy():
    r = result()
    assert 2 in r.cleaning.clean["source_line"].tolist()
    assert reasons_by_line(r.cleaning.quarantine)[26] == "duplicate"
    assert by_rule(r.report["cleaning"])["duplicate"]["matched"] == 1


def test_unreadable_cells_are_shown_in_the_quarantine():
    q = result().cleaning.quarantine.set_index("source_line")
    assert q.loc[27, "detail"] == "InvoiceDate: 'yesterday'"
    assert q.loc[28, "detail"] == "Quantity: 'three'"


def test_one_reason_is_the_first_rule_in_order_and_reasons_lists_them_all():
    q = result().cleaning.quarantine.set_index("source_line")
    assert q.loc[33, "reason"] == "missing_customer"
    assert q.loc[33, "reasons"] == "missing_customer; cancellation"
    assert q.loc[30, "reasons"] == "cancellation"
    order = [r for r, _ in ORDER_RULES]
    for reason, reasons in zip(q["reason"], q["reasons"]):
        listed = reasons.split("; ")
        assert listed[0] == reason
        assert listed == sorted(listed, key=order.index)


def test_matched_counts_every_row_a_rule_applies_to():
    rules_ = by_rule(result().report["cleaning"])
    assert rules_["missing_customer"]["matched"] == 2
    assert rules_["cancellation"]["matched"] == 3  # lines 30, 31 and 33
    assert rules_["malformed_line"]["matched"] == 1


def test_cancellations_by_negative_quantity_status_and_c_invoice():
    frame = pd.DataFrame({
        "CustomerID": ["1", "1", "1", "1", "1"],
        "InvoiceNo": ["A1", "A2", "C3", "A4", "CASH5"],
        "InvoiceDate": ["2024-01-01"] * 5,
        "Quantity": ["2", "-2", "1", "1", "1"],
        "UnitPrice": ["3.00"] * 5,
        "Status": ["paid", "paid", "paid", "Refunded", "paid"],
    })
    mapping = propose_mapping(frame, "orders")
    out = clean(apply_mapping(frame, mapping), frame, kind="orders")
    # negative quantity, C-invoice, refunded status; 'CASH5' is not a C-invoice number
    assert out.quarantine["order_id"].tolist() == ["A2", "C3", "A4"]
    assert set(out.quarantine["reason"]) == {"cancellation"}
    assert out.clean["order_id"].tolist() == ["A1", "CASH5"]


def test_non_positive_price():
    q = result().cleaning.quarantine.set_index("source_line")
    assert q.loc[32, "reason"] == "non_positive_price"
    assert q.loc[32, "unit_price"] == 0.0


def test_outlier_is_flagged_and_kept_under_the_default_policy():
    r = result("flag")
    kept = r.cleaning.clean.set_index("source_line")
    assert kept.loc[34, "is_outlier"]
    assert kept["is_outlier"].sum() == 1
    flag = r.report["cleaning"]["flags"][0]
    assert flag["flag"] == "outlier" and flag["policy"] == "flag"
    assert flag["rows_kept_flagged"] == 1
    assert flag["revenue_kept_flagged"] == pytest.approx(80995 * 2.08)
    assert r.report["cleaning"]["revenue_clean"] == pytest.approx(F.REGULAR_REVENUE + 80995 * 2.08)


def test_outlier_is_quarantined_under_the_quarantine_policy():
    r = result("quarantine")
    q = r.cleaning.quarantine.set_index("source_line")
    assert q.loc[34, "reason"] == "outlier"
    assert 34 not in r.cleaning.clean["source_line"].tolist()
    rep = r.report["cleaning"]
    assert (rep["rows_clean"], rep["rows_quarantined"]) == (24, 10)
    assert by_rule(rep)["outlier"]["revenue_quarantined"] == pytest.approx(80995 * 2.08)
    assert rep["revenue_clean"] == pytest.approx(F.REGULAR_REVENUE)
    assert not r.cleaning.clean["is_outlier"].any()


def test_policies_give_different_dataset_ids():
    prepared = pipeline.prepare(F.cleaning_orders_csv(), "cleaning.csv")
    assert result("flag").dataset_id != result("quarantine").dataset_id
    assert pipeline.process(prepared, outlier_policy="flag").dataset_id == result("flag").dataset_id


@pytest.mark.parametrize("policy", ["flag", "quarantine"])
def test_report_reconciles_rows_and_revenue_per_rule(policy):
    r = result(policy)
    rep = r.report["cleaning"]
    assert rep["reconciles"] is True
    assert rep["rows_in"] == rep["rows_clean"] + rep["rows_quarantined"]
    assert rep["rows_quarantined"] == sum(x["quarantined"] for x in rep["rules"])
    assert rep["revenue_in"] == pytest.approx(rep["revenue_clean"] + rep["revenue_quarantined"])
    assert rep["revenue_quarantined"] == pytest.approx(sum(x["revenue_quarantined"] for x in rep["rules"]))
    assert rep["revenue_in"] == pytest.approx(F.REGULAR_REVENUE + 1 + 3 + 9 - 6 + 4 + 0 - 5 + 80995 * 2.08)
    # the report's figures are those of the tables
    assert rep["rows_clean"] == len(r.cleaning.clean)
    assert rep["revenue_clean"] == pytest.approx(r.cleaning.clean["amount"].sum())
    for rule, x in by_rule(rep).items():
        in_rule = r.cleaning.quarantine[r.cleaning.quarantine["reason"] == rule]
        assert x["quarantined"] == len(in_rule)
        assert x["revenue_quarantined"] == pytest.approx(in_rule["amount"].fillna(0).sum())


def test_revenue_quarantined_per_rule():
    rules_ = by_rule(result().report["cleaning"])
    assert rules_["duplicate"]["revenue_quarantined"] == pytest.approx(1.0)
    assert rules_["unreadable_date"]["revenue_quarantined"] == pytest.approx(3.0)
    assert rules_["missing_customer"]["revenue_quarantined"] == pytest.approx(9.0 - 5.0)
    assert rules_["cancellation"]["revenue_quarantined"] == pytest.approx(-6.0 + 4.0)
    assert rules_["malformed_line"]["revenue_quarantined"] == 0.0


def test_sales_without_customer_are_reported_for_the_analyst():
    anonymous = result().report["cleaning"]["sales_without_customer"]
    assert anonymous == {"rows": 1, "revenue": pytest.approx(9.0)}  # line 33 is also a cancellation


def test_malformed_line_is_in_the_quarantine_with_its_text():
    q = result().cleaning.quarantine.set_index("source_line")
    assert q.loc[35, "reason"] == "malformed_line"
    assert q.loc[35, "detail"].endswith("paid,EXTRA")
    assert pd.isna(q.loc[35, "customer_id"]) and pd.isna(q.loc[35, "amount"])


def test_malformed_lines_do_not_break_the_tables_dtypes(workspace):
    r = result()
    schema.validate(r.cleaning.clean, "orders")
    schema.validate(r.cleaning.quarantine, "orders")
    dataset_id = pipeline.store(r, pipeline.prepare(F.cleaning_orders_csv(), "cleaning.csv"), workspace)
    stored = workspace.load_quarantine(dataset_id)
    assert sorted(stored["source_line"].tolist()) == sorted(EXPECTED_REASONS)


def test_row_with_two_unreadable_cells_lists_both():
    data = (b"CustomerID,InvoiceNo,InvoiceDate,Quantity,UnitPrice\n"
            b"1,A,2024-01-01,1,2\n2,B,nope,x,2\n,C,2024-01-02,y,3\n")
    r = pipeline.process(pipeline.prepare(data, "a.csv"))
    q = r.cleaning.quarantine.set_index("source_line")
    assert q.loc[3, "reason"] == "unreadable_date"
    assert q.loc[3, "reasons"] == "unreadable_date; unreadable_number"
    assert q.loc[4, "reasons"] == "unreadable_number; missing_customer"
    assert by_rule(r.report["cleaning"])["unreadable_number"]["matched"] == 2


def test_outlier_fence_needs_enough_data():
    assert outlier_thresholds(pd.Series([1.0] * 18 + [1e9])) == float("inf")
    fence = outlier_thresholds(pd.Series([float(x) for x in range(1, 41)]))
    assert 40 < fence < 1e6


def test_when_most_lines_have_quantity_one_a_few_units_are_not_extreme():
    # a typical web shop: 80% of lines are 1 unit; 2, 3 or 10 units are ordinary, 500 is not
    quantity = pd.Series([1.0] * 80 + [2.0] * 10 + [3.0] * 8 + [10.0, 500.0])
    fence = outlier_thresholds(quantity)
    assert 10 < fence < 500
    assert (quantity > fence).sum() == 1


def test_unknown_outlier_policy_is_refused():
    prepared = pipeline.prepare(F.online_retail_csv(), "x.csv")
    canonical = apply_mapping(prepared.raw.frame, prepared.mapping)
    with pytest.raises(ValueError):
        clean(canonical, prepared.raw.frame, kind="orders", outlier_policy="drop")


# ----------------------------------------------------------------------------- events

def test_event_rules():
    data = (
        "user_id,event_time,event_type,product_id,price\n"
        "u1,2024-01-01 10:00:00 UTC,view,p1,10.00\n"
        "u1,2024-01-01 10:00:00 UTC,view,p1,10.00\n"      # duplicate
        ",2024-01-01 10:01:00 UTC,view,p1,10.00\n"        # missing user
        "u2,2024-01-01 10:02:00 UTC,purchase,p2,-5.00\n"  # negative price
        "u2,2024-01-01 10:03:00 UTC,zoom,p2,5.00\n"       # unknown type: kept, flagged
        "u3,later,cart,p3,7.00\n"                         # unreadable date
        "u3,2024-01-01 10:05:00 UTC,purchase,p3,7.00\n"
    ).encode()
    r = pipeline.process(pipeline.prepare(data, "events.csv"))
    assert r.kind == "events"
    assert reasons_by_line(r.cleaning.quarantine) == {3: "duplicate", 4: "missing_user", 5: "negative_price",
                                                      7: "unreadable_date"}
    kept = r.cleaning.clean.set_index("source_line")
    assert kept["is_unknown_event"].to_dict() == {2: False, 6: True, 8: False}
    assert kept.loc[6, "event_type"] == "other"
    rep = r.report["cleaning"]
    assert [x["rule"] for x in rep["rules"]] == [x for x, _ in rules("events")]
    assert rep["revenue_in"] == pytest.approx(-5.0 + 7.0)  # purchase prices
    assert rep["revenue_clean"] == pytest.approx(7.0)
    assert rep["reconciles"] is True
    assert rep["flags"][0]["rows_kept_flagged"] == 1
