"""What a notebook's code says, read without running it (Python's ``ast``).

- which names each code cell defines (so a failure can be traced to the cell
  that should have defined a function, wherever it is in the notebook);
- which names refer to the package (``import gdcourse.logistic as L``,
  ``from gdcourse.logistic import propagate as p``, ``ref = L.propagate``);
- whether a function (or a helper it calls) refers to a forbidden reference
  function, and where;
- whether a function (or a helper it calls) contains a Python loop.

IPython syntax (``%timeit``, ``!ls``) is translated to Python before parsing.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field

__all__ = ["CellInfo", "NotebookSource", "analyze", "parse_cell"]

_DEF_RE = re.compile(r"^(?:async\s+)?def\s+(\w+)", re.MULTILINE)
_ASSIGN_RE = re.compile(r"^(\w+)\s*=[^=]", re.MULTILINE)

#: Calls that hide a Python-level loop.
_LOOP_CALLS = {"map", "filter", "vectorize", "frompyfunc", "apply_along_axis", "reduce",
               "fromiter", "starmap"}


@dataclass
class CellInfo:
    """One code cell, as read by :func:`analyze`."""

    index: int                       # position among the notebook's cells (0-based)
    number: int                      # position among its code cells (1-based, for messages)
    source: str
    tree: ast.Module | None = None
    syntax_error: str = ""
    defines: set = field(default_factory=set)
    display_only: bool = False       # only calls checks / quiz / plots: no need to run it to grade


@dataclass
class NotebookSource:
    cells: list
    functions: dict = field(default_factory=dict)   # name -> (CellInfo, FunctionDef), last wins
    aliases: dict = field(default_factory=dict)     # local name -> dotted gdcourse name
    star_modules: set = field(default_factory=set)

    def cells_defining(self, name: str) -> list:
        return [c for c in self.cells if name in c.defines]

    # -- references ----------------------------------------------------------------
    def resolve(self, node, local_aliases=None) -> str | None:
        """Dotted name a Name/Attribute chain refers to, if it starts at a gdcourse alias."""
        parts = []
        while isinstance(node, ast.Attribute):
            parts.append(node.attr)
            node = node.value
        if not isinstance(node, ast.Name):
            return None
        aliases = {**self.aliases, **(local_aliases or {})}
        if not parts and node.id in self.functions and node.id not in (local_aliases or {}):
            return None                        # the learner's own function of that name
        root = aliases.get(node.id)
        if root is None:
            for module in self.star_modules:
                if node.id not in self.functions:
                    root = f"{module}.{node.id}"
                    break
            if root is None:
                return None
        return ".".join([root] + parts[::-1])

    def _reachable(self, name: str, depth: int = 4) -> list:
        """The function ``name`` and the learner's top-level functions it calls (transitively)."""
        seen, order, todo = set(), [], [(name, 0)]
        while todo:
            current, level = todo.pop()
            if current in seen or current not in self.functions:
                continue
            seen.add(current)
            cell, node = self.functions[current]
            order.append((current, cell, node))
            if level >= depth:
                continue
            for sub in ast.walk(node):
                if isinstance(sub, ast.Name) and sub.id in self.functions and sub.id not in seen:
                    todo.append((sub.id, level + 1))
        return order

    def calls(self, name: str) -> set:
        """The learner's top-level functions that ``name`` calls, directly or through others."""
        return {fname for fname, _, _ in self._reachable(name)} - {name}

    def reference_uses(self, name: str, forbidden) -> list:
        """``(dotted name, function, cell number, line)`` for each forbidden reference reached."""
        forbidden = set(forbidden)
        found = []
        for fname, cell, node in self._reachable(name):
            local = _local_aliases(node)
            for sub in ast.walk(node):
                if isinstance(sub, (ast.Name, ast.Attribute)):
                    dotted = self.resolve(sub, local)
                    if dotted and (dotted in forbidden or _is_private_module(dotted)):
                        found.append((dotted, fname, cell.number, getattr(sub, "lineno", 0)))
        if name not in self.functions:
            for cell in self.cells:       # e.g. ``propagate = gdcourse.logistic.propagate``
                for target, value in _top_level_assignments(cell):
                    if target == name:
                        dotted = self.resolve(value)
                        if dotted and dotted in forbidden:
                            found.append((dotted, name, cell.number, value.lineno))
        return list(dict.fromkeys(found))

    def loops(self, name: str) -> list:
        """``(kind, function, cell number, line)`` for each Python loop reached from ``name``."""
        found = []
        for fname, cell, node in self._reachable(name):
            for sub in ast.walk(node):
                kind = None
                if isinstance(sub, (ast.For, ast.AsyncFor)):
                    kind = "for loop"
                elif isinstance(sub, ast.While):
                    kind = "while loop"
                elif isinstance(sub, (ast.ListComp, ast.SetComp, ast.DictComp, ast.GeneratorExp)):
                    kind = "comprehension"
                elif isinstance(sub, ast.Call):
                    callee = sub.func.attr if isinstance(sub.func, ast.Attribute) else (
                        sub.func.id if isinstance(sub.func, ast.Name) else "")
                    if callee in _LOOP_CALLS:
                        kind = f"{callee}(...)"
                if kind:
                    found.append((kind, fname, cell.number, getattr(sub, "lineno", 0)))
        return found


def _is_private_module(dotted: str) -> bool:
    return dotted.startswith(("gdcourse.exercises.", "gdcourse.grader.", "gdcourse.checks."))


