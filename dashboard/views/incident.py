"""Incident: merged fields with their evidence in the articles' text, the articles, corrections."""

from __future__ import annotations

import streamlit as st
from pannes.dashboard import auth, data, urlstate
from pannes.dashboard.correction_form import corrections_panel, refuse_sent_forms, show_flash
from pannes.dashboard.data import DataVersion, IncidentDetail
from pannes.dashboard.evidence import Located, evidence_for, locate
from pannes.dashboard.labels import (
    cause_fr,
    correction_value_fr,
    date_fr,
    datetime_fr,
    duration_fr,
    field_fr,
    impact_fr,
    plural_fr,
)
from pannes.dashboard.links import CHRONOLOGY_PAGE, INCIDENT_PARAM, incident_link
from pannes.dashboard.render import (
    escape_markdown,
    markdown_link,
    safe_url,
    segments_markdown,
    shorten,
)
from pannes.dashboard.signin_panel import READ_ONLY, SIGN_IN_TO_CORRECT

from pannes.config import Settings
from pannes.errors import PannesError
from pannes.records import Article, Correction, Incident, SearchQuery

FIELDS = ("vendors", "affected", "impact", "cause", "cause_ruled_out", "duration", "start",
          "end", "region", "users_affected")
PICKER_QUERY = "iq"
# Corrections of a duration's parts show on the duration.
CORRECTED_AS = {"hours_min": "duration", "hours_max": "duration", "ongoing": "duration"}


def _end_markdown(detail: IncidentDetail) -> str:
    """The end of an incident, never its start date standing in for the end of an incident
    still going on: an ongoing one says so, as of its latest article."""
    incident = detail.incident
    end, start = incident.end, incident.start
    if not incident.duration.ongoing or _correction_of(detail, "end") is not None:
        return escape_markdown(date_fr(end)) if end else "_inconnue_"
    published = [item.article.published for item in detail.articles if item.article.published]
    text = "_en cours_"
    if published:
        text += f" selon le dernier article, du {escape_markdown(date_fr(max(published)))}"
    if end is not None and (start is None or end > start):
        return text + f" ; date de fin citée : {escape_markdown(date_fr(end))}"
    return text + " ; fin non rapportée"


def _value_markdown(incident: Incident, name: str) -> str:
    """A merged field's value, in French, escaped."""
    none = "_inconnu_"
    if name in ("vendors", "affected", "region"):
        values = getattr(incident, name)
        return escape_markdown(", ".join(values)) if values else none
    if name == "impact":
        return escape_markdown(", ".join(impact_fr(i) for i in incident.impact)) or none
    if name == "cause":
        return escape_markdown(cause_fr(incident.cause)) if incident.cause else none
    if name == "cause_ruled_out":
        return escape_markdown(", ".join(cause_fr(c) for c in incident.cause_ruled_out)) or "_aucune_"
    if name == "duration":
        d = incident.duration
        text = escape_markdown(duration_fr(d.hours_min, d.hours_max, d.ongoing))
        if d.text:
            phrases = dict.fromkeys(t.strip() for t in d.text if t.strip())
            text += " — " + escape_markdown(", ".join(f"« {t} »" for t in phrases))
        return text
    if name in ("start", "end"):
        value = getattr(incident, name)
        return escape_markdown(date_fr(value)) if value else none
    if name == "users_affected":
        n = incident.users_affected
        return f"{n:,}".replace(",", "\u202f") if n is not None else none
    return escape_markdown(str(getattr(incident, name, "")))


def _proofs(detail: IncidentDetail, name: str,
            sources: set[int]) -> list[tuple[Article, Located]]:
    """Each article's evidence for a field, located in its text; for an incident known only
    from mentions, the mentioning sentences of the articles the field came from."""
    proofs = []
    for item in detail.articles:
        if sources and item.article.id not in sources:
            continue
        sentences = evidence_for(item.tags.evidence, name) if item.tags else []
        if sentences:
            proofs.append((item.article, locate(item.article.text, sentences,
                                                title=item.article.title)))
    if detail.incident.known_from_mentions:
        for mention in detail.mentions:
            if mention.article.id in sources and mention.sentences:
                proofs.append((mention.article, locate(mention.article.text, mention.sentences,
                                                       title=mention.article.title)))
    return proofs


