"""Soak test: the newsroom's writers and readers at once on one database, for N minutes.

Run on demand (not in CI); the report goes to bench/results/soak.{json,md}:

    nice python -m bench.soak --minutes 10

At once, until the time is up:
- the demo site (all outlets, on loopback) publishes a new article every `--publish-every`
  seconds (texts invented here);
- `pannes update` runs again and again against it (crawl, tag what is new, group);
- `pannes tag --retag` runs again and again;
- an editor signs in (local editors file) and corrects incidents' causes in headless
  chromium, through the dashboard served by `streamlit run` on the same database;
- merges, splits, moves and article date corrections go through the store's correction API
  (what the dashboard's forms call), in its own process;
- a reader loads the dashboard's pages (AppTest, its own process).
Then one last `pannes update`, and the checks: every article served is stored once (lost,
doubled), every correction made is in the audit trail and shown by its incident (found), a
full recomputation of the incidents changes nothing, and every error any process met
("database is locked" counted apart).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"
APP = ROOT / "dashboard" / "app.py"
PAGES = ["views/chronologie.py", "views/fournisseurs.py", "views/semaine.py",
         "views/collecte.py", "views/incident.py"]
CAUSES = ["hardware", "power", "software_bug", "configuration_change", "network"]
LOCKED = "database is locked"
CHROMIUM = "/usr/bin/chromium"  # Debian's
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]
WAIT_MS = 90_000  # how long one step in the browser may take on a busy machine

EDITORS = ["Éditrice Une", "Éditeur Deux", "Éditrice Trois"]
PASSWORD = "une phrase de passe d'essai"
VENDORS = ["Soakivo Réseaux", "Fibrelune", "Calidor Cloud", "Pivonet", "Mistralys Paiement"]
CITIES = ["Rennes", "Dijon", "Nantes", "Metz", "Pau", "Brest"]


def invented_article(n: int, outlet: str) -> dict[str, Any]:
    """A new outage story (invented), as a demo corpus line."""
    vendor, city = VENDORS[n % len(VENDORS)], CITIES[n % len(CITIES)]
    hours = 2 + n % 9
    return {
        "id": f"soak-{n}", "outlet": outlet, "slug": f"soak-{n}-panne-{city.lower()}",
        "section": "Réseaux", "title": f"{vendor} : panne de {hours} heures à {city} (n° {n})",
        "standfirst": "", "author": "Rédaction d'essai",
        "published": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M"), "updated": None,
        "language": "fr", "syndicated_from": None, "gold": {"is_outage": True},
        "text": (f"Les clients de {vendor} à {city} ont été privés de service pendant {hours} "
                 f"heures mardi, à la suite d'une panne d'un équipement de routage.\n\n"
                 f"« Un routeur défaillant a interrompu le service », a indiqué {vendor} dans "
                 f"un message publié en fin de matinée, en présentant ses excuses.\n\n"
                 f"Le service a été rétabli dans l'après-midi, selon l'opérateur, qui promet "
                 f"un rapport détaillé sur l'incident numéro {n}."),
    }


class Log:
    """Events and errors of every process, with the time they happened."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.runs: Counter[str] = Counter()
        self.errors: list[dict[str, Any]] = []

    def run(self, kind: str) -> None:
        with self.lock:
            self.runs[kind] += 1

    def error(self, kind: str, message: str) -> None:
        with self.lock:
            self.errors.append({"at": datetime.now(UTC).isoformat(timespec="seconds"),
                                "kind": kind, "message": message[-2000:]})


def _pannes(args: list[str], env: dict[str, str], log: Log, kind: str,
            timeout: float = 900) -> None:
    command = [str(Path(sys.executable).with_name("pannes")), *args]
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        log.error(kind, f"timed out after {timeout} s")
        return
    log.run(kind)
    output = done.stdout + done.stderr
    if done.returncode != 0 or "Traceback" in output or LOCKED in output:
        log.error(kind, f"exit {done.returncode}: {output}")


def _loop(stop: threading.Event, pause: float, work: Any) -> None:
    while not stop.is_set():
        work()
        stop.wait(pause)


# ---------------------------------------------------------------------- dashboard roles


def _apptest(db: Path, page: str, params: dict[str, str] | None = None) -> Any:
    from streamlit.testing.v1 import AppTest

    os.environ["PANNES_DB"] = str(db)
    at = AppTest.from_file(str(APP), default_timeout=120)
    at.run()
    at.switch_page(page)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    return at


