"""AppTest: the Model page trains a small run in its background thread and shows the leaderboard;
the Evaluation and Predictions pages then show that run.

Data: the synthetic shop of tests/unit/test_training.py (seeded; 200 customers over 300 days),
written as an Online Retail CSV, ingested into the test's workspace and opened through a link
(?orders=..), as a shared link would open it. The neural network is set small in the page's own
settings (3 epochs, one layer of 8 units).

Training runs in a server thread (ecom_analytics.ui.jobs) that the page watches with a fragment
rerunning every second. AppTest has no timer for ``run_every``, so the test plays the browser:
it reruns the page about once a second until the thread has saved the run.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ecom_analytics.ingest import pipeline
from ecom_analytics.store import Workspace
from tests.unit.test_training import online_retail_csv, synthetic_orders

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 60
LEADERBOARD = "Leaderboard (test window)"


@pytest.fixture()
def home(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "ws"
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(path))
    return path


@pytest.fixture()
def orders_id(home) -> str:
    data = online_retail_csv(synthetic_orders(n_customers=200))
    return pipeline.ingest(data, "shop.csv", kind="orders", workspace=Workspace(home)).dataset_id


def open_page(page: str, datasets: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    for kind, dataset_id in datasets.items():
        at.query_params[kind] = dataset_id
    at.run()
    assert not at.exception
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def subheaders(at: AppTest) -> list[str]:
    return [s.value for s in at.subheader]


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_model_page_without_data_points_to_the_data_page(home):
    at = open_page("pages/model.py", {})
    assert at.title[0].value == "Model"
    assert any("No orders loaded yet" in i.value for i in at.info)
    assert "md_train" not in [b.key for b in at.button]
    assert LEADERBOARD not in subheaders(at)
    for page in ("pages/evaluation.py", "pages/predictions.py"):
        at.switch_page(page).run()
        assert not at.exception
        assert any("No orders loaded yet" in i.value for i in at.info)


@pytest.mark.keras
def test_train_a_small_run_then_evaluation_and_predictions(orders_id, home):
    at = open_page("pages/model.py", {"orders": orders_id})
    assert any("No model is trained" in i.value for i in at.info)
    at.number_input(key="md_epochs").set_value(3)
    at.text_input(key="md_layers").set_value("8")
    at.run()
    at.button(key="md_train").click().run()
    assert not at.exception, [e.value for e in at.exception]

    deadline = time.monotonic() + 120
    seen_progress = False
    while LEADERBOARD not in subheaders(at):
        assert not at.exception, [e.value for e in at.exception]
        assert not at.error, [e.value for e in at.error]  # a failed job shows its reason as an error
        seen_progress = seen_progress or bool(at.get("progress"))
        assert time.monotonic() < deadline, "training did not finish within 120 s"
        time.sleep(1)
        at.run()
    assert seen_progress  # the live progress bar was shown while the thread trained
    assert not at.exception, [e.value for e in at.exception]

    board = at.dataframe[0].value
    assert "Neural (Keras MLP)" in set(board["label"])
    assert {"Recency rule", "BG/NBD", "Logistic regression", "Gradient boosting"} <= set(board["label"])
    assert {"roc_auc", "pr_auc", "log_loss", "brier"} <= set(board.columns)
    m = metrics(at)
    assert "Best model" in m and "Neural network" in m
    assert int(m["Customers in the test window"].replace(",", "")) > 50
    assert "Neural network training" in subheaders(at)
    assert at.get("plotly_chart")  # the loss curves
    assert any("run `" in s.value for s in at.success)
    # the page's settings reached the training thread, and the run is in the workspace
    from ecom_analytics.predict.registry import list_runs, load_run

    runs = list_runs(Workspace(home))
    assert len(runs) == 1 and runs.iloc[0]["task"] == "purchase" and runs.iloc[0]["horizon_days"] == 30
    stored = load_run(Workspace(home), runs.iloc[0]["run_id"])
    assert stored.meta["params"]["epochs"] == 3 and stored.meta["params"]["hidden"] == [8]
    assert stored.meta["datasets"]["orders"] == orders_id
    assert len(stored.history) >= 1 and len(stored.history) <= 3
    assert at.query_params["run"] in (runs.iloc[0]["run_id"], [runs.iloc[0]["run_id"]])

    at.switch_page("pages/evaluation.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == "Evaluation"
    assert len(at.get("plotly_chart")) == 2  # the open tab only: ROC and precision-recall
    assert any("Test window" in md.value for md in at.markdown)
    assert at.selectbox(key="ev_model").value == stored.meta["best_model"]  # as on Predictions

    at.switch_page("pages/predictions.py").run()
    assert not at.exception, [e.value for e in at.exception]
    m = metrics(at)
    assert m["Customers scored"] == "200"
    assert m["Likely purchasers"] == "20"  # top 10 % of 200
    assert at.dataframe[0].value.shape[0] == 200


def test_training_that_cannot_run_says_why(home):
    # 12 days of data: a 30-day window needs at least 90 days, so the thread fails with a sentence
    short = ("InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country\n"
             "1,A,Apple,2,2024-01-01 10:00,5.00,100,United Kingdom\n"
             "2,A,Apple,1,2024-01-08 09:00,5.00,100,United Kingdom\n"
             "3,B,Bread,4,2024-01-12 12:00,3.00,200,France\n").encode()
    dataset_id = pipeline.ingest(short, "short.csv", kind="orders", workspace=Workspace(home)).dataset_id
    at = open_page("pages/model.py", {"orders": dataset_id})
    at.button(key="md_train").click().run()
    deadline = time.monotonic() + 60
    while not at.error:
        assert not at.exception, [e.value for e in at.exception]
        assert time.monotonic() < deadline, "the failed job was never reported"
        time.sleep(0.5)
        at.run()
    assert "Choose a shorter horizon" in at.error[0].value
    assert LEADERBOARD not in subheaders(at)
    assert at.button(key="md_train")  # the analyst can change the window and try again
