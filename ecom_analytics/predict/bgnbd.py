"""BG/NBD ("Beta-Geometric / Negative Binomial Distribution", Fader, Hardie & Lee 2005).

Each customer buys at a Poisson rate lambda ~ Gamma(r, alpha) while alive and, after each
purchase, drops out with probability p ~ Beta(a, b). Fitted by maximum likelihood on each
customer's repeat frequency ``x`` (purchases after the first), recency ``t_x`` (time of the last
purchase since the first) and age ``T`` (time from the first purchase to the cutoff), in any
time unit (the fitted ``alpha`` is in that unit).

P(alive), the conditional expected purchases and the distribution of purchases in a window after
the cutoff (dropout inside it included) are the closed forms of Fader, Hardie & Lee.

Implemented here (the ``lifetimes`` package is unmaintained and does not install with current
pandas/NumPy); a test recovers the published CDNOW parameters r = 0.243, alpha = 4.414,
a = 0.793, b = 2.426 (weeks), log-likelihood -9582.4.
"""

from __future__ import annotations

import numpy as np
from scipy import optimize, special


def _log_likelihood(params: np.ndarray, x: np.ndarray, t_x: np.ndarray, T: np.ndarray) -> np.ndarray:
    r, alpha, a, b = params
    a1 = special.gammaln(r + x) - special.gammaln(r) + r * np.log(alpha)
    a2 = special.gammaln(a + b) + special.gammaln(b + x) - special.gammaln(b) - special.gammaln(a + b + x)
    a3 = -(r + x) * np.log(alpha + T)
    with np.errstate(divide="ignore", invalid="ignore"):
        a4 = np.where(x > 0, np.log(a) - np.log(np.maximum(b + x - 1, 1e-12)) - (r + x) * np.log(alpha + t_x), -np.inf)
    return a1 + a2 + np.logaddexp(a3, a4)


def minimise_in_logs(objective, starts, *, ftol: float = 1e-12) -> np.ndarray:
    """The positive parameters minimising ``objective`` (a function of their logs), by L-BFGS-B from
    each of ``starts`` (parameter values), the best run kept. Bounded in [1e-4, 1e4]: far outside,
    the log-gamma differences of these likelihoods lose all precision."""
    best = None
    for start in starts:
        res = optimize.minimize(objective, np.log(start), method="L-BFGS-B", bounds=[(-9.2, 9.2)] * len(start),
                                options={"maxiter": 2000, "ftol": ftol, "gtol": 1e-9})
        if best is None or res.fun < best.fun:
            best = res
    return np.exp(best.x)


