"""The proposal a UI shows and the analyst corrects, and the function that applies it.

::

    proposal = propose_tables([(bytes, "orders.csv"), (bytes, "items.csv"), ...])
    proposal.describe()                      # roles, fields, relations with counts, person key, notes
    proposal = proposal.with_role("items.csv", "items", {"unit_price": "Preis"})
    proposal = proposal.with_relation("items->orders", "Bestellnr", "Nummer")
    proposal = proposal.with_person_key("customer_unique_id")   # or None: the per-order id
    result = apply_proposal(proposal, revenue="items_and_freight", salt=workspace.salt())
    store_tables(result, proposal, workspace)                    # or pipeline.ingest_tables(...)

Every ``with_*`` returns a new proposal with the relations, counts and notes measured again.
:meth:`TablesProposal.choices` gives the corrections as plain JSON and
:meth:`TablesProposal.with_choices` replays them (a CLI flag file, a remembered layout).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace

import pandas as pd

from ecom_analytics.errors import InputError
from ecom_analytics.errors import Note as Words  # a word of an error (tables.notes.Note is the reading notes)
from ecom_analytics.ingest.readers import MAX_UPLOAD_BYTES, read_table
from ecom_analytics.store import Workspace
from ecom_analytics.ingest.mapping import normalise_header
from ecom_analytics.ingest.tables.keys import (LINKS, RARE_REPEAT, KeyCache, PersonKey, Relation, chosen_relation,
                                        key_columns, overlap_share, propose_relation, repeat_share, stable_columns)
from ecom_analytics.ingest.tables.notes import Note
from ecom_analytics.ingest.tables.roles import (FIELDS, MOSTLY_UNIQUE, ROLES, UNIQUE_SHARE, TableFile, fields_for, key_values,
                                                recognise, with_found)

#: roles joined into the orders table (one file each)
JOINED_ROLES = ("orders", "items", "customers", "payments", "products")


@dataclass
class TablesProposal:
    """Files with their roles and fields, the relations between them, the person key and notes.

    ``relations`` has one :class:`Relation` per link whose two roles are present (an empty
    ``child_key`` when no key was found); ``person_key`` is None without an order header.
    ``chosen_relations`` and ``chosen_person`` keep the analyst's corrections across changes.
    """

    files: list[TableFile]
    relations: list[Relation] = field(default_factory=list)
    person_key: PersonKey | None = None
    notes: list[Note] = field(default_factory=list)
    chosen_relations: dict[str, tuple[str, str]] = field(default_factory=dict)
    chosen_person: tuple[bool, str | None] = (False, None)
    cache: KeyCache = field(default_factory=KeyCache, repr=False)
    #: files that could not be read as tables, left out: file name -> the reader's error (a coded note)
    unreadable: dict[str, Words] = field(default_factory=dict)

    # --- looking up
    def file(self, name: str) -> TableFile:
        """The file called ``name``: its name as read, or the archive it came in (a .zip is read as
        ``archive.zip:member.csv``, and the CLI and a UI know it by the name it was uploaded under)."""
        for f in self.files:
            if f.name == name:
                return f
        inside = [f for f in self.files if f.name.split(":", 1)[0] == name]
        if len(inside) == 1:
            return inside[0]
        raise InputError("No file called '{file}' was uploaded.", file=name)

    def table(self, role: str) -> TableFile | None:
        """The file read as ``role`` (the first, when several are), or None."""
        return next((f for f in self.files if f.role == role), None)

    def relation(self, link: str) -> Relation | None:
        """The relation of ``link`` ("items->orders", "payments->orders", "orders->customers",
        "items->products"), or None when one of its tables is absent."""
        return next((r for r in self.relations if r.link == link), None)

    @property
    def singles(self) -> list[TableFile]:
        """Files that are complete orders exports on their own (ingest them one by one)."""
        return [f for f in self.files if f.role == "single"]

    def describe(self) -> dict:
        """Plain values for a UI or the CLI: files (role, score, reason, fields), relations with
        counts, person key and notes (each ``{code, params, severity, text}``)."""
        return {"files": [f.describe() for f in self.files], "relations": [r.describe() for r in self.relations],
                "person_key": self.person_key.describe() if self.person_key else None,
                "notes": [n.as_dict() for n in self.notes], "roles": list(ROLES), "fields": dict(FIELDS)}

    # --- corrections
    def with_role(self, name: str, role: str, fields: dict[str, str | None] | None = None) -> "TablesProposal":
        """A proposal where file ``name`` is read as ``role`` with ``fields`` (field -> column) set."""
        if role not in ROLES:
            raise InputError("Unknown role '{role}'; use one of {roles}.", role=role, roles=', '.join(ROLES))
        target = self.file(name)
        for f, col in (fields or {}).items():
            if f not in FIELDS.get(role, ()):
                raise InputError("'{field}' is not a field of the role '{role}'; use one of {fields}.", field=f,
                                 role=role, fields=', '.join(FIELDS.get(role, ())) or Words('none'))
            if col is not None and col not in map(str, target.frame.columns):
                raise InputError("'{file}' has no column '{column}'. Choose one of its columns.", file=name,
                                 column=col)
        files = [f.with_role(role, fields) if f.name == target.name else f for f in self.files]
        return _measure(files, self.chosen_relations, self.chosen_person, self.cache, self.unreadable)

    def with_relation(self, link: str, child_key: str, parent_key: str) -> "TablesProposal":
        """A proposal where ``link`` joins on ``child_key`` (column of the child table) and
        ``parent_key`` (column of the parent table)."""
        if link not in {f"{c}->{p}" for c, _, p, _ in LINKS}:
            raise InputError("Unknown link '{link}'; use one of {links}.", link=link,
                             links=', '.join(f'{c}->{p}' for c, _, p, _ in LINKS))
        chosen = dict(self.chosen_relations) | {link: (child_key, parent_key)}
        return _measure(self.files, chosen, self.chosen_person, self.cache, self.unreadable)

    def with_person_key(self, stable: str | None) -> "TablesProposal":
        """A proposal where customers are identified by the column ``stable`` (of the customer
        table, or of the order header without one), or by the per-order id itself (None)."""
        return _measure(self.files, self.chosen_relations, (True, stable), self.cache, self.unreadable)

    def choices(self) -> dict:
        """The roles, fields, relations and person key as plain JSON (replay with :meth:`with_choices`)."""
        return {"roles": {f.name: {"role": f.role, "fields": dict(f.fields)} for f in self.files},
                "relations": {r.link: [r.child_key, r.parent_key] for r in self.relations if r.child_key},
                "person_key": self.person_key.stable if self.person_key else None}

    def with_choices(self, choices: dict) -> "TablesProposal":
        """This proposal with the roles, fields, relations and person key of ``choices`` (files not
        named keep theirs)."""
        out = self
        for name, chosen in (choices.get("roles") or {}).items():
            out = out.with_role(name, chosen["role"], chosen.get("fields"))
        for link, (ck, pk) in (choices.get("relations") or {}).items():
            out = out.with_relation(link, ck, pk)
        if "person_key" in choices:
            out = out.with_person_key(choices["person_key"])
        return out


#: what the Data page and the CLI say when a sales table came with catalogues of its keys
CATALOGUES_LEFT_OUT = ("'{sales}' is a sales table; {others} hold no dates (catalogues of its keys), so the sales "
                       "table is read on its own and they are left out.")


def sales_table_among(proposal: "TablesProposal") -> int | None:
    """The position of the one pre-aggregated sales table among the files of ``proposal`` (read once, by
    :func:`propose_tables`) when every other file is a catalogue of its keys, with no date of its own (1C's
    ``sales_train`` with ``items`` and ``shops``): a sales table is read on its own and the catalogues are left
    out (:data:`CATALOGUES_LEFT_OUT`). None otherwise (the tables of an orders export are joined)."""
    from ecom_analytics.ingest.mapping import propose_mapping

    found = None
    for i, f in enumerate(proposal.files):
        mapping = propose_mapping(f.frame, has_header=f.raw.has_header)
        if mapping.kind == "sales":
            if found is not None:
                return None
            found = i
        elif "timestamp" in mapping.as_dict():
            return None  # a file with dates of its own is not a catalogue
    return found if len(proposal.files) > 1 else None


def propose_tables(files: list[tuple[bytes, str]], *, max_bytes: int | None = MAX_UPLOAD_BYTES,
                   on_progress=None) -> TablesProposal:
    """Read each ``(bytes, filename)``, recognise its role and fields, and propose the relations,
    their counts and the person key (see :mod:`ecom_analytics.ingest.tables`). ``on_progress(share,
    filename)`` is told before each file is read (share from 0 to 1).

    A file the reader refuses (a single column, no data, not text) is left out with a warning note
    (``left_out_unreadable``, its error kept in ``unreadable``), as a file of no known role is: a companion table
    that cannot be read does not stop the others. When no file can be read, the first one's error is raised."""
    if not files:
        raise InputError("No file was given. Upload the tables of the export together.")
    names = [name for _, name in files]
    twice = sorted({n for n in names if names.count(n) > 1})
    if twice:
        raise InputError("Two files are called '{file}'. Rename one of them and upload again.", file=twice[0])
    tables, unreadable, first_error = [], {}, None
    for i, (data, name) in enumerate(files):
        if on_progress is not None:
            on_progress(i / len(files), name)
        try:
            raw = read_table(data, name, max_bytes=max_bytes)
        except InputError as exc:
            unreadable[name] = exc.note
            first_error = first_error or exc
            continue
        tables.append(recognise(raw, raw.source_name, hashlib.sha256(data).hexdigest(), len(data)))
    if not tables:
        raise first_error
    cache = KeyCache()
    tables = _shared_order_keys(tables)
    tables = _lookups_by_values(tables, cache)
    tables = _customer_tables_by_values(tables, cache)
    tables = _dates_by_dimension(tables, cache)
    return _measure(tables, {}, (False, None), cache, unreadable)


