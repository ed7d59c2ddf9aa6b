"""What the planner knows of people, in the browser (issue 14, item 4; docs/groups.md "When parents can come"): the
coordinator opens a waiting parent on the planner page, is told next to the field that a time of day is needed,
records evening only; the page says which parents still have the defaults. A session's printable hand-out in the
group's language. Every page goes through check_page (language, axe, widths, keyboard).

The parent changed is a Ukrainian mother of the demo: nobody speaks Ukrainian, so the demo's plan stays the same."""

from __future__ import annotations

import requests

from conftest import PASSWORD, check_page, ensure_signed_in, one, open_page, submit, t, assert_field_error

DEMO_OFFER = "5a0e0c1e-0037-4c3a-9f00-000000000037"


def _api_token(base: str, user: str) -> str:
    answer = requests.post(f"{base}/api/v1/session", json={"username": user, "password": PASSWORD}, timeout=30)
    assert answer.status_code == 201, answer.text
    return answer.json()["token"]


def test_availability_form_on_the_planner_page(driver):
    ensure_signed_in(driver, "klantmanager")
    assert open_page(driver, f"/groups/plan?offer={DEMO_OFFER}") == 200
    assert one(driver, "#default-note").is_displayed()
    rows = [li for li in driver.find_elements("css selector", "#availability-list > li") if "Olena" in li.text]
    assert rows, "Olena waits for the group"
    row = rows[0]
    member = row.get_attribute("id").removeprefix("parent-")
    status = submit(driver, one(driver, f"#change-{member}"))
    assert status == 200 and one(driver, f"form[action='/groups/plan/availability/{member}']").is_displayed()
    check_page(driver, "group-availability", "nl")
    # Nothing ticked: the message stands next to the times, nothing is saved.
    for box in driver.find_elements("css selector", f"#times-{member} input[type=checkbox]"):
        if box.is_selected():
            box.click()
    status = submit(driver, one(driver, f"form[action='/groups/plan/availability/{member}'] button[type=submit]"))
    assert status == 422
    assert_field_error(driver, f"times-{member}", t("nl", "error.required"))
    check_page(driver, "group-availability-error", "nl")
    one(driver, f"#times-{member}-evening").click()
    status = submit(driver, one(driver, f"form[action='/groups/plan/availability/{member}'] button[type=submit]"))
    assert status == 200
    summary = one(driver, f"#parent-{member} .availability-summary").text
    assert "'s avonds" in summary.lower() and "overdag" not in summary.lower(), summary
    assert t("nl", "groups.availability.default") not in summary
    # The planner still names why she waits.
    assert any("Olena" in li.text for li in driver.find_elements("css selector", "#unplaced li"))


def test_handout_in_the_groups_language(driver):
    base = driver.ww_base
    lead = _api_token(base, "klantmanager")
    headers = {"Authorization": f"Bearer {lead}"}
    # The trainer's and the key person's ids, as the planning form lists them.
    users = {}
    ensure_signed_in(driver, "klantmanager")
    assert open_page(driver, "/groups/new") == 200
    for field, label in (("trainerId", "Tamar Bakker"), ("keyPersonId", "Samira Haddad")):
        option = [o for o in driver.find_elements("css selector", f"#{field} option") if o.text.startswith(label)][0]
        users[field] = option.get_attribute("value")
    series = requests.post(f"{base}/api/v1/groups/series", headers=headers, timeout=30, json={
        "offerId": "5a0e0c1e-0036-4c3a-9f00-000000000036", "language": "ar", "audience": "mothers", "place": "D03",
        "time": "daytime", "startsOn": "2027-05-03", "endsOn": "2027-06-30", "trainerId": users["trainerId"],
        "keyPersonId": users["keyPersonId"]})
    assert series.status_code == 201, series.text
    series_id = series.json()["series"]["id"]
    session = requests.post(f"{base}/api/v1/groups/series/{series_id}/sessions", headers=headers, timeout=30, json={
        "date": "2027-05-12", "startsAt": "16:00", "endsAt": "17:00", "topic": "school-system"})
    assert session.status_code == 201, session.text
    session_id = session.json()["sessions"][0]["id"]

    ensure_signed_in(driver, "klantmanager")
    assert open_page(driver, f"/groups/{series_id}") == 200
    link = one(driver, "#handout-1")
    assert link.get_attribute("href").endswith(f"/groups/{series_id}/sessions/{session_id}/handout")
    assert open_page(driver, f"/groups/{series_id}/sessions/{session_id}/handout") == 200
    article = one(driver, "#handout")
    assert article.get_attribute("lang") == "ar" and article.get_attribute("dir") == "rtl"
    assert one(driver, "#handout-addresses").is_displayed()
    check_page(driver, "group-handout", "nl")
