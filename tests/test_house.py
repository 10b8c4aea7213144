"""The shape of the tree: what keeps it easy to live in, checked.

* no import cycles among fastopt's modules, and no family importing another
  family's modules (families import ``_core``, and ``_minimize`` and
  ``_stochastic`` the update rules of ``_steps``; the public faces import
  anything);
* no source file over 600 lines;
* status codes defined once (``_core/codes.py``, the enums and messages in
  ``_core/status.py``);
* the README's tables of methods are the ones the table makes.
"""
import ast
import re
from pathlib import Path

import pytest

import fastopt
from fastopt._core import codes
from fastopt._minimize.show import markdown

SRC = Path(fastopt.__file__).resolve().parent  # the installed package
ROOT = Path(__file__).resolve().parents[1]  # the checkout
FAMILIES = {"_steps", "_minimize", "_lsq", "_stochastic", "_linalg"}
#: Which family may import which lower layer, besides ``_core``.
ALLOWED = {"_minimize": {"_steps"}, "_stochastic": {"_steps"}}


def _module_name(path):
    parts = list(path.relative_to(SRC.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports():
    """module -> the fastopt modules it imports (at any level of its code)."""
    modules = {_module_name(p): p for p in SRC.rglob("*.py")}
    graph = {}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        found = set()
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom):
                if node.level:
                    base = package.split(".")[:len(package.split(".")) - node.level + 1]
                    target = ".".join(base + ([node.module] if node.module else []))
                else:
                    target = node.module or ""
                for alias in node.names:
                    candidate = f"{target}.{alias.name}"
                    found.add(candidate if candidate in modules else target)
            elif isinstance(node, ast.Import):
                found.update(alias.name for alias in node.names)
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def _top_level_graph():
    """The same, counting only imports at module level (what runs on import)."""
    modules = {_module_name(p): p for p in SRC.rglob("*.py")}
    full = _imports()
    graph = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text())
        top = ast.Module(body=[n for n in tree.body if isinstance(n, (ast.Import, ast.ImportFrom))],
                         type_ignores=[])
        names = set()
        for node in ast.walk(top):
            if isinstance(node, ast.ImportFrom):
                names.update(a.name for a in node.names)
                names.add(node.module or "")
            elif isinstance(node, ast.Import):
                names.update(a.name for a in node.names)
        graph[name] = {m for m in full[name] if m.rpartition(".")[2] in names or m in names}
    return graph


def test_no_import_cycles():
    graph = _top_level_graph()
    state = {}

    def visit(node, path):
        state[node] = "open"
        for nxt in graph[node]:
            assert state.get(nxt) != "open", "import cycle: " + " -> ".join(path + [nxt])
            if nxt not in state:
                visit(nxt, path + [nxt])
        state[node] = "done"

    for node in graph:
        if node not in state:
            visit(node, [node])


def test_families_import_only_the_layers_below():
    for module, targets in _imports().items():
        family = module.split(".")[1] if module.count(".") else ""
        if family not in FAMILIES:
            continue  # a public face
        for target in targets:
            other = target.split(".")[1] if target.count(".") else ""
            assert other in {family, "_core"} | ALLOWED.get(family, set()), (module, target)


@pytest.mark.parametrize("folder", ["src", "tests", "benchmarks", "examples"])
def test_no_source_file_over_600_lines(folder):
    assert (ROOT / folder).is_dir()
    for path in (ROOT / folder).rglob("*.py"):
        assert len(path.read_text().splitlines()) <= 600, path


def test_status_codes_are_defined_in_one_module():
    # A status assignment (NAME = <int>, for a name codes.py defines) anywhere
    # else would be a second definition.
    names = {n for n in vars(codes) if n.isupper()}
    pattern = re.compile(r"^\s*(" + "|".join(sorted(names)) + r")\s*=\s*-?\d", re.M)
    for path in SRC.rglob("*.py"):
        if path.name != "codes.py":
            assert not pattern.search(path.read_text()), path


def test_the_readme_tables_are_the_table_s():
    readme = (ROOT / "README.md").read_text()
    for table in markdown().split("\n\n"):
        assert table in readme, "run python -m fastopt --methods and paste its tables"