def _dates_by_dimension(files: list[TableFile], cache: KeyCache) -> list[TableFile]:
    """Fact tables dated through a date dimension (a star schema's ``hechoPedido.KeyTiempo`` -> ``tiempo.Fecha``).

    An unrecognised file with a customer and money but no date of its own takes each line's date from a file that
    has one when a unique column of that file is named as one of its columns that plays no known part (not its
    customer, order or product: a customer's sign-up date is no order date) and holds at least :data:`LOOKUP_OVERLAP` of its
    distinct values (the lookup of :func:`ecom_analytics.ingest.tables.join.lookup_positions`): the date is added
    to its lines as the column ``dimension:date`` (a line whose key is not there has none) and the file is
    recognised again (a complete export when it has a product too). The dimension is then used for that (reason
    ``role_date_dimension``), not read as a table of its own.
    """
    from ecom_analytics.ingest.tables.join import _take, lookup_positions

    out = list(files)
    for fi in range(len(out)):
        fact = out[fi]
        r = fact.recognised
        if fact.role != "unknown" or "timestamp" in r or fact.kind != "orders" or "customer_id" not in r \
                or not ("amount" in r or "unit_price" in r):
            continue
        known = set(r.values())  # a customer's or an order's key dates no line (a sign-up date, an order header)
        best = None
        for di, dim in enumerate(out):
            if di == fi or "timestamp" not in dim.recognised or dim.kind == "events":
                continue
            for dcol in map(str, dim.frame.columns):
                if dcol == dim.recognised["timestamp"]:
                    continue
                fcols = [c for c in map(str, fact.frame.columns)
                         if c not in known and normalise_header(c) == normalise_header(dcol)]
                keys = cache.get(dim, dcol).dropna()
                if not fcols or keys.empty or keys.nunique() / len(keys) < UNIQUE_SHARE:
                    continue
                share = overlap_share(cache.get(fact, fcols[0]), keys)
                if share >= LOOKUP_OVERLAP and (best is None or share > best[0]):
                    best = (share, di, dcol, fcols[0])
        if best is None:
            continue
        share, di, dcol, fcol = best
        dim = out[di]
        date_col = dim.recognised["timestamp"]
        column = f"{dim.name}:{date_col}"
        pos = lookup_positions(cache.get(dim, dcol), cache.get(fact, fcol))
        frame = fact.frame.copy()
        frame.attrs = dict(fact.frame.attrs)
        frame[column] = _take(dim.frame[date_col], pos).set_axis(frame.index)
        dated = replace(fact, raw=replace(fact.raw, frame=frame))
        out[fi] = with_found(dated, fact.recognised | {"timestamp": column})
        out[di] = replace(dim, role="unknown", fields={}, score=round(share, 3),
                          reason=Note("role_date_dimension", {"file": dim.name, "column": dcol, "date": date_col,
                                                              "used": fact.name, "key": fcol, "share": share}))
    return out


