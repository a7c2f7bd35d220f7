"""Sample data for a one-click try-out: a real orders subset and synthetic behaviour events.

Two files live in the package's ``ecom_analytics/sample_data/`` folder (see its README), installed
with the package and found with :mod:`importlib.resources` (:func:`sample_file`):

* ``online_retail_sample.csv.gz``: a real subset of UCI Online Retail (CC BY 4.0), lines
  copied byte for byte from the original file. :func:`build_orders_sample` makes it.
* ``events_sample.csv.gz``: **synthetic** behaviour events (view, cart, remove_from_cart,
  wishlist, purchase), made by :func:`generate_events` from the orders sample. Online Retail
  has no clickstream; these events are invented to agree with the real orders, so that the
  funnel and session pages have something to show. They are not anyone's real behaviour.

The event generator's model
---------------------------
It simulates a shop's web log around real orders: every order line really bought in the
window is a purchase in the log, and around the purchases it invents the browsing that could
have led to them and the browsing that led nowhere. Input is a canonical orders table; only
order lines with ``quantity > 0``, ``unit_price > 0`` and a customer are used. The window is
the last ``days`` days up to the latest such order line: ``(latest - days, latest]``.

1. **Purchase sessions.** Every order (customer, order_id, timestamp) in the window is one
   session ending at the order's timestamp. Each order line gives ``1 + Poisson(repeat_views)``
   views of its product, then a cart event, and at the order's timestamp a purchase event
   (price = the line's unit price). Mixed in are ``Poisson(considered_per_line)`` products per
   line that are viewed but not bought: each is carted with probability ``cart_rate``, a cart
   then removed with probability ``remove_rate`` (else left in the cart), and wishlisted with
   probability ``wishlist_rate``. The products come in random order; per product: views,
   wishlist, cart, remove.
2. **Browsing sessions that do not convert.** A customer who orders in the window gets
   ``Poisson(browse_sessions_per_order x their orders in the window)`` of them. Of the
   customers who ordered only before the window, a share ``lapsed_browser_share`` gets
   ``1 + Poisson(1)`` each: they only browse in the window. A browsing session views a
   Geometric number of products with mean ``browse_views_per_line x basket`` (``basket`` = the
   customer's mean lines per order, so wholesale buyers with big baskets browse more; the mean
   is kept between 1 and ``max_browse_views``). A share ``cart_session_share`` of browsing
   sessions put products in the cart (each viewed product with probability ``cart_rate``, then
   removed with probability ``remove_rate``) and leave without buying; the others only view
   (and rarely wishlist). A purchaser's browsing session starts a whole number of days
   (``Geometric(0.35)``, mean about 3) before (70%) or after one of their orders, give or take
   a normal jitter of 90 minutes, so the orders' time-of-day pattern carries over (though not
   their weekday pattern: Online Retail has no Saturday orders, the events do browse on
   Saturdays); a lapsed customer's starts near a random order time of the window.
3. **Products and prices.** A browsed or considered product is, with probability
   ``own_product_share``, one the customer bought at some time in the orders, else drawn in
   proportion to its number of order lines in the window (popular products get more views).
   Non-merchandise (postage, fees, manual adjustments: category "Postage & fees") is bought but
   never browsed. Browsing prices are the product's most frequent unit price in the window
   (else in all orders); purchase-session prices are the order line's unit price.
4. **Timing.** Consecutive events of a session are a log-normal gap apart (median
   ``median_gap_seconds``, whole seconds, at least 1 s, at most 15 min); a session's gaps are
   shrunk if it would last longer than ``max_session_minutes`` (or, for a purchase session,
   would start before the window). So within a session timestamps strictly increase, except
   that all purchase events of one order share the order's exact timestamp (one checkout),
   after every other event of the session. Sessions of one customer may overlap in time.
5. **Columns.** ``user_id`` is the customer id. ``category`` is the orders' ``category`` when
   given, else :func:`infer_category` of ``product_name``, else "other". ``brand`` is left
   empty: Online Retail has no brands, and made-up ones would show patterns that do not exist.
   ``session_id`` is ``"s"`` + a zero-padded number in order of session start. Rows are sorted
   by timestamp, then session, then step.

With the defaults on Online Retail about a quarter of view events are followed by a cart
event and about half of cart events by a purchase (counting events); see
``ecom_analytics/sample_data/README.md`` for the figures measured on the sample. The same orders, seed and
parameters always give the same frame (the input's row order does not matter).

What it does NOT simulate: visitors who never bought anything (every user is a customer of
the orders) or anonymous visitors, search, referrers and marketing, devices, category or price
preferences steering browsing, stock-outs, returns and cancellations (negative lines are
ignored), carts bought in a later session, or any trend beyond the orders' own timing. Funnel
rates, session lengths and gaps follow from the parameters above, not from data: do not draw
conclusions about real shoppers from these events.

Run ``python -m ecom_analytics.sample`` to regenerate ``ecom_analytics/sample_data/events_sample.csv.gz``
(in a source checkout: an installed package's folder is not meant to be written).
"""

