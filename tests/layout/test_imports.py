"""The tree's architecture, checked from the imports: domain packages in one direction, web on top."""

import ast
from pathlib import Path

import pytest

APP = Path(__file__).resolve().parents[2] / "app"

# Lower numbers sit lower: a domain package may import its own rank or a lower one.
RANKS = {
    "models": 0,
    "core": 0,
    "checklists": 1,
    "plans": 1,  # plans and draws (双随机); the inspections close their drawn visits
    "publication": 1,  # review and publication (审核, 一公开) of inspection rows
    "registry": 2,
    "photos": 3,
    "inspections": 4,
    "registers": 5,
    "sampling": 5,  # samples and rapid tests open ledger entries like failed items
    "due": 6,
    "indicators": 7,
    "flying": 7,  # 飞行检查: a clue (complaint, sample, ledger entry) and a drawn plan visit
    "public": 8,
    "placards": 8,
    "cases": 8,
    "assessment": 8,
    "summaries": 8,
    "demo": 9,
    "backup": 9,
}
WIRING = {"__init__", "config", "extensions", "cli"}
BENEATH_ALL = {"extensions", "config"}  # unbound extensions and settings: every layer may use them
REQUEST_BOUND = {("flask", "request"), ("flask", "session"), ("flask_login", "current_user")}


def module_name(path: Path) -> str:
    """The dotted name of a file under app/."""
    parts = path.relative_to(APP.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(path: Path) -> list[tuple[str, str | None]]:
    """Every (module, name) a file imports, at any depth; name is None for `import x`."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, None) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found += [(node.module, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = module_name(path).rsplit(".", node.level - (path.stem == "__init__"))[0]
            found += [
                (f"{base}.{node.module}" if node.module else base, a.name) for a in node.names
            ]
    return found


def package_of(module: str) -> str | None:
    """The top package of an app module (app.inspections.ledger -> inspections)."""
    parts = module.split(".")
    return parts[1] if parts[0] == "app" and len(parts) > 1 else None


def targets(module: str, name: str | None) -> str:
    """`from app import inspections` names the package; `from app.x import y` the module x."""
    return f"{module}.{name}" if module == "app" and name else module


def app_files():
    return sorted(p for p in APP.rglob("*.py") if "static" not in p.parts)


def domain_edges(files) -> dict[str, set[str]]:
    """Package -> the app packages its modules import."""
    edges: dict[str, set[str]] = {}
    for path in files:
        pkg = package_of(module_name(path))
        if pkg not in RANKS:
            continue
        for module, name in imports_of(path):
            other = package_of(targets(module, name))
            if other and other != pkg and other not in BENEATH_ALL:
                edges.setdefault(pkg, set()).add(other)
    return edges


def find_cycle(edges: dict[str, set[str]]) -> list[str] | None:
    """A package cycle as a path, or None."""

    def visit(node, trail):
        if node in trail:
            return [*trail[trail.index(node) :], node]
        for nxt in sorted(edges.get(node, ())):
            cycle = visit(nxt, [*trail, node])
            if cycle:
                return cycle
        return None

    for start in sorted(edges):
        cycle = visit(start, [])
        if cycle:
            return cycle
    return None


def test_app_holds_only_wiring_modules_and_packages():
    loose = {p.stem for p in APP.glob("*.py")}
    assert loose <= WIRING


def test_domain_packages_import_downwards_only():
    wrong = [
        f"{pkg} imports {other}"
        for pkg, others in domain_edges(app_files()).items()
        for other in others
        if other == "web" or other not in RANKS or RANKS[other] > RANKS[pkg]
    ]
    assert wrong == []


def test_domain_packages_form_no_cycle():
    assert find_cycle(domain_edges(app_files())) is None


def test_cycle_finder_finds_one():
    assert find_cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert find_cycle({"a": {"b"}, "b": {"c"}}) is None


@pytest.mark.parametrize("path", [p for p in app_files() if package_of(module_name(p)) in RANKS])
def test_domain_modules_never_read_the_request(path):
    bound = [(m, n) for m, n in imports_of(path) if (m, n) in REQUEST_BOUND]
    assert bound == [], f"{path.relative_to(APP)} reads the request"


def blueprint_of(module: str) -> str | None:
    """The blueprint package a module belongs to (app.web.field.flow -> field), else None."""
    parts = module.split(".")
    if parts[:2] != ["app", "web"] or len(parts) < 3 or (APP / "web" / f"{parts[2]}.py").exists():
        return None
    return parts[2]


def test_blueprints_do_not_import_each_other():
    wrong = [
        f"{module_name(path)} imports {targets(module, name)}"
        for path in app_files()
        if blueprint_of(module_name(path))
        for module, name in imports_of(path)
        if blueprint_of(targets(module, name)) not in (None, blueprint_of(module_name(path)))
    ]
    assert wrong == []
