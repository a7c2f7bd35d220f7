"""The house's import contract: data flows one way, read top to bottom.

ecom_analytics/ holds base modules (errors, engine, store, exports, sample, names, i18n) and one
package per stage. A stage imports the base and the stages before it, never one after it; only
``ecom_analytics/ui`` (and the pages and router above it) imports Streamlit; charts never import a
module that fits a model; no module imports, directly or through others, one that imports it back.
Each rule is checked on the import statements of the source (module level
and inside functions), so a new import that breaks the flow fails here, naming the file and line.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "ecom_analytics"

BASE = {"errors", "engine", "store", "exports", "sample", "names", "i18n", "runs"}
#: stage -> the stages (besides the base) it may import. The order is the flow of the data.
ALLOWED = {
    "ingest": set(),
    "insights": {"ingest"},
    "predict": {"ingest", "insights"},
    "forecasting": {"ingest", "insights"},
    "recommend": {"ingest", "insights"},
    "campaign": {"ingest", "insights", "predict"},
    "charts": set(),
    # the report sits above the stages: it summarises what they compute (report.sections runs the
    # forecast, recommenders and CLV with the pages' defaults, so the CLI builds the page's report)
    "report": {"charts", "ingest", "insights", "predict", "forecasting", "recommend"},
    "cli": {"ingest", "insights", "predict", "forecasting", "recommend", "campaign", "charts", "report"},
    "ui": {"ingest", "insights", "predict", "forecasting", "recommend", "campaign", "charts", "report"},
}
#: what each base module may import (the base is a floor, not a room where everything meets)
BASE_ALLOWED = {"errors": set(), "names": set(), "i18n": set(), "engine": set(), "runs": {"errors"}, "exports": {"errors"},
                "store": {"errors"}, "sample": {"exports", "errors"}}
#: modules that fit or hold models: a chart takes their results, never the modules themselves
MODEL_MODULES = {"ecom_analytics.predict.modeling", "ecom_analytics.predict.neural", "ecom_analytics.predict.training",
                 "ecom_analytics.predict.bgnbd", "ecom_analytics.predict.clv", "ecom_analytics.forecasting.models",
                 "ecom_analytics.forecasting.retail", "ecom_analytics.forecasting.global_model",
                 "ecom_analytics.forecasting.backtest", "ecom_analytics.recommend.models",
                 "ecom_analytics.recommend.sequence", "ecom_analytics.campaign.learners",
                 "ecom_analytics.campaign.uplift"}


def _import_nodes(path: Path) -> list[ast.Import | ast.ImportFrom]:
    """Every import statement of ``path``, at module level and inside functions, but those under
    ``if TYPE_CHECKING:`` (types only: they never run)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            skipped |= {id(n) for child in node.body for n in ast.walk(child)}
    return [node for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom)) and id(node) not in skipped]


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, imported module) for every import in ``path``; ``from ecom_analytics import x`` counts
    as importing ``ecom_analytics.x``. Imports under ``if TYPE_CHECKING:`` are left out (types only)."""
    found = []
    for node in _import_nodes(path):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif node.module and node.level == 0:
            if node.module == "ecom_analytics":
                found += [(node.lineno, f"ecom_analytics.{alias.name}") for alias in node.names]
            else:
                found.append((node.lineno, node.module))
    return found


def _room(module: str) -> str:
    """The stage or base module of ``ecom_analytics.<room>...``."""
    return module.split(".")[1]


def _library_files() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts)


def _where(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def test_every_room_of_the_package_is_known():
    rooms = {(p.relative_to(PACKAGE).parts[0]).removesuffix(".py") for p in _library_files()}
    unknown = rooms - BASE - set(ALLOWED) - {"__init__", "__main__"}
    assert not unknown, f"new top-level modules or packages {sorted(unknown)}: place them in the contract above"


def test_no_import_runs_back_up_the_flow():
    broken = []
    for path in _library_files():
        room = path.relative_to(PACKAGE).parts[0].removesuffix(".py")
        if room in ("__init__", "__main__"):
            continue
        allowed = BASE_ALLOWED[room] if room in BASE else ALLOWED[room] | BASE
        for line, module in _imports(path):
            if not module.startswith("ecom_analytics."):
                continue
            target = _room(module)
            if target != room and target not in allowed:
                broken.append(f"{_where(path)}:{line} ({room}) imports {module}")
    assert not broken, "imports that run against the flow:\n" + "\n".join(broken)


def test_only_the_ui_imports_streamlit():
    found = []
    for path in _library_files():
        if path.relative_to(PACKAGE).parts[0] == "ui":
            continue
        found += [f"{_where(path)}:{line}" for line, module in _imports(path) if module.split(".")[0] == "streamlit"]
    assert not found, "Streamlit imported outside ecom_analytics/ui: " + ", ".join(found)


def test_charts_never_import_a_model():
    found = []
    for path in sorted((PACKAGE / "charts").glob("*.py")):
        found += [f"{_where(path)}:{line} imports {module}" for line, module in _imports(path)
                  if any(module == m or module.startswith(m + ".") for m in MODEL_MODULES)]
    assert not found, "charts take results, not models:\n" + "\n".join(found)


def test_ingest_imports_no_stage():
    """The first stage stands on the base alone: reading and cleaning work without any model installed."""
    found = []
    for path in sorted((PACKAGE / "ingest").rglob("*.py")):
        found += [f"{_where(path)}:{line} imports {module}" for line, module in _imports(path)
                  if module.startswith("ecom_analytics.") and _room(module) not in BASE | {"ingest"}]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("source, expected", [
    ("from ecom_analytics.ingest import readers\n", ["ecom_analytics.ingest"]),
    ("from ecom_analytics import store, sample\n", ["ecom_analytics.store", "ecom_analytics.sample"]),
    ("def f():\n    import streamlit as st\n", ["streamlit"]),
    ("from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from ecom_analytics.predict import neural\n", ["typing"]),
])
def test_the_checker_reads_every_kind_of_import(tmp_path, source, expected):
    """The rules above are only as good as the reader of imports: it must see lazy imports inside
    functions and ``from ecom_analytics import x``, and skip type-only imports."""
    path = tmp_path / "m.py"
    path.write_text(source)
    assert [module for _, module in _imports(path)] == expected


@contextmanager
def _checking(root: Path, files: dict[str, str]) -> Iterator[Path]:
    """The checks above pointed at a made-up package: ``files`` (path under ``root`` -> source) written,
    then ``ROOT`` and ``PACKAGE`` set to ``root`` and its ``ecom_analytics`` while the block runs."""
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source)
    globals_ = globals()
    old = globals_["PACKAGE"], globals_["ROOT"]
    globals_["PACKAGE"], globals_["ROOT"] = root / "ecom_analytics", root
    try:
        yield root / "ecom_analytics"
    finally:
        globals_["PACKAGE"], globals_["ROOT"] = old


def test_the_contract_catches_an_import_against_the_flow(tmp_path):
    """A chart that imports a model, and ingest that imports insights, are both reported."""
    with _checking(tmp_path, {"ecom_analytics/ingest/readers.py": "from ecom_analytics.insights import overview\n",
                              "ecom_analytics/charts/bad.py": "from ecom_analytics.forecasting.models import ETS\n"}):
        with pytest.raises(AssertionError, match="readers.py:1"):
            test_no_import_runs_back_up_the_flow()
        with pytest.raises(AssertionError, match="bad.py:1"):
            test_charts_never_import_a_model()
        with pytest.raises(AssertionError, match="readers.py:1"):
            test_ingest_imports_no_stage()


def _module_name(path: Path) -> str:
    """``ecom_analytics/forecasting/series.py`` -> ``ecom_analytics.forecasting.series`` (a package's
    ``__init__.py`` is the package)."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _module_graph() -> dict[str, dict[str, int]]:
    """module -> {library module it imports: line of the first such import}.

    Imports inside functions count as much as those at the top of a file: a lazy import only
    postpones a circle to the first call (both circles of issue #18, calendar <-> series and
    models <-> retail, were hidden that way), and it still ties the two modules together for a reader
    and for every move. ``from package import name`` is an edge to ``package.name`` when that is a
    module, else to the package (its ``__init__``); the package a module sits in is not an edge by
    itself: Python runs a package's ``__init__`` before its modules, but that is where a package
    gathers its modules for callers, not a dependency of the module on them."""
    modules = {_module_name(p): p for p in _library_files()}

    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, dict[str, int]] = {}
    for module, path in modules.items():
        edges: dict[str, int] = {}
        for node in _import_nodes(path):
            if isinstance(node, ast.Import):
                targets = [known(alias.name) for alias in node.names]
            elif node.module and node.level == 0:
                targets = [f"{node.module}.{a.name}" if f"{node.module}.{a.name}" in modules else known(node.module)
                           for a in node.names]
            else:
                targets = []
            for target in targets:
                if target and target != module:
                    edges.setdefault(target, node.lineno)
        graph[module] = edges
    return graph


