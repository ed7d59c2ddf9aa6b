"""Group series in the browser (issue 14): a case manager plans a Tigrinya mothers' series with Samira Haddad as key
person (an error next to its field first), adds a session, invites a newly settled mother; the trainer starts on
their series and records attendance. Every page goes through check_page (language, axe, widths, keyboard)."""

from __future__ import annotations

import uuid

import requests
from selenium.webdriver.common.by import By

from conftest import PASSWORD, check_page, ensure_signed_in, fill, flash, follow_link, many, one, open_page, path_of, \
    select_by_text, submit, t, assert_field_error


def _api_token(base: str, user: str) -> str:
    answer = requests.post(f"{base}/api/v1/session", json={"username": user, "password": PASSWORD}, timeout=30)
    assert answer.status_code == 201, answer.text
    return answer.json()["token"]


def test_plan_a_series_invite_and_record_attendance(driver):
    base = driver.ww_base
    # A Tigrinya-speaking mother who settled this year, registered through the API.
    mother = f"Mebrat{uuid.uuid4().hex[:6]}"
    lead = _api_token(base, "klantmanager")
    created = requests.post(f"{base}/api/v1/families", headers={"Authorization": f"Bearer {lead}"}, timeout=30, json={
        "name": f"Tesfamariam {mother}",
        "members": [{"role": "parent", "givenName": mother, "gender": "female", "languagesSpoken": ["ti"],
                     "settlementDate": "2026-06-01"}]})
    assert created.status_code == 201, created.text

    ensure_signed_in(driver, "klantmanager")
    follow_link(driver, "/groups")
    assert path_of(driver) == "/groups"
    check_page(driver, "groups", "nl")
    follow_link(driver, "/groups/new")
    check_page(driver, "group-new", "nl")
    select_by_text(driver, "offerId", "Moedergroep in het Tigrinya: opgroeien in Nederland")
    select_by_text(driver, "language", "Perzisch")
    one(driver, "#audience-mothers").click()
    fill(driver, "minSize", "2")
    fill(driver, "maxSize", "12")
    fill(driver, "place", "D03")
    fill(driver, "location", "Buurthuis De Horst")
    one(driver, "#time-daytime").click()
    driver.execute_script("document.getElementById('startsOn').value = '2027-01-04';"
                          "document.getElementById('endsOn').value = '2027-02-28';")
    keyPerson = [o for o in many(driver, "#keyPersonId option") if o.text.startswith("Samira Haddad")][0]
    keyPerson.click()
    trainer = [o for o in many(driver, "#trainerId option") if o.text.startswith("Tamar Bakker")][0]
    trainer.click()
    # Samira does not speak Persian: the message stands next to the field.
    status = submit(driver, one(driver, "form[action='/groups/new'] button[type=submit]"))
    assert status == 422
    assert_field_error(driver, "keyPersonId", t("nl", "error.does-not-speak-language"))
    check_page(driver, "group-new-error", "nl")
    select_by_text(driver, "language", "Tigrinya")
    status = submit(driver, one(driver, "form[action='/groups/new'] button[type=submit]"))
    assert status == 200 and path_of(driver).startswith("/groups/"), path_of(driver)
    assert flash(driver) == t("nl", "flash.seriesPlanned")
    series_path = path_of(driver)

    # A session inside the series' dates.
    driver.execute_script("document.getElementById('date').value = '2027-01-06';"
                          "document.getElementById('startsAt').value = '10:00';"
                          "document.getElementById('endsAt').value = '12:00';")
    select_by_text(driver, "topic", t("nl", "theme.school-system"))
    submit(driver, one(driver, "#session-form button[type=submit]"))
    assert flash(driver) == t("nl", "flash.sessionAdded")
    assert t("nl", "theme.school-system") in one(driver, "#session-1").text

    # The newly settled mother is on the invitation list.
    invite = [li for li in many(driver, "#invite li") if mother in li.text]
    assert invite, "the newly settled mother is not on the invitation list"
    submit(driver, one(driver, "button", invite[0]))
    assert flash(driver) == t("nl", "flash.parentAdded")
    assert mother in one(driver, "#participants").text
    check_page(driver, "group-series", "nl")
    # Her invitation to print: a letter in Tigrinya (Ge'ez script), no note for the key person needed.
    links = [a for a in many(driver, "#participants a") if "/invitation" in a.get_attribute("href")]
    assert links, "no invitation link"
    submit(driver, links[0])
    assert one(driver, "#letter").get_attribute("lang") == "ti"
    assert not many(driver, "#fallback-note")
    assert mother in one(driver, "#message-text").text
    check_page(driver, "group-invitation", "nl")
    open_page(driver, series_path)

    # The trainer starts on their series and records who came.
    ensure_signed_in(driver, "trainer")
    open_page(driver, "/")
    assert path_of(driver) == "/groups"
    follow_link(driver, series_path)
    radios = [r for r in many(driver, "#session-1 input[type=radio][value=present]")]
    assert radios, "no attendance form for the trainer"
    radios[0].click()
    fill(driver, "childcareHeadcount-1", "2")
    submit(driver, one(driver, "#session-1 button[type=submit]"))
    assert flash(driver) == t("nl", "flash.attendanceSaved")
    assert one(driver, "#session-1 input[type=radio][value=present]").is_selected()
    check_page(driver, "group-series-trainer", "nl")
