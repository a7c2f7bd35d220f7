"""AppTest: what the reading warned about (here JD-style numeric event codes the app does not know) is said in
the box after Confirm, not only on the Data quality page (seen on a real JD.com action log, stop 28)."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")
EVENTS = ("user_id,sku_id,time,type,cate,brand\n" + "".join(
    f"{200000 + i % 7},{1000 + i % 11},2016-02-01 {i % 24:02d}:{i % 60:02d}:00,{1 + i % 6},8,403\n"
    for i in range(60))).encode()


@pytest.mark.slow  # an AppTest run of the Data page
def test_a_warning_of_the_reading_is_in_the_box_after_confirm(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "ws"))
    at = AppTest.from_file(APP, default_timeout=120)
    at.run().switch_page("pages/data.py").run()
    at.file_uploader[0].set_value(("jd_action.csv", EVENTS, "text/csv")).run()
    next(b for b in at.button if b.label == "Confirm and clean").click().run()
    assert not at.exception, [e.value for e in at.exception]
    box = next(w.value for w in at.warning if "is ready as the current events" in w.value)
    assert "60 rows in, 60 kept" in box
    assert "100% of the events in 'type' are of types the app does not know (1, 2, 3, 4, 5, 6)" in box
