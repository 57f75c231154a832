"""Collecte: what was crawled, when, from which sources, and what went wrong."""

from __future__ import annotations

from typing import Any

import streamlit as st
from pannes.dashboard import data
from pannes.dashboard.labels import crawl_problem_fr, date_fr, datetime_fr, plural_fr
from pannes.dashboard.render import escape_markdown, shorten

STATUS_FR = {"running": "en cours", "finished": "terminée", "interrupted": "interrompue",
             "failed": "échouée"}
KIND_FR = {"crawl": "collecte", "import-urls": "import d'adresses", "import-warc": "import WARC"}


def _number(stats: dict[str, Any], key: str) -> int:
    value = stats.get(key)
    if isinstance(value, dict):
        return sum(int(v) for v in value.values() if isinstance(v, int | float))
    return int(value) if isinstance(value, int | float) else 0


def _runs_table(runs: list[Any]) -> list[dict[str, Any]]:
    rows = []
    for run in runs:
        stats = run.stats or {}
        articles = stats.get("articles") if isinstance(stats.get("articles"), dict) else {}
        rows.append({
            "Début": datetime_fr(run.started_at),
            "Fin": datetime_fr(run.finished_at) if run.finished_at else "—",
            "Type": KIND_FR.get(str(stats.get("kind", "crawl")), str(stats.get("kind", ""))),
            "État": STATUS_FR.get(run.status, run.status),
            "Pages": _number(stats, "pages"),
            "Nouveaux": int(articles.get("new", 0)),
            "Mis à jour": int(articles.get("updated", 0)),
            "Inchangés": int(articles.get("unchanged", 0)),
            "Doublons": int(articles.get("duplicate", 0)),
            "Erreurs": _number(stats, "errors"),
        })
    return rows


def _last_run_per_source(runs: list[Any]) -> dict[str, tuple[Any, dict[str, Any]]]:
    """For each source, the newest run that touched it and that run's counters for it."""
    latest: dict[str, tuple[Any, dict[str, Any]]] = {}
    for run in runs:  # newest first
        sources = (run.stats or {}).get("sources") or {}
        if not isinstance(sources, dict):
            continue
        for name, counters in sources.items():
            if name not in latest:
                latest[name] = (run, counters if isinstance(counters, dict) else {})
    return latest


def _counts(stats: dict[str, Any], key: str) -> dict[str, int]:
    value = stats.get(key)
    if not isinstance(value, dict):
        return {}
    return {str(k): int(v) for k, v in value.items() if isinstance(v, int | float) and v}


def _problems(stats: dict[str, Any]) -> None:
    """The latest run's errors in French, with samples (the crawler's reason as a detail)."""
    errors = _counts(stats, "errors")
    samples = stats.get("error_samples") if isinstance(stats.get("error_samples"), list) else []
    st.subheader("Erreurs de la dernière collecte")
    if not errors and not samples:
        st.success("Aucune erreur lors de la dernière collecte.")
        return
    if errors:
        st.dataframe([{"Type d'erreur": crawl_problem_fr(k), "Nombre": v}
                      for k, v in errors.items()], hide_index=True)
    if samples:
        st.caption("Exemples (les plus récents) ; le détail est le message technique du "
                   "collecteur, en anglais :")
        st.dataframe([{
            "Type": crawl_problem_fr(str(s.get("kind", ""))),
            "Adresse": str(s.get("url", "")),
            "Détail": shorten(str(s.get("reason", "")), 200),
        } for s in samples[-20:] if isinstance(s, dict)], hide_index=True, width="stretch")


def _warnings_and_skips(stats: dict[str, Any]) -> None:
    """Pages kept after a repair and addresses left alone on purpose, in French."""
    rows = [{"Catégorie": "Page réparée", "Motif": crawl_problem_fr(k), "Nombre": v}
            for k, v in _counts(stats, "warnings").items()]
    rows += [{"Catégorie": "Adresse non collectée", "Motif": crawl_problem_fr(k), "Nombre": v}
             for k, v in _counts(stats, "skipped").items()]
    if rows:
        st.subheader("Avertissements et adresses non collectées")
        st.dataframe(rows, hide_index=True, width="stretch")


def _refused(runs: list[Any]) -> None:
    """Sources whose article pages the last crawl was refused (a bot wall), with the remedy."""
    crawls = [r for r in runs if (r.stats or {}).get("kind", "crawl") == "crawl"]
    refused = (crawls[0].stats or {}).get("refused_sources") if crawls else None
    for name, count in (refused.items() if isinstance(refused, dict) else ()):
        st.warning(
            f"« {escape_markdown(str(name))} » : {plural_fr(int(count), 'page')} d'article "
            "refusées à notre robot (HTTP 401 ou 403) lors de la dernière collecte. Le site "
            "refuse les robots sur ses articles alors que son flux répond : indiquez "
            "`articles = \"feed\"` pour cette source dans le fichier des sources pour garder "
            "les résumés de son flux (pannes ne se fait jamais passer pour un navigateur), ou "
            "désactivez-la. `pannes sources check` le confirme.")


def render() -> None:
    settings = data.dashboard_settings()
    version = data.version_of(settings)
    st.title("Collecte")
    counts = data.collection_counts(settings, version)
    cols = st.columns(4)
    cols[0].metric("Articles", f"{counts['articles']:,}".replace(",", "\u202f"))
    cols[1].metric("Articles analysés", f"{counts['tagged']:,}".replace(",", "\u202f"))
    cols[2].metric("Pannes repérées", f"{counts['outages']:,}".replace(",", "\u202f"))
    cols[3].metric("Incidents", f"{counts['incidents']:,}".replace(",", "\u202f"))
    if counts["articles"] > counts["tagged"]:
        st.caption(f"{plural_fr(counts['articles'] - counts['tagged'], 'article')} en attente "
                   "d'analyse : lancez `pannes tag`.")

    runs = data.crawl_runs(settings, version, 50)
    per_source = _last_run_per_source(runs)
    sources = data.source_counts(settings, version)
    st.subheader("Sources")
    if not sources and not per_source:
        st.info("Aucune source n'a encore été collectée : lancez `pannes crawl` "
                "(ou `pannes demo` pour essayer).")
    else:
        names = list(dict.fromkeys([*(row["source"] for row in sources), *per_source]))
        by_name = {row["source"]: row for row in sources}
        table = []
        for name in names:
            row = by_name.get(name, {})
            run, counters = per_source.get(name, (None, {}))
            table.append({
                "Source": name,
                "Articles": int(row.get("articles") or 0),
                "Dernier article publié": date_fr(row.get("latest_published")),
                "Dernier article collecté": datetime_fr(row.get("latest_seen")),
                "Dernière collecte": datetime_fr(run.started_at) if run else "—",
                "Erreurs (dernière collecte)": sum(int(v) for k, v in counters.items()
                                                   if "error" in k and isinstance(v, int)),
            })
        st.dataframe(table, hide_index=True, width="stretch")
    _refused(runs)

    st.subheader("Dernières collectes")
    if not runs:
        st.info("Aucune collecte enregistrée dans cette base.")
        return
    st.dataframe(_runs_table(runs), hide_index=True, width="stretch")

    latest = runs[0]
    stats = latest.stats or {}
    _problems(stats)
    _warnings_and_skips(stats)


render()