#: a header and its lines share an order id: this share of the lines' distinct values is in the header's column
SHARED_KEY_OVERLAP = 0.9
#: an unrecognised file is a customer table or a product catalogue when one of its unique columns holds this share
#: of the distinct customer or product ids of the order header or the line items
LOOKUP_OVERLAP = 0.9
#: ... and those ids are at least this many (a few small numbers are found in any column of numbers)
LOOKUP_MIN_KEYS = 5
_LINE_FIELDS = ("quantity", "unit_price", "amount", "product_id", "product_name")


def _shared_order_keys(files: list[TableFile]) -> list[TableFile]:
    """Files read again with the order id the other files show they hold.

    The mapper knows an order id by its header ("order_id", "Bestellnummer", "订单号"); an export whose header
    and lines call it something else ("id_venta", the sale; "folio") has two files that each miss a role: a
    header (customer or date, no line fields) and lines (a product with a quantity or money, no customer). When a
    column of the same name (any language) is (mostly) unique in the header, and at least
    :data:`SHARED_KEY_OVERLAP` of its values in the lines are found there, it is both files' order id (and no
    longer what the mapper guessed from its values, such as a quantity).
    """
    out = list(files)
    for hi in range(len(out)):
        for li in range(len(out)):
            header, lines = out[hi], out[li]
            if li == hi or header.kind == "events" or lines.kind == "events" \
                    or ("order_id" in header.recognised and "order_id" in lines.recognised):
                continue
            pair = _shared_column(header, lines)
            if pair is None:
                continue
            h = {f: c for f, c in header.recognised.items() if c != pair[0]} | {"order_id": pair[0]}
            r = {f: c for f, c in lines.recognised.items() if c != pair[1]} | {"order_id": pair[1]}
            if not ("customer_id" in h or "timestamp" in h) or any(f in h for f in _LINE_FIELDS) \
                    or "customer_id" in r or not ("product_id" in r or "product_name" in r) \
                    or not any(f in r for f in ("quantity", "unit_price", "amount")):
                continue
            new_header, new_lines = with_found(header, h), with_found(lines, r)
            if new_header.role == "orders" and new_lines.role == "items":
                out[hi], out[li] = new_header, new_lines
    return out


def _shared_column(header: TableFile, lines: TableFile) -> tuple[str, str] | None:
    """(header column, lines column): the same name, not the header's customer or date nor the lines' product,
    quantity or money, unique in the header, and the lines' values found there (see :func:`_shared_order_keys`);
    None when no column qualifies."""
    def free(table: TableFile, kept: tuple[str, ...]) -> list[str]:
        if "order_id" in table.recognised:
            return [table.recognised["order_id"]]
        taken = {c for f, c in table.recognised.items() if f in kept}
        return [str(c) for c in table.frame.columns if str(c) not in taken]

    by_name = {normalise_header(c): c for c in free(lines, _LINE_FIELDS)}
    for hcol in free(header, ("customer_id", "timestamp")):
        lcol = by_name.get(normalise_header(hcol))
        if lcol is None:
            continue
        hkeys = key_values(header.frame[hcol]).dropna()
        lkeys = key_values(lines.frame[lcol]).dropna()
        if hkeys.empty or lkeys.empty or hkeys.nunique() / len(hkeys) < MOSTLY_UNIQUE:
            continue
        if overlap_share(lkeys, hkeys) >= SHARED_KEY_OVERLAP:
            return hcol, lcol
    return None


