"""The search query language: parse a user's string once into a small typed tree.

What a journalist can type (every backend understands the same tree):

    panne orange              both words (AND), in any inflection or accent
    "panne de courant"        an exact phrase (also « … » and “ … ”)
    orange OR sfr             either (also OU or |); OR binds tighter than AND
    panne -électricité        exclusion (also NOT / SAUF before a word)
    défaill*                  a prefix (at least 3 letters)
    (orange OR sfr) fibre     grouping

Anything else is read as words: FTS5 operators (NEAR, ^, column:), SQL fragments and stray
punctuation never reach the index as syntax; `to_fts5` quotes every term after normalising it
like the index (pannes.textnorm). A string that cannot be read as a search gives a clear French
message (`ParsedQuery.error`) instead of an exception; lesser oddities give `notes`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from pannes.textnorm import WORD_RE, fold, is_stop_word, normalize_word

MAX_QUERY_CHARS = 500
MAX_TERMS = 32
MAX_DEPTH = 8
MIN_PREFIX = 3

QUOTES = '"“”«»„'
OR_WORDS = {"OR", "OU"}
AND_WORDS = {"AND", "ET"}
NOT_WORDS = {"NOT", "SAUF"}
# Elided words dropped before an apostrophe, as the Elasticsearch elision filter does.
ELIDED = {"l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu", "quoiqu"}
APOSTROPHES = "'’`ʼ"
# Inside a chunk of text, these join words into a phrase ("Île-de-France", "free.fr", "3,5").
JOINERS = "-‐‑–." + APOSTROPHES + "@,_"

# ---------------------------------------------------------------------------------- the tree


@dataclass(frozen=True)
class Word:
    """One word, matched in any inflection and with or without accents."""

    text: str


@dataclass(frozen=True)
class Phrase:
    """Words that must follow each other (each still inflection- and accent-insensitive)."""

    words: tuple[str, ...]


@dataclass(frozen=True)
class Prefix:
    """A word beginning (`défaill*`), accent-insensitive."""

    text: str


@dataclass(frozen=True)
class Any:
    """At least one of the children (OR)."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class All:
    """Every child (AND); `Not` children exclude."""

    children: tuple[Node, ...]


@dataclass(frozen=True)
class Not:
    """Documents matching the child are excluded (only meaningful inside `All`)."""

    child: Node


Node = Word | Phrase | Prefix | Any | All | Not
Leaf = Word | Phrase | Prefix


@dataclass(frozen=True)
class HighlightSpec:
    """What to mark in a text: normalised words, prefixes and phrases of the query."""

    words: frozenset[str] = frozenset()
    prefixes: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (folded prefix, extra stems)
    phrases: tuple[tuple[str, ...], ...] = ()  # normalised words of each phrase

    @property
    def empty(self) -> bool:
        return not (self.words or self.prefixes or self.phrases)


@dataclass(frozen=True)
class ParsedQuery:
    """A user's query read once: the tree, notes about how it was read, or why it cannot run."""

    root: Node | None = None
    notes: tuple[str, ...] = ()
    error: str | None = None  # set when the text was not empty but nothing can be searched

    @property
    def has_text(self) -> bool:
        return self.root is not None

    @property
    def message(self) -> str | None:
        """What to tell the user (error first, then notes), or None."""
        parts = ([self.error] if self.error else []) + list(self.notes)
        return " ".join(parts) if parts else None

    @property
    def highlight(self) -> HighlightSpec:
        return highlight_spec(self.root)

    @property
    def match(self) -> str | None:
        """The FTS5 MATCH expression (None when there is nothing to match)."""
        return to_fts5(self.root) if self.root is not None else None


# ---------------------------------------------------------------------------------- lexing

_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


@dataclass
class _Token:
    kind: str  # "leaf" | "or" | "not" | "open" | "close"
    leaf: Leaf | None = None


@dataclass
class _Reader:
    notes: list[str] = field(default_factory=list)
    terms: int = 0
    dropped_terms: bool = False

    def note(self, text: str) -> None:
        if text not in self.notes:
            self.notes.append(text)


def _clean(text: str, reader: _Reader) -> str:
    text = unicodedata.normalize("NFC", text or "")
    text = _CONTROL_RE.sub(" ", text)
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        reader.note(f"Requête tronquée à {MAX_QUERY_CHARS} caractères.")
    return text


