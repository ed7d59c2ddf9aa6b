"""Browser test harness for Wegwijs (issue 3).

Starts a real `wegwijs serve --demo` on a free loopback port with a fresh SQLite database (the demo data loads on an empty
database), drives Debian's Chromium through chromedriver, and offers the checks every page goes through:

- run_axe: axe-core (through axe-selenium-python), WCAG 2.0/2.1 A and AA; fails on "serious" and "critical".
- check_language: <html lang> and dir, and no raw translation keys in the text or in accessible attributes.
- check_no_horizontal_scroll: no sideways scrolling at 360 px (phone) and 1280 px (desktop).
- check_keyboard: Tab reaches every visible control, and the focused control shows a visible focus indicator.
- screenshot: a full-page PNG at 1280 and 360 px under e2e/artifacts/.

check_page() runs all of them on the current page; the tests call it on every page they reach.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

E2E_DIR = Path(__file__).resolve().parent
REPO = E2E_DIR.parent
ARTIFACTS = E2E_DIR / "artifacts"
PASSWORD = "Rijnstad-demo-2026"
SESSION_COOKIE = "wegwijs-session"
WIDTHS = (1280, 360)
DESKTOP = (1280, 900)
RTL_LANGUAGES = {"ar", "fa", "he", "ur", "ps", "ckb", "yi", "dv", "sd", "ug"}

# Display names of the demo accounts (the header shows "Ingelogd als <name>").
DISPLAY_NAMES = {
    "admin": "Anouk de Beheerder",
    "klantmanager": "Karin Mulder",
    "sleutelpersoon": "Samira Haddad",
    "sleutelpersoon2": "Farid Ahmadi",
    "begeleider": "Bram Visser",
    "partner-jgz": "Petra Jansen",
    "trainer": "Tamar Bakker",
    "beleid": "Bas de Vries",
}

# Audit action codes are data (shown as-is in the audit log), not translation keys.
# The audit log shows action codes as they are stored (one entry per request now, so every kind of read appears).
AUDIT_ACTIONS = (
    "audit.export", "audit.search", "auth.lockout", "auth.login", "auth.logout", "auth.revoke", "auth.token", "consent.create",
    "consent.list", "consent.withdraw", "contact.create", "contact.list", "family.close", "family.create",
    "family.duplicates", "family.form", "family.list", "family.matches", "family.read", "family.reopen", "family.summary",
    "family.timeline", "family.update", "intake.read",
    "meldcode.list", "meldcode.open", "meldcode.step", "member.create", "member.delete", "member.list", "member.read",
    "member.update", "need.create", "need.list", "need.update", "notification.list", "plan.information", "plan.offers",
    "plan.read", "plan.update", "referral.chase", "referral.consent-withdrawn", "referral.create", "referral.form",
    "referral.handover", "referral.list", "referral.read", "referral.settings", "referral.transition",
    "report.referrals", "screening.create", "screening.form", "screening.list", "seed.synthetic", "signal.create",
    "signal.handle", "signal.list", "user.activate", "user.create", "user.deactivate", "user.password", "user.update",
    "worklist.read",
    "group.attendance.record", "group.candidates.read", "group.participant.add", "group.participant.update",
    "group.series.create", "group.series.read", "group.series.update", "group.session.create", "group.session.update",
    "group.calendar-link.create", "group.calendar-link.revoke", "group.evaluation.close", "group.evaluation.facilitator",
    "group.evaluation.offer.read", "group.evaluation.open", "group.evaluation.paper", "group.evaluation.read",
    "group.invitation.read", "group.plan.invite", "group.plan.read", "report.groups",
    "group.availability.update", "group.facilitator.availability", "group.districts.update", "group.plan.remove",
    "report.procurement",
    # The municipality's reports (docs/reports.md): one entry per request, no family named.
    "report.reach", "report.timings", "report.offer-reach", "report.satisfaction", "report.key-persons",
    "report.provisions", "report.demand-supply", "report.equity",
)


# --------------------------------------------------------------------------------------------------------------------
# The translation catalogues (to compare what a page says with what it should say)
# --------------------------------------------------------------------------------------------------------------------

def _load_catalogues() -> dict[str, dict[str, str]]:
    folder = Path(os.environ.get("WEGWIJS_RESOURCES", REPO / "Resources")) / "Locales"
    return {path.stem: json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.json"))}


CATALOGUES = _load_catalogues()
# The languages the staff UI offers: Dutch (the default) first, then every other catalogue.
UI_LANGUAGES = ["nl"] + sorted(lang for lang in CATALOGUES if lang != "nl")


def t(lang: str, key: str) -> str:
    """The text of `key` in `lang`, as the server renders it."""
    return CATALOGUES[lang][key]


# --------------------------------------------------------------------------------------------------------------------
# The server
# --------------------------------------------------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class WegwijsServer:
    """One `wegwijs serve` process on a fresh database in its own temporary folder."""

    extra_env: dict = field(default_factory=dict)
    name: str = "wegwijs"
    port: int = 0
    workdir: Path | None = None
    process: subprocess.Popen | None = None

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def log_path(self) -> Path:
        return self.workdir / "server.log"

    def start(self, timeout: float = 120.0) -> "WegwijsServer":
        binary = Path(os.environ.get("WEGWIJS_BIN", REPO / ".build" / "debug" / "wegwijs"))
        if not binary.exists():
            pytest.exit(f"No server binary at {binary}: build it first with `swift build` (or set WEGWIJS_BIN).", 2)
        self.workdir = Path(tempfile.mkdtemp(prefix=f"{self.name}-e2e-"))
        self.port = free_port()
        env = dict(os.environ)
        env.update({
            "DATABASE_URL": f"sqlite://{self.workdir / 'wegwijs.sqlite'}",
            "WEGWIJS_BCRYPT_COST": "4",
        })
        env.setdefault("WEGWIJS_RESOURCES", str(REPO / "Resources"))
        env.update(self.extra_env)
        log = open(self.log_path, "wb")
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.process = subprocess.Popen(
                    [str(binary), "serve", "--demo", "--hostname", "127.0.0.1", "--port", str(self.port)],
                    cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                    start_new_session=True)
                break
            except OSError as error:
                # ETXTBSY: a build is writing the binary right now; wait for it.
                if error.errno != 26 or time.monotonic() > deadline:
                    raise
                time.sleep(2)
        while True:
            if self.process.poll() is not None:
                raise RuntimeError(f"{self.name} exited with {self.process.returncode} on start-up:\n{self.log_tail()}")
            try:
                with urllib.request.urlopen(self.base_url + "/health", timeout=2) as response:
                    if json.load(response).get("status") == "ok":
                        return self
            except (urllib.error.URLError, ConnectionError, OSError, ValueError):
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"{self.name} did not answer /health within {timeout:.0f} s:\n{self.log_tail()}")
            time.sleep(0.2)

    def log_tail(self, lines: int = 200) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return "(no server log)"

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)

    def cleanup(self) -> None:
        if self.workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)


_SERVERS: list[WegwijsServer] = []


def start_server(name: str = "wegwijs", **extra_env: str) -> WegwijsServer:
    server = WegwijsServer(extra_env=dict(extra_env), name=name).start()
    _SERVERS.append(server)
    return server


@pytest.fixture(scope="session")
def server():
    srv = start_server()
    yield srv
    srv.stop()


@pytest.fixture(scope="session")
def base_url(server) -> str:
    return server.base_url


def pytest_sessionstart(session):
    """Start each run with an empty artifacts folder, so it holds this run's screenshots and reports only."""
    if ARTIFACTS.is_dir():
        for path in ARTIFACTS.iterdir():
            if path.is_file() and path.suffix in (".png", ".json"):
                path.unlink()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """On failure, show the end of each server's log (after the tests, so the servers have said everything)."""
    if exitstatus != 0:
        for srv in _SERVERS:
            terminalreporter.section(f"{srv.name} log ({srv.log_path})")
            terminalreporter.write_line(srv.log_tail(120))
    for srv in _SERVERS:
        srv.stop()
        srv.cleanup()