from __future__ import annotations

import argparse
import csv
import gzip
import re
from importlib import resources
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from ecom_analytics.exports import write_table

SAMPLE_FILES = ("online_retail_sample.csv.gz", "events_sample.csv.gz", "campaign_sample.csv.gz")


def _package_path(name: str) -> Path:
    """Where the package data file ``sample_data/<name>`` of ``ecom_analytics`` is (it may not exist yet)."""
    return Path(str(resources.files("ecom_analytics").joinpath("sample_data", name)))


def sample_file(name: str) -> Path:
    """The path of the shipped sample file ``name`` (one of :data:`SAMPLE_FILES`, or ``README.md``).

    It is package data of ``ecom_analytics``, found with :mod:`importlib.resources`, so it is the
    same file in a source checkout and in an installed package (``pip install .`` installs the
    folder). An installed package lives on the file system, so the result is a real
    :class:`~pathlib.Path` (``pandas.read_csv``, ``.read_bytes()``, ``.stat()`` all work).
    Raises :class:`FileNotFoundError` with one sentence when the file is not there.
    """
    path = _package_path(name)
    if not path.is_file():
        raise FileNotFoundError(f"The sample file {name} is not installed with ecom_analytics; "
                                "reinstall the package (pip install .) or use a source checkout.")
    return path


SAMPLE_DIR: Path = _package_path("")
SAMPLE_ORDERS: Path = _package_path("online_retail_sample.csv.gz")
SAMPLE_EVENTS: Path = _package_path("events_sample.csv.gz")
SAMPLE_CAMPAIGN: Path = _package_path("campaign_sample.csv.gz")

#: days of events written to ``events_sample.csv.gz`` (kept small so the file stays small)
SAMPLE_EVENT_DAYS = 30
SAMPLE_EVENT_SEED = 7

EVENT_TYPES = ("view", "cart", "remove_from_cart", "wishlist", "purchase")
EVENT_COLUMNS = ["user_id", "timestamp", "event_type", "product_id", "category", "brand", "price",
                 "session_id"]
ORDERS_HEADER = "InvoiceNo,StockCode,Description,Quantity,InvoiceDate,UnitPrice,CustomerID,Country"
FEES_CATEGORY = "Postage & fees"

