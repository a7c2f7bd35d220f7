"""AppTest: a shop's yearly exports of one layout chosen together on the Data page are read as one export."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ecom_analytics.store import Workspace
from tests.unit.test_stacking import yearly

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 90


def files():
    return [(f"EtsySoldOrderItems{y}.csv", yearly(y, n), "text/csv") for y, n in ((2020, 4), (2021, 3))]


def test_yearly_exports_are_read_as_one_and_stored(empty_home):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.run()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="data_upload").set_value(files()).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("2 files with the same columns ('EtsySoldOrderItems2020.csv', 'EtsySoldOrderItems2021.csv')" in x.value
               for x in at.info)
    next(b for b in at.button if b.label == "Confirm and clean").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("7 rows in, 7 kept" in s.value for s in at.success)
    assert len(Workspace(empty_home).load_clean(at.session_state["orders_id"])) == 7


def test_the_note_in_chinese(empty_home):
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["lang"] = "zh"
    at.run()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="data_upload").set_value(files()).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("2 个列相同的文件" in x.value for x in at.info)