# --------------------------------------------------------------------------------------------------------------------
# The browser
# --------------------------------------------------------------------------------------------------------------------

def make_driver() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = os.environ.get("CHROMIUM_BIN", "/usr/bin/chromium")
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1280,900",
                     "--lang=nl-NL", "--disable-gpu", "--hide-scrollbars", "--force-device-scale-factor=1"):
        options.add_argument(argument)
    # A Dutch civil servant's browser: Dutch first. The server picks the UI language from this header.
    options.add_experimental_option("prefs", {"intl.accept_languages": "nl-NL,nl"})
    # The performance log carries the HTTP status of every page (Selenium itself does not show it).
    options.set_capability("goog:loggingPrefs", {"performance": "ALL"})
    service = Service(os.environ.get("CHROMEDRIVER_BIN", "/usr/bin/chromedriver"))
    driver = webdriver.Chrome(service=service, options=options)
    driver.set_window_size(*DESKTOP)
    driver.set_script_timeout(60)
    driver.set_page_load_timeout(60)
    return driver


@pytest.fixture(scope="session")
def driver_session():
    driver = make_driver()
    driver.ww_user = None  # who is signed in, as far as the helpers know
    yield driver
    driver.quit()


@pytest.fixture
def driver(driver_session, base_url):
    """The shared browser, at desktop size. Sign-in state carries over between tests (see ensure_signed_in)."""
    reset_viewport(driver_session)
    driver_session.ww_base = base_url
    yield driver_session
    reset_viewport(driver_session)


