"""The output contract `rasd.document/1` (SPEC section 2) as pydantic models.

This is the only place the output shape is defined: the CLI, the API, the store and the exporters
all serialise these models, and `scripts/build_schema.py` writes the JSON Schema file
`schema/rasd.document.v1.json` from them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

SCHEMA_ID = "rasd.document/1"

EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory", "Non-state actor overtakes territory"),
    "Explosions/Remote violence": (
        "Chemical weapon",
        "Air/drone strike",
        "Suicide bomb",
        "Shelling/artillery/missile attack",
        "Remote explosive/landmine/IED",
        "Grenade",
    ),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention", "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": (
        "Agreement",
        "Arrests",
        "Change to group/activity",
        "Disrupted weapons use",
        "Headquarters or base established",
        "Looting/property destruction",
        "Non-violent transfer of territory",
        "Other",
    ),
}

SourceKind = Literal[
    "government", "military", "armed_group", "monitor", "media", "un_ngo", "medical",
    "local_official", "witness", "unnamed", "outlet",
]
FigureKind = Literal[
    "killed", "injured", "casualties", "displaced", "abducted", "arrested", "captured", "missing", "combatants"
]
Qualifier = Literal["exact", "approx", "at_least", "at_most", "vague", "unquantified"]
Role = Literal["actor1", "actor2", "assoc_actor_1", "assoc_actor_2"]
Stance = Literal["asserts", "denies"]

Span = tuple[int, int]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Mention(_Model):
    text: str = Field(description="The Arabic surface string, exactly original[span[0]:span[1]].")
    span: Span = Field(description="[start, end) character offsets into the original input text.")


class DocInfo(_Model):
    id: str | None = None
    outlet: str | None = None
    url: str | None = None
    title: str | None = None
    published: str | None = Field(None, description="ISO date the relative dates are anchored to.")
    chars: int


class Source(_Model):
    id: str = Field(description="Document-local id: S1, S2...")
    name: str
    name_ar: str | None = None
    party: str | None = Field(None, description="Registry id of the side or organisation it speaks for.")
    kind: SourceKind
    mentions: list[Mention] = Field(default_factory=list)


class EventDate(_Model):
    start: str
    end: str | None = None
    time_precision: int = Field(description="ACLED: 1 day, 2 week, 3 month.")
    date_prec: int = Field(description="UCDP: 1 day, 2 = 2-6 days, 3 week, 4 month, 5 year.")
    text: str | None = None
    span: Span | None = None


class Location(_Model):
    name: str
    name_ar: str | None = None
    gazetteer_id: str | None = None
    country: str | None = None
    admin1: str | None = None
    admin2: str | None = None
    admin3: str | None = None
    lat: float | None = None
    lon: float | None = None
    geo_precision: int = Field(description="ACLED: 1 town, 2 near a town / part of a region, 3 larger region.")
    where_prec: int = Field(description="UCDP 1-7.")
    text: str | None = None
    span: Span | None = None


class Actor(_Model):
    role: Role
    id: str
    name: str
    name_ar: str | None = None
    inter: int
    country: str | None = None
    text: str | None = None
    span: Span | None = None


class Figure(_Model):
    kind: FigureKind
    low: int | None
    high: int | None
    best: int
    qualifier: Qualifier
    group: str = "unknown"
    actor: str | None = Field(None, description="Registry id of the victims' side when known.")
    text: str
    span: Span


class Claim(_Model):
    source: str = Field(description="Id of a document source (S1...).")
    stance: Stance
    text: str
    span: Span
    figures: list[Figure] = Field(default_factory=list)


class Fatalities(_Model):
    low: int | None
    best: int | None
    high: int | None


class Event(_Model):
    id: str
    event_type: str
    sub_event_type: str
    date: EventDate | None = None
    location: Location | None = None
    actors: list[Actor] = Field(default_factory=list)
    civilian_targeting: bool = False
    weapons: list[str] = Field(default_factory=list)
    claims: list[Claim] = Field(default_factory=list)
    fatalities: Fatalities
    contested: bool = False
    evidence: list[Mention] = Field(default_factory=list)
    confidence: float = Field(ge=0.0, le=1.0)
    trigger: Mention | None = Field(None, description="The word that names the event (for highlighting).")


class RasdDocument(_Model):
    schema_: Literal["rasd.document/1"] = Field(SCHEMA_ID, alias="schema", serialization_alias="schema")
    doc: DocInfo
    sources: list[Source] = Field(default_factory=list)
    events: list[Event] = Field(default_factory=list)
    warnings: list[str] = Field(default_factory=list)

    model_config = ConfigDict(extra="forbid", populate_by_name=True, serialize_by_alias=True)

    def to_json(self, indent: int | None = None) -> str:
        return self.model_dump_json(by_alias=True, indent=indent)


def json_schema() -> dict:
    schema = RasdDocument.model_json_schema(by_alias=True)
    schema["$id"] = "rasd.document.v1.json"
    schema["title"] = SCHEMA_ID
    return schema
