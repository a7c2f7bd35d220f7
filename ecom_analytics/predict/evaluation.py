"""Evaluation of a model's test-window scores: curves, calibration, gain and lift, top shares,
confusion counts, permutation importance, metrics per slice, and one-sentence readings.

Inputs everywhere are ``y`` (the test-window outcome: 0/1 for purchase and churn, revenue in the
data's currency for revenue) and ``p`` (the model's score for the same customers, in the same
order: a probability in [0, 1] for purchase and churn, predicted revenue in currency for revenue).
Shares, rates, precision and recall are fractions in [0, 1], not percentages.

Grouping rule (calibration bins and gain deciles): customers are sorted by score and cut into
groups of equal size; customers with the same score always share a group, the one in which the
first of them falls (the same convention as the RFM scores). With many ties a group holds more
than its share and some groups disappear, so read ``customers`` and the cumulative shares rather
than assuming exactly ten tenths. Top-share audiences instead take an exact count of customers,
breaking ties by position (stable sort), like a ranked export would.

Pure pandas / numpy / scikit-learn: no Streamlit, no TensorFlow.
"""

from __future__ import annotations

import math
from typing import Callable, Iterable, Sequence

import numpy as np
import pandas as pd

from ecom_analytics.i18n import translate

#: Below this ROC AUC a slice is flagged as weak (0.5 = a coin toss).
WEAK_AUC = 0.6
#: A slice whose AUC is this far below the overall AUC is flagged.
AUC_GAP = 0.1
#: A revenue slice whose MAE is above this multiple of the overall MAE is flagged.
MAE_RATIO = 1.5

_NOUNS = {  # task -> (positives, negatives, one positive)
    "purchase": ("buyers", "non-buyers", "buyer"),
    "churn": ("churners", "customers who stay", "churner"),
    "revenue": ("revenue", "customers without revenue", "buyer"),
}


# --------------------------------------------------------------------------- helpers


def _arrays(y, p) -> tuple[np.ndarray, np.ndarray]:
    """``y`` and ``p`` as float arrays of equal, non-zero length with finite scores."""
    y = np.asarray(y, dtype=float).ravel()
    p = np.asarray(p, dtype=float).ravel()
    if len(y) != len(p):
        raise ValueError(f"y has {len(y):,} values but p has {len(p):,}; they must describe the same customers.")
    if len(y) == 0:
        raise ValueError("No customers to evaluate.")
    if not np.isfinite(p).all():
        raise ValueError(f"{int((~np.isfinite(p)).sum()):,} scores are missing or infinite; score every customer.")
    if not np.isfinite(y).all():
        raise ValueError(f"{int((~np.isfinite(y)).sum()):,} outcomes are missing; drop those customers first.")
    return y, p


def _both_classes(y: np.ndarray) -> bool:
    positives = int((y > 0).sum())
    return 0 < positives < len(y)


def _tied_groups(p: np.ndarray, groups: int, *, descending: bool) -> np.ndarray:
    """Group number 1..k per customer: equal-count groups by score, ties kept together.

    Customers are sorted by score (highest first when ``descending``), position ``i`` of ``n``
    gets the nominal group ``floor(i * groups / n)``, and every customer takes the nominal group
    of the first customer with the same score. Empty groups are dropped and the rest renumbered
    1..k in sort order.
    """
    if groups < 1:
        raise ValueError("groups must be at least 1.")
    n = len(p)
    order = np.argsort(-p if descending else p, kind="stable")
    nominal = np.empty(n, dtype=np.int64)
    nominal[order] = np.arange(n) * groups // n
    first = pd.Series(nominal).groupby(p).transform("min").to_numpy()
    return pd.Series(first).rank(method="dense").to_numpy().astype(np.int64)


def _auc(y: np.ndarray, p: np.ndarray) -> float:
    from sklearn.metrics import roc_auc_score

    return float(roc_auc_score((y > 0).astype(int), p)) if _both_classes(y) else float("nan")


def _pct(x: float, digits: int = 0) -> str:
    return "n/a" if x is None or not np.isfinite(x) else f"{x:.{digits}%}"


