"""The public API: Tagger.load / tag / tag_many, publication dates, titles, version."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pannes.nlp.tagger import Tagger, parse_published
from pannes.nlp.version import pipeline_version

from pannes.records import Tags

TEXT = ("Mardi matin, une panne a privé les clients de Bouygues Telecom de réseau mobile pendant "
        "quatre heures. L'opérateur a présenté ses excuses et évoque un incident logiciel.")
UNRELATED = "Le conseil municipal a voté le budget de la piscine pour l'an prochain."
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "nlp"


def test_parse_published() -> None:
    assert parse_published("2024-05-02") == (date(2024, 5, 2), "day")
    assert parse_published("2024-05") == (date(2024, 5, 1), "month")
    assert parse_published("2024-05-02T10:30") == (date(2024, 5, 2), "day")
    assert parse_published(date(2024, 5, 2)) == (date(2024, 5, 2), "day")
    assert parse_published(None) == (None, None)
    assert parse_published("hier") == (None, None)


def test_tag_one_article(tagger: Tagger) -> None:
    tags = tagger.tag(TEXT, published="2024-05-02")
    assert isinstance(tags, Tags)
    assert tags.is_outage and tags.pipeline_version == pipeline_version()
    assert tags.vendors == ["Bouygues Telecom"]
    assert tags.cause == "software_bug"
    assert {"telephony_mobile", "service_unavailable"} <= set(tags.impact)
    assert tags.start == date(2024, 4, 30)
    assert (tags.duration.hours_min, tags.duration.hours_max) == (4, 4)
    assert tags.evidence["vendors"] and tags.evidence["cause"]
    assert Tags.from_dict(tags.to_dict()) == tags


def test_partial_and_missing_publication_dates(tagger: Tagger) -> None:
    assert tagger.tag(TEXT, published="2024-05").is_outage
    assert tagger.tag(TEXT, published=None).start is None


def test_tag_many_keeps_order_and_skips_unrelated(tagger: Tagger) -> None:
    items = [(TEXT, "2024-05-02", None), (UNRELATED, "2024-05-02", None), (TEXT, None, "Panne Bouygues")]
    tags = list(tagger.tag_many(items, batch_size=2))
    assert [t.is_outage for t in tags] == [True, False, True]
    assert tags[1] == Tags(is_outage=False, pipeline_version=pipeline_version())


def test_title_is_read(tagger: Tagger) -> None:
    tags = tagger.tag("Depuis 9 heures, les pages mettent une minute à s'afficher, et certaines sont "
                      "indisponibles.", published="2024-05-02",
                      title="Panne chez Cloudflare : des sites inaccessibles depuis ce matin")
    assert tags.vendors == ["Cloudflare"]


def test_extra_vendor_files() -> None:
    tagger = Tagger.load(extra_vendor_files=[FIXTURES / "vendors_extra.jsonl"])
    tags = tagger.tag("Depuis lundi, l'hébergeur Nuagix est en panne et les sites de ses clients sont "
                      "inaccessibles.", published="2024-03-12")
    assert tags.vendors == ["Nuagix"]


TURNED_DOWN = ("Une étude chiffre le coût des pannes informatiques pour les entreprises françaises à "
               "plusieurs milliards d'euros par an.")
NAMED_BY_NER = ("Jeudi, une panne informatique a paralysé la société Ventorix pendant six heures : ses "
                "clients ne pouvaient plus passer commande. La société Ventorix évoque une erreur humaine.")


def test_batches_tag_like_single_articles(tagger: Tagger) -> None:
    """The details (NER included) run on a batch's outages only; each article's tags are those it
    gets alone, whatever else shares its batch."""
    items = [(TURNED_DOWN, "2024-05-02", None), (NAMED_BY_NER, "2024-05-02", None),
             (UNRELATED, "2024-05-02", None), (TEXT, "2024-05-02", None)] * 2
    assert tagger.prefilter(TURNED_DOWN, None)
    together = list(tagger.tag_many(items, batch_size=3))
    alone = [tagger.tag(text, published=published, title=title) for text, published, title in items]
    assert together == alone
    assert [t.is_outage for t in together[:4]] == [False, True, False, True]
    assert together[1].vendors == ["Ventorix"]
