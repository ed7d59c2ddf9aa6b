"""The staff pages on a phone (issue 16, item 8): at 390 CSS px the menu folds into a "Menu" disclosure (no
JavaScript), so the first screen shows the page's heading; data tables become cards whose cells name their column;
nothing is wider than the screen. At 1280 px the menu is the bar it was and the tables are tables.

Each page is opened as a role that works with it; screenshots at both widths go to
e2e/artifacts/phone-<page>.png and e2e/artifacts/desktop-<page>.png.
"""

from __future__ import annotations

from dataclasses import dataclass

import uuid

import pytest
import requests
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

from conftest import (ARTIFACTS, DESKTOP, PASSWORD, _capture, _OVERFLOW_SCRIPT, ensure_signed_in, many, one,
                      open_page, path_of, reset_viewport, run_axe, set_width, t, wait_for)

PHONE = (390, 844)


@dataclass(frozen=True)
class PhonePage:
    name: str
    user: str
    path: str  # may name {family} (the case manager's first family), {Ahmadi}/{Habte} (that demo family),
    #            {own_family} (the user's first), {series} or {report}
    cards: str = ""  # a CSS selector of a table that must show as cards (and must have rows)
    axe: bool = False


# Grouped by user, so each user signs in once.
PAGES = [
    PhonePage("home-case-manager", "klantmanager", "/"),
    PhonePage("families", "klantmanager", "/families", cards="main table.table-cards", axe=True),
    PhonePage("worklist", "klantmanager", "/worklist"),
    PhonePage("referrals", "klantmanager", "/referrals", cards="table#referrals"),
    PhonePage("notifications", "klantmanager", "/notifications"),
    PhonePage("family", "klantmanager", "/families/{family}"),
    PhonePage("family-new", "klantmanager", "/families/new"),
    PhonePage("intake", "klantmanager", "/families/{Ahmadi}/intake", cards="#needs table.table-cards", axe=True),
    PhonePage("consents", "klantmanager", "/families/{Habte}/consents", cards="main table.table-cards"),
    PhonePage("family-referrals", "klantmanager", "/families/{family}/referrals"),
    PhonePage("catalog", "klantmanager", "/catalog", cards="main table.table-cards"),
    PhonePage("groups", "klantmanager", "/groups"),
    PhonePage("groups-plan", "klantmanager", "/groups/plan"),
    PhonePage("group-series", "klantmanager", "/groups/{series}", cards="table#participants"),
    PhonePage("key-person-home", "sleutelpersoon", "/"),
    PhonePage("key-person-my-families", "sleutelpersoon", "/my-families", cards="main table.table-cards", axe=True),
    PhonePage("key-person-worklist", "sleutelpersoon", "/worklist"),
    PhonePage("key-person-intake", "sleutelpersoon", "/families/{own_family}/intake"),
    PhonePage("partner-home", "partner-jgz", "/"),
    PhonePage("partner-inbox", "partner-jgz", "/referrals", cards="table#referrals"),
    PhonePage("partner-worklist", "partner-jgz", "/worklist"),
    PhonePage("facilitator-groups", "trainer", "/groups"),
    PhonePage("policy-home", "beleid", "/"),
    PhonePage("reports", "beleid", "/reports"),
    PhonePage("report", "beleid", "{report}"),
    PhonePage("procurement", "beleid", "/procurement", cards="table#gaps-table"),
    PhonePage("audit", "admin", "/admin/audit?user=klantmanager", cards="main table.table-cards", axe=True),
    PhonePage("translations", "admin", "/admin/translations"),
    PhonePage("catalog-import", "admin", "/admin/catalog/import"),
    PhonePage("referral-settings", "admin", "/admin/referral-settings"),
    PhonePage("users", "admin", "/admin/users", cards="main table.table-cards"),
]

_ids: dict = {}
MOTHERS_GROUP = "Moedergroep in het Tigrinya: opgroeien in Nederland"