def _correction_of(detail: IncidentDetail, name: str) -> Correction | None:
    """The latest editor's correction that set this field of the incident, if any."""
    latest = None
    for c in detail.corrections:
        if c.target == "incident" and c.target_id == detail.incident.id and \
                CORRECTED_AS.get(c.field, c.field) == name:
            latest = c
    return latest


def _field_row(detail: IncidentDetail, name: str) -> None:
    incident = detail.incident
    label_col, value_col = st.columns([1, 3])
    label_col.markdown(f"**{escape_markdown(field_fr(name))}**")
    value_col.markdown(_end_markdown(detail) if name == "end" else _value_markdown(incident, name))
    correction = _correction_of(detail, name)
    if correction is not None:  # an editor's value: the articles' evidence is not its proof
        value_col.caption(f":material/edit: corrigé par {escape_markdown(correction.editor)} le "
                          f"{date_fr(correction.at)}")
        return
    if name in incident.provenance and not incident.provenance[name]:
        return  # no article gave this value
    sources = set(incident.provenance.get(name) or [])
    proofs = _proofs(detail, name, sources)
    if not proofs:
        return
    count = sum(len(p.passages) + len(p.not_found) for _, p in proofs)
    with value_col.expander(f"Preuves dans le texte ({plural_fr(count, 'passage')})"):
        for article, located in proofs:
            st.caption(f"{escape_markdown(article.source)} · {date_fr(article.published)} · "
                       f"{escape_markdown(shorten(article.title, 90))}")
            for passage in located.passages:
                st.markdown(segments_markdown(passage.segments))
            for sentence in located.not_found:
                st.markdown("> " + escape_markdown(sentence))


def _articles(detail: IncidentDetail) -> dict[int, str]:
    """The incident's articles with links to the originals; returns id -> short label."""
    st.subheader(f"Articles ({len(detail.articles)})")
    titles: dict[int, str] = {}
    for item in detail.articles:
        article = item.article
        titles[article.id] = (f"{shorten(article.title, 70)} — {article.source}, "
                              f"{date_fr(article.published)}")
        with st.container(border=True):
            st.markdown(f"**{markdown_link(article.title, article.url)}**")
            caption = f"{escape_markdown(article.source)} · {date_fr(article.published)}"
            if article.author:
                caption += f" · {escape_markdown(article.author)}"
            if not safe_url(article.url):
                caption += f" · adresse non cliquable : {escape_markdown(article.url)}"
            if article.is_summary:  # a feed-only source: its site refuses crawlers on articles
                caption += (" · résumé tiré du flux de la source : "
                            + markdown_link("texte complet sur le site", article.url))
            st.caption(caption)
            copies = [a for a in item.aliases if safe_url(a.get("url"))]
            if copies:
                st.markdown("Aussi publié à : " + " · ".join(
                    markdown_link(a.get("source") or a["url"], a["url"]) for a in copies))
    return titles


def _mentioned_in(detail: IncidentDetail) -> None:
    """The later articles that mention the incident in passing, with their sentences."""
    if not detail.mentions:
        return
    if detail.incident.known_from_mentions:
        st.subheader("Connu seulement par des mentions dans :")
    else:
        st.subheader(f"Mentionné plus tard dans ({len(detail.mentions)})")
    for mention in detail.mentions:
        article = mention.article
        with st.container(border=True):
            st.markdown(f"**{markdown_link(article.title, article.url)}**")
            st.caption(f"{escape_markdown(article.source)} · {date_fr(article.published)}")
            for sentence in mention.sentences:
                st.markdown("> " + escape_markdown(sentence))


