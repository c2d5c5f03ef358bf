"""Event triggers and weapon mentions: which words say that something happened, and what kind.

Three data files under `rasd/lexicons/` hold the knowledge (see README_triggers.md):

* `triggers.tsv` maps a word or phrase (غارة، اشتباكات، اعتقال ...) to an ACLED event type and
  sub-event type with a weight: 1.0 for a word that names the event on its own, lower for words
  whose type depends on context (هجوم، قتل، سيطرة). A `refine` column names the context rule.
* `weapons.tsv` maps weapon words to a controlled vocabulary and the sub-event type a weapon implies
  (طائرات → Air/drone strike, هاون → Shelling ...).
* `trigger_context.tsv` holds cue words: frames that say the event did NOT (or not yet) happen
  (لن، سوف، في حال، هدد ...) with a weight factor and a token window, and cue classes used to
  resolve the sub-event type (protest, riot, civilian, state_actor ...).

Everything works on the normalised text and returns normalised offsets.
"""

from __future__ import annotations

import csv
import re
from bisect import bisect_left
from dataclasses import dataclass, replace
from functools import cache, lru_cache
from importlib import resources

from rasd.text.matcher import PRONOUN_SUFFIXES, PhraseMatcher
from rasd.text.segment import sentence_spans, split_clauses

BATTLES = "Battles"
EXPLOSIONS = "Explosions/Remote violence"
VAC = "Violence against civilians"
PROTESTS = "Protests"
RIOTS = "Riots"
STRATEGIC = "Strategic developments"

AIR = "Air/drone strike"
SHELLING = "Shelling/artillery/missile attack"
IED = "Remote explosive/landmine/IED"
SUICIDE = "Suicide bomb"
CHEMICAL = "Chemical weapon"
GRENADE = "Grenade"

# Weapon classes in the order they decide an explosion's sub-event type.
_SEIZED_WEAPONS = frozenset({
    "missile", "rocket", "artillery", "mortar", "vbied", "ied", "landmine", "suicide_vest", "grenade", "chemical",
    "arms", "small_arms", "heavy_machine_gun", "sniper", "tank", "apc",
})
_AIR_WEAPONS = frozenset({"aircraft", "drone", "helicopter", "barrel_bomb"})
WEAPON_WINDOW = 8
FOLLOWING_FRAMES = frozenset({"accident"})  # non-event frames that may also follow the trigger  # words between a trigger and a weapon that still describes it

# Verb endings and plural endings a lexicon word may carry (قصف → قصفت، قصفوا، قصفها).
TRIGGER_SUFFIXES = PRONOUN_SUFFIXES | {"ت", "وا", "ا", "ات", "ان", "ين", "ون", "تا", "ته", "تها", "تهم", "وه", "وها", "وهم"}
WEAPON_SUFFIXES = frozenset({"ه", "ها", "هم", "ات", "ين", "ان"})
CUE_SUFFIXES = frozenset({"ه", "ها", "هم", "ات", "ين", "ون"})

_WORD = re.compile(r"\w+")
_SENTENCE_STOP = re.compile(r"[.!?؟\n]")
_CLAUSE_BREAK = re.compile(r"[،,؛;:]")


@dataclass(frozen=True, slots=True)
class Trigger:
    start: int
    end: int
    event_type: str
    sub_event_type: str  # "" when only context can tell (see refine_sub_event_type)
    weight: float
    phrase: str  # the normalised surface text norm[start:end]


@dataclass(frozen=True, slots=True)
class WeaponMention:
    start: int
    end: int
    weapon: str  # controlled vocabulary (README_triggers.md)
    implies: str  # ACLED sub-event type the weapon suggests, or ""


@dataclass(frozen=True, slots=True)
class _TriggerEntry:
    event_type: str
    sub_event_type: str
    weight: float
    refine: str


@dataclass(frozen=True, slots=True)
class _Cue:
    frame: str
    factor: float | None
    window: int