def _lookups_by_values(files: list[TableFile], cache: KeyCache) -> list[TableFile]:
    """Unrecognised files read as the customer table or the product catalogue their values show they are.

    An ERP's partner or product table keys its rows by a technical id ("id": ``res_partner_12``) that the
    header or the lines name in a column of their own ("partner_id/id"). When the export has no customer table
    (or no product catalogue) and a unique column of an unrecognised file holds at least
    :data:`LOOKUP_OVERLAP` of the distinct values of one of the header's (the lines') key columns, that file is
    the customer table (the product catalogue) keyed by that column. Plain numbers count only when the two
    columns' names agree, since small numbers are found in any column of numbers.
    """
    out = list(files)
    for child_role, parent_role, pfield in (("orders", "customers", "customer_id"), ("items", "products", "product_id")):
        child = next((f for f in out if f.role == child_role), None)
        if child is None or any(f.role == parent_role for f in out):
            continue
        best = None
        for ui, table in enumerate(out):
            if table.role != "unknown" or "timestamp" in table.recognised and parent_role == "products":
                continue
            for ucol in map(str, table.frame.columns):
                keys = cache.get(table, ucol).dropna()
                if keys.empty or keys.nunique() / len(keys) < UNIQUE_SHARE:
                    continue
                for ccol in key_columns(child, "customer_id" if child_role == "orders" else "product_id"):
                    cvals = cache.get(child, ccol).dropna()
                    if cvals.nunique() < LOOKUP_MIN_KEYS:
                        continue
                    same_name = normalise_header(ccol) == normalise_header(ucol)
                    if not same_name and cvals.astype(str).str.fullmatch(r"[\d.,\s-]+").mean() > 0.5:
                        continue
                    share = overlap_share(cvals, keys)
                    if share >= LOOKUP_OVERLAP and (best is None or share > best[0]):
                        best = (share, ui, ucol, ccol)
        if best is None:
            continue
        share, ui, ucol, ccol = best
        table = out[ui]
        fields = {f: c for f, c in table.recognised.items() if f in FIELDS[parent_role] and c != ucol}
        fields[pfield] = ucol
        out[ui] = replace(table, role=parent_role, score=round(share, 3), fields=fields,
                          recognised=table.recognised | {pfield: ucol},
                          reason=Note("role_by_values", {"file": table.name, "role": parent_role, "column": ucol,
                                                         "child": child.name, "child_key": ccol, "share": share}))
    return out


def _customer_tables_by_values(files: list[TableFile], cache: KeyCache) -> list[TableFile]:
    """Files taken for complete exports that are the customer table of another file, as their values show.

    An ERP's customer master holds a sign-up date, a credit limit, a payment-terms code: the mapper finds a date,
    money and a "product" there, so the file reads as a complete orders export. When such a file has no order id,
    its customer id is unique (one line per customer), and at least :data:`LOOKUP_OVERLAP` of the distinct
    customer ids (at least :data:`LOOKUP_MIN_KEYS`) of an order header or of a complete export among the files are
    found there, it is the customer table (reason ``role_by_values``). Plain numbers count only when the two
    columns' names agree, as in :func:`_lookups_by_values`.
    """
    out = list(files)
    if any(f.role == "customers" for f in out):
        return out
    best = None
    for ui, table in enumerate(out):
        col = table.recognised.get("customer_id")
        if table.role != "single" or col is None or "order_id" in table.recognised:
            continue
        keys = cache.get(table, col).dropna()
        if keys.empty or keys.nunique() / len(keys) < UNIQUE_SHARE:
            continue
        for ci, child in enumerate(out):
            ccol = child.recognised.get("customer_id")
            if ci == ui or child.role not in ("single", "orders") or ccol is None or "order_id" not in child.recognised:
                continue
            cvals = cache.get(child, ccol).dropna()
            if cvals.nunique() < LOOKUP_MIN_KEYS:
                continue
            if normalise_header(ccol) != normalise_header(col) \
                    and cvals.astype(str).str.fullmatch(r"[\d.,\s-]+").mean() > 0.5:
                continue
            share = overlap_share(cvals, keys)
            if share >= LOOKUP_OVERLAP and (best is None or share > best[0]):
                best = (share, ui, col, child.name, ccol)
    if best is None:
        return out
    share, ui, col, child, ccol = best
    table = out[ui]
    fields = {f: c for f, c in table.recognised.items() if f in FIELDS["customers"]}
    out[ui] = replace(table, role="customers", score=round(share, 3), fields=fields,
                      reason=Note("role_by_values", {"file": table.name, "role": "customers", "column": col,
                                                     "child": child, "child_key": ccol, "share": share}))
    return out


def _measure(files: list[TableFile], chosen: dict[str, tuple[str, str]], person: tuple[bool, str | None],
             cache: KeyCache, unreadable: dict[str, Words] | None = None) -> TablesProposal:
    """Relations, counts, person key and notes for files with their roles (and the files left out unread)."""
    unreadable = dict(unreadable or {})
    notes: list[Note] = [f.reason for f in files]
    notes += [Note("left_out_unreadable", {"file": name, "error": error.english().rstrip(".")}, "warning")
              for name, error in unreadable.items()]
    first: dict[str, TableFile] = {}
    for f in files:
        if f.role in JOINED_ROLES:
            if f.role in first:
                notes.append(Note("role_twice", {"file": f.name, "role": f.role, "other": first[f.role].name},
                                  "warning"))
            else:
                first.setdefault(f.role, f)
    joinable = any(r in first for r in ("orders", "items"))
    for f in files:
        if f.role == "single" and joinable:
            notes.append(Note("single_alone", {"file": f.name}, "warning"))
    relations: list[Relation] = []
    for child_role, cfield, parent_role, pfield in LINKS:
        child, parent = first.get(child_role), first.get(parent_role)
        if child is None or parent is None:
            continue
        link = f"{child_role}->{parent_role}"
        if link in chosen:
            rel = chosen_relation(link, child, chosen[link][0], parent, chosen[link][1], cache)
        else:
            rel = propose_relation(child, cfield, parent, pfield, cache)
        relations.append(rel)
        notes.append(rel.reason)
    proposal = TablesProposal(files, relations, None, notes, dict(chosen), person, cache, unreadable)
    for rel in relations:
        c = rel.counts
        if rel.link == "orders->customers" and c.get("customers_without_orders"):
            notes.append(Note("customers_without_orders", {"customers": c["customers_without_orders"],
                                                           "file": rel.parent}))
        if rel.link == "items->products" and c.get("items_unknown_product"):
            notes.append(Note("items_without_product", {"rows": c["items_unknown_product"],
                                                        "share": c["items_unknown_product"] / max(1, c["child_rows"]),
                                                        "file": rel.parent}, "warning"))
        if rel.link == "payments->orders" and c.get("orders_without_payment"):
            notes.append(Note("orders_without_payment", {"orders": c["orders_without_payment"],
                                                         "share": c["orders_without_payment"] / max(1, c["parent_keys"]),
                                                         "file": rel.child}, "warning"))
        if rel.link == "payments->orders" and c.get("payments_without_order"):
            notes.append(Note("payments_without_order", {"rows": c["payments_without_order"], "file": rel.child},
                              "warning"))
        if rel.link in ("orders->customers", "items->products") and c.get("parent_duplicate_rows"):
            notes.append(Note("duplicate_keys", {"file": rel.parent, "rows": c["parent_duplicate_rows"],
                                                 "column": rel.parent_key}, "warning"))
    proposal.person_key = _person_key(proposal, person)
    notes.extend(_person_notes(proposal))
    return proposal


