"""``clv``: customer lifetime value in money (BG/NBD and Gamma-Gamma)."""

from __future__ import annotations

import argparse

from ecom_analytics.cli.arguments import read_command_inputs, write_csv, write_json


def cmd_clv(args: argparse.Namespace) -> int:
    from ecom_analytics.predict import clv

    settings = clv.ClvSettings(months=args.months, discount_rate=args.discount_rate, unit=args.unit,
                               calibration_end=args.calibration_end)
    result = clv.run(None, read_command_inputs(args, ("orders",)), settings)
    run, summary = result.result, result.summary
    bg, gg, totals = summary["bgnbd"], summary["gamma_gamma"], summary["totals"]
    print(f"calibration end {summary['calibration_end']}, {summary['customers']:,} customers, times in {args.unit}")
    print(f"  BG/NBD       r {bg['r']:.4f}  alpha {bg['alpha']:.4f}  a {bg['a']:.4f}  b {bg['b']:.4f}  "
          f"log-likelihood {bg['log_likelihood']:,.1f}")
    print(f"  Gamma-Gamma  p {gg['p']:.4f}  q {gg['q']:.4f}  v {gg['v']:.4f}  ({gg['customers_fitted']:,} customers "
          f"with repeat purchases; mean spend per purchase {gg['mean_spend']:,.2f})")
    top = totals["top_decile_clv_share"]
    print(f"next {args.months} months: {totals['expected_purchases']:,.0f} purchases, {totals['expected_spend']:,.2f} "
          f"expected spend, CLV {totals['clv']:,.2f} at {args.discount_rate:g} a month"
          + (f"; the top 10 % of customers hold {top:.0%} of it" if top is not None else ""))
    if "evaluation" in summary:
        e = summary["evaluation"]
        print(f"holdout after {summary['calibration_end']} to {e['holdout_end']} ({e['holdout_days']} days):")
        print(f"  purchases predicted {e['predicted_purchases']:,.0f}, actual {e['actual_purchases']:,.0f}; spend "
              f"predicted {e['predicted_spend']:,.2f}, actual {e['actual_spend']:,.2f}")
        print("  " + e["reading"])
        print(f"  {'decile':>6} {'customers':>9} {'predicted':>14} {'actual':>14} {'share':>7}")
        for d in e["deciles"]:
            share = d["share_of_actual_spend"]
            print(f"  {d['decile']:>6} {d['customers']:>9,} {d['predicted_spend']:>14,.2f} {d['actual_spend']:>14,.2f} "
                  f"{'' if share is None else format(share, '.1%'):>7}")
    for note in result.notes:
        print(f"note: {note.english()}")
    if args.json:
        write_json(summary, args.json)
    if args.out:
        write_csv(clv.export_table(run), args.out)
        print(f"{len(run.customers):,} customers, highest CLV first -> {args.out}")
    return 0
