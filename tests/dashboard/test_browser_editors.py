"""Editors in a real browser (headless chromium): sign in with a password from the local
editors file, correct a field, sign out; a wrong password is refused; and the st.login path
end to end against an OpenID Connect provider started here on loopback (oidc-provider-mock).
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest
from pannes.store import open_store

from pannes.app.commands.dashboard import free_port
from pannes.editors import EditorsFile
from pannes.processes import stop_process
from tests.dashboard.browser import (
    MARKS,
    WAIT,
    expect,
    playwright_api,
    shoot,
    start_dashboard,
    wait_for_app,
)
from tests.dashboard.conftest import EDITOR, PASSWORD, fill_fixture_articles

# The provider runs in this process; its Authlib warns about its own deprecated calls.
pytestmark = [*MARKS, pytest.mark.filterwarnings("ignore::DeprecationWarning:authlib")]

NEBULOR = "/incident?id=inc-nebulor-2025-06"
TITLE = "Panne du centre de données de Nébulor"
OTHER, OTHER_PASSWORD = "Léa Dubois", "une autre phrase de passe"


def fixture_store(workdir: Path) -> Path:
    store = open_store(workdir / "pannes.db")
    fill_fixture_articles(store)
    store.close()
    return workdir / "pannes.db"


@pytest.fixture(scope="module")
def local(tmp_path_factory) -> Iterator[tuple[str, Path]]:
    """A dashboard with two local editors; yields its URL and database."""
    workdir = tmp_path_factory.mktemp("editeurs")
    db = fixture_store(workdir)
    editors = EditorsFile(workdir / "editors.txt")
    editors.add(EDITOR, PASSWORD)
    editors.add(OTHER, OTHER_PASSWORD)
    # A failed sign-in makes the next attempt wait 30 s here (1 s by default): the test's
    # next attempt comes within that on a loaded machine too.
    process, url = start_dashboard(db, workdir, editors=editors.path,
                                   config="[dashboard]\nsignin_delay = 30\n")
    yield url, db
    stop_process(process)


def sidebar(page):
    return page.locator('[data-testid="stSidebar"]')


def sign_in_locally(page, name: str, password: str) -> None:
    side = sidebar(page)
    side.get_by_text("Connexion des éditeurs").click()
    side.get_by_label("Nom", exact=True).fill(name)
    side.get_by_label("Mot de passe", exact=True).fill(password)
    side.get_by_role("button", name="Se connecter").click()


def pick(page, label: str, option: str) -> None:
    """Choose an option of the visible selectbox labelled `label` (a rerun landing as the
    list opens closes it: then open it again)."""
    box = page.get_by_role("combobox", name=label).filter(visible=True)
    for attempt in range(3):
        box.click()
        try:
            page.get_by_role("option", name=option, exact=True).click(timeout=WAIT // 6)
        except playwright_api.TimeoutError:
            if attempt == 2:
                raise
            continue
        expect(box).to_have_value(option)
        return


def correct_the_cause(page, cause: str) -> None:
    page.get_by_text("Corriger, fusionner ou scinder cet incident").click()
    pick(page, "Champ à corriger", "Cause")
    pick(page, "Nouvelle valeur", cause)
    page.get_by_role("button", name="Enregistrer la correction", exact=True).click()


def test_an_anonymous_reader_sees_no_form(page, local):
    url, _ = local
    page.goto(url + NEBULOR)
    wait_for_app(page, TITLE)
    expect(page.get_by_text("Pour corriger cet incident, connectez-vous")).to_be_visible()
    expect(page.get_by_text("Corriger, fusionner ou scinder cet incident")).to_have_count(0)
    expect(page.get_by_role("button", name="Enregistrer la correction")).to_have_count(0)
    assert page.dialogs == []


def test_an_editor_signs_in_corrects_a_field_and_signs_out(page, local):
    url, db = local
    page.goto(url + NEBULOR)
    wait_for_app(page, TITLE)
    sign_in_locally(page, EDITOR, PASSWORD)
    expect(sidebar(page).get_by_text(f"Connecté(e) : {EDITOR}")).to_be_visible()
    expect(page.get_by_text("Pour corriger cet incident, connectez-vous")).to_have_count(0)
    correct_the_cause(page, "Alimentation électrique")
    expect(page.get_by_text(f"Correction du champ « Cause » enregistrée au nom de {EDITOR}")
           ).to_be_visible()
    shoot(page, "12-correction-editeur")
    with open_store(db) as store:
        [correction] = store.corrections()
        assert (correction.field, correction.value, correction.editor) == (
            "cause", "power", EDITOR)
        assert store.get_incident("inc-nebulor-2025-06").cause == "power"

    sidebar(page).get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_text("Pour corriger cet incident, connectez-vous")).to_be_visible()
    expect(page.get_by_text("Corriger, fusionner ou scinder cet incident")).to_have_count(0)
    expect(sidebar(page).get_by_text("Connecté(e)")).to_have_count(0)
    # Signed out, the session is over: a reload is anonymous too.
    page.reload()
    wait_for_app(page, TITLE)
    expect(page.get_by_text("Pour corriger cet incident, connectez-vous")).to_be_visible()


def test_a_wrong_password_is_refused(page, local):
    url, db = local
    page.goto(url + NEBULOR)
    wait_for_app(page, TITLE)
    before = len(open_store(db).corrections())
    sign_in_locally(page, OTHER, "pas le bon mot de passe")
    expect(sidebar(page).get_by_text("Nom ou mot de passe incorrect.")).to_be_visible()
    expect(page.get_by_text("Corriger, fusionner ou scinder cet incident")).to_have_count(0)
    # The right password straight after a failure waits its turn.
    side = sidebar(page)
    side.get_by_label("Nom", exact=True).fill(OTHER)
    side.get_by_label("Mot de passe", exact=True).fill(OTHER_PASSWORD)
    side.get_by_role("button", name="Se connecter").click()
    expect(side.get_by_text(re.compile(r"Trop de tentatives manquées : réessayez dans \d+ s"))
           ).to_be_visible()
    expect(side.get_by_text("Connecté(e)")).to_have_count(0)
    assert len(open_store(db).corrections()) == before


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    """An OpenID Connect provider on loopback: any subject typed in its form signs in, with
    that subject as e-mail address."""
    from oidc_provider_mock import run_server_in_thread

    with run_server_in_thread(port=0) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def oidc(tmp_path_factory, provider) -> Iterator[tuple[str, Path]]:
    """A dashboard whose editors sign in with `provider` (secrets.toml as Streamlit documents
    it), those of @redaction.test allowed to correct; no local editor."""
    workdir = tmp_path_factory.mktemp("oidc")
    db = fixture_store(workdir)
    port = free_port(0)
    (workdir / ".streamlit").mkdir()
    (workdir / ".streamlit" / "secrets.toml").write_text(textwrap.dedent(f"""\
        [auth]
        redirect_uri = "http://127.0.0.1:{port}/oauth2callback"
        cookie_secret = "un secret de cookie pour le test, assez long"
        client_id = "pannes-dashboard"
        client_secret = "secret-du-client"
        server_metadata_url = "{provider}/.well-known/openid-configuration"
        """), encoding="utf-8")
    config = '[dashboard]\noidc_editors = ["@redaction.test"]\n'
    process, url = start_dashboard(db, workdir, port=port, config=config)
    yield url, db
    stop_process(process)


def sign_in_with_provider(page, url: str, subject: str) -> None:
    page.goto(url + NEBULOR)
    wait_for_app(page, TITLE)
    sidebar(page).get_by_text("Connexion des éditeurs").click()
    sidebar(page).get_by_role("button", name="Se connecter avec le fournisseur d'identité").click()
    page.wait_for_url("**/oauth2/authorize**", timeout=WAIT)  # the provider's own page
    page.locator("input[name=sub]").fill(subject)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(url + "/**", timeout=WAIT)  # back, signed in, on the home page


def test_st_login_with_an_openid_connect_provider(page, oidc):
    url, db = oidc
    sign_in_with_provider(page, url, "camille@redaction.test")
    wait_for_app(page, "Chronologie des pannes")
    expect(sidebar(page).get_by_text("Connecté(e) : camille@redaction.test")).to_be_visible()
    page.goto(url + NEBULOR)  # Streamlit's identity cookie keeps the sign-in
    wait_for_app(page, TITLE)
    correct_the_cause(page, "Erreur humaine")
    expect(page.get_by_text("enregistrée au nom de camille@redaction.test")).to_be_visible()
    with open_store(db) as store:
        [correction] = store.corrections()
        assert (correction.value, correction.editor) == ("human_error", "camille@redaction.test")

    sidebar(page).get_by_role("button", name="Se déconnecter").click()
    # Streamlit ends the session at the provider too (its end_session page), then comes back.
    # (Its page, not its address: playwright may miss the redirect chain's URL change.)
    end_session = page.get_by_role("button", name="End session")
    expect(end_session).to_be_visible(timeout=WAIT)
    end_session.click()
    page.wait_for_url(url + "/**", timeout=WAIT)
    page.goto(url + NEBULOR)
    wait_for_app(page, TITLE)
    expect(page.get_by_text("Pour corriger cet incident, connectez-vous")).to_be_visible()
    expect(sidebar(page).get_by_text("Connecté(e)")).to_have_count(0)


def test_an_identity_the_settings_do_not_list_cannot_correct(page, oidc):
    url, db = oidc
    before = len(open_store(db).corrections())
    sign_in_with_provider(page, url, "pigiste@ailleurs.test")
    wait_for_app(page, "Chronologie des pannes")
    page.goto(url + NEBULOR)
    wait_for_app(page, TITLE)
    expect(sidebar(page).get_by_text("Connecté(e) : pigiste@ailleurs.test")).to_be_visible()
    expect(sidebar(page).get_by_text("n'est pas autorisée à corriger")).to_be_visible()
    expect(page.get_by_text("Corriger, fusionner ou scinder cet incident")).to_have_count(0)
    assert len(open_store(db).corrections()) == before
