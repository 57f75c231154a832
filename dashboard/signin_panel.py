"""The editors' sign-in box in the sidebar, and what the incident page says to readers.

Nothing shows when no editor is configured (the dashboard is read-only); otherwise a signed-out
session sees a button per OpenID Connect provider and, with local editors, a name and password
form; a signed-in one sees who it is and a sign-out button.
"""

from __future__ import annotations

import logging

import streamlit as st
from pannes.dashboard import auth
from pannes.dashboard.render import escape_markdown

from pannes.config import Settings
from pannes.errors import PannesError

log = logging.getLogger(__name__)

TITLE = "Connexion des éditeurs"
REFUSED = "_signin_refused"  # session state: why the last sign-in was refused
READ_ONLY = ("Lecture seule : aucun éditeur n'est configuré pour corriger ce tableau de bord "
             "(`pannes editors add NOM`, ou une connexion OpenID Connect : voir "
             "`pannes dashboard --help`).")
SIGN_IN_TO_CORRECT = f"Pour corriger cet incident, connectez-vous (« {TITLE} », dans la barre latérale)."


def _provider_label(provider: str | None) -> str:
    return "le fournisseur d'identité" if provider is None else provider.replace("_", " ").title()


def _local_form(settings: Settings) -> None:
    with st.form("signin", clear_on_submit=True, border=False):
        name = st.text_input("Nom", key="signin_nom", autocomplete="username")
        password = st.text_input("Mot de passe", type="password", key="signin_mdp",
                                 autocomplete="current-password")
        submitted = st.form_submit_button("Se connecter", type="primary")
    if submitted:
        refused = auth.sign_in(settings, name, password)
        if refused is None:
            st.session_state.pop(REFUSED, None)
            st.rerun()
        st.session_state[REFUSED] = refused
    if st.session_state.get(REFUSED):
        st.error(st.session_state[REFUSED], icon=":material/lock:")


def _signed_in(identity: str, allowed: bool) -> None:
    st.caption(f":material/person: Connecté(e) : **{escape_markdown(identity)}**")
    if not allowed:
        st.warning("Cette identité n'est pas autorisée à corriger : ajoutez-la au réglage "
                   "dashboard.oidc_editors de pannes.")
    if st.button("Se déconnecter", key="signout", icon=":material/logout:"):
        if not auth.sign_out():
            st.rerun()


def editor_sidebar(settings: Settings) -> auth.Editor | None:
    """The sign-in box (in the current container); returns the signed-in editor."""
    try:
        editor = auth.current_editor(settings)
        local_editors = bool(auth.editors_file(settings).hashes())
    except PannesError as exc:  # an unreadable editors file: read-only, and say why
        log.warning("editors file: %s", exc)
        st.warning(f"Corrections indisponibles : {escape_markdown(str(exc))}")
        return None
    identity = auth.oidc_identity()
    providers = auth.oidc_providers()
    if editor is not None:
        _signed_in(editor.identity, True)
        return editor
    if identity is not None:  # signed in with the provider, but not on the list
        _signed_in(identity, False)
        return None
    if not providers and not local_editors:
        return None
    with st.expander(TITLE, icon=":material/edit:",
                     expanded=bool(st.session_state.get(REFUSED))):
        for provider in providers:
            if st.button(f"Se connecter avec {_provider_label(provider)}",
                         key=f"login_{provider or 'defaut'}", icon=":material/login:"):
                if provider is None:
                    st.login()
                else:
                    st.login(provider)
        if local_editors:
            _local_form(settings)
    return None
