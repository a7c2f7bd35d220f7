"""The campaign run (ecom_analytics.campaign.run): the summary is byte for byte the ``campaign`` command's
JSON of before the run layer (tests/unit/campaign_golden), and every decision the Campaigns page used to
make (outcome type, money per arm, the intended split, audiences, the targeting list, the readings) is
checked against numbers worked out by hand."""

from __future__ import annotations

import ast
import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ecom_analytics.campaign import CampaignResult, arm_effects, balance_table, srm_check
from ecom_analytics.campaign import run as campaign_run
from ecom_analytics.campaign.data import prepare_campaign, sample_path
from ecom_analytics.campaign.readings import effect_reading, sentences, words
from ecom_analytics.campaign.run import CampaignSettings, assemble, parse_split, targeting
from ecom_analytics.campaign.uplift import UpliftResult
from ecom_analytics.campaign.effects import money_basis
from ecom_analytics.cli import main
from ecom_analytics.cli.arguments import write_json
from ecom_analytics.i18n import translate
from ecom_analytics.runs import Run
from tests.unit.test_campaign_money import hand_campaign

from .test_cli_campaign import campaign_list_and_orders

ROOT = Path(__file__).resolve().parents[2]
GOLDEN = Path(__file__).with_name("campaign_golden")


@pytest.fixture(autouse=True)
def home(tmp_path, monkeypatch):
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(tmp_path / "ws"))


def noted_campaign() -> pd.DataFrame:
    """2,500 customers (1,000 control, 1,500 coupon: a sample-ratio mismatch for 1:1), 1,100 repeated ids,
    3 rows without an arm and 1,050 unreadable outcomes; a tier column gives segments."""
    rng = np.random.default_rng(7)
    ids = [f"K{i:05d}" for i in range(2500)]
    arm = ["control"] * 1000 + ["coupon"] * 1500
    bought = rng.random(2500) < np.where(np.array(arm) == "coupon", 0.2, 0.1)
    frame = pd.DataFrame({"customer_id": ids, "arm": arm, "converted": bought.astype(int).astype(str),
                          "tier": np.where(np.arange(2500) % 2, "gold", "silver"),
                          "prior_orders": rng.integers(0, 5, 2500)})
    frame.loc[frame.index[::3][:1050], "converted"] = "n/a"
    extra = frame.iloc[:1100].assign(arm="coupon")
    blank = frame.iloc[:3].assign(customer_id=["X1", "X2", "X3"], arm=None)
    return pd.concat([frame, extra, blank], ignore_index=True)


# ----------------------------------------------------------------------------- the summary is the CLI's JSON

@pytest.mark.parametrize("golden, settings", [
    ("sample_effects_only.json", CampaignSettings(models=())),
    ("sample_spend_t_learner.json", CampaignSettings(outcome="spend", models=("t_learner",))),
])
def test_the_summary_is_the_json_the_command_wrote_before(tmp_path, golden, settings):
    found = campaign_run.run(None, {}, settings, file=sample_path())
    assert isinstance(found, Run) and found.capability == "campaign"
    out = tmp_path / "summary.json"
    write_json(found.summary, str(out))
    assert out.read_bytes() == (GOLDEN / golden).read_bytes()


def test_the_command_writes_the_same_json_with_every_note(tmp_path, capsys):
    """Notes with numbers (1,100 repeated ids, p = 1.5e-23) read in the JSON as they did as English prose."""
    path = tmp_path / "noted.csv"
    noted_campaign().to_csv(path, index=False)
    out = tmp_path / "out.json"
    assert main(["campaign", str(path), "--models", "", "--json", str(out)]) == 0
    assert out.read_bytes() == (GOLDEN / "noted_campaign.json").read_bytes()
    printed = capsys.readouterr().out
    assert "note: 1,100 repeated customer ids were left out (first row kept)" in printed
    found = campaign_run.run(None, {}, CampaignSettings(models=()), file=path)
    assert [(n.code, dict(n.params), n.severity) for n in found.notes[:3]] == [
        ("{n:,} rows without an arm were left out", {"n": 3}, "info"),
        ("{n:,} repeated customer ids were left out (first row kept)", {"n": 1100}, "info"),
        ("Sample-ratio mismatch: arm sizes differ from the intended split (chi-square p = {p:.2g}); check how "
         "customers were assigned before trusting the effects.", {"p": pytest.approx(found.summary["srm"]["p_value"])},
         "warning")]