@pytest.fixture(scope="module")
def a_referral(base_url):
    """The demo has no referral: one, sent through the API, so the lead's list and the partner's inbox have a row
    (a family of its own with a consent for the JGZ, so the referral flows of other tests are not touched)."""
    session = requests.post(f"{base_url}/api/v1/session", json={"username": "klantmanager", "password": PASSWORD},
                            timeout=30)
    assert session.status_code == 201, session.text
    headers = {"Authorization": f"Bearer {session.json()['token']}"}
    offers = requests.get(f"{base_url}/api/v1/offers", params={"per": 100}, headers=headers, timeout=30).json()["items"]
    offer = [item for item in offers if item["offer"]["name"] == MOTHERS_GROUP]
    assert offer, "no demo mothers' group"
    given = f"Selam{uuid.uuid4().hex[:5]}"
    family = requests.post(f"{base_url}/api/v1/families", headers=headers, timeout=30, json={
        "name": f"Gebremariam {given}",
        "members": [{"role": "parent", "givenName": given, "gender": "female", "languagesSpoken": ["ti"],
                     "settlementDate": "2026-06-01"}]})
    assert family.status_code == 201, family.text
    family_id = family.json()["id"]
    consent = requests.post(f"{base_url}/api/v1/families/{family_id}/consents", headers=headers, timeout=30, json={
        "purpose": "referral", "organisationId": offer[0]["organisationId"], "dataCategories": ["languages", "children", "questions"],
        "givenBy": given})
    assert consent.status_code == 201, consent.text
    referral = requests.post(f"{base_url}/api/v1/referrals", headers=headers, timeout=30, json={
        "familyId": family_id, "offerId": offer[0]["id"], "memberIds": [family.json()["members"][0]["id"]],
        "reason": "Wil andere moeders ontmoeten", "send": True})
    assert referral.status_code == 201, referral.text
    _ids["mother"] = family.json()
    _ids["headers"] = headers
    return referral.json()["id"]


def a_series(driver) -> str:
    """A group series to open: the first one listed, or (on a fresh demo, which has none) a Tigrinya mothers' series
    in 2029 with the referral's mother invited, so its participants table has a row."""
    open_page(driver, "/groups")
    links = many(driver, "#series-list h2 a[href^='/groups/']")
    if links:
        return links[0].get_attribute("href").replace(driver.ww_base, "")
    base, headers = driver.ww_base, _ids["headers"]
    open_page(driver, "/groups/new")
    trainer = [o for o in many(driver, "#trainerId option") if o.text.startswith("Tamar Bakker")][0]
    key_person = [o for o in many(driver, "#keyPersonId option") if o.text.startswith("Samira Haddad")][0]
    created = requests.post(f"{base}/api/v1/groups/series", headers=headers, timeout=30, json={
        "offerId": "5a0e0c1e-0036-4c3a-9f00-000000000036", "language": "ti", "audience": "mothers", "minSize": 2,
        "maxSize": 12, "place": "D03", "time": "daytime", "startsOn": "2029-03-05", "endsOn": "2029-04-30",
        "trainerId": trainer.get_attribute("value"), "keyPersonId": key_person.get_attribute("value")})
    assert created.status_code == 201, created.text
    series_id = created.json()["series"]["id"]
    mother = _ids["mother"]["members"][0]["id"]
    added = requests.post(f"{base}/api/v1/groups/series/{series_id}/participants", headers=headers, timeout=30,
                          json={"memberId": mother, "source": "invitation"})
    assert added.status_code == 201, added.text
    return f"/groups/{series_id}".lower()


def _first_href(driver, path: str, css: str) -> str:
    open_page(driver, path)
    links = many(driver, css)
    assert links, f"no link {css} on {path}"
    return links[0].get_attribute("href").replace(driver.ww_base, "")


def resolve(driver, page: PhonePage) -> str:
    path = page.path
    if "{family}" in path:
        if "family" not in _ids:
            _ids["family"] = _first_href(driver, "/families", "main table tbody tr td:first-child a")
        path = path.replace("/families/{family}", _ids["family"])
    for name in ("Ahmadi", "Habte"):
        if "{" + name + "}" in path:
            if name not in _ids:
                found = requests.post(f"{driver.ww_base}/api/v1/families/search", json={"name": name},
                                      headers=_ids["headers"], timeout=30)
                assert found.status_code == 200, found.text
                items = [item for item in found.json()["items"] if item["name"] == name]
                assert items, f"no demo family {name}"
                _ids[name] = items[0]["id"].lower()
            path = path.replace("{" + name + "}", _ids[name])
    if "{own_family}" in path:
        key = f"own:{page.user}"
        if key not in _ids:
            _ids[key] = _first_href(driver, "/my-families", "main table tbody tr td:first-child a")
        path = path.replace("/families/{own_family}", _ids[key])
    if "{series}" in path:
        if "series" not in _ids:
            _ids["series"] = a_series(driver)
        path = path.replace("/groups/{series}", _ids["series"])
    if "{report}" in path:
        if "report" not in _ids:
            _ids["report"] = _first_href(driver, "/reports", "#report-list a[href^='/reports/']")
        path = path.replace("{report}", _ids["report"])
    return path