# First match wins, so the more specific rules come first. Matched on whole words of the
# upper-cased product name.
_CATEGORY_RULES: list[tuple[str, str]] = [
    (FEES_CATEGORY, r"POSTAGE|^CARRIAGE$|NEXT DAY CARRIAGE|MANUAL|BANK CHARGES?|AMAZON FEE|DISCOUNT|SAMPLES?|CRUK"
                    r"|ADJUST(MENT)?|VOUCHER|DOTCOM"),
    ("Christmas", r"CHRISTMAS|XMAS|ADVENT|SANTA|REINDEER|SNOWFLAKES?|NATIVITY|SNOWMAN|ELF|SLEIGH"),
    ("Candles & lights", r"CANDLES?|T-LIGHTS?|TEA ?LIGHTS?|LIGHTS?|LANTERNS?|INCENSE|OIL BURNER"
                         r"|LAMPS?|NIGHT ?LIGHT|CANDLEHOLDER|TEALIGHT"),
    ("Toys & games", r"TOYS?|GAMES?|DOLLY|DOLLS?|JIGSAWS?|PUZZLES?|SPACEBOY|SKIPPING ROPE"
                     r"|PLAYING CARDS|BALLOONS?|CRAYONS|TEDDY|SOLDIERS?|DOMINOES|SPINNING TOP"
                     r"|MARBLES|KNITTING|FELTCRAFT|COLOURING|PLAYHOUSE|MAGIC|BUILDING BLOCK|SPINNING TOPS|GLIDERS"
                     r"|BINGO|PAINT SET|LADDERS|LUDO|NAUGHTS|STENCIL|CRAFT|MODELLING|TATTOOS|KIDS"),
    ("Jewellery & accessories", r"NECKLACE|BRACELET|EARRINGS|RINGS?|HAIR ?(CLIPS?|BAND|GRIPS?|COMB|SLIDES?)?"
                                r"|BROOCH|CHARMS?|BEADS?|DIAMANTE|UMBRELLA|SCARF|GLOVES|HANDBAG"
                                r"|JEWELLERY|JEWELLED|BLING|SUNGLASSES|WALLET|MIRROR COMPACT|HAND WARMER|LIP GLOSS|KEY FOB"),
    ("Bags", r"BAGS?|PURSES?|SHOPPER|TOTE|RUCKSACK|BACKPACK|SATCHEL"),
    ("Stationery", r"NOTEBOOKS?|NOTE ?BOOK|PENCILS?|PENS?|STICKERS?|ERASERS?|RUBBERS?|JOURNAL"
                   r"|DIARY|CALENDAR|CHALK|TAPE|BOOKMARKS?|PADS?|STATIONERY|MEMO|ORGANISER"
                   r"|SHARPENER|RULER|BOOKS?|NOTEPAD|WRITING SET|SKETCHBOOK|STAMP SET|SEWING KIT"),
    ("Cards & gift wrap", r"CARDS?|WRAP|WRAPPING|GIFT TAGS?|TISSUES?|RIBBONS?|ENVELOPES?|PAPER"
                          r"|GIFT BOX"),
    ("Party", r"PARTY|BUNTING|GARLAND|BANNER|CAKE CASES|NAPKINS?|PARASOL|STRAWS?|DOILY|DOILIES"),
    ("Tableware & mugs", r"MUGS?|CUPS?|TEACUPS?|SAUCERS?|PLATES?|BOWLS?|CUTLERY|TRAY|BEAKERS?"
                         r"|GLASS(ES)?|TUMBLERS?|JUG|TEAPOT|COASTERS?|DISH|EGG CUP|CAKESTAND"
                         r"|CAKE STAND|SPOONS?|PLACEMATS?"),
    ("Kitchen & baking", r"CAKE|BAKING|LUNCH ?BOX|JAM|APRON|KITCHEN|TINS?|JARS?|PANTRY|RECIPE"
                         r"|OVEN GLOVE|TEA TOWELS?|BISCUIT|PAN|CHOPPING|BREAD|SCALES|TIMER"
                         r"|MOULD|SUGAR|MILK|TEA|COFFEE|STORAGE|COOKIE CUTTERS?|MINI CASES|CONTAINER|PEGS"),
    ("Garden", r"GARDEN|PLANTS?|PLANTERS?|WATERING|BIRD ?(HOUSE|FEEDER|TABLE|BATH)"
               r"|FLOWER ?POTS?|HERB|SEEDS?|GNOME|TROWEL|WINDMILL|WIND CHIME"),
    ("Home decor", r"FRAMES?|SIGN|CLOCK|HOOKS?|CUSHION|DOORMAT|MIRROR|DECORATION|HEARTS?"
                   r"|ORNAMENT|VASE|WALL|DRAWERS?|CABINET|BOX(ES)?|BASKETS?|WREATH|HANGER"
                   r"|KNOB|DOORSTOP|CURTAIN|QUILT|THROW|BOTTLE|MAGNETS?|PLAQUE|HOLDER|CHIME"
                   r"|BLANKET|TOWEL|BATHROOM|CUSHION COVER|LAMPSHADE|SHELF|RACK|DOOR|CHALKBOARD|BLACK ?BOARD"
                   r"|MEMOBOARD|CHEST|WICKER|CRATES?|PIGGY BANK|MAT|PHOTO|STAR|BELLS"),
]
_OTHER = "other"
_MAX_GAP_SECONDS = 15 * 60


def infer_category(product_name: pd.Series) -> pd.Series:
    """A readable product category from a product name, by keyword, else "other".

    The rules (``_CATEGORY_RULES``) are tried in order and the first whose keyword appears
    as a whole word in the upper-cased name wins: e.g. "WHITE HANGING HEART T-LIGHT HOLDER"
    -> "Candles & lights", "JUMBO BAG RED RETROSPOT" -> "Bags", "POSTAGE" -> "Postage & fees".
    Missing names give "other". The result has ``product_name``'s index and ``str`` values.
    """
    names = product_name.astype("string").fillna("").str.upper()
    out = pd.Series(_OTHER, index=product_name.index, dtype="str")
    unset = np.ones(len(names), dtype=bool)
    for category, pattern in _CATEGORY_RULES:
        pattern = re.sub(r"\((?!\?)", "(?:", pattern)
        hit = names.str.contains(rf"\b(?:{pattern})\b", regex=True).to_numpy(dtype=bool, na_value=False)
        take = hit & unset
        out[take] = category
        unset &= ~take
    return out


