"""Read-only unless signed in (AppTest): no correction form without an editor, local editors
sign in and out, failed sign-ins wait, identities from an OpenID Connect provider."""

from __future__ import annotations

import logging

from pannes.dashboard import auth
from pannes.dashboard.signin_panel import READ_ONLY, SIGN_IN_TO_CORRECT, TITLE
from pannes.store import open_store

from pannes.editors import EditorsFile
from tests.dashboard.conftest import EDITOR, sign_in

NEBULOR = "inc-nebulor-2025-06"
FIELD_BUTTON = "Enregistrer la correction"
FORM_BUTTONS = {FIELD_BUTTON, "Fusionner avec cet incident", "Scinder l'incident",
                "Enregistrer la correction de l'article"}
OIDC = {"auth": {"redirect_uri": "http://127.0.0.1:8501/oauth2callback",
                 "cookie_secret": "un secret de test assez long pour signer",
                 "client_id": "pannes", "client_secret": "secret",
                 "server_metadata_url": "http://127.0.0.1:9/.well-known/openid-configuration"}}


def open_incident(open_app, db, **kwargs):
    return open_app(db, page="incident", params={"id": NEBULOR}, **kwargs)


def form_buttons(at) -> set[str]:
    return {b.label for b in at.button} & FORM_BUTTONS


def captions(at) -> list[str]:
    return [c.value for c in at.caption]


def correct_cause(at, cause: str = "power"):
    at.selectbox(key=f"champ_{NEBULOR}").select("cause").run()
    at.selectbox(key=f"valeur_cause_{NEBULOR}").select(cause)
    next(b for b in at.button if b.label == FIELD_BUTTON).click().run()
    return at


def test_without_editors_the_dashboard_is_read_only(open_app, fixture_db):
    at = open_incident(open_app, fixture_db)
    assert form_buttons(at) == set()
    assert "Corriger, fusionner ou scinder cet incident" not in [e.label for e in at.expander]
    assert READ_ONLY in captions(at)
    assert TITLE not in [e.label for e in at.sidebar.expander]  # nobody could sign in
    assert not any(b.label == "Se connecter" for b in at.button)


def test_an_anonymous_session_sees_how_to_sign_in_but_no_form(open_app, fixture_db, editor):
    at = open_incident(open_app, fixture_db)
    assert form_buttons(at) == set()
    assert SIGN_IN_TO_CORRECT in captions(at)
    assert TITLE in [e.label for e in at.sidebar.expander]


def test_a_forged_sign_in_in_the_session_state_does_nothing_and_is_logged(
        open_app, fixture_db, editor, caplog):
    at = open_incident(open_app, fixture_db)
    at.session_state[auth.TOKEN] = "un-jeton-inventé"
    with caplog.at_level(logging.WARNING, logger="pannes.dashboard.auth"):
        at.run()
    assert form_buttons(at) == set()
    assert SIGN_IN_TO_CORRECT in captions(at)
    assert any("did not give" in r.getMessage() for r in caplog.records)
    assert auth.TOKEN not in at.session_state
    assert open_store(fixture_db).corrections() == []


def test_an_editor_signs_in_corrects_under_their_name_and_signs_out(open_app, fixture_db,
                                                                    editor):
    at = sign_in(open_incident(open_app, fixture_db))
    assert form_buttons(at) == FORM_BUTTONS
    assert f"Vos corrections sont enregistrées au nom de {EDITOR}." in captions(at)
    assert any(EDITOR in c for c in [c.value for c in at.sidebar.caption])
    correct_cause(at)
    [correction] = open_store(fixture_db).corrections()
    assert (correction.field, correction.value, correction.editor) == ("cause", "power", EDITOR)
    token = at.session_state[auth.TOKEN]

    next(b for b in at.sidebar.button if b.label == "Se déconnecter").click().run()
    assert form_buttons(at) == set()
    assert SIGN_IN_TO_CORRECT in captions(at)
    assert auth.sign_ins().find(token) is None  # the sign-in is over on the server too


def test_a_wrong_password_is_refused_and_the_next_attempt_must_wait(open_app, fixture_db,
                                                                   editor, caplog):
    at = open_incident(open_app, fixture_db)
    with caplog.at_level(logging.WARNING, logger="pannes.dashboard.auth"):
        sign_in(at, password="pas le bon mot de passe")
    assert [e.value for e in at.sidebar.error] == ["Nom ou mot de passe incorrect."]
    assert form_buttons(at) == set()
    assert any("failed sign-in as 'Camille Martin'" in r.getMessage() for r in caplog.records)
    # Straight away, even the right password waits (the name and this session failed).
    sign_in(at)
    assert at.sidebar.error[0].value.startswith("Trop de tentatives manquées")
    assert form_buttons(at) == set()


def test_an_unknown_name_is_refused_like_a_wrong_password(open_app, fixture_db, editor):
    at = sign_in(open_incident(open_app, fixture_db), name="Mallory")
    assert [e.value for e in at.sidebar.error] == ["Nom ou mot de passe incorrect."]
    assert form_buttons(at) == set()


