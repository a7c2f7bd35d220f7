"""Campaign analysis quality on the seeded simulator (known true effects), and speed.

    python benchmarks/campaign_quality.py [--seeds 200] [--customers 4000]

Prints: (1) coverage of the 95 % interval of the e-mail's effect on conversion over ``--seeds``
simulated campaigns (nominal 95 %), the mean interval width, and how often CUPED narrows it;
(2) on the sample file (ecom_analytics/sample_data/campaign_sample.csv.gz, 6,000 customers, two arms):
each uplift model's held-out Qini AUC and uplift in the top 30 %, the ROC AUC of its score for
the simulator's true persuadables, and the seconds of the whole analysis.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
from sklearn.metrics import roc_auc_score

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ecom_analytics.campaign import analyse_campaign, arm_effects, prepare_campaign, simulate_campaign, true_effect
from ecom_analytics.campaign.simulate import write_sample


def coverage(seeds: int, customers: int) -> None:
    hits, widths, narrower = 0, [], 0
    for seed in range(seeds):
        sim = simulate_campaign(customers, seed=seed)
        res = arm_effects(sim, "converted", "No E-Mail").iloc[0]
        cuped = arm_effects(sim, "converted", "No E-Mail", covariate="prior_revenue").iloc[0]
        truth = true_effect(sim)
        hits += res["ci_low"] <= truth <= res["ci_high"]
        widths.append(res["ci_high"] - res["ci_low"])
        narrower += (cuped["ci_high"] - cuped["ci_low"]) < widths[-1]
    print(f"95 % CI coverage of the true effect: {hits / seeds:.1%} over {seeds} campaigns of {customers:,} "
          f"customers; mean width {np.mean(widths) * 100:.2f} points; CUPED narrower in {narrower / seeds:.0%}")


def uplift_quality() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        full = write_sample(Path(tmp) / "c.csv.gz")  # the same seed and size as the shipped sample
    data = prepare_campaign(full.filter(regex="^(?!true_)"))
    start = time.perf_counter()
    result = analyse_campaign(data, "converted")
    seconds = time.perf_counter() - start
    truth = full.set_index("customer_id")["true_group"]
    for arm, res in result.uplift.items():
        persuadable = (truth.loc[res.scores["customer_id"]] == "persuadable").to_numpy()
        for m in res.metrics.itertuples():
            auc = roc_auc_score(persuadable, res.scores[m.model])
            print(f"{arm:<7} {m.model:<21} Qini AUC {m.qini_auc:.3f}  uplift@30 % {m.uplift_at_30 * 100:+.1f} points  "
                  f"ROC AUC for true persuadables {auc:.3f}")
    print(f"whole analysis (effects, checks, 3 uplift models x 2 arms): {seconds:.1f} s")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=200)
    parser.add_argument("--customers", type=int, default=4000)
    args = parser.parse_args()
    coverage(args.seeds, args.customers)
    uplift_quality()