def _person_key(proposal: TablesProposal, person: tuple[bool, str | None]) -> PersonKey | None:
    """Where the person behind an order is named: the customer table's stable column when one maps
    the per-order id to fewer people, else the header's customer id (see :mod:`.keys`)."""
    header = proposal.table("orders")
    if header is None:
        return None
    cache = proposal.cache
    customers = proposal.table("customers")
    rel = proposal.relation("orders->customers")
    if customers is not None and rel is not None and rel.child_key:
        table, id_col = customers, rel.parent_key
    elif "customer_id" in header.fields:
        table, id_col = header, header.fields["customer_id"]
    else:
        return None
    candidates = stable_columns(table, id_col, cache)
    was_chosen, chosen = person
    if was_chosen:
        if chosen is not None and chosen not in map(str, table.frame.columns):
            raise InputError("'{file}' has no column '{column}'. Choose one of its columns as the person key.",
                             file=table.name, column=chosen)
        stable = chosen
    else:
        stable = candidates[0] if candidates else None
    key = PersonKey(table.name, id_col, stable, candidates=candidates, chosen=was_chosen)
    # people and repeat share, measured on the order header
    rel_io = proposal.relation("items->orders")
    order_col = rel_io.parent_key if rel_io is not None and rel_io.parent_key else header.fields.get("order_id")
    h_customer_col = rel.child_key if table is customers else id_col
    orders = cache.get(header, order_col) if order_col else None
    ids = cache.get(header, h_customer_col)
    if stable is not None and table is customers:
        pmap = pd.Series(cache.get(customers, stable).to_numpy(), index=cache.get(customers, id_col).to_numpy())
        pmap = pmap[~pmap.index.duplicated() & pmap.index.notna()]
        people = ids.map(pmap)
    elif stable is not None:
        people = cache.get(header, stable)
    else:
        people = ids
    key.ids = int(ids.nunique())
    if orders is not None:
        key.people, key.repeat_share = repeat_share(orders, people)
    else:
        key.people = int(people.nunique())
    return key


def _person_notes(proposal: TablesProposal) -> list[Note]:
    key = proposal.person_key
    if key is None:
        return []
    if key.stable is not None:
        return [Note("person_key_stable", {"stable": key.stable, "file": key.file, "per_order": key.per_order,
                                           "ids": key.ids, "people": key.people, "repeat": key.repeat_share})]
    if key.repeat_share < RARE_REPEAT:
        column = key.per_order
        if key.candidates:
            return [Note("person_key_not_repeating", {"column": column, "repeat": key.repeat_share,
                                                      "suggest": key.candidates[0], "file": key.file}, "warning")]
        return [Note("person_key_not_repeating_no_fix", {"column": column, "repeat": key.repeat_share}, "warning")]
    return []