def reset_viewport(driver) -> None:
    driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    driver.set_window_size(*DESKTOP)
    # Clearing the phone emulation takes effect a moment later: wait until the page is laid out wide again, or a
    # check that follows sees the phone layout (the folded menu, tables as cards) at desktop width.
    WebDriverWait(driver, 10).until(lambda d: d.execute_script("return window.innerWidth") >= 600,
                                    "the page did not return to desktop width")


def set_width(driver, width: int) -> None:
    """Lays the page out at `width` CSS pixels; below 600 px as a phone (the viewport meta tag applies)."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": 800 if width < 600 else DESKTOP[1], "deviceScaleFactor": 1,
        "mobile": width < 600})
    # Let the layout settle.
    driver.execute_script("return document.documentElement.getBoundingClientRect().width")


# --------------------------------------------------------------------------------------------------------------------
# Navigation helpers
# --------------------------------------------------------------------------------------------------------------------

def wait_for(driver, condition, timeout: float = 15, message: str = ""):
    return WebDriverWait(driver, timeout).until(condition, message)


def wait_loaded(driver) -> None:
    wait_for(driver, lambda d: d.execute_script("return document.readyState") == "complete")


def drain_statuses(driver) -> None:
    driver.get_log("performance")


def last_document_status(driver) -> int | None:
    """The HTTP status of the last page the browser loaded (from the performance log, which this drains)."""
    status = None
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        if message.get("method") == "Network.responseReceived" and message["params"].get("type") == "Document":
            status = message["params"]["response"]["status"]
    return status


def open_page(driver, path: str) -> int | None:
    """Loads `path` on the server and answers the HTTP status of the page the browser ends on."""
    drain_statuses(driver)
    driver.get(driver.ww_base + path)
    wait_loaded(driver)
    return last_document_status(driver)


def submit(driver, button) -> int | None:
    """Clicks a submit button and waits for the next page; answers its HTTP status."""
    drain_statuses(driver)
    old_html = driver.find_element(By.TAG_NAME, "html")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", button)
    button.click()
    wait_for(driver, lambda d: _is_stale(old_html), message="the form was not sent")
    wait_loaded(driver)
    return last_document_status(driver)


click_and_wait = submit


def _is_stale(element) -> bool:
    try:
        element.tag_name
        return False
    except Exception:
        return True


def path_of(driver) -> str:
    url = driver.current_url
    return url[len(driver.ww_base):] if url.startswith(driver.ww_base) else url


def fill(driver, field_id: str, value: str) -> None:
    element = driver.find_element(By.ID, field_id)
    element.clear()
    if value:
        element.send_keys(value)


def select_by_text(driver, field_id: str, text: str) -> None:
    from selenium.webdriver.support.ui import Select
    Select(driver.find_element(By.ID, field_id)).select_by_visible_text(text)


def login(driver, user: str, password: str = PASSWORD, expect_success: bool = True, fresh: bool = True) -> None:
    """Signs in through the login form; `fresh`: from a clean browser (no cookies, so the default language),
    else from the login page the browser is on (keeping the language chosen there)."""
    if fresh:
        driver.get(driver.ww_base + "/login")
        driver.delete_all_cookies()
        driver.ww_user = None
        open_page(driver, "/login")
    assert path_of(driver).startswith("/login"), f"not on the login page: {driver.current_url}"
    fill(driver, "username", user)
    fill(driver, "password", password)
    status = submit(driver, driver.find_element(By.CSS_SELECTOR, "form[action='/login'] button[type=submit]"))
    if expect_success:
        # The start page: "/" (roles without family work), "/my-families" (family roles are sent there) or
        # "/groups" (a trainer's series).
        assert path_of(driver) in ("/", "/my-families", "/groups"), \
            f"signing in as {user} did not reach the start page ({driver.current_url}, {status})"
        name = DISPLAY_NAMES.get(user, user)
        assert name in driver.find_element(By.CSS_SELECTOR, ".nav-user-name").text
        driver.ww_user = user


def logout(driver) -> None:
    """Signs out with the header's button and lands on the login page with its notice."""
    submit(driver, driver.find_element(By.CSS_SELECTOR, "form[action='/logout'] button"))
    driver.ww_user = None
    assert path_of(driver) == "/login?signedOut=1", driver.current_url


