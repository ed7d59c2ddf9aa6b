"""The parents' evaluation of a group series (issue 14, item 6): a case manager opens it, a parent answers on a phone
(no account, no cookie), in the group's Tigrinya and in Arabic (right to left), and the results show on the series' evaluation page
and its printable paper version. Every page goes through check_page (language, axe, 360 px, keyboard)."""

from __future__ import annotations

import requests

from conftest import PASSWORD, check_page, ensure_signed_in, one, open_page, set_width, submit, text_of


def _api_token(base: str, user: str) -> str:
    answer = requests.post(f"{base}/api/v1/session", json={"username": user, "password": PASSWORD}, timeout=30)
    assert answer.status_code == 201, answer.text
    return answer.json()["token"]


def _assert_qr_reads(driver, path: str) -> None:
    """The QR code on the paper version decodes to the link (with zxing-cpp, when it is installed)."""
    try:
        import io

        import zxingcpp
        from PIL import Image
    except ImportError:
        return
    picture = Image.open(io.BytesIO(one(driver, "#evaluation-qr").screenshot_as_png)).convert("L")
    found = zxingcpp.read_barcodes(picture)
    assert found and found[0].text.endswith(path), f"the QR code reads {[r.text for r in found]}"


def test_parents_answer_on_a_phone_and_staff_see_the_results(driver):
    base = driver.ww_base
    lead = _api_token(base, "klantmanager")
    auth = {"Authorization": f"Bearer {lead}"}
    # A Tigrinya mothers' series led by Tamar Bakker with Samira Haddad, two sessions, planned through the API with
    # the facilitators' ids as the planning form offers them.
    ensure_signed_in(driver, "klantmanager")
    open_page(driver, "/groups/new")
    trainer = [o for o in driver.find_elements("css selector", "#trainerId option") if o.text.startswith("Tamar Bakker")][0]
    key_person = [o for o in driver.find_elements("css selector", "#keyPersonId option") if o.text.startswith("Samira Haddad")][0]
    created = requests.post(f"{base}/api/v1/groups/series", headers=auth, timeout=30, json={
        "offerId": "5a0e0c1e-0036-4c3a-9f00-000000000036", "language": "ti", "audience": "mothers", "minSize": 2,
        "maxSize": 12, "place": "D03", "time": "daytime", "startsOn": "2029-03-05", "endsOn": "2029-04-30",
        "trainerId": trainer.get_attribute("value"), "keyPersonId": key_person.get_attribute("value")})
    assert created.status_code == 201, created.text
    series_id = created.json()["series"]["id"]
    for date, topic in (("2029-03-07", "school-system"), ("2029-03-14", "care-system")):
        session = requests.post(f"{base}/api/v1/groups/series/{series_id}/sessions", headers=auth, timeout=30,
                                json={"date": date, "startsAt": "10:00", "endsAt": "12:00", "topic": topic})
        assert session.status_code == 201, session.text
    opened = requests.post(f"{base}/api/v1/groups/series/{series_id}/evaluation", headers=auth, timeout=30)
    assert opened.status_code == 201, opened.text
    path = opened.json()["path"]

    # The staff page: the link to hand out.
    ensure_signed_in(driver, "klantmanager")
    open_page(driver, f"/groups/{series_id}/evaluation")
    check_page(driver, "group-evaluation", "nl")
    assert one(driver, "#evaluation-link").get_attribute("href").endswith(path)
    open_page(driver, f"/groups/{series_id}/evaluation/print")
    check_page(driver, "group-evaluation-print", "ti")
    assert path in text_of(driver, "#evaluation-link")
    _assert_qr_reads(driver, path)

    # A parent's phone: no account, no cookie before or after.
    driver.delete_all_cookies()
    set_width(driver, 360)
    status = open_page(driver, path)
    assert status == 200
    check_page(driver, "group-evaluation-form", "ti")
    one(driver, "label[for='q-learned-yes']").click()
    one(driver, "label[for='q-know-where-a-little']").click()
    one(driver, "label[for='q-at-home-yes']").click()
    status = submit(driver, one(driver, "button.ev-send"))
    assert status == 200
    assert driver.get_cookies() == [], driver.get_cookies()
    assert text_of(driver, "h1") == "የቐንየልና!"
    check_page(driver, "group-evaluation-thanks", "ti")

    # The same form in Arabic, right to left.
    open_page(driver, path + "?lang=ar")
    check_page(driver, "group-evaluation-form", "ar")
    one(driver, "label[for='q-recommend-yes']").click()
    status = submit(driver, one(driver, "button.ev-send"))
    assert status == 200
    check_page(driver, "group-evaluation-thanks", "ar")
    assert driver.get_cookies() == []

    # The results, for the case manager.
    ensure_signed_in(driver, "klantmanager")
    open_page(driver, f"/groups/{series_id}/evaluation")
    assert text_of(driver, "#evaluation-responses") == "2"
    check_page(driver, "group-evaluation-results", "nl")
