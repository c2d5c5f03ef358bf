"""Who says what: reporting cues, the sources they introduce and the text each source governs.

A reporting verb (أعلن، قال، أكد…), a frame (بحسب، وفق…) or a relay (نقلت قناة X عن Y) binds the
sentence it stands in to a source; continuation cues (وأضافت أن، حسب تعبيرها، بدوره) and verbs with
no named subject keep the previous source speaking, across sentences. Sentences with no cue are
the outlet's own voice (SPEC section 4, "Sources"). The cues live in `lexicons/reporting.tsv`,
`lexicons/denial_phrases.tsv` and `lexicons/speaker_nouns.tsv`.

Sources of one side are kept as one source (روسيا → وزارة الدفاع الروسية → موسكو → الجيش الروسي):
state bodies (government, military) merge by their country, everything else by registry id.
"""

from __future__ import annotations

import csv
import re
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

from rasd.document import Document
from rasd.text.matcher import PhraseMatcher
from rasd.text.normalize import normalize_key

STATE_SPEAKER_KINDS = {"government", "military"}  # merged per country: one state speaks
NON_SPEAKERS_INTER = {7}  # civilians do not issue statements in this sense
_COMPLEMENTISER = re.compile(r"(?:^|\s)(?:ب?ان|قوله|قولها|ل?ان)(?:\s|$)")
_ADJACENT_SUBJECT = re.compile(r"^\s*(?:قد|لقد|فقد|بدوره|بدورها)?\s*$")
# what follows a verb whose subject is a pronoun ("وأضافت أن", "وأشارت إلى أن"); normalised spelling
_PRONOUN_SUBJECT = re.compile(r"^[\s،,\"«]*(?:ب?ان|ا?نه|ا?نها|:|ب|علي|الي|في|قايل|مضيف|\"|«|$)")
_WINDOW_AFTER = 60
_WINDOW_BEFORE = 45


@dataclass(frozen=True, slots=True)
class Cue:
    start: int
    end: int
    cue: str  # verb | frame | continue | via
    stance: str
    subject: str


@dataclass
class Speaker:
    key: str
    name: str
    name_ar: str | None
    party: str | None
    kind: str
    mentions: list[tuple[int, int]] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Segment:
    """A stretch of a sentence (normalised offsets) said by one speaker."""

    start: int
    end: int
    speaker: str
    stance: str
    sentence: int


def _read_tsv(name: str) -> list[dict[str, str]]:
    text = resources.files("rasd.lexicons").joinpath(name).read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return list(csv.DictReader(rows, delimiter="\t"))


@cache
def cue_matcher() -> PhraseMatcher[Cue]:
    rows = _read_tsv("reporting.tsv")
    return PhraseMatcher(
        [(r["phrase"], (r["cue"], r["stance"], r["subject"])) for r in rows],
        suffixes=("ها", "هم", "وا", "ت", "ا", "ان", "انها"),  # not ه: "إضافة إلى" is no reporting verb
    )


@cache
def denial_matcher() -> PhraseMatcher[str]:
    return PhraseMatcher([(r["phrase"], r["target"]) for r in _read_tsv("denial_phrases.tsv")])


@cache
def speaker_noun_matcher() -> PhraseMatcher[str]:
    return PhraseMatcher([(r["phrase"], r["kind"]) for r in _read_tsv("speaker_nouns.tsv")])


def find_cues(norm: str, start: int, end: int) -> list[Cue]:
    cues = []
    for m in cue_matcher().find(norm[start:end]):
        kind, stance, subject = m.payloads[0]
        stop = start + m.end
        while stop < end and norm[stop].isalpha():  # the cue ends with its word ("قالوا", "أكدت")
            stop += 1
        cues.append(Cue(start + m.start, stop, kind, stance, subject))
    return cues


def can_speak(mention) -> bool:
    entry = mention.entry
    return entry.inter not in NON_SPEAKERS_INTER or entry.role in ("source", "both")


def speaker_for_entry(entry) -> tuple[str, str]:
    """(merge key, kind) of a registry entry speaking as a source."""
    kind = entry.kind or "unnamed"
    if kind in STATE_SPEAKER_KINDS and entry.country and entry.country != "*" and entry.inter in (1, 8):
        return f"{entry.country}:state", kind
    return entry.id, kind


