"""Events: from trigger words to ACLED-coded events with their arguments.

Each sentence with an event trigger gives a candidate event: its type from the trigger lexicon,
refined by context (weapons, aircraft, victims); its place, date, actors and weapons from the same
sentence. A sentence that lists several places coordinated by و/، gives one candidate per place
(ACLED codes one event per place and day). Candidates then merge into one event when they agree on
type, place, day and actors (SPEC section 4, "Events"): "الهجوم" in a later sentence is the same
attack as the lead's, so it adds evidence and claims instead of a new event.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from rasd.dates import _is_report_date as is_report_date
from rasd.document import Document

VIOLENT_KINDS = {"killed", "injured", "casualties"}
CIVILIAN_GROUPS = {"civilians", "children", "women", "protesters", "tourists", "journalists"}
ARMED_GROUPS = {"soldiers", "militants", "police", "militia", "commanders", "leaders"}
_TARGET_BEFORE = re.compile(r"(?:علي|ضد|استهدف\w*|مواقع|لمواقع|مقرات|مقر|تجمعات|عناصر من|جنودا? من|صفوف|عناصر|جنود|افراد|قوات|ل)\s*$")
_AGENT_BEFORE = re.compile(r"(?:شن\w*|نفذ\w*|من قبل|على يد|يد|ايدي|بايدي|نفذتها|تبنا\w*|قام\w*|من)\s*$")
_COORD_BETWEEN = re.compile(r"^\s*(?:،|,)?\s*(?:و|،|,)\s*(?:في\s+)?(?:مدينه\s+|بلده\s+|قريه\s+|مدينتي\s+)?$")


@dataclass
class Candidate:
    sentence: int
    trigger: object
    event_type: str
    sub_event_type: str
    weight: float
    place: object | None
    date: object | None
    start: int  # the clause / sentence range the candidate was read from (normalised offsets)
    end: int
    actors: list[tuple[str, object]] = field(default_factory=list)  # (role hint, mention)
    weapons: list[str] = field(default_factory=list)
    anaphoric: bool = True  # may refer back to an event already reported (الهجوم، القصف)


@dataclass
class EventDraft:
    event_type: str
    sub_event_type: str
    weight: float
    triggers: list[object] = field(default_factory=list)
    sentences: list[int] = field(default_factory=list)
    ranges: list[tuple[int, int]] = field(default_factory=list)
    place: object | None = None
    place_explicit: bool = False
    date: object | None = None
    date_explicit: bool = False
    actors: list[tuple[str, object]] = field(default_factory=list)
    weapons: list[str] = field(default_factory=list)
    figures: list[object] = field(default_factory=list)
    denials: list[str] = field(default_factory=list)  # speaker keys

    @property
    def first_start(self) -> int:
        return min(a for a, _ in self.ranges)


@cache
def air_actors() -> frozenset[str]:
    """Registry ids whose 'قصف' is aerial (lexicons/air_actors.tsv)."""
    text = resources.files("rasd.lexicons").joinpath("air_actors.tsv").read_text(encoding="utf-8")
    rows = [r for r in text.splitlines() if r.strip() and not r.startswith("#")]
    return frozenset(r["actor_id"] for r in csv.DictReader(rows, delimiter="\t"))


def _place_key(place) -> str | None:
    return None if place is None else (place.gazetteer_id or place.name)


def places_compatible(a, b) -> bool:
    if a is None or b is None:
        return True
    if _place_key(a) == _place_key(b):
        return True
    if a.country != b.country:
        return False
    coarse = a.geo_precision >= 3 or b.geo_precision >= 3
    if coarse and a.admin1 and a.admin1 == b.admin1:
        return True
    if a.placetype == "country" or b.placetype == "country":
        return True
    return False


def _main_actor(actors: list[tuple[str, object]], role: str) -> str | None:
    for hint, mention in actors:
        if hint == role and not mention.generic:
            return mention.entry.id
    return None


def _actors_compatible(a: list, b: list) -> bool:
    """Different named initiators make different events, unless each side also names the other's."""
    a1, b1 = _main_actor(a, "agent"), _main_actor(b, "agent")
    if a1 is None or b1 is None or a1 == b1:
        return True
    ids_a = {m.entry.id for _, m in a}
    ids_b = {m.entry.id for _, m in b}
    return b1 in ids_a or a1 in ids_b