def _chunk_leaves(chunk: str, reader: _Reader) -> list[Leaf]:
    """Leaves for one run of non-space text outside quotes ("l'opérateur", "défaill*", "a:b")."""
    leaves: list[Leaf] = []
    # Split on separators that do not join words (":", "/", "^", "+", ";", …).
    pieces = re.split(r"[^\w*" + re.escape(JOINERS) + r"]+", chunk)
    for piece in pieces:
        star = piece.endswith("*")
        found = [m for m in WORD_RE.finditer(piece)]
        ws = [m.group() for m in found]
        # Drop elided articles: "l'opérateur" -> "opérateur", as the index's elision does.
        while len(ws) > 1 and fold(ws[0]) in ELIDED and found[0].end() < len(piece) \
                and piece[found[0].end()] in APOSTROPHES:
            ws.pop(0)
            found.pop(0)
        if not ws:
            continue
        ends_with_word = bool(found) and found[-1].end() < len(piece) and \
            piece[found[-1].end():].startswith("*")
        if star and ends_with_word and len(ws) == 1:
            if len(fold(ws[0])) >= MIN_PREFIX:
                leaves.append(Prefix(ws[0]))
            else:
                reader.note(f"Préfixe trop court (« {ws[0]}* ») : au moins {MIN_PREFIX} "
                            "lettres ; cherché comme un mot.")
                leaves.append(Word(ws[0]))
        elif len(ws) == 1:
            leaves.append(Word(ws[0]))
        else:
            leaves.append(Phrase(tuple(ws)))
    return leaves


def _lex(text: str, reader: _Reader) -> list[_Token]:
    tokens: list[_Token] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch.isspace():
            i += 1
        elif ch in QUOTES:
            end = next((j for j in range(i + 1, n) if text[j] in QUOTES), None)
            if end is None:
                reader.note("Guillemet non fermé : l'expression va jusqu'à la fin de la requête.")
                end = n
            ws = [m.group() for m in WORD_RE.finditer(text[i + 1:end])]
            if len(ws) == 1:
                tokens.append(_Token("leaf", Word(ws[0])))
            elif ws:
                tokens.append(_Token("leaf", Phrase(tuple(ws))))
            i = end + 1
        elif ch == "(":
            tokens.append(_Token("open"))
            i += 1
        elif ch == ")":
            tokens.append(_Token("close"))
            i += 1
        elif ch == "|":
            tokens.append(_Token("or"))
            i += 1
        elif ch in "-−" and (i == 0 or text[i - 1].isspace() or text[i - 1] == "(") \
                and i + 1 < n and (text[i + 1].isalnum() or text[i + 1] in QUOTES + "("):
            tokens.append(_Token("not"))
            i += 1
        else:
            j = i
            while j < n and not text[j].isspace() and text[j] not in QUOTES + "()|":
                j += 1
            chunk = text[i:j]
            if chunk in OR_WORDS:
                tokens.append(_Token("or"))
            elif chunk in NOT_WORDS:
                tokens.append(_Token("not"))
            elif chunk in AND_WORDS:
                pass  # AND is what words already mean
            else:
                tokens.extend(_Token("leaf", leaf) for leaf in _chunk_leaves(chunk, reader))
            i = j
    return tokens


# ---------------------------------------------------------------------------------- parsing