def _share_words(share: float, lang: str = "en") -> str:
    """'a random tenth' for 10 %, else 'a random 12%'."""
    named = {0.05: "a random twentieth", 0.1: "a random tenth", 0.2: "a random fifth", 0.25: "a random quarter",
             0.5: "a random half"}
    for value, words in named.items():
        if abs(share - value) < 0.005:
            return translate(words, lang)
    return translate("what a random {share:.0%} would hold", lang, share=share)


# --------------------------------------------------------------------------- curves


def roc_points(y, p) -> pd.DataFrame:
    """Points of the ROC curve: ``fpr`` (share of negatives flagged), ``tpr`` (share of positives
    flagged) and ``threshold`` (flag customers whose score is at or above it; ``inf`` on the
    first point, where nobody is flagged). From (0, 0) to (1, 1); collinear points are dropped.
    ``y`` > 0 counts as positive. Empty when the test window holds only one outcome."""
    from sklearn.metrics import roc_curve

    y, p = _arrays(y, p)
    if not _both_classes(y):
        return pd.DataFrame({"fpr": pd.Series(dtype=float), "tpr": pd.Series(dtype=float),
                             "threshold": pd.Series(dtype=float)})
    fpr, tpr, thresholds = roc_curve((y > 0).astype(int), p)
    return pd.DataFrame({"fpr": fpr, "tpr": tpr, "threshold": thresholds.astype(float)})


def pr_points(y, p) -> pd.DataFrame:
    """Points of the precision-recall curve, highest threshold first: ``recall`` (share of all
    positives flagged), ``precision`` (share of flagged customers who are positive) and
    ``threshold`` (score at or above which customers are flagged). The first point is scikit-
    learn's convention (recall 0, precision 1, threshold ``inf``: nobody flagged). ``y`` > 0
    counts as positive. Empty when the test window holds only one outcome."""
    from sklearn.metrics import precision_recall_curve

    y, p = _arrays(y, p)
    if not _both_classes(y):
        return pd.DataFrame({"recall": pd.Series(dtype=float), "precision": pd.Series(dtype=float),
                             "threshold": pd.Series(dtype=float)})
    precision, recall, thresholds = precision_recall_curve((y > 0).astype(int), p)
    frame = pd.DataFrame({"recall": recall, "precision": precision,
                          "threshold": np.append(thresholds.astype(float), np.inf)})
    return frame.iloc[::-1].reset_index(drop=True)


# --------------------------------------------------------------------------- tables


def calibration_table(y, p, bins: int = 10) -> pd.DataFrame:
    """Reliability table: customers cut into ``bins`` equal-count bins of score (ties kept
    together, see the module docstring), lowest scores in bin 1.

    Columns: ``bin`` (1..k, k <= bins), ``mean_predicted`` (mean score in the bin: a probability,
    or currency for revenue), ``observed_rate`` (mean outcome: the share who are positive, or mean
    revenue in currency), ``customers``. A calibrated model has ``mean_predicted`` close to
    ``observed_rate`` in every bin.
    """
    y, p = _arrays(y, p)
    bin_ = _tied_groups(p, bins, descending=False)
    frame = pd.DataFrame({"bin": bin_, "p": p, "y": y})
    out = frame.groupby("bin", sort=True).agg(mean_predicted=("p", "mean"), observed_rate=("y", "mean"),
                                              customers=("y", "size")).reset_index()
    out["customers"] = out["customers"].astype(int)
    return out