# --------------------------------------------------------------------------- orders sample


def build_orders_sample(source: str | Path, dest: str | Path = SAMPLE_ORDERS, *, seed: int = 42,
                        customer_fraction: float = 1 / 3,
                        anonymous_invoice_fraction: float = 0.10) -> dict[str, int]:
    """Write a real subset of the UCI Online Retail CSV ``source`` (plain or .gz) to ``dest``.

    Rule: ``rng = numpy.random.default_rng(seed)``; from the sorted distinct non-empty
    CustomerIDs pick ``round(n * customer_fraction)`` without replacement
    (``rng.choice``); then, with the same generator, from the sorted distinct InvoiceNos of
    lines without a CustomerID pick ``round(n * anonymous_invoice_fraction)``. Keep the header
    and every line whose CustomerID was picked or whose (empty-CustomerID) invoice was picked,
    in the original order, byte for byte. ``dest`` is gzip level 9 with mtime 0, so the same
    input gives the same bytes. Returns counts of what was kept.
    """
    source = Path(source)
    opener = gzip.open if source.suffix == ".gz" else open
    with opener(source, "rb") as fh:
        raw = fh.read()
    lines = raw.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    header, body = lines[0], lines[1:]
    if header.decode("utf-8").strip() != ORDERS_HEADER:
        raise ValueError(f"{source} does not start with the Online Retail header")
    rows = list(csv.reader(line.decode("utf-8") for line in body))
    if len(rows) != len(body) or any(len(r) != 8 for r in rows):
        raise ValueError("a line does not parse to 8 fields (quoted newline?)")
    invoice = np.array([r[0] for r in rows], dtype=object)
    customer = np.array([r[6] for r in rows], dtype=object)
    anonymous = customer == ""

    rng = np.random.default_rng(seed)
    customers = np.array(sorted(set(customer[~anonymous])), dtype=object)
    picked_customers = set(rng.choice(customers, size=round(len(customers) * customer_fraction), replace=False))
    anon_invoices = np.array(sorted(set(invoice[anonymous])), dtype=object)
    picked_invoices = set(rng.choice(anon_invoices, size=round(len(anon_invoices) * anonymous_invoice_fraction),
                                     replace=False))

    keep = [(c in picked_customers) if c else (i in picked_invoices) for i, c in zip(invoice, customer)]
    kept = [line for line, k in zip(body, keep) if k]
    data = b"\n".join([header, *kept]) + b"\n"
    Path(dest).write_bytes(gzip.compress(data, compresslevel=9, mtime=0))
    n_anon = sum(1 for line, r, k in zip(body, rows, keep) if k and r[6] == "")
    return {"lines": len(kept), "customers": len(picked_customers), "anonymous_invoices": len(picked_invoices),
            "anonymous_lines": n_anon, "source_lines": len(body)}


def _read_orders_sample(path: str | Path = SAMPLE_ORDERS) -> pd.DataFrame:
    """The orders sample as a minimal canonical frame (the app has its own readers)."""
    raw = pd.read_csv(path, dtype={"InvoiceNo": "str", "StockCode": "str", "Description": "str",
                                   "CustomerID": "str", "Country": "str"}, keep_default_na=False,
                      na_values={"CustomerID": [""], "Description": [""]})
    out = raw.rename(columns={"InvoiceNo": "order_id", "StockCode": "product_id", "Description": "product_name",
                              "Quantity": "quantity", "InvoiceDate": "timestamp", "UnitPrice": "unit_price",
                              "CustomerID": "customer_id", "Country": "country"})
    out["timestamp"] = pd.to_datetime(out["timestamp"], format="%Y-%m-%d %H:%M:%S")
    out["customer_id"] = out["customer_id"].str.replace(r"\.0$", "", regex=True)
    out["quantity"] = out["quantity"].astype("float64")
    out["unit_price"] = out["unit_price"].astype("float64")
    return out


# --------------------------------------------------------------------------- events


def _mode_per_key(keys: pd.Series, values: pd.Series) -> pd.Series:
    """The most frequent value per key (ties: the smallest value), indexed by key."""
    counts = pd.DataFrame({"k": keys.to_numpy(), "v": values.to_numpy()}).dropna().value_counts().reset_index(name="n")
    counts = counts.sort_values(["k", "n", "v"], ascending=[True, False, True], kind="stable")
    return counts.drop_duplicates("k").set_index("k")["v"]


