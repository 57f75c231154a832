"""`pannes update`, the hourly job: crawl, tag what is new, update incidents — twice."""

from __future__ import annotations

import json

import pytest
from pannes.store import open_store

from pannes.app.cli import main

pytestmark = pytest.mark.slow

OUTLET = "octethebdo"

FOLLOW_UP = {
    "id": "nuvola-test-suivi",
    "outlet": OUTLET,
    "slug": "nuvola-hebergement-panne-stockage-lyon",
    "section": "Cloud",
    "title": "Nuvola Hébergement : le stockage bloc de Lyon indisponible toute la matinée",
    "standfirst": "",
    "author": "Rédaction de test",
    "published": "2026-11-25T09:30",
    "updated": None,
    "language": "fr",
    "syndicated_from": None,
    "text": (
        "L'hébergeur lyonnais Nuvola Hébergement a subi mardi une panne de son service de "
        "stockage bloc, rendant indisponibles des centaines de machines virtuelles de ses "
        "clients entre 7 heures et 11 heures.\n\n"
        "« Une baie de stockage défaillante a provoqué l'arrêt du service », a expliqué le "
        "prestataire dans un message à ses clients, écartant l'hypothèse d'une cyberattaque.\n\n"
        "Plusieurs sites de commerce en ligne hébergés chez Nuvola sont restés inaccessibles "
        "pendant plusieurs heures, le temps de basculer sur une baie de secours."
    ),
    "gold": {"is_outage": True},
}


def write_sources(path, sources):
    """The demo site's sources as a TOML sources file, as a user would write it."""
    lines = []
    for source in sources:
        lines.append("[[source]]")
        for key, value in source.items():
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
        lines.append("")
    path.write_text("\n".join(lines), encoding="utf-8")


def test_update_twice_only_handles_what_is_new(tmp_path, capsys):
    from pannes.demo.site import DemoSite

    db = tmp_path / "pannes.db"
    with DemoSite(base_port=0) as site:
        sources = [s for s in site.sources() if s["name"] == site.corpus.outlet(OUTLET).name]
        sources_file = tmp_path / "sources.toml"
        write_sources(sources_file, sources)
        argv = ["update", "--db", str(db), "--sources", str(sources_file),
                "--max-age-days", "0", "--no-resume"]

        assert main(argv) == 0
        with open_store(db, create=False) as store:
            first = store.tag_counts()
            incidents_before = store.count_incidents()
        expected = sum(1 for a in site.corpus.articles if a.outlet == OUTLET)
        assert first["articles"] == expected
        assert first["tagged"] == first["articles"]
        assert incidents_before >= 1
        capsys.readouterr()

        site.add_article(FOLLOW_UP)
        assert main(argv) == 0
        out = capsys.readouterr().out

    assert "tagged 1 articles" in out  # only the new article went through the tagger
    with open_store(db, create=False) as store:
        second = store.tag_counts()
        assert second["articles"] == first["articles"] + 1
        assert second["tagged"] == second["articles"]
        new = store.find_article(site.article_url(FOLLOW_UP["id"]))
        assert new is not None and store.get_tags(new.id).is_outage
        assert store.incident_of_article(new.id) is not None
