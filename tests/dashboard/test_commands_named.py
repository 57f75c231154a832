"""The dashboard's "run this command" advice names commands the CLI really has."""

from __future__ import annotations

import argparse
import re
from datetime import date

from pannes.app.cli import build_parser
from pannes.records import Article

COMMAND = re.compile(r"`pannes ([a-z][a-z-]*)")


def cli_commands() -> set[str]:
    """The sub-command names of `pannes`, read from its parser."""
    parser = build_parser()
    return {name for action in parser._actions
            if isinstance(action, argparse._SubParsersAction) for name in action.choices}


def named_commands(texts: list[str]) -> set[str]:
    return {name for text in texts for name in COMMAND.findall(text)}


def test_the_cli_has_the_grouping_commands():
    assert {"crawl", "tag", "group", "update", "demo"} <= cli_commands()
    assert "incidents" not in cli_commands()


def test_the_empty_store_message_names_real_commands(open_app, make_store):
    at = open_app(make_store("vide.db").path)
    named = named_commands([i.value for i in at.info])
    assert {"update", "group"} <= named
    assert named <= cli_commands(), named - cli_commands()


def test_no_incident_messages_name_real_commands(open_app, make_store):
    store = make_store("sans-incidents.db")
    store.upsert_article(Article(url="https://lefilinfo.test/a", source="lefilinfo",
                                 title="Un article", text="Rien à signaler.",
                                 published=date(2025, 6, 2)))
    vendors = open_app(store.path, page="fournisseurs")
    week = open_app(store.path, page="semaine", params={"jour": "2025-06-04"})
    texts = [i.value for i in vendors.info] + [c.value for c in week.caption]
    named = named_commands(texts)
    assert "group" in named
    assert named <= cli_commands(), named - cli_commands()
