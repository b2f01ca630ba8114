"""Admin: the outbox – every mail the system has written, newest first.

Without SMTP (development) mail is only written here, so invitation links are read here.
"""

import re

from fastapi import APIRouter, Request
from fastapi.responses import Response

from app.auth.deps import SessionDep, WebAdmin
from app.services.mail import recent_messages
from app.web.listing import PAGE_SIZE, PageNumber, Pagination
from app.web.templating import render

router = APIRouter(prefix="/admin/outbox")

_LINK = re.compile(r"https?://[^\s<>\"']+")


def body_parts(body: str) -> list[tuple[str, bool]]:
    """The body as (text, is_link) pieces, so links in plain-text mail can be followed."""
    parts, position = [], 0
    for match in _LINK.finditer(body):
        parts += [(body[position:match.start()], False), (match.group(), True)]
        position = match.end()
    return [*parts, (body[position:], False)]


@router.get("")
def outbox(request: Request, _admin: WebAdmin, session: SessionDep,
           page: PageNumber = 1) -> Response:
    offset = (page - 1) * PAGE_SIZE
    # One row more than a page tells whether there is a next page.
    messages = recent_messages(session=session, limit=PAGE_SIZE + 1, offset=offset)
    shown = messages[:PAGE_SIZE]
    pagination = Pagination(request.url.path, page, {}, more=len(messages) > PAGE_SIZE)
    return render(request, "admin/outbox.html", {
        "messages": [(message, body_parts(message.body)) for message in shown],
        "pagination": pagination,
    })
