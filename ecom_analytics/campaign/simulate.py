"""A seeded campaign simulator with known, heterogeneous true effects.

Every customer gets pre-campaign attributes, a randomly assigned arm and outcomes drawn from
known probabilities, so estimates can be checked against the truth:

* ``prior_orders`` (Poisson, mean 2), ``days_since_last`` (exponential, mean 90 days),
  ``prior_revenue`` (currency, about 45 per prior order, log-normal noise) and ``tier``
  (``new`` without prior orders, ``regular``, ``vip`` from 5 prior orders);
* the chance to buy without the campaign, ``p0``, rises with prior orders and falls with the
  days since the last order (a logistic model, about 10 % on average);
* the campaign's true effect on that chance, ``tau``, differs by customer type:
  **persuadables** (lapsed regulars: 1-4 prior orders, last order 60+ days ago) gain
  ``persuadable_lift`` (12 points by default); **do-not-disturb** customers (vips who bought in
  the last 30 days) lose ``put_off_drop`` (6 points: the e-mail puts them off); everyone else
  is unmoved (sure things when ``p0`` >= 0.3, lost causes below);
* a treated arm's effect is ``tau`` times the arm's multiplier (``arm_effects``);
* ``visited`` is 1 for every buyer and with probability 0.2 + ``tau``-driven extra otherwise;
  ``spend`` is log-normal (median about 40) for buyers and 0 for the others.

Columns ``true_p0``, ``true_p1``, ``true_uplift`` (first treated arm), ``true_tau`` and ``true_group`` hold the truth and are
dropped before a sample file is written.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ecom_analytics.exports import write_table

DEFAULT_ARMS = {"E-Mail": 1.0}


def simulate_campaign(n_customers: int = 4000, *, arm_effects: dict[str, float] | None = None,
                      control_label: str = "No E-Mail", treated_share: float = 0.5,
                      persuadable_lift: float = 0.12, put_off_drop: float = 0.06,
                      send_date: str = "2024-03-01", seed: int = 0) -> pd.DataFrame:
    """One row per customer: id, arm, send date, attributes, outcomes and the ``true_*`` columns.

    ``treated_share`` of the customers is split evenly between the treated arms
    (``arm_effects``: arm label -> multiplier of the true effect); the rest is the control.
    """
    rng = np.random.default_rng(seed)
    arms = arm_effects or DEFAULT_ARMS
    n = int(n_customers)
    prior_orders = rng.poisson(2.0, n)
    days_since = np.where(prior_orders > 0, rng.exponential(90.0, n).round() + 1, 365)
    prior_revenue = np.round(prior_orders * 45.0 * rng.lognormal(0.0, 0.4, n), 2)
    tier = np.select([prior_orders == 0, prior_orders >= 5], ["new", "vip"], "regular")

    logit = -2.6 + 0.35 * np.minimum(prior_orders, 8) - 0.006 * np.minimum(days_since, 365)
    p0 = 1.0 / (1.0 + np.exp(-logit))
    persuadable = (prior_orders >= 1) & (prior_orders <= 4) & (days_since >= 60)
    put_off = (prior_orders >= 5) & (days_since <= 30)
    tau = np.where(persuadable, persuadable_lift, 0.0) - np.where(put_off, put_off_drop, 0.0)

    labels = np.array([control_label, *arms])
    shares = np.r_[1 - treated_share, np.full(len(arms), treated_share / len(arms))]
    arm = rng.choice(labels, size=n, p=shares)
    multiplier = pd.Series(arm).map({control_label: 0.0, **arms}).to_numpy(dtype=float)
    p1_arm = np.clip(p0 + tau * multiplier, 0.0, 1.0)
    converted = (rng.random(n) < p1_arm).astype(int)
    visit_p = np.clip(0.2 + 1.5 * np.abs(tau) * multiplier + 0.05 * (multiplier > 0), 0, 1)
    visited = np.maximum(converted, (rng.random(n) < visit_p).astype(int))
    spend = np.where(converted == 1, np.round(rng.lognormal(np.log(40.0), 0.6, n), 2), 0.0)

    first_arm_mult = next(iter(arms.values()))
    true_p1 = np.clip(p0 + tau * first_arm_mult, 0.0, 1.0)
    group = np.select([tau > 0, tau < 0, p0 >= 0.3], ["persuadable", "do_not_disturb", "sure_thing"], "lost_cause")
    return pd.DataFrame({
        "customer_id": [f"C{i:06d}" for i in range(1, n + 1)],
        "arm": arm,
        "send_date": pd.Timestamp(send_date),
        "tier": tier,
        "prior_orders": prior_orders,
        "days_since_last": days_since.astype(int),
        "prior_revenue": prior_revenue,
        "visited": visited,
        "converted": converted,
        "spend": spend,
        "true_p0": p0,
        "true_p1": true_p1,
        "true_uplift": true_p1 - p0,
        "true_tau": tau,
        "true_group": group,
    })


def true_effect(frame: pd.DataFrame, arm_multiplier: float = 1.0) -> float:
    """The true average effect on conversion (probability points) of an arm with ``arm_multiplier``
    over the simulated customers: mean of clip(p0 + tau * multiplier) - p0."""
    tau = frame["true_tau"].to_numpy()
    p0 = frame["true_p0"].to_numpy()
    return float(np.mean(np.clip(p0 + tau * arm_multiplier, 0, 1) - p0))


def write_sample(path, n_customers: int = 6000, seed: int = 7) -> pd.DataFrame:
    """Write the sample campaign file (CSV, gzip when ``path`` ends in .gz; no ``true_*`` columns)
    through the export writer and return the full frame.

    Two treated arms: "E-Mail" (the true effect) and "Coupon" (1.5 times it), control "No E-Mail".
    """
    frame = simulate_campaign(n_customers, arm_effects={"E-Mail": 1.0, "Coupon": 1.5}, treated_share=2 / 3, seed=seed)
    shipped = frame.drop(columns=[c for c in frame.columns if c.startswith("true_")]).assign(
        send_date=lambda f: f["send_date"].dt.strftime("%Y-%m-%d"))
    write_table(shipped, path, index=False, quote_text=False)  # gzip when path ends in .gz; same bytes every time
    return frame
