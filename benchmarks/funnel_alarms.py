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

One setting was chosen here, on seeds 1-2 (validation): the most backtest windows of the interval. With
the KPI check's 6 windows, 4 of 32 steady step checks were false alarms (12.5 %: a conformal interval from
6 windows covers 6/7 at best) against 1 of 32 (3.1 %) with up to 19; half-as-often was found 4 and 2 times
of 16, nothing 15 and 14 times. Up to 19 windows (``FUNNEL_WINDOWS``) was kept for its calibration; the
figures for the README are on the held-out seeds 3-4 (``--first-seed 3``). The baseline (4 periods) and
the 95 % level are the KPI check's, not tuned.

    python benchmarks/funnel_alarms.py [--draws 2] [--cutoffs 8] [--days 45] [--first-seed 3] [--windows N]
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the package beside benchmarks/, installed or not

from ecom_analytics.forecasting.changes import funnel_changed  # noqa: E402

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
    parser.add_argument("--draws", type=int, default=2)
    parser.add_argument("--cutoffs", type=int, default=8)
    parser.add_argument("--days", type=int, default=45)
    parser.add_argument("--first-seed", type=int, default=3, help="1-2 chose the windows; 3 on are held out")
    parser.add_argument("--windows", type=int, default=None,
                        help="most backtest windows of the interval (default: the app's, FUNNEL_WINDOWS)")
    args = parser.parse_args()
    started = time.perf_counter()
    alarms = checks = moved_checks = 0
    found = {0.5: 0, 0.0: 0}
    seeds = range(args.first_seed, args.first_seed + args.draws)
    for seed in seeds:
        for k in range(args.cutoffs):
            last = args.days - 1 - k  # the judged day: the data end after it
            steady = simulate(seed, last + 1, None)
            for step in funnel_changed(steady, "day", max_windows=args.windows).steps:
                checks += 1
                alarms += step.status in ("above", "below")
            moved_checks += 1
            for keep in found:
                buy = funnel_changed(simulate(seed, last + 1, last, keep), "day", max_windows=args.windows).steps[1]
                found[keep] += buy.status == "below" and any(d.dimension == "category" and d.name == "c3"
                                                             for d in buy.drivers)
        print(f"seed {seed}: {checks} steady step checks so far, {alarms} alarms; moved days found: {found} of "
              f"{moved_checks}", flush=True)
    print(f"steady shops: {alarms} false alarms in {checks} step checks ({alarms / checks:.1%}; about 5 % expected)")
    for keep, n in found.items():
        print(f"c3 buying {'half as often' if keep else 'nothing'} on the judged day: found (below, c3 named) in "
              f"{n} of {moved_checks} ({n / moved_checks:.0%})")
    print(f"seeds {seeds[0]}-{seeds[-1]}, last {args.cutoffs} days of {args.days} each, at most {args.windows or 'the app’s'} "
          f"windows, {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
