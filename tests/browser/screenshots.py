"""Screenshots of the login page, each role's home page and its other pages, on the demo data.

    python -m tests.browser.screenshots OUTDIR [NAME_FILTER]

Seeds a throw-away SQLite database with the demo data, serves it on a free port, and saves
PNGs at desktop (1280x800) and phone (390x844) width. A script for looking, not a test.
"""

import re
import sys
import tempfile
from pathlib import Path

from alembic import command
from playwright.sync_api import Page, sync_playwright

from app.cli import alembic_config
from app.config import Settings
from app.db import create_db_engine, session_scope
from app.services.demo import load_demo
from tests.browser.live import CHROMIUM, DESKTOP, PHONE, launch_chromium, log_in, serve

PASSWORD = "demo-pass-2026"
ACCOUNTS = [
    ("member", "member1@example.org"),
    ("member-reopened", "member2@example.org"),
    ("member-nearly", "member3@example.org"),
    ("colleague", "kollega1@example.org"),
    ("advisor", "advisor@example.org"),
    ("board", "board@example.org"),
    ("admin", "admin@example.org"),
]

# More pages per role; "{assessment}" is the first assessment the home page links to.
PAGES = {
    "member": [("inspections", "{inspections}"), ("inspection-new", "{inspections}/new"),
               ("account", "/account"), ("colleagues", "{colleagues}"),
               ("colleague-remove", "{colleague_remove}"),
               ("requirement", "{assessment}/requirements/1"),
               ("injunction", "{assessment}/injunction"), ("results", "{assessment}/results"),
               ("submitted", "{assessment}/submitted"), ("submit-done", "{assessment}/submit"),
               # The action plan, its first action's edit page and the cancel step.
               ("plan", "{plan}"), ("action", "{action}"), ("action-cancel", "{action}/cancel")],
    # Reopened with nothing missing: the submit page and its confirmation step.
    "member-reopened": [("submit", "{assessment}/submit"),
                        ("confirm", "{assessment}/submit/confirm")],
    # A colleague who is no leader: the colleagues, read only.
    "colleague": [("colleagues", "{colleagues}")],
    "member-nearly": [("submit", "{assessment}/submit"),
                      ("requirement", "{assessment}/requirements/1")],
    "advisor": [("flags", "/advisor/flags"), ("dossier", "{member}"),
                ("heatmap", "/advisor/heatmap?sort=6")],
    "board": [("sector", "/board"), ("service-types", "/board?segment=tilbudstype"),
              ("one-group", "/board?segment=tilbudstype&value=doegntilbud"),
              ("suppressed-group", "/board?segment=tilbudstype&value=kvindekrisecenter"),
              ("sizes", "/board?segment=size")],
    "admin": [("account", "/account"), ("audit", "/admin/audit"),
              ("inspection-import", "/admin/inspections/import"),
              ("assignments", "/admin/assignments"), ("references", "/admin/references"),
              ("board", "/board"),
              ("organisation", "/admin/organisations/1"), ("users", "/admin/users"),
              ("user", "{user}"), ("user-delete", "{user}/delete"),
              # The open round's members, all and the non-starters.
              ("cycles", "/admin/cycles"), ("round", "{round}"),
              ("round-not-started", "{round}?status=not_started")],
}
ASSESSMENT_LINK = re.compile(r'href="(/assessments/\d+)')
INSPECTIONS_LINK = re.compile(r'href="(/organisations/\d+/inspections)"')
MEMBER_LINK = re.compile(r'href="(/advisor/members/\d+)')
# The member's action plan (from the home page) and an action on it (from the page before).
PLAN_LINK = re.compile(r'href="(/organisations/\d+/actions)"')
ACTION_LINK = re.compile(r'href="(/organisations/\d+/actions/\d+)"')
# The newest round's page, from the cycle list (shot just before).
ROUND_LINK = re.compile(r'href="(/admin/cycles/\d+/round)"')
# The member's colleagues page, from its menu; the first colleague's removal page from it.
COLLEAGUES_LINK = re.compile(r'href="(/organisations/\d+/colleagues)"')
REMOVE_LINK = re.compile(r'href="(/organisations/\d+/colleagues/\d+/remove)"')
# A member's user, from the admin's user list (shot just before).
USER_LINK = re.compile(r'href="(/admin/users/\d+)"')