def as_phone(driver) -> None:
    """Lays the page out as a 390 × 844 phone: the viewport meta tag applies, window.innerWidth is 390."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": PHONE[0], "height": PHONE[1], "deviceScaleFactor": 1, "mobile": True})
    driver.execute_script("window.scrollTo(0, 0); return document.documentElement.getBoundingClientRect().width")


def as_desktop(driver) -> None:
    set_width(driver, DESKTOP[0])
    driver.execute_script("window.scrollTo(0, 0)")


def assert_fits(driver, where: str) -> None:
    """No sideways scrolling, and no element sticks out of the screen (unless a scrolling box holds it)."""
    width = driver.execute_script("return window.innerWidth")
    info = driver.execute_script(_OVERFLOW_SCRIPT, width)
    assert info["scrollWidth"] <= info["innerWidth"], \
        f"{where}: the page is {info['scrollWidth']} px wide at {info['innerWidth']} px: {info['wide']}"
    assert not info["wide"], f"{where}: wider than the screen: {info['wide']}"


_CARDS_SCRIPT = """
const table = document.querySelector(arguments[0]);
if (!table) return null;
const headings = [...table.querySelectorAll('thead th')].map(th => th.textContent.trim());
const rows = [...table.querySelectorAll('tbody > tr')].slice(0, 5);
return {
  headings: headings,
  theadVisible: table.tHead ? table.tHead.getBoundingClientRect().width > 2 : false,
  rows: rows.map(tr => {
    const box = tr.getBoundingClientRect();
    const style = getComputedStyle(tr);
    return {
      display: style.display, left: box.left, right: box.right,
      border: style.borderInlineStartWidth,
      cells: [...tr.children].map(cell => {
        const before = getComputedStyle(cell, '::before').content;
        const b = cell.getBoundingClientRect();
        return {label: cell.getAttribute('data-label'), before: before, display: getComputedStyle(cell).display,
                empty: cell.matches(':empty'), width: b.width, right: b.right};
      }),
    };
  }),
};
"""


def assert_cards(driver, css: str, where: str) -> None:
    """The table's rows are cards (blocks with a border) inside the screen, and every cell shows its column's name
    (its data-label, the same text as the column heading)."""
    info = driver.execute_script(_CARDS_SCRIPT, css)
    assert info, f"{where}: no table {css}"
    assert info["rows"], f"{where}: the table {css} has no rows"
    assert not info["theadVisible"], f"{where}: the column headings still show as a row"
    width = driver.execute_script("return window.innerWidth")
    for row in info["rows"]:
        assert row["display"] == "block", f"{where}: a row is laid out as {row['display']}, not as a card"
        assert row["border"] != "0px", f"{where}: a card has no border"
        assert row["left"] >= 0 and row["right"] <= width, f"{where}: a card sticks out ({row['left']}–{row['right']})"
        labelled = 0
        for index, cell in enumerate(row["cells"]):
            if cell["label"] is None:
                continue
            labelled += 1
            if index < len(info["headings"]) and info["headings"][index]:
                assert cell["label"] == info["headings"][index], \
                    f"{where}: column {index} is labelled {cell['label']!r}, its heading says {info['headings'][index]!r}"
            if not cell["empty"]:
                assert cell["before"] == f'"{cell["label"]}"', \
                    f"{where}: the cell of {cell['label']!r} shows {cell['before']!r} before its value"
                assert cell["display"] in ("block", "table") and cell["right"] <= width + 0.5
        assert labelled, f"{where}: no cell of a card names its column"


def assert_table_at_desktop(driver, css: str, where: str) -> None:
    info = driver.execute_script(_CARDS_SCRIPT, css)
    assert info and info["theadVisible"], f"{where}: the column headings do not show at desktop width"
    assert all(row["display"] == "table-row" for row in info["rows"]), f"{where}: not a table at desktop width"
    assert all(cell["before"] in ("none", "normal") for row in info["rows"] for cell in row["cells"]), \
        f"{where}: cell labels show at desktop width"


def nav_links(driver, container: str) -> list:
    return many(driver, f"nav.site-nav {container} .nav-links a")


def assert_menu_folds(driver, where: str) -> None:
    """At phone width: the bar is gone, a closed "Menu" disclosure stands in its place; the page's heading is on the
    first screen; opening the menu shows every link of the bar and the sign-out button."""
    lang = driver.find_element(By.TAG_NAME, "html").get_attribute("lang")
    wide_hrefs = [a.get_attribute("href") for a in nav_links(driver, ".nav-wide")]
    assert wide_hrefs, f"{where}: the menu has no links"
    assert not one(driver, "nav.site-nav .nav-wide").is_displayed(), f"{where}: the wide menu bar shows on a phone"
    menu = one(driver, "nav.site-nav details.nav-menu")
    summary = one(driver, "summary", menu)
    assert menu.is_displayed() and summary.is_displayed(), f"{where}: no Menu button on a phone"
    assert menu.get_attribute("open") is None, f"{where}: the menu is open when the page loads"
    assert summary.text.strip() == t(lang, "nav.menu"), f"{where}: the toggle says {summary.text!r}"
    assert not [a for a in nav_links(driver, ".nav-menu") if a.is_displayed()], f"{where}: links show while closed"
    heading = driver.execute_script(
        "const h = document.querySelector('main h1'); const b = h.getBoundingClientRect();"
        "return {top: b.top, bottom: b.bottom, height: window.innerHeight}")
    assert 0 <= heading["top"] and heading["bottom"] <= heading["height"], \
        f"{where}: the heading is not on the first screen ({heading})"

    summary.click()
    wait_for(driver, lambda d: menu.get_attribute("open") is not None, message="the menu does not open")
    shown = [a for a in nav_links(driver, ".nav-menu") if a.is_displayed()]
    assert [a.get_attribute("href") for a in shown] == wide_hrefs, f"{where}: the open menu lacks links of the bar"
    assert one(driver, ".nav-menu form[action='/logout'] button").is_displayed(), f"{where}: no sign-out in the menu"
    assert one(driver, ".nav-menu .nav-user-name").is_displayed()
    assert_fits(driver, f"{where} (menu open)")
    summary.click()
    wait_for(driver, lambda d: menu.get_attribute("open") is None, message="the menu does not close")


@pytest.mark.parametrize("page", PAGES, ids=[page.name for page in PAGES])
def test_page_on_a_phone(driver, a_referral, page):
    ensure_signed_in(driver, page.user)
    path = resolve(driver, page)
    status = open_page(driver, path)
    assert status == 200, f"{path} answered {status}"
    assert page.path == "/" or path_of(driver) == path, f"{path} led to {driver.current_url}"
    where = f"{page.name} ({path})"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    try:
        # Desktop: as before, the bar and real tables.
        as_desktop(driver)
        assert one(driver, "nav.site-nav .nav-wide").is_displayed(), f"{where}: no menu bar at desktop width"
        assert not one(driver, "nav.site-nav details.nav-menu").is_displayed(), f"{where}: the Menu toggle at desktop"
        if page.cards:
            assert_table_at_desktop(driver, page.cards, where)
        assert_fits(driver, f"{where} at {DESKTOP[0]} px")
        _capture(driver, ARTIFACTS / f"desktop-{page.name}.png")

        # The phone.
        as_phone(driver)
        assert driver.execute_script("return window.innerWidth") == PHONE[0]
        assert_fits(driver, f"{where} at {PHONE[0]} px")
        assert_menu_folds(driver, where)
        if page.cards:
            assert_cards(driver, page.cards, where)
        if page.axe:
            run_axe(driver, f"phone-{page.name}")
        driver.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
        _capture(driver, ARTIFACTS / f"phone-{page.name}.png")
    finally:
        reset_viewport(driver)


def test_the_phone_menu_works_with_the_keyboard(driver):
    """Tab from the top: the skip link, the brand, the language button, then the Menu toggle; Enter opens it and
    Tab goes on into its links; the open menu passes axe and is photographed (phone-menu-open.png)."""
    ensure_signed_in(driver, "klantmanager")
    open_page(driver, "/families")
    try:
        as_phone(driver)
        driver.execute_script("document.activeElement && document.activeElement.blur(); window.scrollTo(0, 0)")
        summary = one(driver, "details.nav-menu > summary")
        for _ in range(8):
            ActionChains(driver).send_keys(Keys.TAB).perform()
            if driver.switch_to.active_element == summary:
                break
        assert driver.switch_to.active_element == summary, "Tab does not reach the Menu toggle"
        focus = driver.execute_script("const s = getComputedStyle(arguments[0]); return [s.outlineStyle, s.outlineWidth]",
                                      summary)
        assert focus[0] != "none" and focus[1] != "0px", f"the Menu toggle shows no focus ({focus})"
        ActionChains(driver).send_keys(Keys.ENTER).perform()
        menu = one(driver, "details.nav-menu")
        wait_for(driver, lambda d: menu.get_attribute("open") is not None, message="Enter does not open the menu")
        ActionChains(driver).send_keys(Keys.TAB).perform()
        first = [a for a in nav_links(driver, ".nav-menu") if a.is_displayed()][0]
        assert driver.switch_to.active_element == first, "Tab does not go on into the open menu"
        run_axe(driver, "phone-menu-open")
        driver.execute_script("window.scrollTo(0, 0)")
        _capture(driver, ARTIFACTS / "phone-menu-open.png")
    finally:
        reset_viewport(driver)