class Attribution:
    """Speakers of a document and the segments they govern."""

    def __init__(self, doc: Document, actor_mentions: list) -> None:
        self.doc = doc
        self.speakers: dict[str, Speaker] = {}
        self.segments: list[Segment] = []
        self.relays: list[tuple[str, str]] = []  # (channel speaker, original speaker)
        self._actors = sorted(actor_mentions, key=lambda m: m.start)
        self._run()

    # -- speakers -------------------------------------------------------------------------
    def outlet_key(self) -> str:
        if "outlet" not in self.speakers:
            name = self.doc.outlet or "outlet"
            self.speakers["outlet"] = Speaker("outlet", name, None, None, "outlet")
        return "outlet"

    def _speaker_from_actor(self, mention) -> str:
        key, kind = speaker_for_entry(mention.entry)
        sp = self.speakers.get(key)
        if sp is None:
            entry = mention.entry
            sp = Speaker(key, entry.name, entry.name_ar, entry.party or entry.id, kind)
            self.speakers[key] = sp
        if (mention.start, mention.end) not in sp.mentions:
            sp.mentions.append((mention.start, mention.end))
        return key

    def _unnamed_speaker(self, start: int, end: int, kind: str = "unnamed") -> str:
        phrase = self.doc.norm[start:end]
        key = "unnamed:" + normalize_key(phrase)
        sp = self.speakers.get(key)
        if sp is None:
            sp = Speaker(key, "Unnamed source: " + self.doc.original(start, end), self.doc.original(start, end), None, kind)
            self.speakers[key] = sp
        if (start, end) not in sp.mentions:
            sp.mentions.append((start, end))
        return key

    # -- resolution -----------------------------------------------------------------------
    def _actor_after(self, pos: int, limit: int, window: int = _WINDOW_AFTER):
        norm = self.doc.norm
        for m in self._actors:
            if m.start < pos:
                continue
            if m.start > min(limit, pos + window):
                break
            between = norm[pos:m.start]
            if _COMPLEMENTISER.search(between):
                return None
            if ('"' in between or "«" in between) and len(between.strip(' "«»')) > 12:
                return None  # past a quotation mark: that is quoted speech, not the speaker's name
            if can_speak(m) and (m.entry.inter not in (6, 7) or len(between.strip()) == 0):
                return m  # civilians or protesters speak only as the verb's direct subject ("وقال سكان")
        return None

    def _actor_before(self, pos: int, floor: int, window: int = _WINDOW_BEFORE):
        norm = self.doc.norm
        best = None
        for m in self._actors:
            if m.end > pos:
                break
            if m.end >= max(floor, pos - window) and can_speak(m):
                between = norm[m.end:pos]
                if '"' in between or "«" in between or _COMPLEMENTISER.search(between):
                    continue
                best = m
        return best

    def _speaker_noun_after(self, pos: int, limit: int):
        norm = self.doc.norm
        for m in speaker_noun_matcher().find(norm[pos:min(limit, pos + 25)]):
            return pos + m.start, pos + m.end, m.payloads[0]
        return None

    def _resolve(self, cue: Cue, sent_start: int, sent_end: int, last: str | None) -> str | None:
        if cue.cue == "continue":
            return last
        if cue.cue == "frame" and (self.doc.norm[cue.start:cue.end].endswith("ما")
                                   or re.match(r"\s*ل?ما\s", self.doc.norm[cue.end:sent_end])):
            return None  # "حسب ما أعلن ناشطون": the verb that follows names the source
        noun = self._speaker_noun_after(cue.end, sent_end)
        if noun is not None:
            actor = self._actor_after(noun[1], sent_end, window=40)
            if actor is not None:
                return self._speaker_from_actor(actor)
            end = noun[1]
            words = re.match(r"(?:\s+[^\s،,.\"«»]+){0,2}", self.doc.norm[end:sent_end])
            return self._unnamed_speaker(noun[0], end + (words.end() if words else 0), noun[2])
        if cue.cue == "via":
            return self._resolve_relay(cue, sent_start, sent_end)
        if cue.subject in ("either", "after", "none"):
            before = self._actor_before(cue.start, sent_start, window=12) if cue.subject == "either" else None
            if before is not None and not _ADJACENT_SUBJECT.match(self.doc.norm[before.end:cue.start]):
                before = None  # "(CNN)-- نفى حزب الله": a dateline is not the subject; Arabic is VSO
            if before is not None:
                return self._speaker_from_actor(before)
            after = self._actor_after(cue.end, sent_end)
            if after is not None:
                return self._speaker_from_actor(after)
            if cue.subject == "either":
                before = self._actor_before(cue.start, sent_start)
                if before is not None:
                    return self._speaker_from_actor(before)
        if cue.cue == "frame" or cue.subject == "none":
            return self._unnamed_after(cue, sent_end)
        if _PRONOUN_SUBJECT.match(self.doc.norm[cue.end:sent_end]) or cue.cue != "verb":
            return last  # "وأضافت أن ...": a verb with a pronoun subject, the previous source goes on
        return self._unnamed_after(Cue(cue.start, cue.end, "frame", cue.stance, "after"), sent_end) or last

    def _unnamed_after(self, cue: Cue, sent_end: int) -> str | None:
        if cue.subject == "none":
            return self._unnamed_speaker(cue.start, cue.end)
        m = re.match(r"\s*((?:[^\s،,.\"«»:]+)(?:\s+[^\s،,.\"«»:]+){0,2})", self.doc.norm[cue.end:sent_end])
        if not m or not m.group(1):
            return None
        text = m.group(1)
        cut = re.search(r"\s(?:ان|فان|في|على|من|الى|بان)\b", text)
        if cut:
            text = text[: cut.start()]
        start = cue.end + m.start(1)
        return self._unnamed_speaker(start, start + len(text))

    def _resolve_relay(self, cue: Cue, sent_start: int, sent_end: int) -> str | None:
        norm = self.doc.norm
        channel = self._actor_after(cue.end, sent_end, window=40)
        an = norm.find(" عن ", cue.end, sent_end)
        if norm[cue.end:cue.end + 3].strip() == "عن":
            an = cue.end
        original = None
        if an >= 0:
            original = self._actor_after(an + 1, sent_end, window=40)
            if original is None:
                noun = re.match(r"\s*عن\s+((?:[^\s،,.\"«»:]+)(?:\s+[^\s،,.\"«»:]+){0,2})", norm[an:sent_end])
                if noun:
                    words = noun.group(1)
                    cut = re.search(r"\s(?:قوله|قولها|ان|في|الذي)\b", words)
                    if cut:
                        words = words[: cut.start()]
                    s = an + noun.start(1)
                    original_key = self._unnamed_speaker(s, s + len(words))
                    if channel is not None:
                        self.relays.append((self._speaker_from_actor(channel), original_key))
                    return original_key
        if original is not None:
            key = self._speaker_from_actor(original)
            if channel is not None:
                self.relays.append((self._speaker_from_actor(channel), key))
            return key
        if channel is not None:
            return self._speaker_from_actor(channel)
        return None

    # -- segmentation ---------------------------------------------------------------------
    def _run(self) -> None:
        doc = self.doc
        last: str | None = None
        for index, sent in enumerate(doc.sentences):
            cues = find_cues(doc.norm, sent.start, sent.end)
            resolved: list[tuple[Cue, str]] = []
            for cue in cues:
                key = self._resolve(cue, sent.start, sent.end, last)
                if key is None:
                    continue
                if resolved and resolved[-1][1] == key and cue.stance == resolved[-1][0].stance:
                    continue
                resolved.append((cue, key))
                last = key
            if not resolved:
                self.segments.append(self._segment(sent.start, sent.end, self.outlet_key(), "asserts", index))
                continue
            bounds = [sent.start] + [c.start for c, _ in resolved[1:]] + [sent.end]
            for (cue, key), a, b in zip(resolved, bounds, bounds[1:], strict=False):
                self.segments.append(self._segment(a, b, key, cue.stance, index))

    def _segment(self, start: int, end: int, speaker: str, stance: str, sentence: int) -> Segment:
        if stance == "asserts" and denial_matcher().find(self.doc.norm[start:end]):
            stance = "denies"
        return Segment(start, end, speaker, stance, sentence)

    def segment_at(self, pos: int) -> Segment | None:
        for seg in self.segments:
            if seg.start <= pos < seg.end:
                return seg
        return None