def apply_proposal(proposal: TablesProposal, *, revenue: str = "items", outlier_policy: str = "flag",
                   salt: str = "", name: str | None = None):
    """Join, clean and describe the tables of ``proposal``: a :class:`ecom_analytics.ingest.pipeline.IngestResult`
    (kind "orders") whose report has the usual ``cleaning`` (join rules first, rows in = rows kept +
    rows set aside across the tables), ``notes`` in English, and ``tables`` (files, relations with
    counts, person key, payments reconciliation, coded notes, the revenue choice).

    A set of one complete orders export and nothing to join is processed as a single file (same
    dataset id as the single-file ingest)."""
    from ecom_analytics.ingest import pipeline
    from ecom_analytics.ingest.mapping import propose_mapping
    from ecom_analytics.ingest.tables.join import clean_joined, dataset_id_for_tables, join_problem, join_tables

    joinable = [f for f in proposal.files if f.role in JOINED_ROLES]
    if not joinable and len(proposal.singles) == 1 and (len(proposal.files) > 1 or proposal.unreadable):
        # one complete export among files not recognised as its tables: read alone, the others named as left out
        return _process_alone(proposal, (proposal.singles[0], []), revenue=revenue, outlier_policy=outlier_policy,
                              salt=salt, name=name)
    if not joinable and len(proposal.singles) == 1:
        single = proposal.singles[0]
        prepared = pipeline.Prepared(single.raw, propose_mapping(single.raw.frame, "orders",
                                                                 has_header=single.raw.has_header),
                                     single.digest, single.size_bytes)
        return pipeline.process(prepared, outlier_policy=outlier_policy, salt=salt, name=name)
    problem = join_problem(proposal)
    if problem is not None:
        alone = read_alone(proposal, problem)
        if alone is None:
            raise _refusal(proposal, problem)
        return _process_alone(proposal, alone, revenue=revenue, outlier_policy=outlier_policy, salt=salt, name=name)
    joined = join_tables(proposal, revenue=revenue, salt=salt)
    result = clean_joined(joined, outlier_policy=outlier_policy)
    notes = list(proposal.notes) + joined.notes
    used = [f for f in proposal.files if f.role in JOINED_ROLES]
    report = {
        "reader": {f.name: f.raw.describe() for f in proposal.files},
        "mapping": {c: {"source": ch.source, "confidence": ch.confidence, "reason": ch.reason.english()}
                    for c, ch in joined.mapping.choices.items()},
        "pii_columns": [],
        "parse": dict(joined.canonical.parse_details),
        "notes": [n.text() for n in notes],
        "cleaning": result.report,
        "tables": {"files": [{k: v for k, v in f.describe().items() if k != "scores"} for f in proposal.files],
                   "relations": [r.describe() for r in proposal.relations],
                   "person_key": proposal.person_key.describe() if proposal.person_key else None,
                   "payments": joined.payments, "revenue": revenue, "rows_in": joined.rows_in,
                   "notes": [n.as_dict() for n in notes]},
    }
    dataset_id = dataset_id_for_tables(proposal, revenue=revenue, outlier_policy=outlier_policy)
    title = name or " + ".join(f.name for f in used)
    return pipeline.IngestResult(dataset_id, "orders", title, joined.mapping, result, report)


def _refusal(proposal: TablesProposal, problem: tuple[str, dict]) -> InputError:
    """The error that refuses files that make no join and no complete export: the real cause first when there is
    one. Files without a header line whose roles could not be recognised are named with what to do (their columns
    are column_1, column_2 ...: no role can be told from names); a file left out unread is named with its error."""
    from ecom_analytics.ingest.tables.join import join_refusal

    nameless = [f.name for f in proposal.files if not f.raw.has_header and f.role == "unknown"]
    if nameless:
        return InputError("No header line was found in {files}: the first line was read as data, so the columns have "
                          "no names (column_1, column_2, ...) and no table of an orders export was recognised. Add a "
                          "line naming the columns to each file and upload the files together again, or ingest a "
                          "file that holds the customer, date and amount on its own and choose those columns (CLI: "
                          "ingest FILE --no-header --map customer_id=column_N --map timestamp=column_N --map "
                          "amount=column_N).", files=", ".join(f"'{n}'" for n in nameless))
    refusal = join_refusal(*problem)
    if proposal.unreadable:
        name, error = next(iter(proposal.unreadable.items()))
        return InputError("{refusal} '{file}' could not be read and was left out, which may be why: {error}",
                          refusal=refusal.note, file=name, error=error)
    return refusal


#: roles a file read on its own may have (what it was taken for among the tables)
_ALONE_ROLES = ("single", "orders", "unknown")


def _complete_alone(table: TableFile) -> bool:
    """Whether ``table`` is a complete orders export on its own: a customer, a date that reads as dates and money
    recognised, and the single-file mapping needs no other column."""
    from ecom_analytics.ingest.mapping import propose_mapping

    r = table.recognised
    if table.role not in _ALONE_ROLES or table.kind != "orders" or not {"customer_id", "timestamp"} <= set(r) \
            or not ("amount" in r or "unit_price" in r):
        return False
    return not propose_mapping(table.frame, "orders", has_header=table.raw.has_header).missing_required()


def read_alone(proposal: TablesProposal, problem: tuple[str, dict]) -> tuple[TableFile, list[Note]] | None:
    """The one file read on its own when the files of ``proposal`` do not make a join (``problem``, from
    :func:`ecom_analytics.ingest.tables.join.join_problem`), with the notes that say why and what each other
    file is and why it is left out; None when no file, or more than one, is a complete orders export alone, or
    when the analyst chose an order header or line items (the join they asked for is refused, not replaced).

    A file the analyst read as "single" is the one; otherwise the one file with a customer, a date and money
    (:func:`_complete_alone`): a complete orders export that came with catalogues of its keys, an order header
    that carries the order's amount next to lines without prices.
    """
    chosen = {f.name: f.role for f in proposal.files if f.reason.code == "role_chosen"}
    if any(role in ("orders", "items") for role in chosen.values()):
        return None
    picked = [f for f in proposal.files if chosen.get(f.name) == "single"]
    covered: dict[str, tuple[int, float]] = {}
    if not picked:
        picked = [f for f in proposal.files if f.name not in chosen and _complete_alone(f)]
        if len(picked) > 1:
            picked, covered = _containing_export(picked, proposal.cache)
    if len(picked) != 1:
        return None
    alone = picked[0]
    code, params = problem
    why = {"no_items": {}, "no_header": {"items": params.get("items")},
           "no_link": {"items": params.get("items"), "orders": params.get("orders")},
           "header_incomplete": {"orders": params.get("orders"), "fields": params.get("fields")},
           "items_no_price": {"items": params.get("items")}}[code]
    notes = [Note(f"read_alone_{code}", {"file": alone.name} | why, "warning")]
    for f in proposal.files:
        if f is alone:
            continue
        r = f.recognised
        if f.name in covered:
            notes.append(Note("left_out_covered", {"file": f.name, "orders": covered[f.name][0],
                                                   "share": covered[f.name][1], "used": alone.name}, "warning"))
        elif f.role in ("orders", "items"):
            notes.append(Note("left_out_part", {"file": f.name, "role": f.role, "used": alone.name}, "warning"))
        elif f.role in JOINED_ROLES:
            notes.append(Note("left_out_table", {"file": f.name, "role": f.role, "used": alone.name}, "warning"))
        elif f.role == "unknown" and "order_id" in r and ("product_id" in r or "product_name" in r):
            notes.append(Note("left_out_no_price", {"file": f.name, "order_id": r["order_id"],
                                                    "product": r.get("product_id", r.get("product_name")),
                                                    "used": alone.name}, "warning"))
    return alone, notes