def _import_aliases(node) -> dict:
    out = {}
    if isinstance(node, ast.Import):
        for a in node.names:
            if a.name == "gdcourse" or a.name.startswith("gdcourse."):
                if a.asname:
                    out[a.asname] = a.name
                else:
                    out[a.name.split(".")[0]] = a.name.split(".")[0]
    elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module and (
            node.module == "gdcourse" or node.module.startswith("gdcourse.")):
        for a in node.names:
            if a.name != "*":
                out[a.asname or a.name] = f"{node.module}.{a.name}"
    return out


def _local_aliases(func) -> dict:
    out = {}
    for sub in ast.walk(func):
        out.update(_import_aliases(sub))
    return out


def _top_level_assignments(cell):
    if cell.tree is None:
        return
    for stmt in cell.tree.body:
        if isinstance(stmt, ast.Assign) and isinstance(stmt.value, (ast.Name, ast.Attribute)):
            for target in stmt.targets:
                if isinstance(target, ast.Name):
                    yield target.id, stmt.value


def _to_python(source: str) -> str:
    """IPython syntax (magics, shell escapes) as plain Python."""
    from IPython.core.inputtransformer2 import TransformerManager
    return TransformerManager().transform_cell(source)


def parse_cell(source: str):
    """``(tree, error)``: the cell's AST, or None and a one-line description of the syntax error."""
    try:
        return ast.parse(source), ""
    except SyntaxError:
        pass
    except (ValueError, RecursionError, MemoryError) as exc:
        return None, f"{type(exc).__name__}: {exc}"[:200]
    try:
        return ast.parse(_to_python(source)), ""
    except SyntaxError as exc:
        return None, f"SyntaxError: {exc.msg} (line {exc.lineno})"
    except Exception as exc:  # noqa: BLE001 - odd input must not stop the analysis
        return None, f"{type(exc).__name__}: {exc}"[:200]


def _defined_names(tree) -> set:
    names = set()
    for stmt in tree.body:
        if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(stmt.name)
        elif isinstance(stmt, (ast.Import, ast.ImportFrom)):
            for a in stmt.names:
                names.add((a.asname or a.name).split(".")[0])
        else:
            for sub in ast.walk(stmt):
                if isinstance(sub, ast.Name) and isinstance(sub.ctx, ast.Store):
                    names.add(sub.id)
                elif isinstance(sub, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                    names.add(sub.name)
    return names


_DISPLAY_MODULES = ("gdcourse.checks", "gdcourse.widgets", "gdcourse.plots", "matplotlib")


def _display_import(stmt) -> bool:
    """``from gdcourse import plots``, ``import matplotlib.pyplot as plt`` and the like."""
    if isinstance(stmt, ast.ImportFrom) and stmt.level == 0 and stmt.module:
        return all(f"{stmt.module}.{a.name}".startswith(_DISPLAY_MODULES) and a.name != "*"
                   for a in stmt.names)
    if isinstance(stmt, ast.Import):
        return all(a.name.startswith(_DISPLAY_MODULES) for a in stmt.names)
    return False


def _matplotlib_aliases(cells) -> dict:
    out = {}
    for cell in cells:
        for stmt in cell.tree.body if cell.tree is not None else ():
            if isinstance(stmt, ast.Import):
                for a in stmt.names:
                    if a.name.startswith("matplotlib"):
                        out[a.asname or a.name.split(".")[0]] = a.name
    return out


def _display_only(tree, aliases) -> bool:
    """True for a cell whose every statement is a call into checks, widgets or plots
    (or an import of those modules)."""
    if tree is None or not tree.body:
        return False
    for stmt in tree.body:
        if _display_import(stmt):
            continue
        if not (isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call)):
            return False
        func = stmt.value.func
        while isinstance(func, ast.Attribute):
            func = func.value
        if not isinstance(func, ast.Name):
            return False
        target = aliases.get(func.id, "")
        if not target.startswith(_DISPLAY_MODULES):
            return False
        if any(isinstance(sub, ast.NamedExpr) for sub in ast.walk(stmt)):
            return False
    return True


def analyze(sources) -> NotebookSource:
    """Read the code cells' sources (``(index, source)`` pairs, in notebook order)."""
    cells = []
    for number, (index, source) in enumerate(sources, start=1):
        tree, error = parse_cell(source)
        info = CellInfo(index=index, number=number, source=source, tree=tree, syntax_error=error)
        if tree is not None:
            info.defines = _defined_names(tree)
        else:                        # a cell that does not parse: what did it mean to define?
            info.defines = set(_DEF_RE.findall(source)) | set(_ASSIGN_RE.findall(source))
        cells.append(info)
    nb = NotebookSource(cells)
    for cell in cells:
        if cell.tree is None:
            continue
        for stmt in cell.tree.body:
            nb.aliases.update(_import_aliases(stmt))
            if isinstance(stmt, ast.ImportFrom) and stmt.module and stmt.level == 0 and (
                    stmt.module.startswith("gdcourse")) and any(a.name == "*" for a in stmt.names):
                nb.star_modules.add(stmt.module)
            if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
                nb.functions[stmt.name] = (cell, stmt)
    for cell in cells:                              # simple aliases: ``ref = gdcourse.x.y``
        for target, value in _top_level_assignments(cell):
            dotted = nb.resolve(value)
            if dotted:
                nb.aliases[target] = dotted
    display_aliases = {**nb.aliases, **_matplotlib_aliases(cells)}
    for cell in cells:
        cell.display_only = _display_only(cell.tree, display_aliases)
    # A skipped cell must not bind a name that code which does run needs.
    skipped_names = {name for c in cells if c.display_only for name in c.defines}
    if skipped_names:
        used = {sub.id for c in cells if not c.display_only and c.tree is not None
                for sub in ast.walk(c.tree) if isinstance(sub, ast.Name)}
        if used & skipped_names:
            for cell in cells:
                if cell.display_only and cell.defines & used:
                    cell.display_only = False
    return nb
