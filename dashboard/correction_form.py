"""The editors' forms on an incident page: fields, merge, split, its articles.

Shown only to a signed-in editor (dashboard.auth), whose identity is recorded with each
correction; the sign-in is checked again when a form is sent, so a session whose sign-in
ended (signed out, expired, editor removed) writes nothing. The forms only collect what the
editor typed; incidents.corrections validates it, records the audited correction and updates
the stored incidents, through a store opened for that write.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import date
from typing import Any

import streamlit as st
from pannes.dashboard import auth, data
from pannes.dashboard.data import DataVersion
from pannes.dashboard.filters import MAX_DATE, MIN_DATE
from pannes.dashboard.labels import FIELD_FR, cause_fr, date_fr, field_fr, impact_fr
from pannes.dashboard.render import escape_markdown, shorten
from pannes.incidents.corrections import (
    CorrectionError,
    correct_article,
    correct_incident,
    editable_fields,
    merge_incidents,
    split_incident,
)
from pannes.store import SQLiteStore

from pannes.config import Settings
from pannes.errors import PannesError
from pannes.records import CAUSE_LABELS, Incident, SearchFilters, SearchQuery, Tags

log = logging.getLogger(__name__)

FLASH = "_incident_flash"
UNKNOWN_CHOICE = "__inconnu__"
MENTIONS_ONLY = ("Cet incident n'est connu que par des mentions dans des articles sur d'autres "
                 "incidents : il n'a pas d'article à lui.")
FIELD_LABELS = {**FIELD_FR, "hours_min": "Durée minimale (heures)",
                "hours_max": "Durée maximale (heures)", "ongoing": "En cours",
                "is_outage": "Relate une panne", "incident": "Incident (y déplacer l'article)"}


def _label_fr(name: str, label: str) -> str:
    if label in CAUSE_LABELS and name in ("cause", "cause_ruled_out"):
        return cause_fr(label)
    return impact_fr(label)


def _value_widget(name: str, kind: str, allowed: tuple[str, ...], record: Incident | Tags,
                  key: str, current: Any = None) -> Any:
    """The input for one field, starting from the record's current value."""
    current = getattr(record, name, None) if current is None else current
    if kind == "text":
        return st.text_input("Nouvelle valeur", value=current or "", key=key)
    if kind == "names":
        return st.text_input("Nouvelle valeur (noms séparés par des virgules)",
                             value=", ".join(current or []), key=key)
    if kind == "labels":
        return st.multiselect("Nouvelle valeur", list(allowed), default=list(current or []),
                              format_func=lambda v: _label_fr(name, v), key=key)
    if kind == "label":
        options = list(allowed)
        index = options.index(current) if current in options else None
        return st.selectbox("Nouvelle valeur", options, index=index, key=key,
                            format_func=lambda v: _label_fr(name, v))
    if kind == "date":
        return st.date_input("Nouvelle date (vide si inconnue)", value=current, key=key,
                             min_value=MIN_DATE, max_value=MAX_DATE, format="DD/MM/YYYY")
    if kind == "int":
        return st.number_input("Nouvelle valeur (vide si inconnue)", value=current, min_value=0,
                               step=1, key=key)
    if kind in ("hours", "duration"):
        low, high = st.columns(2)
        hours_min = low.number_input("Au moins (heures)", min_value=0.0, step=1.0, key=key + "_min",
                                     value=record.duration.hours_min)
        hours_max = high.number_input("Au plus (heures)", min_value=0.0, step=1.0,
                                      key=key + "_max", value=record.duration.hours_max)
        if kind == "hours":
            return hours_min if name == "hours_min" else hours_max
        return {"hours_min": hours_min, "hours_max": hours_max}
    if kind == "bool":
        options = ["oui", "non", UNKNOWN_CHOICE]
        index = {True: 0, False: 1}.get(current, 2)
        choice = st.selectbox("Nouvelle valeur", options, index=index, key=key,
                              format_func=lambda v: "inconnu" if v == UNKNOWN_CHOICE else v)
        return None if choice == UNKNOWN_CHOICE else choice == "oui"
    if kind == "incident":
        return st.text_input("Identifiant de l'incident où placer l'article", key=key)
    return st.text_input("Nouvelle valeur", key=key)


SUBMIT_KINDS = ("champ", "fusion", "scission", "article")


def _submit_key(kind: str, incident_id: str) -> str:
    return f"envoyer_{kind}_{incident_id}"


