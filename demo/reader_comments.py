"""Fictional reader comments under demo articles: the boilerplate an extractor must leave out.

They are generic on purpose (no company named, no date), so a tagger that wrongly read them
would not invent facts, and the same article always gets the same comments.
"""

from __future__ import annotations

import zlib
from dataclasses import dataclass

PSEUDONYMS = (
    "Marmotte42",
    "Claire_D",
    "jpl_75",
    "Le Vieux Sysadmin",
    "Nounours",
    "Sophie.R",
    "TechnoSceptique",
    "Bastien",
    "Lectrice assidue",
    "K. Moreau",
)

COMMENTS = (
    "Encore un incident de ce genre, et toujours aussi peu d'explications au départ…",
    "Chez nous tout a fonctionné normalement, c'était peut-être limité à certaines régions ?",
    "Un plan de continuité, ça se teste. Pas seulement le jour où tout s'arrête.",
    "Merci pour l'article, clair et sans sensationnalisme.",
    "On attend toujours le rapport d'incident complet, comme d'habitude.",
    "La communication de crise était franchement à revoir.",
    "Tout mettre chez un seul prestataire, voilà le vrai problème.",
    "Quelqu'un sait si un dédommagement est prévu pour les clients ?",
    "J'ai perdu une matinée de travail, mais bon, ça arrive à tout le monde.",
    "Article intéressant, même si le titre est un peu alarmiste.",
)

AGES = ("il y a 12 minutes", "il y a 1 heure", "il y a 3 heures", "il y a 5 heures", "hier")


@dataclass(frozen=True)
class ReaderComment:
    """One comment as shown below an article."""

    author: str
    age: str
    text: str
    likes: int


def comments_for(article_id: str, *, minimum: int = 2, maximum: int = 4) -> list[ReaderComment]:
    """The same few comments for the same article, picked from the pool by a stable hash."""
    seed = zlib.crc32(article_id.encode("utf-8"))
    count = minimum + seed % (maximum - minimum + 1)
    comments = []
    for index in range(count):
        pick = (seed // 7 + index * 3) % len(COMMENTS)
        comments.append(
            ReaderComment(
                author=PSEUDONYMS[(seed + index * 5) % len(PSEUDONYMS)],
                age=AGES[(seed // 3 + index) % len(AGES)],
                text=COMMENTS[pick],
                likes=(seed >> (index + 2)) % 40,
            )
        )
    return comments
