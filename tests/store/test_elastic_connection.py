"""How the Elasticsearch client connects: HTTPS with the cluster's own CA, auth from the env.

The loopback server is the one of the other backend tests; for HTTPS it is wrapped in TLS with
a certificate signed by a CA made for the test, as a self-managed Elasticsearch 8+ does.
"""

from __future__ import annotations

import ssl
import threading
from datetime import UTC, datetime, timedelta
from ipaddress import IPv4Address
from pathlib import Path

import pytest
from pannes.store.elastic import ElasticsearchBackend

from pannes.config import ElasticSettings, load_settings
from pannes.errors import ConfigError, NetworkError
from tests.store.fake_elasticsearch import FakeElasticsearch


def settings_with_ca(url: str, ca_certs: str) -> ElasticSettings:
    return ElasticSettings(url=url, index_prefix="tls", ca_certs=ca_certs)


def _write_ca_and_server_cert(folder: Path) -> tuple[Path, Path, Path]:
    """A CA (as Elasticsearch's http_ca.crt) and a 127.0.0.1 certificate it signed."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    now = datetime.now(UTC)
    ca_key = ec.generate_private_key(ec.SECP256R1())
    ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Elasticsearch security "
                                                                 "auto-configuration HTTP CA")])
    ca = (x509.CertificateBuilder().subject_name(ca_name).issuer_name(ca_name)
          .public_key(ca_key.public_key()).serial_number(x509.random_serial_number())
          .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
          .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
          .add_extension(x509.KeyUsage(digital_signature=True, key_cert_sign=True, crl_sign=True,
                                       content_commitment=False, key_encipherment=False,
                                       data_encipherment=False, key_agreement=False,
                                       encipher_only=False, decipher_only=False), critical=True)
          .add_extension(x509.SubjectKeyIdentifier.from_public_key(ca_key.public_key()),
                         critical=False)
          .sign(ca_key, hashes.SHA256()))
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
            .add_extension(x509.SubjectAlternativeName([x509.IPAddress(IPv4Address("127.0.0.1"))]),
                           critical=False)
            .add_extension(x509.ExtendedKeyUsage([x509.oid.ExtendedKeyUsageOID.SERVER_AUTH]),
                           critical=False)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(ca_key.public_key()),
                           critical=False)
            .sign(ca_key, hashes.SHA256()))
    pem = serialization.Encoding.PEM
    ca_path, cert_path, key_path = folder / "http_ca.crt", folder / "http.crt", folder / "http.key"
    ca_path.write_bytes(ca.public_bytes(pem))
    cert_path.write_bytes(cert.public_bytes(pem))
    key_path.write_bytes(key.private_bytes(pem, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return ca_path, cert_path, key_path


@pytest.fixture
def https_es(tmp_path):
    """The loopback server behind HTTPS; yields (server, https URL, CA bundle path)."""
    ca_path, cert_path, key_path = _write_ca_and_server_cert(tmp_path)
    server = FakeElasticsearch()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert_path, key_path)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    yield server, f"https://127.0.0.1:{server.server_address[1]}", ca_path
    server.shutdown()
    server.server_close()


# ------------------------------------------------------------------------------- CA bundle


def test_https_with_the_clusters_ca_bundle(https_es):
    server, url, ca_path = https_es
    backend = ElasticsearchBackend(settings_with_ca(url, str(ca_path)))
    assert set(backend.setup()) == {"tls-articles", "tls-incidents"}
    assert server.requests  # went through TLS, certificate verified against the bundle
    backend.close()


def test_https_without_the_ca_bundle_is_refused(https_es):
    _, url, _ = https_es
    backend = ElasticsearchBackend(ElasticSettings(url=url, index_prefix="tls"))
    with pytest.raises(NetworkError, match="TLS failed.*certificate"):
        backend.setup()


def test_missing_ca_bundle_file_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="PANNES_ES_CA_CERTS .* is not a file"):
        ElasticsearchBackend(settings_with_ca("https://127.0.0.1:9200",
                                              str(tmp_path / "absent.crt")))


def test_ca_bundle_from_the_environment(https_es, monkeypatch):
    _, url, ca_path = https_es
    settings = load_settings(env={"PANNES_ES_URL": url, "PANNES_ES_CA_CERTS": str(ca_path),
                                  "PANNES_CONFIG": "/dev/null"})
    ElasticsearchBackend(settings.elasticsearch).setup()


# ------------------------------------------------------------------------------- auth from env


@pytest.fixture
def es_env(es, no_config):
    no_config.setenv("PANNES_ES_URL", es.url)
    return no_config


def backend_from_env() -> ElasticsearchBackend:
    return ElasticsearchBackend(load_settings().elasticsearch)


def test_api_key_from_the_environment(es, es_env):
    es_env.setenv("PANNES_ES_API_KEY", "VnVBQ2ZHY0JDZGJrUW06dWk=")
    backend_from_env().setup()
    assert set(es.auth) == {"ApiKey VnVBQ2ZHY0JDZGJrUW06dWk="}


def test_basic_auth_from_the_environment(es, es_env):
    es_env.setenv("PANNES_ES_USERNAME", "veille")
    es_env.setenv("PANNES_ES_PASSWORD", "mot de passe é")
    backend_from_env().setup()
    assert set(es.auth) == {"Basic dmVpbGxlOm1vdCBkZSBwYXNzZSDDqQ=="}  # veille:mot de passe é


def test_api_key_wins_over_basic_auth(es, es_env):
    es_env.setenv("PANNES_ES_API_KEY", "Y2xlZg==")
    es_env.setenv("PANNES_ES_USERNAME", "veille")
    es_env.setenv("PANNES_ES_PASSWORD", "secret")
    backend_from_env().setup()
    assert set(es.auth) == {"ApiKey Y2xlZg=="}


def test_no_credentials_sends_no_authorization(es, es_env):
    backend_from_env().setup()
    assert es.auth and set(es.auth) == {None}


def test_username_without_password_from_the_environment(es, es_env):
    es_env.setenv("PANNES_ES_USERNAME", "veille")
    with pytest.raises(ConfigError, match="needs both PANNES_ES_USERNAME and PANNES_ES_PASSWORD"):
        backend_from_env()
    assert es.requests == []