def _containing_export(picked: list[TableFile], cache: KeyCache) -> tuple[list[TableFile], dict[str, tuple[int, float]]]:
    """Among several files that are each complete alone, the one that holds the others' orders line by line: it has
    a product and an order id, and at least :data:`SHARED_KEY_OVERLAP` of the distinct order ids of every other one
    (no more than it has) are among its own (an ERP's order lines with each order's customer and date copied onto
    them, next to a header of some of those orders). Returns ``([that file], {other file: (its distinct order ids,
    the share found)})``, or ``(picked, {})`` when no file, or more than one, does."""
    found = []
    for a in picked:
        ra = a.recognised
        if "order_id" not in ra or not ("product_id" in ra or "product_name" in ra):
            continue
        mine = cache.get(a, ra["order_id"])
        covered = {}
        for b in picked:
            if b is a:
                continue
            if "order_id" not in b.recognised:
                break
            theirs = cache.get(b, b.recognised["order_id"])
            n = int(theirs.dropna().nunique())
            share = overlap_share(theirs, mine)
            if share < SHARED_KEY_OVERLAP or n > mine.dropna().nunique():
                break
            covered[b.name] = (n, share)
        else:
            found.append((a, covered))
    if len(found) != 1:
        return picked, {}
    return [found[0][0]], found[0][1]


#: a lookup of a file read alone: (what the file is taken for, its key field, the lookup's role, its key field)
_ALONE_LOOKUPS = (("orders", "customer_id", "customers", "customer_id"), ("items", "product_id", "products", "product_id"))


def alone_lookups(proposal: TablesProposal, table: TableFile) -> list[Relation]:
    """The customer table and the product catalogue among the files that are lookups of the ids of ``table`` (a
    complete export read alone): the relations an order header has to its customers and line items to their
    products (:func:`ecom_analytics.ingest.tables.keys.propose_relation`, the same keys and counts), from the
    export's own customer and product id columns."""
    out = []
    for as_role, cfield, role, pfield in _ALONE_LOOKUPS:
        parent = proposal.table(role)
        if parent is None or cfield not in table.recognised:
            continue
        child = replace(table, role=as_role, fields=fields_for(as_role, table.recognised))
        rel = propose_relation(child, cfield, parent, pfield, proposal.cache)
        if rel.child_key == table.recognised[cfield]:
            out.append(rel)
    return out


def _with_lookups(proposal: TablesProposal, table: TableFile, mapping, lookups: list[Relation]):
    """The export's lines with the lookups' product name, category and country where its mapping has none: the
    raw table with one column per looked-up field (named ``file:column``), the mapping taking them, and the notes.
    Every line is kept; a line whose id is not in a lookup keeps an empty value."""
    from ecom_analytics import runs
    from ecom_analytics.ingest.mapping import ColumnChoice
    from ecom_analytics.ingest.tables.join import customer_lookup, lookup_positions, product_lookup

    frame = table.frame.copy()
    frame.attrs = dict(table.frame.attrs)
    choices = dict(mapping.choices)
    notes: list[Note] = []
    mapped = mapping.as_dict()
    for rel in lookups:
        parent = proposal.file(rel.parent)
        pos = lookup_positions(proposal.cache.get(parent, rel.parent_key), proposal.cache.get(table, rel.child_key))
        if rel.link == "items->products":
            looked = product_lookup(proposal, parent, pos)
        else:
            looked = customer_lookup(parent, pos)
        added = []
        for canonical in ("product_name", "category", "country"):
            if canonical not in looked or canonical in mapped:
                continue
            values, source = looked[canonical]
            frame[source] = values.set_axis(frame.index).astype(object).where(values.notna().to_numpy(), None)
            choices[canonical] = ColumnChoice(canonical, source, 1.0, runs.Note("joined from the tables"))
            added.append(source.split(":", 1)[1])
        if not added:
            continue
        c = rel.counts
        notes.append(Note("lookup_used", {"file": parent.name, "role": parent.role, "used": table.name,
                                          "columns": ", ".join(f"'{a}'" for a in added), "key": rel.child_key,
                                          "share": rel.share}))
        notes.extend(n for n in looked.get("notes", []) if n.code != "category_by_table" or "category" not in mapped)
        unknown = c.get("items_unknown_product", c.get("orders_unknown_customer", 0))
        if unknown:
            code = "items_without_product" if rel.link == "items->products" else "lookup_unknown_customer"
            notes.append(Note(code, {"rows": unknown, "share": unknown / max(1, c["child_rows"]), "file": parent.name},
                              "warning"))
    raw = replace(table.raw, frame=frame)
    out = type(mapping)(mapping.kind, choices, dict(mapping.pii_columns), list(mapping.notes))
    return raw, out, notes


