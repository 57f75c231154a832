"""Cue lexicons as JSONL rows, matched on a Doc with spaCy's Matcher and PhraseMatcher.

A row is `{"label": ..., "weight": 1.0, "phrases": ["hors service", ...]}` (matched on the
lowercased text) or `{"label": ..., "pattern": [<Matcher token patterns>]}`. Optional keys:
`requires_any` (lowercase words, one of which must be in the same sentence), and any other
key the component reads (`kind`, `implies`, ...).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import numpy
from pannes.nlp.spans import sentence_of
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans
from spacy.vocab import Vocab

WORD_CACHE_SIZE = 200_000  # distinct words whose matching rows a matcher remembers
FUNCTION_WORDS = frozenset({"la", "le", "l'", "l’", "les", "un", "une", "des", "de", "d'", "d’", "du",
                            "ce", "cet", "cette", "ces", "à", "au", "aux", "en", "et", "avoir", "être",
                            "son", "sa", "ses", "leur", "leurs", "ne", "n'", "n’", "pas", "par", "pour",
                            "sur", "dans", "qui", "que", ",", ".", ":", ";"})
WINDOW_GAP = 12  # windows closer than this many tokens are matched in one call


@dataclass(frozen=True)
class Cue:
    """One match of a lexicon row: its label, weight, token span and the row itself."""

    label: str
    weight: float
    start: int
    end: int
    row: dict[str, Any] = field(compare=False, hash=False, repr=False)

    def span(self, doc: Doc) -> Span:
        return doc[self.start : self.end]


class CueMatcher:
    """Matches the rows of one lexicon; keeps the rows so they can be saved again.

    spaCy's Matcher tries every pattern at every token, which is what makes cue matching
    costly on long articles. Most patterns have a required token with a literal value
    ("reconnaître", "chez"), so each is only tried in the few tokens around the places where
    that word occurs; one-token patterns on a literal value need no Matcher at all.
    """

    def __init__(
        self,
        vocab: Vocab,
        rows: Iterable[dict[str, Any]],
        make_doc: Callable[[str], Doc],
        *,
        longest: bool = False,
    ) -> None:
        self.rows = list(rows)
        self.longest = longest
        self._matcher = Matcher(vocab, validate=True)  # patterns with no literal anchor
        self._anchored: list[Matcher] = []  # one per pattern, tried only around its anchor
        self._phrases = PhraseMatcher(vocab, attr="LOWER")
        # attribute -> hash of a value -> [(row index, tokens before the anchor, tokens after
        # it, the pattern's matcher or None when the anchor is the whole pattern)]
        self._anchors: dict[str, dict[int, list[tuple[int, int, int, int | None]]]] = {}
        # One-token regular expressions are run once per distinct word, in Python: much
        # cheaper than the Matcher's REGEX predicate, which is evaluated token by token.
        self._word_regexes: list[tuple[int, re.Pattern[str]]] = []
        for i, row in enumerate(self.rows):
            key = f"row{i}"
            regex = _single_token_regex(row.get("pattern"))
            patterns = ([row["pattern"]] if row.get("pattern") and regex is None else []) + list(
                row.get("patterns") or [])
            if regex is not None:
                self._word_regexes.append((i, re.compile(regex)))
            for pattern in patterns:
                anchor = _anchor(pattern)
                if anchor is None:
                    self._matcher.add(key, [pattern])
                    continue
                index, attr, values = anchor
                which = None
                if not (len(pattern) == 1 and len(pattern[0]) == 1):
                    which = len(self._anchored)
                    self._anchored.append(Matcher(vocab, validate=True))
                    self._anchored[which].add(key, [pattern])
                for value in values:
                    self._anchors.setdefault(attr, {}).setdefault(vocab.strings.add(value), []).append(
                        (i, index, len(pattern) - index - 1, which))
            phrases = row.get("phrases") or ([row["phrase"]] if row.get("phrase") else [])
            if phrases:
                self._phrases.add(key, [make_doc(p) for p in phrases])
        self._any_word = (re.compile("|".join(f"(?:{r.pattern})" for _, r in self._word_regexes))
                          if self._word_regexes else None)
        self._anchor_keys = {attr: numpy.array(sorted(by_value), dtype=numpy.uint64)
                             for attr, by_value in self._anchors.items()}
        self._word_rows: dict[int, tuple[int, ...]] = {}  # lowercase word (hash) -> rows it matches

    def _word_matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        if self._any_word is None:
            return []
        out = []
        strings = doc.vocab.strings
        column = _column(doc, "LOWER")
        cache = self._word_rows
        for key in _distinct(doc, "LOWER").tolist():
            rows = cache.get(key)
            if rows is None:
                word = strings[key]
                rows = (tuple(index for index, regex in self._word_regexes if regex.search(word))
                        if self._any_word.search(word) else ())
                if len(cache) < WORD_CACHE_SIZE:
                    cache[key] = rows
            if rows:
                where = numpy.flatnonzero(column == key).tolist()
                out.extend((index, i, i + 1) for index in rows for i in where)
        return out

    def _anchored_matches(self, doc: Doc) -> list[tuple[int, int, int]]:
        """One-token literal patterns from the word positions; longer ones in windows."""
        out: list[tuple[int, int, int]] = []
        windows: dict[int, list[tuple[int, int]]] = {}
        for attr, by_value in self._anchors.items():
            column = _column(doc, attr)
            for i in numpy.flatnonzero(numpy.isin(column, self._anchor_keys[attr])).tolist():
                for index, before, after, which in by_value[int(column[i])]:
                    if which is None:
                        out.append((index, i, i + 1))
                    else:
                        windows.setdefault(which, []).append((max(0, i - before), min(len(doc), i + after + 1)))
        strings = doc.vocab.strings
        for which, spans in windows.items():
            matcher = self._anchored[which]
            for start, end in _merged(spans):
                out.extend((int(strings[m][3:]), start + s, start + e) for m, s, e in matcher(doc[start:end]))
        return out

    def __call__(self, doc: Doc) -> list[Cue]:
        """All matches in the Doc, in text order (longest only, when asked)."""
        found: dict[tuple[int, int, int], Cue] = {}
        hits = [(int(doc.vocab.strings[m][3:]), s, e) for matcher in (self._matcher, self._phrases)
                for m, s, e in (matcher(doc) if len(matcher) else [])]
        hits += self._word_matches(doc) + self._anchored_matches(doc)
        words_by_sentence: dict[int, set[int]] = {}
        for index, start, end in hits:
            row = self.rows[index]
            if not self._requirement_met(doc, start, row, words_by_sentence):
                continue
            found[(start, end, index)] = Cue(row["label"], float(row.get("weight", 1.0)), start, end, row)
        cues = sorted(found.values(), key=lambda c: (c.start, -c.end))
        if self.longest:
            kept = {(s.start, s.end) for s in filter_spans([c.span(doc) for c in cues])}
            cues = [c for c in cues if (c.start, c.end) in kept]
        return cues

    def _requirement_met(self, doc: Doc, start: int, row: dict[str, Any],
                         cache: dict[int, set[int]]) -> bool:
        needed = row.get("requires_any")
        if not needed:
            return True
        sent = sentence_of(doc[start])
        words = cache.get(sent.start)
        if words is None:  # the hashes of the sentence's lowercase words and lemmas
            strings = doc.vocab.strings
            lemmas = _column(doc, "LEMMA")[sent.start:sent.end].tolist()
            words = set(_column(doc, "LOWER")[sent.start:sent.end].tolist())
            words.update(_lower_key(strings, key) for key in lemmas)
            cache[sent.start] = words
        strings = doc.vocab.strings
        return any(strings.add(w) in words for w in needed)


_LOWER_KEYS: dict[int, int] = {}


def _lower_key(strings: Any, key: int) -> int:
    """The hash of the lowercase form of the string whose hash is `key` (kept)."""
    lowered = _LOWER_KEYS.get(key)
    if lowered is None:
        text = strings[key]
        lowered = key if text.islower() or not text else strings.add(text.lower())
        if len(_LOWER_KEYS) < 200_000:
            _LOWER_KEYS[key] = lowered
    return lowered


def _merged(windows: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Token windows, sorted, those that overlap or nearly touch joined (one Matcher call)."""
    windows = sorted(windows)
    merged = [list(windows[0])]
    for start, end in windows[1:]:
        if start <= merged[-1][1] + WINDOW_GAP:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(start, end) for start, end in merged]


