"""AppTest: the Segment builder page (issue #21) on the hand-computed shop of test_insight_pages
(customer 100: 3 orders, revenue 30, last 03-20; 200: 2 orders, 9, last 03-01; 300: 1 order, 8,
last 02-15). Segments are as of the day after the last order, 03-21: recencies about 0.6, 19.4 and 34.5 days."""

from __future__ import annotations

from tests.app.test_insight_pages import home, ids, open_page  # noqa: F401  (fixtures)


def metrics(at) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_a_rule_sizes_the_segment_and_saves_it(ids):  # noqa: F811
    at = open_page("pages/segment_builder.py", {**ids, "sb_rule": "orders >= 2 and recency_days < 30"})
    assert not at.error, [e.value for e in at.error]
    m = metrics(at)
    assert m["Customers in the segment"] == "2"        # 100 and 200
    assert m["Their revenue so far"] == "39.00"        # 30 + 9
    assert at.dataframe[-1].value.index.tolist() == ["100", "200"]
    at.text_input(key="sb_rule").set_value("segment in [Champions] and orders >= 3").run()
    assert not at.exception
    assert metrics(at)["Customers in the segment"] in ("0", "1")
    at.text_input(key="sb_rule").set_value("order >= 2").run()
    assert any("Did you mean orders" in e.value for e in at.error)
    at.text_input(key="sb_rule").set_value("recency_days >= 15").run()
    assert metrics(at)["Customers in the segment"] == "2"  # 200 and 300
    at.text_input(key="sb_name").set_value("Lapsing").run()
    at.button(key="sb_save").click().run()
    assert not at.exception
    assert any("**Lapsing** · `recency_days >= 15` · 2 customers" in md.value for md in at.markdown)


def test_ad_platform_lists_appear_only_with_email_digests(home):  # noqa: F811
    from ecom_analytics.ingest import pipeline
    from ecom_analytics.store import Workspace
    from tests.unit.test_ad_platforms import ORDERS as WITH_EMAILS

    ws = Workspace(home)
    plain = pipeline.ingest(WITH_EMAILS, "shop.csv", kind="orders", workspace=ws).dataset_id
    at = open_page("pages/segment_builder.py", {"orders": plain})
    labels = [b.label for b in at.get("download_button")]
    assert "Google Ads Customer Match (CSV)" not in labels
    assert any("need e-mail digests" in c.value for c in at.caption)
    hashed = pipeline.ingest(WITH_EMAILS, "shop.csv", kind="orders", workspace=ws, ad_platform_hashes=True).dataset_id
    at = open_page("pages/segment_builder.py", {"orders": hashed})
    labels = [b.label for b in at.get("download_button")]
    assert {"Google Ads Customer Match (CSV)", "Meta custom audience (CSV)"} <= set(labels)
    assert any("2 of these customers have an e-mail digest" in c.value for c in at.caption)
