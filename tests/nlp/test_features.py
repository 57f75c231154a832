"""What the role model reads of each organisation candidate, beside the candidate itself.

A linear model scores each candidate alone, so what makes a vendor stand out among the
article's organisations (named most, named first among the known ones, listed with another
operator) has to be written into each candidate's features."""

from __future__ import annotations

from pannes.nlp.features import Candidate
from pannes.nlp.tagger import Tagger

TEXT = (
    "Panne géante chez SFR et Bouygues Telecom mardi soir. "
    "Les clients de SFR et de Bouygues Telecom n'ont pas pu passer d'appels pendant trois heures. "
    "SFR évoque un incident sur un équipement de son réseau. "
    "Selon Downdetector, les signalements ont culminé vers 21 heures. "
    "SFR assure que le service est rétabli."
)


def candidates(tagger: Tagger, text: str) -> dict[str, Candidate]:
    doc = next(tagger.feature_docs([(text, "2024-05-02", None, None)]))
    assert doc is not None, "the prefilter let an outage story through"
    return {c.name: c for c in tagger.article_features(doc).candidates}


def test_the_most_named_operator_knows_it(rules_tagger: Tagger) -> None:
    found = candidates(rules_tagger, TEXT)
    sfr, bouygues = found["SFR"].features, found["Bouygues Telecom"].features
    assert sfr.get("max_mentions") == 1.0 and "max_mentions" not in bouygues
    assert sfr["gap_mentions"] == 0.0 and bouygues["gap_mentions"] < 0.0
    assert sfr.get("first_known") == 1.0 and "first_known" not in bouygues


def test_operators_listed_together_are_coordinated(rules_tagger: Tagger) -> None:
    found = candidates(rules_tagger, TEXT)
    for name in ("SFR", "Bouygues Telecom"):
        assert found[name].features.get("coordinated") == 1.0, name
        assert found[name].features.get("coordinated_same_sector") == 1.0, name
    assert "coordinated" not in found["Downdetector"].features


def test_a_lone_operator_is_not_coordinated(rules_tagger: Tagger) -> None:
    found = candidates(rules_tagger, "Panne chez Orange : le réseau mobile d'Orange est tombé mardi "
                                     "pendant deux heures dans tout l'ouest de la France.")
    assert "coordinated" not in found["Orange"].features
    assert found["Orange"].features.get("max_known") == 1.0


def test_a_company_named_like_a_person_is_a_candidate(rules_tagger: Tagger) -> None:
    """spaCy's French model often reads a company named after its founders as a person;
    the role model, not the entity label, decides whether it is the vendor."""
    found = candidates(rules_tagger, "Cyberattaque : les usines sont à l'arrêt. Le confiseur Lucien Barbier, "
                                     "basé à Lyon, ne peut plus livrer depuis mardi. Lucien Barbier a porté "
                                     "plainte.")
    assert "Lucien Barbier" in found
    assert found["Lucien Barbier"].features.get("ner=PER") == 1.0
    assert found["Lucien Barbier"].features.get("max_mentions") == 1.0


def test_a_spelled_out_zone_is_one_place(rules_tagger: Tagger) -> None:
    """ "la zone EMEA (Europe, Moyen-Orient, Afrique)" names one place: the places in the
    parentheses spell out the name before them and are not offered to the place decision."""
    from pannes.nlp.decisions import place_candidates

    doc = next(rules_tagger.feature_docs([(
        "Panne mondiale chez BlackBerry. La panne a surtout touché les utilisateurs de la zone EMEA "
        "(Europe, Moyen-Orient, Afrique) mardi, puis ceux du Brésil.", "2024-05-02", None, None)]))
    assert doc is not None
    features = rules_tagger.article_features(doc)
    found = {c.name: c for c in features.candidates}
    assert found["Afrique"].restates and not found["Brésil"].restates
    offered = [name for name, _ in place_candidates(features.candidates, [])]
    assert "Afrique" not in offered and "Brésil" in offered


def test_a_list_of_hit_clients_is_read_as_one(rules_tagger: Tagger) -> None:
    """ "des sites comme A, B ou C ont été touchés": the parse seldom coordinates the names of a
    long list, so each member is told that it is listed, after an example marker, in a
    sentence saying that someone was hit."""
    found = candidates(rules_tagger, "Panne géante chez l'hébergeur Nuvola mardi soir. Des sites comme "
                                     "Cuisinéo, Vélomarché, Bricomax ou Lectorium ont été touchés "
                                     "pendant trois heures. Nuvola évoque un incident électrique.")
    listed = [name for name in ("Cuisinéo", "Vélomarché", "Lectorium") if name in found]
    assert len(listed) >= 2, sorted(found)
    for name in listed:
        f = found[name].features
        assert f.get("listed") == 1.0 and f.get("listed_victim") == 1.0, (name, f)
        assert f.get("example") == 1.0 and f.get("example_victim") == 1.0, (name, f)
    assert "listed" not in found["Nuvola"].features


def test_places_listed_in_a_calm_sentence_are_not_hit_lists(rules_tagger: Tagger) -> None:
    found = candidates(rules_tagger, "Panne chez Orange mardi : le réseau mobile est tombé. L'opérateur est "
                                     "présent à Lyon, Marseille et Toulouse depuis longtemps.")
    for name in ("Lyon", "Marseille", "Toulouse"):
        if name in found:
            assert "listed_victim" not in found[name].features and "example" not in found[name].features


def test_a_town_written_as_one_token_is_a_candidate(rules_tagger: Tagger) -> None:
    """ "Villers-la-Forêt" is one token, not alphabetic as a whole: a place entity with a letter
    is still a name, offered to the place decision like any town the article names."""
    from pannes.nlp.decisions import place_candidates

    doc = next(rules_tagger.feature_docs([(
        "Panne de télévision chez Proxilis mardi soir. Les abonnés ont été privés de télévision à Namur, "
        "à Villers-la-Forêt et à Saint-Aubin-sur-Meuse pendant trois heures.", "2024-05-02", None, None)]))
    assert doc is not None
    features = rules_tagger.article_features(doc)
    named = {c.name for c in features.candidates}
    offered = {name for name, _ in place_candidates(features.candidates, [], features.places)}
    hyphenated = {n for n in ("Villers-la-Forêt", "Saint-Aubin-sur-Meuse") if n in named}
    assert hyphenated, sorted(named)
    assert hyphenated <= offered, sorted(offered)