class BGNBD:
    """BG/NBD model with a scikit-learn-like interface.

    Parameters
    ----------
    penalizer : L2 penalty on the four parameters (0 = plain maximum likelihood).
    """

    def __init__(self, penalizer: float = 0.0) -> None:
        self.penalizer = penalizer

    def fit(self, frequency, recency, age, weights=None) -> "BGNBD":
        """Fit r, alpha, a, b to repeat frequency, recency and age arrays; returns self."""
        x, t_x, T = (np.asarray(v, dtype=float) for v in (frequency, recency, age))
        w = np.ones_like(x) if weights is None else np.asarray(weights, dtype=float)
        if len(x) == 0:
            raise ValueError("BG/NBD needs at least one customer")
        if np.any(t_x > T + 1e-9) or np.any(x < 0):
            raise ValueError("recency must not exceed age, and frequency must be >= 0")
        scale = max(float(np.mean(T)), 1e-9)  # fit on a unit scale for numerical stability

        def objective(log_params: np.ndarray) -> float:
            params = np.exp(log_params)
            params_scaled = params.copy()
            params_scaled[1] *= scale
            ll = _log_likelihood(params_scaled, x, t_x, T)
            return -(np.sum(w * ll) / np.sum(w)) + self.penalizer * np.sum(params ** 2)

        params = minimise_in_logs(objective, ([0.5, 1.0, 1.0, 1.0], [0.1, 0.1, 0.5, 2.0], [1.0, 5.0, 2.0, 2.0]),
                                  ftol=1e-12)
        params[1] *= scale
        self.r_, self.alpha_, self.a_, self.b_ = (float(v) for v in params)
        self.log_likelihood_ = float(np.sum(w * _log_likelihood(params, x, t_x, T)))
        return self

    @property
    def params_(self) -> dict[str, float]:
        """Fitted parameters as a dict (raises if not fitted)."""
        self._check()
        return {"r": self.r_, "alpha": self.alpha_, "a": self.a_, "b": self.b_}

    def _check(self) -> None:
        if not hasattr(self, "r_"):
            raise RuntimeError("This BGNBD model is not fitted yet; call fit() first.")

    def probability_alive(self, frequency, recency, age) -> np.ndarray:
        """P(the customer is still active at the cutoff)."""
        self._check()
        x, t_x, T = (np.asarray(v, dtype=float) for v in (frequency, recency, age))
        r, alpha, a, b = self.r_, self.alpha_, self.a_, self.b_
        with np.errstate(divide="ignore", over="ignore"):
            ratio = np.where(x > 0, a / np.maximum(b + x - 1, 1e-12) * ((alpha + T) / (alpha + t_x)) ** (r + x), 0.0)
        return 1.0 / (1.0 + ratio)

    def expected_purchases(self, t: float, frequency, recency, age) -> np.ndarray:
        """Expected number of purchases in the ``t`` time units after the cutoff."""
        self._check()
        x, t_x, T = (np.asarray(v, dtype=float) for v in (frequency, recency, age))
        r, alpha, a, b = self.r_, self.alpha_, self.a_, self.b_
        hyp = special.hyp2f1(r + x, b + x, a + b + x - 1, t / (alpha + T + t))
        first = (a + b + x - 1) / (a - 1) if abs(a - 1) > 1e-9 else np.full_like(x, 1e9)
        numer = first * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * hyp)
        with np.errstate(divide="ignore", over="ignore"):
            denom = 1 + np.where(x > 0, a / np.maximum(b + x - 1, 1e-12) * ((alpha + T) / (alpha + t_x)) ** (r + x), 0.0)
        return np.clip(numer / denom, 0.0, None)

    def probability_of_n_purchases(self, n: int, t: float, frequency, recency, age) -> np.ndarray:
        """P(exactly ``n`` purchases in the ``t`` time units after the cutoff | x, t_x, T), dropout
        inside the window included (Fader, Hardie & Lee, "Deriving an expression for
        P(X(t) = x) under the Pareto/NBD and BG/NBD models", eq. for P(X(T, T + t) = n | x, t_x, T);
        lifetimes' ``conditional_probability_of_n_purchases_up_to_time``).

        Given alive at the cutoff, lambda ~ Gamma(r + x, alpha + T) and p ~ Beta(a, b + x); the
        customer buys ``n`` times and is still alive, or buys ``n`` times and drops out after the
        n-th purchase (before the window ends). A customer not alive buys nothing."""
        self._check()
        if n < 0 or int(n) != n:
            raise ValueError("n must be a whole number of purchases >= 0")
        n = int(n)
        x, t_x, T = (np.asarray(v, dtype=float) for v in (frequency, recency, age))
        r, alpha, a, b = self.r_, self.alpha_, self.a_, self.b_
        log_stay = (r + x) * np.log((alpha + T) / (alpha + T + t))  # log P(no purchase in t | alive, posterior)
        log_z = np.log(t / (alpha + T + t)) if t > 0 else -np.inf
        log_beta_base = special.betaln(a, b + x)
        with np.errstate(divide="ignore", invalid="ignore"):
            first = np.exp(special.betaln(a, b + x + n) - log_beta_base + special.gammaln(r + x + n)
                           - special.gammaln(r + x) - special.gammaln(n + 1) + log_stay
                           + (n * log_z if n > 0 else 0.0))
        if n > 0:
            j = np.arange(n, dtype=float).reshape((n,) + (1,) * x.ndim)
            with np.errstate(divide="ignore", invalid="ignore"):
                terms = np.exp(special.gammaln(r + x + j) - special.gammaln(r + x) - special.gammaln(j + 1)
                               + (j * log_z if t > 0 else np.where(j == 0, 0.0, -np.inf)))
            second = np.exp(special.betaln(a + 1, b + x + n - 1) - log_beta_base) * (
                1 - np.exp(log_stay) * terms.sum(axis=0))
        else:
            second = 0.0
        alive = self.probability_alive(x, t_x, T)
        return alive * (first + second) + (1 - alive) * (n == 0)

    def probability_of_purchase(self, t: float, frequency, recency, age) -> np.ndarray:
        """P(at least one purchase in the ``t`` time units after the cutoff) = 1 - P(no purchase),
        exact under BG/NBD: :meth:`probability_of_n_purchases` with n = 0, the chance of having
        dropped out before the cutoff included. A customer drops out only right after a purchase,
        so one alive at the cutoff cannot drop out before the window's first purchase: the result
        equals P(alive) x (1 - ((alpha + T) / (alpha + T + t)) ** (r + x))."""
        return 1.0 - self.probability_of_n_purchases(0, t, frequency, recency, age)