def _dates_compatible(a: EventDraft, cand: Candidate) -> bool:
    """Explicit dates must agree; a day inside the event's span ("مساء أمس ... حتى الفجر") agrees."""
    if not a.date_explicit or cand.date is None:
        return True
    start, end = a.date.start_date, a.date.end_date or a.date.start_date
    return start <= cand.date.start_date <= end


def _violent(event_type: str) -> bool:
    return event_type in ("Battles", "Explosions/Remote violence", "Violence against civilians")


WEAK = 0.35  # a bare killing/casualty word: its type comes from the event it belongs to
EMBEDDED_IN_BATTLE = {"Remote explosive/landmine/IED", "Suicide bomb", "Grenade", "Shelling/artillery/missile attack"}


def types_compatible(d: EventDraft, c: Candidate) -> bool:
    """Can a candidate join a draft event? Same type; or a weak kill word; or explosives used in a battle."""
    if d.event_type == c.event_type:
        return d.sub_event_type == c.sub_event_type or min(d.weight, c.weight) <= WEAK
    if min(d.weight, c.weight) <= WEAK:
        return _violent(d.event_type) and _violent(c.event_type)
    return d.event_type == "Battles" and c.sub_event_type in EMBEDDED_IN_BATTLE


def _compatible(draft: EventDraft, cand: Candidate) -> bool:
    if not cand.anaphoric and cand.sentence not in draft.sentences:
        return False
    return (
        types_compatible(draft, cand)
        and places_compatible(draft.place, cand.place)
        and _dates_compatible(draft, cand)
        and _actors_compatible(draft.actors, cand.actors)
    )


def merge_candidates(candidates: list[Candidate]) -> list[EventDraft]:
    """Fold candidates into events: same (type, place, day, actors) → one event, latest first."""
    drafts: list[EventDraft] = []
    for cand in candidates:
        pool = [d for d in reversed(drafts) if _compatible(d, cand)]
        exact = [d for d in pool if (d.event_type, d.sub_event_type) == (cand.event_type, cand.sub_event_type)]
        clash = [d for d in pool if d.sub_event_type == "Armed clash"]  # explosives used in a battle
        target = exact[0] if exact else clash[0] if clash else pool[0] if pool else None
        if target is None:
            target = EventDraft(cand.event_type, cand.sub_event_type, cand.weight)
            drafts.append(target)
        elif target.weight <= WEAK < cand.weight:
            target.event_type, target.sub_event_type, target.weight = cand.event_type, cand.sub_event_type, cand.weight
        elif target.event_type == cand.event_type and cand.weight > target.weight:
            target.sub_event_type, target.weight = cand.sub_event_type, cand.weight
        target.triggers.append(cand.trigger)
        if cand.sentence not in target.sentences:
            target.sentences.append(cand.sentence)
        if (cand.start, cand.end) not in target.ranges:
            target.ranges.append((cand.start, cand.end))
        if cand.place is not None and (
            target.place is None
            or not target.place_explicit
            or cand.place.geo_precision < target.place.geo_precision
            or (target.place.placetype == "country" and cand.place.placetype != "country")
        ):
            target.place, target.place_explicit = cand.place, True
        if cand.date is not None and not target.date_explicit:
            target.date, target.date_explicit = cand.date, True
        for hint, mention in cand.actors:
            target.actors.append((hint, mention))
        for w in cand.weapons:
            if w not in target.weapons:
                target.weapons.append(w)
    return drafts


