"""How often What changed flags the funnel (issue #21), on simulated shops whose truth is known.

Each draw simulates ``--days`` days of a shop: every day 2,000 users each view 1 + Poisson(1.5) of 400
products in 10 categories, cart a viewed product with probability 0.3 and buy a carted one with 0.5.
:func:`ecom_analytics.forecasting.changes.funnel_changed` then judges the last complete day of the data
cut at each of the last ``--cutoffs`` days:

- **steady** draws change nothing: every "above" or "below" is a false alarm (a 95 % interval on two
  steps should give about 5 % per step);
- **moved** draws lower the purchase probability in category ``c3`` (a tenth of the products) on the
  judged day only, to half (cart -> purchase falls about 5 % overall, 1.7 standard errors of a day) and to
  nothing (about 10 %): a check counts as found when cart -> purchase is "below" and ``c3`` is named.

Nothing here was tuned: the funnel check uses the KPI check's settings (6 backtest windows, 4 baseline
periods, 95 %). Seeds 1.. are used; the figures name them.

    python benchmarks/funnel_alarms.py [--draws 3] [--cutoffs 10] [--days 45]
"""

from __future__ import annotations

import argparse
import time

import numpy as np
import pandas as pd

from ecom_analytics.forecasting.changes import funnel_changed

USERS_PER_DAY, PRODUCTS, CATEGORIES = 2_000, 400, 10
P_CART, P_BUY = 0.3, 0.5


def simulate(seed: int, days: int, moved_day: int | None, keep: float = 0.5) -> pd.DataFrame:
    """Events of ``days`` days; on day index ``moved_day`` category c3 buys with ``keep`` times its usual
    probability."""
    rng = np.random.default_rng(seed)
    frames = []
    for day in range(days):
        views = 1 + rng.poisson(1.5, USERS_PER_DAY)
        users = np.repeat(rng.integers(0, 20_000, USERS_PER_DAY), views)
        products = rng.integers(0, PRODUCTS, len(users))
        category = products % CATEGORIES
        carted = rng.random(len(users)) < P_CART
        p_buy = np.where((category == 3) & (day == moved_day), P_BUY * keep, P_BUY)
        bought = carted & (rng.random(len(users)) < p_buy)
        at = pd.Timestamp("2024-01-01") + pd.Timedelta(days=day) + pd.to_timedelta(rng.integers(0, 86_000, len(users)),
                                                                                   unit="s")
        for step, rows, shift in (("view", np.ones(len(users), bool), 0), ("cart", carted, 30), ("purchase", bought, 60)):
            frames.append(pd.DataFrame({"user_id": users[rows].astype(str), "timestamp": at[rows] + pd.Timedelta(seconds=shift),
                                        "event_type": step, "product_id": "p" + products[rows].astype(str),
                                        "category": "c" + category[rows].astype(str)}))
    return pd.concat(frames, ignore_index=True).astype({"user_id": "string", "event_type": "string",
                                                        "product_id": "string", "category": "string"})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--draws", type=int, default=3)
    parser.add_argument("--cutoffs", type=int, default=10)
    parser.add_argument("--days", type=int, default=45)
    args = parser.parse_args()
    started = time.perf_counter()
    alarms = checks = moved_checks = 0
    found = {0.5: 0, 0.0: 0}
    for seed in range(1, args.draws + 1):
        for k in range(args.cutoffs):
            last = args.days - 1 - k  # the judged day: the data end after it
            steady = simulate(seed, last + 1, None)
            for step in funnel_changed(steady, "day").steps:
                checks += 1
                alarms += step.status in ("above", "below")
            moved_checks += 1
            for keep in found:
                buy = funnel_changed(simulate(seed, last + 1, last, keep), "day").steps[1]
                found[keep] += buy.status == "below" and any(d.dimension == "category" and d.name == "c3"
                                                             for d in buy.drivers)
        print(f"seed {seed}: {checks} steady step checks so far, {alarms} alarms; moved days found: {found} of "
              f"{moved_checks}", flush=True)
    print(f"steady shops: {alarms} false alarms in {checks} step checks ({alarms / checks:.1%}; about 5 % expected)")
    for keep, n in found.items():
        print(f"c3 buying {'half as often' if keep else 'nothing'} on the judged day: found (below, c3 named) in "
              f"{n} of {moved_checks} ({n / moved_checks:.0%})")
    print(f"seeds 1-{args.draws}, last {args.cutoffs} days of {args.days} each, {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
