"""Request and response schemas for tokens."""

from __future__ import annotations

from marshmallow import RAISE, Schema, fields, validate

from jobmatch.auth.tokens import ROLES


class TokenCreateSchema(Schema):
    class Meta:
        unknown = RAISE  # an unknown field is a mistake to report, not to drop

    role = fields.String(required=True, validate=validate.OneOf(ROLES))
    employer_id = fields.String(load_default=None, validate=validate.Length(min=1, max=64))
    label = fields.String(load_default="", validate=validate.Length(max=200))


class TokenSchema(Schema):
    token_id = fields.String()
    role = fields.String()
    employer_id = fields.String(allow_none=True)
    label = fields.String()
    created_at = fields.String()
    revoked_at = fields.String(allow_none=True)


class IssuedTokenSchema(TokenSchema):
    token = fields.String(metadata={"description": "The bearer token. Shown once; only its hash is stored."})


class TokenListSchema(Schema):
    items = fields.List(fields.Nested(TokenSchema))


class PrincipalSchema(Schema):
    token_id = fields.String()
    role = fields.String()
    employer_id = fields.String(allow_none=True)
