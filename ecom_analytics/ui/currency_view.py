"""Money with its currency on the pages that show a dataset's amounts (issue #21).

The currency is the one the dataset's export named (see :mod:`ecom_analytics.ingest.currency` and
:func:`ecom_analytics.ui.widgets.currency_of`): figures written as text go through the locale money
formatter (``widgets.money``), table columns carry the symbol in their number format, and a dataset whose
amounts mix currencies shows the Data quality page's warning where its money is shown.
"""

from __future__ import annotations

import streamlit as st

from ecom_analytics.ui import loaders, widgets


def money_format(symbol: str, decimals: int = 2) -> str:
    """A table column's number format for amounts in ``symbol`` ("£" -> ``£%,.2f``; "" -> ``%,.2f``):
    Streamlit's printf format, with thousands separators."""
    return f"{symbol.replace('%', '%%')}%,.{int(decimals)}f"


def money_column(label: str, symbol: str, decimals: int = 2, **kwargs) -> st.column_config.NumberColumn:
    """A table column of amounts in the dataset's currency."""
    return st.column_config.NumberColumn(label, format=money_format(symbol, decimals), **kwargs)


def symbol_of(dataset_id: str | None) -> str:
    """The symbol of the dataset's currency ("" when the export named none or mixed several), with the
    mixed-currency warning drawn where the page shows its money."""
    if not dataset_id:
        return ""
    warn_if_mixed(dataset_id)
    return widgets.currency_of(dataset_id)


def warn_if_mixed(dataset_id: str) -> None:
    """The Data quality page's warning when the dataset's amounts are in more than one currency (totals then
    add them unconverted); nothing otherwise."""
    try:
        report = (loaders.dataset_info(dataset_id) or {}).get("report") or {}
    except Exception:  # noqa: BLE001 - the page that shows the dataset says why it cannot be read
        return
    found = report.get("currency") or {}
    if found.get("symbol") is None and len(found.get("currencies", [])) > 1:
        widgets.currency_note(report)
