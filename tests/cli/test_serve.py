"""`etik serve`: in development, links point at the port actually served."""

import uvicorn
from typer.testing import CliRunner

from app.cli import cli
from app.config import get_settings


def _serve(monkeypatch, tmp_path, *args, **env) -> str:
    served = {}
    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: served.update(k))
    monkeypatch.setenv("ETIK_VAR_DIR", str(tmp_path))
    # Recorded first, so the value `serve` writes is undone after the test.
    monkeypatch.setenv("ETIK_BASE_URL", "")
    monkeypatch.delenv("ETIK_BASE_URL")
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    get_settings.cache_clear()
    try:
        result = CliRunner().invoke(cli, ["serve", *args], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        return get_settings().base_url
    finally:
        get_settings.cache_clear()


def test_links_follow_the_port_in_development(monkeypatch, tmp_path):
    assert _serve(monkeypatch, tmp_path, "--port", "8101") == "http://127.0.0.1:8101"


def test_a_base_url_that_is_set_wins(monkeypatch, tmp_path):
    url = _serve(monkeypatch, tmp_path, "--port", "8101", ETIK_BASE_URL="https://etik.los.dk")
    assert url == "https://etik.los.dk"
