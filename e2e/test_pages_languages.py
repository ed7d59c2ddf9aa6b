"""Every staff page, in each language the UI offers (Dutch, English; later ones come from Resources/Locales).

Each page is loaded as a role that may see it and goes through check_page: <html lang>/dir, no raw translation keys,
axe (WCAG 2.1 A/AA), no horizontal scrolling and no words cut in two at 360 and 1280 px, every control reachable by
Tab with a visible focus, and screenshots (e2e/artifacts/page-<name>-<lang>-<width>.png).

A later issue that adds a page adds a line to PAGES.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
import requests
from selenium.webdriver.common.by import By

from conftest import AUDIT_ACTIONS, PASSWORD, UI_LANGUAGES, check_page, ensure_signed_in, open_page, path_of


# A demo offer of another organisation than partner-jgz's (the CJG's theme evening on puberty; the demo offers have
# fixed ids).
DEMO_OFFER = "5a0e0c1e-0015-4c3a-9f00-000000000015"


@dataclass(frozen=True)
class Page:
    name: str
    user: str | None  # who opens it (None: signed out)
    path: str  # may name {family}, {member} (a demo family of the case manager), {own_family} (the user's own)
    #            or {own_offer} (an offer of the user's own organisation)
    status: int = 200
    allowed_keys: tuple = ()


PAGES = [
    Page("login", None, "/login"),
    Page("home-policy-officer", "beleid", "/"),
    Page("no-access-policy-officer", "beleid", "/families", status=403),
    Page("my-families", "klantmanager", "/my-families"),
    Page("families", "klantmanager", "/families"),
    Page("families-page-2", "klantmanager", "/families?page=2"),
    Page("family-new", "klantmanager", "/families/new"),
    Page("family", "klantmanager", "/families/{family}"),
    Page("family-edit", "klantmanager", "/families/{family}/edit"),
    Page("family-close", "klantmanager", "/families/{family}/close"),
    Page("member-new-parent", "klantmanager", "/families/{family}/members/new?role=parent"),
    Page("member-new-child", "klantmanager", "/families/{family}/members/new?role=child"),
    Page("member-edit", "klantmanager", "/families/{family}/members/{member}/edit"),
    Page("consents", "klantmanager", "/families/{family}/consents"),
    Page("not-found", "klantmanager", "/families/{random}", status=404),
    Page("no-access-audit", "klantmanager", "/admin/audit", status=403),
    Page("catalogue", "klantmanager", "/catalog"),
    Page("catalogue-filtered", "klantmanager", "/catalog?theme=puberty&age=13"),
    Page("offer", "klantmanager", f"/catalog/{DEMO_OFFER}"),
    Page("key-person-my-families", "sleutelpersoon", "/my-families"),
    Page("key-person-family", "sleutelpersoon", "/families/{own_family}"),
    Page("key-person-consents", "sleutelpersoon", "/families/{own_family}/consents"),
    Page("social-worker-my-families", "begeleider", "/my-families"),
    Page("partner-home", "partner-jgz", "/"),
    Page("partner-my-families", "partner-jgz", "/my-families"),
    Page("partner-offer-new", "partner-jgz", "/catalog/new"),
    Page("partner-offer-own", "partner-jgz", "/catalog/{own_offer}"),
    Page("partner-offer-edit", "partner-jgz", "/catalog/{own_offer}/edit"),
    Page("partner-offer-edit-other", "partner-jgz", f"/catalog/{DEMO_OFFER}/edit", status=403),
    Page("facilitator-home", "trainer", "/"),
    Page("catalogue-import", "admin", "/admin/catalog/import"),
    Page("audit", "admin", "/admin/audit"),
    Page("audit-results", "admin", "/admin/audit?user=klantmanager", allowed_keys=AUDIT_ACTIONS),
    Page("intake", "klantmanager", "/families/{family}/intake"),
    Page("intake-screening", "klantmanager", "/families/{family}/intake/screening"),
    Page("worklist", "klantmanager", "/worklist"),
    Page("key-person-intake", "sleutelpersoon", "/families/{own_family}/intake"),
    Page("key-person-worklist", "sleutelpersoon", "/worklist"),
    Page("referrals", "klantmanager", "/referrals"),
    Page("referrals-open", "klantmanager", "/referrals?status=open"),
    Page("family-referrals", "klantmanager", "/families/{family}/referrals"),
    Page("referral-new", "klantmanager", "/families/{family}/referrals/new"),
    Page("notifications", "klantmanager", "/notifications"),
    Page("key-person-referrals", "sleutelpersoon", "/referrals"),
    Page("partner-inbox", "partner-jgz", "/referrals"),
    Page("partner-notifications", "partner-jgz", "/notifications"),
    Page("referral-settings", "admin", "/admin/referral-settings"),
    Page("users", "admin", "/admin/users"),
    Page("user-new", "admin", "/admin/users/new"),
    Page("no-access-users", "klantmanager", "/admin/users", status=403),
    Page("translations", "admin", "/admin/translations"),
    Page("translation-source", "admin", "/admin/translations/school/nl"),
    Page("translation-key-person", "sleutelpersoon", "/admin/translations/school/ti"),
    Page("translation-read-only", "klantmanager", "/admin/translations/school/ar"),
    Page("groups", "klantmanager", "/groups"),
    Page("group-new", "klantmanager", "/groups/new"),
    Page("groups-plan", "klantmanager", "/groups/plan"),
    Page("key-person-groups", "sleutelpersoon", "/groups"),
    Page("no-access-groups-partner", "partner-jgz", "/groups", status=403),
]

CASES = [(lang, page) for lang in UI_LANGUAGES for page in PAGES]

_ids: dict = {}


def _first_family_link(driver) -> str | None:
    open_page(driver, "/my-families")
    links = driver.find_elements(By.CSS_SELECTOR, "main table tbody tr td:first-child a")
    return links[0].get_attribute("href").rsplit("/", 1)[1] if links else None


def _own_offer(driver, user: str) -> str:
    """An offer of `user`'s organisation: the organisation from the new-offer form (a partner can choose only its
    own), its offers from the API (GET /api/v1/offers?organisationId=..., with a token for `user`)."""
    open_page(driver, "/catalog/new")
    organisation = driver.find_element(By.CSS_SELECTOR, "#organisationId option[selected]").get_attribute("value")
    session = requests.post(driver.ww_base + "/api/v1/session", json={"username": user, "password": PASSWORD},
                            timeout=10)
    assert session.status_code in (200, 201), f"no API token for {user}: {session.status_code}"
    token = session.json()["token"]
    try:
        response = requests.get(driver.ww_base + "/api/v1/offers", params={"organisationId": organisation, "per": 50},
                                headers={"Authorization": f"Bearer {token}"}, timeout=10)
        assert response.status_code == 200, f"listing the offers of {organisation} answered {response.status_code}"
        offers = sorted(response.json()["items"], key=lambda item: item["offer"]["name"])
    finally:
        requests.delete(driver.ww_base + "/api/v1/session", headers={"Authorization": f"Bearer {token}"}, timeout=10)
    assert offers, f"{user}'s organisation has no offer"
    assert all(item["organisationId"].lower() == organisation.lower() for item in offers)
    return offers[0]["id"].lower()


def resolve(driver, page: Page) -> str:
    """Fills in the ids a path names, from what the signed-in user's own pages link to."""
    path = page.path
    if "{family}" in path or "{member}" in path:
        if "family" not in _ids:
            open_page(driver, "/families")
            _ids["family"] = driver.find_element(
                By.CSS_SELECTOR, "main table tbody tr td:first-child a").get_attribute("href").rsplit("/", 1)[1]
        if "{member}" in path and "member" not in _ids:
            open_page(driver, f"/families/{_ids['family']}")
            edit = driver.find_element(By.CSS_SELECTOR, "main section.card a[href$='/edit']").get_attribute("href")
            _ids["member"] = edit.split("/members/")[1].split("/")[0]
    if "{own_family}" in path:
        key = f"own:{page.user}"
        if key not in _ids:
            _ids[key] = _first_family_link(driver)
            assert _ids[key], f"{page.user} has no family to open"
        path = path.replace("{own_family}", _ids[key])
    if "{own_offer}" in path:
        key = f"own_offer:{page.user}"
        if key not in _ids:
            _ids[key] = _own_offer(driver, page.user)
        path = path.replace("{own_offer}", _ids[key])
    return path.format(family=_ids.get("family", ""), member=_ids.get("member", ""), random=uuid.uuid4())


@pytest.mark.parametrize("lang,page", CASES, ids=[f"{lang}-{page.name}" for lang, page in CASES])
def test_page(driver, lang, page):
    ensure_signed_in(driver, page.user, lang)
    path = resolve(driver, page)
    status = open_page(driver, path)
    assert status == page.status, f"{path} answered {status}, expected {page.status}"
    assert path_of(driver) == path or page.path == "/", f"{path} led to {driver.current_url}"
    assert driver.find_elements(By.CSS_SELECTOR, "main h1"), f"{path} has no <h1>"
    check_page(driver, f"page-{page.name}", lang, allowed_keys=page.allowed_keys)