def test_orders_may_be_a_stored_dataset_id(tmp_path):
    """``--orders`` names an orders dataset of the workspace (--home): the same outcomes as the file."""
    campaign, orders = campaign_list_and_orders(tmp_path)
    ingested = tmp_path / "ingest.json"
    assert main(["ingest", str(orders), "--home", str(tmp_path / "home"), "--json", str(ingested)]) == 0
    dataset_id = json.loads(ingested.read_text())["dataset_id"]
    by_file, by_id = tmp_path / "file.json", tmp_path / "id.json"
    assert main(["campaign", str(campaign), "--orders", str(orders), "--window", "7", "--models", "",
                 "--home", str(tmp_path / "home"), "--json", str(by_file)]) == 0
    assert main(["campaign", str(campaign), "--orders", dataset_id, "--window", "7", "--models", "",
                 "--home", str(tmp_path / "home"), "--json", str(by_id)]) == 0
    assert by_id.read_bytes() == by_file.read_bytes()
    summary = json.loads(by_id.read_text())
    assert summary["arms"]["email"]["mean"] == pytest.approx(2 / 30)  # customers 1 and 3 bought within 7 days


def test_an_unknown_dataset_id_is_a_sentence(tmp_path, capsys):
    campaign = tmp_path / "list.csv"
    pd.DataFrame({"customer_id": [1, 2], "arm": ["a", "control"], "send_date": "2024-03-01"}).to_csv(campaign,
                                                                                                     index=False)
    assert main(["campaign", str(campaign), "--orders", "0123456789abcdef", "--home", str(tmp_path / "h")]) == 2
    err = capsys.readouterr().err
    assert "neither a file nor a dataset" in err and "Traceback" not in err


# ----------------------------------------------------------------------------- decisions, by hand

@pytest.fixture()
def hand():
    """100 control customers (10 buy for 120), 100 e-mail customers (20 buy for 120); see test_campaign_money."""
    return prepare_campaign(hand_campaign())


def _assembled(data, **changes) -> Run:
    settings = CampaignSettings(models=(), **changes)
    return assemble(data, campaign_run.analyse(data, settings), settings)


def test_outcome_type_and_choices(hand):
    assert campaign_run.outcome_choices(hand) == ["converted", "visited", "spend"]
    assert campaign_run.is_rate(hand.table, "converted") and campaign_run.is_rate(hand.table, "visited")
    assert not campaign_run.is_rate(hand.table, "spend")
    assert _assembled(hand, outcome="converted").result.rate is True
    assert _assembled(hand, outcome="spend").result.rate is False


def test_money_per_arm_by_hand(hand):
    """10 extra conversions x 80 = 800 of revenue; 100 contacts x 0.10 = 10; 800 x 30 % - 10 = 230; ROI 23.
    The interval: lift 0.10 ± 1.96 x 0.05 (unpooled SE) -> 0.0020 to 0.1980 x 100 x 80 = 16 to 1,584."""
    report = _assembled(hand, outcome="converted", value_per_unit=80.0).result
    assert report.basis.source == "entered"
    row = report.money.set_index("arm").loc["E-Mail"]
    assert (row["incremental"], row["incremental_revenue"], row["cost"], row["profit"], row["roi"]) == (
        pytest.approx(10), pytest.approx(800), pytest.approx(10), pytest.approx(230), pytest.approx(23))
    assert words(report.readings["money"][0]) == ("E-Mail brought an estimated 800 of extra revenue (95 % CI 16 to "
                                                  "1,584) for 10 of contact costs: a profit of 230 at a 30% margin.")
    # a flag without a value: no money, no money reading
    none = _assembled(hand, outcome="converted").result
    assert none.basis.source == "missing" and none.money is None and "money" not in none.readings
    assert none.suggested_value == pytest.approx(120.0)  # the mean spend of the file's buyers
    # the revenue outcome prices itself (a value typed earlier is ignored): 12 x 100 = 1,200; 1,200 x 30 % - 10
    spend = _assembled(hand, outcome="spend", value_per_unit=999.0).result
    assert spend.basis.source == "outcome"
    row = spend.money.set_index("arm").loc["E-Mail"]
    assert (row["incremental_revenue"], row["profit"]) == (pytest.approx(1200), pytest.approx(350))


