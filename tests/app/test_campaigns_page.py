"""AppTest: the Campaigns page on the simulated sample campaign (6,000 customers, two arms).

The URL asks for the T-learner only, so the runs stay fast; one test keeps the Keras model.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[2] / "app.py")
TIMEOUT = 120
FAST = {"cp_models": ["T-learner (gradient boosting)"]}


def open_campaigns(params: dict, monkeypatch, home: Path) -> AppTest:
    """Open the app with ``params`` in the URL, then switch to the Campaigns page."""
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(home))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(params)
    at.run().switch_page("pages/campaigns.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def refuse_uplift(monkeypatch) -> list[tuple[str, ...]]:
    """The uplift models' training replaced by an error (the effects and checks are computed as usual):
    the page draws everything else. Returns the list the models asked for are recorded in."""
    from ecom_analytics.campaign import run as campaign_run
    from ecom_analytics.errors import InputError

    quick, asked = campaign_run.analyse, []

    def effects_only(data, settings, on_progress=None):
        if settings.models:
            asked.append(settings.models)
            raise InputError("The uplift models cannot be trained here.")
        return quick(data, settings)

    monkeypatch.setattr("ecom_analytics.campaign.run.analyse", effects_only)
    return asked


def test_sample_campaign_shows_effects_checks_uplift_and_targeting(tmp_path, monkeypatch):
    at = open_campaigns(FAST, monkeypatch, tmp_path)
    assert not at.error, [e.value for e in at.error]
    assert at.selectbox(key="cp_control").value == "No E-Mail"
    effects = at.dataframe[0].value
    assert set(effects["arm"]) == {"E-Mail", "Coupon"}
    assert (effects["ci_low"] < effects["lift"]).all() and (effects["lift"] < effects["ci_high"]).all()
    # a 0/1 outcome: the table's lift is in percentage points, the same number as the tile's delta
    coupon = effects.set_index("arm").loc["Coupon"]
    tile = next(m for m in at.metric if m.label.startswith("Coupon"))
    assert tile.delta == f"{coupon['lift']:+.2f} pts"
    # the conversion rates of the sample file itself, counted here with pandas
    from ecom_analytics.campaign import read_campaign_file
    from ecom_analytics.campaign.data import sample_path

    sample = read_campaign_file(sample_path())  # the readers keep text; "0" and "1" here
    rates = sample["converted"].astype(int).groupby(sample["arm"]).mean()
    assert coupon["mean"] == pytest.approx(rates["Coupon"]) and coupon["control_mean"] == pytest.approx(rates["No E-Mail"])
    assert coupon["lift"] == pytest.approx((rates["Coupon"] - rates["No E-Mail"]) * 100)
    readings = [c.value for c in at.caption if c.value.startswith("Reading:")]
    # the uplift leaderboard in points: its best row is the number the Qini reading says in points
    uplift_board = next(d.value for d in at.dataframe if "qini_auc" in d.value.columns)
    best = uplift_board.sort_values("qini_auc").iloc[-1]
    assert any(f"raised converted by {best['uplift_at_30']:.1f} points" in r for r in readings), readings
    assert any("raised converted by" in r and "95 % CI" in r for r in readings)
    assert any("Qini AUC" in r for r in readings)
    assert any("top decile" in r for r in readings)
    assert any("sample" in r.lower() or "arm sizes fit" in r for r in readings)
    assert at.get("download_button")  # the targeting list
    labels = {m.label for m in at.metric}
    assert "Control (No E-Mail)" in labels
    # the column boxes say which column was recognised (issue #21: "(recognised)" even without one)
    assert at.selectbox(key="cp_customer_col").options[0] == "(recognised)"
    assert any(c.value.startswith("Recognised: ") for c in at.caption)


def test_url_restores_the_view_and_bad_split_is_a_sentence(tmp_path, monkeypatch):
    params = {**FAST, "cp_outcome": "spend", "cp_method": "Bootstrap (skewed amounts)", "cp_cost": "0.5", "cp_margin": "40",
              "cp_uplift_arm": "Coupon", "cp_split": "1:1"}
    at = open_campaigns(params, monkeypatch, tmp_path)
    assert at.selectbox(key="cp_outcome").value == "spend"
    assert at.selectbox(key="cp_method").value == "bootstrap"
    assert at.number_input(key="cp_cost").value == 0.5
    assert at.slider(key="cp_margin").value == 40
    assert at.selectbox(key="cp_uplift_arm").value == "Coupon"
    assert at.dataframe[0].value["method"].iloc[0] == "bootstrap"
    assert any("one share per arm" in e.value for e in at.error)


def test_one_arm_only_upload_says_what_is_needed(tmp_path, monkeypatch):
    at = open_campaigns({"cp_source": "Upload a campaign table"}, monkeypatch, tmp_path)
    assert any("One row per customer" in i.value for i in at.info)


def test_saved_campaign_opens_from_the_link(tmp_path, monkeypatch):
    from ecom_analytics.campaign import sample_path
    from ecom_analytics.campaign.data import save_campaign
    from ecom_analytics.store import Workspace

    home = tmp_path / "ws"
    campaign_id = save_campaign(Workspace(home), sample_path().read_bytes(), sample_path().name, name="Spring e-mail")
    assert Workspace(home).dataset(campaign_id)["kind"] == "campaign"
    at = open_campaigns({**FAST, "campaign": campaign_id}, monkeypatch, home)
    assert not at.error, [e.value for e in at.error]
    assert any("Spring e-mail" in c.value for c in at.caption)
    assert set(at.dataframe[0].value["arm"]) == {"E-Mail", "Coupon"}


def test_a_second_session_reuses_the_analysis_without_errors(tmp_path, monkeypatch):
    """The analysis is kept server-wide; a new session with the same settings shows it (no replayed progress bar)."""
    first = open_campaigns({**FAST, "cp_outcome": "visited"}, monkeypatch, tmp_path)
    second = open_campaigns({**FAST, "cp_outcome": "visited"}, monkeypatch, tmp_path)
    for at in (first, second):
        assert not at.error, [e.value for e in at.error]
        assert any("raised visited by" in c.value for c in at.caption)


def test_saved_campaign_is_opened_from_the_data_page(tmp_path, monkeypatch):
    from ecom_analytics.campaign import sample_path
    from ecom_analytics.campaign.data import save_campaign
    from ecom_analytics.store import Workspace

    home = tmp_path / "ws"
    half = pd.read_csv(sample_path()).head(3000).to_csv(index=False).encode()  # its own content id
    campaign_id = save_campaign(Workspace(home), half, "spring.csv", name="Spring coupon")
    monkeypatch.setenv("ECOM_ANALYTICS_HOME", str(home))
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params.update(FAST)
    at.run().switch_page("pages/data.py").run()
    at.button(key=f"open_{campaign_id}").click().run()
    assert at.session_state["campaign_id"] == campaign_id
    at.switch_page("pages/campaigns.py").run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.segmented_control(key="cp_source").value == "stored"
    assert any("Spring coupon" in c.value for c in at.caption)


# ----------------------------------------------------------------------------- money (issue 14, part 4)

def money_table(at: AppTest) -> pd.DataFrame | None:
    return next((d.value for d in at.dataframe if "incremental_revenue" in d.value.columns), None)


def money_reading(at: AppTest) -> str | None:
    return next((c.value for c in at.caption if "brought an estimated" in c.value), None)


def assert_reading_matches_table(at: AppTest) -> pd.Series:
    """The Money caption's numbers are the table's best row, as the page formats them."""
    cash = money_table(at)
    best = cash.loc[cash["profit"].idxmax()]
    reading = money_reading(at)
    assert reading is not None
    assert (f"{best['arm']} brought an estimated {best['incremental_revenue']:,.0f} of extra revenue (95 % CI "
            f"{best['incremental_revenue_low']:,.0f} to {best['incremental_revenue_high']:,.0f}) for "
            f"{best['cost']:,.0f} of contact costs: a profit of {best['profit']:,.0f}") in reading, (reading, best)
    return best


def test_money_follows_the_file_and_the_outcome(tmp_path, monkeypatch):
    """Sample campaign, then another campaign file: the value typed for the sample never prices the new
    file; a flag has no money until a value is entered; a revenue outcome is priced by itself."""
    from ecom_analytics.campaign import read_campaign_file
    from ecom_analytics.campaign.data import sample_path
    from tests.unit.test_campaign_money import hand_campaign_csv

    at = open_campaigns(FAST, monkeypatch, tmp_path)
    assert at.selectbox(key="cp_outcome").value == "converted"
    # a 0/1 outcome: no money by default, a sentence saying what to enter, no profit curve
    assert money_table(at) is None and money_reading(at) is None
    assert any(i.value.startswith("No money figures: converted is not revenue") for i in at.info)
    assert any(i.value.startswith("No expected profit by targeting size") for i in at.info)
    assert at.number_input(key="cp_value").value is None
    # the suggestion is the mean spend of this file's buyers, counted here with pandas
    sample = read_campaign_file(sample_path())
    spend = pd.to_numeric(sample["spend"])
    buyers_mean = round(float(spend[spend > 0].mean()), 2)
    at.button(key="cp_value_suggest").click().run()
    assert at.number_input(key="cp_value").value == pytest.approx(buyers_mean)
    effects = at.dataframe[0].value.set_index("arm")  # lifts in points
    best = assert_reading_matches_table(at)
    assert best["incremental_revenue"] == pytest.approx(effects.loc[best["arm"], "lift"] / 100
                                                        * effects.loc[best["arm"], "n"] * buyers_mean)
    assert any(f"{buyers_mean:,.2f} per extra conversion (converted)" in c.value for c in at.caption)
    assert any(c.value.startswith("Reading: Contacting the top") or "No targeting size" in c.value
               for c in at.caption)  # the profit curve is back, with the same value

    # another campaign file: the sample's value is gone, the suggestion is the new file's buyers (120)
    at.segmented_control(key="cp_source").set_value("upload").run()
    at.file_uploader(key="cp_file").set_value(("spring.csv", hand_campaign_csv(), "text/csv")).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert at.number_input(key="cp_value").value is None
    assert money_table(at) is None
    assert "120.00" in at.button(key="cp_value_suggest").label
    at.number_input(key="cp_value").set_value(80.0).run()
    best = assert_reading_matches_table(at)  # by hand: 10 extra conversions x 80; 800 x 30 % - 100 x 0.10
    assert (best["arm"], best["incremental"], best["incremental_revenue"]) == ("E-Mail", pytest.approx(10),
                                                                               pytest.approx(800))
    assert (best["cost"], best["profit"], best["roi"]) == (pytest.approx(10), pytest.approx(230), pytest.approx(23))
    assert "a profit of 230 at a 30% margin" in money_reading(at)

    # a visit flag: the conversion's value does not carry over; no money until a value per visit is entered
    at.selectbox(key="cp_outcome").set_value("visited").run()
    assert at.number_input(key="cp_value").value is None and money_table(at) is None
    assert all(b.key != "cp_value_suggest" for b in at.button)  # a visit is not worth an order
    at.number_input(key="cp_value").set_value(2.0).run()
    best = assert_reading_matches_table(at)  # 50 extra visits x 2
    assert best["incremental_revenue"] == pytest.approx(100)

    # the revenue outcome: priced by itself, nothing to enter
    at.selectbox(key="cp_outcome").set_value("spend").run()
    assert all(n.key != "cp_value" for n in at.number_input)
    assert any(c.value.startswith("Money is computed from the outcome itself: spend") for c in at.caption)
    best = assert_reading_matches_table(at)  # (24 - 12) x 100 customers; 1,200 x 30 % - 10
    assert (best["incremental_revenue"], best["profit"]) == (pytest.approx(1200), pytest.approx(350))


def test_a_link_reopens_its_value_per_conversion(tmp_path, monkeypatch):
    at = open_campaigns({**FAST, "cp_value": "50"}, monkeypatch, tmp_path)
    assert at.number_input(key="cp_value").value == 50.0
    effects = at.dataframe[0].value.set_index("arm")
    best = assert_reading_matches_table(at)
    assert best["incremental_revenue"] == pytest.approx(effects.loc[best["arm"], "lift"] / 100
                                                        * effects.loc[best["arm"], "n"] * 50)


def test_a_link_made_with_an_unsaved_upload_says_the_file_must_be_uploaded_or_saved(tmp_path, monkeypatch):
    at = open_campaigns({"cp_source": "Upload a campaign table", "cp_outcome": "converted"}, monkeypatch, tmp_path)
    warnings = [w.value for w in at.warning]
    assert any("links cannot carry files" in w and "save the file to the workspace" in w for w in warnings), warnings
    plain = open_campaigns({"cp_source": "Upload a campaign table"}, monkeypatch, tmp_path)
    assert not [w for w in plain.warning if "links cannot carry files" in w.value]  # chosen by hand: no warning


def test_a_change_of_money_or_targeting_redraws_without_refitting(tmp_path, monkeypatch):
    """Issue #21 ("the main area blank for a second after a click"): after the first draw, a new cost,
    margin, value, threshold, model choice or intended split is drawn from the analysis kept for the
    campaign; nothing is refitted (a refit here would fail) and no progress bar is drawn."""
    at = open_campaigns({**FAST, "cp_value": "50"}, monkeypatch, tmp_path)
    before = money_table(at).set_index("arm")

    def no_refit(*args, **kwargs):
        raise AssertionError("the campaign was analysed again")

    monkeypatch.setattr("ecom_analytics.campaign.run.analyse", no_refit)
    monkeypatch.setattr("ecom_analytics.campaign.run.analyse_campaign", no_refit)
    at.number_input(key="cp_cost").set_value(0.5).run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    after = money_table(at).set_index("arm")
    # by hand: the contact cost is n x 0.50 and the profit falls by n x 0.40 against a cost of 0.10
    assert after["cost"].tolist() == pytest.approx((before["n"] * 0.5).tolist())
    assert (before["profit"] - after["profit"]).tolist() == pytest.approx((before["n"] * 0.4).tolist())
    assert not at.get("progress")
    at.number_input(key="cp_threshold").set_value(1.0).run()
    at.text_input(key="cp_split").set_value("2:1:1").run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Sample-ratio mismatch" in w.value for w in at.warning)  # 1,937 : 2,032 : 2,031 against 2:1:1


def test_effects_are_drawn_before_the_uplift_models(tmp_path, monkeypatch):
    """The first draw shows the effects and checks without waiting for the uplift models: here they fail,
    and the Effect tab is complete all the same (its lifts are the sample's, counted by pandas)."""
    from ecom_analytics.campaign import read_campaign_file
    from ecom_analytics.campaign.data import sample_path

    refuse_uplift(monkeypatch)
    at = open_campaigns({**FAST, "cp_outcome": "visited"}, monkeypatch, tmp_path)
    assert any("cannot be trained here" in e.value for e in at.error)
    effects = at.dataframe[0].value.set_index("arm")
    sample = read_campaign_file(sample_path())
    rates = sample["visited"].astype(int).groupby(sample["arm"]).mean()
    assert effects.loc["E-Mail", "lift"] == pytest.approx((rates["E-Mail"] - rates["No E-Mail"]) * 100)
    assert any(i.value.startswith("The uplift models are training") for i in at.info)


def test_an_old_link_with_the_keras_code_opens_the_neural_model(tmp_path, monkeypatch):
    """Links made when the neural uplift model's code was "keras" open it by its code today, and the URL
    is rewritten to "neural" (the training itself is replaced: the link is what is tested)."""
    asked = refuse_uplift(monkeypatch)
    at = open_campaigns({"cp_models": ["t_learner", "keras"]}, monkeypatch, tmp_path)
    assert at.multiselect(key="cp_models").value == ["t_learner", "neural"]
    assert at.query_params["cp_models"] == ["t_learner", "neural"]
    assert asked and set(asked) == {("t_learner", "neural")}


@pytest.mark.parametrize("lang, control", [("en", "Control (No E-Mail)"), ("zh", "对照组（No E-Mail）")])
def test_the_rate_tiles_are_percentages_of_the_locale_formatter(tmp_path, monkeypatch, lang, control):
    """A 0/1 outcome: each tile is the arm's rate in % with 2 decimals (the sample's rates, counted here
    with pandas), as the locale formatter writes it in English and Chinese."""
    from ecom_analytics.campaign import read_campaign_file
    from ecom_analytics.campaign.data import sample_path

    refuse_uplift(monkeypatch)
    at = open_campaigns({**FAST, "cp_outcome": "converted", "lang": lang}, monkeypatch, tmp_path)
    sample = read_campaign_file(sample_path())
    rates = sample["converted"].astype(int).groupby(sample["arm"]).mean()
    tiles = {m.label: m.value for m in at.metric}
    assert tiles[control] == f"{rates['No E-Mail'] * 100:.2f}%"
    coupon = next(value for label, value in tiles.items() if label.startswith("Coupon"))
    assert coupon == f"{rates['Coupon'] * 100:.2f}%"