def choose_place(places: list, trigger_pos: int, country: str | None = None) -> object | None:
    """The place an event happened: the most specific place, the first after the trigger first.

    Places in the article's own country come before foreign ones (a capital named as the seat of a
    government that spoke is rarely where the shelling was).
    """
    specific = [p for p in places if p.placetype != "country"]
    pool = specific or places
    if country and any(p.country == country for p in pool):
        pool = [p for p in pool if p.country == country]
    if not pool:
        return None
    after = [p for p in pool if p.start >= trigger_pos]
    ordered = after + [p for p in reversed(pool) if p.start < trigger_pos]
    best = min(ordered, key=lambda p: (p.geo_precision, ordered.index(p)))
    first = ordered[0]
    # prefer the first place unless a later one is strictly finer and inside the same admin1
    if best is not first and (best.admin1 != first.admin1 or first.geo_precision <= best.geo_precision):
        return first
    return best


def coordinated_places(norm: str, places: list) -> list[list]:
    """Group a sentence's places into runs coordinated by و/، ("على إدلب وحلب")."""
    runs: list[list] = []
    for p in sorted(places, key=lambda p: p.start):
        if runs and _COORD_BETWEEN.match(norm[runs[-1][-1].end : p.start]):
            runs[-1].append(p)
        else:
            runs.append([p])
    return runs


def _names_governorate(place) -> bool:
    """'إدلب وحلب' names two governorates as much as two cities: such a list is one front, not
    one event per town (the example gold codes it so); lists of towns are split (SPEC section 4)."""
    return place.geo_precision >= 3 or (place.admin1 or "").casefold() == (place.name or "").casefold()


def figure_breakdown(norm: str, figs: list, runs: list[list]) -> list:
    """Places of a total broken down by place ("19 قتيلاً في حلب، و12 في دمشق"): one per distinct place."""
    found: dict[str, object] = {}
    for f in figs:
        for run in runs:
            gap = norm[f.end:run[0].start]
            if 0 <= run[0].start - f.end <= 30 and re.search(r"(?:^|\s)(?:في|ب)", gap) and not re.search(r"[.؟!]", gap):
                for p in run:
                    found.setdefault(_place_key(p) or p.name, p)
                break
    return list(found.values())


def role_hint(norm: str, mention, trigger, victim_spans: list[tuple[int, int]]) -> str:
    """'agent', 'target' or '' for an actor mention relative to the event trigger."""
    if mention.entry.inter == 7:
        return "target"
    for a, b in victim_spans:  # victims named by a figure ("ثلاثة جنود", "40 جندياً في جيش النظام")
        if mention.start >= a and mention.end <= b:
            return "target"
    before = norm[max(0, mention.start - 16) : mention.start]
    if _TARGET_BEFORE.search(before):
        return "target"
    if _AGENT_BEFORE.search(before):
        return "agent"
    if trigger is not None:
        if mention.start < trigger.end and trigger.start < mention.end:
            return "agent"  # "الغارات الروسية", "قصف روسي": the trigger phrase names who struck
        if 0 <= mention.start - trigger.end <= 25:
            return "agent"
        if 0 <= trigger.start - mention.end <= 30:
            return "agent"
    return ""


def resolve_date(norm: str, dates: list, trigger_pos: int):
    """The sentence's event date: not the report's own date ("أعلنت ... اليوم"), nearest the trigger."""
    usable = [d for d in dates if d.kind != "background" and d.start_date is not None]
    if not usable:
        return None
    return min(usable, key=lambda d: (is_report_date(norm, d), abs(d.start - trigger_pos)))


def _in(items: list, start: int, end: int) -> list:
    return [x for x in items if x.start >= start and x.end <= end]


def _kill_type(figs: list) -> tuple[str, str]:
    """Type of an event known only from its victims (a bare 'قتل')."""
    groups = {f.group for f in figs if f.kind in VIOLENT_KINDS}
    if groups == {"protesters"}:
        return "Protests", "Excessive force against protesters"
    if groups and groups <= CIVILIAN_GROUPS:
        return "Violence against civilians", "Attack"
    return "Battles", "Armed clash"


