"""HTTP endpoints for tokens (admin only) and for asking who the caller is."""

from __future__ import annotations

from typing import Any

from flask_smorest import Blueprint

from jobmatch.auth.guard import current_principal, roles
from jobmatch.auth.schemas import (
    IssuedTokenSchema,
    PrincipalSchema,
    TokenCreateSchema,
    TokenListSchema,
    TokenSchema,
)
from jobmatch.auth.tokens import TokenStore
from jobmatch.extensions import state

blp = Blueprint("tokens", __name__, url_prefix="/api/v1", description="API tokens and the caller's identity")


def _store() -> TokenStore:
    app_state = state()
    return TokenStore(app_state.es, app_state.prefix)


@blp.route("/me", methods=["GET"])
@roles("admin", "counsellor", "employer", "analyst")
@blp.response(200, PrincipalSchema)
def me() -> Any:
    """Return the role (and employer) of the calling token."""
    return current_principal()


@blp.route("/tokens", methods=["GET"])
@roles("admin")
@blp.response(200, TokenListSchema)
def list_tokens() -> Any:
    """List active tokens (never their secrets)."""
    return {"items": _store().list()}


@blp.route("/tokens", methods=["POST"])
@roles("admin")
@blp.arguments(TokenCreateSchema)
@blp.response(201, IssuedTokenSchema)
def create_token(payload: dict[str, Any]) -> Any:
    """Issue a token; the response is the only time the token is shown."""
    token, record = _store().issue(role=payload["role"], employer_id=payload["employer_id"],
                                   label=payload["label"])
    return {**record, "token": token}


@blp.route("/tokens/<token_id>", methods=["DELETE"])
@roles("admin")
@blp.response(200, TokenSchema)
def revoke_token(token_id: str) -> Any:
    """Revoke a token; repeating the call changes nothing."""
    return _store().revoke(token_id)
