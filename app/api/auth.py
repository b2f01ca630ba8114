"""POST /api/v1/auth/token: a bearer token for email and password."""

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field

from app.auth.deps import SessionDep, SettingsDep
from app.services import credentials
from app.services.fields import Text

router = APIRouter(tags=["auth"])


class TokenRequest(BaseModel):
    email: Text = Field(max_length=254)
    password: Text = Field(max_length=1024)


class TokenResponse(BaseModel):
    access_token: str
    token_type: str = "bearer"
    expires_in: int


@router.post("/auth/token", responses={401: {"description": "Wrong email or password"},
                                       429: {"description": "Too many failed attempts"}})
def create_token(body: TokenRequest, request: Request, session: SessionDep,
                 settings: SettingsDep) -> TokenResponse:
    client = request.client.host if request.client else "unknown"
    user = credentials.authenticate(session=session, settings=settings, email=body.email,
                                    password=body.password, client=client)
    token, expires_in = credentials.issue_api_token(session=session, settings=settings,
                                                    user=user)
    return TokenResponse(access_token=token, expires_in=expires_in)