STRONG = 0.6  # a trigger this strong opens its own zone of a sentence
PROTEST_ESCALATION = ["Peaceful protest", "Protest with intervention", "Excessive force against protesters"]
_BLAST = re.compile(r"^(?:ال)?(?:انفجار|انفجارات|دوي|دوي انفجار)$")
DEFAULT_SUBTYPE = {
    "Explosions/Remote violence": "Shelling/artillery/missile attack", "Protests": "Peaceful protest",
    "Riots": "Violent demonstration", "Strategic developments": "Other",
    "Battles": "Armed clash", "Violence against civilians": "Attack",
}
NON_COMBATANT_KINDS = {"monitor", "media", "un_ngo", "medical"}
_ALSO = re.compile(
    r"^(?:و|ف)?كما\s+(?!(?:ذكر|اكد|اعلن|قال|افاد|اشار|اوضح|اضاف|نقل|بين|شدد|لفت)\w*)|(?:^|\s)(?:ايضا|كذلك)(?:\s|$)"
)  # "كما استهدفت ..." tells one more event; "كما ذكرت الوكالة ..." only one more source


def is_definite(norm: str, trigger) -> bool:
    """'الهجوم', 'بالقصف', 'للغارات': a definite trigger word refers to something already told."""
    start = trigger.start
    while start > 0 and norm[start - 1].isalpha():
        start -= 1
    word = norm[start:trigger.end]
    return bool(re.match(r"(?:و|ف)?(?:ب|ك)?ال|(?:و|ف)?لل", word))


def is_new_report(norm: str, sent_start: int, sent_end: int, trigger, has_place: bool) -> bool:
    """A sentence that tells a further strike somewhere ("كما استهدفت ... ريف إدلب", "وأدى القصف
    أيضاً ...") is a new event, not one more report of the last one."""
    if not has_place or trigger.weight < STRONG:
        return False
    return bool(_ALSO.search(norm[sent_start:sent_end]))


def _type_of(trigger, figs: list) -> tuple[str, str]:
    et, st = trigger.event_type, trigger.sub_event_type
    if trigger.weight <= WEAK and figs and et in ("Battles", "Violence against civilians"):
        return _kill_type(figs)
    if not et:
        return _kill_type(figs)
    return et, st or DEFAULT_SUBTYPE.get(et, "Other")


def sentence_zones(trigs: list, start: int, end: int) -> list[tuple[object, int, int]]:
    """Split a sentence at its strong triggers: "اشتباكات ... وقصف على X وY" has two zones.

    Each zone is (trigger, zone start, zone end); the first zone also covers the sentence's head.
    A sentence with weak triggers only is one zone read from its strongest trigger.
    """
    strong = sorted((t for t in trigs if t.weight >= STRONG), key=lambda t: t.start)
    # "هزت انفجارات المدينة عقب غارات": the blasts are the strikes', not an event of their own
    specific = [t for t in strong if t.event_type == "Explosions/Remote violence" and not _BLAST.match(t.phrase)]
    if specific:
        strong = [t for t in strong if not (t.event_type == "Explosions/Remote violence" and _BLAST.match(t.phrase))]
    if not strong:
        best = max(trigs, key=lambda t: (t.weight, -t.start))
        return [(best, start, end)]
    zones = []
    for i, t in enumerate(strong):
        zs = start if i == 0 else t.start
        ze = strong[i + 1].start if i + 1 < len(strong) else end
        zones.append((t, zs, ze))
    return zones


