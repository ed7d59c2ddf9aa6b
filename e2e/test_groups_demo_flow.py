"""Issue 14's "Done when" through the browser, on the demo data of a fresh server (docs/groups.md, "The demo"):
the coordinator sees 30 waiting parents in five languages on the planner, the proposals and who cannot be placed
and why; creates the Tigrinya mothers' series with Samira Haddad as key person; prints the invitations (Tigrinya
letters); the trainer adds five sessions and records attendance at all five; parents fill in the anonymous evaluation
on a phone-sized window (390 px) through its link; and the results and the remaining waiting list show. Every page
goes through check_page (language, axe, widths, keyboard).

The test runs on its own server, so what other tests planned does not change the demo's waiting list."""

from __future__ import annotations

import datetime

import pytest
import requests

from conftest import assert_field_error, check_page, ensure_signed_in, fill, flash, follow_link, many, one, open_page, path_of, \
    reset_viewport, select_by_text, set_width, start_server, submit, t, text_of

OFFER_ID = "5a0e0c1e-0037-4c3a-9f00-000000000037"
OFFER_NAME = "Oudergroepen in de eigen taal: opgroeien in Nederland"
LANGUAGES = {"Tigrinya", "Arabisch", "Perzisch", "Somalisch", "Oekraïens"}


@pytest.fixture(scope="module")
def demo_server():
    return start_server(name="groups-demo")


@pytest.fixture
def demo_driver(driver_session, demo_server):
    """The shared browser on this module's own server (signed out before and after)."""
    reset_viewport(driver_session)
    previous = getattr(driver_session, "ww_base", None)
    driver_session.ww_base = demo_server.base_url
    driver_session.ww_user = None
    yield driver_session
    reset_viewport(driver_session)
    driver_session.delete_all_cookies()
    driver_session.ww_user = None
    if previous:
        driver_session.ww_base = previous


def _open_planner(driver) -> None:
    open_page(driver, "/groups")
    follow_link(driver, "/groups/plan")
    select_by_text(driver, "offer", OFFER_NAME)
    submit(driver, one(driver, "form[action='/groups/plan'] button[type=submit]"))
    assert path_of(driver).startswith("/groups/plan?offer="), path_of(driver)


def _demand(driver) -> dict[str, tuple[int, str]]:
    rows = {}
    for row in many(driver, "#demand tbody tr"):
        cells = row.find_elements("css selector", "th, td")
        rows[cells[0].text.strip()] = (int(cells[1].text.strip()), cells[2].text.strip())
    return rows