def page_lang(driver) -> str:
    return driver.find_element(By.TAG_NAME, "html").get_attribute("lang")


def switch_language(driver, lang: str) -> None:
    """Uses the header's language form until the page is in `lang` (its button offers the other language; for a
    language the button does not name, the form's locale field is set first)."""
    if page_lang(driver) == lang:
        return
    form = driver.find_element(By.CSS_SELECTOR, "form.language-form")
    button = form.find_element(By.CSS_SELECTOR, "button")
    if button.get_attribute("lang") != lang:
        driver.execute_script("arguments[0].value = arguments[1]", form.find_element(By.NAME, "locale"), lang)
    submit(driver, button)
    assert page_lang(driver) == lang, f"the language form did not switch to {lang} ({driver.current_url})"


def ensure_signed_in(driver, user: str | None, lang: str = "nl") -> None:
    """Makes sure `user` (None: nobody) is signed in and the UI is in `lang`; signs in again only when needed."""
    if user is None:
        if driver.ww_user is not None or not driver.current_url.startswith(driver.ww_base):
            driver.get(driver.ww_base + "/login")
            driver.delete_all_cookies()
            driver.ww_user = None
        open_page(driver, "/login")
    elif driver.ww_user != user:
        login(driver, user)
    else:
        open_page(driver, "/")
        if path_of(driver).startswith("/login"):  # the session went away meanwhile
            login(driver, user)
    switch_language(driver, lang)


# --------------------------------------------------------------------------------------------------------------------
# Screenshots
# --------------------------------------------------------------------------------------------------------------------

def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-") or "page"


def screenshot(driver, name: str, widths=WIDTHS) -> list[Path]:
    """Saves a full-page PNG of the current page at each width: e2e/artifacts/<name>-<width>.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    saved = []
    for width in widths:
        set_width(driver, width)
        saved.append(_capture(driver, ARTIFACTS / f"{_slug(name)}-{width}.png"))
    reset_viewport(driver)
    return saved


def _capture(driver, path: Path) -> Path:
    import base64
    metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    width = max(1, int(size["width"]))
    height = max(1, min(int(size["height"]), 16000))
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True,
        "clip": {"x": 0, "y": 0, "width": width, "height": height, "scale": 1}})
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


# --------------------------------------------------------------------------------------------------------------------
# Accessibility: axe-core
# --------------------------------------------------------------------------------------------------------------------

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
FAILING_IMPACTS = {"serious", "critical"}


def run_axe(driver, page_name: str) -> dict:
    """Runs axe-core on the current page (WCAG 2.0/2.1 A and AA). Fails on any serious or critical violation,
    naming the rule, its help text and the elements; prints the others. Answers axe's results."""
    from axe_selenium_python import Axe

    axe = Axe(driver)
    axe.inject()
    version = driver.execute_script("return window.axe && axe.version")
    major = int(str(version).split(".")[0]) if version else 0
    assert major >= 4, (
        f"axe-core {version} is too old to know WCAG 2.1 rules: install axe-selenium-python>=3.0 "
        "(on Python < 3.12: pip install --ignore-requires-python 'axe-selenium-python>=3.0')")
    results = axe.run(options=json.dumps({"runOnly": {"type": "tag", "values": AXE_TAGS},
                                          "resultTypes": ["violations"]}))
    violations = results["violations"]
    failing = [v for v in violations if v.get("impact") in FAILING_IMPACTS]
    others = [v for v in violations if v.get("impact") not in FAILING_IMPACTS]
    for violation in others:
        print(f"[axe] {page_name}: {violation['impact']} {violation['id']}: {violation['help']} "
              f"({_targets(violation)})")
    if violations:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (ARTIFACTS / f"axe-{_slug(page_name)}.json").write_text(json.dumps(violations, indent=2), encoding="utf-8")
    assert not failing, f"axe found serious/critical WCAG violations on {page_name} ({driver.current_url}):\n" + \
        "\n".join(f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})\n    on: {_targets(v)}\n"
                  f"    {_summary(v)}" for v in failing)
    return results


