"""Closed-loop referrals (issue 8) through the browser, as the issue's "done when" tells it: the case manager refers the
Tigrinya-speaking mother (the demo family Habte, who consented to a referral to the JGZ) to the mothers' group, the
partner accepts and places her on the waiting list, the key person goes along to the first meeting, the outcome reaches
the lead; and a partner cannot see any family that was not referred to it. Every page goes through check_page.
The partner's referral page offers one step at a time (issue 16, item 4): the others are folded in a <details>, opened
here by clicking its summary as a user would; screenshots of the partner's page per state at 1280 and 390 px go to
e2e/artifacts/referral-partner-<state>-*.png."""

from __future__ import annotations

import datetime
import re

import requests
from selenium.webdriver.common.by import By

from conftest import (PASSWORD, assert_field_error, check_page, ensure_signed_in, fill, follow_link, many, one, open_page,
                      path_of, screenshot, select_by_text, submit, t)

TODAY = datetime.date.today()
REFERRAL_PATH = re.compile(r"^/referrals/([0-9A-Fa-f-]{36})$")
MOTHERS_GROUP = "Moedergroep in het Tigrinya: opgroeien in Nederland"


def api(driver, user: str) -> dict:
    session = requests.post(driver.ww_base + "/api/v1/session", json={"username": user, "password": PASSWORD}, timeout=10)
    assert session.status_code == 201, session.text
    return {"Authorization": f"Bearer {session.json()['token']}"}


def family_id(driver, name: str) -> str:
    found = requests.post(driver.ww_base + "/api/v1/families/search", json={"name": name}, headers=api(driver, "klantmanager"),
                          timeout=10)
    assert found.status_code == 200, found.text
    items = [item for item in found.json()["items"] if item["name"] == name]
    assert items, f"no demo family {name}"
    return items[0]["id"]


def status_text(driver) -> str:
    return one(driver, "#referral-status").text.strip()


def open_step(driver, to: str) -> None:
    """Unfolds a step that is not the page's next one (a <details>), as a user clicks its summary."""
    folded = driver.find_elements(By.CSS_SELECTOR, f"details#more-{to}")
    if folded and folded[0].get_attribute("open") is None:
        summary = folded[0].find_element(By.TAG_NAME, "summary")
        driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", summary)
        summary.click()


def step(driver, to: str) -> int | None:
    open_step(driver, to)
    return submit(driver, one(driver, f"#step-{to} button[type=submit]"))


def primary_step(driver) -> list[str]:
    """The page's one next step (the form shown open), by its form id."""
    return [form.get_attribute("id") for form in driver.find_elements(By.CSS_SELECTOR, "#steps form.step-primary")]


def partner_page(driver, state: str) -> None:
    screenshot(driver, f"referral-partner-{state}", widths=(1280, 390))