def refuse_sent_forms(incident_id: str) -> None:
    """With nobody signed in, a form sent anyway (a sign-in that ended while the form was
    open) writes nothing: say so, and log it."""
    sent = [kind for kind in SUBMIT_KINDS if st.session_state.get(_submit_key(kind, incident_id))]
    if sent:
        log.warning("refused a correction (%s of incident %s): no editor is signed in to this "
                    "session", ", ".join(sent), incident_id)
        st.error("Correction refusée : connectez-vous comme éditeur pour corriger.",
                 icon=":material/lock:")


def _editor(settings: Settings, what: str) -> str | None:
    """The signed-in editor's identity, checked now; refuses (and logs) otherwise."""
    editor = auth.current_editor(settings)
    if editor is None:
        log.warning("refused a correction (%s): no editor is signed in to this session", what)
        st.error("Correction refusée : connectez-vous comme éditeur pour corriger.",
                 icon=":material/lock:")
        return None
    return editor.identity


def _attempt(settings: Settings, action: Callable[[SQLiteStore], Any], success: str,
             go_to: Callable[[Any], str | None] = lambda _: None) -> None:
    """Run a correction through the dashboard's read-write store; on success remember a
    message for the next run and rerun."""
    store = data.get_writer(str(settings.db_path))
    try:
        result = action(store)
        warning = _sync_search(settings, store)
    except CorrectionError as exc:
        from pannes.dashboard.correction_errors import french_message

        st.error(f"Correction refusée : {escape_markdown(french_message(exc))}")
        return
    data.clear_caches()
    st.session_state[FLASH] = (success, go_to(result), warning)
    st.rerun()


def _sync_search(settings: Settings, store: SQLiteStore) -> str | None:
    """With Elasticsearch serving the searches, send it the corrected incidents at once;
    returns a warning when that failed (the correction itself is stored)."""
    from pannes.store.backends import sync_search_index

    try:
        sync_search_index(settings, store)
    except PannesError as exc:
        return ("La correction est enregistrée, mais l'index Elasticsearch n'a pas pu être "
                "mis à jour ; elle y sera envoyée au prochain `pannes update`. Détail : "
                + escape_markdown(str(exc)))
    return None


def show_flash() -> None:
    """The message left by the last correction (and a link to a new incident, after a split)."""
    flash = st.session_state.pop(FLASH, None)
    if not flash:
        return
    message, new_incident, warning = flash
    st.success(message, icon=":material/check:")
    if warning:
        st.warning(warning)
    if new_incident:
        from pannes.dashboard.links import incident_link

        incident_link(new_incident, "Ouvrir le nouvel incident")


def _field_form(settings: Settings, incident: Incident) -> None:
    specs = editable_fields("incident")
    name = st.selectbox("Champ à corriger", list(specs), key=f"champ_{incident.id}",
                        format_func=lambda n: FIELD_LABELS.get(n, field_fr(n)))
    spec = specs[name]
    with st.form(f"form_champ_{incident.id}"):
        value = _value_widget(name, spec.kind, spec.allowed, incident,
                              key=f"valeur_{name}_{incident.id}")
        note = st.text_input("Note (facultatif : source, raison)", key=f"note_champ_{incident.id}")
        submitted = st.form_submit_button("Enregistrer la correction", type="primary",
                                          key=_submit_key("champ", incident.id))
    if submitted and (editor := _editor(settings, f"incident {incident.id} {name}")):
        if isinstance(value, date):
            value = value.isoformat()
        _attempt(settings, lambda store: correct_incident(store, incident.id, name, value,
                                                          editor, note=note or None),
                 f"Correction du champ « {FIELD_LABELS.get(name, field_fr(name))} » "
                 f"enregistrée au nom de {escape_markdown(editor)}.")


def _merge_candidates(settings: Settings, version: DataVersion, incident: Incident) -> list[tuple[str, str]]:
    """Incidents of the same vendors, the likeliest to be merged with this one."""
    query = SearchQuery(kind="incidents", sort="date", per_page=50,
                        filters=SearchFilters(vendors=list(incident.vendors)))
    hits = data.search(settings, version, query).hits if incident.vendors else []
    return [(h.id, f"{date_fr(h.start)} — {shorten(h.title, 80)} ({h.id})")
            for h in hits if h.id != incident.id]