def _rows(name: str) -> list[dict[str, str]]:
    """Rows of a lexicon TSV (header row first; lines starting with # are comments)."""
    text = resources.files("rasd.lexicons").joinpath(name).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(lines, delimiter="\t", quoting=csv.QUOTE_NONE)
    return [{k: (v or "").strip() for k, v in row.items() if k} for row in reader]


@cache
def _trigger_matcher() -> PhraseMatcher[_TriggerEntry]:
    entries = [
        (r["phrase"], _TriggerEntry(r["event_type"], r["sub_event_type"], float(r["weight"] or 0.5), r.get("refine", "")))
        for r in _rows("triggers.tsv")
    ]
    return PhraseMatcher(entries, suffixes=TRIGGER_SUFFIXES)


@cache
def _weapon_matcher() -> PhraseMatcher[tuple[str, str]]:
    rows = _rows("weapons.tsv")
    return PhraseMatcher([(r["phrase"], (r["weapon"], r["implies_sub_event_type"])) for r in rows], suffixes=WEAPON_SUFFIXES)


@cache
def _cue_matcher() -> PhraseMatcher[_Cue]:
    entries = []
    for r in _rows("trigger_context.tsv"):
        factor = float(r["factor"]) if r.get("factor") else None
        entries.append((r["phrase"], _Cue(r["frame"], factor, int(r["window"] or 0))))
    return PhraseMatcher(entries, suffixes=CUE_SUFFIXES)


def find_triggers(norm: str) -> list[Trigger]:
    """Lexicon triggers in the text, leftmost-longest, with the lexicon's type and weight."""
    return list(_triggers_of(norm))


@lru_cache(maxsize=8)
def _triggers_of(norm: str) -> tuple[Trigger, ...]:
    """`find_triggers`, cached (immutable): the pipeline asks for a text's triggers in the trigger
    stage (through find_event_triggers) and again when it builds events."""
    out = []
    for m in _trigger_matcher().find(norm):
        e = max(m.payloads, key=lambda p: p.weight)
        if not e.event_type:
            continue  # a blocker row: this longer phrase is not an event ("السيطرة على الوضع")
        out.append(Trigger(m.start, m.end, e.event_type, e.sub_event_type, e.weight, norm[m.start:m.end]))
    return tuple(out)


def find_weapons(norm: str) -> list[WeaponMention]:
    """Weapon mentions (طائرات حربية، سيارة مفخخة، هاون ...) with the sub-event type they suggest."""
    out = []
    for m in _weapon_matcher().find(norm):
        weapon, implies = m.payloads[0]
        out.append(WeaponMention(m.start, m.end, weapon, implies))
    return out


def _refine_rule(trigger: Trigger) -> str:
    """The `refine` column of the lexicon entry that produced this trigger."""
    return _refine_of_phrase(trigger.phrase)


@lru_cache(maxsize=4096)
def _refine_of_phrase(phrase: str) -> str:
    for m in _trigger_matcher().find(phrase):
        if m.start == 0 and m.end == len(phrase):
            return max(m.payloads, key=lambda p: p.weight).refine
    return ""


@lru_cache(maxsize=256)
def _cues(text: str) -> dict[str, tuple[int, ...]]:
    """Cue frame -> start offsets of its cues in `text` (read-only; cached, as every trigger of a
    clause asks about the same context)."""
    found: dict[str, list[int]] = {}
    for m in _cue_matcher().find_all(text):
        for cue in m.payloads:
            found.setdefault(cue.frame, []).append(m.start)
    return {frame: tuple(starts) for frame, starts in found.items()}


_OBJECT_START = re.compile(r"\b(?:علي|الي|في|من|ب|ل)\b|[،,:؛]")


