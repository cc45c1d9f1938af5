"""Request bodies and query strings, as pydantic models (their JSON schemas feed the OpenAPI document)."""
from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

Text = Annotated[str, StringConstraints(min_length=1, max_length=200)]


class Body(BaseModel):
    """Base of request bodies: unknown fields are refused, so a typo is an error and not silently ignored."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class WeChatLogin(Body):
    code: Annotated[str, StringConstraints(min_length=1, max_length=128)]


class RefreshRequest(Body):
    refresh_token: Annotated[str, StringConstraints(min_length=1, max_length=256)]


class CreateApplication(Body):
    entity_type: Annotated[str, StringConstraints(max_length=48)] = "limited_liability_company"


class IdentityRequest(Body):
    name: Annotated[str, StringConstraints(min_length=1, max_length=30)]
    document_type: Annotated[str, StringConstraints(max_length=48)] = "mainland_resident_id"
    document_number: Annotated[str, StringConstraints(min_length=1, max_length=32)]


Uscc = Annotated[str, StringConstraints(min_length=18, max_length=18)]


class NameRequest(Body):
    name: Annotated[str, StringConstraints(min_length=1, max_length=60)]
    # the business needs approval before registration: the name is reserved for a year (until the scope catalogue
    # marks such items itself, the applicant says so)
    pre_approval: bool = False
    # credit codes of enterprises the applicant has an investment relationship with (same 字号 allowed)
    related_usccs: Annotated[list[Uscc], Field(max_length=20)] = []


class NameQuery(BaseModel):
    name: Annotated[str, StringConstraints(min_length=1, max_length=60)]


Part = Annotated[str, StringConstraints(max_length=30)]


class NameCheckRequest(Body):
    """A whole name, or its parts (region and form default to 广州市黄埔区 and 有限公司)."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=60)] | None = None
    region: Part | None = None
    trade_name: Part | None = None
    industry: Part | None = None
    form: Part | None = None
    entity_type: Annotated[str, StringConstraints(max_length=48)] = "limited_liability_company"
    related_usccs: Annotated[list[Uscc], Field(max_length=20)] = []


class DetailsRequest(Body):
    address: Annotated[str, StringConstraints(min_length=4, max_length=200)]
    business_scope: Annotated[list[Text], Field(min_length=1, max_length=50)]
    registered_capital_cny: Annotated[str, StringConstraints(min_length=1, max_length=20)] | int
    contribution_deadline: dt.date
    liaison_phone: Annotated[str, StringConstraints(max_length=20)] | None = None


class Empty(Body):
    pass


class ClockAdvance(Body):
    seconds: Annotated[float, Field(gt=0)]


class ProofQuery(BaseModel):
    index: Annotated[int, Field(ge=0)]
    size: Annotated[int, Field(ge=1)]


class ConsistencyQuery(BaseModel):
    old: Annotated[int, Field(ge=1)]
    size: Annotated[int, Field(ge=1)]