class _Parser:
    """Recursive descent over tokens: query := clause*; clause := NOT unit | unit (OR unit)*."""

    def __init__(self, tokens: list[_Token], reader: _Reader) -> None:
        self.tokens = tokens
        self.pos = 0
        self.reader = reader
        self.depth = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse_query(self, *, nested: bool = False) -> All:
        children: list[Node] = []
        while (token := self.peek()) is not None:
            if token.kind == "close":
                if nested:
                    return All(tuple(children))
                self.take()
                self.reader.note("Parenthèse fermante sans parenthèse ouvrante : ignorée.")
                continue
            if token.kind == "or":
                self.take()
                self.reader.note("« OR » sans terme de chaque côté : ignoré.")
                continue
            clause = self.parse_clause()
            if clause is not None:
                children.append(clause)
        return All(tuple(children))

    def parse_clause(self) -> Node | None:
        token = self.peek()
        if token is not None and token.kind == "not":
            self.take()
            unit = self.parse_unit()
            return Not(unit) if unit is not None else None
        first = self.parse_unit()
        options = [first] if first is not None else []
        while (token := self.peek()) is not None and token.kind == "or":
            self.take()
            nxt = self.peek()
            if nxt is None or nxt.kind in {"or", "close"}:
                self.reader.note("« OR » sans terme de chaque côté : ignoré.")
                break
            if nxt.kind == "not":
                self.take()
                self.reader.note("Une exclusion (« -mot ») ne peut pas faire partie d'un OR : "
                                 "elle s'applique à toute la recherche.")
                unit = self.parse_unit()
                if unit is not None:
                    return All((*options, Not(unit))) if options else Not(unit)
                continue
            unit = self.parse_unit()
            if unit is not None:
                options.append(unit)
        if not options:
            return None
        return options[0] if len(options) == 1 else Any(tuple(options))

    def parse_unit(self) -> Node | None:
        token = self.peek()
        if token is None:
            return None
        if token.kind == "leaf":
            self.take()
            if self.reader.terms >= MAX_TERMS:
                self.reader.dropped_terms = True
                return None
            self.reader.terms += 1
            return token.leaf
        if token.kind == "open":
            self.take()
            if self.depth >= MAX_DEPTH:
                self.reader.note("Trop de parenthèses imbriquées : les plus profondes sont ignorées.")
                return None
            self.depth += 1
            inner = self.parse_query(nested=True)
            self.depth -= 1
            if (closing := self.peek()) is not None and closing.kind == "close":
                self.take()
            else:
                self.reader.note("Parenthèse non fermée : fermée en fin de requête.")
            return inner
        if token.kind == "not":
            # "--mot" or "- -mot": one exclusion is enough.
            self.take()
            return self.parse_unit()
        return None  # "or" / "close" are handled by the callers


# ---------------------------------------------------------------------------------- simplifying


def _is_stop_leaf(node: Node) -> bool:
    if isinstance(node, Word):
        return is_stop_word(node.text)
    if isinstance(node, Phrase):
        return all(is_stop_word(w) for w in node.words)
    return False


def _simplify(node: Node | None) -> Node | None:
    """Flatten, drop stop words next to real terms and empty groups; None if nothing is left."""
    if node is None or isinstance(node, Word | Phrase | Prefix):
        return node
    if isinstance(node, Not):
        child = _simplify(node.child)
        if child is None or isinstance(child, Not):
            return None
        return Not(child)
    kind = type(node)
    children: list[Node] = []
    for child in node.children:
        child = _simplify(child)
        if child is None:
            continue
        if type(child) is kind:
            children.extend(child.children)  # type: ignore[union-attr]
        elif kind is Any and _only_negative(child):
            continue  # an exclusion ("-mot", "(-mot)") cannot be one option among others
        else:
            children.append(child)
    positives = [c for c in children if not isinstance(c, Not)]
    if any(not _is_stop_leaf(c) for c in positives):
        children = [c for c in children if not _is_stop_leaf(c)]
    # Duplicates add nothing.
    unique: list[Node] = []
    for child in children:
        if child not in unique:
            unique.append(child)
    if not unique:
        return None
    if kind is All and all(isinstance(c, Not) for c in unique):
        return All(tuple(unique))  # reported by parse_query
    if len(unique) == 1 and not isinstance(unique[0], Not):
        return unique[0]
    return kind(tuple(unique))


def _positive_leaves(node: Node | None) -> list[Leaf]:
    if node is None or isinstance(node, Not):
        return []
    if isinstance(node, Word | Phrase | Prefix):
        return [node]
    return [leaf for child in node.children for leaf in _positive_leaves(child)]


def _only_negative(node: Node) -> bool:
    return isinstance(node, Not) or (isinstance(node, All) and not _positive_leaves(node))


def parse_query(text: str | None) -> ParsedQuery:
    """Read a user's query string; never raises, whatever the string."""
    reader = _Reader()
    cleaned = _clean(text or "", reader)
    if not cleaned.strip():
        return ParsedQuery()
    tokens = _lex(cleaned, reader)
    root = _simplify(_Parser(tokens, reader).parse_query())
    if reader.dropped_terms:
        reader.note(f"Seuls les {MAX_TERMS} premiers termes sont pris en compte.")
    notes = tuple(reader.notes)
    if root is None:
        return ParsedQuery(None, notes, "Cette recherche ne contient aucun mot à chercher : "
                                        "tapez des mots, une \"expression exacte\", mot* …")
    if _only_negative(root):
        return ParsedQuery(None, notes, "Une recherche ne peut pas contenir seulement des "
                                        "exclusions (« -mot ») : ajoutez au moins un mot à chercher.")
    if all(_is_stop_leaf(leaf) for leaf in _positive_leaves(root)):
        return ParsedQuery(None, notes, "Cette recherche ne contient que des mots trop courants "
                                        "(« le », « de »…) : ajoutez un mot plus précis.")
    return ParsedQuery(root, notes)