def _targets(violation) -> str:
    return "; ".join(" ".join(node["target"]) if isinstance(node["target"], list) else str(node["target"])
                     for node in violation["nodes"][:8])


def _summary(violation) -> str:
    node = violation["nodes"][0]
    return (node.get("failureSummary") or "").replace("\n", " ")[:400] + f" html: {node.get('html', '')[:200]}"


# --------------------------------------------------------------------------------------------------------------------
# Language: lang, dir, and no raw translation keys
# --------------------------------------------------------------------------------------------------------------------

# A translation key: lowercase-led segments joined by dots, no spaces (families.filter.name, closingReason.other).
KEY_PATTERN = re.compile(r"(?<![\w.@/:-])[a-z][a-zA-Z0-9]*(?:\.[a-zA-Z0-9][a-zA-Z0-9-]*)+(?![\w@/-]|\.\w)")
DOMAIN_ENDINGS = {"nl", "com", "org", "net", "eu", "info", "io", "gov", "edu", "be", "de", "uk", "local", "css",
                  "js", "png", "json", "html", "svg", "pdf"}

_TEXTS_SCRIPT = """
const texts = [];
const walker = document.createTreeWalker(document.documentElement, NodeFilter.SHOW_TEXT);
while (walker.nextNode()) {
  const node = walker.currentNode;
  const parent = node.parentElement;
  if (!parent || ['SCRIPT', 'STYLE', 'NOSCRIPT', 'TEMPLATE'].includes(parent.tagName)) continue;
  const text = node.nodeValue.trim();
  if (text) texts.push(text);
}
for (const element of document.querySelectorAll('[aria-label], [title], [placeholder], [alt], [aria-description]')) {
  for (const name of ['aria-label', 'title', 'placeholder', 'alt', 'aria-description']) {
    const value = element.getAttribute(name);
    if (value && value.trim()) texts.push(value.trim());
  }
}
for (const element of document.querySelectorAll('input[type=submit], input[type=button], input[type=reset]')) {
  if (element.value) texts.push(element.value);
}
return texts;
"""


def raw_keys(texts, allowed=()) -> list[str]:
    """Text that looks like a translation key rather than a translation."""
    found = []
    allowed = set(allowed)
    for text in texts:
        for match in KEY_PATTERN.finditer(text):
            candidate = match.group(0)
            segments = candidate.split(".")
            if candidate in allowed:
                continue
            if all(len(segment) == 1 for segment in segments):  # an abbreviation such as o.a or d.w.z
                continue
            if segments[-1].lower() in DOMAIN_ENDINGS:  # a domain or a file name
                continue
            found.append(candidate)
    return sorted(set(found))


def check_language(driver, expected_lang: str, allowed=()) -> None:
    """<html lang> is `expected_lang`, dir matches it (rtl for Arabic, Persian, ...), and no raw keys show."""
    html = driver.find_element(By.TAG_NAME, "html")
    lang = html.get_attribute("lang")
    direction = html.get_attribute("dir")
    expected_dir = "rtl" if expected_lang.split("-")[0] in RTL_LANGUAGES else "ltr"
    assert lang == expected_lang, f"<html lang> is {lang!r}, expected {expected_lang!r} on {driver.current_url}"
    assert direction == expected_dir, f"<html dir> is {direction!r}, expected {expected_dir!r} on {driver.current_url}"
    computed = driver.execute_script("return getComputedStyle(document.body).direction")
    assert computed == expected_dir, f"the body is laid out {computed}, expected {expected_dir}"
    title = driver.title.strip()
    assert title, f"the page has no <title> ({driver.current_url})"
    keys = raw_keys(driver.execute_script(_TEXTS_SCRIPT) + [title], allowed)
    assert not keys, f"untranslated keys on {driver.current_url} ({expected_lang}): {', '.join(keys)}"


# --------------------------------------------------------------------------------------------------------------------
# Layout: no horizontal scrolling
# --------------------------------------------------------------------------------------------------------------------

