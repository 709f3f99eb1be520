"""The structure a maintainer relies on: one seam for the server kind, no import cycle.

- Only lablib.fallback knows the public vcsim image: no other module compares backend or
  server names, or reads custom fields (docs/design.md §3.2, §3.3).
- lablib's modules import each other without a cycle, function-level imports included
  (imports for type checking only are left out).
- Operations take the typed Session, and every `lab` parameter is typed.
"""

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LABLIB = ROOT / "lablib"
FALLBACK = LABLIB / "fallback"

#: A comparison with a server or backend name, in any spelling.
NAME_CHECK = re.compile(
    r"""(\bbackend\b\s*(==|!=|\bin\b|\bnot in\b))|((==|!=)\s*["'](vcsim|vcenter|simulator)["'])"""
    r"""|(["'](vcsim|vcenter)["']\s*(==|!=))""")
#: Reading or writing custom fields: the fallback's own state.
CUSTOM_FIELDS = re.compile(r"customValue|customFieldsManager|SetField|AddCustomFieldDef|"
                           r"setCustomValue|vmotionlab\.")


def _modules() -> list[Path]:
    return sorted(p for p in LABLIB.rglob("*.py") if "__pycache__" not in p.parts)


def _name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _code(path: Path) -> str:
    """Return the module's code without its docstrings and comments."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) \
                and isinstance(body[0].value.value, str):
            body[0].value.value = ""
    return ast.unparse(tree)


@pytest.mark.parametrize("path", [p for p in _modules() if FALLBACK not in p.parents],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_only_the_fallback_knows_the_server_kind(path):
    code = _code(path)
    if path != LABLIB / "config.py":  # where `uses_simulator` reads the configured target
        assert not NAME_CHECK.search(code), "compares a backend or server name"
    if path != LABLIB / "sim" / "attached.py":  # a reset removes every field definition
        assert not CUSTOM_FIELDS.search(code), "reads or writes custom fields"


def test_the_checks_would_catch_a_name_comparison():
    assert NAME_CHECK.search('if lab.backend == "vcsim":')
    assert NAME_CHECK.search("if conn.backend != 'vcenter':")
    assert NAME_CHECK.search('ok = "vcsim" == kind')
    assert CUSTOM_FIELDS.search("row.get('customValue')")
    assert not NAME_CHECK.search('if config.uses_simulator:')


def _imports(path: Path) -> set[str]:
    """Return the lablib modules `path` imports at run time (type-checking imports left out)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    typing_only = {id(n) for node in ast.walk(tree) if isinstance(node, ast.If)
                   and "TYPE_CHECKING" in ast.unparse(node.test)
                   for n in ast.walk(node)}
    package = _name(path) if path.name == "__init__.py" else _name(path).rpartition(".")[0]
    found = set()
    for node in ast.walk(tree):
        if id(node) in typing_only:
            continue
        if isinstance(node, ast.ImportFrom):
            base = package.split(".")
            base = base[:len(base) - node.level + 1] if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            for alias in node.names:
                found.add(f"{module}.{alias.name}")
                found.add(module)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    known = {_name(p) for p in _modules()}
    return {m for m in found if m in known and m != _name(path)}


def _graph() -> dict[str, set[str]]:
    return {_name(p): _imports(p) for p in _modules()}


def _cycle(graph: dict[str, set[str]]) -> list[str]:
    """Return one import cycle, or [] (a package importing its own submodules is fine)."""
    state: dict[str, int] = {}
    stack: list[str] = []

    def visit(node: str) -> list[str]:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph.get(node, ())):
            if nxt.startswith(node + "."):
                continue  # a package's __init__ importing its own modules
            if state.get(nxt) == 1:
                return [*stack[stack.index(nxt):], nxt]
            if not state.get(nxt):
                found = visit(nxt)
                if found:
                    return found
        stack.pop()
        state[node] = 2
        return []

    for node in sorted(graph):
        if not state.get(node):
            found = visit(node)
            if found:
                return found
    return []


def test_lablib_has_no_import_cycle():
    cycle = _cycle(_graph())
    assert not cycle, " -> ".join(cycle)


def test_the_cycle_finder_finds_one():
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"p": {"p.x"}, "p.x": {"q"}, "q": set()}) == []


def test_every_lab_and_session_parameter_is_typed():
    untyped = []
    for path in _modules():
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                for arg in node.args.args + node.args.kwonlyargs:
                    if arg.arg in ("lab", "session") and arg.annotation is None:
                        untyped.append(f"{path.relative_to(ROOT)}:{node.lineno} {node.name}")
    assert not untyped, untyped