def build_candidates(doc: Document, attribution) -> list[Candidate]:
    """Candidates of one sentence: one per zone (strong trigger) and per coordinated place in it."""
    norm = doc.norm
    candidates: list[Candidate] = []
    speaker_mentions = {m for sp in attribution.speakers.values() for m in sp.mentions}
    for index, sent in enumerate(doc.sentences):
        segs = [s for s in attribution.segments if s.sentence == index]
        trigs = [
            t for t in _in(doc.triggers, sent.start, sent.end)
            if not any(s.stance == "denies" and s.start <= t.start < s.end for s in segs)
        ]
        if not trigs:
            continue
        sent_dates = _in(doc.dates, sent.start, sent.end)
        if sent_dates and all(d.kind == "background" for d in sent_dates):
            continue  # "قتل في معارك ... العام الماضي": background, not a new event
        figs = _in(doc.figures, sent.start, sent.end)
        weapons = _in(doc.weapons, sent.start, sent.end)
        places = _in(doc.places, sent.start, sent.end)
        victim_spans = [(f.victim_text_start, f.victim_text_end) for f in figs if f.victim_text_start is not None]
        mentions = [
            m for m in _in(doc.actors, sent.start, sent.end)
            if (m.start, m.end) not in speaker_mentions and m.entry.kind not in NON_COMBATANT_KINDS
            and m.entry.role != "source"
            and not any(0 <= m.start - b <= 1 for _, b in speaker_mentions)  # "وكالة أنباء النظام السوري"
            # a victim noun of a figure ("50 متشدداً") says who died, not which group fought
            and not (m.generic and m.entry.inter != 7 and any(f.start <= m.start and m.end <= f.end for f in figs))
        ]
        runs = [r for r in coordinated_places(norm, [p for p in places if p.placetype != "country"]) if r]
        zones = sentence_zones(trigs, sent.start, sent.end)
        zone_runs = [[r for r in runs if zs <= r[0].start < ze and r[-1].end > t.start or (zs <= r[0].start < ze and i == 0)]
                     for i, (t, zs, ze) in enumerate(zones)]
        for zi, (trig, zs, ze) in enumerate(zones):
            et, st = _type_of(trig, figs)
            if et == "Protests":  # a protest met with force is coded by the force ("قتلت ... متظاهرين")
                st = max((t.sub_event_type for t in trigs if t.event_type == "Protests" and t.sub_event_type
                          and zs <= t.start < ze and t.sub_event_type in PROTEST_ESCALATION),
                         key=PROTEST_ESCALATION.index, default=st)
            actors = [(role_hint(norm, m, trig, victim_spans), m) for m in mentions]
            if st == "Shelling/artillery/missile attack" and any(
                h == "agent" and m.entry.id in air_actors() for h, m in actors
            ) and not any(w.implies == "Shelling/artillery/missile attack" for w in weapons):
                st = "Air/drone strike"
            date_m = resolve_date(norm, _in(doc.dates, sent.start, sent.end), trig.start)
            own = zone_runs[zi]
            if not own and zi > 0 and is_definite(norm, trig):
                continue  # "... بسبب القصف": a definite trigger with no place of its own refers back
            if not own:  # "اشتباكات ... وقصف على X وY": the zone shares the next zone's places
                own = next((r for r in zone_runs[zi + 1:] if r), [])
            zone_figs = [f for f in figs if zs <= f.start < ze] if len(zones) > 1 else figs
            breakdown = figure_breakdown(norm, zone_figs, runs)
            if len(breakdown) > 1:
                targets = breakdown
            elif own and len(own[0]) > 1 and et != "Protests" and not all(_names_governorate(p) for p in own[0]):
                targets = own[0]
            elif own:
                targets = [choose_place([p for r in own for p in r], trig.start, doc.country_hint)]
            else:
                targets = [choose_place(places, trig.start, doc.country_hint)]
            for place in targets:
                candidates.append(Candidate(
                    sentence=index, trigger=trig, event_type=et, sub_event_type=st, weight=trig.weight,
                    place=place, date=date_m, start=sent.start, end=sent.end, actors=list(actors),
                    weapons=[w.weapon for w in weapons],
                    anaphoric=not is_new_report(norm, sent.start, sent.end, trig, place is not None and bool(own)),
                ))
    return candidates