_OVERFLOW_SCRIPT = """
const limit = Math.min(document.documentElement.clientWidth, arguments[0]);
const wide = [];
// Whether a scrolling or clipping ancestor contains the element's overflow. An absolutely positioned element
// escapes every such box up to its containing block (its nearest positioned ancestor).
function clipped(element) {
  const position = getComputedStyle(element).position;
  if (position === 'fixed') return false;
  let containingBlock = null;
  if (position === 'absolute') {
    for (let p = element.parentElement; p; p = p.parentElement) {
      if (getComputedStyle(p).position !== 'static') { containingBlock = p; break; }
    }
  }
  for (let p = element.parentElement; p && p !== document.body; p = p.parentElement) {
    if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX)) {
      if (position !== 'absolute') return true;
      if (containingBlock && (p === containingBlock || p.contains(containingBlock))) return true;
    }
  }
  return false;
}
for (const element of document.body.querySelectorAll('*')) {
  const box = element.getBoundingClientRect();
  if (box.width > 0 && box.right > limit + 1 && !clipped(element)) {
    const id = element.id ? '#' + element.id : '';
    const cls = element.className && typeof element.className === 'string' ? '.' + element.className.trim().split(/\\s+/).join('.') : '';
    wide.push(element.tagName.toLowerCase() + id + cls + ' (right ' + Math.round(box.right) + ')');
  }
  if (wide.length >= 6) break;
}
return {scrollWidth: document.documentElement.scrollWidth, innerWidth: window.innerWidth,
        clientWidth: limit, wide: wide};
"""


def check_no_horizontal_scroll(driver, widths=WIDTHS, page_name: str = "") -> None:
    """At each width, the page fits: document.documentElement.scrollWidth <= window.innerWidth."""
    problems = []
    for width in widths:
        set_width(driver, width)
        info = driver.execute_script(_OVERFLOW_SCRIPT, width)
        if info["scrollWidth"] > min(info["innerWidth"], width):
            problems.append(f"at {width} px the page is {info['scrollWidth']} px wide (viewport {info['innerWidth']}); "
                            f"too wide: {', '.join(info['wide']) or '?'}")
    reset_viewport(driver)
    assert not problems, f"horizontal scrolling on {page_name or driver.current_url}: " + "; ".join(problems)


# A word cut in two across lines ("Ke|n|mer|k") is what a squeezed layout does instead of scrolling. Each piece
# between natural break opportunities (spaces, hyphens, slashes) must sit on one line. Pieces longer than 20
# characters (an e-mail address, a long compound word in a narrow column) may wrap anywhere.
_BROKEN_WORDS_SCRIPT = """
const broken = new Set();
const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
const range = document.createRange();
while (walker.nextNode() && broken.size < 12) {
  const node = walker.currentNode;
  const parent = node.parentElement;
  if (!parent || ['SCRIPT', 'STYLE', 'OPTION', 'TEXTAREA', 'DATALIST'].includes(parent.tagName)) continue;
  if (parent.closest('.visually-hidden, select, datalist')) continue;
  if (parent.getClientRects().length === 0) continue;
  const text = node.nodeValue;
  const pattern = /[^\\s\\-\\/,]+/g;
  let match;
  while ((match = pattern.exec(text)) !== null) {
    const word = match[0];
    if (word.length < 2 || word.length > 20) continue;
    range.setStart(node, match.index);
    range.setEnd(node, match.index + word.length);
    const tops = new Set();
    for (const rect of range.getClientRects()) if (rect.width > 0) tops.add(Math.round(rect.top));
    if (tops.size > 1) {
      const where = parent.closest('th, td, dt, dd, label, legend, h1, h2, h3, button, a, p, li, span') || parent;
      broken.add(word + ' (in ' + where.tagName.toLowerCase() + ')');
      if (broken.size >= 12) break;
    }
  }
}
return [...broken];
"""


def check_words_not_broken(driver, widths=WIDTHS, page_name: str = "") -> None:
    """At each width, no short word is cut over two lines (a squeezed table or column breaks words mid-word)."""
    problems = []
    for width in widths:
        set_width(driver, width)
        broken = driver.execute_script(_BROKEN_WORDS_SCRIPT)
        if broken:
            problems.append(f"at {width} px words are cut over two lines: {', '.join(broken)}")
    reset_viewport(driver)
    assert not problems, f"broken words on {page_name or driver.current_url}: " + "; ".join(problems)


# --------------------------------------------------------------------------------------------------------------------
# Keyboard: every control reached by Tab, with a visible focus indicator
# --------------------------------------------------------------------------------------------------------------------

