"""A saved segment (from the Segment builder) as a filter on other pages (issue #21).

The box lists the workspace's saved segments; choosing one restricts the page's figures to that
segment's customers. Its rule is applied to the *current* orders as the Segment builder applies it
(features and RFM scores as of the day after the last order, the latest runs' predictions), so a segment
saved on last month's export follows the customers who meet the rule now. The link keeps the choice by
the segment's saved name (``?ov_segment=Win back``).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ecom_analytics.insights import segment_builder
from ecom_analytics.ui import loaders, state, widgets
from ecom_analytics.ui.i18n import linked, t

ALL = "all"  # the option code of "no segment"


@st.cache_data(show_spinner=False, max_entries=8)
def segment_members(orders_id: str, events_id: str | None, customers_id: str | None, rule: str,
                    run_ids: tuple[str, ...]) -> frozenset[str]:
    """The customer ids of the current orders that meet ``rule`` (see ecom_analytics.insights.segment_builder),
    on the customer table the Segment builder builds with the runs ``run_ids``. Raises InputError when the
    rule names a column the table does not have (e.g. p_purchase before any purchase run)."""
    _, last = loaders.data_range(orders_id, None)
    as_of = pd.Timestamp(last).normalize() + pd.Timedelta(days=1)
    table = loaders.segment_table(orders_id, events_id, customers_id, as_of.isoformat(), run_ids)
    conditions = segment_builder.parse_rule(rule, segment_builder.column_types(table))
    mask = segment_builder.members(table, conditions)
    return frozenset(str(c) for c in table.index[mask.to_numpy()])


def segment_box(orders_id: str | None, key: str, where=None) -> tuple[str | None, frozenset[str] | None]:
    """A "Segment" choice of the saved segments (nothing is drawn when there are none), in ``where`` (by
    default a column two fifths of the page wide): ``(name, customer ids)`` of the chosen segment, or
    ``(None, None)`` for all customers."""
    if not orders_id:
        return None, None
    saved = segment_builder.saved_segments(state.workspace().home)
    if not saved:
        return None, None
    rules = {s.name: s.rule for s in saved}
    where = where or st.columns([2, 3])[0]
    name = where.selectbox(t("Saved segment"), [ALL, *rules], help=t(
        "A segment saved on the Segment builder page: the figures count only its customers (its rule applied to "
        "the current orders). Sales without a customer id belong to no segment."),
        **linked(key, {ALL: "All customers"}, raw={n: n for n in rules}))
    if not name or name == ALL:
        return None, None
    events_id, customers_id = state.current_id("events"), state.current_id("customers")
    runs = loaders.runs_for(orders_id, events_id, customers_id)
    latest = tuple(runs.drop_duplicates("task")["run_id"]) if len(runs) else ()
    members = None
    with widgets.friendly_errors(t("Finding the customers of the segment")):
        members = segment_members(orders_id, events_id, customers_id, rules[name], latest)
    if members is None:
        return None, None
    where.caption(t("Segment **{name}** (`{rule}`): {n:,} customers.", name=widgets.safe_text(name),
                    rule=rules[name], n=len(members)))
    return name, members