def gain_table(y, p, groups: int = 10) -> pd.DataFrame:
    """Cumulative gain and lift by score group ("decile" for the default 10 groups), decile 1 =
    highest scores; ties kept together (see the module docstring).

    Columns per decile:

    - ``customers``; ``positives``: customers with ``y > 0`` (buyers, churners, or buyers for revenue);
    - ``value``: sum of ``y`` (= positives for 0/1 labels; revenue in currency for revenue);
    - ``rate``: value / customers (share who are positive, or mean revenue per customer);
    - ``cumulative_share_of_customers``: share of all customers in deciles 1..d;
    - ``cumulative_gain``: share of all the value (all positives, or all revenue) in deciles 1..d;
    - ``lift``: rate / overall rate (1 = no better than random);
    - ``cumulative_lift``: cumulative_gain / cumulative_share_of_customers.

    Gain and lift are NaN when the total value is zero.
    """
    y, p = _arrays(y, p)
    decile = _tied_groups(p, groups, descending=True)
    frame = pd.DataFrame({"decile": decile, "y": y, "pos": (y > 0).astype(int)})
    out = frame.groupby("decile", sort=True).agg(customers=("y", "size"), positives=("pos", "sum"),
                                                 value=("y", "sum")).reset_index()
    out["customers"] = out["customers"].astype(int)
    out["positives"] = out["positives"].astype(int)
    total_value, n = float(y.sum()), len(y)
    overall = total_value / n
    out["rate"] = out["value"] / out["customers"]
    out["cumulative_share_of_customers"] = out["customers"].cumsum() / n
    with np.errstate(divide="ignore", invalid="ignore"):
        out["cumulative_gain"] = out["value"].cumsum() / total_value if total_value else np.nan
        out["lift"] = out["rate"] / overall if overall else np.nan
        out["cumulative_lift"] = out["cumulative_gain"] / out["cumulative_share_of_customers"]
    return out[["decile", "customers", "positives", "value", "rate", "cumulative_share_of_customers",
                "cumulative_gain", "lift", "cumulative_lift"]]


def top_share_table(y, p, shares: Sequence[float] = (0.05, 0.10, 0.20)) -> pd.DataFrame:
    """Precision and recall of the audience made of the top ``share`` of customers by score.

    The audience holds ``ceil(share x n)`` customers (at least one), highest scores first, ties
    broken by position (stable sort). ``y > 0`` counts as positive. Columns: ``share`` (fraction),
    ``customers``, ``precision`` (share of the audience who are positive), ``recall`` (share of all
    positives in the audience), ``lift`` (precision / overall positive rate) and ``value_share``
    (share of the sum of ``y`` in the audience: equals recall for 0/1 labels, the share of
    revenue for revenue). Recall, lift and value share are NaN when there are no positives.
    """
    y, p = _arrays(y, p)
    n = len(y)
    order = np.argsort(-p, kind="stable")
    pos_sorted = (y[order] > 0).astype(int)
    cum_pos = np.cumsum(pos_sorted)
    cum_value = np.cumsum(y[order])
    total_pos, total_value = int(pos_sorted.sum()), float(y.sum())
    base = total_pos / n
    rows = []
    for share in shares:
        if not 0 < share <= 1:
            raise ValueError(f"Shares are fractions in (0, 1]; got {share}.")
        k = min(n, max(1, math.ceil(round(share * n, 9))))
        hits = int(cum_pos[k - 1])
        precision = hits / k
        rows.append({"share": float(share), "customers": k, "precision": precision,
                     "recall": hits / total_pos if total_pos else float("nan"),
                     "lift": precision / base if base else float("nan"),
                     "value_share": float(cum_value[k - 1]) / total_value if total_value else float("nan")})
    return pd.DataFrame(rows, columns=["share", "customers", "precision", "recall", "lift", "value_share"])


def confusion_at(y, p, threshold: float) -> dict:
    """Counts and rates when customers with a score at or above ``threshold`` are flagged.

    Returns ``tp, fp, fn, tn`` (customers, ints), ``precision`` (share of flagged who are
    positive; NaN when nobody is flagged), ``recall`` (share of positives flagged; NaN without
    positives), ``accuracy`` and ``f1`` (fractions), and the ``threshold`` used. ``y > 0`` counts
    as positive.
    """
    y, p = _arrays(y, p)
    actual = y > 0
    flagged = p >= threshold
    tp = int((actual & flagged).sum())
    fp = int((~actual & flagged).sum())
    fn = int((actual & ~flagged).sum())
    tn = int((~actual & ~flagged).sum())
    precision = tp / (tp + fp) if tp + fp else float("nan")
    recall = tp / (tp + fn) if tp + fn else float("nan")
    f1 = 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else float("nan")
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn, "precision": precision, "recall": recall,
            "accuracy": (tp + tn) / len(y), "f1": f1, "threshold": float(threshold)}