_INTERACTIVE_SCRIPT = """
const selector = 'a[href], button, input:not([type=hidden]), select, textarea, [tabindex]:not([tabindex="-1"]), summary';
const out = [];
let n = 0;
for (const element of document.querySelectorAll(selector)) {
  // A native control taken out of the tab order (tabindex="-1") still counts: it must be reachable.
  if (element.disabled || element.closest('[inert]')) continue;
  if (element.closest('datalist')) continue;
  // Inside a closed <details> (but not its summary): not shown, so not in the tab order. Chrome hides that content
  // with content-visibility, so it still has client rects.
  const closed = element.closest('details:not([open])');
  if (closed && !element.closest('summary')) continue;
  const style = getComputedStyle(element);
  if (style.visibility === 'hidden' || style.display === 'none' || element.getClientRects().length === 0) continue;
  element.dataset.e2eTab = String(n++);
  out.push({index: element.dataset.e2eTab, tag: element.tagName.toLowerCase(), type: element.type || '',
            name: element.name || '', id: element.id || '', text: (element.innerText || element.value || '').trim().slice(0, 40)});
}
// A fixed starting point before the first control, so Tab starts at the top of the page.
const start = document.createElement('span');
start.id = 'e2e-tab-start';
start.tabIndex = -1;
document.body.prepend(start);
start.focus();
window.__e2eFocus = [];
window.__e2eFocusListener = (event) => {
  const element = event.target;
  const style = getComputedStyle(element);
  window.__e2eFocus.push({index: element.dataset ? (element.dataset.e2eTab || null) : null,
    tag: element.tagName.toLowerCase(), id: element.id || '', name: element.name || '',
    outlineStyle: style.outlineStyle, outlineWidth: style.outlineWidth, outlineColor: style.outlineColor,
    boxShadow: style.boxShadow});
};
document.addEventListener('focusin', window.__e2eFocusListener, true);
return out;
"""

_INTERACTIVE_CLEANUP = """
document.removeEventListener('focusin', window.__e2eFocusListener, true);
const start = document.getElementById('e2e-tab-start');
if (start) start.remove();
for (const element of document.querySelectorAll('[data-e2e-tab]')) delete element.dataset.e2eTab;
const log = window.__e2eFocus; window.__e2eFocus = undefined;
return log;
"""


def _has_visible_focus(entry) -> bool:
    outline = entry["outlineStyle"] not in ("none", "") and entry["outlineWidth"] not in ("0px", "")
    if outline and "rgba(0, 0, 0, 0)" in entry["outlineColor"]:
        outline = False
    shadow = entry["boxShadow"] not in ("none", "")
    return outline or shadow


def check_keyboard(driver, page_name: str = "") -> None:
    """Tabs through the page: every visible interactive element gets focus (radio groups: one of each group),
    and each focused element shows a focus indicator (an outline or a box-shadow)."""
    reset_viewport(driver)
    expected = driver.execute_script(_INTERACTIVE_SCRIPT)
    try:
        # Chrome's date and time fields take one Tab stop per part (day, month, year), plus their picker button.
        segmented = sum(1 for e in expected if e["type"] in ("date", "time", "datetime-local", "month", "week"))
        presses = len(expected) + 3 + 4 * segmented
        chain = ActionChains(driver)
        for _ in range(presses):
            chain.send_keys(Keys.TAB)
        chain.perform()
    finally:
        log = driver.execute_script(_INTERACTIVE_CLEANUP) or []
    reached = {entry["index"] for entry in log if entry["index"] is not None}
    radio_groups_reached = {e["name"] for e in expected if e["type"] == "radio" and e["index"] in reached}
    missing = [e for e in expected if e["index"] not in reached
               and not (e["type"] == "radio" and e["name"] in radio_groups_reached)]
    no_focus_style = []
    seen = set()
    for entry in log:
        if entry["index"] is None or entry["index"] in seen:
            continue
        seen.add(entry["index"])
        if not _has_visible_focus(entry):
            no_focus_style.append(f"{entry['tag']}#{entry['id'] or entry['name'] or entry['index']} "
                                  f"(outline {entry['outlineStyle']} {entry['outlineWidth']}, shadow {entry['boxShadow']})")
    problems = []
    if missing:
        problems.append("not reached with Tab: " + ", ".join(
            f"{e['tag']}{'#' + e['id'] if e['id'] else ''}{'[' + e['name'] + ']' if e['name'] else ''} {e['text']!r}"
            for e in missing[:15]))
    if no_focus_style:
        problems.append("no visible focus on: " + ", ".join(no_focus_style[:15]))
    assert not problems, f"keyboard check on {page_name or driver.current_url}: " + "; ".join(problems)