def _cycles(graph: dict[str, dict[str, int]]) -> list[list[str]]:
    """The strongly connected groups of two modules or more (Tarjan's algorithm), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, {}):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            group = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                group.append(w)
                if w == v:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def test_no_import_cycle_among_library_modules():
    """No module of ecom_analytics imports, directly or through others, a module that imports it back."""
    graph = _module_graph()
    paths = {_module_name(path): path for path in _library_files()}
    lines = []
    for group in _cycles(graph):
        lines.append(" <-> ".join(group))
        lines += [f"    {_where(paths[a])}:{line} imports {b}"
                  for a in group for b, line in sorted(graph[a].items()) if b in group]
    assert not lines, "import cycles (move what both need into a module below them):\n" + "\n".join(lines)


def test_the_cycle_check_catches_a_circle_hidden_in_a_function(tmp_path):
    """A circle made of a module-level import one way and a lazy import the other is reported, and
    a package importing its own modules is not a circle."""
    files = {"ecom_analytics/__init__.py": "",
             "ecom_analytics/forecasting/__init__.py": "from ecom_analytics.forecasting.models import Base\n",
             "ecom_analytics/forecasting/models.py": "from ecom_analytics.forecasting import notes\n"
                                                     "def make():\n    from ecom_analytics.forecasting import retail\n",
             "ecom_analytics/forecasting/retail.py": "from ecom_analytics.forecasting.models import Base\n",
             "ecom_analytics/forecasting/notes.py": "import numpy\n"}
    with _checking(tmp_path, files) as fake:
        assert _cycles(_module_graph()) == [["ecom_analytics.forecasting.models", "ecom_analytics.forecasting.retail"]]
        with pytest.raises(AssertionError, match=r"forecasting/models.py:3 imports ecom_analytics.forecasting.retail"):
            test_no_import_cycle_among_library_modules()
        (fake / "forecasting" / "models.py").write_text("from ecom_analytics.forecasting import notes\n")
        test_no_import_cycle_among_library_modules()
