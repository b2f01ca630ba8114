"""A live etik server and a local Chromium, shared by the browser tests and the screenshots.

The app runs under uvicorn in a background thread on 127.0.0.1 and a free port; Chromium
is Debian's (/usr/bin/chromium), never a browser downloaded by Playwright.
"""

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import uvicorn
from playwright.sync_api import Browser, ConsoleMessage, Error, Page, Playwright
from sqlalchemy import Engine

from app.config import Settings
from app.main import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}


@dataclass(frozen=True)
class LiveServer:
    url: str
    settings: Settings


@contextmanager
def serve(settings: Settings, engine: Engine) -> Iterator[LiveServer]:
    """Serves create_app(settings, engine) until the block ends."""
    # Binding port 0 ourselves and handing uvicorn the socket leaves no race for the port.
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    settings = settings.model_copy(update={"base_url": url})
    config = uvicorn.Config(create_app(settings, engine=engine), log_level="warning",
                            access_log=False, lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True,
                              name="etik-live-server")
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the live etik server did not start")
        time.sleep(0.02)
    try:
        yield LiveServer(url=url, settings=settings)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


def launch_chromium(playwright: Playwright) -> Browser:
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS,
                                      headless=True)


@dataclass
class PageProblems:
    """Console errors, uncaught exceptions and CSP violations seen by one page."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def watch(self, page: Page) -> Page:
        page.on("console", self._on_console)
        page.on("pageerror", self._on_page_error)
        return page

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type == "error":
            self.console_errors.append(message.text)

    def _on_page_error(self, error: Error) -> None:
        self.page_errors.append(str(error))

    @property
    def csp_violations(self) -> list[str]:
        return [text for text in self.console_errors if "Content Security Policy" in text]

    def unexpected(self, allowed_statuses: tuple[int, ...] = ()) -> list[str]:
        """Every problem except the browser's note on an answer we expected (e.g. 401)."""
        allowed = tuple(f"status of {status}" for status in allowed_statuses)

        def expected(text: str) -> bool:
            return text.startswith("Failed to load resource") and any(a in text for a in allowed)

        return [t for t in self.console_errors if not expected(t)] + self.page_errors


def log_in(page: Page, email: str, password: str) -> None:
    """Logs in through the login form as a person would, and waits for the next page."""
    if "/login" not in page.url:
        page.goto("/login")
    page.get_by_label("E-mail").fill(email)
    page.get_by_label("Adgangskode").fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Log ind").click()


def log_out(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Log ud").click()