# Endings tried after a prefix to find the stems the index holds for its completions:
# "panne*" must find "pannes" (indexed "pann"), "informatiq*" "informatique" ("informat").
_COMPLETIONS = ("", "e", "es", "s", "x", "er", "ee", "ees", "ent", "ement", "ements", "ique",
                "iques", "ion", "ions", "ite", "ites", "eur", "eurs", "euse", "ance", "ances",
                "ant", "ants", "able", "ables", "isme", "iste", "al", "aux", "elle", "ie", "ies",
                "ure", "ures", "age", "ages", "ue", "ues", "re", "res", "on", "ons", "te", "tes",
                "ne", "nes", "le", "les", "que", "ques")


def prefix_terms(text: str) -> tuple[str, tuple[str, ...]]:
    """A prefix as the index sees it: its folded form, plus stems of its likely completions
    that the folded prefix alone would miss (stems shorter than what was typed)."""
    folded = fold(text)
    stems = sorted({normalize_word(folded + ending) for ending in _COMPLETIONS})
    extra = tuple(s for s in stems if len(s) >= MIN_PREFIX and not s.startswith(folded))
    return folded, extra


# ---------------------------------------------------------------------------------- FTS5


def quote_term(term: str) -> str:
    """Text as an FTS5 string literal: nothing inside is read as syntax."""
    return '"' + term.replace('"', '""') + '"'


def _fts5_leaf(leaf: Leaf) -> str:
    if isinstance(leaf, Word):
        return quote_term(normalize_word(leaf.text))
    if isinstance(leaf, Phrase):
        return quote_term(" ".join(normalize_word(w) for w in leaf.words))
    folded, stems = prefix_terms(leaf.text)
    parts = [f"{quote_term(folded)}*", *(quote_term(s) for s in stems)]
    return parts[0] if len(parts) == 1 else "(" + " OR ".join(parts) + ")"


def to_fts5(node: Node) -> str:
    """An FTS5 MATCH expression for a parsed tree; every term is quoted."""
    if isinstance(node, Word | Phrase | Prefix):
        return _fts5_leaf(node)
    if isinstance(node, Not):
        raise ValueError("an exclusion needs something to exclude from")
    if isinstance(node, Any):
        return "(" + " OR ".join(to_fts5(c) for c in node.children) + ")"
    positives = [c for c in node.children if not isinstance(c, Not)]
    negatives = [c.child for c in node.children if isinstance(c, Not)]
    expr = "(" + " AND ".join(to_fts5(c) for c in positives) + ")"
    for negative in negatives:
        expr = f"({expr} NOT {to_fts5(negative)})"
    return expr


# ---------------------------------------------------------------------------------- highlighting


def highlight_spec(node: Node | None) -> HighlightSpec:
    """The words, prefixes and phrases to mark in a matching text."""
    words: set[str] = set()
    prefixes: list[tuple[str, tuple[str, ...]]] = []
    phrases: list[tuple[str, ...]] = []
    for leaf in _positive_leaves(node):
        if isinstance(leaf, Word):
            words.add(normalize_word(leaf.text))
        elif isinstance(leaf, Prefix):
            prefixes.append(prefix_terms(leaf.text))
        else:
            phrases.append(tuple(normalize_word(w) for w in leaf.words))
    return HighlightSpec(frozenset(words), tuple(prefixes), tuple(phrases))


def describe(node: Node | None) -> str:
    """The tree written back as a query string (for logs, tests and "searched for" lines)."""
    if node is None:
        return ""
    if isinstance(node, Word):
        return node.text
    if isinstance(node, Prefix):
        return node.text + "*"
    if isinstance(node, Phrase):
        return '"' + " ".join(node.words) + '"'
    if isinstance(node, Not):
        return "-" + describe(node.child)
    if isinstance(node, Any):
        return "(" + " OR ".join(describe(c) for c in node.children) + ")"
    return " ".join(describe(c) if not isinstance(c, All) else f"({describe(c)})"
                    for c in node.children)
