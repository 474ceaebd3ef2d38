"""Marshmallow building blocks shared by the record schemas: clean text, codes, locations, strict schemas."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any, ClassVar

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema

from jobmatch import reference
from jobmatch.text import clean

SHORT_TEXT = 200
LONG_TEXT = 5000
MAX_LIST = 50


class StrictSchema(Schema):
    """A schema that reports unknown fields as errors."""

    class Meta:
        unknown = RAISE


class Text(fields.String):
    """A string normalised to NFC with white space folded, bounded in length, never blank when required."""

    def __init__(self, *, max_length: int = SHORT_TEXT, **kwargs: Any) -> None:
        super().__init__(validate=validate.Length(min=1, max=max_length), **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> str:
        return clean(super()._deserialize(value, attr, data, **kwargs))


class WholeNumber(fields.Integer):
    """An integer that refuses fractions (2.5) instead of truncating them; integral text ("3", from CSV) is fine."""

    default_error_messages: ClassVar[dict[str, str]] = {"invalid": "Not a valid whole number."}

    def _deserialize(self, value: Any, attr: str | None, data: Mapping[str, Any] | None, **kwargs: Any) -> int:
        if isinstance(value, bool) or (isinstance(value, float) and not value.is_integer()) or (
                isinstance(value, str) and not re.fullmatch(r"\s*[+-]?\d+\s*", value)):
            raise self.make_error("invalid")
        return super()._deserialize(value, attr, data, **kwargs)


def choice(values: tuple[str, ...], **kwargs: Any) -> fields.String:
    """Return a string field limited to a vocabulary."""
    return fields.String(validate=validate.OneOf(values), **kwargs)


def choices(values: tuple[str, ...], **kwargs: Any) -> fields.List:
    """Return a de-duplicated list field limited to a vocabulary."""
    return fields.List(choice(values), validate=validate.Length(max=len(values)), **kwargs)


def texts(max_items: int = MAX_LIST, **kwargs: Any) -> fields.List:
    """Return a list of short clean texts."""
    return fields.List(Text(), validate=validate.Length(max=max_items), **kwargs)


def check_unique(data: Mapping[str, Any], names: tuple[str, ...]) -> None:
    """Raise ValidationError on the first list field among `names` that repeats a value."""
    for name in names:
        values = data.get(name) or []
        if len(set(values)) != len(values):
            raise ValidationError("has duplicates", name)


def _occupation_code(value: str) -> None:
    if reference.unit_group(value) is None:
        raise ValidationError(f"unknown occupation code {value!r}: expected a 4-digit VSCO 2020/ISCO-08 unit group")


def occupation_code(**kwargs: Any) -> fields.String:
    """Return a field for a 4-digit occupation code known to the reference table."""
    # The document gives the shape; which codes exist is the reference table's (GET /api/v1/occupations/suggest).
    metadata = {"pattern": "^[0-9]{4}$", **kwargs.pop("metadata", {})}
    return fields.String(validate=_occupation_code, metadata=metadata, **kwargs)


class LocationSchema(StrictSchema):
    """A place: the current commune (since 1 July 2025) and, for older records, the pre-reform commune.

    Either code may be given; the other is derived or checked against the reference mapping. Urban/rural and
    the pre-reform district are derived, never typed in.
    """

    commune_code = fields.String(load_default=None)
    legacy_ward_code = fields.String(load_default=None)
    address = Text(load_default=None, allow_none=True)
    lat = fields.Float(load_default=None, allow_none=True, validate=validate.Range(min=8.0, max=23.5))
    lon = fields.Float(load_default=None, allow_none=True, validate=validate.Range(min=102.0, max=110.0))

    @validates_schema
    def _check_codes(self, data: dict[str, Any], **_: Any) -> None:
        commune, ward = data.get("commune_code"), data.get("legacy_ward_code")
        if not commune and not ward:
            raise ValidationError("give commune_code (current) or legacy_ward_code (pre-2025)", "commune_code")
        if commune and commune not in reference.communes():
            raise ValidationError(f"unknown commune code {commune!r}", "commune_code")
        if ward:
            legacy = reference.legacy_wards().get(ward)
            if legacy is None:
                raise ValidationError(f"unknown pre-reform commune code {ward!r}", "legacy_ward_code")
            if commune and legacy.commune_code != commune:
                raise ValidationError(f"{legacy.ward} ({ward}) became {legacy.commune_code}, not {commune}",
                                      "legacy_ward_code")
        if (data.get("lat") is None) != (data.get("lon") is None):
            raise ValidationError("give both lat and lon, or neither", "lat")


def expand_location(data: Mapping[str, Any]) -> dict[str, Any]:
    """Return the stored form of a validated location: names, district, urban flag, province, geo point."""
    ward = reference.legacy_wards().get(data.get("legacy_ward_code") or "")
    commune_code = data.get("commune_code") or (ward.commune_code if ward else None)
    commune = reference.communes()[commune_code]
    stored: dict[str, Any] = {
        "province": reference.PROVINCE_2025,
        "commune_code": commune.code,
        "commune": commune.name,
        "urban": ward.urban if ward else commune.urban,
        "address": data.get("address"),
        "legacy": None,
        "location": None,
        "location_source": None,
    }
    if ward:
        stored["legacy"] = {"province": reference.PROVINCE_LEGACY, "district_code": ward.district_code,
                            "district": ward.district, "ward_code": ward.ward_code, "ward": ward.ward}
    if data.get("lat") is not None:
        stored["location"], stored["location_source"] = {"lat": data["lat"], "lon": data["lon"]}, "given"
    else:  # a commute limit needs a point: the commune's own, so no place is left without a distance
        stored["location"], stored["location_source"] = reference.place_point(
            {"legacy_ward_code": data.get("legacy_ward_code"), "commune_code": commune.code})
    return stored


TAX_CODE = re.compile(r"^([0-9]{10}(-[0-9]{3})?|[0-9]{12})$")  # ASCII digits, as the OpenAPI pattern says


def _tax_code(value: str) -> None:
    # 10 digits (enterprise), 10+3 (branch) or 12 (personal ID used as tax code since 1 July 2025).
    if not TAX_CODE.match(value):
        raise ValidationError("a tax code (mã số thuế) is 10 digits, 10 digits-3 digits for a branch, or 12 digits")


def tax_code(**kwargs: Any) -> fields.String:
    """Return a field for a Vietnamese tax code."""
    return fields.String(validate=_tax_code, metadata={"pattern": TAX_CODE.pattern, **kwargs.pop("metadata", {})},
                         **kwargs)
