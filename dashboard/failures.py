"""A database or search engine failure told in French: what went wrong and what to do.

The store's and the search backend's errors are written in English for the command line; the
dashboard says in French what happened and what to do, and keeps their message as a detail.
"""

from __future__ import annotations

import sqlite3

from pannes.dashboard.render import escape_markdown

from pannes.errors import ConfigError, NetworkError, PannesError, StoreError

RELOAD = "puis rechargez cette page."
OTHER_DB = "ouvrez une autre base avec `pannes dashboard --db CHEMIN`"


def _advice(exc: BaseException, db_path: str, backend: str) -> str:
    text = str(exc)
    elastic = backend == "elasticsearch" or "Elasticsearch" in text
    if isinstance(exc, sqlite3.OperationalError) and "locked" in text:
        return ("La base est occupée par une autre commande (une collecte ou un regroupement "
                "en cours, sans doute) : attendez quelques secondes, " + RELOAD)
    if isinstance(exc, sqlite3.Error):
        return (f"La base « {escape_markdown(db_path)} » n'a pas pu être lue : elle est peut-être "
                f"endommagée. Vérifiez le disque, ou {OTHER_DB}.")
    if elastic and isinstance(exc, NetworkError):
        return ("Le moteur de recherche Elasticsearch ne répond pas. Démarrez-le ou corrigez "
                "son adresse (`PANNES_ES_URL`), ou revenez à la recherche dans la base locale "
                "(`search_backend = \"sqlite\"` dans la configuration ou "
                "`PANNES_SEARCH_BACKEND=sqlite`), " + RELOAD)
    if elastic and isinstance(exc, ConfigError):
        return ("La connexion à Elasticsearch est mal configurée (adresse, identifiants ou "
                "index) : corrigez la configuration comme indiqué ci-dessous, " + RELOAD)
    if elastic:
        return ("Elasticsearch a refusé la recherche. Si son index est vide ou ancien, "
                "remplissez-le avec `pannes reindex --to elasticsearch`, " + RELOAD)
    if isinstance(exc, StoreError) and "newer than" in text:
        return ("Cette base a été écrite par une version plus récente de pannes : mettez pannes "
                f"à jour, ou {OTHER_DB}.")
    if isinstance(exc, StoreError):
        return (f"La base « {escape_markdown(db_path)} » ne peut pas être ouverte : ce n'est "
                f"peut-être pas une base pannes, ou elle est endommagée. Vérifiez le chemin, ou "
                f"{OTHER_DB}.")
    if isinstance(exc, ConfigError):
        return ("La configuration est incorrecte : corrigez le fichier de configuration ou la "
                "variable d'environnement indiquée ci-dessous, " + RELOAD)
    if isinstance(exc, PannesError):
        return "Corrigez le problème indiqué ci-dessous, " + RELOAD
    return "Rechargez cette page ; si l'erreur revient, le détail ci-dessous aide à la corriger."


def failure_fr(exc: BaseException, *, db_path: str, backend: str) -> str:
    """Markdown for an error box: the advice in French, then the original message as a detail."""
    detail = escape_markdown(str(exc)) or type(exc).__name__
    return f"{_advice(exc, db_path, backend)}\n\nDétail technique (en anglais) : {detail}"
