"""Fixtures for tests that drive a real Chromium against the real app over HTTP.

- `live_server`: the app under uvicorn on 127.0.0.1 (`.url`, `.settings`), on the migrated
  test database of tests/conftest.py, so it runs on SQLite and, with
  ETIK_TEST_DATABASE_URL, on PostgreSQL. Every table is emptied after each test.
- `browser`: Debian's Chromium, headless, one per session.
- `page` (1280x800) and `phone_page` (390x844): a fresh context per test, with the live
  server as base URL, so `page.goto("/login")` works.
- `page_problems`: console errors, uncaught exceptions and CSP violations of those pages.
- `log_in(page, email, password)` / `log_out(page)` in tests.browser.live: the real form.

Mark every test here `@pytest.mark.browser`.
"""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

from app.config import Settings
from tests.browser.live import (
    CHROMIUM,
    DESKTOP,
    PHONE,
    LiveServer,
    PageProblems,
    launch_chromium,
    serve,
)


@pytest.fixture(scope="session")
def _running_server(migrated_engine, database_url, tmp_path_factory) -> Iterator[LiveServer]:
    settings = Settings(env="test", database_url=database_url, secret_key="test-secret-key",
                        var_dir=tmp_path_factory.mktemp("live-var"))
    with serve(settings, migrated_engine) as server:
        yield server


@pytest.fixture
def live_server(_running_server, engine) -> LiveServer:
    # `engine` empties every table after the test, so each test starts from nothing.
    return _running_server


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        pytest.skip(f"browser tests need Debian's Chromium at {CHROMIUM} "
                    "(apt-get install chromium)")
    with sync_playwright() as playwright:
        browser = launch_chromium(playwright)
        yield browser
        browser.close()


@pytest.fixture
def page_problems() -> PageProblems:
    return PageProblems()


def _new_page(browser: Browser, live_server: LiveServer, problems: PageProblems,
              viewport: dict) -> Iterator[Page]:
    context = browser.new_context(base_url=live_server.url, viewport=viewport, locale="da-DK")
    context.set_default_timeout(10_000)
    try:
        yield problems.watch(context.new_page())
    finally:
        context.close()


@pytest.fixture
def page(browser, live_server, page_problems) -> Iterator[Page]:
    yield from _new_page(browser, live_server, page_problems, DESKTOP)


@pytest.fixture
def phone_page(browser, live_server, page_problems) -> Iterator[Page]:
    yield from _new_page(browser, live_server, page_problems, PHONE)