def _agent(text: str, cues: dict[str, tuple[int, ...]], frames: tuple[str, ...], pos: int, end: int) -> str | None:
    """Of the given frames, the one naming the agent of the trigger at text[pos:end].

    Arabic puts the subject right after a verb ("سيطر الجيش على ...") or the agent right after a
    verbal noun ("سيطرة المعارضة على ..."), so a cue within 3 words after the trigger and before
    the object preposition (على، إلى، في ...) wins; otherwise the nearest cue before the trigger,
    otherwise the nearest after it.
    """
    stop = _OBJECT_START.search(text, end)
    limit = stop.start() if stop else len(text)
    words = list(_WORD.finditer(text, end, limit))
    if len(words) > 3:
        limit = words[2].end()
    best: tuple[int, str] | None = None
    for frame in frames:
        for p in cues.get(frame, ()):
            if end <= p < limit:
                dist = p - end
            elif p < pos:
                dist = 1000 + pos - p
            else:
                dist = 100000 + p - pos
            if best is None or dist < best[0]:
                best = (dist, frame)
    return best[1] if best else None


def _after(cues: dict[str, tuple[int, ...]], frames: tuple[str, ...], pos: int) -> str | None:
    """Of the given frames, the one whose cue follows `pos` most closely (the target), else nearest before."""
    best: tuple[int, str] | None = None
    for frame in frames:
        for p in cues.get(frame, ()):
            dist = p - pos if p >= pos else 1000 + (pos - p)
            if best is None or dist < best[0]:
                best = (dist, frame)
    return best[1] if best else None


_EXPLOSIVE_ORDER = (SUICIDE, AIR, IED, SHELLING, GRENADE)


def _explosive_sub(implied: set[str]) -> str:
    """Sub-event type the weapons imply: suicide > air > IED > shelling > grenade; '' when none."""
    for sub in _EXPLOSIVE_ORDER:
        if sub in implied:
            return sub
    return ""