def _shoot(page: Page, path: Path, wanted: str = "") -> None:
    if wanted and wanted not in path.stem:
        return
    page.screenshot(path=str(path), full_page=True)
    print(path)
    # A long page is unreadable scaled down whole: its first screen too.
    if page.evaluate("document.body.scrollHeight") > 3 * page.viewport_size["height"]:
        top = path.with_name(path.stem + "-top.png")
        page.screenshot(path=str(top))
        print(top)


def take_screenshots(outdir: Path, wanted: str = "") -> None:
    """`wanted`: only the shots whose file name contains it."""
    outdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="etik-screenshots-") as work:
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
                _shoot(page, outdir / f"login-{size}.png", wanted)
                log_in(page, "member1@example.org", "wrong password")
                _shoot(page, outdir / f"login-error-{size}.png", wanted)
                for role, email in ACCOUNTS:
                    context.clear_cookies()
                    page.goto("/login")
                    log_in(page, email, PASSWORD)
                    _shoot(page, outdir / f"home-{role}-{size}.png", wanted)
                    found = ASSESSMENT_LINK.search(page.content())
                    inspections = INSPECTIONS_LINK.search(page.content())
                    plan = PLAN_LINK.search(page.content())
                    action_path = round_path = ""
                    for name, path in PAGES[role]:
                        if wanted and wanted not in f"{role}-{name}":
                            continue
                        if "{assessment}" in path and not found:
                            continue
                        if "{member}" in path:  # the first member of the page before
                            member = MEMBER_LINK.search(page.content())
                            if not member:
                                continue
                            path = member.group(1)
                        if "{plan}" in path:
                            if not plan:
                                continue
                            path = path.replace("{plan}", plan.group(1))
                        if "{action}" in path:
                            if not action_path:
                                action = ACTION_LINK.search(page.content())
                                if not action:
                                    continue
                                action_path = action.group(1)
                            path = path.replace("{action}", action_path)
                        if "{round}" in path:
                            if not round_path:
                                found_round = ROUND_LINK.search(page.content())
                                if not found_round:
                                    continue
                                round_path = found_round.group(1)
                            path = path.replace("{round}", round_path)
                        if path in ("{colleagues}", "{colleague_remove}"):
                            link = (COLLEAGUES_LINK if path == "{colleagues}"
                                    else REMOVE_LINK).search(page.content())
                            if not link:
                                continue
                            path = link.group(1)
                        if "{user}" in path:
                            if "/admin/users/" not in page.url:
                                users = USER_LINK.search(page.content())
                                if not users:
                                    continue
                                user_path = users.group(1)
                            path = path.replace("{user}", user_path)
                        page.goto(path.format(assessment=found.group(1) if found else "",
                                              inspections=inspections.group(1)
                                              if inspections else ""))
                        page.wait_for_load_state("networkidle")  # charts drawn
                        _shoot(page, outdir / f"{role}-{name}-{size}.png", wanted)
                page.goto("/docs")
                page.wait_for_selector(".opblock", timeout=15_000)
                _shoot(page, outdir / f"api-docs-{size}.png", wanted)
                context.close()
            browser.close()
        engine.dispose()


def main() -> None:
    if len(sys.argv) not in (2, 3):
        sys.exit("usage: python -m tests.browser.screenshots OUTDIR [NAME_FILTER]")
    if not CHROMIUM.exists():
        sys.exit(f"needs Debian's Chromium at {CHROMIUM} (apt-get install chromium)")
    take_screenshots(Path(sys.argv[1]), sys.argv[2] if len(sys.argv) == 3 else "")


if __name__ == "__main__":
    main()
