"""Screenshots of the board's pages on the demo data, at desktop and phone width.

    python -m tests.browser.board_screenshots OUTDIR

Kept apart from tests.browser.screenshots (which covers every role's home page) so the
board's views can be looked at on their own. A script for looking, not a test.
"""

import sys
import tempfile
from pathlib import Path

from alembic import command
from playwright.sync_api import sync_playwright

from app.cli import alembic_config
from app.config import Settings
from app.db import create_db_engine, session_scope
from app.services.demo import load_demo
from tests.browser.live import CHROMIUM, DESKTOP, PHONE, launch_chromium, log_in, serve

PASSWORD = "demo-pass-2026"
VIEWS = [
    ("board-home", "/"),
    ("board-sector", "/board"),
    ("board-service-types", "/board?segment=tilbudstype"),
    ("board-one-group", "/board?segment=tilbudstype&value=doegntilbud"),
    ("board-suppressed-group", "/board?segment=tilbudstype&value=kvindekrisecenter"),
    ("board-sizes", "/board?segment=size"),
]


def take_screenshots(outdir: Path) -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="etik-board-screenshots-") as work:
        url = f"sqlite:///{Path(work) / 'demo.db'}"
        command.upgrade(alembic_config(url), "head")
        engine = create_db_engine(url)
        with session_scope(engine) as session:
            load_demo(session=session, password=PASSWORD)
        settings = Settings(env="development", database_url=url, secret_key="screenshots",
                            var_dir=Path(work), demo_password=PASSWORD, log_level="WARNING")
        with serve(settings, engine) as server, sync_playwright() as playwright:
            browser = launch_chromium(playwright)
            for size, viewport in (("desktop", DESKTOP), ("phone", PHONE)):
                context = browser.new_context(base_url=server.url, viewport=viewport)
                page = context.new_page()
                page.goto("/login")
                log_in(page, "board@example.org", PASSWORD)
                for name, path in VIEWS:
                    page.goto(path)
                    page.wait_for_load_state("networkidle")
                    page.screenshot(path=str(outdir / f"{name}-{size}.png"), full_page=True)
                    print(outdir / f"{name}-{size}.png")
                    # Each panel on its own too: a long page shrinks to nothing when viewed.
                    for n, panel in enumerate(page.locator(".board .panel").all()):
                        panel.screenshot(path=str(outdir / f"{name}-{size}-part{n}.png"))
                page.goto("/board")
                page.wait_for_load_state("networkidle")
                page.emulate_media(media="print")
                (outdir / f"board-pack-{size}.pdf").write_bytes(page.pdf(format="A4"))
                context.close()
            browser.close()
        engine.dispose()


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit("usage: python -m tests.browser.board_screenshots OUTDIR")
    if not CHROMIUM.exists():
        sys.exit(f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium)")
    take_screenshots(Path(sys.argv[1]))


if __name__ == "__main__":
    main()
