"""Organisations named in the text, resolved to canonical names through the vendor base.

Known names and aliases come from `data/vendors.jsonl` (plus extra files, e.g. the demo's
fictional vendors) through a PhraseMatcher; near-misses ("Alscace") are resolved with
rapidfuzz; organisations absent from the base are found from context ("le prestataire X",
"une panne chez X", "X a reconnu l'incident").
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy
from pannes.nlp.cues import CueMatcher
from pannes.nlp.extensions import register_extensions
from pannes.nlp.lexicon import packaged_data, read_jsonl, write_jsonl
from pannes.nlp.spans import doc_text
from rapidfuzz import fuzz, process
from spacy.attrs import LOWER, POS
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.symbols import PROPN
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from pannes.french import WEEKDAYS

logger = logging.getLogger(__name__)

FUZZY_MIN_SCORE = 90.0
FUZZY_MIN_CHARS = 6
PERSON_TITLES = frozenset({"ministre", "président", "présidente", "directeur", "directrice", "porte-parole",
                           "pdg", "patron", "patronne", "secrétaire", "analyste", "fondateur",
                           "fondatrice", "m.", "mme", "responsable", "dirigeant", "dirigeante",
                           "député", "sénateur", "maire", "préfet", "chef", "cheffe", "expert",
                           "experte", "consultant", "consultante", "avocat", "avocate"})
NAME_STOPWORDS = frozenset({"le", "la", "les", "l'", "l’", "un", "une", "des", "ce", "cette", "son",
                            "sa", "ses", "leur", "leurs", "selon", "mais", "et", "ou", "il", "elle"})
# A word of a name: capitalised, possibly with an inner apostrophe ("Trans'Armor"), not "L'".
NAME_WORD = re.compile(r"^[A-ZÉÈÀÂÎÔ0-9](?![’'])[\w&.+\-'’]*$")
TITLE_ARTICLES = frozenset({"Le", "La", "Les"})
KINDS_IN_NAME = frozenset({"clinique", "polyclinique", "hôpital"})
DE_FORMS = frozenset({"de", "d'", "d’", "du", "des"})
# Small words inside a firm's name: "la Banque du Léman", "Pages & Plumes", "Croix d'Azur".
NAME_JOINERS = frozenset({"du", "des", "&", "d'", "d’"})


@dataclass(frozen=True)
class Organisation:
    """An entry of the vendor base."""

    name: str
    aliases: tuple[str, ...] = ()
    sector: str = ""
    country: str = ""
    parent: str | None = None
    ambiguous: bool = False

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Organisation:
        return cls(
            name=row["name"],
            aliases=tuple(row.get("aliases") or ()),
            sector=row.get("sector") or "",
            country=row.get("country") or "",
            parent=row.get("parent"),
            ambiguous=bool(row.get("ambiguous")),
        )

    def to_row(self) -> dict[str, Any]:
        row: dict[str, Any] = {"name": self.name, "aliases": list(self.aliases),
                               "sector": self.sector, "country": self.country}
        if self.parent:
            row["parent"] = self.parent
        if self.ambiguous:
            row["ambiguous"] = True
        return row

    def surface_forms(self) -> list[str]:
        forms = [] if self.ambiguous else [self.name]
        return forms + [a for a in self.aliases if len(a) >= 2]


class VendorBase:
    """Canonical organisations and their aliases; later files override earlier names."""

    def __init__(self, organisations: Iterable[Organisation] = ()) -> None:
        self.by_name: dict[str, Organisation] = {}
        self.alias_to_name: dict[str, str] = {}
        self._fuzzy_cache: dict[str, Organisation | None] = {}
        self._choices: list[str] | None = None
        for org in organisations:
            self.add(org)

    def add(self, org: Organisation) -> None:
        self.by_name[org.name] = org
        for form in org.surface_forms():
            self.alias_to_name[form.lower()] = org.name
        self._fuzzy_cache.clear()
        self._choices = None

    @classmethod
    def from_files(cls, paths: Sequence[Path | str]) -> VendorBase:
        base = cls()
        for path in paths:
            for row in read_jsonl(path):
                base.add(Organisation.from_row(row))
        return base

    def groups(self) -> dict[str, str]:
        """Each vendor declaring a parent -> its topmost group in the base ("PlayStation
        Network" -> "Sony"), for roll-ups by group; a cycle stops where it closes."""
        out: dict[str, str] = {}
        for name, org in self.by_name.items():
            top, seen = org.parent, {name}
            while top and top not in seen and (parent := getattr(self.by_name.get(top), "parent", None)):
                seen.add(top)
                top = parent
            if top and top != name:
                out[name] = top
        return out

    def resolve(self, surface: str) -> Organisation | None:
        name = self.alias_to_name.get(surface.lower().replace("’", "'"))
        if name is None:
            name = self.alias_to_name.get(surface.lower())
        return self.by_name.get(name) if name else None

    def fuzzy(self, surface: str) -> Organisation | None:
        if len(surface) < FUZZY_MIN_CHARS:
            return None
        if surface in self._fuzzy_cache:
            return self._fuzzy_cache[surface]
        if self._choices is None:
            self._choices = list(self.alias_to_name)
        hit = process.extractOne(surface.lower(), self._choices, scorer=fuzz.ratio,
                                 score_cutoff=FUZZY_MIN_SCORE)
        org = self.by_name[self.alias_to_name[hit[0]]] if hit else None
        if len(self._fuzzy_cache) < 10_000:
            self._fuzzy_cache[surface] = org
        return org

    def __len__(self) -> int:
        return len(self.by_name)


@dataclass(frozen=True)
class OrgMention:
    """One occurrence of an organisation in the text."""

    start: int
    end: int
    name: str
    sector: str = ""
    country: str = ""
    parent: str | None = None
    known: bool = True
    via: str = "base"  # "base", "fuzzy", "context"

    def span(self, doc: Doc) -> Span:
        return doc[self.start : self.end]


# "Le Télégramme" after "de" or "à" is written "du Télégramme", "au Télégramme"
CONTRACTING_ARTICLES = frozenset({"Le", "Les"})
CONTRACTED_PREPS = frozenset({"du", "au", "des", "aux"})


def _acceptable_case(span: Span, lowercase_forms: set[str], acronyms: set[str],
                     lowercase_words: set[str]) -> bool:
    """A match must be written like a name: "Orange", not the colour; "SES", not "Ses";
    "L'Équipe", not "L'équipe technique"."""
    text = span.text
    if text.lower() in acronyms:
        return text.isupper() or any(c.isdigit() for c in text)
    if text.lower() in lowercase_forms:
        return True
    if not any(c.isupper() or c.isdigit() for c in text):
        return False
    return all(not t.is_alpha or t.text[0].isupper() or t.lower_ in lowercase_words for t in span)


_GLUED_AFTER = re.compile(r"-?\w")
_GLUED_BEFORE = re.compile(r"\w-?$")


def inside_longer_word(doc: Doc, start: int, end: int) -> bool:
    """True when tokens start..end are only part of a word glued to its neighbours: "Wi" in
    "Wi-Fi", "Free" in "Freebox-like". A name is never matched inside a longer word."""
    text = doc_text(doc)
    begin, finish = doc[start].idx, doc[end - 1].idx + len(doc[end - 1])
    return bool(_GLUED_AFTER.match(text, finish)) or bool(_GLUED_BEFORE.search(text, 0, begin))


class VendorRecognizer:
    """Finds organisation mentions and resolves them to the vendor base."""

    def __init__(self, nlp: Language, name: str = "pannes_vendors", *,
                 extra_files: Sequence[str] = (), context_file: str = "") -> None:
        register_extensions()
        self.nlp = nlp
        self.name = name
        self.extra_files = list(extra_files)
        self.context_file = context_file
        self.base = VendorBase()
        self.context_rows: list[dict[str, Any]] = []
        self.first_names: frozenset[str] = frozenset()
        self._phrases: PhraseMatcher | None = None
        self._contracted: PhraseMatcher | None = None
        self._lowercase_forms: set[str] = set()
        self._acronyms: set[str] = set()
        self._lowercase_words: set[str] = set()
        self._context: CueMatcher | None = None
        self._places: frozenset[str] | None = None
        self._connector_keys = frozenset(nlp.vocab.strings.add(w) for w in ("de", "d'", "d’", "du"))

    # ------------------------------------------------------------------ data

    def initialize(self, get_examples: Any = None, *, nlp: Language | None = None,
                   vendor_files: Sequence[str | Path] | None = None,
                   extra_files: Sequence[str | Path] | None = None) -> None:
        """Load the vendor base (packaged file plus extra files) and the context patterns."""
        files = list(vendor_files) if vendor_files else [packaged_data("vendors.jsonl")]
        files += list(extra_files if extra_files is not None else self.extra_files)
        self.set_base(VendorBase.from_files(files))
        path = self.context_file or packaged_data("org_context.jsonl")
        self.set_context_rows(read_jsonl(path))
        self.first_names = frozenset(w for row in read_jsonl(packaged_data("first_names.jsonl"))
                                     for w in row["words"])

    @property
    def places(self) -> frozenset[str]:
        """Names of places ("Paris", "Val-d'Oise"), which "les abonnés de X" also names."""
        if self._places is None:
            self._places = frozenset(p.lower() for row in read_jsonl(packaged_data("regions.jsonl"))
                                     for p in row.get("phrases") or ())
        return self._places

    def set_base(self, base: VendorBase) -> None:
        self.base = base
        self._phrases = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self._contracted = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        self._lowercase_forms = set()
        self._acronyms = set()
        self._lowercase_words = set()
        for org in base.by_name.values():
            forms = org.surface_forms()
            self._lowercase_words.update(w.lower() for f in forms for w in f.replace("'", "' ").split()
                                         if w[:1].islower())
            self._acronyms.update(f.lower() for f in forms if f.isupper() and len(f) <= 5)
            self._lowercase_forms.update(f.lower() for f in forms if f == f.lower() and len(f) > 3)
            if forms:
                self._phrases.add(org.name, [self.nlp.make_doc(f) for f in forms])
            bare = [f.split(" ", 1)[1] for f in forms if f.split(" ", 1)[0] in CONTRACTING_ARTICLES and " " in f]
            if bare:  # "du Télégramme", "aux Echos": the article merged into the preposition
                self._contracted.add(org.name, [self.nlp.make_doc(f) for f in bare])

    def set_context_rows(self, rows: list[dict[str, Any]]) -> None:
        self.context_rows = rows
        self._context = CueMatcher(self.nlp.vocab, rows, self.nlp.make_doc)

    def to_disk(self, path: Path | str, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        write_jsonl(path / "vendors.jsonl", (o.to_row() for o in self.base.by_name.values()))
        write_jsonl(path / "org_context.jsonl", self.context_rows)
        write_jsonl(path / "first_names.jsonl", [{"label": "first_name", "words": sorted(self.first_names)}])

    def from_disk(self, path: Path | str, *, exclude: Iterable[str] = ()) -> VendorRecognizer:
        path = Path(path)
        self.set_base(VendorBase.from_files([path / "vendors.jsonl"]))
        self.set_context_rows(read_jsonl(path / "org_context.jsonl"))
        self.first_names = frozenset(w for row in read_jsonl(path / "first_names.jsonl") for w in row["words"])
        return self

    # ------------------------------------------------------------------ matching

    def __call__(self, doc: Doc) -> Doc:
        if self._phrases is None or self._context is None:
            self.initialize()
        assert self._phrases is not None and self._context is not None
        spans: list[Span] = []
        for match_id, start, end in self._phrases(doc):
            span = Span(doc, start, end, label=match_id)
            if _acceptable_case(span, self._lowercase_forms, self._acronyms, self._lowercase_words) \
                    and not inside_longer_word(doc, start, end):
                spans.append(span)
        for match_id, start, end in self._contracted(doc) if self._contracted is not None else []:
            span = Span(doc, start, end, label=match_id)
            if start > 0 and doc[start - 1].lower_ in CONTRACTED_PREPS and span[0].text[:1].isupper():
                spans.append(span)
        spans = filter_spans(spans)
        mentions = [self._from_base(span) for span in spans]
        taken = {i for s in spans for i in range(s.start, s.end)}
        for cue in self._context(doc):
            candidate = self._context_name(doc, cue.start, cue.end, cue.row, self.first_names)
            if candidate is None or any(i in taken for i in range(candidate.start, candidate.end)) \
                    or candidate.text.lower() in self.places \
                    or inside_longer_word(doc, candidate.start, candidate.end):
                continue
            org = self.base.resolve(candidate.text) or self.base.fuzzy(candidate.text)
            if org is not None:
                mentions.append(OrgMention(candidate.start, candidate.end, org.name, org.sector,
                                           org.country, org.parent, True, "fuzzy"))
            else:
                mentions.append(OrgMention(candidate.start, candidate.end, candidate.text,
                                           known=False, via="context"))
            taken.update(range(candidate.start, candidate.end))
            if cue.row.get("conjuncts"):
                for other in self._conjuncts(doc, candidate, taken):
                    org = self.base.resolve(other.text)
                    mentions.append(OrgMention(other.start, other.end, other.text, known=False, via="context")
                                    if org is None else OrgMention(other.start, other.end, org.name, org.sector,
                                                                   org.country, org.parent, True, "fuzzy"))
                    taken.update(range(other.start, other.end))
        mentions.extend(self._repeated(doc, mentions, taken))
        mentions.extend(self._fuzzy_names(doc, taken))
        doc._.orgs = sorted(mentions, key=lambda m: m.start)
        return doc

    def _from_base(self, span: Span) -> OrgMention:
        org = self.base.by_name[span.label_]
        return OrgMention(span.start, span.end, org.name, org.sector, org.country, org.parent)

    @staticmethod
    def _context_name(doc: Doc, start: int, end: int, row: dict[str, Any],
                      first_names: frozenset[str] = frozenset()) -> Span | None:
        start += int(row.get("skip_start", 0))
        end -= int(row.get("skip_end", 0))
        tokens = [t for t in doc[start:end]]
        while tokens and (tokens[0].lower_ in NAME_STOPWORDS or tokens[0].is_punct):
            if (tokens[0].text in TITLE_ARTICLES and len(tokens) > 1 and tokens[1].is_title
                    and tokens[0].i > 0 and not (doc[tokens[0].i - 1].is_punct or doc[tokens[0].i - 1].is_space)):
                break  # "le quotidien Le Petit Rhénan": the article is part of the title
            tokens = tokens[1:]
        while tokens and (tokens[-1].lower_ in NAME_STOPWORDS or tokens[-1].is_punct):
            tokens = tokens[:-1]
        while len(tokens) > 1 and tokens[0].text[:1].islower() and tokens[0].lower_ not in NAME_STOPWORDS:
            tokens = tokens[1:]  # "la radio associative Radio X": the adjective is no part of the name
        if not tokens:
            return None
        end = tokens[-1].i + 1
        while end + 1 < len(doc) and doc[end].lower_ in NAME_JOINERS and NAME_WORD.match(doc[end + 1].text):
            end += 2  # "la Banque du Léman", "Terres du Bocage", "Pages & Plumes", "Croix d'Azur"
            while end < len(doc) and end - tokens[-1].i < 5 and doc[end].text in {"Co", "Cie", "Fils", "Frères"}:
                end += 1
        begin = tokens[0].i
        kind = doc[start - 1] if start > 0 else None
        if kind is not None and int(row.get("skip_start", 0)) == 1 and begin == start and kind.is_title \
                and kind.i > 0 and not (doc[kind.i - 1].is_punct or doc[kind.i - 1].is_space):
            begin = kind.i  # "la Mutuelle Ondine": the capitalised kind is part of the name
        elif kind is not None and int(row.get("skip_start", 0)) == 1 and begin == start \
                and kind.lower_ in KINDS_IN_NAME:
            begin = kind.i  # "la clinique Saint-Aubin", "l'hôpital Necker"
        span = doc[begin:end]
        for prev in reversed(doc[max(0, span.start - 3) : span.start]):
            if prev.lower_ in PERSON_TITLES or prev.text in first_names:
                return None  # "le ministre Jean Dupont a confirmé": a person
            if not prev.is_title:
                break
        if span[0].text in first_names and len(span) > 1:
            return None  # "Xavier Niel a reconnu": a person
        if row.get("subject") and (len(span.text) < 2 or span.start > 0 and (
                doc[span.start - 1].pos_ == "ADP" or doc[span.start - 1].like_num)):
            return None  # "les restaurants d'Anvers ont dû", "en 4G ont dû": not the subject
        # A capitalised word opening a sentence is a name when French does not know it
        # ("Zorbatel est en panne"), not when it is a common word ("Internet est en panne").
        if not any(t.pos_ in {"PROPN", "X"} or (t.is_upper and len(t) > 1)
                   or (t.is_title and (not t.is_sent_start or t.is_oov)) for t in span):
            return None
        if any(t.like_num or t.lower_ in WEEKDAYS for t in span):
            return None
        return span

    @staticmethod
    def _repeated(doc: Doc, mentions: list[OrgMention], taken: set[int]) -> list[OrgMention]:
        """Later bare mentions of a firm first found from context: "édité par la société X
        [...] Au quatrième jour de la panne, X ne donne aucune date"."""
        names = {tuple(doc[m.start : m.end].text.split()): m.name for m in mentions if m.via == "context"}
        out: list[OrgMention] = []
        for words, name in names.items():
            text = " ".join(words)
            if not text[:1].isupper() or len(text) < 3 or text.isupper():
                continue  # an acronym may be a common noun ("l'ESN"), named only once
            size = len(words)
            for i in range(len(doc) - size + 1):
                if doc[i].text != words[0] or doc[i].idx < (doc._.title_end or 0) \
                        or any(k in taken for k in range(i, i + size)):  # the title is read on its own
                    continue
                if tuple(t.text for t in doc[i : i + size]) != words or (
                        i + size < len(doc) and NAME_WORD.match(doc[i + size].text)):
                    continue  # not "X" inside a longer name "X Energies"
                out.append(OrgMention(i, i + size, name, known=False, via="context"))
                taken.update(range(i, i + size))
        return out

    def _conjuncts(self, doc: Doc, first: Span, taken: set[int]) -> list[Span]:
        """The names coordinated with the first under the same preposition: "les abonnés de
        Kalio, de Fréquence Mobile et de Zéphyr", "les sites de X et des Jardins Y"."""
        out: list[Span] = []
        if first.start == 0 or doc[first.start - 1].lower_ not in DE_FORMS:
            return out
        i = first.end
        while i + 2 < len(doc) and doc[i].lower_ in {",", "et", "ou"}:
            j = i + 1
            if doc[i].lower_ == "," and doc[j].lower_ in {"et", "ou"}:
                j += 1
            if doc[j].lower_ not in DE_FORMS:
                break
            j += 1
            if j < len(doc) and doc[j].lower_ in {"la", "l'", "l’"}:
                j += 1
            end = j
            while end < len(doc) and end - j < 3 and end not in taken and NAME_WORD.match(doc[end].text):
                end += 1
            if end == j or any(k in taken for k in range(j, end)):
                break
            span = self._context_name(doc, j, end, {}, self.first_names)
            if span is None or span.start != j or span.text.lower() in self.places:
                break
            out.append(span)
            i = span.end
        return out

    def _fuzzy_names(self, doc: Doc, taken: set[int]) -> list[OrgMention]:
        """Proper-noun runs that are near-misses of a known alias (a typo, an odd spelling)."""
        out: list[OrgMention] = []
        propn = (doc.to_array(POS) == PROPN).tolist()
        lowers = doc.to_array(LOWER).tolist()
        connectors = self._connector_keys
        end = 0
        for start in numpy.flatnonzero(propn).tolist():
            if start < end or start in taken:
                continue
            # a run of proper nouns, joined by "de", "du", "d'"
            end = start + 1
            while end < len(doc) and end not in taken and (propn[end] or lowers[end] in connectors):
                end += 1
            last = end
            while not propn[last - 1]:
                last -= 1
            span = doc[start:last]
            if len(span.text) >= FUZZY_MIN_CHARS and self.base.resolve(span.text) is None:
                org = self.base.fuzzy(span.text)
                if org is not None:
                    out.append(OrgMention(span.start, span.end, org.name, org.sector,
                                          org.country, org.parent, True, "fuzzy"))
        return out


@Language.factory(
    "pannes_vendors",
    assigns=["doc._.orgs"],
    requires=["token.pos"],
    default_config={"extra_files": [], "context_file": ""},
)
def make_vendor_recognizer(nlp: Language, name: str, extra_files: list[str],
                           context_file: str) -> VendorRecognizer:
    return VendorRecognizer(nlp, name, extra_files=extra_files, context_file=context_file)