def refine_sub_event_type(
    trigger: Trigger, clause_norm: str, weapons: list[WeaponMention], offset: int | None = None
) -> tuple[str, str]:
    """(event_type, sub_event_type) of a trigger read in its clause.

    `clause_norm` is the text around the trigger (its clause, or its sentence up to the clause end);
    `offset` is where that text starts in the document (when omitted, the trigger phrase is searched
    for in it). `weapons` are the weapon mentions near the trigger (e.g. `find_weapons(clause_norm)`).
    Strong triggers (weight 1.0) keep their lexicon type except where a weapon or cue changes the
    kind of attack itself (a chemical warhead, a suicide bomber, a foiled bombing, a protest).
    """
    et, st = trigger.event_type, trigger.sub_event_type
    strong = trigger.weight >= 1.0
    rule = _refine_rule(trigger)
    cues = _cues(clause_norm)
    pos = trigger.start - offset if offset is not None else max(clause_norm.find(trigger.phrase), 0)
    kinds = {w.weapon for w in weapons}
    implied = {w.implies for w in weapons if w.implies}
    explosive = _explosive_sub(implied)

    # A foiled or defused bombing is a strategic development, not an explosion.
    if "disrupted" in cues and (et == EXPLOSIONS or (rule == "attack" and explosive)):
        return STRATEGIC, "Disrupted weapons use"
    if "chemical" in kinds and (et in (EXPLOSIONS, BATTLES) or rule == "killing"):
        return EXPLOSIONS, CHEMICAL

    if et == PROTESTS:
        if "excessive_force" in cues:
            return PROTESTS, "Excessive force against protesters"
        if "riot" in cues and st == "Peaceful protest":
            return RIOTS, "Violent demonstration"
        if st == "Peaceful protest" and ("intervention" in cues or kinds & {"tear_gas", "water_cannon"}):
            return PROTESTS, "Protest with intervention"
        return PROTESTS, st or "Peaceful protest"

    if et == RIOTS:
        if st:
            return RIOTS, st
        return RIOTS, "Violent demonstration" if "protest" in cues else "Mob violence"

    if et == EXPLOSIONS:
        if rule == "raid" and "ground_raid" in cues and not kinds & _AIR_WEAPONS:
            return BATTLES, "Armed clash"  # "غارة شنتها قوات خاصة": a commando raid, not an air strike
        if st == "" or not strong:
            if st == IED and explosive in ("", SHELLING, GRENADE):
                return EXPLOSIONS, IED  # an explosion stays an IED unless a bomber or aircraft says otherwise
            if explosive:
                return EXPLOSIONS, explosive
            if st:
                return EXPLOSIONS, st
            return EXPLOSIONS, SHELLING
        if st == IED and "suicide_vest" in kinds:
            return EXPLOSIONS, SUICIDE
        return et, st

    if rule in ("territory", "withdrawal"):
        if "hostage" in cues and rule == "territory":
            return STRATEGIC, "Agreement"  # "تحرير الرهائن": a release, not a conquest
        if rule == "withdrawal" and "nonviolent" in cues:
            return STRATEGIC, "Non-violent transfer of territory"
        if st:
            return et, st
        side = _agent(clause_norm, cues, ("state_actor", "nonstate_actor"), pos, pos + len(trigger.phrase))
        if rule == "withdrawal":  # the side that withdraws loses the ground
            side = {"state_actor": "nonstate_actor", "nonstate_actor": "state_actor"}.get(side or "", side)
        if side == "nonstate_actor":
            return BATTLES, "Non-state actor overtakes territory"
        return BATTLES, "Government regains territory"

    if rule == "attack":
        if explosive and not strong:
            return EXPLOSIONS, explosive
        if "protest" in cues and trigger.phrase.startswith(("هجوم", "الهجوم", "هاجم")) and "riot" in cues:
            return RIOTS, "Violent demonstration"
        target = _after(cues, ("civilian", "armed_target"), pos)
        if target == "civilian":
            return VAC, "Attack"
        return BATTLES, st or "Armed clash"

    if rule == "killing":
        if explosive:
            return EXPLOSIONS, explosive
        if "protest" in cues:
            return PROTESTS, "Excessive force against protesters"
        target = _after(cues, ("civilian", "armed_target"), pos)
        if target == "armed_target":
            return BATTLES, "Armed clash"
        return VAC, "Attack"

    if rule == "detention":
        agent = _agent(clause_norm, cues, ("state_actor", "nonstate_actor"), pos, pos + len(trigger.phrase))
        if agent == "nonstate_actor" or "hostage" in cues:
            return VAC, "Abduction/forced disappearance"
        return STRATEGIC, "Arrests"

    if rule == "seizure":
        if kinds & _SEIZED_WEAPONS:
            return STRATEGIC, "Disrupted weapons use"
        return STRATEGIC, "Arrests"

    return et, st


@lru_cache(maxsize=8)
def _stops(norm: str) -> list[int]:
    """Offsets of every sentence-stop character of a text (cached: asked for at every trigger)."""
    return [m.start() for m in _SENTENCE_STOP.finditer(norm)]


def _sentence_bounds(norm: str, pos: int) -> tuple[int, int]:
    """[start, end) of the stretch between the sentence stops around `pos`."""
    stops = _stops(norm)
    k = bisect_left(stops, pos)
    return (stops[k - 1] + 1 if k else 0), (stops[k] if k < len(stops) else len(norm))