def role_reader(db: Path, until: float, out: Path) -> None:
    """Load the dashboard's pages one after another until `until`."""
    loads, errors = 0, []
    while time.time() < until:
        for page in PAGES:
            started = time.perf_counter()
            try:
                at = _apptest(db, page)
                problems = [e.message for e in at.exception]
            except Exception as exc:  # any failure of a page load is a finding
                problems = [f"{type(exc).__name__}: {exc}"]
            loads += 1
            if problems:
                errors.append({"page": page, "errors": problems})
            elapsed = time.perf_counter() - started
            with out.open("a", encoding="utf-8") as fh:
                fh.write(json.dumps({"page": page, "seconds": round(elapsed, 2),
                                     "errors": problems}, ensure_ascii=False) + "\n")


def role_editor(db: Path, until: float, out: Path, seed: int) -> None:
    """Sign in and correct incidents' causes in headless chromium, through the dashboard
    served by `streamlit run` (as `pannes dashboard` runs it), until `until`."""
    from pannes.store import open_store
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    from playwright.sync_api import expect, sync_playwright

    from pannes.app.commands.dashboard import free_port, streamlit_command, wait_until_up
    from pannes.labels import CAUSE_FR
    from pannes.processes import stop_process

    expect.set_options(timeout=WAIT_MS)
    port = free_port(0)
    log = (out.parent / "streamlit.log").open("w", encoding="utf-8")
    server = subprocess.Popen(streamlit_command(db, port=port), stdout=log,
                              stderr=subprocess.STDOUT, cwd=out.parent)
    url = f"http://127.0.0.1:{port}"
    rng = random.Random(seed)
    try:
        if not wait_until_up(url, timeout=120, process=server):
            raise RuntimeError("the dashboard did not start")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            n = 0
            while time.time() < until:
                with open_store(db, read_only=True) as store:
                    incidents = [i.id for i in store.list_incidents()
                                 if not i.known_from_mentions]
                if not incidents:
                    time.sleep(2)
                    continue
                n += 1
                record: dict[str, Any] = {"incident": rng.choice(incidents),
                                          "cause": CAUSES[n % len(CAUSES)],
                                          "editor": EDITORS[n % len(EDITORS)]}
                context = browser.new_context(viewport={"width": 1400, "height": 2200},
                                              locale="fr-FR")
                context.set_default_timeout(WAIT_MS)
                page = context.new_page()
                started = time.perf_counter()
                try:
                    page.goto(f"{url}/incident?id={record['incident']}")
                    _browser_correction(page, expect, PlaywrightTimeout, record,
                                        CAUSE_FR[record["cause"]])
                    record["confirmed"] = True
                    record["errors"] = []
                except Exception as exc:  # a failed correction is a finding, not a crash
                    record["confirmed"] = False
                    record["errors"] = [f"{type(exc).__name__}: {str(exc)[:500]}"]
                record["seconds"] = round(time.perf_counter() - started, 2)
                context.close()
                with out.open("a", encoding="utf-8") as fh:
                    fh.write(json.dumps(record, ensure_ascii=False) + "\n")
            browser.close()
    finally:
        stop_process(server)


