"""Effect of each arm against the control: tests, intervals, checks and money.

* Rates (0/1 outcomes): two-proportion z test (pooled standard error for the p-value,
  unpooled for the 95 % interval of the difference).
* Means (spend, revenue; often skewed): Welch's t test, and a percentile bootstrap of the
  difference in means when ``method="bootstrap"``.
* Relative lift = lift / control mean, its interval by the delta method.
* Sample-ratio mismatch: chi-square of the arm sizes against the intended split.
* Balance: standardised mean difference of each pre-campaign attribute (|SMD| > 0.1 flags).
* CUPED: outcome minus theta x (pre-campaign covariate - its mean), theta = cov / var over all
  customers; same expected lift, smaller variance when the covariate predicts the outcome.
* Per segment: effects within each segment, p-values Holm-adjusted for the number of tests.
* Money: incremental outcome x arm size x the value of one unit of the outcome, margin and cost
  per contact give profit and ROI. The value comes from the outcome itself when it is the
  file's revenue column, else only from a value per extra unit the analyst enters
  (:func:`money_basis`); nothing is guessed.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

from ecom_analytics.errors import InputError, Note

Z95 = float(stats.norm.ppf(0.975))
MIN_ARM_SIZE = 20  # fewer customers in an arm than this: no test is run


def two_proportion(x_t: float, n_t: int, x_c: float, n_c: int) -> dict:
    """Difference in rates treated - control (share points as 0-1), its 95 % CI and two-sided p-value."""
    p_t, p_c = x_t / n_t, x_c / n_c
    diff = p_t - p_c
    pooled = (x_t + x_c) / (n_t + n_c)
    se_pooled = np.sqrt(pooled * (1 - pooled) * (1 / n_t + 1 / n_c))
    se = np.sqrt(p_t * (1 - p_t) / n_t + p_c * (1 - p_c) / n_c)
    z = diff / se_pooled if se_pooled > 0 else 0.0
    p = float(2 * stats.norm.sf(abs(z))) if se_pooled > 0 else 1.0
    return {"mean_t": p_t, "mean_c": p_c, "lift": diff, "se": float(se), "ci_low": diff - Z95 * se,
            "ci_high": diff + Z95 * se, "p_value": p, "statistic": float(z)}


def welch(y_t: np.ndarray, y_c: np.ndarray) -> dict:
    """Difference in means treated - control, Welch 95 % CI (t with Welch-Satterthwaite df) and p-value."""
    y_t, y_c = np.asarray(y_t, float), np.asarray(y_c, float)
    n_t, n_c = len(y_t), len(y_c)
    v_t, v_c = y_t.var(ddof=1) / n_t, y_c.var(ddof=1) / n_c
    se = float(np.sqrt(v_t + v_c))
    diff = float(y_t.mean() - y_c.mean())
    if se == 0:
        return {"mean_t": y_t.mean(), "mean_c": y_c.mean(), "lift": diff, "se": 0.0, "ci_low": diff,
                "ci_high": diff, "p_value": 1.0 if diff == 0 else 0.0, "statistic": 0.0, "df": np.nan}
    df = (v_t + v_c) ** 2 / (v_t ** 2 / (n_t - 1) + v_c ** 2 / (n_c - 1))
    t = diff / se
    q = float(stats.t.ppf(0.975, df))
    return {"mean_t": float(y_t.mean()), "mean_c": float(y_c.mean()), "lift": diff, "se": se,
            "ci_low": diff - q * se, "ci_high": diff + q * se, "p_value": float(2 * stats.t.sf(abs(t), df)),
            "statistic": float(t), "df": float(df)}


def bootstrap_diff(y_t: np.ndarray, y_c: np.ndarray, *, n_boot: int = 2000, seed: int = 0) -> dict:
    """Difference in means with a percentile-bootstrap 95 % CI; p-value = 2 x the share of
    bootstrap differences on the other side of 0 (capped at 1). Resampling is vectorised in chunks."""
    y_t, y_c = np.asarray(y_t, float), np.asarray(y_c, float)
    rng = np.random.default_rng(seed)
    diffs = np.empty(n_boot)
    chunk = max(1, int(2e6 // max(len(y_t), len(y_c), 1)))
    for start in range(0, n_boot, chunk):  # loop over resample chunks, not rows
        k = min(chunk, n_boot - start)
        mt = y_t[rng.integers(0, len(y_t), (k, len(y_t)))].mean(axis=1)
        mc = y_c[rng.integers(0, len(y_c), (k, len(y_c)))].mean(axis=1)
        diffs[start:start + k] = mt - mc
    diff = float(y_t.mean() - y_c.mean())
    lo, hi = np.percentile(diffs, [2.5, 97.5])
    p = float(min(1.0, 2 * min((diffs <= 0).mean(), (diffs >= 0).mean())))
    return {"mean_t": float(y_t.mean()), "mean_c": float(y_c.mean()), "lift": diff, "se": float(diffs.std(ddof=1)),
            "ci_low": float(lo), "ci_high": float(hi), "p_value": p, "statistic": np.nan}


def relative_lift(lift: float, se_lift: float, mean_c: float, se_c: float) -> tuple[float, float, float]:
    """Relative lift lift / control mean and its delta-method 95 % CI (as shares, 0.1 = +10 %)."""
    if mean_c == 0:
        return np.nan, np.nan, np.nan
    rel = lift / mean_c
    se = np.sqrt((se_lift / mean_c) ** 2 + (lift * se_c / mean_c ** 2) ** 2)
    return float(rel), float(rel - Z95 * se), float(rel + Z95 * se)


#: a sample-ratio mismatch is flagged below this chi-square p-value (the usual threshold: at 0.05 one
#: healthy experiment in twenty would be flagged)
SRM_THRESHOLD = 0.001


def srm_check(counts: dict[str, int], intended: dict[str, float] | None = None) -> dict:
    """Chi-square of the arm sizes against the intended split (equal shares when None).

    Returns ``chi2``, ``p_value``, ``expected`` (arm -> customers) and ``mismatch``
    (p < ``SRM_THRESHOLD``, 0.001, the usual threshold for a sample-ratio mismatch) and ``threshold``.
    """
    arms = list(counts)
    observed = np.array([counts[a] for a in arms], float)
    if intended:
        missing = [a for a in arms if a not in intended]
        if missing:
            raise InputError("The intended split has no share for arm(s) {arms}.", arms=', '.join(missing))
        shares = np.array([float(intended[a]) for a in arms])
        if np.any(shares <= 0):
            raise InputError("Every arm's intended share must be above 0.")
    else:
        shares = np.ones(len(arms))
    expected = observed.sum() * shares / shares.sum()
    chi2, p = stats.chisquare(observed, expected)
    return {"chi2": float(chi2), "p_value": float(p), "expected": dict(zip(arms, expected.round(1).tolist())),
            "observed": dict(zip(arms, observed.astype(int).tolist())), "mismatch": bool(p < SRM_THRESHOLD),
            "threshold": SRM_THRESHOLD}


def standardised_mean_difference(x_t: np.ndarray, x_c: np.ndarray) -> float:
    """(mean treated - mean control) / sqrt((var treated + var control) / 2); 0 when both are constant."""
    x_t, x_c = np.asarray(x_t, float), np.asarray(x_c, float)
    pooled = np.sqrt((np.nanvar(x_t, ddof=1) + np.nanvar(x_c, ddof=1)) / 2)
    return 0.0 if pooled == 0 or np.isnan(pooled) else float((np.nanmean(x_t) - np.nanmean(x_c)) / pooled)


def cuped_adjust(y: np.ndarray, x: np.ndarray) -> tuple[np.ndarray, float]:
    """CUPED-adjusted outcome y - theta (x - mean x) with theta = cov(y, x) / var(x) over all rows."""
    y, x = np.asarray(y, float), np.nan_to_num(np.asarray(x, float))
    var = x.var(ddof=1)
    theta = float(np.cov(y, x, ddof=1)[0, 1] / var) if var > 0 else 0.0
    return y - theta * (x - x.mean()), theta


def holm(p_values) -> np.ndarray:
    """Holm-Bonferroni adjusted p-values (same order as given)."""
    p = np.asarray(p_values, float)
    m = len(p)
    order = np.argsort(p)
    adjusted = np.maximum.accumulate((m - np.arange(m)) * p[order])
    out = np.empty(m)
    out[order] = np.minimum(adjusted, 1.0)
    return out


def _compare(y_t: np.ndarray, y_c: np.ndarray, binary: bool, method: str, seed: int) -> dict:
    if binary and method != "bootstrap":
        res = two_proportion(y_t.sum(), len(y_t), y_c.sum(), len(y_c))
        res["method"] = "two-proportion z"
        se_c = np.sqrt(res["mean_c"] * (1 - res["mean_c"]) / len(y_c))
    elif method == "bootstrap":
        res = bootstrap_diff(y_t, y_c, seed=seed)
        res["method"] = "bootstrap"
        se_c = y_c.std(ddof=1) / np.sqrt(len(y_c))
    else:
        res = welch(y_t, y_c)
        res["method"] = "Welch t"
        se_c = y_c.std(ddof=1) / np.sqrt(len(y_c))
    res["rel_lift"], res["rel_ci_low"], res["rel_ci_high"] = relative_lift(res["lift"], res["se"], res["mean_c"], se_c)
    return res


def arm_effects(table: pd.DataFrame, outcome: str, control: str, *, method: str = "auto",
                covariate: str | None = None, seed: int = 0) -> pd.DataFrame:
    """One row per treated arm: n, mean, control mean, lift (outcome units; rates as 0-1 shares),
    95 % CI, p-value, relative lift and its CI, and the method used.

    ``table`` has columns ``arm`` and ``outcome``. ``method``: "auto" (two-proportion for 0/1
    outcomes, Welch otherwise), "welch" or "bootstrap". ``covariate`` applies CUPED first and
    adds ``variance_reduction`` (share of the outcome variance removed).
    """
    check_arms(table, control)
    if outcome not in table.columns:
        raise InputError("The campaign table has no outcome column '{outcome}'. Choose an outcome that is in it.",
                         outcome=outcome)
    y = pd.to_numeric(table[outcome], errors="coerce")
    if y.notna().sum() == 0:
        raise InputError("The outcome '{outcome}' has no numeric values. Choose a column of 0/1 or amounts.",
                         outcome=outcome)
    keep = y.notna()
    empty = [a for a in pd.unique(table["arm"]) if not keep[table["arm"] == a].any()]
    if empty:
        raise InputError("No customer of the arm '{arm}' has a value of {outcome}. Choose another outcome, or "
                         "leave that arm out.", arm=empty[0], outcome=outcome)
    y, arms = y[keep].to_numpy(float), table.loc[keep, "arm"].to_numpy()
    binary = bool(np.isin(np.unique(y), [0.0, 1.0]).all())
    reduction = np.nan
    if covariate is not None:
        if covariate not in table.columns:
            raise InputError("The pre-campaign column '{column}' is not in the campaign table.", column=covariate)
        x = pd.to_numeric(table.loc[keep, covariate], errors="coerce").to_numpy(float)
        adjusted, _ = cuped_adjust(y, x)
        reduction = 1 - adjusted.var() / y.var() if y.var() > 0 else 0.0
        y, binary = adjusted, False
    chosen = "welch" if method == "auto" and not binary else method
    y_c = y[arms == control]
    rows = []
    for arm in [a for a in pd.unique(arms) if a != control]:
        y_t = y[arms == arm]
        res = _compare(y_t, y_c, binary, chosen, seed)
        rows.append({"arm": arm, "n": int(len(y_t)), "n_control": int(len(y_c)), "mean": res["mean_t"],
                     "control_mean": res["mean_c"], "lift": res["lift"], "ci_low": res["ci_low"],
                     "ci_high": res["ci_high"], "p_value": res["p_value"], "rel_lift": res["rel_lift"],
                     "rel_ci_low": res["rel_ci_low"], "rel_ci_high": res["rel_ci_high"], "method": res["method"],
                     "se": res["se"], "outcome": outcome, "binary": binary, "cuped": covariate is not None,
                     "variance_reduction": reduction})
    return pd.DataFrame(rows)


def check_arms(table: pd.DataFrame, control: str | None, min_size: int = MIN_ARM_SIZE) -> None:
    """Raise :class:`InputError` when the arms cannot be compared: one arm only, no control,
    or an arm with fewer than ``min_size`` customers."""
    counts = table["arm"].value_counts()
    if len(counts) < 2:
        only = counts.index[0] if len(counts) else Note("none")
        raise InputError("The campaign has one arm only ({arm}). A comparison needs a control group and at least "
                         "one treated arm in the arm column.", arm=only)
    if control is None or control not in counts.index:
        raise InputError("No control group was found among the arms ({arms}). Choose the arm that did not get the "
                         "campaign as the control.", arms=", ".join(map(str, counts.index[:8])))
    small = counts[counts < min_size]
    if len(small):
        raise InputError("The arm '{arm}' has only {n} customers; a test needs at least {min_size} per arm. Merge "
                         "it with another arm or leave it out.", arm=small.index[0], n=int(small.iloc[0]),
                         min_size=min_size)


def balance_table(table: pd.DataFrame, control: str, attributes: list[str]) -> pd.DataFrame:
    """Standardised mean difference of each numeric pre-campaign attribute, each treated arm vs control.

    Columns: attribute, arm, mean_arm, mean_control, smd, imbalanced (|smd| > 0.1).
    """
    rows = []
    ctrl = table[table["arm"] == control]
    for arm in [a for a in table["arm"].unique() if a != control]:
        treated = table[table["arm"] == arm]
        for col in attributes:
            x_t = pd.to_numeric(treated[col], errors="coerce").to_numpy(float)
            x_c = pd.to_numeric(ctrl[col], errors="coerce").to_numpy(float)
            smd = standardised_mean_difference(x_t, x_c)
            rows.append({"attribute": col, "arm": arm, "mean_arm": float(np.nanmean(x_t)),
                         "mean_control": float(np.nanmean(x_c)), "smd": smd, "imbalanced": abs(smd) > 0.1})
    return pd.DataFrame(rows, columns=["attribute", "arm", "mean_arm", "mean_control", "smd", "imbalanced"])


def segment_order(values) -> list:
    """``values`` in the order an analyst reads them: by the first number in each label when every
    label has one ("$0 - $100", "$100 - $200", "$1,000 +": by 0, 100, 1000; "1) $0 - $100" by 1),
    else alphabetically. Thousands separators inside a number are ignored."""
    import re

    labels = list(dict.fromkeys(values))
    numbers = [re.search(r"-?\d[\d,]*(?:\.\d+)?", str(v)) for v in labels]
    if labels and all(numbers):
        keys = [float(m.group(0).replace(",", "")) for m in numbers]
        return [v for _, _, v in sorted(zip(keys, map(str, labels), labels))]
    return sorted(labels, key=str)


def segment_effects(table: pd.DataFrame, outcome: str, control: str, segment: str, *,
                    method: str = "auto", min_size: int = MIN_ARM_SIZE) -> pd.DataFrame:
    """Effects per arm within each value of ``segment`` (segments with an arm under ``min_size``
    are skipped), with ``p_holm``: p-values adjusted by Holm over all the tests shown."""
    parts = []
    groups = dict(list(table.groupby(segment, dropna=True, observed=True)))
    for value in segment_order(groups):
        part = groups[value]
        counts = part.loc[pd.to_numeric(part[outcome], errors="coerce").notna(), "arm"].value_counts()
        if control not in counts.index or len(counts) < 2 or counts.min() < min_size:
            continue
        res = arm_effects(part, outcome, control, method=method)
        res.insert(0, "segment", value)
        parts.append(res)
    if not parts:
        return pd.DataFrame(columns=["segment", "arm", "n", "lift", "ci_low", "ci_high", "p_value", "p_holm"])
    out = pd.concat(parts, ignore_index=True)
    out["p_holm"] = holm(out["p_value"])
    return out


@dataclass(frozen=True)
class MoneyBasis:
    """How the money figures value one extra unit of the outcome.

    ``source``: "outcome" (the outcome is the file's revenue column: one unit is one unit of
    revenue), "entered" (the analyst's value per extra unit, in the file's currency) or "missing"
    (neither: no money figure can be computed). ``value_per_unit`` is None when "missing".
    """

    source: str
    value_per_unit: float | None
    outcome: str
    revenue_column: str | None

    @property
    def ready(self) -> bool:
        """True when money figures can be computed."""
        return self.value_per_unit is not None


def money_basis(outcome: str, revenue_column: str | None, entered: float | None = None) -> MoneyBasis:
    """The value of one extra unit of ``outcome`` for the money figures.

    ``revenue_column`` is the campaign table's revenue (spend) column, or None. When the outcome
    is that column, money comes from the outcome itself (1 per unit) and ``entered`` is ignored.
    Otherwise (a 0/1 flag such as converted or visited, a count, another amount) only a value the
    analyst ``entered`` above 0 is used; without one the basis is "missing". Never a default.
    """
    if revenue_column is not None and outcome == revenue_column:
        return MoneyBasis("outcome", 1.0, outcome, revenue_column)
    if entered is not None and np.isfinite(entered) and entered > 0:
        return MoneyBasis("entered", float(entered), outcome, revenue_column)
    return MoneyBasis("missing", None, outcome, revenue_column)


def suggested_value(table: pd.DataFrame, outcome: str, columns: dict[str, str | None]) -> float | None:
    """A value per extra conversion to offer the analyst: the mean of the revenue column over the
    customers of ``table`` with revenue above 0 (the file's buyers, every arm), rounded to cents.

    Offered only when ``outcome`` is the conversion column (role "converted") and the table has a
    revenue column (role "spend") with at least one buyer; None otherwise (a visit or a count is
    not worth an order, so nothing is suggested for them).
    """
    revenue = columns.get("spend")
    if outcome != columns.get("converted") or revenue is None or revenue not in table.columns:
        return None
    paid = pd.to_numeric(table[revenue], errors="coerce")
    paid = paid[paid > 0]
    return float(round(paid.mean(), 2)) if len(paid) else None


def money(effects: pd.DataFrame, *, cost_per_contact: float, margin: float, value_per_unit: float) -> pd.DataFrame:
    """Incremental outcome, revenue, profit and ROI of each arm for the customers it contacted.

    ``value_per_unit``: revenue per unit of the outcome, from :func:`money_basis` (1 for a
    revenue outcome; the analyst's value per extra conversion otherwise). ``margin``: share of
    revenue kept (0-1). ROI = profit / cost (NaN without cost). Intervals scale the lift's CI the
    same way.
    """
    if value_per_unit is None or not np.isfinite(value_per_unit) or value_per_unit <= 0:
        raise InputError("Money needs a value per extra unit of the outcome above 0: enter what one extra "
                         "conversion is worth, or choose a revenue outcome.")
    if cost_per_contact < 0 or not 0 <= margin <= 1:
        raise InputError("The cost per contact must be 0 or more and the margin between 0 and 100 %.")
    out = effects[["arm", "n", "lift", "ci_low", "ci_high"]].copy()
    out["incremental"] = out["lift"] * out["n"]
    out["incremental_revenue"] = out["incremental"] * value_per_unit
    out["incremental_revenue_low"] = out["ci_low"] * out["n"] * value_per_unit
    out["incremental_revenue_high"] = out["ci_high"] * out["n"] * value_per_unit
    out["cost"] = out["n"] * cost_per_contact
    out["profit"] = out["incremental_revenue"] * margin - out["cost"]
    out["roi"] = np.where(out["cost"] > 0, out["profit"] / out["cost"].where(out["cost"] > 0), np.nan)
    return out