def non_event_frames(norm: str, trigger: Trigger) -> list[tuple[str, float]]:
    """(frame, factor) of every non-event cue that governs the trigger.

    A cue governs a trigger when it stands before it in the same clause with at most `window`
    words in between (e.g. "لن" 3 words, "في حال" 8 words); `accident` cues may also follow it.
    """
    s, _ = _sentence_bounds(norm, trigger.start)
    span = norm[s:trigger.start]
    frames = []
    for m in _cue_matcher().find(span):
        if _CLAUSE_BREAK.search(span, m.end):
            continue  # a frame does not reach across a comma or colon
        gap = len(_WORD.findall(span[m.end:]))
        for cue in m.payloads:
            if cue.factor is not None and gap <= cue.window:
                frames.append((cue.frame, cue.factor))
    # an accident may be named after the explosion word ("انفجرت أسطوانة غاز")
    _, sentence_end = _sentence_bounds(norm, trigger.start)
    brk = _CLAUSE_BREAK.search(norm, trigger.end, sentence_end)
    tail = norm[trigger.end:brk.start() if brk else sentence_end]
    for m in _cue_matcher().find(tail):
        gap = len(_WORD.findall(tail[:m.start]))
        for cue in m.payloads:
            if cue.frame in FOLLOWING_FRAMES and cue.factor is not None and gap <= cue.window:
                frames.append((cue.frame, cue.factor))
    return frames


def context_factor(norm: str, trigger: Trigger) -> float:
    """The factor (<= 1) by which non-event frames lower a trigger's weight."""
    factor = 1.0
    for _, f in non_event_frames(norm, trigger):
        factor = min(factor, f)
    return factor


def is_non_event_context(norm: str, trigger: Trigger) -> bool:
    """True when the trigger is negated, future, hypothetical, a threat or a demand (factor <= 0.3)."""
    return context_factor(norm, trigger) <= 0.3


def _words_between(norm: str, a: int, b: int) -> int:
    return len(_WORD.findall(norm[min(a, b):max(a, b)]))


def weapons_near(norm: str, trigger: Trigger, weapons: list[WeaponMention], window: int = WEAPON_WINDOW) -> list[WeaponMention]:
    """The weapon mentions (document offsets) at most `window` words away from the trigger."""
    near = []
    for w in weapons:
        if w.start < trigger.end and trigger.start < w.end:
            near.append(w)
        elif _words_between(norm, trigger.end, w.start) <= window if w.start >= trigger.end else \
                _words_between(norm, w.end, trigger.start) <= window:
            near.append(w)
    return near


def find_event_triggers(norm: str, min_weight: float = 0.1) -> list[Trigger]:
    """All triggers with types resolved in context and weights lowered by non-event frames.

    Triggers in non-event frames (see `is_non_event_context`) are dropped. Weapons count when they
    stand in the trigger's clause within WEAPON_WINDOW words; cue words are read from the start of
    the sentence to the end of the trigger's clause (the subject often comes clauses earlier).
    """
    found = find_triggers(norm)
    if not found:
        return []
    out: list[Trigger] = []
    for sentence in sentence_spans(norm):
        in_sentence = [t for t in found if sentence.start <= t.start < sentence.end]
        if not in_sentence:
            continue
        for clause in split_clauses(norm, sentence):
            in_clause = [t for t in in_sentence if clause.start <= t.start < clause.end]
            if not in_clause:
                continue
            clause_weapons = [
                replace(w, start=w.start + clause.start, end=w.end + clause.start)
                for w in find_weapons(norm[clause.start:clause.end])
            ]
            context = norm[sentence.start:clause.end]
            for t in in_clause:
                factor = context_factor(norm, t)
                if factor <= 0.3:
                    continue
                near = weapons_near(norm, t, clause_weapons)
                et, st = refine_sub_event_type(t, context, near, offset=sentence.start)
                weight = t.weight
                if et == EXPLOSIONS and t.event_type != EXPLOSIONS and near:
                    weight = max(weight, 0.7)  # "استهدفت الطائرات": a vague verb made specific by its weapon
                weight = round(weight * factor, 3)
                if weight >= min_weight:
                    out.append(replace(t, event_type=et, sub_event_type=st, weight=weight))
    return out


__all__ = [
    "Trigger",
    "WeaponMention",
    "find_triggers",
    "find_weapons",
    "refine_sub_event_type",
    "non_event_frames",
    "context_factor",
    "is_non_event_context",
    "find_event_triggers",
    "weapons_near",
]