def _browser_correction(page: Any, expect: Any, timeout_error: type, record: dict[str, Any],
                        cause_label: str) -> None:
    """Sign in from the sidebar, correct the cause, wait for the confirmation."""
    side = page.locator('[data-testid="stSidebar"]')
    side.get_by_text("Connexion des éditeurs").click()
    side.get_by_label("Nom", exact=True).fill(record["editor"])
    side.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    side.get_by_role("button", name="Se connecter").click()
    expect(side.get_by_text(f"Connecté(e) : {record['editor']}")).to_be_visible()
    page.get_by_text("Corriger, fusionner ou scinder cet incident").click()
    for label, option in (("Champ à corriger", "Cause"), ("Nouvelle valeur", cause_label)):
        box = page.get_by_role("combobox", name=label).filter(visible=True)
        for attempt in range(3):  # a rerun landing as the list opens closes it
            box.click()
            try:
                page.get_by_role("option", name=option, exact=True).click(timeout=WAIT_MS // 6)
                break
            except timeout_error:
                if attempt == 2:
                    raise
        expect(box).to_have_value(option)
    page.get_by_role("button", name="Enregistrer la correction", exact=True).click()
    expect(page.get_by_text(f"enregistrée au nom de {record['editor']}")).to_be_visible()


def role_api_editor(db: Path, until: float, out: Path, seed: int) -> None:
    """Merge, split, move articles and correct articles' dates through the store's correction
    API (what the dashboard's forms call), until `until`."""
    from pannes.incidents.corrections import (
        correct_article,
        merge_incidents,
        split_incident,
    )
    from pannes.store import open_store

    rng = random.Random(seed)
    n = 0
    while time.time() < until:
        n += 1
        kind = ("merge", "split", "move", "article_end")[n % 4]
        record: dict[str, Any] = {"kind": kind, "editor": "API"}
        started = time.perf_counter()
        try:
            with open_store(db) as store:
                by_vendor: dict[str, list[Any]] = {}
                for incident in store.list_incidents():
                    if incident.vendors and incident.article_ids:
                        by_vendor.setdefault(incident.vendors[0], []).append(incident)
                pairs = [v for v in by_vendor.values() if len(v) >= 2]
                big = [i for v in by_vendor.values() for i in v if len(i.article_ids) >= 2]
                if kind == "merge" and pairs:
                    a, b = rng.sample(rng.choice(pairs), 2)
                    merge_incidents(store, a.id, b.id, "API")
                    record["target"] = a.id
                elif kind == "split" and big:
                    a = rng.choice(big)
                    record["target"] = split_incident(store, a.id, a.article_ids[-1:], "API").id
                elif kind == "move" and pairs:
                    a, b = rng.sample(rng.choice(pairs), 2)
                    correct_article(store, a.article_ids[0], "incident", b.id, "API")
                    record["target"] = str(a.article_ids[0])
                elif kind == "article_end" and big:
                    a = rng.choice(big)
                    tags = store.corrected_tags(a.article_ids[0])
                    day = (tags.start if tags and tags.start else a.start)
                    if day is not None:
                        correct_article(store, a.article_ids[0], "end", day.isoformat(), "API")
                        record["target"] = str(a.article_ids[0])
                record["errors"] = []
        except Exception as exc:  # a refused or failed correction is a finding
            record["errors"] = [f"{type(exc).__name__}: {str(exc)[:500]}"]
        record["seconds"] = round(time.perf_counter() - started, 2)
        with out.open("a", encoding="utf-8") as fh:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
        time.sleep(1)


def _role(name: str, db: Path, until: float, out: Path, log: Log, seed: int = 0) -> None:
    command = [sys.executable, "-m", "bench.soak", "--role", name, "--db", str(db),
               "--until", str(until), "--out", str(out), "--seed", str(seed)]
    done = subprocess.run(command, capture_output=True, text=True, cwd=ROOT)
    if done.returncode != 0:
        log.error(name, f"exit {done.returncode}: {done.stderr}")


# ---------------------------------------------------------------------- checks


def check(db: Path, site: Any, published: list[str], workdir: Path) -> dict[str, Any]:
    from pannes.incidents.regroup import regroup
    from pannes.store import open_store

    served = [site.article_url(a.id) for a in site.corpus.articles]
    with open_store(db, read_only=True) as store:
        found = {url: store.find_article(url) for url in served}
        with store.db.read() as conn:
            stored = conn.execute("SELECT COUNT(*) FROM articles").fetchone()[0]
            texts = conn.execute("SELECT COUNT(*) - COUNT(DISTINCT text_hash) FROM articles "
                                 "WHERE text_hash IS NOT NULL").fetchone()[0]
            urls = conn.execute("SELECT COUNT(*) - COUNT(DISTINCT url) FROM articles"
                                ).fetchone()[0]
        lost = sorted(u for u, a in found.items() if a is None)
        # A syndicated copy is kept as an alias of its original (the store's deduplication).
        ids = Counter(a.id for a in found.values() if a is not None)
        copies = sum(n - 1 for n in ids.values())
        syndicated = sum(1 for a in site.corpus.articles if a.syndicated_from)
        corrections = store.corrections()
        made = [json.loads(line) for line in (workdir / "editor.jsonl").open(encoding="utf-8")]
        confirmed = [m for m in made if m.get("confirmed")]
        audit = Counter((c.target_id, c.field, c.value, c.editor) for c in corrections
                        if c.target == "incident" and c.field == "cause")
        missing = [m for m in confirmed
                   if not audit[(m["incident"], "cause", m["cause"], m["editor"])]]
        last: dict[str, str] = {}
        for c in corrections:
            if c.target == "incident" and c.field == "cause":
                last[c.target_id] = c.value
        shown_wrong = []
        for incident_id, cause in last.items():
            incident = store.get_incident(incident_id)
            if incident is not None and incident.cause != cause:
                shown_wrong.append({"incident": incident_id, "corrected": cause,
                                    "shown": incident.cause})
        gone = sorted(i for i in last if store.get_incident(i) is None)
    api = [json.loads(line) for line in (workdir / "api-editor.jsonl").open(encoding="utf-8")]
    made_by_api = [a for a in api if a.get("target") and not a["errors"]]
    with open_store(db) as store:
        api_found = sum(1 for c in store.corrections() if c.editor == "API")
        # Incremental grouping and local corrections left what a full recomputation gives.
        recomputed = regroup(store, recompute=True)
    loads = [json.loads(line) for line in (workdir / "reader.jsonl").open(encoding="utf-8")]
    return {
        "articles_served": len(served), "new_articles_published": len(published),
        "articles_stored": stored, "lost": lost,
        "served_as_copies_of_another": copies, "syndicated_copies_served": syndicated,
        "doubled_urls": urls, "doubled_texts": texts,
        "stored_beyond_served": stored - len(served) + copies,
        "corrections_made": len(made), "corrections_confirmed_by_the_form": len(confirmed),
        "corrections_found_in_audit": len(confirmed) - len(missing),
        "corrections_missing": missing, "corrected_incidents_showing_another_cause": shown_wrong,
        "corrected_incidents_since_gone": gone,
        "editor_errors": [m for m in made if m.get("errors")],
        "api_corrections_made": len(made_by_api), "api_corrections_found": api_found,
        "api_corrections_by_kind": dict(Counter(a["kind"] for a in made_by_api)),
        "api_errors": [a for a in api if a["errors"]],
        "api_correction_median_s": sorted(a["seconds"] for a in made_by_api)[
            len(made_by_api) // 2] if made_by_api else None,
        "full_recomputation_after": recomputed.summary(),
        "full_recomputation_changed": recomputed.changed,
        "page_loads": len(loads), "page_load_errors": [x for x in loads if x["errors"]],
        "page_load_median_s": sorted(x["seconds"] for x in loads)[len(loads) // 2] if loads else None,
    }


def soak(args: argparse.Namespace) -> dict[str, Any]:
    from pannes.demo.site import DemoSite

    from pannes.editors import EditorsFile

    workdir = Path(args.workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    db = workdir / "soak.db"
    logs = [workdir / f"{name}.jsonl" for name in ("editor", "reader", "api-editor")]
    for old in [*workdir.glob("soak.db*"), *logs]:
        old.unlink(missing_ok=True)
    for path in logs:
        path.touch()
    config = workdir / "config.toml"
    config.write_text("", encoding="utf-8")
    editors = workdir / "editors.txt"
    editors.unlink(missing_ok=True)
    for name in EDITORS:
        EditorsFile(editors).add(name, PASSWORD)
    os.environ["PANNES_EDITORS_FILE"] = str(editors)  # the editor's process signs in with it
    env = dict(os.environ, PANNES_CONFIG=str(config), PANNES_DB=str(db))
    log = Log()
    published: list[str] = []
    started = time.time()
    with DemoSite(base_port=0) as site:
        sources = workdir / "sources.toml"
        lines = []
        for source in site.sources():
            lines.append("[[source]]")
            lines += [f"{k} = {json.dumps(v, ensure_ascii=False)}" for k, v in source.items()]
            lines.append("")
        sources.write_text("\n".join(lines), encoding="utf-8")
        update = ["update", "--db", str(db), "--sources", str(sources), "--max-age-days", "0"]
        # A first update fills the database, so editors and readers have something to open.
        _pannes(update, env, log, "update")
        until = time.time() + args.minutes * 60
        stop = threading.Event()
        outlets = [o.key for o in site.outlets]

        def publish() -> None:
            n = len(published) + 1
            published.append(site.add_article(invented_article(n, outlets[n % len(outlets)])))

        threads = [
            threading.Thread(target=_loop, args=(stop, args.publish_every, publish)),
            threading.Thread(target=_loop, args=(stop, 5, lambda: _pannes(update, env, log,
                                                                          "update"))),
            threading.Thread(target=_loop, args=(stop, 5, lambda: _pannes(
                ["tag", "--retag", "--db", str(db)], env, log, "tag --retag"))),
            threading.Thread(target=_role, args=("editor", db, until, workdir / "editor.jsonl",
                                                 log, args.seed)),
            threading.Thread(target=_role, args=("reader", db, until, workdir / "reader.jsonl",
                                                 log)),
            threading.Thread(target=_role, args=("api-editor", db, until,
                                                 workdir / "api-editor.jsonl", log, args.seed)),
        ]
        for thread in threads:
            thread.start()
        while time.time() < until:
            time.sleep(1)
        stop.set()
        for thread in threads:
            thread.join()
        # The last articles published are collected by one more update.
        _pannes(update, env, log, "update")
        result = check(db, site, published, workdir)
    result.update({
        "minutes": args.minutes, "wall_seconds": round(time.time() - started),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python "
                   f"{platform.python_version()}, load average {os.getloadavg()[0]:.1f} at the end",
        "runs": dict(log.runs), "errors": log.errors,
        "database_is_locked": sum(LOCKED in e["message"] for e in log.errors)
        + sum(LOCKED in json.dumps(x) for x in result["page_load_errors"])
        + sum(LOCKED in json.dumps(x) for x in result["editor_errors"])
        + sum(LOCKED in json.dumps(x) for x in result["api_errors"]),
    })
    return result


def markdown(r: dict[str, Any]) -> str:
    return "\n".join([
        "# Soak test", "",
        f"{r['minutes']} minutes ({r['wall_seconds']} s with the first and last update) on one "
        f"database; {r['machine']}. Runs: " + ", ".join(f"{k} ×{v}" for k, v in r["runs"].items())
        + f"; dashboard page loads ×{r['page_loads']} (median {r['page_load_median_s']} s).",
        "",
        "Corrections: signed in as local editors, in headless chromium, through the dashboard "
        "served by `streamlit run`; page loads: every page by Streamlit's AppTest, in its own "
        "process.", "",
        "| check | result |", "|---|---|",
        f"| articles served by the demo site | {r['articles_served']} "
        f"({r['new_articles_published']} published during the run) |",
        f"| articles stored | {r['articles_stored']} |",
        f"| lost (served, not stored) | {len(r['lost'])} |",
        f"| served copies stored as aliases of their original / syndicated copies served | "
        f"{r['served_as_copies_of_another']} / {r['syndicated_copies_served']} |",
        f"| doubled: URL stored twice / text stored twice / articles beyond served | "
        f"{r['doubled_urls']} / {r['doubled_texts']} / {r['stored_beyond_served']} |",
        f"| corrections made / confirmed by the form / found in the audit trail | "
        f"{r['corrections_made']} / {r['corrections_confirmed_by_the_form']} / "
        f"{r['corrections_found_in_audit']} |",
        f"| merges, splits, moves, article dates through the correction API: made / found "
        f"in the audit trail / refused or failed | {r['api_corrections_made']} "
        f"{r['api_corrections_by_kind']} / {r['api_corrections_found']} / "
        f"{len(r['api_errors'])} |",
        f"| a full recomputation of the incidents afterwards | "
        f"{'changes something' if r['full_recomputation_changed'] else 'changes nothing'}: "
        f"{r['full_recomputation_after']} |",
        f"| corrected incidents showing another cause | "
        f"{len(r['corrected_incidents_showing_another_cause'])} |",
        f"| errors (processes) | {len(r['errors'])} |",
        f"| editor errors / page-load errors | {len(r['editor_errors'])} / "
        f"{len(r['page_load_errors'])} |",
        f"| \"database is locked\" | {r['database_is_locked']} |", ""])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--minutes", type=float, default=10)
    parser.add_argument("--publish-every", type=float, default=20, help="seconds")
    parser.add_argument("--workdir", default="/tmp/pannes-soak")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--out", default=None)
    parser.add_argument("--role", choices=["editor", "reader", "api-editor"],
                        help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--until", type=float, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.role:
        config = Path(args.out).parent / "config.toml"
        os.environ["PANNES_CONFIG"] = str(config)
        if args.role == "reader":
            role_reader(Path(args.db), args.until, Path(args.out))
        else:
            role = role_editor if args.role == "editor" else role_api_editor
            role(Path(args.db), args.until, Path(args.out), seed=args.seed)
        return 0
    from bench.bench_grouping import write_results

    result = soak(args)
    write_results(RESULTS / (args.out or "soak"), result, markdown(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
