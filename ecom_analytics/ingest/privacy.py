"""Personal data: keep it out of the workspace and out of shared views.

Customer keys that are e-mail addresses or phone numbers are replaced on ingest by a salted
SHA-256 pseudonym (``c_`` + 16 hex digits). The salt is created once per workspace and never
leaves it, so the same e-mail maps to the same pseudonym within a workspace, and a pseudonym
cannot be looked up in a table of hashed addresses made elsewhere. Other PII columns (names,
phones, addresses) are never stored: only canonical columns are written, and none of them is
personal.
"""

from __future__ import annotations

import hashlib
import re

import pandas as pd

_EMAIL_IN_TEXT = re.compile(r"[\w.+'-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE_IN_TEXT = re.compile(r"\+\d[\d \-().]{5,18}\d")


def pseudonymise(values: pd.Series, salt: str) -> pd.Series:
    """Replace each value by ``c_`` + the first 16 hex digits of sha256(salt + normalised value).

    Values are normalised (trimmed, lower-cased) first so ``Ann@x.com`` and ``ann@x.com `` agree.
    Missing values stay missing.
    """
    norm = values.astype("string").str.strip().str.lower()
    uniq = norm.dropna().unique()
    table = {v: "c_" + hashlib.sha256((salt + v).encode("utf-8")).hexdigest()[:16] for v in uniq}
    return norm.map(table).astype("string")


def redact(text: pd.Series) -> pd.Series:
    """``text`` with e-mail addresses and international phone numbers (``+44 20 7946 0958``)
    replaced by ``[e-mail]`` and ``[phone]``: for raw lines kept in the quarantine."""
    text = text.astype("string")
    return text.str.replace(_EMAIL_IN_TEXT, "[e-mail]", regex=True).str.replace(_PHONE_IN_TEXT, "[phone]", regex=True)


def ad_platform_hashes(emails: pd.Series) -> pd.DataFrame:
    """SHA-256 hex digests of e-mail addresses as ad platforms match them (no salt), same index:
    ``email_sha256`` (trimmed, lower-cased: Meta's custom audiences) and ``email_sha256_google``
    (also without the dots before @gmail.com / @googlemail.com, as Google's Customer Match asks).
    Values that are not e-mail addresses stay missing.

    Not anonymous: anyone holding a list of addresses can hash it and find who is in the file,
    so these are kept only when the analyst asks for them."""
    norm = emails.astype("string").str.strip().str.lower()
    norm = norm.where(norm.str.fullmatch(_EMAIL_IN_TEXT.pattern).fillna(False))
    local = norm.str.split("@").str[0]
    domain = norm.str.split("@").str[-1]
    gmail = domain.isin(["gmail.com", "googlemail.com"]).fillna(False)
    google = norm.where(~gmail, local.str.replace(".", "", regex=False) + "@" + domain)

    def digest(values: pd.Series) -> pd.Series:
        uniq = values.dropna().unique()
        table = {v: hashlib.sha256(v.encode("utf-8")).hexdigest() for v in uniq}
        return values.map(table).astype("string")

    return pd.DataFrame({"email_sha256": digest(norm), "email_sha256_google": digest(google)}, index=emails.index)
