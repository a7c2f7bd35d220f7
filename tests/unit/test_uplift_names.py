"""One code for the neural uplift model, "neural" (as the customer and forecasting models call it):
"keras", its code before, is still read from the command line; the ``campaign`` command's JSON keeps
writing "keras" as its key, so the JSON is unchanged."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from ecom_analytics.campaign import run as campaign_run
from ecom_analytics.campaign.uplift import MODEL_LABELS, UpliftResult, make_model
from ecom_analytics.cli import main
from ecom_analytics.cli.campaign import check_models, run_campaign_command
from ecom_analytics.errors import InputError
from ecom_analytics.names import UPLIFT_MODELS, uplift_code



def campaign_file(folder):
    """A four-customer campaign export (an input the command reads, written raw as a shop's file would be,
    not a file for a person: so not through the export writer)."""
    path = folder / "c.csv"
    pd.DataFrame({"id": range(4), "arm": ["control", "email"] * 2, "bought": [0, 1, 0, 1]}).to_csv(path, index=False)
    return path

def test_one_code_for_the_neural_model():
    assert "neural" in UPLIFT_MODELS and "keras" not in UPLIFT_MODELS
    assert campaign_run.DEFAULT_MODELS == tuple(UPLIFT_MODELS)  # the page's default and the CLI's are one


def test_the_command_and_the_page_default_to_the_same_models():
    from ecom_analytics.cli import build_parser

    args = build_parser().parse_args(["campaign", "c.csv"])
    assert tuple(args.models.split(",")) == campaign_run.DEFAULT_MODELS
    assert uplift_code("keras") == "neural" and uplift_code("neural") == "neural" and uplift_code("nope") == "nope"
    assert type(make_model("neural")).__name__ == "KerasUplift"
    with pytest.raises(InputError, match="Unknown uplift model 'keras'"):
        make_model("keras")  # the library speaks today's codes; old ones are read where codes come in


def test_the_command_reads_the_old_code():
    check_models(["t_learner", "keras"])
    check_models(["neural"])
    with pytest.raises(InputError, match="Unknown uplift model nope in --models"):
        check_models(["keras", "nope"])


def test_the_command_trains_the_neural_model_for_keras(tmp_path, monkeypatch):
    asked = []

    def no_training(workspace, datasets, settings, **kwargs):
        asked.append(settings.models)
        raise InputError("stop here")

    monkeypatch.setattr("ecom_analytics.cli.campaign.run", no_training)
    path = campaign_file(tmp_path)
    for given in ("t_learner,keras", "t_learner, neural", "keras,neural,t_learner"):
        with pytest.raises(InputError, match="stop here"):
            run_campaign_command(str(path), orders=None, customer_col=None, arm_col=None, control=None, outcome=None,
                                 window=14, models=given)
    assert asked == [("t_learner", "neural"), ("t_learner", "neural"), ("neural", "t_learner")]


def test_the_json_key_of_the_neural_model_is_still_keras():
    """The summary writes "keras", the key of every JSON the command wrote before the rename."""
    metrics = pd.DataFrame({"model": ["t_learner", "neural"], "qini_auc": [0.25, 0.125],
                            "uplift_at_30": [0.5, -0.75], "cv_qini": [0.2, float("nan")]})
    empty = pd.DataFrame()
    result = UpliftResult("E-Mail", "converted", metrics, {}, {}, {}, empty, empty, "t_learner")
    assert result.summary() == {"t_learner": {"qini_auc": 0.25, "uplift_at_30": 0.5},
                                "keras": {"qini_auc": 0.125, "uplift_at_30": -0.75}}
    assert json.dumps(result.summary()) == ('{"t_learner": {"qini_auc": 0.25, "uplift_at_30": 0.5}, '
                                            '"keras": {"qini_auc": 0.125, "uplift_at_30": -0.75}}')
    assert set(MODEL_LABELS) == set(UPLIFT_MODELS)


def test_the_cli_refuses_an_unknown_model_before_any_work(tmp_path, capsys):
    path = campaign_file(tmp_path)
    assert main(["campaign", str(path), "--models", "keras,nope"]) == 2
    err = capsys.readouterr().err
    assert "Unknown uplift model nope" in err and "keras" not in err.split("choose from")[0]
