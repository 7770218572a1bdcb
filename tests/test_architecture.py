"""The layering of the code, held as data: which package may import which, and no import cycles.

Every import in workforce/, ui/, pages/ and app.py is read with ast — at the top of a module or
inside a function alike — so a wrong-way import cannot hide in a function body. docs/architecture.md
draws the same rules.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from pathlib import Path

from tests.conftest import ROOT

# What each package may import besides itself (prefixes of module names). A module belongs to the
# longest package named here that contains it.
MAY_IMPORT: dict[str, tuple[str, ...]] = {
    "workforce.base": (),
    "workforce.signals": ("workforce.base",),
    "workforce.ingest": ("workforce.base",),
    "workforce.measures": ("workforce.base",),
    "workforce.store": ("workforce.base", "workforce.measures.selection"),
    "workforce.protect": ("workforce.base", "workforce.measures", "workforce.signals"),
    "workforce.views": ("workforce.base", "workforce.signals", "workforce.ingest", "workforce.store",
                        "workforce.protect", "workforce.measures.selection", "workforce.measures.figure"),
    "workforce.meetings": ("workforce.base", "workforce.signals", "workforce.store", "workforce.protect",
                           "workforce.views"),
    "workforce.demo": ("workforce.base", "workforce.ingest", "workforce.store", "workforce.measures",
                       "workforce.signals"),
    "workforce.cli": ("workforce",),
    "workforce": ("workforce.cli",),          # the package root: __main__ starts the CLI
    "ui": ("workforce",),
    "pages": ("ui", "workforce"),
    "app": ("ui", "workforce"),
}

# The raw KPI engine computes figures with no regard to who is looking; only these may import it
# (everything shown to a person gets its figures through workforce.protect).
RAW_ENGINE = "workforce.measures.kpi"
RAW_ENGINE_USERS = ("workforce.measures", "workforce.protect", "workforce.demo")

# Imports of the raw engine that bypass the protected path: none (issue 19 emptied this list; it may only
# stay empty). A new entry is a new way round workforce.protect.
RAW_ENGINE_ALLOWED_FOR_NOW: set[tuple[str, str]] = set()

SOURCES = ("workforce", "ui", "pages")
OURS = ("workforce", "ui", "pages", "app")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def source_files() -> list[Path]:
    return sorted([p for folder in SOURCES for p in (ROOT / folder).rglob("*.py")] + [ROOT / "app.py"])


MODULES = {module_name(p): p for p in source_files()}


@dataclass(frozen=True)
class Import:
    importer: str   # the module doing the importing
    target: str     # the module imported (a submodule when `from package import submodule`)
    name: str       # the name imported ('' for `import x.y`)
    line: int

    def __str__(self) -> str:
        what = f"{self.target}.{self.name}" if self.name and not self.target.endswith("." + self.name) else self.target
        return f"{MODULES[self.importer].relative_to(ROOT)}:{self.line} {self.importer} imports {what}"


def imports_of(module: str) -> list[Import]:
    """Every import of our own modules in a module, wherever it sits in the file."""
    path = MODULES[module]
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [Import(module, alias.name, "", node.lineno) for alias in node.names
                      if alias.name.split(".")[0] in OURS]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                source = ".".join(base + ([node.module] if node.module else []))
            else:
                source = node.module or ""
            if source.split(".")[0] not in OURS:
                continue
            for alias in node.names:
                submodule = f"{source}.{alias.name}"
                found.append(Import(module, submodule if submodule in MODULES else source, alias.name, node.lineno))
    return found


ALL_IMPORTS = [imp for module in MODULES for imp in imports_of(module)]


def package_of(module: str) -> str:
    return max((p for p in MAY_IMPORT if module == p or module.startswith(p + ".")), key=len)


def within(module: str, prefix: str) -> bool:
    return module == prefix or module.startswith(prefix + ".")


def test_every_module_belongs_to_a_package_in_the_rules():
    assert all(package_of(m) for m in MODULES)
    assert not [m for m in MODULES if package_of(m) == "workforce" and m not in ("workforce", "workforce.__main__")], \
        "a module sits directly in workforce/: put it in the package of its capability"


def test_imports_follow_the_layers():
    wrong = [str(imp) for imp in ALL_IMPORTS
             if not within(imp.target, RAW_ENGINE)  # the raw engine has its own rule, below
             and not within(imp.target, package_of(imp.importer))
             and not any(within(imp.target, allowed) for allowed in MAY_IMPORT[package_of(imp.importer)])]
    assert wrong == [], "wrong-way imports (see MAY_IMPORT):\n" + "\n".join(wrong)


def test_the_raw_engine_users_may_import_measures():
    assert all(any(within(RAW_ENGINE, allowed) for allowed in MAY_IMPORT[user]) or user == "workforce.measures"
               for user in RAW_ENGINE_USERS)


def raw_engine_imports() -> list[Import]:
    return [imp for imp in ALL_IMPORTS if within(imp.target, RAW_ENGINE)
            and not any(within(imp.importer, user) for user in RAW_ENGINE_USERS)]


def test_the_raw_engine_is_reached_only_through_the_protected_path():
    new = sorted(str(imp) for imp in raw_engine_imports() if (imp.importer, imp.name) not in RAW_ENGINE_ALLOWED_FOR_NOW)
    assert new == [], "the raw KPI engine imported outside measures/protect/cli/demo (go through protect):\n" + "\n".join(new)


def test_the_temporary_allowlist_only_shrinks():
    still_there = {(imp.importer, imp.name) for imp in raw_engine_imports()}
    gone = sorted(RAW_ENGINE_ALLOWED_FOR_NOW - still_there)
    assert gone == [], f"no longer imported: remove from RAW_ENGINE_ALLOWED_FOR_NOW: {gone}"


def test_the_core_never_imports_streamlit():
    """workforce/ runs without a browser (the CLI, the loader, the pack): Streamlit stays in ui/, pages/, app.py."""
    def top_names(path: Path) -> set[str]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        return ({a.name.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.Import) for a in n.names}
                | {n.module.split(".")[0] for n in ast.walk(tree) if isinstance(n, ast.ImportFrom) and n.module
                   and not n.level})
    assert [m for m, path in MODULES.items() if m.startswith("workforce") and "streamlit" in top_names(path)] == []


def import_graph() -> dict[str, set[str]]:
    graph: dict[str, set[str]] = {m: set() for m in MODULES}
    for imp in ALL_IMPORTS:
        if imp.target in MODULES:
            graph[imp.importer].add(imp.target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (or a module importing itself): Tarjan."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for after in sorted(graph[node]):
            if after not in index:
                visit(after)
                low[node] = min(low[node], low[after])
            elif after in on_stack:
                low[node] = min(low[node], index[after])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1 or node in graph[node]:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_cycle_finder_finds_a_cycle_through_three_modules():
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert cycles({"a": {"a"}}) == [["a"]]
    assert cycles({"a": {"b"}, "b": set()}) == []


def test_no_import_cycles_even_inside_functions():
    found = cycles(import_graph())
    assert found == [], "import cycles (move what both need into a module of its own):\n" + "\n".join(
        " ↔ ".join(cycle) for cycle in found)


def test_imports_inside_functions_are_read():
    inner = [imp for imp in ALL_IMPORTS if imp.importer == "workforce.cli.main" and imp.target == "workforce.demo"]
    assert inner, "cli.main imports the demo inside a function: the reader must see it"
