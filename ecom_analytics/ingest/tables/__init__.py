"""Exports in several related tables: an order header, line items, customers, payments, products.

Many shops and marketplaces (Olist, ERP and marketplace back offices) export an order as several
files. This package recognises each file's role, finds the keys that link them, chooses the key
that names the person behind an order, joins them into the canonical ``orders`` table
(:mod:`ecom_analytics.ingest.schema`: one row per line item) and cleans it with the single-file rules plus
one rule per way a link can fail, so rows in = rows kept + rows set aside across the tables.

The flow, for a UI or the CLI::

    from ecom_analytics.ingest import tables
    proposal = tables.propose_tables([(data, filename), ...])   # read, roles, relations, person key
    proposal.describe()                                          # what to show (plain values + coded notes)
    proposal = proposal.with_role(...).with_relation(...).with_person_key(...)   # corrections
    result = tables.apply_proposal(proposal, revenue="items", salt=workspace.salt())
    tables.store_tables(result, proposal, workspace)             # or tables.ingest_tables(files, ...)

Modules: :mod:`.roles` (what a file is), :mod:`.keys` (relations, counts, person key),
:mod:`.join` (the joined table, its cleaning, payments, the dataset id), :mod:`.proposal` (the
object a UI corrects), :mod:`.notes` (coded notes and their English templates).
"""

from ecom_analytics.ingest.tables.join import (JOIN_RULES, REVENUES, Joined, clean_joined, dataset_id_for_tables,
                                        join_tables, reconcile_payments)
from ecom_analytics.ingest.tables.keys import LINKS, PersonKey, Relation
from ecom_analytics.ingest.tables.notes import PHRASE_PARAMS, TEMPLATES, Note, shown_params
from ecom_analytics.ingest.tables.proposal import (JOINED_ROLES, TablesProposal, apply_proposal, ingest_tables,
                                                   propose_tables, sales_table_among, store_tables,
                                                   CATALOGUES_LEFT_OUT)
from ecom_analytics.ingest.tables.roles import FIELDS, ROLES, TableFile, key_values

__all__ = ["CATALOGUES_LEFT_OUT", "FIELDS", "JOINED_ROLES", "JOIN_RULES", "LINKS", "PHRASE_PARAMS", "REVENUES", "ROLES", "TEMPLATES", "Joined",
           "Note", "shown_params",
           "PersonKey", "Relation", "TableFile", "TablesProposal", "apply_proposal", "clean_joined",
           "dataset_id_for_tables", "ingest_tables", "join_tables", "key_values", "propose_tables", "reconcile_payments",
           "sales_table_among", "store_tables"]