def test_a_removed_editor_can_no_longer_correct(open_app, fixture_db, editor, editors_path,
                                                caplog):
    at = sign_in(open_incident(open_app, fixture_db))
    at.selectbox(key=f"champ_{NEBULOR}").select("cause").run()
    EditorsFile(editors_path).remove(EDITOR)  # `pannes editors remove` while the form is open
    at.selectbox(key=f"valeur_cause_{NEBULOR}").select("power")
    with caplog.at_level(logging.WARNING):
        next(b for b in at.button if b.label == FIELD_BUTTON).click().run()
    assert open_store(fixture_db).corrections() == []
    assert open_store(fixture_db).get_incident(NEBULOR).cause == "hardware"
    messages = [r.getMessage() for r in caplog.records]
    assert any("no longer in" in m for m in messages)
    assert any("refused a correction" in m for m in messages)
    assert any(e.value.startswith("Correction refusée") for e in at.error)
    assert form_buttons(at) == set()


OIDC_CONFIG = '[dashboard]\noidc_editors = ["@redaction.test"]\n'


def test_an_oidc_editor_corrects_under_their_address(open_app, fixture_db):
    user = {"is_logged_in": True, "email": "Camille@Redaction.test", "email_verified": True,
            "sub": "c-42", "name": "Camille"}
    at = open_incident(open_app, fixture_db, secrets=OIDC, user=user, config=OIDC_CONFIG)
    assert form_buttons(at) == FORM_BUTTONS
    correct_cause(at, "software_bug")
    [correction] = open_store(fixture_db).corrections()
    assert (correction.value, correction.editor) == ("software_bug", "camille@redaction.test")


def test_an_oidc_identity_not_on_the_list_cannot_correct(open_app, fixture_db):
    for user in ({"is_logged_in": True, "email": "pigiste@ailleurs.test", "sub": "p-1"},
                 {"is_logged_in": True, "email": "faux@redaction.test",
                  "email_verified": False, "sub": "f-1"}):
        at = open_incident(open_app, fixture_db, secrets=OIDC, user=user, config=OIDC_CONFIG)
        assert form_buttons(at) == set()
        assert any("n'est pas autorisée à corriger" in w.value for w in at.sidebar.warning)


def test_a_configured_provider_offers_its_sign_in(open_app, fixture_db):
    at = open_incident(open_app, fixture_db, secrets=OIDC, config=OIDC_CONFIG)
    assert form_buttons(at) == set()
    assert SIGN_IN_TO_CORRECT in captions(at)
    assert [b.label for b in at.sidebar.button] == ["Se connecter avec le fournisseur d'identité"]
    named = {"auth": {k: v for k, v in OIDC["auth"].items()
                      if k in ("redirect_uri", "cookie_secret")}}
    named["auth"]["keycloak"] = {k: v for k, v in OIDC["auth"].items()
                                 if k not in ("redirect_uri", "cookie_secret")}
    at = open_incident(open_app, fixture_db, secrets=named, config=OIDC_CONFIG)
    assert [b.label for b in at.sidebar.button] == ["Se connecter avec Keycloak"]


def test_oidc_allow_list():
    allowed = ("camille@redaction.test", "@agence.test")
    assert auth.oidc_allowed("camille@redaction.test", allowed)
    assert auth.oidc_allowed("leo@agence.test", allowed)
    assert not auth.oidc_allowed("leo@fausse-agence.test.evil", allowed)
    assert not auth.oidc_allowed("sub:@agence.test", allowed)
    assert not auth.oidc_allowed("leo@redaction.test", allowed)
    assert auth.oidc_allowed("sub:123", ("*",))
    assert not auth.oidc_allowed("camille@redaction.test", ())


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_each_failure_doubles_the_wait_up_to_a_cap():
    clock = Clock()
    throttle = auth.Throttle(first=1.0, cap=8.0, clock=clock)
    keys = ["name:camille", "session:a"]
    waits = []
    for _ in range(6):  # each attempt fails: the next one waits 1, 2, 4, 8, 8, 8 s
        assert throttle.begin(keys) == 0
        waits.append(throttle.begin(keys))
        clock.now += waits[-1]
    assert waits == [1.0, 2.0, 4.0, 8.0, 8.0, 8.0]
    # Another session trying the same name waits too; another name from a new session not.
    assert throttle.begin(["name:camille", "session:b"]) == 0  # the cap has passed
    assert throttle.begin(["name:camille", "session:c"]) == 8.0
    assert throttle.begin(["name:lea", "session:c"]) == 0
    throttle.succeeded(["name:lea", "session:c"])
    assert throttle.begin(["name:lea", "session:c"]) == 0


def test_a_local_sign_in_expires():
    clock = Clock()
    sign_ins = auth.SignIns(hours=1, clock=clock)
    token = sign_ins.open(EDITOR)
    assert sign_ins.find(token) == EDITOR
    assert sign_ins.find("autre") is None
    clock.now += 3601
    assert sign_ins.find(token) is None

