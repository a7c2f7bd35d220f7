"""AppTest: the Overview's events part says what changed in the funnel (issue #21), on the events of
tests/unit/test_changes_funnel.py: in the week of 2024-04-01 only 2 of product A's 8 carting users buy, so
cart -> purchase is 10 of 24 (41.7 %), below its interval around 50 %, with A named (25.0 % against 50.0 %)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ecom_analytics.ingest import pipeline
from ecom_analytics.store import Workspace
from tests.unit.test_changes_funnel import events

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def events_csv(**kwargs) -> bytes:
    return events(**kwargs).to_csv(index=False, date_format="%Y-%m-%d %H:%M:%S").encode()


def open_overview(home, data: bytes, lang: str | None = None) -> AppTest:
    events_id = pipeline.ingest(data, "events.csv", kind="events", workspace=Workspace(home)).dataset_id
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params.update({"events": events_id, **({"lang": lang} if lang else {})})
    at.run().switch_page("pages/overview.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_a_product_that_stopped_buying_is_flagged_in_the_funnel(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path))
    at = open_overview(tmp_path, events_csv())
    warning = next(w.value for w in at.warning if "What changed in the funnel" in w.value)
    assert "In the week of 2024-04-01, view → cart was 50.0% (24 of 48 users), within the expected" in warning
    assert "cart → purchase was 41.7% (10 of 24 users), below the expected 50.0% – 50.0%" in warning
    assert "- A (product): 25.0% of its 8 users went on, against 50.0% over the 4 weeks before (−25.0 pts" in warning


def test_a_steady_funnel_is_a_caption_in_chinese(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path))
    at = open_overview(tmp_path, events_csv(a_buyers_last_week=4), lang="zh")
    assert not [w for w in at.warning if "漏斗有何变化" in w.value]
    caption = next(c.value for c in at.caption if "漏斗有何变化" in c.value)
    assert "2024年4月1日这一周，加购 → 购买 为 50.0%（24 位用户中 12 位），在预期的" in caption
