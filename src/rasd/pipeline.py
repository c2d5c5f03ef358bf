"""The pipeline: the ordered stages over one Document, and `extract()`.

normalise → sentences → triggers → figures (numbers) → relevance → country → dates → places → actors
→ sources → victims → weapons → events → claims → reconcile. Each stage is a function `stage(doc)` that
reads what earlier stages stored on the Document and adds its own mentions; `STAGES` is the one place
their order is written down. The relevance stage stops a document that has no event word strong enough
to make an event and no figure: no event can come out of it, so the costlier stages are not run (a
third of a general news corpus). The engines (CLI, HTTP API, batch and Dask runners) all call `extract`.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Callable
from datetime import date
from typing import NamedTuple

from rasd import actors as actors_mod
from rasd import dates as dates_mod
from rasd import figures as figures_mod
from rasd import triggers as triggers_mod
from rasd.document import Document
from rasd.events import EventDraft, build_candidates, merge_candidates
from rasd.places import find_places
from rasd.reconcile import Reported, reconcile
from rasd.schema import (
    Actor,
    Claim,
    DocInfo,
    Event,
    EventDate,
    Fatalities,
    Figure,
    Location,
    Mention,
    RasdDocument,
    Source,
)
from rasd.sources import Attribution
from rasd.text.input import InputError, clean_input

MAX_CHARS = 2_000_000
MIN_EVENT_WEIGHT = 0.6  # tuned on the dev set: 0.4 → F1 .654, 0.6 → .667, 0.75 → .661
ROLE_ORDER = ("actor1", "assoc_actor_1", "actor2", "assoc_actor_2")


class ExtractionError(InputError):
    """The input cannot be read as a document (empty, not Arabic, too large)."""


# -- stages ---------------------------------------------------------------------------------

MAX_FIGURE = 20_000_000  # more people than any war has killed or displaced at once: money, poultry, a misread


def stage_figures(doc: Document) -> None:
    doc.figures = [f for f in figures_mod.find_figures(doc.norm) if f.best <= MAX_FIGURE]


def stage_dates(doc: Document) -> None:
    dates, warnings = dates_mod.find_dates(doc.norm, doc.published)
    # a number read as a year after publication ("2076 مدنياً") is no date of anything reported
    latest = (doc.published.year + 1) if doc.published else 2100
    doc.dates = [d for d in dates if d.start_date is None or 1900 <= d.start_date.year <= latest]
    doc.warnings.extend(warnings)


DATELINE = re.compile(r"^[^\n]{0,90}?\((?:cnn|سي ان ان|ا ف ب|اف ب|رويترز|د ب ا|واس|سانا)\)\s*[-—–]*")


def stage_places(doc: Document) -> None:
    places = find_places(doc.norm, country_hint=doc.country_hint)
    m = DATELINE.match(doc.norm)  # "دبي، الإمارات (CNN)--" is where the story was filed, not where it happened
    doc.places = [p for p in places if not m or p.start >= m.end()]


def stage_actors(doc: Document) -> None:
    doc.actors = actors_mod.find_actors(doc.norm, country_hint=doc.country_hint)
    # a trigger word inside an actor's name (تحرير in هيئة تحرير الشام) is not an event
    doc.triggers = [t for t in doc.triggers if not _inside_actor(doc, t)]


def stage_sources(doc: Document) -> None:
    doc.attribution = Attribution(doc, doc.actors)
    # a country named as a speaker ("وبحسب روسيا") is not where anything happened
    spoken = {m for sp in doc.attribution.speakers.values() for m in sp.mentions}
    doc.places = [p for p in doc.places if not any(p.start <= a and b <= p.end for a, b in spoken)]


def _inside_actor(doc: Document, trigger) -> bool:
    return any(m.start < trigger.start and trigger.end <= m.end and not m.generic and m.entry.inter not in (5, 6)
               for m in doc.actors)


def stage_triggers(doc: Document) -> None:
    """Event words with their types and weights in context (`stage_actors` later drops those inside
    an actor's name)."""
    doc.triggers = triggers_mod.find_event_triggers(doc.norm)


def stage_relevance(doc: Document) -> None:
    """An event needs a trigger of weight MIN_EVENT_WEIGHT or a figure (`stage_events` keeps no other;
    a figure with no event makes one): a document with neither has no event, and `run` stops here."""
    doc.relevant = bool(doc.figures) or any(t.weight >= MIN_EVENT_WEIGHT for t in doc.triggers)


def stage_country(doc: Document) -> None:
    """The country the article is about, which places and actors are read against."""
    doc.country_hint = actors_mod.country_of_text(doc.norm)


def stage_weapons(doc: Document) -> None:
    doc.weapons = triggers_mod.find_weapons(doc.norm)


def stage_events(doc: Document) -> None:
    candidates = build_candidates(doc, doc.attribution)
    doc.events = merge_candidates(candidates)
    attach_figures(doc)
    attach_weapons(doc)
    # an event read only from a weak word (هجوم، قتل، استهدف) with no figure is too thin to report
    doc.events = [e for e in doc.events if e.weight >= MIN_EVENT_WEIGHT or e.figures]
    attach_denials(doc)


def resolve_figure_actors(doc: Document) -> None:
    """Find the actor named as each figure's victims ("40 جندياً في جيش النظام السوري")."""
    doc.figure_actors = {}
    for fig in doc.figures:
        a, b = getattr(fig, "victim_text_start", None), getattr(fig, "victim_text_end", None)
        if a is None or b is None:
            continue
        for m in doc.actors:
            if m.start >= a and m.end <= b:
                doc.figure_actors[(fig.start, fig.end)] = m
                break


STAGES: list[tuple[str, Callable[[Document], None]]] = [
    ("triggers", stage_triggers),
    ("figures", stage_figures),
    ("relevance", stage_relevance),
    ("country", stage_country),
    ("dates", stage_dates),
    ("places", stage_places),
    ("actors", stage_actors),
    ("sources", stage_sources),
    ("victims", resolve_figure_actors),
    ("weapons", stage_weapons),
    ("events", stage_events),
]


# -- figures and denials onto events ----------------------------------------------------------

def attach_figures(doc: Document) -> None:
    """Each figure goes to the event of its sentence; else to the event it results from."""
    for fig in doc.figures:
        seg = doc.attribution.segment_at(fig.start)
        if seg is not None and seg.stance == "denies":
            continue
        index = doc.sentence_index(fig.start)
        here = [e for e in doc.events if index in e.sentences]
        # a sentence shared by several place events: the figure goes to the nearest place's event
        event = min(here, key=lambda e: abs((e.place.start if e.place is not None else 10**9) - fig.start),
                    default=None) if len(here) > 1 else (here[0] if here else None)
        if event is None:
            earlier = [e for e in doc.events if min(e.sentences) < index]
            if earlier:
                event = max(earlier, key=lambda e: max(s for s in e.sentences if s < index))
            elif doc.events:
                event = doc.events[0]
        if event is None:
            event = EventDraft("Strategic developments", "Other", 0.3)
            event.sentences.append(index)
            s = doc.sentences[index]
            event.ranges.append((s.start, s.end))
            places = [p for p in doc.places if s.start <= p.start < s.end]
            event.place = places[0] if places else None
            doc.events.append(event)
        elif index not in event.sentences:
            event.sentences.append(index)
            s = doc.sentences[index]
            event.ranges.append((s.start, s.end))
        event.figures.append(fig)


DENIED_REFERENCES = re.compile(
    r"(?<!\w)(?:و|ب|ل|لل|ال)*(?:بيان|انباء|تقارير|تقرير|اتهامات|روايه|ادعاءات|مزاعم|معلومات|اخبار)(?!\w)"
)


def attach_weapons(doc: Document) -> None:
    """Weapons described in a sentence with no event ("كانوا مجهزين بدبابات ومدافع") belong to the
    event told just before."""
    covered = {i for e in doc.events for i in e.sentences}
    for w in doc.weapons:
        index = doc.sentence_index(w.start)
        if index in covered:
            continue
        earlier = [e for e in doc.events if min(e.sentences) < index]
        if earlier:
            event = max(earlier, key=lambda e: max(s for s in e.sentences if s < index))
            if w.weapon not in event.weapons:
                event.weapons.append(w.weapon)


def attach_denials(doc: Document) -> None:
    """A denying segment makes a `denies` claim against the event it refers to.

    The denial must be about an event: its segment names one (a trigger, even one too weak to make
    an event of its own, or a figure) or refers to a report of one (البيان، الأنباء، الاتهامات…);
    "نفى أن بلاده ترسل جنوداً" denies a policy, not an event, and stays out.
    """
    all_triggers = triggers_mod.find_triggers(doc.norm)
    for seg in doc.attribution.segments:
        if seg.stance != "denies" or not doc.events:
            continue
        inside = [t for t in all_triggers if seg.start <= t.start < seg.end and t.event_type]
        figures = [f for f in doc.figures if seg.start <= f.start < seg.end]
        if not inside and not figures and not DENIED_REFERENCES.search(doc.norm[seg.start:seg.end]):
            continue
        earlier = sorted((e for e in doc.events if e.first_start < seg.start), key=lambda e: e.first_start)
        earlier = earlier or doc.events
        target = None
        if inside:  # "نفى وقوع هذه الهجمات": the latest event of the kind named
            same = [e for e in earlier if e.event_type == inside[0].event_type]
            target = same[-1] if same else None
        if target is None:  # "شككت في صحة البيان": the report just before
            target = earlier[-1]
        if seg.speaker not in target.denials:
            target.denials.append(seg.speaker)
            target.ranges.append((seg.start, seg.end))


# -- to the schema ----------------------------------------------------------------------------

class _Evidence(NamedTuple):
    """A Mention's fields for a model that has them inline (Location, Actor, Claim, Figure): a plain
    tuple, so they are validated once, by that model, not by a Mention made only to be read."""

    text: str
    span: tuple[int, int]


def _evidence(doc: Document, start: int, end: int) -> _Evidence:
    a, b = doc.span(start, end)
    return _Evidence(doc.text[a:b], (a, b))


def _mention(doc: Document, start: int, end: int) -> Mention:
    text, span = _evidence(doc, start, end)
    return Mention(text=text, span=span)


class _Builder:
    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.source_ids: dict[str, str] = {}
        self.sources: list[Source] = []

    def source_id(self, key: str) -> str:
        if key not in self.source_ids:
            sp = self.doc.attribution.speakers[key]
            sid = f"S{len(self.sources) + 1}"
            self.source_ids[key] = sid
            self.sources.append(Source(
                id=sid, name=sp.name, name_ar=sp.name_ar, party=sp.party, kind=sp.kind,
                mentions=[_mention(self.doc, a, b) for a, b in sorted(sp.mentions)],
            ))
        return self.source_ids[key]

    def location(self, place) -> Location | None:
        if place is None:
            return None
        m = _evidence(self.doc, place.start, place.end)
        return Location(
            name=place.name, name_ar=place.name_ar, gazetteer_id=place.gazetteer_id, country=place.country,
            admin1=place.admin1, admin2=place.admin2, admin3=place.admin3, lat=place.lat, lon=place.lon,
            geo_precision=place.geo_precision, where_prec=place.where_prec, text=m.text, span=m.span,
        )

    def event_date(self, ev: EventDraft) -> EventDate | None:
        # the sentence that names the event's place is its lead; read the date from there first
        place = ev.place
        ranges = sorted(ev.ranges, key=lambda r: not (place is not None and r[0] <= place.start < r[1]))
        d = dates_mod.pick_event_date(self.doc.dates, self.doc.norm, ranges, self.doc.published)
        if d is None or d.start_date is None:
            return None
        m = _evidence(self.doc, d.start, d.end) if d.end > d.start else None
        return EventDate(
            start=d.start_date.isoformat(), end=d.end_date.isoformat() if d.end_date else None,
            time_precision=d.time_precision, date_prec=d.date_prec,
            text=m.text if m else None, span=m.span if m else None,
        )

    def actors(self, ev: EventDraft) -> list[Actor]:
        agents: list = []
        targets: list = []
        loose: list = []
        for hint, m in ev.actors:
            bucket = agents if hint == "agent" else targets if hint == "target" else loose
            if all(x.entry.id != m.entry.id for x in agents + targets + loose):
                bucket.append(m)
        for m in loose:
            (agents if not agents else targets).append(m)
        for fig in ev.figures:
            actor = self.doc.figure_actors.get((fig.start, fig.end))
            if actor is not None and all(x.entry.id != actor.entry.id for x in agents + targets):
                targets.append(actor)
        out: list[Actor] = []
        for role_main, role_assoc, group in (("actor1", "assoc_actor_1", agents), ("actor2", "assoc_actor_2", targets)):
            for i, m in enumerate(group[:3]):
                mm = _evidence(self.doc, m.start, m.end)
                e = m.entry
                out.append(Actor(role=role_main if i == 0 else role_assoc, id=e.id, name=e.name, name_ar=e.name_ar,
                                 inter=e.inter, country=e.country if e.country != "*" else None, text=mm.text, span=mm.span))
        return out

    def claims(self, ev: EventDraft) -> list[Claim]:
        doc = self.doc
        by_key: dict[tuple[str, str], Claim] = {}
        segments = [s for s in doc.attribution.segments if s.sentence in ev.sentences]
        for seg in segments:
            key = (seg.speaker, "denies" if seg.speaker in ev.denials and seg.stance == "denies" else "asserts")
            if seg.stance == "denies" and seg.speaker not in ev.denials:
                continue
            has_fig = any(seg.start <= f.start < seg.end for f in ev.figures)
            if key[0] == "outlet" and not has_fig:
                continue
            if key not in by_key:
                m = _evidence(doc, seg.start, seg.end)
                by_key[key] = Claim(source=self.source_id(seg.speaker), stance=key[1], text=m.text, span=m.span)
        for speaker in ev.denials:
            key = (speaker, "denies")
            if key not in by_key:
                seg = next(s for s in doc.attribution.segments if s.speaker == speaker and s.stance == "denies")
                m = _evidence(doc, seg.start, seg.end)
                by_key[key] = Claim(source=self.source_id(speaker), stance="denies", text=m.text, span=m.span)
        for fig in ev.figures:
            seg = doc.attribution.segment_at(fig.start)
            speaker = seg.speaker if seg is not None else doc.attribution.outlet_key()
            key = (speaker, "asserts")
            if key not in by_key:
                sm = _evidence(doc, seg.start, seg.end) if seg is not None else _evidence(doc, fig.start, fig.end)
                by_key[key] = Claim(source=self.source_id(speaker), stance="asserts", text=sm.text, span=sm.span)
            fm = _evidence(doc, fig.start, fig.end)
            actor = self.doc.figure_actors.get((fig.start, fig.end))
            by_key[key].figures.append(Figure(
                kind=fig.kind, low=fig.low, high=fig.high, best=fig.best, qualifier=fig.qualifier,
                group=fig.group or "unknown", actor=actor.entry.id if actor is not None else None,
                text=fm.text, span=fm.span,
            ))
        return list(by_key.values())

    def event(self, n: int, ev: EventDraft) -> Event:
        doc = self.doc
        claims = self.claims(ev)
        source_of = {s.id: s for s in self.sources}
        reported = [
            Reported(source_of[c.source].name, c.stance, f.group, f.low, f.best, f.high)
            for c in claims for f in c.figures if f.kind == "killed"
        ]
        fatalities, contested = reconcile(reported, denied=any(c.stance == "denies" for c in claims))
        actors = self.actors(ev)
        civilian = ev.event_type == "Violence against civilians" or (
            ev.event_type == "Explosions/Remote violence"
            and any(a.role == "actor2" and a.inter == 7 for a in actors)
            and not any(a.role in ("actor2", "assoc_actor_2") and a.inter != 7 for a in actors)
        )
        evidence = [_mention(doc, a, b) for a, b in sorted(ev.ranges)]
        trig = ev.triggers[0] if ev.triggers else None
        score = min(1.0, 0.35 + 0.35 * ev.weight + 0.1 * (ev.place is not None) + 0.1 * bool(actors)
                    + 0.1 * bool(ev.date_explicit))
        return Event(
            id=f"E{n}", event_type=ev.event_type, sub_event_type=ev.sub_event_type,
            date=self.event_date(ev), location=self.location(ev.place), actors=actors,
            civilian_targeting=bool(civilian), weapons=list(ev.weapons), claims=claims,
            fatalities=Fatalities(**fatalities), contested=contested, evidence=evidence,
            confidence=round(score, 2), trigger=_mention(doc, trig.start, trig.end) if trig else None,
        )


def run(doc: Document, after_stage: Callable[[str], None] | None = None) -> Document:
    """Every stage in order, until one finds the document irrelevant (`stage_relevance`).
    `after_stage(name)` is called after each stage that ran (the benchmark times stages with it)."""
    for name, stage in STAGES:
        stage(doc)
        if after_stage is not None:
            after_stage(name)
        if not doc.relevant:
            break
    return doc


def inherit_places(doc: Document) -> None:
    """An event whose sentences name no place happened where the story is: the place of the event
    before it, else the article's first specific place, else its country."""
    ordered = sorted(doc.events, key=lambda e: e.first_start)
    specific = [p for p in doc.places if p.placetype != "country"]
    if doc.country_hint:
        specific = [p for p in specific if p.country == doc.country_hint] or specific
    countries = [p for p in doc.places if p.placetype == "country" and p.country == doc.country_hint]
    previous = None
    for ev in ordered:
        if ev.place is None:
            ev.place = previous or (specific[0] if specific else countries[0] if countries else None)
        elif ev.place.placetype == "country":
            # "في اليمن" in an article that names one Yemeni town: the event is there
            inside = [p for p in specific if p.country == ev.place.country]
            if len({(p.name, p.country) for p in inside}) == 1:
                ev.place = inside[0]
        if ev.place is not None:
            previous = ev.place


def to_schema(doc: Document) -> RasdDocument:
    builder = _Builder(doc)
    inherit_places(doc)
    events = [builder.event(i + 1, ev) for i, ev in enumerate(sorted(doc.events, key=lambda e: e.first_start))]
    # a channel that relays the claims is listed as a source too (a document with no event has no claims)
    relays = doc.attribution.relays if events else []
    for channel, _original in relays:
        builder.source_id(channel)
    info = DocInfo(
        id=doc.doc_id, outlet=doc.outlet, url=doc.url, title=doc.title,
        published=doc.published.isoformat() if doc.published else None, chars=len(doc.text),
    )
    return RasdDocument(doc=info, sources=builder.sources, events=events, warnings=list(dict.fromkeys(doc.warnings)))


_WARM = False
_WARM_UP_TEXT = "قتل ثلاثة مدنيين في قصف على مدينة إدلب أمس، بحسب المرصد السوري لحقوق الإنسان."


def warm_up() -> None:
    """Load every lexicon and the gazetteer now, then take them out of the garbage collector's scans.

    The compiled lexicons are hundreds of thousands of long-lived objects; without `gc.freeze()` each
    collection walks them all again, which costs a long batch run about a tenth of its time. Engines
    call this once per worker process before their first document. It also sets the collector's
    thresholds for a process that extracts many documents (see below).
    """
    global _WARM
    if _WARM:
        return
    extract(_WARM_UP_TEXT, published="2020-01-16")
    gc.freeze()
    # an article makes tens of thousands of short-lived objects: collect the young generation every
    # 10,000 allocations instead of every 700 (a few per cent of a corpus run; memory stays flat)
    gc.set_threshold(10_000, 10, 10)
    _WARM = True


def parse_published(published: str | date | None) -> date | None:
    if published is None or published == "":
        return None
    if isinstance(published, date):
        return published
    try:
        return date.fromisoformat(str(published)[:10])
    except ValueError as exc:
        raise ExtractionError(f"published must be an ISO date (YYYY-MM-DD), got {published!r}") from exc


def extract(
    text: str | bytes,
    published: str | date | None = None,
    outlet: str | None = None,
    doc_id: str | None = None,
    title: str | None = None,
    url: str | None = None,
) -> RasdDocument:
    """Extract a `rasd.document/1` from one Arabic report. Raises ExtractionError on unusable input."""
    try:
        cleaned, notes = clean_input(text)
    except InputError as exc:
        raise ExtractionError(str(exc)) from exc
    if len(cleaned) > MAX_CHARS:
        raise ExtractionError(f"document too large: {len(cleaned)} characters (limit {MAX_CHARS})")
    doc = Document(cleaned, published=parse_published(published), outlet=outlet, doc_id=doc_id, title=title, url=url)
    doc.warnings.extend(notes)
    run(doc)
    return to_schema(doc)