def test_done_when_demo_flow(demo_driver):
    driver = demo_driver
    ensure_signed_in(driver, "klantmanager")

    # 1. The planner: 30 parents in five languages, mothers and fathers.
    _open_planner(driver)
    assert text_of(driver, "#waiting-count").endswith("30"), text_of(driver, "#waiting-count")
    demand = _demand(driver)
    assert set(demand) == LANGUAGES, demand
    assert sum(count for count, _ in demand.values()) == 30
    assert demand["Tigrinya"][0] == 8 and "Moeders 8" in demand["Tigrinya"][1]
    assert any("Vaders" in audiences for _, audiences in demand.values())
    # 2. The proposals: a Tigrinya and an Arabic mothers' series; everyone else named, with why.
    proposals = many(driver, "#proposals > li")
    titles = [one(driver, "h3", p).text for p in proposals]
    assert sorted(titles) == ["Moeders · Arabisch", "Moeders · Tigrinya"], titles
    unplaced = [li.text for li in many(driver, "#unplaced li")]
    assert len(unplaced) == 14, unplaced
    assert all(": " in line for line in unplaced)
    # In Dutch, as the page is (the planner's English sentence is the API's): how many, and why.
    assert any(line.endswith("2 moeders die Somalisch spreken: geen sleutelpersoon spreekt Somalisch") for line in unplaced), unplaced
    assert any(line.endswith("1 vader die Somalisch spreekt: geen sleutelpersoon spreekt Somalisch") for line in unplaced), unplaced
    assert any("geen sleutelpersoon spreekt Oekraïens" in line for line in unplaced), unplaced
    assert any("Perzisch" in line and ("te weinig voor een reeks" in line or "zoveel reeksen" in line) for line in unplaced), unplaced
    check_page(driver, "group-plan-demo", "nl")

    # 3. Editing the proposal first: Farid Ahmadi does not speak Tigrinya, which the page says next to the field.
    tigrinya = [p for p in proposals if one(driver, "h3", p).text == "Moeders · Tigrinya"][0]
    assert "Samira Haddad" in tigrinya.text and "Tamar Bakker" in tigrinya.text
    index = one(driver, "input[name=series]", tigrinya).get_attribute("value")
    follow_link(driver, f"/groups/plan?offer={OFFER_ID.upper()}&edit={index}#edit-{index}")
    check_page(driver, "group-plan-edit", "nl")
    farid = [o for o in many(driver, f"#keyPersonId-{index} option") if o.text.startswith("Farid Ahmadi")][0]
    farid.click()
    assert submit(driver, one(driver, f"#edit-{index} button[type=submit]")) == 422
    assert_field_error(driver, f"keyPersonId-{index}", t("nl", "error.does-not-speak-language"))
    check_page(driver, "group-plan-edit-error", "nl")

    # The Tigrinya mothers' series with Samira Haddad as key person, as proposed, in one action.
    tigrinya = [p for p in many(driver, "#proposals > li") if one(driver, "h3", p).text == "Moeders · Tigrinya"][0]
    status = submit(driver, one(driver, "button[type=submit]", tigrinya))
    assert many(driver, "main .success[role=status]"), (status, path_of(driver), text_of(driver, "main")[:600])
    assert flash(driver) == t("nl", "flash.seriesPlanned")
    series_path = path_of(driver)
    assert series_path.startswith("/groups/") and len(many(driver, "#participants tbody tr")) == 8

    # 4. Five sessions, weekly from the series' first day (two weeks from today), the standard topics first.
    first = datetime.date.today() + datetime.timedelta(days=14)
    topics = ["theme.school-system", "theme.sexual-health", "theme.parenting-confidence", "theme.two-cultures",
              "theme.care-system"]
    for week, topic in enumerate(topics):
        day = (first + datetime.timedelta(days=7 * week)).isoformat()
        fill(driver, "date", day)
        fill(driver, "startsAt", "09:30")
        fill(driver, "endsAt", "11:30")
        select_by_text(driver, "topic", t("nl", topic))
        submit(driver, one(driver, "#session-form button[type=submit]"))
        assert flash(driver) == t("nl", "flash.sessionAdded"), text_of(driver, "main")
    assert len(many(driver, "section.session")) == 5
    check_page(driver, "group-series-demo", "nl")

    # The series' calendar link, made on the page: its address shown once, then revoked (the address stops working).
    submit(driver, one(driver, "#calendar-form button[type=submit]"))
    assert flash(driver) == t("nl", "flash.calendarLinkMade")
    address = one(driver, "#calendar-link-url").get_attribute("value")
    assert "/calendar/" in address and address.endswith(".ics")
    feed = driver.ww_base + address[address.index("/calendar/"):]
    check_page(driver, "group-series-calendar-link", "nl")
    assert requests.get(feed, timeout=30).status_code == 200
    open_page(driver, series_path)
    assert not many(driver, "#calendar-link-url") and len(many(driver, "#calendar-links li")) == 1
    submit(driver, one(driver, "#calendar-links button[type=submit]"))
    assert flash(driver) == t("nl", "flash.calendarLinkRevoked")
    assert many(driver, "#no-calendar-links")
    assert requests.get(feed, timeout=30).status_code == 404

    # 5. The invitations: a Tigrinya letter for every mother, and the message text for the key person.
    letters = [a.get_attribute("href") for a in many(driver, "#participants a") if "/invitation" in a.get_attribute("href")]
    assert len(letters) == 8
    for index, href in enumerate(letters):
        open_page(driver, href[len(driver.ww_base):])
        assert one(driver, "#letter").get_attribute("lang") == "ti"
        assert text_of(driver, "#letter h2") == "ዕድመ"
        assert not many(driver, "#fallback-note")
        assert "ብሓጐስ ንዕድመኩም" in text_of(driver, "#message-text")
        if index == 0:
            check_page(driver, "group-invitation-ti", "nl")

    # 6. The trainer records attendance at all five sessions.
    ensure_signed_in(driver, "trainer")
    open_page(driver, series_path)
    for number in range(1, 6):
        section = one(driver, f"#session-{number}")
        radios = many(driver, "input[type=radio][value=present]", section)
        assert len(radios) == 8
        for index, radio in enumerate(radios):
            if index == number:  # one mother excused at each session
                one(driver, "input[type=radio][value=excused]", radio.find_element("xpath", "./ancestor::fieldset")).click()
            else:
                driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", radio)
                radio.click()
        fill(driver, f"childcareHeadcount-{number}", "3")
        submit(driver, one(driver, f"#session-{number} button[type=submit]"))
        assert flash(driver) == t("nl", "flash.attendanceSaved")
        section = one(driver, f"#session-{number}")
        assert len([r for r in many(driver, "input[type=radio]", section) if r.is_selected()]) == 8
    check_page(driver, "group-series-attendance-demo", "nl")

    # 7. The evaluation: the trainer opens it; two mothers answer on a phone through the link (no account, no cookie).
    open_page(driver, f"{series_path}/evaluation")
    submit(driver, one(driver, f"form[action='{series_path}/evaluation/open'] button"))
    link = one(driver, "#evaluation-link").get_attribute("href")
    link_path = link[link.index("/evaluatie/"):]
    driver.delete_all_cookies()
    driver.ww_user = None
    set_width(driver, 390)
    for answers in (("q-learned-yes", "q-know-where-yes", "q-at-home-yes", "q-recommend-yes"),
                    ("q-learned-a-little", "q-know-where-yes", "q-at-home-yes")):
        assert open_page(driver, link_path) == 200
        assert driver.execute_script("return window.innerWidth") == 390
        assert driver.find_element("tag name", "html").get_attribute("lang") == "ti"
        assert "ክትጥቀሙሉ እትኽእሉ ምኽሪ ወይ ሓበሬታ ረኺብኩም ዶ?" in text_of(driver, "main")
        if answers[0] == "q-learned-yes":
            check_page(driver, "group-evaluation-form-ti", "ti")
            set_width(driver, 390)
        for label in answers:
            one(driver, f"label[for='{label}']").click()
        assert submit(driver, one(driver, "button.ev-send")) == 200
        assert text_of(driver, "h1") == "የቐንየልና!"
        assert driver.get_cookies() == [], driver.get_cookies()
    check_page(driver, "group-evaluation-thanks-ti", "ti")
    reset_viewport(driver)

    # 8. The results, and who still waits: the Tigrinya mothers have their series; 22 parents wait.
    ensure_signed_in(driver, "klantmanager")
    open_page(driver, f"{series_path}/evaluation")
    assert text_of(driver, "#evaluation-responses") == "2"
    check_page(driver, "group-evaluation-results-demo", "nl")
    _open_planner(driver)
    assert text_of(driver, "#waiting-count").endswith("22"), text_of(driver, "#waiting-count")
    assert "Tigrinya" not in _demand(driver)
    titles = [one(driver, "h3", p).text for p in many(driver, "#proposals > li")]
    assert "Moeders · Arabisch" in titles, titles
    assert len(many(driver, "#unplaced li")) == 14
    check_page(driver, "group-plan-after-demo", "nl")
