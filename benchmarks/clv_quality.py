"""Customer lifetime value quality: the published CDNOW fits, and predicted against actual spend
on held-out months of the Online Retail export, with the lifetimes package as the peer.

    python benchmarks/clv_quality.py [--data ../shared/data] [--peer-python /tmp/ltvenv/bin/python]

Prints:
(1) on the CDNOW summaries (Fader, Hardie & Lee 2005; ``cdnow_customers_summary*.csv``): our BG/NBD
    and Gamma-Gamma parameters against the published ones, and the conditional expected purchases
    of customer 1 over 39 weeks (published 1.226);
(2) on the UCI Online Retail export (``online_retail.csv.gz``, cleaned as the app cleans it, the
    cancellations set aside), two windows, each with the models fitted on the orders up to the
    calibration end and checked on the orders of the three months after it:
    - earlier window: calibration end 2011-06-08, holdout 2011-06-09 .. 2011-09-08;
    - test window: calibration end 2011-09-09, holdout 2011-09-10 .. 2011-12-09 (the end of the data,
      the Christmas peak; BG/NBD has no seasonality);
    per window: customers, predicted and actual purchases and spend, MAE, correlation, the share of
    the actual spend brought by the top decile of predicted spend, and the past-rate baseline's MAE.
    Nothing is tuned: the models have no settings to choose.

With ``--peer-python`` (a separate environment with lifetimes 0.11.3, never a dependency of the
product: ``python3.11 -m venv /tmp/ltvenv && /tmp/ltvenv/bin/pip install lifetimes==0.11.3
'pandas<2' 'numpy<2' 'scipy<1.12'``) each window's purchase occasions also go to lifetimes:
its ``summary_data_from_transaction_data`` (freq 'D') is compared with ours in days (the largest
difference of each column), and its BetaGeoFitter and GammaGammaFitter are fitted and scored on the
same holdout. This file runs inside that environment as the peer (``--peer IN.csv OUT.json``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

WINDOWS = {"earlier": ("2011-06-08", "2011-09-08"), "test": ("2011-09-09", "2011-12-09")}


def peer(inp: str, out: str) -> None:
    """Inside the lifetimes environment: summary, fits and holdout predictions per window."""
    from lifetimes import BetaGeoFitter, GammaGammaFitter
    from lifetimes.utils import summary_data_from_transaction_data

    occasions = pd.read_csv(inp, parse_dates=["day"], dtype={"customer_id": str})
    result = {}
    for name, (end, holdout_end) in WINDOWS.items():
        cal = occasions[occasions["day"] <= end]
        summary = summary_data_from_transaction_data(cal, "customer_id", "day", monetary_value_col="value",
                                                     observation_period_end=end, freq="D")
        bgf = None
        for penalizer in (0.0, 0.001, 0.01, 0.1):  # lifetimes' advice when it does not converge: a penalizer
            try:
                bgf = BetaGeoFitter(penalizer_coef=penalizer).fit(summary["frequency"], summary["recency"],
                                                                  summary["T"])
                break
            except Exception:  # noqa: BLE001 - lifetimes.utils.ConvergenceError
                continue
        if bgf is None:
            result[name] = {"summary": summary.reset_index().to_dict("list"), "failed": "BetaGeoFitter did not "
                            "converge with penalizer 0, 0.001, 0.01 or 0.1"}
            continue
        repeat = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
        ggf = GammaGammaFitter().fit(repeat["frequency"], repeat["monetary_value"])
        days = (pd.Timestamp(holdout_end) - pd.Timestamp(end)).days
        purchases = bgf.conditional_expected_number_of_purchases_up_to_time(
            days, summary["frequency"], summary["recency"], summary["T"])
        spend = ggf.conditional_expected_average_profit(summary["frequency"], summary["monetary_value"])
        result[name] = {"summary": summary.reset_index().to_dict("list"),
                        "bgnbd": {**{k: float(v) for k, v in bgf.params_.items()}, "penalizer": penalizer},
                        "gamma_gamma": {k: float(v) for k, v in ggf.params_.items()},
                        "predicted_purchases": purchases.tolist(), "predicted_spend": (purchases * spend).tolist()}
    Path(out).write_text(json.dumps(result))


def holdout_metrics(predicted_purchases, predicted_spend, actual: pd.DataFrame) -> dict:
    """The evaluation's figures for any predictions (ours or the peer's) on the same actuals."""
    frame = actual.assign(pp=np.asarray(predicted_purchases), ps=np.asarray(predicted_spend))
    n = len(frame)
    top = frame.sort_values("ps", ascending=False, kind="mergesort").head(int(np.ceil(n / 10)))
    return {"mae_purchases": float((frame["pp"] - frame["actual_purchases"]).abs().mean()),
            "mae_spend": float((frame["ps"] - frame["actual_spend"]).abs().mean()),
            "correlation_spend": float(np.corrcoef(frame["ps"], frame["actual_spend"])[0, 1]),
            "top_decile_share": float(top["actual_spend"].sum() / frame["actual_spend"].sum()),
            "predicted_spend": float(frame["ps"].sum()), "missing": int(frame["ps"].isna().sum())}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data", default=str(Path(__file__).resolve().parents[1].parent / "shared" / "data"))
    parser.add_argument("--peer-python", default=None)
    parser.add_argument("--peer", nargs=2, metavar=("IN", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.peer:
        peer(*args.peer)
        return 0

    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from ecom_analytics.predict import clv
    from ecom_analytics.predict.bgnbd import BGNBD
    from ecom_analytics.ingest.inputs import read_inputs

    data = Path(args.data)
    print("(1) CDNOW summaries (weeks)")
    cdnow = pd.read_csv(data / "cdnow_customers_summary.csv")
    bg = BGNBD().fit(cdnow["frequency"], cdnow["recency"], cdnow["T"])
    print("  BG/NBD       " + "  ".join(f"{k} {v:.3f}" for k, v in bg.params_.items())
          + f"  log-likelihood {bg.log_likelihood_:.1f}   (published r 0.243, alpha 4.414, a 0.793, b 2.426, -9582.4)")
    print(f"  customer 1 (x 2, t_x 30.43, T 38.86): {float(bg.expected_purchases(39, 2, 30.43, 38.86)):.3f} expected "
          "purchases in 39 weeks (published 1.226)")
    spend = pd.read_csv(data / "cdnow_customers_summary_with_transactions.csv")
    gg = clv.GammaGamma().fit(spend["x"], spend["zbar"])
    print("  Gamma-Gamma  " + "  ".join(f"{k} {v:.3f}" for k, v in gg.params_.items())
          + f" on {gg.n_customers_} customers   (published p 6.25, q 3.74, gamma 15.44 on 946)")

    print("(2) Online Retail, three months held out after each calibration end")
    started = time.perf_counter()
    orders = read_inputs({"orders": str(data / "online_retail.csv.gz")}).orders  # the shared input loader
    occasions = clv.purchase_occasions(orders)
    print(f"  {len(orders):,} order lines kept, {len(occasions):,} purchase occasions (customer-days), "
          f"read and cleaned in {time.perf_counter() - started:.0f} s")
    peer_result = None
    if args.peer_python:
        with tempfile.TemporaryDirectory() as tmp:
            inp, out = Path(tmp) / "occasions.csv", Path(tmp) / "peer.json"
            occasions.to_csv(inp, index=False)
            done = subprocess.run([args.peer_python, __file__, "--peer", str(inp), str(out)], capture_output=True,
                                  text=True)  # lifetimes prints scipy's report of every fit it gives up on
            if done.returncode:
                sys.stderr.write(done.stdout + done.stderr)
                raise SystemExit(f"the peer failed (exit {done.returncode})")
            peer_result = json.loads(out.read_text())
    for name, (end, holdout_end) in WINDOWS.items():
        window = orders[orders["timestamp"].dt.normalize() <= holdout_end]
        started = time.perf_counter()
        run = clv.run_clv(window, end, "days", months=12)
        seconds = time.perf_counter() - started
        e = run.evaluation
        print(f"  {name} window: calibration end {end}, holdout to {holdout_end} ({e['holdout_days']} days), "
              f"{e['customers']:,} customers, fitted and scored in {seconds:.1f} s")
        print(f"    ours:      purchases {e['predicted_purchases']:,.0f} predicted / {e['actual_purchases']:,.0f} actual; "
              f"spend {e['predicted_spend']:,.0f} / {e['actual_spend']:,.0f}; MAE purchases {e['mae_purchases']:.3f}, "
              f"MAE spend {e['mae_spend']:,.1f}; correlation {e['correlation_spend']:.3f}; top decile "
              f"{e['top_decile_share']:.1%}; past-rate baseline MAE spend {e['baseline_mae_spend']:,.1f}")
        print("    BG/NBD " + "  ".join(f"{k} {v:.4g}" for k, v in run.bgnbd.params_.items())
              + "; Gamma-Gamma " + "  ".join(f"{k} {v:.4g}" for k, v in run.gamma_gamma.params_.items()))
        if peer_result:
            p = peer_result[name]
            theirs = pd.DataFrame(p["summary"]).set_index("customer_id").sort_index()
            ours = run.summary_table.sort_index()
            same_ids = list(theirs.index) == list(ours.index)
            gaps = {c: float((theirs[c] - ours[c]).abs().max()) for c in ("frequency", "recency", "T", "monetary_value")}
            print(f"    summary against lifetimes (freq 'D'): same customers {same_ids}; largest differences "
                  + ", ".join(f"{c} {v:.2g}" for c, v in gaps.items()))
            if "failed" in p:
                print(f"    lifetimes: {p['failed']}")
                continue
            actual = e["per_customer"][["actual_purchases", "actual_spend"]].reindex(theirs.index)
            m = holdout_metrics(p["predicted_purchases"], p["predicted_spend"], actual)
            print(f"    lifetimes: spend {m['predicted_spend']:,.0f} predicted; MAE purchases {m['mae_purchases']:.3f}, "
                  f"MAE spend {m['mae_spend']:,.1f}; correlation {m['correlation_spend']:.3f}; top decile "
                  f"{m['top_decile_share']:.1%}"
                  + (f"; {m['missing']:,} customers without a prediction (NaN, left out of the MAE)" if m["missing"] else ""))
            print("    BG/NBD " + "  ".join(f"{k} {v:.4g}" for k, v in p["bgnbd"].items())
                  + "; Gamma-Gamma " + "  ".join(f"{k} {v:.4g}" for k, v in p["gamma_gamma"].items()))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