_POSITION_ATTRS = {"LOWER": "LOWER", "ORTH": "ORTH", "TEXT": "ORTH", "LEMMA": "LEMMA"}


def _column(doc: Doc, attr: str) -> numpy.ndarray:
    """The values (string hashes) of a token attribute, kept in `doc.user_data`: every lexicon
    of the pipeline reads the same columns."""
    attr = _POSITION_ATTRS[attr]
    key = f"pannes_column_{attr}"
    column = doc.user_data.get(key)
    if column is None:
        column = doc.user_data[key] = doc.to_array(attr)
    return column


def _distinct(doc: Doc, attr: str) -> numpy.ndarray:
    """The distinct values of a token attribute in the Doc (kept like `_column`)."""
    key = f"pannes_distinct_{attr}"
    values = doc.user_data.get(key)
    if values is None:
        values = doc.user_data[key] = numpy.unique(_column(doc, attr))
    return values


def _anchor(pattern: list[dict[str, Any]]) -> tuple[int, str, frozenset[str]] | None:
    """(index, attribute, values) of the first required token of a pattern whose text, lowercase
    form or lemma must be one of a few literal values; None when the pattern has none, or has a
    repeated token (its length is then unbounded)."""
    if any(tok.get("OP") not in (None, "?") for tok in pattern):
        return None
    candidates = []
    for index, tok in enumerate(pattern):
        if "OP" in tok:
            continue
        for attr in _POSITION_ATTRS:
            value = tok.get(attr)
            if isinstance(value, str):
                candidates.append((index, attr, frozenset([value])))
                break
            if isinstance(value, dict) and set(value) == {"IN"}:
                candidates.append((index, attr, frozenset(value["IN"])))
                break
            words = _literal_words(value.get("REGEX")) if isinstance(value, dict) and set(value) == {"REGEX"} else None
            if words:
                candidates.append((index, attr, words))
                break
    # Every match holds every required token, so any of them can anchor the pattern: take the
    # first that is not a function word ("la", "une", "avoir"), which occur everywhere.
    for candidate in candidates:
        if not candidate[2] & FUNCTION_WORDS:
            return candidate
    return candidates[0] if candidates else None


