"""HTML routes for people: Jinja2 pages with HTMX, one module per audience."""

from app.web import account, home

web_routers = [account.router, home.router]