def test_refer_the_mother_through_to_the_outcome(driver):
    family = family_id(driver, "Habte")

    # The case manager refers, from the family's page.
    ensure_signed_in(driver, "klantmanager")
    open_page(driver, f"/families/{family}")
    follow_link(driver, f"/families/{family}/referrals")
    check_page(driver, "family-referrals", "nl")
    follow_link(driver, f"/families/{family}/referrals/new")
    check_page(driver, "referral-new", "nl")
    select_by_text(driver, "offerId", MOTHERS_GROUP)
    aron = [box for box in many(driver, "#memberIds input[type=checkbox]")
            if "Aron" in driver.find_element(By.CSS_SELECTOR, f"label[for='{box.get_attribute('id')}']").text]
    assert aron, "the child is not offered"
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", aron[0])
    if not aron[0].is_selected():
        aron[0].click()
    # Without a reason nothing is sent: the message stands next to the field.
    assert submit(driver, one(driver, "button[name=send][value='1']")) == 422
    assert_field_error(driver, "reason", t("nl", "error.required"))
    check_page(driver, "referral-new-errors", "nl")
    fill(driver, "reason", "Wil andere moeders ontmoeten en weten hoe de school werkt")
    fill(driver, "ownWords", "Ik ben vaak alleen met Aron")
    assert submit(driver, one(driver, "button[name=send][value='1']")) == 200
    match = REFERRAL_PATH.match(path_of(driver))
    assert match, f"not on the referral: {driver.current_url}"
    referral = match.group(1)
    assert status_text(driver) == t("nl", "referralStatus.sent")
    check_page(driver, "referral-lead", "nl")

    # The partner finds it in the inbox, sees only what is shared, accepts and places her on the waiting list.
    ensure_signed_in(driver, "partner-jgz")
    open_page(driver, "/referrals")
    check_page(driver, "partner-inbox", "nl")
    follow_link(driver, f"/referrals/{referral}")
    check_page(driver, "partner-referral", "nl")
    shared = one(driver, "main").text
    assert "Senait" in shared and "Ik ben vaak alleen met Aron" in shared
    assert "Habte" not in shared and "Stationsstraat" not in shared, "the partner sees more than was shared"
    # One action at a time: accepting is the form; declining is folded away, its fields hidden until opened.
    assert primary_step(driver) == ["step-accepted"]
    assert one(driver, "#answer-by").text.strip()
    assert not one(driver, "#declined-declineReason").is_displayed()
    partner_page(driver, "sent")
    open_step(driver, "declined")
    assert one(driver, "#declined-declineReason").is_displayed()
    screenshot(driver, "referral-partner-sent-decline-open", widths=(1280, 390))
    assert step(driver, "accepted") == 200
    assert status_text(driver) == t("nl", "referralStatus.accepted")
    assert primary_step(driver) == ["step-first-contact-planned"]
    # A date in the past is refused next to the field.
    open_step(driver, "waiting-list")
    fill(driver, "waiting-list-expectedDate", (TODAY - datetime.timedelta(days=1)).isoformat())
    assert step(driver, "waiting-list") == 422
    assert_field_error(driver, "waiting-list-expectedDate", t("nl", "error.past-date"))
    fill(driver, "waiting-list-expectedDate", (TODAY + datetime.timedelta(days=14)).isoformat())
    assert step(driver, "waiting-list") == 200
    assert status_text(driver) == t("nl", "referralStatus.waiting-list")
    assert driver.find_elements(By.CSS_SELECTOR, "#expected-on")
    partner_page(driver, "waiting-list")
    # The first meeting, with the key person going along.
    fill(driver, "first-contact-planned-plannedOn", (TODAY + datetime.timedelta(days=14)).isoformat())
    fill(driver, "first-contact-planned-plannedTime", "09:30")
    select_by_text(driver, "first-contact-planned-companionId", "Samira Haddad (" + t("nl", "role.keyPerson") + ")")
    assert step(driver, "first-contact-planned") == 200
    assert status_text(driver) == t("nl", "referralStatus.first-contact-planned")
    # The expected date no longer applies once the first contact is planned.
    assert not driver.find_elements(By.CSS_SELECTOR, "#expected-on")
    assert primary_step(driver) == ["step-first-contact-made"]
    partner_page(driver, "first-contact-planned")

    # It is on the key person's worklist; afterwards she records that they went together.
    ensure_signed_in(driver, "sleutelpersoon")
    open_page(driver, "/worklist?kind=first-contact-coming")
    work = one(driver, f"li.card[data-kind='first-contact-coming']").text
    assert t("nl", "workKind.first-contact-coming") in work and "09:30" in work, work
    follow_link(driver, f"/referrals/{referral}")
    check_page(driver, "key-person-referral", "nl")
    one(driver, "#handover-yes").click()
    assert submit(driver, one(driver, "#handover button[type=submit]")) == 200
    assert status_text(driver) == t("nl", "referralStatus.first-contact-made")

    # The partner reports progress and the outcome.
    ensure_signed_in(driver, "partner-jgz")
    open_page(driver, f"/referrals/{referral}")
    assert not driver.find_elements(By.CSS_SELECTOR, "#planned-on"), "the plan lingers after the first contact"
    assert primary_step(driver) == ["step-active"]
    partner_page(driver, "first-contact-made")
    assert step(driver, "active") == 200
    partner_page(driver, "active")
    open_step(driver, "completed")
    select_by_text(driver, "completed-outcome", t("nl", "referralOutcome.goal-reached"))
    assert step(driver, "completed") == 200
    assert status_text(driver) == t("nl", "referralStatus.completed")
    assert primary_step(driver) == []
    partner_page(driver, "completed")

    # The outcome reaches the lead.
    ensure_signed_in(driver, "klantmanager")
    open_page(driver, "/notifications")
    check_page(driver, "notifications", "nl")
    notes = one(driver, "#notifications").text
    assert "afgerond bij GGD Rijnstreek" in notes, notes
    follow_link(driver, f"/referrals/{referral}")
    assert status_text(driver) == t("nl", "referralStatus.completed")
    history = one(driver, "#history").text
    for state in ("accepted", "waiting-list", "first-contact-planned", "first-contact-made", "active", "completed"):
        assert t("nl", f"referralStatus.{state}") in history, state


def test_a_partner_sees_no_family_that_was_not_referred_to_it(driver):
    other = family_id(driver, "Haddad")
    ensure_signed_in(driver, "partner-jgz")
    assert open_page(driver, f"/families/{other}") == 404
    assert open_page(driver, f"/families/{other}/referrals") == 404
    open_page(driver, "/referrals")
    assert "Haddad" not in one(driver, "main").text
    # Another organisation's referral of a family is not there either: the lead's list shows more than the inbox.
    headers = api(driver, "partner-jgz")
    inbox = requests.get(driver.ww_base + "/api/v1/referrals/inbox?per=100", headers=headers, timeout=10).json()
    assert all(item.get("familyName") is None and item.get("familyId") is None for item in inbox["items"])
    assert requests.get(driver.ww_base + f"/api/v1/families/{other}", headers=headers, timeout=10).status_code == 404


def test_a_case_manager_without_consent_cannot_send(driver):
    family = family_id(driver, "Haddad")
    ensure_signed_in(driver, "klantmanager")
    open_page(driver, f"/families/{family}/referrals/new")
    assert one(driver, "#no-consent").is_displayed()
    select_by_text(driver, "offerId", MOTHERS_GROUP)
    fill(driver, "reason", "Zoekt contact met andere moeders")
    assert submit(driver, one(driver, "button[name=send][value='1']")) == 422
    assert_field_error(driver, "consentId", t("nl", "error.consent-required"))
