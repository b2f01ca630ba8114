"""HTML routes for people: Jinja2 pages with HTMX, one module per audience."""

from app.web import (
    account,
    actions,
    admin_audit,
    admin_catalogues,
    admin_cycles,
    admin_import,
    admin_organisations,
    admin_outbox,
    admin_users,
    api_docs,
    assessment_answers,
    assessment_evidence,
    assessment_form,
    assessment_injunction,
    assessment_results,
    assessment_submit,
    catalogues,
    home,
)

web_routers = [account.router, home.router, api_docs.router,
               catalogues.router, admin_catalogues.router,
               admin_import.router, admin_organisations.router, admin_users.router,
               admin_outbox.router, admin_audit.router,
               assessment_form.router, assessment_answers.router,
               assessment_injunction.router, assessment_submit.router,
               assessment_evidence.router,
               assessment_results.router, actions.router, admin_cycles.router]
