"""axe-core over every page each role reaches by following links from its home page, on
the demo data: no serious or critical violation, and no landmark-unique problem."""

from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe

from app.db import session_scope
from app.services.demo import load_demo
from tests.browser.live import log_in

pytestmark = pytest.mark.browser

PASSWORD = "demo-pass-2026"
ACCOUNTS = {
    "member (submitted, with actions)": "member1@example.org",
    "member (in progress)": "member3@example.org",
    "advisor": "advisor@example.org",
    "board": "board@example.org",
    "admin": "admin@example.org",
}
MAX_PAGES = 45  # per role: the crawl stops there
# Not pages: downloads, leaving, and the API's own documentation (Swagger UI's markup).
SKIP = ("/logout", "/docs", "/openapi.json", "/static/", "/api/")
SKIP_ENDINGS = (".csv", ".xlsx", ".pdf", ".zip", ".png", ".jpg")
# axe rules that must hold on every page, whatever their impact.
ALWAYS = {"landmark-unique"}


def _worth_visiting(path: str) -> bool:
    return (path.startswith("/") and not path.startswith(SKIP)
            and not path.split("?")[0].endswith(SKIP_ENDINGS))


def _links(page) -> list[str]:
    hrefs = page.eval_on_selector_all(
        "a[href]:not([download])", "links => links.map(a => a.getAttribute('href'))")
    found = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc:
            continue  # another site
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if path and _worth_visiting(path):
            found.append(path)
    return found


def _pattern(path: str) -> str:
    """Pages that differ only by ids are one page: /advisor/members/7 as /advisor/members/#."""
    path = path.split("?")[0]
    return "/".join("#" if part.isdigit() else part for part in path.split("/"))


@pytest.fixture
def demo(live_server, engine):
    with session_scope(engine) as session:
        load_demo(session=session, password=PASSWORD)


@pytest.mark.parametrize("account", ACCOUNTS)
def test_every_page_a_role_reaches_has_no_serious_accessibility_problem(page, demo, account):
    log_in(page, ACCOUNTS[account], PASSWORD)
    queue, seen, visited, problems = ["/"], set(), [], []
    while queue and len(visited) < MAX_PAGES:
        path = queue.pop(0)
        if _pattern(path) in seen:
            continue
        seen.add(_pattern(path))
        response = page.goto(path)
        if response is None or response.status >= 400 or "/login" in page.url:
            continue
        page.wait_for_load_state("networkidle")
        visited.append(path)
        for v in Axe().run(page).response["violations"]:
            if v["impact"] in ("serious", "critical") or v["id"] in ALWAYS:
                targets = [n["target"] for n in v["nodes"]][:3]
                problems.append(f"{path}: {v['id']} ({v['impact']}): {v['help']} {targets}")
        queue += [link for link in _links(page) if _pattern(link) not in seen]
    assert len(visited) >= 3, visited  # the crawl found the role's pages
    assert problems == [], "\n".join(problems)
