"""`pannes dashboard`: the Streamlit dashboard on a database (French UI, in the browser)."""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
import webbrowser
from importlib import resources
from pathlib import Path

from pannes.app.commands import Context, add_command
from pannes.editors import EditorsFile
from pannes.errors import UserInputError
from pannes.processes import stop_process

log = logging.getLogger(__name__)

DEFAULT_PORT = 8501
DEFAULT_ADDRESS = "127.0.0.1"

EPILOG = """\
The dashboard reads the database chosen by --db (or PANNES_DB, or the configured default);
an empty or missing database shows how to fill it (`pannes demo`, `pannes crawl`).

Reading needs no sign-in. Corrections (fields, merges, splits) need an editor signed in; with
no editor configured, the dashboard is read-only. Editors sign in
  - with the newsroom's OpenID Connect provider (Keycloak, Microsoft Entra ID, Google):
    configure Streamlit's st.login in .streamlit/secrets.toml (an [auth] section with
    redirect_uri = "https://HOST/oauth2callback", cookie_secret, client_id, client_secret,
    server_metadata_url; in the directory the dashboard runs from, or ~/.streamlit/), then
    list who may correct in the setting dashboard.oidc_editors (addresses, "@domain" or "*");
  - or with a name and password: `pannes editors add NAME` (argon2 hashes in the editors
    file, setting dashboard.editors_file).
Each correction records the signed-in identity. Served beyond this machine (--address), put
the dashboard behind HTTPS (a reverse proxy) so that passwords and sessions are not sent in
clear.

examples:
  pannes dashboard                      open it in the browser on http://127.0.0.1:8501
  pannes dashboard --port 8600 --no-browser
  pannes editors add camille            then sign in as camille from the sidebar
"""


def app_path() -> Path:
    """The dashboard's Streamlit script, wherever pannes is installed."""
    return Path(str(resources.files("pannes.dashboard").joinpath("app.py")))


def port_is_free(port: int, address: str = DEFAULT_ADDRESS) -> bool:
    """Whether a server could listen on `port` (as Streamlit does: SO_REUSEADDR, so closed
    connections still in TIME_WAIT do not count as a listener)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind((address if address != "0.0.0.0" else "", port))
        except OSError:
            return False
    return True


def free_port(preferred: int = DEFAULT_PORT, address: str = DEFAULT_ADDRESS) -> int:
    """`preferred` when free, else one the system hands out (0: always the system's)."""
    if preferred and port_is_free(preferred, address):
        return preferred
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((DEFAULT_ADDRESS, 0))
        return int(sock.getsockname()[1])


def streamlit_command(db_path: Path, *, port: int, address: str = DEFAULT_ADDRESS,
                      config_file: Path | None = None) -> list[str]:
    """The `streamlit run` command line; the database goes to the script after `--`."""
    command = [
        sys.executable, "-m", "streamlit", "run", str(app_path()),
        "--server.port", str(port),
        "--server.address", address,
        "--server.headless", "true",  # we open the browser ourselves, once it answers
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
        "--client.toolbarMode", "minimal",
        "--theme.base", "light",
        "--",
        "--db", str(db_path),
    ]
    if config_file is not None:
        command += ["--config", str(config_file)]
    return command


def wait_until_up(url: str, *, timeout: float = 60.0,
                  process: subprocess.Popen | None = None) -> bool:
    """Poll Streamlit's health endpoint until it answers (False on timeout or exit)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return False
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return True
        except OSError:
            pass
        time.sleep(0.3)
    return False


def launch_dashboard(db_path: Path, *, port: int | None = None, open_browser: bool = True,
                     address: str = DEFAULT_ADDRESS, config_file: Path | None = None,
                     editors_file: Path | None = None) -> int:
    """Serve the dashboard on `db_path` until interrupted (Ctrl-C); returns the exit code.
    `editors_file` overrides the configured local editors file."""
    db_path = Path(db_path).expanduser().resolve()
    chosen = port if port is not None else free_port(DEFAULT_PORT, address)
    if port is not None and not port_is_free(port, address):
        raise UserInputError(f"Port {port} is already in use: choose another with --port.")
    host = "127.0.0.1" if address in ("0.0.0.0", "") else address
    url = f"http://{host}:{chosen}"
    env = dict(os.environ, PANNES_DB=str(db_path))
    if editors_file is not None:
        env["PANNES_EDITORS_FILE"] = str(Path(editors_file).expanduser().resolve())
    command = streamlit_command(db_path, port=chosen, address=address, config_file=config_file)
    log.debug("running %s", command)
    process = subprocess.Popen(command, env=env)
    print(f"pannes dashboard: {url} (database {db_path}); press Ctrl-C to stop.",
          file=sys.stderr, flush=True)
    if open_browser:
        def _open() -> None:
            if wait_until_up(url, process=process):
                webbrowser.open(url)
        threading.Thread(target=_open, daemon=True).start()
    previous = None
    if threading.current_thread() is threading.main_thread():
        # Stopped by a service manager (SIGTERM): stop Streamlit too, not only this wrapper.
        previous = signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    try:
        return process.wait()
    except KeyboardInterrupt:
        return 0
    finally:
        stop_process(process, grace=10)
        if previous is not None:
            signal.signal(signal.SIGTERM, previous)


def _port(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        number = 0
    if not 1 <= number <= 65535:
        raise argparse.ArgumentTypeError(f"not a port number (1-65535): {value!r}")
    return number


def run(args: argparse.Namespace, ctx: Context) -> int:
    settings = ctx.settings
    if not Path(settings.db_path).is_file():
        ctx.progress(f"No database at {settings.db_path} yet: the dashboard will show how to "
                     "fill it (`pannes demo`, `pannes crawl`).")
    editors = args.editors_file or settings.dashboard.editors_file
    names = EditorsFile(editors).names()
    ctx.progress(f"Editors: {len(names)} with a password in {editors}"
                 + ("; corrections need a sign-in." if names else
                    " (`pannes editors add NAME`); OpenID Connect sign-in if "
                    ".streamlit/secrets.toml has an [auth] section. Without editors the "
                    "dashboard is read-only."))
    return launch_dashboard(settings.db_path, port=args.port, open_browser=not args.no_browser,
                            address=args.address,
                            config_file=getattr(args, "config", None),
                            editors_file=args.editors_file)


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = add_command(
        subparsers, "dashboard",
        help="open the dashboard (timeline, vendors, incidents) in the browser",
        func=run, epilog=EPILOG,
        description="Serve the French-language Streamlit dashboard on the database: a "
                    "searchable timeline of incidents, vendor comparison, incident pages with "
                    "evidence and corrections, this week's incidents, crawl status.")
    parser.add_argument("--port", type=_port, default=None,
                        help=f"port to serve on (default: {DEFAULT_PORT}, or a free one)")
    parser.add_argument("--address", default=DEFAULT_ADDRESS,
                        help="address to listen on (default: 127.0.0.1, this machine only; "
                             "0.0.0.0 for every interface, behind an HTTPS proxy)")
    parser.add_argument("--editors-file", type=Path, default=None, metavar="FILE",
                        help="the local editors file (default: the dashboard.editors_file "
                             "setting, PANNES_EDITORS_FILE, or <user config dir>/editors.txt)")
    parser.add_argument("--no-browser", action="store_true",
                        help="do not open a browser window")
