"""Customer lifetime value in money: BG/NBD for purchases, Gamma-Gamma for spend.

The protocol, in order:

1. :func:`summarise_transactions` turns the orders up to the calibration end (that day included)
   into one row per customer, with the conventions of Fader, Hardie & Lee (2005) and lifetimes:
   a purchase occasion is a distinct day with orders (several orders the same day are one
   purchase); ``frequency`` x = repeat occasions (all but the first); ``recency`` t_x = time from
   the first occasion to the last; ``T`` = time from the first occasion to the calibration end;
   times in days or weeks (days / 7, as in the published CDNOW summary: t_x = 30.43 weeks is 213
   days); ``monetary_value`` = mean value of the repeat occasions (the first is left out; 0 when
   there is none).
2. :class:`~ecom_analytics.predict.bgnbd.BGNBD` is fitted on every customer, :class:`GammaGamma` on
   those with repeat occasions of positive value (Fader, Hardie & Lee 2005, "RFM and CLV: Using
   Iso-Value Curves for Customer Base Analysis"; the published CDNOW fit is p = 6.25, q = 3.74,
   gamma = v = 15.44 on 946 customers).
3. :func:`customer_value`: per customer, P(alive), P(at least one purchase), expected purchases and
   expected spend over the next N months (a month = 365.25 / 12 days), and the discounted CLV
   sum_{i=1..N} (E[X(i months)] - E[X(i - 1 months)]) x E[spend per purchase] / (1 + d) ** i,
   d the monthly discount rate (lifetimes' ``customer_lifetime_value``).
4. :func:`evaluate_clv`: with a holdout after the calibration end, each customer's predicted
   purchases and spend over the holdout against the actual ones (customers first seen in the
   holdout are left out: the model knows nothing of them), by decile of predicted value, with MAE,
   correlation, the share of actual spend the top decile brought and a reading in words.

Amounts are in the export's currency; nothing here looks at the holdout before step 4.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from scipy import special

from ecom_analytics.predict.bgnbd import BGNBD, minimise_in_logs
from ecom_analytics.errors import InputError
from ecom_analytics.i18n import format_number, translate

#: days in each time unit of the summary
UNITS = {"days": 1.0, "weeks": 7.0}
DAYS_PER_MONTH = 365.25 / 12
DEFAULT_MONTHS = 12
DEFAULT_DISCOUNT_RATE = 0.01  # per month (lifetimes' default)
#: fewest customers with repeat purchases the spend model is fitted on
MIN_REPEAT_CUSTOMERS = 10
SUMMARY_COLUMNS = ["frequency", "recency", "T", "monetary_value"]


# ----------------------------------------------------------------------------- summaries

def purchase_occasions(orders: pd.DataFrame, *, customer_col: str = "customer_id", time_col: str = "timestamp",
                       value_col: str = "amount") -> pd.DataFrame:
    """One row per customer and day with orders: ``customer_id``, ``day`` (midnight) and ``value``
    (the day's order value). Rows without a customer or a time are left out."""
    frame = orders[[customer_col, time_col, value_col]].dropna(subset=[customer_col, time_col])
    days = pd.to_datetime(frame[time_col]).dt.normalize()
    out = (pd.DataFrame({"customer_id": frame[customer_col].astype(str).to_numpy(), "day": days.to_numpy(),
                         "value": pd.to_numeric(frame[value_col], errors="coerce").fillna(0.0).to_numpy()})
           .groupby(["customer_id", "day"], sort=True, as_index=False)["value"].sum())
    return out


def summarise_transactions(orders: pd.DataFrame, calibration_end: pd.Timestamp | str, unit: str = "weeks", *,
                           customer_col: str = "customer_id", time_col: str = "timestamp",
                           value_col: str = "amount") -> pd.DataFrame:
    """Each customer's ``frequency``, ``recency``, ``T`` (in ``unit``) and ``monetary_value`` from
    the orders on or before ``calibration_end`` (see the module docstring), indexed by customer id;
    also ``first_purchase`` (day). Customers whose first order is after it are not in the table."""
    if unit not in UNITS:
        raise InputError("The time unit '{unit}' is not one of {units}.", unit=unit, units=', '.join(UNITS))
    end = pd.Timestamp(calibration_end).normalize()
    occasions = purchase_occasions(orders, customer_col=customer_col, time_col=time_col, value_col=value_col)
    occasions = occasions[occasions["day"] <= end]
    return _summary(occasions, end, unit)


def _summary(occasions: pd.DataFrame, end: pd.Timestamp, unit: str) -> pd.DataFrame:
    scale = UNITS[unit]
    grouped = occasions.groupby("customer_id", sort=True)
    first, last, count = grouped["day"].min(), grouped["day"].max(), grouped["day"].size()
    first_value = occasions.loc[grouped["day"].idxmin(), ["customer_id", "value"]].set_index("customer_id")["value"]
    repeat_value = grouped["value"].sum() - first_value
    frequency = (count - 1).astype(int)
    out = pd.DataFrame({
        "frequency": frequency,
        "recency": (last - first).dt.days / scale,
        "T": (end - first).dt.days / scale,
        "monetary_value": np.where(frequency > 0, repeat_value / frequency.clip(lower=1), 0.0),
        "first_purchase": first,
    })
    out.index.name = "customer_id"
    return out


def holdout_actuals(orders: pd.DataFrame, calibration_end: pd.Timestamp | str, holdout_end: pd.Timestamp | str, *,
                    customer_col: str = "customer_id", time_col: str = "timestamp",
                    value_col: str = "amount") -> pd.DataFrame:
    """Each customer's ``actual_purchases`` (distinct days with orders) and ``actual_spend`` after
    ``calibration_end`` up to ``holdout_end`` (both days included in their period)."""
    start, end = pd.Timestamp(calibration_end).normalize(), pd.Timestamp(holdout_end).normalize()
    occasions = purchase_occasions(orders, customer_col=customer_col, time_col=time_col, value_col=value_col)
    window = occasions[(occasions["day"] > start) & (occasions["day"] <= end)]
    grouped = window.groupby("customer_id")
    out = pd.DataFrame({"actual_purchases": grouped["day"].size().astype(float),
                        "actual_spend": grouped["value"].sum()})
    out.index.name = "customer_id"
    return out


# ----------------------------------------------------------------------------- Gamma-Gamma

def _gamma_gamma_log_likelihood(params: np.ndarray, x: np.ndarray, m: np.ndarray) -> np.ndarray:
    """Each customer's log-likelihood of the mean spend ``m`` of ``x`` transactions (lifetimes'
    form: the density of the mean, so the fitted parameters match the published ones)."""
    p, q, v = params
    px = p * x
    return (special.gammaln(px + q) - special.gammaln(px) - special.gammaln(q) + q * np.log(v)
            + (px - 1) * np.log(m) + px * np.log(x) - (px + q) * np.log(x * m + v))


class GammaGamma:
    """Gamma-Gamma spend model (Fader, Hardie & Lee 2005; Colombo & Jiang 1999).

    A customer's transaction values are Gamma(p, nu) with nu ~ Gamma(q, v) across customers, so
    their mean spend per transaction is p v / (q - 1) on average (needs q > 1). Fitted by maximum
    likelihood on customers with repeat transactions (x > 0) and positive mean spend.

    Parameters
    ----------
    penalizer : L2 penalty on the three parameters (0 = plain maximum likelihood).
    """

    def __init__(self, penalizer: float = 0.0) -> None:
        self.penalizer = penalizer

    def fit(self, frequency, monetary_value) -> "GammaGamma":
        """Fit p, q, v to the repeat frequency and mean repeat spend of each customer; returns self.
        Customers with no repeat transaction or a mean spend <= 0 are left out (``n_customers_``
        says how many were used)."""
        x, m = (np.asarray(v, dtype=float) for v in (frequency, monetary_value))
        keep = (x > 0) & (m > 0) & np.isfinite(m)
        x, m = x[keep], m[keep]
        if len(x) < MIN_REPEAT_CUSTOMERS:
            raise InputError("The spend model needs at least {n} customers who bought again (with a positive order "
                             "value) before the calibration end; there are {m}. Choose a later calibration end or "
                             "use a longer history.", n=MIN_REPEAT_CUSTOMERS, m=len(x))
        scale = float(np.mean(m))  # fit v on the scale of the spend for numerical stability

        def objective(log_params: np.ndarray) -> float:
            params = np.exp(log_params)
            scaled = params.copy()
            scaled[2] *= scale
            return -np.mean(_gamma_gamma_log_likelihood(scaled, x, m)) + self.penalizer * np.sum(params ** 2)

        params = minimise_in_logs(objective, ([1.0, 1.0, 1.0], [5.0, 3.0, 2.0], [0.5, 5.0, 5.0]), ftol=1e-13)
        params[2] *= scale
        self.p_, self.q_, self.v_ = (float(v) for v in params)
        self.n_customers_ = int(len(x))
        self.log_likelihood_ = float(np.sum(_gamma_gamma_log_likelihood(params, x, m)))
        if self.q_ <= 1:
            raise InputError("The spend per order varies too much between customers for the spend model (its "
                             "average spend has no finite mean, q <= 1); check the order values for extreme amounts.")
        return self

    @property
    def params_(self) -> dict[str, float]:
        """Fitted parameters as a dict (raises if not fitted)."""
        self._check()
        return {"p": self.p_, "q": self.q_, "v": self.v_}

    def _check(self) -> None:
        if not hasattr(self, "p_"):
            raise RuntimeError("This GammaGamma model is not fitted yet; call fit() first.")

    def mean_spend(self) -> float:
        """The population's mean spend per transaction, p v / (q - 1) (currency)."""
        self._check()
        return self.p_ * self.v_ / (self.q_ - 1)

    def expected_average_spend(self, frequency, monetary_value) -> np.ndarray:
        """E[a customer's spend per transaction | x, mean spend m] = (p (v + x m)) / (p x + q - 1)
        (currency): a weighted mean of the population's mean and the customer's own; customers
        with no repeat transaction (or a mean spend <= 0) get the population's mean."""
        self._check()
        x, m = (np.asarray(v, dtype=float) for v in (frequency, monetary_value))
        known = (x > 0) & (m > 0)
        x, m = np.where(known, x, 0.0), np.where(known, m, 0.0)
        return self.p_ * (self.v_ + x * m) / (self.p_ * x + self.q_ - 1)


# ----------------------------------------------------------------------------- value

def customer_value(bgnbd: BGNBD, gamma_gamma: GammaGamma, summary: pd.DataFrame, unit: str,
                   months: int = DEFAULT_MONTHS, discount_rate: float = DEFAULT_DISCOUNT_RATE) -> pd.DataFrame:
    """Per customer of ``summary`` (from :func:`summarise_transactions`): ``probability_alive``,
    ``probability_purchase`` (at least one purchase in the next ``months``), ``expected_purchases``
    and ``expected_spend`` over the next ``months`` (undiscounted), ``spend_per_purchase``
    (Gamma-Gamma) and ``clv`` (discounted at ``discount_rate`` per month, see the module
    docstring), highest CLV first. Amounts in the orders' currency."""
    x, t_x, T = (summary[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T"))
    per_month = DAYS_PER_MONTH / UNITS[unit]
    spend = gamma_gamma.expected_average_spend(x, summary["monetary_value"].to_numpy(dtype=float))
    cumulative = np.array([bgnbd.expected_purchases(i * per_month, x, t_x, T) for i in range(months + 1)])
    monthly = np.diff(cumulative, axis=0)
    discount = (1.0 + discount_rate) ** -np.arange(1, months + 1, dtype=float)
    out = pd.DataFrame({
        "frequency": x.astype(int), "recency": t_x, "T": T, "monetary_value": summary["monetary_value"].to_numpy(),
        "probability_alive": bgnbd.probability_alive(x, t_x, T),
        "probability_purchase": bgnbd.probability_of_purchase(months * per_month, x, t_x, T),
        "expected_purchases": cumulative[-1],
        "spend_per_purchase": spend,
        "expected_spend": cumulative[-1] * spend,
        "clv": (monthly * discount[:, None]).sum(axis=0) * spend,
    }, index=summary.index)
    out.index.name = "customer_id"
    return out.sort_values("clv", ascending=False, kind="mergesort")


# ----------------------------------------------------------------------------- evaluation

def evaluate_clv(bgnbd: BGNBD, gamma_gamma: GammaGamma, summary: pd.DataFrame, actuals: pd.DataFrame, unit: str,
                 holdout_days: int) -> dict:
    """Predicted against actual purchases and spend over the ``holdout_days`` after the calibration
    end, per customer of ``summary`` (customers without orders in the holdout have 0 actuals).

    Returns ``holdout_days``, ``customers``, the totals (``predicted_purchases``,
    ``actual_purchases``, ``predicted_spend``, ``actual_spend``), ``mae_purchases``, ``mae_spend``,
    ``baseline_mae_spend`` (each customer spending at their calibration rate: their total
    calibration spend / their age x the holdout), ``correlation_purchases`` and
    ``correlation_spend`` (Pearson), ``top_decile_share`` (share of the actual spend brought by the
    10 % with the highest predicted spend), ``deciles`` (records: decile 1 = highest predicted
    spend) and, per customer, the frame ``per_customer``."""
    x, t_x, T = (summary[c].to_numpy(dtype=float) for c in ("frequency", "recency", "T"))
    window = holdout_days / UNITS[unit]
    predicted_purchases = bgnbd.expected_purchases(window, x, t_x, T)
    spend = gamma_gamma.expected_average_spend(x, summary["monetary_value"].to_numpy(dtype=float))
    actual = actuals.reindex(summary.index).fillna(0.0)
    frame = pd.DataFrame({"predicted_purchases": predicted_purchases, "actual_purchases": actual["actual_purchases"],
                          "predicted_spend": predicted_purchases * spend, "actual_spend": actual["actual_spend"]},
                         index=summary.index)
    # the naive peer: the customer's calibration spend per unit of their age, over the holdout
    calibration_spend = summary["calibration_spend"].to_numpy(dtype=float) if "calibration_spend" in summary else None
    n = len(frame)
    frame["decile"] = deciles_of(frame["predicted_spend"])
    deciles = (frame.groupby("decile")
               .agg(customers=("predicted_spend", "size"), predicted_purchases=("predicted_purchases", "sum"),
                    actual_purchases=("actual_purchases", "sum"), predicted_spend=("predicted_spend", "sum"),
                    actual_spend=("actual_spend", "sum"))
               .reset_index())
    total_actual = float(frame["actual_spend"].sum())
    deciles["share_of_actual_spend"] = deciles["actual_spend"] / total_actual if total_actual else np.nan
    result = {
        "holdout_days": int(holdout_days), "customers": int(n),
        "predicted_purchases": float(frame["predicted_purchases"].sum()),
        "actual_purchases": float(frame["actual_purchases"].sum()),
        "predicted_spend": float(frame["predicted_spend"].sum()), "actual_spend": total_actual,
        "mae_purchases": float((frame["predicted_purchases"] - frame["actual_purchases"]).abs().mean()),
        "mae_spend": float((frame["predicted_spend"] - frame["actual_spend"]).abs().mean()),
        "correlation_purchases": _correlation(frame["predicted_purchases"], frame["actual_purchases"]),
        "correlation_spend": _correlation(frame["predicted_spend"], frame["actual_spend"]),
        "top_decile_share": float(deciles.loc[deciles["decile"] == 1, "share_of_actual_spend"].iloc[0])
        if total_actual else float("nan"),
        "deciles": [{k: (int(v) if k in ("decile", "customers") else _plain(v)) for k, v in row.items()}
                    for row in deciles.to_dict("records")],
        "per_customer": frame,
    }
    if calibration_spend is not None:
        rate = calibration_spend / np.maximum(T, 1.0 / UNITS[unit])  # per unit of age (at least one day)
        result["baseline_mae_spend"] = float(np.abs(rate * window - frame["actual_spend"].to_numpy()).mean())
    return result


def deciles_of(values: pd.Series) -> np.ndarray:
    """Each value's decile, 1 = the highest: decile k holds the ranks up to ceil(k / 10 x n), so
    decile 1 is the top 10 % audience (:func:`ecom_analytics.predict.audiences.audience` rounds up too);
    ties are broken by order of appearance."""
    n = len(values)
    rank = values.rank(ascending=False, method="first").to_numpy()
    bounds = np.ceil(np.round(n * np.arange(1, 11) / 10, 9))
    return np.searchsorted(bounds, rank, side="left") + 1


def _plain(value) -> float | None:
    """A float for JSON: None where it is not a number (an empty holdout's share)."""
    value = float(value)
    return None if np.isnan(value) else value


def _correlation(a: pd.Series, b: pd.Series) -> float:
    if a.std() == 0 or b.std() == 0 or len(a) < 2:
        return float("nan")
    return float(np.corrcoef(a.to_numpy(dtype=float), b.to_numpy(dtype=float))[0, 1])


def evaluation_reading(evaluation: dict, lang: str = "en") -> str:
    """The evaluation in a few sentences, in ``lang``: totals predicted against actual, the top
    decile's share of the actual spend, the error per customer against spending at the past rate."""
    e = evaluation
    parts = [translate("Over the {days} days after the calibration end, the model expected {pp} purchases and {ps} "
                       "in spend from {n} customers; they made {ap} purchases and spent {as_}.", lang,
                       days=e["holdout_days"], pp=format_number(e["predicted_purchases"], lang),
                       ps=format_number(e["predicted_spend"], lang), n=format_number(e["customers"], lang),
                       ap=format_number(e["actual_purchases"], lang), as_=format_number(e["actual_spend"], lang))]
    if e["actual_spend"] > 0:
        gap = e["predicted_spend"] / e["actual_spend"] - 1
        parts.append(translate("The total spend was over-predicted by {gap:.0%}.", lang, gap=gap) if gap >= 0 else
                     translate("The total spend was under-predicted by {gap:.0%}.", lang, gap=-gap))
        parts.append(translate("The 10 % of customers with the highest predicted value brought {share:.0%} of the "
                               "actual spend (10 % if the ranking were random).", lang, share=e["top_decile_share"]))
    if not np.isnan(e["correlation_spend"]):
        parts.append(translate("Per customer, predicted and actual spend correlate at {corr:.2f} and the mean absolute "
                               "error is {mae}.", lang, corr=e["correlation_spend"],
                               mae=format_number(e["mae_spend"], lang, 2)))
    if "baseline_mae_spend" in e:
        better = e["mae_spend"] <= e["baseline_mae_spend"]
        parts.append(translate("Spending at each customer's past rate would err by {base} per customer: the model is "
                               "better." if better else "Spending at each customer's past rate would err by {base} "
                               "per customer: the model is not better.", lang,
                               base=format_number(e["baseline_mae_spend"], lang, 2)))
    return (" " if lang == "en" else "").join(parts)


# ----------------------------------------------------------------------------- the run

@dataclass
class ClvRun:
    """A CLV run: the summary, both models, each customer's value and (with a holdout) the evaluation."""

    calibration_end: pd.Timestamp
    unit: str
    months: int
    discount_rate: float
    summary_table: pd.DataFrame
    bgnbd: BGNBD
    gamma_gamma: GammaGamma
    customers: pd.DataFrame
    evaluation: dict | None = None
    holdout_end: pd.Timestamp | None = None
    notes: list[tuple[str, dict]] = field(default_factory=list)

    def summary(self) -> dict:
        """The run as JSON-ready values: ``calibration_end``, ``unit``, ``customers``,
        ``bgnbd {r, alpha, a, b, log_likelihood}``, ``gamma_gamma {p, q, v}`` (and
        ``customers_fitted``, ``mean_spend``), ``months``, ``discount_rate``, ``totals`` and, with a
        holdout, ``evaluation`` (without the per-customer frame)."""
        c = self.customers
        out = {
            "calibration_end": f"{self.calibration_end:%Y-%m-%d}", "unit": self.unit, "customers": int(len(c)),
            "bgnbd": {**self.bgnbd.params_, "log_likelihood": self.bgnbd.log_likelihood_},
            "gamma_gamma": {**self.gamma_gamma.params_, "customers_fitted": self.gamma_gamma.n_customers_,
                            "mean_spend": self.gamma_gamma.mean_spend()},
            "months": self.months, "discount_rate": self.discount_rate,
            "totals": {"expected_purchases": float(c["expected_purchases"].sum()),
                       "expected_spend": float(c["expected_spend"].sum()), "clv": float(c["clv"].sum()),
                       "top_decile_clv_share": _plain(top_share(c["clv"], 0.10))},
        }
        if self.evaluation is not None:
            out["evaluation"] = {k: (_plain(v) if isinstance(v, float) else v)
                                 for k, v in self.evaluation.items() if k != "per_customer"}
            out["evaluation"]["holdout_end"] = f"{self.holdout_end:%Y-%m-%d}"
            out["evaluation"]["reading"] = evaluation_reading(self.evaluation)
        return out


def top_share(values: pd.Series, share: float) -> float:
    """The share of the total of ``values`` held by the top ``share`` of customers (0..1)."""
    total = float(values.sum())
    if total <= 0 or len(values) == 0:
        return float("nan")
    n = max(1, int(np.ceil(round(len(values) * share, 9))))
    return float(values.sort_values(ascending=False).head(n).sum() / total)


def run_clv(orders: pd.DataFrame, calibration_end: pd.Timestamp | str | None = None, unit: str = "weeks",
            months: int = DEFAULT_MONTHS, discount_rate: float = DEFAULT_DISCOUNT_RATE, *,
            value_col: str = "amount") -> ClvRun:
    """Fit BG/NBD and Gamma-Gamma on the orders up to ``calibration_end`` (default: the last order's
    day) and value each customer over the next ``months``; when orders exist after the calibration
    end, evaluate on them (the holdout runs to the last order's day)."""
    if unit not in UNITS:
        raise InputError("The time unit '{unit}' is not one of {units}.", unit=unit, units=', '.join(UNITS))
    if months < 1:
        raise InputError("The number of months must be at least 1 (got {n}).", n=months)
    if not (0 <= discount_rate < 1):
        raise InputError("The monthly discount rate must be at least 0 and below 1 (got {rate}); write 0.01 for 1 "
                         "% a month.", rate=discount_rate)
    occasions = purchase_occasions(orders, value_col=value_col)
    if occasions.empty:
        raise InputError("There are no orders with a customer id and a date to value customers on.")
    first_day, last_day = occasions["day"].min(), occasions["day"].max()
    end = last_day if calibration_end is None else pd.Timestamp(calibration_end).normalize()
    if end < first_day:
        raise InputError("The calibration end {end:%Y-%m-%d} is before the first order ({first_day:%Y-%m-%d}); "
                         "choose a day within the data.", end=end, first_day=first_day)
    if end > last_day:
        raise InputError("The calibration end {end:%Y-%m-%d} is after the last order ({last_day:%Y-%m-%d}); choose "
                         "a day within the data (or leave it out to use all of it).", end=end, last_day=last_day)
    calibration = occasions[occasions["day"] <= end]
    summary = _summary(calibration, end, unit)
    summary["calibration_spend"] = calibration.groupby("customer_id")["value"].sum().reindex(summary.index)
    if (summary["frequency"] > 0).sum() < MIN_REPEAT_CUSTOMERS:
        raise InputError("Only {n} customers bought on more than one day before {end:%Y-%m-%d}; CLV needs at least "
                         "{min_repeat_customers}. Choose a later calibration end or use a longer history.",
                         n=int((summary['frequency'] > 0).sum()), end=end, min_repeat_customers=MIN_REPEAT_CUSTOMERS)
    bgnbd = BGNBD().fit(summary["frequency"], summary["recency"], summary["T"])
    gamma_gamma = GammaGamma().fit(summary["frequency"], summary["monetary_value"])
    customers = customer_value(bgnbd, gamma_gamma, summary, unit, months, discount_rate)
    cautions: list[tuple[str, dict]] = []  # coded (code, values): the UI and the CLI word them
    repeat = summary[summary["frequency"] > 0]
    if len(repeat) > 2:
        corr = float(np.corrcoef(repeat["frequency"], repeat["monetary_value"])[0, 1])
        if abs(corr) > 0.3:  # Gamma-Gamma assumes spend independent of frequency (Fader & Hardie)
            cautions.append(("frequency_spend_correlated", {"correlation": corr}))
    run = ClvRun(end, unit, months, discount_rate, summary, bgnbd, gamma_gamma, customers, notes=cautions)
    if last_day > end:
        actuals = holdout_actuals(occasions.rename(columns={"day": "timestamp"}), end, last_day,
                                  time_col="timestamp", value_col="value")
        run.evaluation = evaluate_clv(bgnbd, gamma_gamma, summary, actuals, unit, int((last_day - end).days))
        run.holdout_end = last_day
    return run


def value_deciles(customers: pd.DataFrame) -> pd.DataFrame:
    """Customers by decile of lifetime value (1 = the 10 % with the highest ``clv``): ``customers``,
    ``clv`` (sum), ``share_of_clv``, ``expected_purchases`` and ``expected_spend`` (sums),
    ``probability_alive`` (mean). Aggregates only: no customer ids."""
    out = (customers.assign(decile=deciles_of(customers["clv"])).groupby("decile")
           .agg(customers=("clv", "size"), clv=("clv", "sum"), expected_purchases=("expected_purchases", "sum"),
                expected_spend=("expected_spend", "sum"), probability_alive=("probability_alive", "mean"))
           .reset_index())
    total = float(customers["clv"].sum())
    out.insert(3, "share_of_clv", out["clv"] / total if total > 0 else np.nan)
    return out


def default_calibration_end(orders: pd.DataFrame, months: int = DEFAULT_MONTHS) -> pd.Timestamp:
    """The calibration end that keeps a holdout of ``months`` (at most a third of the history) after
    it: the day the page evaluates on, in days before the last order."""
    days = pd.to_datetime(orders["timestamp"]).dt.normalize()
    first, last = days.min(), days.max()
    holdout = min(int(round(months * DAYS_PER_MONTH)), int((last - first).days // 3))
    return last - pd.Timedelta(days=max(holdout, 1))


def export_table(run: ClvRun) -> pd.DataFrame:
    """Each customer's value as the CSV gives it: id, summary, P(alive), expected purchases and
    spend over the run's months, CLV; rank 1 = highest CLV; with a holdout, the actual purchases
    and spend in it."""
    out = run.customers.copy()
    out.insert(0, "rank", np.arange(1, len(out) + 1))
    if run.evaluation is not None:
        actual = run.evaluation["per_customer"][["actual_purchases", "actual_spend"]]
        out = out.join(actual.rename(columns=lambda c: f"holdout_{c}"))
    return out


# ----------------------------------------------------------------------------- the run layer

#: the note made when frequency and spend per purchase correlate (Gamma-Gamma assumes they do not)
CORRELATED_NOTE = ("Frequency and spend per purchase correlate at {correlation:.2f} among repeat customers; the spend "
                   "model assumes they are independent, so read the spend with care.")
CLV_MODELS = {"bgnbd": "BG/NBD", "gamma_gamma": "Gamma-Gamma"}


@dataclass(frozen=True)
class ClvSettings:
    """What a CLV run is asked for: ``months`` ahead to value, ``discount_rate`` per month (0.01 =
    1 %), the time ``unit`` of the models (days or weeks) and the calibration end: ``holdout`` True
    fits up to :func:`default_calibration_end` and checks on the orders after it; otherwise
    ``calibration_end`` (ISO day; None: the last order's day, no holdout)."""

    months: int = DEFAULT_MONTHS
    discount_rate: float = DEFAULT_DISCOUNT_RATE
    unit: str = "weeks"
    calibration_end: str | None = None
    holdout: bool = False


def run(workspace, datasets, settings: ClvSettings, on_progress=None):
    """The CLV run of the run layer: the orders of ``datasets`` (stored dataset ids by role, or an
    :class:`ecom_analytics.ingest.inputs.Inputs` already read) valued with ``settings``.

    Returns an :class:`ecom_analytics.runs.Run`: ``result`` the :class:`ClvRun`, ``summary`` its
    ``summary()`` (the ``clv`` command's ``--json``), ``leaderboard`` one row per fitted model with
    its parameters (BG/NBD's log-likelihood too), ``best_model`` None (the two models work as a
    pair, nothing is ranked), ``notes`` the cautions as coded notes."""
    from ecom_analytics.ingest.inputs import ROLES, Inputs, load_inputs
    from ecom_analytics.runs import Note, Run, no_progress

    say = on_progress or no_progress
    if isinstance(datasets, Inputs):
        inputs = datasets
    else:
        inputs = load_inputs(workspace, datasets)
    if inputs.orders is None:
        raise InputError("Lifetime value is computed from orders; give an orders file or dataset.")
    say(0.0, "Fitting BG/NBD and Gamma-Gamma")
    end = default_calibration_end(inputs.orders, settings.months) if settings.holdout else settings.calibration_end
    result = run_clv(inputs.orders, end, settings.unit, settings.months, settings.discount_rate)
    board = pd.DataFrame([
        {"model": "bgnbd", "label": CLV_MODELS["bgnbd"], **result.bgnbd.params_,
         "log_likelihood": result.bgnbd.log_likelihood_, "customers_fitted": int(len(result.summary_table))},
        {"model": "gamma_gamma", "label": CLV_MODELS["gamma_gamma"], **result.gamma_gamma.params_,
         "customers_fitted": int(result.gamma_gamma.n_customers_)}])
    notes = [Note(CORRELATED_NOTE, {"correlation": values["correlation"]}, "warning")
             for code, values in result.notes if code == "frequency_spend_correlated"]
    say(1.0, "Done")
    ids = {role: (inputs.datasets or {}).get(role) for role in ROLES} if isinstance(datasets, Inputs) \
        else {role: datasets.get(role) for role in ROLES}
    return Run(capability="clv", datasets=ids, settings=settings, leaderboard=board, best_model=None, notes=notes,
               summary=result.summary(), result=result)
