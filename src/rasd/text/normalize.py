"""Arabic normalisation with an offset map back to the original text.

Every later stage reads the *normalised* view (so lexicons match whatever spelling a writer used)
but reports spans in the *original* text (so a reader can highlight the evidence). `normalize`
returns both the normalised string and, for every normalised character, the original span it came
from. Each rule below touches a documented set of characters, in the style of CAMeL Tools'
`normalize.py`:

* diacritics (harakat U+064B-U+0652, superscript alef U+0670, Quranic marks) and tatweel U+0640
  are dropped;
* bidi and zero-width marks (LRM, RLM, LRE..RLO, LRI..PDI, ZWSP, ZWNJ, ZWJ, BOM) are dropped;
* alef forms أ إ آ ٱ -> ا ; alef maqsura ى -> ي ; taa marbuta ة -> ه ; hamza seats ؤ -> و , ئ -> ي;
* Eastern Arabic ٠-٩ and Persian ۰-۹ digits -> 0-9 ; Arabic decimal/thousands separators -> . ,
* Arabic presentation forms (U+FB50-U+FEFF) are folded with NFKC;
* HTML entities (&quot; &amp; &#1575; ...) become the character they name;
* no-break and other spaces -> ' ', Latin letters are lower-cased.

Nothing else moves, so normalised offsets map back to original offsets exactly.
"""

from __future__ import annotations

import html
import re
import unicodedata

DIACRITICS = frozenset(chr(c) for c in [*range(0x064B, 0x0653), 0x0670, *range(0x06D6, 0x06DD), *range(0x06DF, 0x06E9), *range(0x06EA, 0x06EE)])
TATWEEL = "\u0640"
INVISIBLE = frozenset("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\ufeff\u00ad")
DROPPED = DIACRITICS | INVISIBLE | {TATWEEL}

CHAR_MAP = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
    "ى": "ي", "ة": "ه", "ؤ": "و", "ئ": "ي",
    "٫": ".", "٬": ",",
    "\u00a0": " ", "\u2007": " ", "\u202f": " ", "\u2009": " ", "\t": " ",
    "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"',
    "‘": "'", "’": "'",
}
for _i in range(10):
    CHAR_MAP[chr(0x0660 + _i)] = str(_i)
    CHAR_MAP[chr(0x06F0 + _i)] = str(_i)

_ENTITY = re.compile(r"&(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});")


def _fold_char(ch: str) -> str:
    """Normalise one original character; '' means the character is dropped."""
    if ch in DROPPED:
        return ""
    mapped = CHAR_MAP.get(ch)
    if mapped is not None:
        return mapped
    code = ord(ch)
    if 0xFB50 <= code <= 0xFEFC:  # Arabic presentation forms
        folded = unicodedata.normalize("NFKC", ch)
        if folded == ch:
            return ch
        return "".join(_fold_char(c) for c in folded)
    if "A" <= ch <= "Z":
        return ch.lower()
    return ch


# characters that are dropped or may become several (presentation forms), plus "&" (entities): these
# go through `_fold_char` one by one; every other character maps to exactly one (`_map_one_to_one`)
_SPECIAL = re.compile("[" + re.escape("".join(sorted(DROPPED))) + "\ufb50-\ufefc&]")
_ONE_TO_ONE_PAIRS = tuple({**CHAR_MAP, **{chr(c): chr(c).lower() for c in range(ord("A"), ord("Z") + 1)}}.items())


def _map_one_to_one(text: str) -> str:
    """Every one-to-one character of the text mapped (`_SPECIAL` ones stay as they are). A chain of
    `str.replace` over the few mapped characters a text holds: eight times faster than `str.translate`
    with a table, which looks every character up. (No mapped value is itself mapped, so the order of
    the chain does not matter.)"""
    for char, mapped in _ONE_TO_ONE_PAIRS:
        if char in text:
            text = text.replace(char, mapped)
    return text


def normalize(text: str) -> tuple[str, list[int], list[int]]:
    """Return (normalised, starts, ends): normalised[i] came from text[starts[i]:ends[i]].

    Runs of characters that map one to one (nearly all of a text) are translated whole, keeping
    their offsets; only `_SPECIAL` characters go through `_fold_char` one by one.
    """
    mapped = _map_one_to_one(text)  # the runs below are slices of this
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i = 0
    n = len(text)
    search = _SPECIAL.search
    while i < n:
        m = search(text, i)
        j = m.start() if m else n
        if j > i:
            out.append(mapped[i:j])
            starts.extend(range(i, j))
            ends.extend(range(i + 1, j + 1))
            i = j
            if i >= n:
                break
        ch = text[i]
        if ch == "&":
            m = _ENTITY.match(text, i)
            if m:
                decoded = html.unescape(m.group(0))
                if decoded != m.group(0):
                    for c in decoded:
                        for f in _fold_char(c):
                            out.append(f)
                            starts.append(i)
                            ends.append(m.end())
                    i = m.end()
                    continue
        for f in _fold_char(ch):
            out.append(f)
            starts.append(i)
            ends.append(i + 1)
        i += 1
    return "".join(out), starts, ends


def normalize_key(text: str) -> str:
    """The normalised form used as a lexicon / gazetteer key: normalised, spaces collapsed."""
    return " ".join(normalize(text)[0].split())