def _pick_in_groups(rng: np.random.Generator, owner: np.ndarray, starts: np.ndarray,
                    counts: np.ndarray) -> np.ndarray:
    """For each entry of ``owner`` (a group number) a uniformly random row index of its group."""
    return starts[owner] + np.floor(rng.random(len(owner)) * counts[owner]).astype(np.int64)


def generate_events(orders: pd.DataFrame, *, seed: int = 7, days: int = 90, repeat_views: float = 0.3,
                    considered_per_line: float = 1.5, browse_sessions_per_order: float = 4.0,
                    browse_views_per_line: float = 0.9, max_browse_views: float = 60.0,
                    cart_session_share: float = 0.25, cart_rate: float = 0.4, remove_rate: float = 0.35,
                    wishlist_rate: float = 0.01, own_product_share: float = 0.3,
                    lapsed_browser_share: float = 0.3, median_gap_seconds: float = 30.0,
                    max_session_minutes: float = 120.0) -> pd.DataFrame:
    """Synthetic behaviour events that agree with ``orders`` (see the module docstring).

    ``orders`` needs ``customer_id``, ``order_id``, ``timestamp`` (naive datetime),
    ``product_id``, ``unit_price`` and ``quantity``; ``category`` and ``product_name`` are used
    when present. Returns the columns ``user_id, timestamp, event_type, product_id, category,
    brand, price, session_id`` sorted by timestamp, session and step, with the last ``days``
    days of the usable order lines. The same ``orders`` and parameters give the same frame.
    """
    if days <= 0:
        raise ValueError("days must be positive")
    rng = np.random.default_rng(seed)
    need = ["customer_id", "order_id", "timestamp", "product_id", "unit_price", "quantity"]
    missing = [c for c in need if c not in orders.columns]
    if missing:
        raise ValueError(f"orders lack columns: {', '.join(missing)}")

    o = pd.DataFrame({
        "customer_id": orders["customer_id"].astype("string").str.strip(),
        "order_id": orders["order_id"].astype("string"),
        "timestamp": pd.to_datetime(orders["timestamp"]).astype("datetime64[ns]"),
        "product_id": orders["product_id"].astype("string"),
        "unit_price": pd.to_numeric(orders["unit_price"], errors="coerce").astype("float64"),
        "quantity": pd.to_numeric(orders["quantity"], errors="coerce").astype("float64"),
        "product_name": (orders["product_name"].astype("string") if "product_name" in orders.columns
                         else pd.Series(pd.NA, index=orders.index, dtype="string")),
        "category": (orders["category"].astype("string") if "category" in orders.columns
                     else pd.Series(pd.NA, index=orders.index, dtype="string")),
    })
    usable = ((o["quantity"] > 0) & (o["unit_price"] > 0) & o["customer_id"].notna() & (o["customer_id"] != "")
              & o["product_id"].notna() & o["order_id"].notna() & o["timestamp"].notna()).fillna(False)
    o = o[usable.to_numpy(dtype=bool)]
    if o.empty:
        return _empty_events()
    # a canonical row order, so the output does not depend on the input's order
    o = o.sort_values(["customer_id", "timestamp", "order_id", "product_id", "unit_price", "quantity"],
                      kind="stable").reset_index(drop=True)

    end = o["timestamp"].max()
    start = end - pd.Timedelta(days=days)
    in_window = (o["timestamp"] > start).to_numpy()

    # products: category (given, else inferred from the name, else "other") and browse price
    products = pd.Index(np.sort(o["product_id"].unique().astype(object)), name="product_id")
    given = _mode_per_key(o["product_id"], o["category"]).reindex(products)
    names = _mode_per_key(o["product_id"], o["product_name"]).reindex(products)
    inferred = infer_category(pd.Series(names.to_numpy(), index=products).astype("string"))
    category = given.astype("string").fillna(inferred.astype("string")).fillna(_OTHER)
    price = _mode_per_key(o["product_id"][in_window], o["unit_price"][in_window]).reindex(products)
    price = price.fillna(_mode_per_key(o["product_id"], o["unit_price"]).reindex(products)).astype("float64")
    prod_code = products.get_indexer(o["product_id"])  # product number of each order line
    cat_arr = category.to_numpy(dtype=object)
    price_arr = price.to_numpy(dtype="float64")

    # customers: history offsets (rows are sorted by customer) and basket size
    cust, cust_code = np.unique(o["customer_id"].to_numpy(dtype=object), return_inverse=True)
    n_cust = len(cust)
    hist_count = np.bincount(cust_code, minlength=n_cust)
    hist_start = np.concatenate([[0], np.cumsum(hist_count)[:-1]])
    n_orders_all = o.groupby(cust_code)["order_id"].nunique().reindex(range(n_cust)).to_numpy()
    basket = hist_count / n_orders_all

    # orders in the window: one purchase session per (customer, order, timestamp), ending at it
    w = o[in_window].copy()
    w["cust"] = cust_code[in_window]
    w["prod"] = prod_code[in_window]
    sess_keys = (w[["timestamp", "cust", "order_id"]].drop_duplicates()
                 .sort_values(["timestamp", "cust", "order_id"], kind="stable").reset_index(drop=True))
    n_psess = len(sess_keys)
    w = w.merge(sess_keys.reset_index(names="sess"), on=["timestamp", "cust", "order_id"], how="left", sort=False)
    psess_end = sess_keys["timestamp"].to_numpy(dtype="datetime64[ns]")
    psess_cust = sess_keys["cust"].to_numpy()

    # browse pool: window lines of merchandise (popularity = number of lines)
    merch = cat_arr[w["prod"].to_numpy()] != FEES_CATEGORY
    pool = w["prod"].to_numpy()[merch] if merch.any() else w["prod"].to_numpy()

    def pick_products(owner_cust: np.ndarray) -> np.ndarray:
        """Products to browse for these customers: own past purchases or popular ones."""
        picks = pool[rng.integers(0, len(pool), size=len(owner_cust))]
        own = rng.random(len(owner_cust)) < own_product_share
        mine = prod_code[_pick_in_groups(rng, owner_cust[own], hist_start, hist_count)]
        picks[own] = np.where(cat_arr[mine] != FEES_CATEGORY, mine, picks[own])
        return picks

    # ---- blocks: one product looked at in one session
    # bought lines
    n_lines = len(w)
    b_sess = w["sess"].to_numpy()
    b_prod = w["prod"].to_numpy()
    b_price = w["unit_price"].to_numpy(dtype="float64")
    # considered, not bought, in purchase sessions
    n_cons = rng.poisson(considered_per_line, size=n_lines)
    c_sess = np.repeat(b_sess, n_cons)
    c_prod = pick_products(psess_cust[c_sess])

    # browsing sessions: purchasers in the window, and lapsed customers
    orders_in_window = np.bincount(psess_cust, minlength=n_cust)
    n_browse = np.zeros(n_cust, dtype=np.int64)
    buyers = orders_in_window > 0
    n_browse[buyers] = rng.poisson(browse_sessions_per_order * orders_in_window[buyers])
    lapsed = np.flatnonzero(~buyers)
    chosen = lapsed[rng.random(len(lapsed)) < lapsed_browser_share]
    n_browse[chosen] = 1 + rng.poisson(1.0, size=len(chosen))
    bs_cust = np.repeat(np.arange(n_cust), n_browse)
    n_bsess = len(bs_cust)
    mean_views = np.clip(browse_views_per_line * basket[bs_cust], 1.0, max_browse_views)
    bs_views = rng.geometric(1.0 / mean_views)
    bs_carts = rng.random(n_bsess) < cart_session_share
    bsess_index = n_psess + np.arange(n_bsess)  # session numbers after the purchase sessions
    v_sess = np.repeat(bsess_index, bs_views)
    v_prod = pick_products(bs_cust[v_sess - n_psess])

    sess_cust = np.concatenate([psess_cust, bs_cust])
    blk_sess = np.concatenate([b_sess, c_sess, v_sess])
    blk_prod = np.concatenate([b_prod, c_prod, v_prod])
    blk_price = np.concatenate([b_price, price_arr[c_prod], price_arr[v_prod]])
    bought = np.zeros(len(blk_sess), dtype=bool)
    bought[:n_lines] = True
    n_blk = len(blk_sess)
    blk_views = 1 + rng.poisson(repeat_views, size=n_blk)
    may_cart = np.ones(n_blk, dtype=bool)
    may_cart[n_lines + len(c_sess):] = bs_carts[v_sess - n_psess]
    blk_cart = bought | (may_cart & (rng.random(n_blk) < cart_rate))
    blk_remove = ~bought & blk_cart & (rng.random(n_blk) < remove_rate)
    blk_wish = ~bought & (rng.random(n_blk) < wishlist_rate)
    blk_rank = rng.random(n_blk)  # the blocks' order within their session

    # ---- expand blocks to pre-purchase events: views, wishlist, cart, remove
    parts = []
    vb = np.repeat(np.arange(n_blk), blk_views)
    vstep = np.arange(len(vb)) - np.repeat(np.cumsum(blk_views) - blk_views, blk_views)
    parts.append((vb, np.zeros(len(vb), dtype=np.int8), vstep))
    for stage, flag in ((1, blk_wish), (2, blk_cart), (3, blk_remove)):
        idx = np.flatnonzero(flag)
        parts.append((idx, np.full(len(idx), stage, dtype=np.int8), np.zeros(len(idx), dtype=np.int64)))
    e_blk = np.concatenate([p[0] for p in parts])
    e_stage = np.concatenate([p[1] for p in parts])
    e_step = np.concatenate([p[2] for p in parts])
    order = np.lexsort((e_step, e_stage, e_blk, blk_rank[e_blk], blk_sess[e_blk]))
    e_blk, e_stage = e_blk[order], e_stage[order]
    e_sess = blk_sess[e_blk]
    n_ev = len(e_blk)

    # gaps (whole seconds >= 1), shrunk where a session would last too long
    gaps = np.minimum(np.exp(np.log(median_gap_seconds) + 0.9 * rng.standard_normal(n_ev)), _MAX_GAP_SECONDS)
    n_sess = n_psess + n_bsess
    # (a purchase session must also fit between the window start and its order)
    win_start = np.datetime64(start.to_datetime64(), "ns")
    win_end = np.datetime64(end.to_datetime64(), "ns")
    limit = np.full(n_sess, max_session_minutes * 60.0)
    room = ((psess_end - win_start) / np.timedelta64(1, "s")) - 1.0
    limit[:n_psess] = np.maximum(np.minimum(limit[:n_psess], room), 1.0)
    total = np.bincount(e_sess, weights=gaps, minlength=n_sess)
    scale = np.minimum(1.0, limit / np.maximum(total, 1.0))
    gaps = np.maximum(1, np.floor(gaps * scale[e_sess])).astype(np.int64)
    cum = np.cumsum(gaps)
    first = np.r_[True, e_sess[1:] != e_sess[:-1]]
    sess_first_pos = np.flatnonzero(first)
    base = np.zeros(n_sess, dtype=np.int64)
    base[e_sess[sess_first_pos]] = cum[sess_first_pos] - gaps[sess_first_pos]
    cum_in = cum - base[e_sess]  # inclusive cumulative gap within the session
    total_in = np.bincount(e_sess, weights=gaps, minlength=n_sess).astype(np.int64)

    # session starts
    start_ns = np.zeros(n_sess, dtype="datetime64[ns]")
    start_ns[:n_psess] = psess_end - total_in[:n_psess].astype("timedelta64[s]")
    # browsing: anchored on one of the customer's window orders, or a random window order
    psess_by_cust = np.argsort(psess_cust, kind="stable")
    ps_start = np.concatenate([[0], np.cumsum(orders_in_window)[:-1]])
    anchor = np.empty(n_bsess, dtype="datetime64[ns]")
    is_buyer = buyers[bs_cust]
    own_anchor = psess_by_cust[_pick_in_groups(rng, bs_cust[is_buyer], ps_start, orders_in_window)]
    any_anchor = rng.integers(0, n_psess, size=int((~is_buyer).sum()))
    anchor[is_buyer] = psess_end[own_anchor]
    anchor[~is_buyer] = psess_end[any_anchor]
    days_off = rng.geometric(0.35, size=n_bsess)
    sign = np.where(rng.random(n_bsess) < 0.7, -1, 1)
    sign[~is_buyer] = 0
    jitter = np.round(rng.normal(0.0, 90 * 60, size=n_bsess)).astype(np.int64)
    dur = total_in[n_psess:].astype("timedelta64[s]")
    cand = anchor + (sign * days_off).astype("timedelta64[D]") + jitter.astype("timedelta64[s]")
    flipped = anchor - (sign * days_off).astype("timedelta64[D]") + jitter.astype("timedelta64[s]")
    outside = (cand < win_start) | (cand + dur > win_end)
    cand = np.where(outside, flipped, cand)
    latest = win_end - dur
    cand = np.minimum(np.maximum(cand, win_start + np.timedelta64(1, "s")), latest)
    start_ns[n_psess:] = cand

    # event times: a session's first event at its start; a purchase session's last one a gap before the order
    e_time = start_ns[e_sess] + (cum_in - gaps).astype("timedelta64[s]")

    ev_types = np.array(["view", "wishlist", "cart", "remove_from_cart"], dtype=object)
    pre = pd.DataFrame({
        "sess": e_sess,
        "timestamp": e_time,
        "event_type": ev_types[e_stage],
        "prod": blk_prod[e_blk],
        "price": blk_price[e_blk],
        "seq": np.arange(n_ev),
    })
    purchases = pd.DataFrame({
        "sess": b_sess,
        "timestamp": psess_end[b_sess],
        "event_type": "purchase",
        "prod": b_prod,
        "price": b_price,
        "seq": n_ev + np.arange(n_lines),
    })
    ev = pd.concat([pre, purchases], ignore_index=True)

    # session ids in order of session start
    sess_rank = np.empty(n_sess, dtype=np.int64)
    sess_rank[np.lexsort((np.arange(n_sess), sess_cust, start_ns))] = np.arange(n_sess)
    width = max(6, len(str(n_sess)))
    ev["srank"] = sess_rank[ev["sess"].to_numpy()]
    ev = ev.sort_values(["timestamp", "srank", "seq"], kind="stable").reset_index(drop=True)

    prod_ids = products.to_numpy(dtype=object)
    out = pd.DataFrame({
        "user_id": pd.array(cust[sess_cust[ev["sess"].to_numpy()]], dtype="string"),
        "timestamp": ev["timestamp"].astype("datetime64[ns]"),
        "event_type": pd.array(ev["event_type"].to_numpy(), dtype="string"),
        "product_id": pd.array(prod_ids[ev["prod"].to_numpy()], dtype="string"),
        "category": pd.array(cat_arr[ev["prod"].to_numpy()], dtype="string"),
        "brand": pd.array([pd.NA] * len(ev), dtype="string"),
        "price": ev["price"].astype("float64"),
        "session_id": pd.array(np.char.add("s", np.char.zfill(ev["srank"].to_numpy().astype(str), width)),
                               dtype="string"),
    })
    return out