def _merge_form(settings: Settings, version: DataVersion, incident: Incident) -> None:
    candidates = _merge_candidates(settings, version, incident)
    labels = dict(candidates)
    with st.form(f"form_fusion_{incident.id}"):
        st.caption("L'autre incident est absorbé par celui-ci, qui garde son identifiant.")
        chosen = st.selectbox("Incident du même fournisseur", [c for c, _ in candidates],
                              index=None, format_func=lambda c: labels.get(c, c),
                              placeholder="Choisir un incident", key=f"fusion_{incident.id}")
        typed = st.text_input("… ou son identifiant", key=f"fusion_id_{incident.id}")
        note = st.text_input("Note (facultatif)", key=f"note_fusion_{incident.id}")
        submitted = st.form_submit_button("Fusionner avec cet incident",
                                          key=_submit_key("fusion", incident.id))
    if submitted and (editor := _editor(settings, f"merge into {incident.id}")):
        other = (typed or "").strip() or chosen
        if not other:
            st.error("Choisissez l'incident à fusionner avec celui-ci.")
            return
        _attempt(settings, lambda store: merge_incidents(store, incident.id, other, editor,
                                                         note=note or None),
                 f"Incident {escape_markdown(other)} fusionné dans celui-ci par "
                 f"{escape_markdown(editor)}.")


def _split_form(settings: Settings, incident: Incident, titles: dict[int, str]) -> None:
    with st.form(f"form_scission_{incident.id}"):
        st.caption("Les articles choisis forment un nouvel incident ; les autres restent ici.")
        chosen = st.multiselect("Articles à détacher", list(titles), key=f"scission_{incident.id}",
                                format_func=lambda a: titles.get(a, str(a)),
                                placeholder="Choisir des articles")
        note = st.text_input("Note (facultatif)", key=f"note_scission_{incident.id}")
        submitted = st.form_submit_button("Scinder l'incident",
                                          key=_submit_key("scission", incident.id))
    if submitted and (editor := _editor(settings, f"split {incident.id}")):
        if not chosen:
            st.error("Choisissez au moins un article à détacher.")
            return
        _attempt(settings, lambda store: split_incident(store, incident.id, chosen, editor,
                                                        note=note or None),
                 f"Incident scindé par {escape_markdown(editor)} : "
                 f"{len(chosen)} article(s) forment un nouvel incident.",
                 go_to=lambda new: new.id)


def _article_form(settings: Settings, version: DataVersion, incident: Incident,
                  titles: dict[int, str]) -> None:
    article_id = st.selectbox("Article", list(titles), key=f"article_{incident.id}",
                              format_func=lambda a: titles.get(a, str(a)))
    specs = editable_fields("article")
    name = st.selectbox("Champ à corriger", list(specs), key=f"champ_article_{incident.id}",
                        format_func=lambda n: FIELD_LABELS.get(n, field_fr(n)))
    spec = specs[name]
    tags = data.article_tags(settings, version, article_id)
    if tags is None:
        st.caption("Cet article n'a pas encore été analysé : lancez `pannes tag`.")
        return
    with st.form(f"form_article_{incident.id}"):
        current = incident.id if name == "incident" else None
        value = _value_widget(name, spec.kind, spec.allowed, tags,
                              key=f"valeur_article_{name}_{article_id}", current=current)
        note = st.text_input("Note (facultatif)", key=f"note_article_{incident.id}")
        submitted = st.form_submit_button("Enregistrer la correction de l'article",
                                          key=_submit_key("article", incident.id))
    if submitted and (editor := _editor(settings, f"article {article_id} {name}")):
        if isinstance(value, date):
            value = value.isoformat()
        _attempt(settings, lambda store: correct_article(store, article_id, name, value,
                                                         editor, note=note or None),
                 f"Correction de l'article (« {FIELD_LABELS.get(name, field_fr(name))} ») "
                 f"enregistrée au nom de {escape_markdown(editor)} ; les incidents sont "
                 "regroupés à nouveau.")


def corrections_panel(settings: Settings, version: DataVersion, incident: Incident,
                      titles: dict[int, str], editor: auth.Editor) -> None:
    """The forms, for a signed-in editor."""
    st.caption(f"Vos corrections sont enregistrées au nom de {escape_markdown(editor.identity)}.")
    field_tab, merge_tab, split_tab, article_tab = st.tabs(
        ["Corriger un champ", "Fusionner", "Scinder", "Corriger un article"])
    with field_tab:
        _field_form(settings, incident)
    with merge_tab:
        _merge_form(settings, version, incident)
    with split_tab:
        if not titles:
            st.caption(MENTIONS_ONLY)
        elif len(titles) < 2:
            st.caption("Un incident d'un seul article ne peut pas être scindé.")
        else:
            _split_form(settings, incident, titles)
    with article_tab:
        if not titles:
            st.caption(MENTIONS_ONLY + " Ses champs se corrigent dans « Corriger un champ ».")
        else:
            _article_form(settings, version, incident, titles)
