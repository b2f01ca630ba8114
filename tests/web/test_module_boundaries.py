"""Route modules stay independent: what two pages share lives in a view or helper module."""

import ast
from pathlib import Path

WEB = Path(__file__).resolve().parents[2] / "app" / "web"


def module_name(path: Path) -> str:
    parts = path.relative_to(WEB.parent.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def route_modules() -> dict[str, Path]:
    return {module_name(p): p for p in WEB.rglob("*.py") if "APIRouter(" in p.read_text()}


def imported_modules(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
    return found


def test_the_finder_sees_the_route_modules():
    routes = route_modules()
    assert {"app.web.home", "app.web.member.answers", "app.web.admin.audit"} <= set(routes)
    assert "app.web.member.view" not in routes


def test_no_route_module_imports_another():
    routes = route_modules()
    crossings = {name: sorted(imported_modules(path) & set(routes) - {name})
                 for name, path in routes.items()}
    assert {name: found for name, found in crossings.items() if found} == {}