def _empty_events() -> pd.DataFrame:
    return pd.DataFrame({
        "user_id": pd.array([], dtype="string"), "timestamp": pd.Series([], dtype="datetime64[ns]"),
        "event_type": pd.array([], dtype="string"), "product_id": pd.array([], dtype="string"),
        "category": pd.array([], dtype="string"), "brand": pd.array([], dtype="string"),
        "price": pd.Series([], dtype="float64"), "session_id": pd.array([], dtype="string"),
    })


def write_events(events: pd.DataFrame, dest: str | Path = SAMPLE_EVENTS) -> Path:
    """Write ``events`` as CSV, gzip-compressed when ``dest`` ends in .gz (ISO timestamps, gzip
    mtime 0 so reruns give the same bytes), through the export writer
    (:func:`ecom_analytics.exports.write_table`; text quoted only where CSV needs it, so the
    shipped file keeps its bytes)."""
    return write_table(events, dest, index=False, date_format="%Y-%m-%d %H:%M:%S", quote_text=False)


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m ecom_analytics.sample``: regenerate the synthetic events sample."""
    parser = argparse.ArgumentParser(prog="python -m ecom_analytics.sample", description=main.__doc__)
    parser.add_argument("--days", type=int, default=SAMPLE_EVENT_DAYS, help="days of events (default %(default)s)")
    parser.add_argument("--seed", type=int, default=SAMPLE_EVENT_SEED, help="random seed (default %(default)s)")
    parser.add_argument("--out", type=Path, default=SAMPLE_EVENTS, help="events file to write")
    parser.add_argument("--rebuild-orders-from", type=Path, metavar="ONLINE_RETAIL_CSV",
                        help="first rebuild the orders sample from the full Online Retail file")
    args = parser.parse_args(argv)
    if args.rebuild_orders_from:
        info = build_orders_sample(args.rebuild_orders_from, SAMPLE_ORDERS)
        print(f"wrote {SAMPLE_ORDERS}: {info['lines']:,} lines ({info['customers']:,} customers, "
              f"{info['anonymous_invoices']:,} invoices without a customer)")
    events = generate_events(_read_orders_sample(), seed=args.seed, days=args.days)
    path = write_events(events, args.out)
    counts = events["event_type"].value_counts()
    # MB of 1024 * 1024 bytes, the unit of the upload limit (one size unit everywhere)
    print(f"wrote {path}: {len(events):,} events, {events['user_id'].nunique():,} users, "
          f"{events['session_id'].nunique():,} sessions, {path.stat().st_size / 1024 / 1024:.2f} MB; "
          + ", ".join(f"{t} {int(counts.get(t, 0)):,}" for t in EVENT_TYPES))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
