"""The mapper on a corpus of exports it was not built against (issue #15, part 7).

Each variant of :mod:`tests.corpus.generate` (14 languages and traditional Chinese, platform
layouts, with and without a header, delimiters, decimal commas, date formats) is read with
:func:`ecom_analytics.ingest.readers.read_table`, mapped with :func:`ecom_analytics.ingest.mapping.propose_mapping`,
built and cleaned; the mapping is checked column by column against the truth and the rows
reconcile (rows in = kept + set aside). A column is right when the mapper chose an acceptable
source; a canonical column the mapper filled that the file does not have counts as wrong.

The summary reports the share right overall and on the held-out layouts (languages sv, tr, ko,
pl and platforms Shopware, PrestaShop, BigCommerce, Lazada, JD: written before the vocabulary,
never used to tune it), and apart from both the second held-out round (Vietnamese, Thai,
Indonesian, Arabic, Czech, Romanian, Norwegian, Danish layouts taken from public exports after the
vocabulary of those languages was written; :data:`tests.corpus.heldout.HELDOUT_ORDERS_2`) and the
third (Catalan, Estonian, Latvian, Lithuanian, Croatian, Serbian, Slovenian, Bulgarian, Persian, Urdu,
Bengali, from public shop translation files; :data:`tests.corpus.heldout.HELDOUT_ORDERS_3`) and the
fourth (German, Japanese, Hebrew, Hungarian, Ukrainian, Slovak, Greek, Spanish, traditional Chinese,
Dutch, Italian, Finnish, French, Brazilian Portuguese, Russian, from Shopware 6, EC-CUBE, OpenCart,
ocStore, modified, Zen Cart, osCommerce and 1C-Bitrix labels; :data:`tests.corpus.heldout.HELDOUT_ORDERS_4`):

    python -m pytest tests/corpus -q -s
"""

from __future__ import annotations

import functools

import pytest

from ecom_analytics.ingest import cleaning, readers
from ecom_analytics.ingest.mapping import apply_mapping, propose_mapping
from tests.corpus.generate import Variant, variants

VARIANTS = variants()
#: the share of canonical columns mapped right, overall and on the held-out layouts (measured;
#: the bars sit just under what the mapper reaches, so a regression fails)
BAR_OVERALL = 0.98
BAR_HELDOUT = 0.95
#: the second held-out round (languages added second: Vietnamese, Thai, Indonesian, Arabic, Czech,
#: Romanian, Norwegian, Danish; headers from public exports the vocabulary was not written from),
#: scored apart from the rest: its failures are reported, not tuned away
BAR_HELDOUT_2 = 0.77  # measured 78/100 (07:05 UTC, first run on these layouts)
#: the third held-out round (Catalan, Estonian, Latvian, Lithuanian, Croatian, Serbian, Slovenian,
#: Bulgarian, Persian, Urdu, Bengali; headers quoted from public shop translation files, written while
#: these languages' vocabulary was written elsewhere, without seeing it), scored apart likewise
#: measured 170/202 = 84.2% at 13:20 UTC, after these languages' vocabulary landed (459fa5e, 8f90f89);
#: before it, 130/202 = 64.4% (vocabulary.py of 4b7356c, run on a clean copy at 13:21 UTC; the 12:32 run
#: in the shared checkout already read the uncommitted vocabulary and gave 170/202 too)
BAR_HELDOUT_3 = 0.81
#: the fourth held-out round (15 layouts: German, Japanese, Hebrew, Hungarian, Ukrainian, Slovak, Greek,
#: Spanish, traditional Chinese, Dutch, Italian, Finnish, French, Brazilian Portuguese, Russian; headers
#: quoted from public shop software's order exports and translation files, written while the mapper was
#: changed elsewhere, without seeing it), scored apart likewise
#: measured 232/284 = 81.7% at 14:11 UTC, first run on these layouts (mapping.py/vocabulary.py of 48e49d8),
#: on both bases; each base alone gave the same verdicts (116/142 = 81.7% on the synthetic one, rerun on a
#: clean copy of 48e49d8 at 14:14), so the round now runs on the synthetic shop only (+~4 s, not +~9 s);
#: measured again 137/141 = 97.2% at 15:30 UTC, after the mapping work landed (mapping.py/vocabulary.py of
#: 5e7ab1b; 0df4b20 names this round's share, so that figure was reached with these misses in view). The
#: bar sits under the lower, untuned figure (81.7%)
BAR_HELDOUT_4 = 0.78