def _process_alone(proposal: TablesProposal, alone: tuple[TableFile, list[Note]], *, revenue: str,
                   outlier_policy: str, salt: str, name: str | None):
    """The file of :func:`read_alone` ingested as a single file, its report with the ``tables`` section a join has
    (no relations, payments or person key) and ``read_alone``. The customer table and product catalogue that are
    lookups of its ids (:func:`alone_lookups`) give its lines their country, product name and category where it
    has none (``tables.lookups``), and the dataset id then covers their bytes too; without one it is the dataset
    id of the file's single-file ingest."""
    from ecom_analytics.ingest import pipeline
    from ecom_analytics.ingest.mapping import propose_mapping

    table, left_out = alone
    mapping = propose_mapping(table.raw.frame, "orders", has_header=table.raw.has_header)
    lookups = alone_lookups(proposal, table)
    raw, full, looked = _with_lookups(proposal, table, mapping, lookups)
    if not looked:
        lookups, raw, full = [], table.raw, mapping
    prepared = pipeline.Prepared(raw, full, table.digest, table.size_bytes)
    result = pipeline.process(prepared, outlier_policy=outlier_policy, salt=salt, name=name)
    dimension = next((n.params for n in proposal.notes
                      if n.code == "role_date_dimension" and n.params["used"] == table.name), None)
    if lookups or dimension:
        added = {f"{dimension['file']}:{dimension['date']}"} if dimension else set()
        result.report["reader"] = table.raw.describe()
        result.report["reader"]["columns"] = [c for c in result.report["reader"]["columns"] if c not in added]
        given = {n.params["file"] for n in looked if n.code == "lookup_used"}
        lookups = [r for r in lookups if r.parent in given]
        used = {n.params["table"] for n in looked if n.code == "category_by_table"}
        digest = {f.name: f.digest for f in proposal.files}
        dates = [digest[dimension["file"]], dimension["column"], dimension["date"], dimension["key"]] if dimension \
            else None
        key = json.dumps({"version": 1, "alone": result.dataset_id, "files": sorted(digest.values()),
                          "lookups": sorted([r.link, digest[r.child], r.child_key, digest[r.parent], r.parent_key]
                                            for r in lookups), "dates": dates}, sort_keys=True)
        result.dataset_id = hashlib.sha256(key.encode()).hexdigest()[:16]
        left_out = [n for n in left_out if not (n.code == "left_out_table" and n.params["file"] in given)] + looked
        proposal_notes = [n for n in proposal.notes if not (n.code == "role_unknown" and n.params["file"] in used)]
    else:
        proposal_notes = list(proposal.notes)
    notes = proposal_notes + left_out
    result.report["notes"] = [n.text() for n in notes] + list(result.report["notes"])
    result.report["tables"] = {
        "files": [{k: v for k, v in f.describe().items() if k != "scores"} for f in proposal.files],
        "relations": [r.describe() for r in proposal.relations], "person_key": None, "payments": None,
        "revenue": revenue, "rows_in": None, "notes": [n.as_dict() for n in notes], "read_alone": table.name}
    if lookups:
        result.report["tables"]["lookups"] = [r.describe() for r in lookups]
    return result


def store_tables(result, proposal: TablesProposal, workspace: Workspace) -> str:
    """Write a result of :func:`apply_proposal` to the workspace and return its dataset id."""
    tab = result.report.get("tables") or {}
    alone = tab.get("read_alone")
    given = {r["parent"] for r in tab.get("lookups") or []} | {n["params"]["table"] for n in tab.get("notes") or []
                                                               if n["code"] == "category_by_table"} \
        | {n["params"]["file"] for n in tab.get("notes") or [] if n["code"] == "role_date_dimension"
           and n["params"]["used"] == alone}
    used = [f for f in proposal.files if f.name == alone or (alone and f.name in given)] or \
        [f for f in proposal.files if f.role in JOINED_ROLES] or proposal.singles
    return workspace.save_dataset(
        result.dataset_id, name=result.name, kind=result.kind, source_name=" + ".join(f.name for f in used),
        size_bytes=sum(f.size_bytes for f in used), clean=result.cleaning.clean, quarantine=result.cleaning.quarantine,
        mapping=result.mapping.as_dict(), report=result.report)


__all__ = ["TablesProposal", "propose_tables", "apply_proposal", "store_tables", "JOINED_ROLES"]


def ingest_tables(files: list[tuple[bytes, str]], *, roles: dict[str, str] | None = None,
                  relations: dict[str, tuple[str, str]] | None = None, person_key: str | None = "",
                  revenue: str = "items", outlier_policy: str = "flag", workspace: Workspace | None = None,
                  name: str | None = None, max_bytes: int | None = MAX_UPLOAD_BYTES,
                  proposal: "TablesProposal | None" = None):
    """Read, recognise, join, clean and store an export in several tables in one call (see
    :mod:`ecom_analytics.ingest.tables`): ``files`` as ``[(bytes, filename), ...]``; ``roles`` file name ->
    role and ``relations`` link ("items->orders") -> (child column, parent column) correct the
    proposal; ``person_key`` a column naming the person ("" keeps the proposal, None the per-order
    id); ``revenue`` "items" or "items_and_freight". The dataset id covers every file's bytes, the
    roles, relations, person key and options, so the same upload reopens the same dataset. Returns the
    :class:`ecom_analytics.ingest.pipeline.IngestResult` of :func:`apply_proposal`. ``proposal``: the files'
    proposal when the caller has already read them (:func:`propose_tables` of the same ``files``)."""
    workspace = workspace or Workspace()
    proposal = proposal or propose_tables(files, max_bytes=max_bytes)
    for file_name, role in (roles or {}).items():
        proposal = proposal.with_role(file_name, role)
    for link, (child_key, parent_key) in (relations or {}).items():
        proposal = proposal.with_relation(link, child_key, parent_key)
    if person_key != "":
        proposal = proposal.with_person_key(person_key)
    result = apply_proposal(proposal, revenue=revenue, outlier_policy=outlier_policy, salt=workspace.salt(), name=name)
    store_tables(result, proposal, workspace)
    return result