_ALTERNATIVES_RE = re.compile(r"\^\(([\w?|'’-]+)\)\$")


def _literal_words(regex: str | None) -> frozenset[str] | None:
    """The words a regex like "^(pannes?|coupures?|travaux)$" matches, or None when it is not
    such a list of literal words with optional letters (it then cannot anchor a pattern)."""
    match = _ALTERNATIVES_RE.fullmatch(regex or "")
    if match is None:
        return None
    words: set[str] = set()
    for alternative in match.group(1).split("|"):
        pieces = re.findall(r"([\w'’-])(\?)?", alternative)
        if not pieces or "".join(c + q for c, q in pieces) != alternative or sum(1 for _, q in pieces if q) > 3:
            return None
        forms = [""]
        for char, optional in pieces:
            forms = [f + char for f in forms] + ([f for f in forms] if optional else [])
        words.update(forms)
    return frozenset(words)


def _single_token_regex(pattern: list[dict[str, Any]] | None) -> str | None:
    """The regex of a pattern that is one token matched by `{"LOWER": {"REGEX": ...}}` only."""
    if not pattern or len(pattern) != 1:
        return None
    token = pattern[0]
    if set(token) != {"LOWER"} or not isinstance(token["LOWER"], dict) or set(token["LOWER"]) != {"REGEX"}:
        return None
    return str(token["LOWER"]["REGEX"])