def _history(detail: IncidentDetail) -> None:
    if not detail.corrections:
        st.caption("Aucune correction pour l'instant.")
        return
    rows = [{
        "Date": datetime_fr(c.at),
        "Éditeur": c.editor,
        "Cible": "incident" if c.target == "incident" else f"article {c.target_id}",
        "Champ": field_fr(c.field),
        "Avant": correction_value_fr(c.field, c.before),
        "Après": correction_value_fr(c.field, c.value),
        "Note": c.note or "",
    } for c in detail.corrections]
    st.dataframe(rows, hide_index=True, width="stretch")


def _picker(settings: Settings, version: DataVersion) -> None:
    """No incident chosen: find one."""
    st.title("Incident")
    st.info("Choisissez un incident : cherchez-le ci-dessous ou cliquez sur une barre de la "
            "chronologie.")
    urlstate.restore_text(PICKER_QUERY)
    text = st.text_input("Chercher un incident", key=PICKER_QUERY,
                         placeholder="fournisseur, titre…")
    result = data.search(settings, version, SearchQuery(text=text, kind="incidents",
                                                        sort="date", per_page=30))
    st.caption(plural_fr(result.total, "incident"))
    for hit in result.hits:
        incident_link(hit.id, f"{date_fr(hit.start)} — {hit.title}", icon=None)
    urlstate.publish({PICKER_QUERY: text.strip()})


def _corrections(settings: Settings, version: DataVersion, incident: Incident,
                 titles: dict[int, str]) -> None:
    """The correction forms for a signed-in editor; for readers, how to become one."""
    try:
        editor = auth.current_editor(settings)
        configured = editor is not None or auth.editors_configured(settings)
    except PannesError as exc:  # an unreadable editors file (said in the sidebar)
        st.caption(f"Corrections indisponibles : {escape_markdown(str(exc))}")
        return
    if editor is not None:
        with st.expander("Corriger, fusionner ou scinder cet incident", expanded=False):
            corrections_panel(settings, version, incident, titles, editor)
        return
    refuse_sent_forms(incident.id)
    if configured:
        st.caption(SIGN_IN_TO_CORRECT)
    else:
        st.caption(READ_ONLY)


def render() -> None:
    settings = data.dashboard_settings()
    version = data.version_of(settings)
    incident_id = (st.query_params.get(INCIDENT_PARAM) or "").strip()
    if not incident_id:
        _picker(settings, version)
        return
    detail = data.incident_detail(settings, version, incident_id)
    if detail is None:
        show_flash()
        st.title("Incident introuvable")
        st.warning(f"Aucun incident ne porte l'identifiant « {escape_markdown(incident_id)} ». "
                   "Il a peut-être été fusionné avec un autre.")
        st.page_link(CHRONOLOGY_PAGE, label="Retour à la chronologie",
                     icon=":material/arrow_back:")
        return
    incident = detail.incident
    st.page_link(CHRONOLOGY_PAGE, label="Chronologie", icon=":material/arrow_back:")
    show_flash()
    st.title(escape_markdown(incident.title) or "Incident sans titre")
    facts = [f"Identifiant : {escape_markdown(incident.id)}"]
    if incident.known_from_mentions:
        facts.append("connu seulement par des mentions dans "
                     + plural_fr(len(detail.mentions), "article ultérieur", "articles ultérieurs"))
    else:
        facts.append(plural_fr(len(detail.articles), "article"))
        if detail.mentions:
            facts.append("mentionné dans " + plural_fr(len(detail.mentions), "article ultérieur",
                                                       "articles ultérieurs"))
    st.caption(" · ".join(facts))

    st.subheader("Ce que disent les articles")
    for name in FIELDS:
        _field_row(detail, name)

    titles = _articles(detail) if detail.articles or not incident.known_from_mentions else {}
    _mentioned_in(detail)

    st.subheader("Corrections")
    _history(detail)
    _corrections(settings, version, incident, titles)
    urlstate.publish({INCIDENT_PARAM: incident_id})


render()
