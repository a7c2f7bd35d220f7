"""AppTest of the Workspace page: list, open, rename, delete with confirmation."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from ecom_analytics.ingest.pipeline import ingest
from ecom_analytics.store import Workspace
from tests.fixtures import online_retail_csv

APP = str(Path(__file__).resolve().parents[2] / "app.py")


def test_workspace_lists_renames_and_deletes(tmp_path, monkeypatch):
    home = tmp_path / "ws"
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(home))
    ws = Workspace(home)
    dataset_id = ingest(online_retail_csv(), "orders.csv", workspace=ws).dataset_id

    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/workspace.py").run()
    assert not at.exception
    table = at.dataframe[0].value
    assert list(table["name"]) == ["orders.csv"] and list(table["kind"]) == ["orders"]

    at.text_input(key=f"ws_name_{dataset_id}").set_value("Spring orders").run()
    next(b for b in at.button if b.label == "Rename").click().run()
    assert list(at.dataframe[0].value["name"]) == ["Spring orders"]
    assert ws.dataset(dataset_id)["name"] == "Spring orders"

    delete = next(b for b in at.button if b.label == "Delete for good")
    assert delete.disabled  # nothing happens without typing DELETE
    at.text_input(key=f"ws_confirm_{dataset_id}").set_value("DELETE").run()
    next(b for b in at.button if b.label == "Delete for good").click().run()
    assert not at.exception
    assert not ws.has_dataset(dataset_id)
    assert any("No dataset yet" in i.value for i in at.info)


def test_workspace_lists_trained_models_by_what_they_are(saved_run_home):
    """The model list and its picker say task, horizon, best model and time, not only a run id."""
    import pandas as pd

    _, _, run_id = saved_run_home
    at = AppTest.from_file(APP, default_timeout=60)
    at.run()
    at.switch_page("pages/workspace.py").run()
    assert not at.exception
    models = at.dataframe[1].value
    assert list(models["run_id"]) == [run_id]
    assert pd.api.types.is_datetime64_any_dtype(models["created"])  # shown as 2026-11-29 10:20, not ISO text
    picker = at.selectbox(key="ws_run")
    assert picker.value == run_id
    assert picker.options == [f"purchase · H = 30 days · best {models['best'].iloc[0]} · trained "
                              f"{models['created'].iloc[0]:%Y-%m-%d %H:%M} UTC"]


def test_a_dataset_named_like_html_stays_text_in_the_sidebar(tmp_path, monkeypatch):
    home = tmp_path / "ws"
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(home))
    name = '<img src=x onerror="alert(1)">orders.csv'
    dataset_id = ingest(online_retail_csv(), name, workspace=Workspace(home)).dataset_id
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["orders"] = dataset_id
    at.run()
    assert not at.exception
    shown = [m.value for m in at.sidebar.markdown if dataset_id in m.value]
    assert shown and "<img" not in shown[0] and "&lt;img" in shown[0]
