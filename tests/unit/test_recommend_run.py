"""The recommendation run (#18 item 2): the command's --json from a file and from the stored datasets' ids,
and the run's summary, are the same figures (fit times aside); its notes are coded."""

from __future__ import annotations

import json

from ecom_analytics.cli import main
from ecom_analytics.ingest import pipeline
from ecom_analytics.recommend.evaluation import FEW_CUSTOMERS
from ecom_analytics.recommend.run import RecommendSettings, run
from ecom_analytics.store import Workspace

from .test_cli_recommend import orders_csv  # noqa: F401  (fixture)
from .test_forecast_run import home  # noqa: F401  (fixture)


def _without_times(summary: dict) -> dict:
    return {**summary, "models": {m: {k: v for k, v in scores.items() if k != "fit_seconds"}
                                  for m, scores in summary["models"].items()}}


def test_the_run_the_file_and_the_id_give_the_same_summary(orders_csv, home, tmp_path):
    from_file, from_id = tmp_path / "file.json", tmp_path / "id.json"
    args = ["--horizon", "7", "--k", "2", "--models", "popularity,item_knn"]
    assert main(["recommend", "--orders", str(orders_csv), *args, "--json", str(from_file)]) == 0
    orders_id = pipeline.ingest(orders_csv.read_bytes(), orders_csv.name, workspace=Workspace(home)).dataset_id
    assert main(["recommend", "--orders", orders_id, *args, "--json", str(from_id)]) == 0
    by_file = json.loads(from_file.read_text(encoding="utf-8"))
    assert _without_times(by_file) == _without_times(json.loads(from_id.read_text(encoding="utf-8")))
    done = run(Workspace(home), {"orders": orders_id}, RecommendSettings(horizon=7, k=2, models=("popularity", "item_knn")))
    assert _without_times(done.summary) == _without_times(by_file)
    # hand-checked in test_cli_recommend: item-item gives c0 B and c6 E, the two customers of the test window
    assert done.best_model == by_file["best_model"] == "item_knn" and done.summary["users_evaluated"] == 2
    assert [(n.code, dict(n.params), n.severity) for n in done.notes] == [(FEW_CUSTOMERS, {"n": 2}, "warning")]
    assert by_file["notes"] == ["Only 2 customers bought something new in the test window; the metrics are shaky."]
    assert done.result.recommendations["customer_id"].nunique() == 12  # refit on everything: every customer
    from ecom_analytics.recommend.readings import leaderboard_reading

    knn = by_file["models"]["item_knn"]
    reading = leaderboard_reading(done.result, "2024-02-15")
    assert reading.english() == (
        "Reading: trained on the data before 2024-02-15 and scored on the 2 customers who bought something new to "
        "them in the 7 days after, **Item-item cosine** ranks best: 100% of them bought at least one of its 2 "
        f"products (NDCG@2 {knn['ndcg']:.3f}). Its lists use {knn['coverage']:.0%} of the catalogue.")


def test_progress_steps_are_coded_and_worded_in_each_language(orders_csv, home, capsys):
    from ecom_analytics.i18n import translate
    from ecom_analytics.runs import Note

    orders_id = pipeline.ingest(orders_csv.read_bytes(), orders_csv.name, workspace=Workspace(home)).dataset_id
    steps: list = []
    run(Workspace(home), {"orders": orders_id}, RecommendSettings(horizon=7, k=2, models=("popularity", "item_knn")),
        on_progress=lambda share, step: steps.append(step))
    fitting = [s for s in steps if isinstance(s, Note) and s.code == "Fitting {model}"]
    assert [str(s) for s in fitting] == ["Fitting Popularity (recent)", "Fitting Item-item cosine"]
    assert translate(fitting[1], "zh") == "正在拟合 商品间余弦相似度"  # the model's name is translated too
    refit = next(s for s in steps if isinstance(s, Note) and s.code.startswith("Refitting"))
    assert str(refit) == "Refitting Item-item cosine on all the data"
    # the command prints the steps in English words, never a note's repr
    assert main(["recommend", "--orders", orders_id, "--horizon", "7", "--k", "2", "--models", "popularity,item_knn",
                 "--json", str(home / "r.json")]) == 0
    assert "- Fitting Item-item cosine" in capsys.readouterr().err