# --------------------------------------------------------------------------------------------------------------------
# All checks on one page
# --------------------------------------------------------------------------------------------------------------------

def check_page(driver, name: str, lang: str, allowed_keys=(), axe: bool = True, keyboard: bool = True,
               scroll: bool = True) -> None:
    """Every check on the current page, collected so one run shows every problem of the page:
    language and direction, axe (WCAG 2.1 A/AA), horizontal scrolling at 360 and 1280, keyboard and focus;
    and screenshots at both widths."""
    label = f"{name} [{lang}]"
    problems = []
    screenshot(driver, f"{name}-{lang}")
    checks = [("language", lambda: check_language(driver, lang, allowed_keys))]
    if axe:
        checks.append(("axe", lambda: run_axe(driver, label)))
    if scroll:
        checks.append(("layout", lambda: check_no_horizontal_scroll(driver, page_name=label)))
        checks.append(("layout", lambda: check_words_not_broken(driver, page_name=label)))
    if keyboard:
        checks.append(("keyboard", lambda: check_keyboard(driver, label)))
    for what, check in checks:
        try:
            check()
        except AssertionError as error:
            # Keep the check's own message, without pytest's "assert not [...]" explanation under it.
            message = "\n".join(line for line in str(error).splitlines() if not line.startswith("assert "))
            problems.append(f"{what}: {message}")
    assert not problems, f"{label} ({driver.current_url}):\n" + "\n".join(problems)


# ---------------------------------------------------------------------------------------------------------------------
# small page helpers shared by the flow tests
# ---------------------------------------------------------------------------------------------------------------------

def one(driver, css: str, within=None):
    return (within or driver).find_element(By.CSS_SELECTOR, css)


def many(driver, css: str, within=None):
    return (within or driver).find_elements(By.CSS_SELECTOR, css)


def text_of(driver, css: str) -> str:
    return one(driver, css).text.strip()


def follow_link(driver, href: str) -> int | None:
    """Clicks the (first visible) link to `href`, as a person would."""
    links = [a for a in many(driver, f"a[href='{href}']") if a.is_displayed()]
    assert links, f"no visible link to {href} on {driver.current_url}"
    return click_and_wait(driver, links[0])


def flash(driver) -> str:
    return text_of(driver, "main .success[role=status]")

def assert_summary_links_lead_somewhere(driver) -> None:
    """Each link of the error summary points to an element of the page (it moves the focus to the field)."""
    dead = driver.execute_script("""
        return [...document.querySelectorAll('#error-summary a[href^="#"]')]
          .filter(a => !document.getElementById(decodeURIComponent(a.getAttribute('href').slice(1))))
          .map(a => a.getAttribute('href') + ' (' + a.textContent.trim() + ')');""")
    assert not dead, f"error summary links that lead nowhere on {driver.current_url}: {dead}"


def assert_field_error(driver, field_id: str, message: str) -> None:
    """The message sits next to the field (in its .field block), is tied to it, and the summary links to it."""
    field = one(driver, f"#{field_id}")
    error = one(driver, f"#{field_id}-error")
    assert error.is_displayed() and error.text.strip() == message, f"{field_id}: {error.text!r} != {message!r}"
    assert "field-error" in error.get_attribute("class")
    block = driver.execute_script("return arguments[0].closest('.field')", field)
    assert block is not None and driver.execute_script("return arguments[0].contains(arguments[1])", block, error), \
        f"the message for {field_id} is not next to the field"
    assert field.get_attribute("aria-invalid") == "true", f"{field_id} is not marked aria-invalid"
    assert f"{field_id}-error" in (field.get_attribute("aria-describedby") or "").split(), \
        f"{field_id} is not described by its message"
    summary_box = one(driver, "#error-summary")
    assert summary_box.get_attribute("role") == "alert"
    links = [a for a in many(driver, "a", summary_box) if a.get_attribute("href").endswith(f"#{field_id}")]
    assert links and links[0].text.strip() == message, f"the error summary does not link to {field_id}"
    assert_summary_links_lead_somewhere(driver)
