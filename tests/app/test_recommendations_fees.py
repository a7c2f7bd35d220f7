"""AppTest: Recommendations leave postage and fees out by default (issue #21), on the sample orders
(real Online Retail subset, whose POSTAGE (POST), DOTCOM POSTAGE (DOT) and Manual (M) lines are
bought by many customers)."""

from __future__ import annotations

from tests.app.test_recommendations_page import open_page  # noqa: F401  (fixture)


def test_no_fee_is_recommended_or_listed_and_the_switch_names_them(open_page):  # noqa: F811
    at = open_page()
    assert not at.error, [e.value for e in at.error]
    assert at.toggle(key="rec_merch").value is True
    left_out = next(c.value for c in at.caption if c.value.startswith("Left out:")).replace("\\", "")
    assert "POSTAGE (POST)" in left_out
    fees = {"POST", "DOT", "M", "C2", "BANK CHARGES", "AMAZONFEE", "D", "S", "CRUK"}
    top = at.dataframe[2].value
    assert not set(top["product_id"]) & fees
    assert not [o for o in at.selectbox(key="rec_product").options if o.endswith("(POST)")]  # "name (id)" labels