# --------------------------------------------------------------------------- importance


def _metric(name: str) -> Callable[[np.ndarray, np.ndarray], float]:
    if name == "roc_auc":
        def auc(y: np.ndarray, s: np.ndarray) -> float:
            if not _both_classes(y):
                raise ValueError("ROC AUC needs both outcomes in y; the test window holds only one.")
            return _auc(y, s)
        return auc
    if name == "mae":
        return lambda y, s: float(np.mean(np.abs(y - s)))
    raise ValueError(f"Unknown metric {name!r}; use 'roc_auc' (purchase, churn) or 'mae' (revenue).")


def permutation_importance(predict: Callable[[pd.DataFrame], np.ndarray], frame: pd.DataFrame, y, *,
                           metric: str = "roc_auc", columns: Iterable[str] | None = None, repeats: int = 3,
                           random_state: int = 0) -> pd.DataFrame:
    """How much the model's test metric worsens when one feature column is shuffled.

    ``predict(frame) -> scores`` is called once on ``frame`` and once per column per repeat with
    that whole column permuted across customers (a seeded ``numpy.random.Generator``; the other
    columns untouched). ``importance`` is the mean worsening over the repeats, in the metric's
    units: for ``"roc_auc"`` baseline AUC - shuffled AUC (AUC points), for ``"mae"`` shuffled MAE -
    baseline MAE (currency). Bigger = more important; 0 = the model ignores the column; negative =
    noise. ``std`` is the standard deviation over the repeats (ddof 0).

    Returns columns ``feature, importance, std``, most important first.
    """
    if repeats < 1:
        raise ValueError("repeats must be at least 1.")
    score = _metric(metric)
    y = np.asarray(y, dtype=float).ravel()
    if len(y) != len(frame):
        raise ValueError(f"y has {len(y):,} values but the frame has {len(frame):,} rows.")
    cols = list(frame.columns) if columns is None else list(columns)
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        raise ValueError(f"Columns not in the frame: {missing}")
    sign = 1.0 if metric == "roc_auc" else -1.0  # positive = worse after shuffling
    baseline = score(y, np.asarray(predict(frame), dtype=float).ravel())
    rng = np.random.default_rng(random_state)
    work = frame.copy()
    n = len(frame)
    rows = []
    for col in cols:
        original = work[col]
        drops = np.empty(repeats)
        for r in range(repeats):
            perm = rng.permutation(n)
            work[col] = original.iloc[perm].set_axis(work.index)
            drops[r] = sign * (baseline - score(y, np.asarray(predict(work), dtype=float).ravel()))
        work[col] = original
        rows.append({"feature": col, "importance": float(drops.mean()), "std": float(drops.std())})
    out = pd.DataFrame(rows, columns=["feature", "importance", "std"])
    return out.sort_values("importance", ascending=False, kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- slices


def slice_metrics(y, p, groups: pd.Series, *, task: str = "purchase", min_customers: int = 30) -> pd.DataFrame:
    """Metrics per slice of customers (country, RFM segment, ...), largest slices first.

    ``groups`` gives each customer's slice, in the same order as ``y`` and ``p`` (positional;
    missing values become "(missing)").

    Purchase and churn: columns ``group, customers, positive_rate`` (fraction) ``, roc_auc, flag``.
    Revenue: ``group, customers, mean_revenue`` (currency) ``, mae`` (currency) ``, flag``.

    ``flag`` is empty for a healthy slice, otherwise says why it stands out: "too few customers"
    (below ``min_customers``; its metrics are shown but not judged), "only one outcome: AUC
    undefined", "weak: AUC below 0.6", "AUC x below the overall y" (more than 0.1 below), or for
    revenue "MAE x times the overall" (above 1.5 times).
    """
    if task not in _NOUNS:
        raise ValueError(f"Unknown task {task!r}; use purchase, churn or revenue.")
    y, p = _arrays(y, p)
    g = pd.Series(groups).reset_index(drop=True)
    if len(g) != len(y):
        raise ValueError(f"groups has {len(g):,} values but y has {len(y):,}.")
    g = g.astype("object").where(g.notna(), "(missing)").astype(str)
    frame = pd.DataFrame({"group": g, "y": y, "p": p})
    regression = task == "revenue"
    overall_auc = float("nan") if regression else _auc(y, p)
    overall_mae = float(np.mean(np.abs(y - p))) if regression else float("nan")
    rows = []
    for name, part in frame.groupby("group", sort=False):
        yy, pp = part["y"].to_numpy(), part["p"].to_numpy()
        n = len(part)
        flags: list[str] = []
        if regression:
            mae = float(np.mean(np.abs(yy - pp)))
            row = {"group": name, "customers": n, "mean_revenue": float(yy.mean()), "mae": mae}
            if n < min_customers:
                flags.append(f"too few customers ({n} < {min_customers})")
            elif overall_mae > 0 and mae > MAE_RATIO * overall_mae:
                flags.append(f"weak: MAE {mae / overall_mae:.1f} times the overall")
        else:
            auc = _auc(yy, pp)
            row = {"group": name, "customers": n, "positive_rate": float((yy > 0).mean()), "roc_auc": auc}
            if n < min_customers:
                flags.append(f"too few customers ({n} < {min_customers})")
            elif not np.isfinite(auc):
                flags.append("only one outcome: AUC undefined")
            else:
                if auc < WEAK_AUC:
                    flags.append(f"weak: AUC below {WEAK_AUC}")
                if np.isfinite(overall_auc) and auc < overall_auc - AUC_GAP:
                    flags.append(f"AUC {overall_auc - auc:.2f} below the overall {overall_auc:.2f}")
        row["flag"] = "; ".join(flags)
        rows.append(row)
    cols = ["group", "customers", "mean_revenue", "mae", "flag"] if regression else \
        ["group", "customers", "positive_rate", "roc_auc", "flag"]
    out = pd.DataFrame(rows, columns=cols)
    return out.sort_values(["customers", "group"], ascending=[False, True], kind="stable").reset_index(drop=True)


# --------------------------------------------------------------------------- readings


def read_roc(auc: float, task: str = "purchase", lang: str = "en") -> str:
    """One sentence on a ROC AUC (probability of ranking a positive above a negative)."""
    _, neg, one = (translate(noun, lang) for noun in _NOUNS[task])
    if auc is None or not np.isfinite(auc):
        return translate("ROC AUC cannot be computed: the test window holds only one outcome.", lang)
    if auc >= 0.8:
        verdict = "strong ranking"
    elif auc >= 0.7:
        verdict = "useful ranking"
    elif auc >= WEAK_AUC:
        verdict = "weak ranking"
    else:
        verdict = "barely better than chance"
    return translate("An AUC of {auc:.2f} means a random {one} is scored above a random one of the {neg} "
                     "{auc:.0%} of the time (50% is a coin toss): {verdict}.", lang, auc=auc, one=one, neg=neg,
                     verdict=translate(verdict, lang))


def read_pr(average_precision: float, base_rate: float, task: str = "purchase") -> str:
    """One sentence on the PR AUC (average precision) against the base rate (both fractions)."""
    pos = _NOUNS[task][0]
    if average_precision is None or not np.isfinite(average_precision):
        return "The precision-recall curve cannot be drawn: the test window holds only one outcome."
    ratio = f", {average_precision / base_rate:.1f} times" if base_rate > 0 else ""
    return (f"Average precision is {average_precision:.0%} against a base rate of {base_rate:.0%}{ratio}: "
            f"that is how pure the flagged group stays, on average, as it grows to catch all the {pos}.")


def read_calibration(table: pd.DataFrame, task: str = "purchase", lang: str = "en") -> str:
    """One sentence on a :func:`calibration_table`: mean gap between predicted and observed, and
    the bin with the largest gap."""
    if table.empty:
        return translate("No customers to check calibration on.", lang)
    w = table["customers"] / table["customers"].sum()
    diff = table["mean_predicted"] - table["observed_rate"]
    gap = float((w * diff.abs()).sum())
    worst = table.loc[diff.abs().idxmax()]
    over = float((w * diff).sum())
    direction = translate("over-predicts" if over > 0 else "under-predicts", lang)
    if task == "revenue":
        return translate("Predicted revenue is on average {gap:,.2f} away from the observed mean per bin and the "
                         "model {direction} overall; the largest gap is in bin {bin}: {predicted:,.2f} predicted vs "
                         "{observed:,.2f} observed.", lang, gap=gap, direction=direction, bin=int(worst["bin"]),
                         predicted=worst["mean_predicted"], observed=worst["observed_rate"])
    verdict = "well calibrated" if gap < 0.02 else "roughly calibrated" if gap < 0.05 else "poorly calibrated"
    return translate("Predicted probabilities sit on average {points:.1f} points from the observed rates ({verdict}; "
                     "the model {direction} overall); the largest gap is in bin {bin}: {predicted:.0%} predicted vs "
                     "{observed:.0%} observed.", lang, points=gap * 100, verdict=translate(verdict, lang),
                     direction=direction, bin=int(worst["bin"]), predicted=worst["mean_predicted"],
                     observed=worst["observed_rate"])


def read_gain(table: pd.DataFrame, task: str = "purchase", lang: str = "en") -> str:
    """One sentence on a :func:`gain_table`: what the first decile holds, against random."""
    if table.empty:
        return translate("No customers to rank.", lang)
    first = table.iloc[0]
    share, gain, lift = (float(first["cumulative_share_of_customers"]), float(first["cumulative_gain"]),
                         float(first["cumulative_lift"]))
    pos = translate(_NOUNS[task][0], lang)
    what = translate("of the revenue", lang) if task == "revenue" else translate("of the {pos}", lang, pos=pos)
    if not np.isfinite(gain):
        return translate("There are no {pos} in the test window, so the ranking cannot be judged.", lang, pos=pos)
    return translate("The top {share:.0%} of customers by score hold {gain:.0%} {what}, {lift:.1f} times {random}.",
                     lang, share=share, gain=gain, what=what, lift=lift, random=_share_words(share, lang))


def read_lift(table: pd.DataFrame, task: str = "purchase") -> str:
    """One sentence on the lift per decile of a :func:`gain_table`."""
    if table.empty or not np.isfinite(table["lift"]).any():
        return "Lift cannot be computed without positives in the test window."
    top, bottom = table.iloc[0], table.iloc[-1]
    above = int((table["lift"] > 1).sum())

    def fmt(x: float) -> str:
        return f"{x:.1f}" if x >= 1 or x == 0 else f"{x:.2f}"

    return (f"Lift falls from {fmt(top['lift'])} in decile 1 to {fmt(bottom['lift'])} in decile "
            f"{int(bottom['decile'])}; "
            f"{above} of {len(table)} deciles do better than random (lift above 1).")


def read_top_share(table: pd.DataFrame, task: str = "purchase", lang: str = "en") -> str:
    """One sentence on a :func:`top_share_table`, about the 10 % audience when present."""
    if table.empty:
        return translate("No audience to describe.", lang)
    pick = table.loc[(table["share"] - 0.10).abs().idxmin()]
    pos = translate(_NOUNS[task][0], lang)
    if task == "revenue":
        return translate("The top {share:.0%} by predicted revenue ({n:,} customers) bring {value} of the revenue "
                         "and {recall} of the buyers.", lang, share=pick["share"], n=int(pick["customers"]),
                         value=_pct(pick["value_share"]), recall=_pct(pick["recall"]))
    return translate("Targeting the top {share:.0%} by score ({n:,} customers) reaches {recall} of the {pos} with a "
                     "precision of {precision}, {lift:.1f} times the base rate.", lang, share=pick["share"],
                     n=int(pick["customers"]), recall=_pct(pick["recall"]), pos=pos,
                     precision=_pct(pick["precision"]), lift=pick["lift"])


def read_confusion(confusion: dict, task: str = "purchase", lang: str = "en") -> str:
    """One sentence on a :func:`confusion_at` result."""
    pos = translate("buyers" if task == "revenue" else _NOUNS[task][0], lang)
    flagged = confusion["tp"] + confusion["fp"]
    actual = confusion["tp"] + confusion["fn"]
    t = confusion.get("threshold")
    at = translate("At a threshold of {t:.2f}, the", lang, t=t) if t is not None else translate("The", lang)
    return translate("{at} model flags {flagged:,} customers as likely {pos}; {tp:,} of them are right "
                     "(precision {precision}), catching {recall} of all {actual:,} {pos}.", lang, at=at, flagged=flagged, pos=pos,
                     tp=confusion["tp"], precision=_pct(confusion["precision"]), recall=_pct(confusion["recall"]),
                     actual=actual)


def read_importance(table: pd.DataFrame, metric: str = "roc_auc", lang: str = "en") -> str:
    """One sentence on a :func:`permutation_importance` table."""
    if table.empty:
        return translate("No features were shuffled.", lang)
    top = table.iloc[0]
    if metric == "mae":
        effect = translate("raises the error (MAE) by {x:,.2f}", lang, x=top["importance"])
        material = int((table["importance"] > 0.01 * max(abs(top["importance"]), 1e-12)).sum())
    else:
        effect = translate("lowers the AUC by {x:.3f}", lang, x=top["importance"])
        material = int((table["importance"] > 0.001).sum())
    if top["importance"] <= 0:
        return translate("Shuffling any single feature does not hurt the model: no feature stands out.", lang)
    return translate("Shuffling {feature} hurts most (it {effect}); {n} of {total} features make a measurable "
                     "difference.", lang, feature=top["feature"], effect=effect, n=material, total=len(table))


def read_slices(table: pd.DataFrame, by: str = "slice", lang: str = "en") -> str:
    """One sentence on a :func:`slice_metrics` table: how many slices are flagged and which."""
    if table.empty:
        return translate("No slices to compare.", lang)
    flagged = table[(table["flag"] != "") & ~table["flag"].str.startswith("too few")]
    small = int(table["flag"].str.startswith("too few").sum())
    tail = translate(" ({n} too small to judge)", lang, n=small) if small else ""
    by = translate(by, lang)
    if flagged.empty:
        return translate("No {by} with enough customers stands out as weak{tail}.", lang, by=by, tail=tail)
    names = ", ".join(f"{r.group} ({r.flag})" for r in flagged.head(3).itertuples())
    more = translate(" and {n} more", lang, n=len(flagged) - 3) if len(flagged) > 3 else ""
    return translate("{n} of {total} values of {by} stand out: {names}{more}{tail}.", lang, n=len(flagged),
                     total=len(table), by=by, names=names, more=more, tail=tail)


def best_epoch(history: list[dict]) -> int | None:
    """Epoch (1-based, as in the history) with the lowest ``val_loss`` (``loss`` without validation)."""
    if not history:
        return None
    key = "val_loss" if any("val_loss" in h for h in history) else "loss"

    def value(h: dict) -> float:  # a missing or NaN loss never wins (NaN would compare as neither larger nor smaller)
        v = h.get(key)
        return float(v) if v is not None and np.isfinite(v) else np.inf

    values = [(value(h), h.get("epoch", i + 1)) for i, h in enumerate(history)]
    return int(min(values, key=lambda v: v[0])[1])


def read_history(history: list[dict], lang: str = "en") -> str:
    """One sentence on the neural model's training history (list of per-epoch dicts)."""
    if not history:
        return translate("The neural model has not been trained.", lang)
    key = "val_loss" if any("val_loss" in h for h in history) else "loss"
    epochs = [int(h.get("epoch", i + 1)) for i, h in enumerate(history)]
    best = best_epoch(history)
    value = float(history[epochs.index(best)][key])
    last = epochs[-1]
    later = translate("; the {n} epochs after it did not improve", lang, n=last - best) if last > best else ""
    sentence = "Validation loss was lowest at epoch {best} of {last} ({value:.4f}, the weights kept){later}." \
        if key == "val_loss" else "Training loss was lowest at epoch {best} of {last} ({value:.4f}, the weights kept){later}."
    return translate(sentence, lang, best=best, last=last, value=value, later=later)
