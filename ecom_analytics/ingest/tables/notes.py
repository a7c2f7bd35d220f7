"""Coded notes of the multi-table ingest: ``(code, params, severity)`` plus an English template.

The library never hands prose to a page: a :class:`Note` carries a code and plain parameters
(file and column names, counts, shares from 0 to 1). :meth:`Note.text` words it in English from
:data:`TEMPLATES`; the Chinese of each template is in ``locales/zh/LC_MESSAGES/notes.po`` (msgid =
the template), so a UI words the code itself: ``translate(TEMPLATES[code], lang,
**shown_params(params))``, with the :data:`PHRASE_PARAMS` (a role, a revenue basis) translated too
(see ``ui.tables_view.note_words``). Unlike :class:`ecom_analytics.runs.Note`, whose code is the
English template, these codes are short names (``role_single``): the stored reports and the CLI's
``ingest --json`` (``tables.notes``) carry them, so they stay as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field

#: severity levels, mildest first
SEVERITIES = ("info", "warning", "error")

#: what each role is called in a sentence (the Chinese of each is in the locale file too)
ROLE_NAMES: dict[str, str] = {
    "single": "a complete orders export", "orders": "an order header", "items": "line items",
    "customers": "a customer table", "payments": "a payment table", "products": "a product catalogue",
    "events": "an event log", "unknown": "not used",
}

#: code -> English template; ``{param}`` fields are filled from the note's params (shares shown as %)
TEMPLATES: dict[str, str] = {
    # roles
    "role_single": "'{file}' is a complete orders export (customer '{customer_id}', date '{timestamp}' and "
                   "money '{money}' on every line); it needs no other table",
    "role_orders": "'{file}' is an order header: one line per order id '{order_id}', with customer "
                   "'{customer_id}' and date '{timestamp}'",
    "role_items": "'{file}' holds line items: order id '{order_id}' on each line, with product '{product_id}' "
                  "and price '{price}'",
    "role_items_category": "'{file}' holds line items: order id '{order_id}' on each line, with category "
                           "'{category}' and price '{price}' (no product column: the lines are counted by category)",
    "role_customers": "'{file}' is a customer table: one line per customer id '{customer_id}'",
    "role_payments": "'{file}' is a payment table: amounts '{value}' per order id '{order_id}'",
    "role_products": "'{file}' is a product catalogue: one line per product id '{product_id}'",
    "role_events": "'{file}' is an event log (event type '{event_type}'); it is not joined to the orders: "
                   "ingest it on its own as events",
    "role_unknown": "'{file}' was not recognised as a table of an orders export; it is left out",
    "role_chosen": "'{file}' is read as {role}, as chosen by the analyst",
    "role_twice": "'{file}' is read as {role} too, like '{other}', which is the one used. Choose another "
                  "role for one of them",
    "single_alone": "'{file}' is a complete orders export; it is not joined with the other files: ingest it on "
                    "its own",
    "role_by_values": "'{file}' is {role}: its column '{column}' holds {share} of the values of "
                      "'{child}'.'{child_key}'",
    # one file read on its own when the files do not make a join
    "read_alone_no_items": "'{file}' is read on its own (customer, date and money on every line): no file holds "
                           "line items (an order id with a product and a price) to join to an order header",
    "read_alone_no_header": "'{file}' is read on its own (customer, date and money on every line): the line items "
                            "'{items}' have no order header to join to",
    "read_alone_no_link": "'{file}' is read on its own (customer, date and money on every line): no column links "
                          "the line items '{items}' to the order header '{orders}'",
    "read_alone_header_incomplete": "'{file}' is read on its own (customer, date and money on every line): the "
                                    "order header '{orders}' has no column for {fields}",
    "read_alone_items_no_price": "'{file}' is read on its own (customer, date and money on every line): the line "
                                 "items '{items}' have no price or amount",
    "left_out_table": "'{file}' ({role}) is left out: it is joined only through an order header and its line "
                      "items, and '{used}' is read on its own",
    "left_out_part": "'{file}' ({role}) is left out: the order header and line items among the files do not make "
                     "a join, and '{used}' is read on its own",
    "left_out_covered": "'{file}' is left out: {share} of its {orders} order ids are among those of '{used}', "
                        "which has their lines with the customer, date, product and price on each, and is read on "
                        "its own",
    "left_out_unreadable": "'{file}' is left out: it could not be read as a table ({error})",
    "left_out_no_price": "'{file}' holds order ids ('{order_id}') and products ('{product}') but no price or "
                         "quantity, so it is not line items; it is left out, and '{used}' is read on its own",
    "role_date_dimension": "'{file}' is a date dimension: the lines of '{used}' take their date '{date}' from it by "
                           "'{key}' ({share} of their keys are found in '{column}')",
    "lookup_used": "'{file}' ({role}) gives the lines of '{used}' their {columns} by '{key}' ({share} of the "
                   "lines' ids are found there)",
    "lookup_unknown_customer": "{rows} lines ({share}) have a customer id that is not in the customer table "
                               "'{file}'; they are kept without its country",
    "category_by_table": "The category '{column}' of '{file}' is an id: its name is taken from '{table}' "
                         "('{name}')",
    # relations
    "relation_names_values": "'{child}'.'{child_key}' links to '{parent}'.'{parent_key}': the names agree and "
                             "{share} of its values are found there",
    "relation_values": "'{child}'.'{child_key}' links to '{parent}'.'{parent_key}': {share} of its values are "
                       "found there, although the names differ",
    "relation_chosen": "'{child}'.'{child_key}' links to '{parent}'.'{parent_key}', as chosen by the analyst "
                       "({share} of its values are found there)",
    "relation_missing": "No column of '{child}' links it to '{parent}': no key shares enough values. Choose the "
                        "key columns",
    # what the links leave unmatched
    "items_without_order": "{rows} line items ({share}) have an order id that is not in the order header "
                           "'{file}'; they are set aside",
    "orders_without_items": "{orders} orders of '{file}' have no line item; they are set aside",
    "duplicate_orders": "'{file}' repeats {rows} order ids; the first line of each is used, the others are set "
                        "aside",
    "unknown_customer": "{orders} orders have a customer id that is not in the customer table '{file}'; their "
                        "lines are set aside",
    "customers_without_orders": "{customers} customers of '{file}' have no order",
    "items_without_product": "{rows} line items ({share}) have a product id that is not in the product "
                             "catalogue '{file}'; they keep no product name or category",
    "duplicate_keys": "'{file}' repeats {rows} values of its key '{column}'; the first line of each is used",
    "orders_without_payment": "{orders} orders ({share}) have no payment in '{file}'",
    "payments_without_order": "{rows} payment lines of '{file}' refer to orders that are not in the order header",
    "lines_unreadable": "{rows} lines of '{file}' could not be split into its columns; they are left out",
    # who is the customer
    "person_key_stable": "Customers are identified by '{stable}' from '{file}', not by '{per_order}': its "
                         "{ids} ids belong to {people} people, {repeat} of whom ordered more than once",
    "person_key_not_repeating": "Customer ids in '{column}' almost never repeat across orders ({repeat} of "
                                "customers ordered more than once): repeat behaviour cannot be measured. "
                                "'{suggest}' in '{file}' would identify people across orders",
    "person_key_not_repeating_no_fix": "Customer ids in '{column}' almost never repeat across orders ({repeat} "
                                       "of customers ordered more than once): repeat behaviour cannot be "
                                       "measured. Add a customer table that gives each order's customer a "
                                       "stable id (an e-mail, a member number)",
    "person_key_personal": "'{column}' holds personal data (e-mail addresses or phone numbers); it was replaced "
                           "by a salted hash",
    # money
    "payments_reconcile": "Line items match the payments on {share} of the {orders} orders that have both "
                          "(within a cent or 0.5 %), counting {basis}",
    "payments_reconcile_other": "Counting {basis} instead, {share} of those orders would match",
    "revenue_items": "Revenue counts item prices only; freight ('{freight}') is left out",
    "revenue_items_and_freight": "Revenue counts item prices plus freight ('{freight}')",
    "revenue_no_freight": "No freight column was found; revenue counts item prices only",
    "quantity_one": "'{file}' has no quantity column: each line counts as one unit",
}

#: what ``basis`` is in the payment notes
BASES = {"items": "item prices only", "items_and_freight": "item prices and freight"}
#: parameters shown as English phrases (ROLE_NAMES, BASES): a UI words them in its language too
PHRASE_PARAMS = ("role", "basis")


def shown_params(params: dict) -> dict[str, str]:
    """A note's parameters as its template shows them: shares as percentages, counts with
    thousands separators, roles and bases as phrases."""
    return {k: _shown(k, v) for k, v in params.items()}


@dataclass(frozen=True)
class Note:
    """A coded message: ``code`` (a key of :data:`TEMPLATES`), plain ``params`` and a ``severity``
    ("info", "warning" or "error")."""

    code: str
    params: dict = field(default_factory=dict)
    severity: str = "info"

    def as_tuple(self) -> tuple[str, dict, str]:
        """``(code, params, severity)``, the shape every library note has."""
        return self.code, dict(self.params), self.severity

    def as_dict(self) -> dict:
        """Plain values for JSON (the stored report, the CLI)."""
        return {"code": self.code, "params": dict(self.params), "severity": self.severity, "text": self.text()}

    def text(self) -> str:
        """The note in English (shares as percentages, counts with thousands separators)."""
        return TEMPLATES[self.code].format(**shown_params(self.params))


def _shown(key: str, value) -> str:
    if isinstance(value, bool) or value is None:
        return str(value)
    if isinstance(value, float) and (key in ("share", "repeat") or key.endswith("_share")):
        return f"{value:.1%}"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.2f}"
    if key == "role":
        return ROLE_NAMES.get(str(value), str(value))
    if key == "basis":
        return BASES.get(str(value), str(value))
    return str(value)
