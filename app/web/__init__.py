"""HTML routes for people: Jinja2 pages with HTMX, one module per audience."""

from app.web import (
    account,
    admin_catalogues,
    admin_import,
    admin_organisations,
    admin_outbox,
    admin_users,
    api_docs,
    catalogues,
    home,
)

web_routers = [account.router, home.router, api_docs.router,
               catalogues.router, admin_catalogues.router,
               admin_import.router, admin_organisations.router, admin_users.router,
               admin_outbox.router]
