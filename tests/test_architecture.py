"""The import map of docs/architecture.md: what import-linter cannot see, and that it sees it all.

The contracts themselves live in pyproject.toml (`[tool.importlinter]`) and run as `lint-imports`
in `make lint`, so in CI. This file checks two things the library does not:

- every module of the four packages sits in a layer of a layers contract, so a new module or
  package cannot escape the map (add it to a layer, or the test names it);
- each pure module (the "pure" contract's sources) really imports no Django at run time: it is
  imported in a fresh interpreter where importing Django raises, which also catches an import
  made inside a function or by a string.
"""

from __future__ import annotations

import ast
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
CONFIG = tomllib.loads((REPO / "pyproject.toml").read_text())["tool"]["importlinter"]
CONTRACTS = {contract["id"]: contract for contract in CONFIG["contracts"]}


def _imports_anything(path: Path) -> bool:
    tree = ast.parse(path.read_text())
    return any(isinstance(node, ast.Import | ast.ImportFrom) for node in ast.walk(tree))


def _modules() -> list[str]:
    """Every module of the root packages (migrations aside; a package's __init__ only when it
    imports something: a docstring alone has no dependency to place)."""
    names = []
    for package in CONFIG["root_packages"]:
        for path in sorted((REPO / package).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            if path.name == "__init__.py" and not _imports_anything(path):
                continue
            parts = path.relative_to(REPO).with_suffix("").parts
            names.append(".".join(parts[:-1] if parts[-1] == "__init__" else parts))
    return names


def _layered() -> set[str]:
    names = set()
    for contract in CONFIG["contracts"]:
        for layer in contract.get("layers", []):
            names.update(n.strip().strip("()") for n in re.split(r"[|:]", layer) if n.strip())
    return names


def _covered(module: str, named: set[str]) -> bool:
    parts = module.split(".")
    return any(".".join(parts[:i]) in named for i in range(1, len(parts) + 1))


def test_every_module_sits_in_a_layer_of_the_contracts():
    # A whole app is a layer of the "apps" contract; inside it, each module needs a layer of its
    # app's own contract.
    roots = set(CONFIG["root_packages"])
    named = _layered() - roots
    loose = [m for m in _modules() if m not in roots and not _covered(m, named)]
    assert loose == [], "add these to a layer in pyproject.toml's [tool.importlinter]"


def test_every_name_in_the_contracts_is_a_module():
    """A renamed module must be renamed in the contracts too."""
    packages = {
        ".".join(init.parent.relative_to(REPO).parts)
        for root in CONFIG["root_packages"]
        for init in (REPO / root).rglob("__init__.py")
    }
    named = _layered() | set(CONTRACTS["pure"]["source_modules"])
    assert sorted(named - set(_modules()) - packages) == []


def _pure_modules() -> list[str]:
    sources = CONTRACTS["pure"]["source_modules"]
    return [m for m in _modules() if any(m == s or m.startswith(f"{s}.") for s in sources)]


BLOCK_DJANGO = """
import sys
class Blocker:
    def find_spec(self, name, path=None, target=None):
        if name == "django" or name.startswith("django."):
            raise ImportError(f"{name} imported by a pure module")
sys.meta_path.insert(0, Blocker())
import importlib
importlib.import_module(sys.argv[1])
"""


@pytest.mark.parametrize("module", _pure_modules())
def test_pure_module_imports_no_django(module):
    result = subprocess.run(
        [sys.executable, "-c", BLOCK_DJANGO, module], cwd=REPO, capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr[-2000:]


def test_the_pure_list_is_not_empty():
    assert len(_pure_modules()) > 20


QUERY_ATTRIBUTES = {
    "objects", "filter", "exclude", "select_related", "prefetch_related", "annotate",
    "values_list", "get_or_create", "update_or_create", "in_bulk", "aggregate",
}  # fmt: skip
QUERY_CALLS = {"get_object_or_404", "get_list_or_404", "get_owned_or_404", "owned"}
# A row written or read again through the instance: a service's work. A ModelForm's own save
# (`form.save()`) is the forms layer's, below the views, and is allowed.
INSTANCE_WRITES = {"save", "delete", "refresh_from_db"}


def _queries_in(function: ast.FunctionDef) -> list[str]:
    found = []
    for node in ast.walk(function):
        if isinstance(node, ast.Attribute) and node.attr in QUERY_ATTRIBUTES:
            found.append(f"{function.name}:{node.lineno} .{node.attr}")
        elif isinstance(node, ast.Call) and getattr(node.func, "id", "") in QUERY_CALLS:
            found.append(f"{function.name}:{node.lineno} {node.func.id}()")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in INSTANCE_WRITES
            and not (isinstance(node.func.value, ast.Name) and node.func.value.id.endswith("form"))
        ):
            found.append(f"{function.name}:{node.lineno} .{node.func.attr}()")
    return found


def test_views_run_no_query_of_their_own():
    """Views read through selectors and write through services (docs/architecture.md)."""
    view_modules = [
        *(REPO / "quizzes" / "views").glob("*.py"),
        *(REPO / "exams" / "views").glob("*.py"),
        REPO / "accounts" / "views.py",
    ]
    offenders = []
    for path in view_modules:
        name = str(path.relative_to(REPO))
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.FunctionDef):
                offenders += [f"{name} {found}" for found in _queries_in(node)]
    assert offenders == []


def _named_in_the_map() -> set[str]:
    """Every name the map writes in backticks (code blocks aside), whole and word by word."""
    text = re.sub(r"```.*?```", "", (REPO / "docs" / "architecture.md").read_text(), flags=re.S)
    names = set()
    for quoted in re.findall(r"`([^`]+)`", text):
        names.add(quoted)
        names.update(re.split(r"[\s,()]+", quoted))
    return names


def test_the_map_names_every_module():
    """docs/architecture.md names each module and package of the four roots (dotted, as a path,
    or by its own name in its package's row), so a new one cannot go unmapped. Commands are
    named by their command name."""
    named = _named_in_the_map()
    unnamed = []
    for package in CONFIG["root_packages"]:
        for path in sorted((REPO / package).rglob("*.py")):
            if "migrations" in path.parts or path.parent.name == "management":
                continue
            parts = path.relative_to(REPO).with_suffix("").parts
            if parts[-1] == "__init__":
                parts, suffix = parts[:-1], "/"
                if len(parts) == 1 or parts[-1] == "commands":
                    continue
            else:
                suffix = ".py"
            forms = {".".join(parts), "/".join(parts), "/".join(parts) + suffix, parts[-1],
                     parts[-1] + suffix, "/".join(parts[-2:])}  # fmt: skip
            if not forms & named:
                unnamed.append(".".join(parts))
    assert unnamed == [], f"name these in docs/architecture.md: {unnamed}"