def test_intended_split_by_hand(hand):
    """100 and 100 for an intended 2:1 (control first): expected 133.3 and 66.7, chi-square
    33.3²/133.3 + 33.3²/66.7 = 8.33 + 16.67 = 25.0, p = erfc(sqrt(25 / 2)) = 5.7e-07 (one degree of freedom)."""
    report = _assembled(hand, outcome="converted", intended_split=(2.0, 1.0)).result
    assert report.srm["chi2"] == pytest.approx(25.0) and report.srm["mismatch"]
    assert report.srm["p_value"] == pytest.approx(math.erfc(math.sqrt(25 / 2)), rel=1e-6)
    note = report.readings["srm"][0]
    assert note.severity == "warning"
    assert words(note) == ("Sample-ratio mismatch (chi-square 25.0, p = 5.7e-07): No E-Mail 100 (expected 133), E-Mail "
                           "100 (expected 67). Check how customers were assigned before trusting the effects.")
    equal = _assembled(hand, outcome="converted").result
    assert equal.srm["chi2"] == pytest.approx(0.0) and equal.readings["srm"][0].severity == "info"
    assert words(equal.readings["srm"][0]) == ("The arm sizes fit the intended split (chi-square 0.00, p = 1; a "
                                               "mismatch is flagged below p 0.001): No E-Mail 100 (expected 100), "
                                               "E-Mail 100 (expected 100).")


@pytest.mark.parametrize("text, shares, problem", [
    ("2:1", (2.0, 1.0), None), ("2, 1", (2.0, 1.0), "none"), ("1:1:1", None, "Give one share per arm (2), e.g. 1:1."),
    ("1:x", None, "Give one share per arm (2), e.g. 1:1."), ("0:1", None, "Every arm's intended share must be above 0."),
])
def test_intended_split_is_read_or_says_what_to_type(text, shares, problem):
    found, note = parse_split(text, ["control", "email"])
    assert found == shares
    if shares is None:
        assert note.severity == "error" and words(note) == problem
    else:
        assert note is None


def test_default_threshold_is_half_the_lift_with_a_floor(hand):
    effects = arm_effects(hand.table, "converted", hand.control)
    assert campaign_run.default_threshold(effects, "E-Mail", True) == pytest.approx(0.05)  # lift 0.10 / 2
    spend = arm_effects(hand.table, "spend", hand.control)
    assert campaign_run.default_threshold(spend, "E-Mail", False) == pytest.approx(6.0)  # lift 12 / 2
    flat = hand.table.assign(converted=np.r_[[1] * 10, [0] * 90, [1] * 10, [0] * 90])  # no lift at all
    assert campaign_run.default_threshold(arm_effects(flat, "converted", hand.control), "E-Mail", True) == 0.01


def _hand_uplift() -> tuple[CampaignResult, UpliftResult]:
    """Six customers with hand-set predicted uplifts; the held-out uplift curve rises to 1.5 extra
    conversions at 4 of 6 customers and falls to 1.2 at all 6."""
    table = hand_campaign()
    effects = arm_effects(table, "converted", "No E-Mail")  # control mean 0.10
    scores = pd.DataFrame({"customer_id": [f"c{i}" for i in range(6)], "arm": ["E-Mail", "No E-Mail"] * 3,
                           "t_learner": [0.30, -0.20, 0.02, 0.10, 0.00, 0.06],
                           "t_learner_p_control": [0.5, 0.1, 0.3, 0.05, 0.01, 0.2],
                           "t_learner_p_treated": [0.8, -0.1, 0.32, 0.15, 0.01, 0.26]})
    curve = (np.array([0.0, 2.0, 4.0, 6.0]), np.array([0.0, 1.0, 1.5, 1.2]))
    metrics = pd.DataFrame({"model": ["t_learner"], "qini_auc": [0.2], "uplift_at_30": [0.1], "cv_qini": [0.15]})
    res = UpliftResult("E-Mail", "converted", metrics, {}, {"t_learner": curve},
                       {"t_learner": pd.DataFrame({"decile": [1, 2], "uplift": [0.25, -0.05]})},
                       pd.DataFrame({"y": [0.0, 1.0], "treatment": [1, 0]}), scores, "t_learner")
    srm = srm_check({"No E-Mail": 100, "E-Mail": 100})
    analysis = CampaignResult("converted", "No E-Mail", effects, None, srm, balance_table(table, "No E-Mail", []),
                              None, None, {"E-Mail": res})
    return analysis, res


