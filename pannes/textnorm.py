"""French text normalisation shared by indexing and querying: fold accents, stem.

SQLite's FTS5 has no French stemmer, so pannes indexes a normalised copy of each text: every
word lowercased and stripped of accents, then stemmed with Snowball's French stemmer. A query
goes through the same function, so "defaillance" finds "défaillance", "panne" finds "pannes"
and "coupée" finds "coupées".

Accents are folded *before* stemming so that a word typed without its accents ("securite",
"donnees") gets the same stem as the accented word ("sécurité", "données"); Snowball's rules
for "-ée(s)" and "-ière(s)" expect accented letters, so their folded spellings are mapped back
to what the stemmer conflates ("coupees" -> "coupe", "premieres" -> "premier") first.
Apostrophes and hyphens separate words ("l'opérateur" -> "l", "operateur"), as in the index.
A hyphenated compound is also indexed joined, right after its parts ("cyber-attaque" ->
"cyber", "attaqu", "cyberattaqu"), so "cyberattaque" finds "cyber-attaque" and "email" finds
"e-mail", while "cyber-attaque" typed with its hyphen is still the phrase of its parts.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

import snowballstemmer

# Words: letters and digits; apostrophes (straight or curly) and hyphens split words.
WORD_RE = re.compile(r"[^\W_]+", re.UNICODE)
# Words joined by hyphens (ASCII, Unicode hyphen, non-breaking hyphen): "e-mail", "cyber-attaque".
COMPOUND_RE = re.compile(r"[^\W_]+(?:[-\u2010\u2011][^\W_]+)*", re.UNICODE)


def _unfold_endings(folded: str) -> str:
    """Folded spellings of endings Snowball only knows accented: "-ée(s)" -> "-e",
    "-ière(s)" -> "-ier" ("coupees" -> "coupe", "premieres" -> "premier")."""
    if folded.endswith("ees") and len(folded) >= 6:
        return folded[:-2]
    if folded.endswith("ee") and len(folded) >= 5:
        return folded[:-1]
    if folded.endswith("ieres") and len(folded) >= 8:
        return folded[:-2]
    if folded.endswith("iere") and len(folded) >= 7:
        return folded[:-1]
    return folded


# French stop words (folded), dropped from plain query words but kept in the index so that
# "exact phrases" containing them still match. The Elasticsearch analyzer uses the same list.
STOP_WORDS: frozenset[str] = frozenset("""
a ai aie aient aies ait as au aura aurai auraient aurais aurait auras aurez auriez aurions
aurons auront aux avaient avais avait avec avez aviez avions avons ayant ayez ayons c ce ceci
cela ces cet cette d dans de des du elle elles en es est et etaient etais etait etant ete
etee etees etes etiez etions eu eue eues eumes eurent eus eusse eussent eusses eussiez
eussions eut eutes eux fumes furent fus fusse fussent fusses fussiez fussions fut futes il
ils j je l la le les leur leurs lui m ma mais me meme mes moi mon n ne nos notre nous on ont
ou par pas pour qu que quel quelle quelles quels qui s sa sans se sera serai seraient serais
serait seras serez seriez serions serons seront ses soi soient sois soit sommes son sont
soyez soyons suis sur t ta te tes toi ton tu un une vos votre vous y
""".split())

_stemmer = snowballstemmer.stemmer("french")


def fold(text: str) -> str:
    """Lowercase and remove diacritics ("Défaillance" -> "defaillance", "œ" -> "oe")."""
    text = text.lower().replace("œ", "oe").replace("æ", "ae")
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@lru_cache(maxsize=200_000)
def normalize_word(word: str) -> str:
    """One word as it is indexed: folded, then stemmed (same result with or without accents)."""
    return _stemmer.stemWord(_unfold_endings(fold(word)))


def is_stop_word(word: str) -> bool:
    """True for French words too common to search on their own ("le", "de", "été")."""
    return fold(word) in STOP_WORDS


def words(text: str) -> list[str]:
    """The words of a text, as the index splits them."""
    return WORD_RE.findall(text)


def normalize_text(text: str) -> str:
    """A whole text as it is indexed: its words normalised, joined by spaces; a hyphenated
    compound adds its joined form after its parts."""
    out: list[str] = []
    for compound in COMPOUND_RE.finditer(text):
        parts = WORD_RE.findall(compound.group())
        out += [normalize_word(w) for w in parts]
        if len(parts) > 1:
            out.append(normalize_word("".join(parts)))
    return " ".join(out)