@functools.lru_cache(maxsize=None)
def outcome(name: str) -> dict | None:
    """Read, map, build and clean one variant: its per-column verdicts and reconciliation."""
    v: Variant = next(x for x in VARIANTS if x.name == name)
    data = v.build()
    if data is None:
        return None
    raw = readers.read_table(data, f"{v.name}.csv")
    mapping = propose_mapping(raw.frame, has_header=raw.has_header)
    got = mapping.as_dict()
    truth = v.truth
    verdicts = {}
    for canonical, ok in truth.items():
        verdicts[canonical] = (got.get(canonical) in ok, got.get(canonical), ok)
    for canonical, source in got.items():
        if canonical not in truth:
            verdicts[canonical] = (False, source, {None})  # filled from a column that is not it
    result = {"variant": v, "raw": raw, "mapping": mapping, "verdicts": verdicts, "kind": mapping.kind}
    if not mapping.missing_required() and mapping.kind == v.kind:
        canonical = apply_mapping(raw.frame, mapping, pseudonymise=lambda s: s)
        cleaned = cleaning.clean(canonical, raw.frame, raw.bad_lines, kind=mapping.kind)
        result["report"] = cleaned.report
    return result


def _run(name: str) -> dict:
    out = outcome(name)
    if out is None:
        pytest.skip("needs ../shared/data (real files absent); the hand-written variants still run")
    return out


@pytest.mark.parametrize("name", [v.name for v in VARIANTS])
def test_variant_is_read_and_reconciles(name):
    out = _run(name)
    v = out["variant"]
    assert out["raw"].has_header == v.header
    assert out["kind"] == v.kind, f"{name}: read as {out['kind']}"
    report = out.get("report")
    if report is not None:
        assert report["rows_in"] == report["rows_clean"] + report["rows_quarantined"]
        assert report["rows_in"] == len(v.frame())


def test_share_of_columns_mapped_right():
    rows, missing = [], []
    second, third, fourth = [], [], []
    for v in VARIANTS:
        out = outcome(v.name)
        if out is None:
            missing.append(v.name)
            continue
        for canonical, (right, got, ok) in out["verdicts"].items():
            (fourth if v.fourth_round else third if v.third_round else second if v.second_round else rows).append(
                (v, canonical, right, got, ok))
    assert len(VARIANTS) >= 60
    right = sum(r[2] for r in rows)
    held = [r for r in rows if r[0].heldout]
    held_right = sum(r[2] for r in held)
    share, held_share = right / len(rows), held_right / max(1, len(held))
    ran = len(VARIANTS) - len(missing)
    print(f"\ncorpus: {ran} of {len(VARIANTS)} variants ran ({len(missing)} need ../shared/data); "
          f"columns mapped right {right}/{len(rows)} = {share:.1%}; held-out {held_right}/{len(held)} = {held_share:.1%}")
    groups: dict[str, list] = {}
    for r in rows:
        groups.setdefault(r[0].group, []).append(r[2])
    for g, vals in sorted(groups.items()):
        print(f"  {g:28s} {sum(vals)}/{len(vals)}")
    for v, canonical, ok_, got, ok in rows:
        if not ok_:
            print(f"  WRONG {v.name}: {canonical} -> {got!r}, expected {sorted(map(str, ok))}")
    second_share = _print_round("second", second)
    third_share = _print_round("third", third)
    fourth_share = _print_round("fourth", fourth)
    assert share >= BAR_OVERALL
    assert held_share >= BAR_HELDOUT
    assert second_share >= BAR_HELDOUT_2
    assert third_share >= BAR_HELDOUT_3
    assert fourth_share >= BAR_HELDOUT_4


def _print_round(which: str, rows: list) -> float:
    """Print a held-out round's share, its languages' lines and its wrong columns; return the share."""
    share = sum(r[2] for r in rows) / max(1, len(rows))
    print(f"held-out, {which} round: columns mapped right {sum(r[2] for r in rows)}/{len(rows)} = {share:.1%}")
    by_group: dict[str, list] = {}
    for r in rows:
        by_group.setdefault(r[0].group, []).append(r[2])
    for g, vals in sorted(by_group.items()):
        print(f"  {g:28s} {sum(vals)}/{len(vals)}")
    for v, canonical, ok_, got, ok in rows:
        if not ok_:
            print(f"  WRONG {v.name}: {canonical} -> {got!r}, expected {sorted(map(str, ok))}")
    return share


def test_every_reason_the_mapper_gives_has_chinese():
    from ecom_analytics.i18n import untranslated_parts
    missing = set()
    for v in VARIANTS:
        out = outcome(v.name)
        if out is None:
            continue
        for choice in out["mapping"].choices.values():
            if untranslated_parts(choice.reason, "zh"):
                missing.add(choice.reason)
    assert not missing, sorted(missing)[:10]