def test_audiences_and_targeting_list_by_hand():
    """Threshold 0.05 and the control's rate 0.10: uplifts 0.30, 0.10, 0.06 are persuadables, -0.20 do not
    disturb, 0.02 (0.3 without the campaign) a sure thing, 0.00 (0.01 without) a lost cause. No contact cost,
    80 a conversion at a 50 % margin: profit 40 x the curve, highest at 67 % (4.02 of 6 customers: 1.497
    extra conversions, 59.88), so the top round(0.67 x 6) = 4 of the list are targets."""
    analysis, _ = _hand_uplift()
    aim = targeting(analysis, "E-Mail", None, rate=True, threshold=0.05, basis=money_basis("converted", None, 80.0),
                    margin=0.5, cost_per_contact=0.0)
    assert aim.model == "t_learner" and aim.default_threshold == pytest.approx(0.05)
    assert aim.counts.to_dict() == {"persuadables": 3, "do_not_disturb": 1, "sure_things": 1, "lost_causes": 1}
    assert list(aim.table.columns) == list(campaign_run.TARGETING_COLUMNS)
    assert aim.table["customer_id"].tolist() == ["c0", "c3", "c5", "c2", "c4", "c1"]
    assert aim.table["audience"].tolist() == ["persuadables", "persuadables", "persuadables", "sure_things",
                                              "lost_causes", "do_not_disturb"]
    assert aim.table["without_campaign"].tolist() == [0.5, 0.05, 0.2, 0.3, 0.01, 0.1]
    assert aim.best_share == pytest.approx(0.67)
    assert aim.profit.loc[aim.profit["profit"].idxmax(), "profit"] == pytest.approx(40 * (1.5 - 0.3 * 0.02 / 2))
    assert aim.table["target"].tolist() == [True, True, True, True, False, False]
    # without money: the same audiences, no profit curve, no target column
    plain = targeting(analysis, "E-Mail", "t_learner", rate=True, threshold=0.05,
                      basis=money_basis("converted", None, None), margin=0.5, cost_per_contact=0.0)
    assert plain.profit is None and "target" not in plain.table and plain.counts.equals(aim.counts)


def test_the_run_reads_its_charts_in_notes():
    analysis, res = _hand_uplift()
    data = prepare_campaign(hand_campaign())
    found = assemble(data, analysis, CampaignSettings(outcome="converted", value_per_unit=80.0, margin=0.5,
                                                      cost_per_contact=0.0, threshold=0.05))
    report = found.result
    assert found.best_model == "t_learner" and found.leaderboard["model"].tolist() == ["t_learner"]
    assert words(report.readings["qini"][0]) == (
        "T-learner (gradient boosting), chosen by cross-validation on the 70 % training part, ranks the held-out "
        "customers of E-Mail with Qini AUC 0.20 (better than random); among its top 30 % the campaign raised "
        "converted by 10.0 points.")
    assert words(report.readings["deciles"][0]) == ("Customers in the top decile gained 25.0 points of converted from "
                                                    "the campaign, the bottom decile -5.0 points.")
    assert sentences(report.readings["audiences"]) == (
        "50% of customers are persuadables (the campaign should change them) and 17% are do-not-disturb (it may put "
        "them off). Persuadables: predicted uplift ≥ 5 points; do-not-disturb: ≤ -5 points; sure things would "
        "respond without the campaign (predicted at or above the control's average), lost causes would not.")
    assert words(report.readings["profit"][0]) == ("Contacting the top 67% (4 customers) is expected to make 60, "
                                                   "against 48 for contacting everyone.")


