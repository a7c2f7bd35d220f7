"""A Babel extraction method for this code base (named in ``babel.cfg``; ``pybabel extract`` and the
completeness test both use it).

Babel's own Python extractor reads tokens, so ``t("Retention" if by_share else "Revenue")`` comes out
as one message "RetentionRevenue" and ``t(row["label"])`` as "label". This one reads the syntax
tree: a keyword call gives one message per literal its argument can take (both branches of a
conditional), a non-literal argument gives none (a variable is translated where its words are
written), the code of ``Note("...", params)`` (a ``runs.Note``; its code is the English template),
the string constants of a ``notes.py`` module (the codes of a capability's notes), and the English labels given to ``linked(key, {option: "Label"})`` and
``linked_tabs(key, {...})`` (the option widgets kept in the link; a dict literal, or a name this file
assigns one to) are messages too.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import IO, Any

#: a {field} of a template, with an optional format spec
FIELD = re.compile(r"\{\w*(?:![rsa])?(?::[^{}]*)?\}")
#: calls whose second argument maps option codes to English labels shown translated
LABEL_MAPS = {"linked", "linked_tabs"}


def _strings(node: ast.AST | None) -> list[str | None]:
    """Every literal string an argument can be (None when it is not a literal)."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [node.value]
    if isinstance(node, ast.IfExp):
        return [*_strings(node.body), *_strings(node.orelse)]
    return [None]


def _name(func: ast.AST) -> str:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return ""


def extract(fileobj: IO[bytes], keywords: Collection[str], comment_tags: Collection[str],
            options: dict[str, Any]) -> Iterator[tuple[int, str | None, tuple[str | None, ...], list[str]]]:
    """Babel's extraction interface: ``(line, function name, messages, comments)`` per message."""
    tree = ast.parse(fileobj.read().decode(options.get("encoding", "utf-8")))
    # dicts assigned to a name in this file, for linked_tabs(key, tab_names)
    named = {target.id: node.value for node in ast.walk(tree) if isinstance(node, ast.Assign)
             and isinstance(node.value, ast.Dict) for target in node.targets if isinstance(target, ast.Name)}
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        name = _name(node.func)
        if name in LABEL_MAPS and len(node.args) > 1:
            labels = node.args[1]
            if isinstance(labels, ast.Name):
                labels = named.get(labels.id)
            for value in labels.values if isinstance(labels, ast.Dict) else []:
                for text in _strings(value):
                    if text:
                        yield value.lineno, None, (text,), []
            continue
        if name == "Note" and node.args and "Note" not in keywords:
            # runs.Note("code", ...): the code is the msgid (an identifier such as "quantity_one" is a code
            # of a note type with its own English template, not a sentence)
            if any(text is not None and text.isidentifier() for text in _strings(node.args[0])):
                continue
            name = None
        elif name not in keywords or not node.args:
            continue
        choices = [_strings(arg) for arg in node.args[:3]]
        width = max(len(c) for c in choices)
        for i in range(width):  # the i-th branch of each conditional argument
            yield node.lineno, name, tuple(c[i] if i < len(c) else c[-1] for c in choices), []
    if getattr(fileobj, "name", "").endswith("notes.py"):  # a notes module: its string constants are codes
        for node in tree.body:
            if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id.isupper() for t in node.targets):
                for text in _strings(node.value):
                    if text:
                        yield node.lineno, None, (text,), []


#: the keywords of the translating functions, as ``pybabel extract -k`` takes them
KEYWORDS: dict[str, Any] = {"t": None, "tn": (1, 2), "tc": ((1, "c"), 2), "translate": None,
                            "translate_plural": (1, 2), "translate_in": ((1, "c"), 2)}


def wordy(msgid: str) -> bool:
    """Whether a msgid has a word to translate, two letters or more outside its fields (``{value:,.2f}``
    and ``p < 0.001`` have none)."""
    return re.search(r"[^\W\d_]{2,}", FIELD.sub("", msgid)) is not None


def extracted(root: str | Path) -> list[tuple[str, int, str | tuple[str, ...], str | None]]:
    """``(file, line, msgid, context)`` of every message under ``root``, with ``root/babel.cfg``."""
    from babel.messages.extract import extract_from_dir
    from babel.messages.frontend import parse_mapping_cfg

    with (Path(root) / "babel.cfg").open(encoding="utf-8") as handle:
        method_map, options_map = parse_mapping_cfg(handle)
    return [(path, line, msgid, context) for path, line, msgid, _, context in
            extract_from_dir(str(root), method_map, options_map, keywords=KEYWORDS, strip_comment_tags=True)]


def add_missing(root: str | Path, lang: str) -> list[str]:
    """Append every extracted msgid that ``lang``'s catalogues lack to its ``messages.po`` with an empty
    msgstr, for a translator to fill in; returns them. (``pybabel update`` would also mark the
    entries it does not extract as obsolete, and the words shown through variables are such entries.)"""
    from babel.messages.pofile import read_po

    from ecom_analytics import i18n

    known = i18n.catalogue(lang)
    words = i18n.translations(lang)
    new: dict[tuple, tuple[str, int]] = {}
    for path, line, msgid, context in extracted(root):
        if not wordy(msgid if isinstance(msgid, str) else msgid[0]):
            continue
        if isinstance(msgid, tuple):
            if msgid[0] in known or words.ngettext(msgid[0], msgid[1], 1) != msgid[0]:
                continue
        elif context:
            if words.pgettext(context, msgid) != msgid:
                continue
        elif msgid in known:
            continue
        new.setdefault((msgid, context), (path, line))

    def quoted(text: str) -> str:
        return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'

    target = i18n.LOCALES / lang / "LC_MESSAGES" / "messages.po"
    with target.open("rb") as handle:
        present = {(m.id, m.context) for m in read_po(handle)}
    chunks = []
    for (msgid, context), (path, line) in new.items():
        if (msgid, context) in present:
            continue  # added before, not translated yet
        chunk = f"\n#: {path}:{line}\n"
        chunk += "#, python-brace-format\n" if "{" in (msgid if isinstance(msgid, str) else msgid[0]) else ""
        chunk += f"msgctxt {quoted(context)}\n" if context else ""
        if isinstance(msgid, tuple):
            chunk += f'msgid {quoted(msgid[0])}\nmsgid_plural {quoted(msgid[1])}\nmsgstr[0] ""\n'
        else:
            chunk += f'msgid {quoted(msgid)}\nmsgstr ""\n'
        chunks.append(chunk)
    if chunks:
        ending = "" if target.read_bytes().endswith(b"\n") else "\n"
        with target.open("a", encoding="utf-8") as handle:
            handle.write(ending + "".join(chunks))
        i18n.reload()
    return [f"{path}:{line}: {msgid!r}" for (msgid, _), (path, line) in new.items()]


def main(argv: list[str] | None = None) -> int:
    """``python -m ecom_analytics.i18n.extract zh``: add the strings zh lacks to its messages.po."""
    import sys

    args = sys.argv[1:] if argv is None else argv
    root = Path(__file__).resolve().parents[2]
    for lang in args or ["zh"]:
        added = add_missing(root, lang)
        print(f"{lang}: {len(added)} new msgid(s) in {lang}/LC_MESSAGES/messages.po to translate")
        for where in added:
            print("  " + where)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
