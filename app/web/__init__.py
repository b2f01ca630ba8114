"""HTML routes for people: Jinja2 pages with HTMX, a package per audience.

Pages every role shares sit here; `member/` holds the self-assessment, its results and
the action plan; `advisor/` LOS advisors' work with members; `board/` the board's
sector figures; `admin/` the LOS administration. Route modules never import each other:
what two pages share lives in a view module (`*_view.py`, `view.py`) or in `forms.py` and
`listing.py`.
"""

from app.web import (
    account,
    api_docs,
    catalogues,
    colleagues,
    data_export,
    home,
    inspection_report,
    inspections,
    my_account,
)
from app.web.admin import (
    assignments,
    audit,
    cycle_round,
    cycles,
    inspection_import,
    member_import,
    organisations,
    outbox,
    references,
    users,
)
from app.web.admin import catalogues as admin_catalogues
from app.web.advisor import dossier, flags, heatmap
from app.web.board import dashboard as board_dashboard
from app.web.board import exports as board_exports
from app.web.member import (
    actions,
    answers,
    evidence,
    form,
    injunction,
    plan,
    results,
    submit,
    submitted,
)

web_routers = [
    account.router, my_account.router, home.router, api_docs.router, catalogues.router,
    data_export.router, colleagues.router,
    # LOS administration
    admin_catalogues.router, member_import.router, organisations.router, users.router,
    outbox.router, audit.router, cycles.router, cycle_round.router, assignments.router,
    references.router, inspection_import.router,
    # LOS advisors
    flags.router, heatmap.router, dossier.router,
    # The member's self-assessment
    form.router, answers.router, injunction.router, submit.router, submitted.router,
    evidence.router,
    results.router, actions.router, inspections.router,
    inspection_report.router, plan.router,
    # The board's sector figures
    board_dashboard.router, board_exports.router,
]
