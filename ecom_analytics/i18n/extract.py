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
from collections.abc import Collection, Iterator
from typing import IO, Any

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
