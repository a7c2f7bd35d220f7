"""The words of the reasons behind a score (see :mod:`ecom_analytics.predict.explain`): each constant
is a note code, the English template with ``{fields}``, translated through ``notes.po``.

A reason is ``EFFECT`` filled with ``what`` (a feature's value in words, one of ``VALUE_PHRASES``) and
the size of its contribution: "212 days since the last order lowers the chance of buying by 18 points".
"""

# --- the effect of one feature on the score -------------------------------------------------------
RAISES_PURCHASE = "{what} raises the chance of buying by {points} points"
LOWERS_PURCHASE = "{what} lowers the chance of buying by {points} points"
RAISES_CHURN = "{what} raises the chance of going quiet by {points} points"
LOWERS_CHURN = "{what} lowers the chance of going quiet by {points} points"
RAISES_REVENUE = "{what} raises the predicted revenue by {amount}"
LOWERS_REVENUE = "{what} lowers the predicted revenue by {amount}"

# --- a feature's value in words ({value} formatted for the language, {days} a window's length) -------
RECENCY = "{value} days since the last order"
TENURE = "{value} days since the first order"
ORDERS = "{value} orders so far"
ACTIVE_DAYS = "{value} days with an order"
ACTIVE_MONTHS = "{value} months with an order"
UNITS = "{value} units bought"
ORDER_RATE = "{value} orders per 30 days"
OVERDUE = "an overdue score of {value} (above 0: the next order is later than usual)"
REVENUE_TOTAL = "{value} spent in total"
REVENUE_MEAN = "{value} per order on average"
REVENUE_MAX = "a largest order of {value}"
GAP_MEAN = "{value} days between orders on average"
GAP_STD = "a spread of {value} days between orders"
ORDERS_WINDOW = "{value} orders in the last {days} days"
REVENUE_WINDOW = "{value} spent in the last {days} days"
TREND = "a revenue trend of {value} (-1 falling to +1 rising)"
PRODUCTS = "{value} different products bought"
CATEGORIES = "{value} different categories bought"
TOP_CATEGORY = "{value} of lines in the favourite category"
RETURN_RATE = "a return rate of {value}"
COUNTRY = "country {value}"
WEEKDAY = "ordering mostly on {value}"
HOUR = "ordering mostly at {value}:00"
VIEWS_WINDOW = "{value} product views in the last {days} days"
CARTS_WINDOW = "{value} add-to-carts in the last {days} days"
WISHLISTS_WINDOW = "{value} wishlist adds in the last {days} days"
PURCHASE_EVENTS_WINDOW = "{value} purchase events in the last {days} days"
VIEW_TO_CART = "{value} of views put in the cart"
CART_TO_PURCHASE = "{value} of carts bought"
SESSIONS_WINDOW = "{value} sessions in the last {days} days"
LAST_EVENT = "{value} days since the last visit"
PRODUCTS_VIEWED = "{value} different products viewed in the last {days} days"
OTHER_FEATURE = "{feature} of {value}"
MISSING = "no value for {feature}"
#: the bar of the waterfall that gathers the features after the largest ones
OTHER_FEATURES = "{n} other features"

# --- how each model's values are computed (shown under the waterfall) -----------------------------
METHOD_LINEAR = "exact, from the coefficients"
METHOD_TREES = "exact TreeSHAP over the trees"
METHOD_SAMPLED = "sampled over permutations of the features"
METHOD_ENUMERATED = "exact, over every subset of its inputs"
