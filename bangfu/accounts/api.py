"""Account endpoints: who am I, my API tokens; administrators create and deactivate users."""

from __future__ import annotations

from ninja import Router, Schema, Status

from bangfu.common.bounds import DbId
from bangfu.common.errors import NotFound, ValidationFailed

from . import selectors, services
from .models import ApiToken, User

router = Router(tags=["accounts"])


class MeOut(Schema):
    id: int
    username: str
    name: str
    role: str
    organisation_id: int | None
    organisation_name: str | None


class TokenIn(Schema):
    name: str


class TokenOut(Schema):
    id: int
    name: str
    prefix: str
    token: str


class UserIn(Schema):
    username: str
    password: str
    full_name: str = ""
    organisation_id: DbId
    role: str
    department: str = ""


def _me(user: User) -> dict:
    return {"id": user.pk, "username": user.username, "name": user.get_full_name(), "role": user.role,
            "organisation_id": user.organisation_id,
            "organisation_name": user.organisation.name if user.organisation else None}


@router.get("/me", response=MeOut)
def me(request):
    return _me(request.user)


@router.post("/tokens", response={201: TokenOut}, summary="创建API令牌(只显示一次)")
def token_create(request, payload: TokenIn):
    token, raw = services.token_create(actor=request.user, name=payload.name)
    return Status(201, {"id": token.pk, "name": token.name, "prefix": token.prefix, "token": raw})


@router.delete("/tokens/{int:token_id}", response={204: None})
def token_revoke(request, token_id: DbId):
    token = ApiToken.objects.filter(pk=token_id, user=request.user).first()
    if token is None:
        raise NotFound("未找到该令牌")
    services.token_revoke(actor=request.user, token=token)
    return Status(204, None)


@router.post("/users", response={201: MeOut}, summary="管理员创建用户")
def user_create(request, payload: UserIn):
    organisation = selectors.organisation_list(user=request.user).filter(pk=payload.organisation_id).first()
    if organisation is None:
        raise ValidationFailed("单位不存在或不在您的管辖范围内", field="organisation_id")
    user = services.user_create(actor=request.user, organisation=organisation,
                                **payload.dict(exclude={"organisation_id"}))
    return Status(201, _me(user))


@router.post("/users/{int:user_id}/deactivate", response=MeOut, summary="管理员停用用户")
def user_deactivate(request, user_id: DbId):
    user = selectors.user_list(user=request.user).filter(pk=user_id).first()
    if user is None:
        raise NotFound("未找到该用户")
    return _me(services.user_deactivate(actor=request.user, user=user))