@pytest.mark.parametrize("row, english, chinese", [
    ({"arm": "E-Mail", "binary": True, "lift": 0.1, "ci_low": 0.0020018, "ci_high": 0.1979982, "p_value": 0.047},
     "E-Mail raised converted by 10.0 points, 95 % CI 0.2 to 19.8 (p = 0.047).",
     "E-Mail 使 converted 提升了 10.0 个百分点，95% 置信区间 0.2 至 19.8（p = 0.047）。"),
    ({"arm": "SMS", "binary": True, "lift": -0.01, "ci_low": -0.03, "ci_high": 0.01, "p_value": 0.0001},
     "SMS lowered converted by 1.0 points, 95 % CI -3.0 to 1.0 (p < 0.001); the interval includes no effect.",
     "SMS 使 converted 降低了 1.0 个百分点，95% 置信区间 -3.0 至 1.0（p < 0.001）；置信区间包含零效果。"),
    ({"arm": "Coupon", "binary": False, "lift": 1234.5, "ci_low": 1000.0, "ci_high": 1469.0, "p_value": 0.2},
     "Coupon raised converted by 1,234.50 per customer, 95 % CI 1,000.00 to 1,469.00 (p = 0.200).",
     "Coupon 使每位客户的 converted 提升了 1,234.50，95% 置信区间 1,000.00 至 1,469.00（p = 0.200）。"),
])
def test_an_effect_reads_the_same_numbers_in_both_languages(row, english, chinese):
    note = effect_reading(pd.Series(row), "converted")
    assert words(note, "en") == english
    assert words(note, "zh") == chinese


def _codes() -> dict[str, str]:
    """Every literal code of a Note(...) written in the campaign package: code -> where."""
    found = {}
    for path in sorted((ROOT / "ecom_analytics" / "campaign").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "Note" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found[first.value] = f"{path.name}:{node.lineno}"
                elif isinstance(first, ast.IfExp):  # code = (a if ... else b)
                    found.update({n.value: f"{path.name}:{node.lineno}" for n in (first.body, first.orelse)
                                  if isinstance(n, ast.Constant)})
    from ecom_analytics.campaign import NOTE_TEMPLATES
    from ecom_analytics.campaign.uplift import _MISSING_OUTCOME

    found.update({c: "NOTE_TEMPLATES" for c in NOTE_TEMPLATES})
    found.update({c: "uplift._MISSING_OUTCOME" for c in _MISSING_OUTCOME.values()})
    return found


def test_every_note_code_has_chinese_with_the_same_fields():
    import string

    from ecom_analytics.i18n import catalogue

    codes = _codes()
    assert len(codes) > 40  # readings, notes, phrases
    zh = catalogue("zh")
    import re

    worded = {code: where for code, where in codes.items() if re.search(r"[A-Za-z]", re.sub(r"\{[^{}]*\}", "", code))}
    missing = [f"{where}: {code}" for code, where in worded.items() if code not in zh]
    assert not missing, "\n".join(missing)

    def fields(text):
        return {name for _, name, _, _ in string.Formatter().parse(text) if name}

    assert [c for c in codes if fields(translate(c, "zh")) != fields(c)] == []


def test_a_note_never_is_english_prose_parsed_by_the_page():
    """The page branches on severity and codes: no English word of a note is looked for in its text."""
    page = (ROOT / "pages" / "campaigns.py").read_text(encoding="utf-8")
    for word in ('"mismatch"', "startswith(\"Sample", "translate_note", "NOTE_TEMPLATES", ".english()"):
        assert word not in page
    assert "note.severity" in page


def test_a_segment_whose_control_has_no_outcome_is_left_out():
    """Every silver control customer's outcome is unreadable: the silver segment cannot be compared and
    is left out (it raised ZeroDivisionError before), gold is compared on its own 500 + 1,000 customers."""
    frame = noted_campaign().head(2500)
    silver_control = (frame["tier"] == "silver") & (frame["arm"] == "control")
    frame.loc[silver_control, "converted"] = "n/a"
    found = campaign_run.run(None, {}, CampaignSettings(models=(), segment="tier"), file=frame)
    segments = found.result.analysis.segments
    assert segments["segment"].tolist() == ["gold"]
    gold = frame[(frame["tier"] == "gold") & (frame["converted"] != "n/a")]
    assert int(segments["n_control"].iloc[0]) == int((gold["arm"] == "control").sum())


def test_an_arm_without_any_outcome_is_a_sentence():
    from ecom_analytics.errors import InputError

    table = hand_campaign().assign(converted=lambda f: f["converted"].where(f["arm"] == "No E-Mail"))
    with pytest.raises(InputError, match="No customer of the arm 'E-Mail' has a value of converted"):
        arm_effects(table, "converted", "No E-Mail")
