"""The worklist says what to do next (issue 16, item 1): every line a reason, a due date and one action, the most
urgent first, counts per kind as filters; a family registered today is not "without contact"; the partner's start
page shows the inbox counts and the answer-by dates; the API returns the same lines."""
import uuid

import requests

from conftest import PASSWORD, check_page, ensure_signed_in, follow_link, many, one, open_page, path_of, t


def _api_token(base: str, user: str) -> str:
    answer = requests.post(f"{base}/api/v1/session", json={"username": user, "password": PASSWORD}, timeout=30)
    assert answer.status_code == 201, answer.text
    return answer.json()["token"]


def _cards(driver):
    return many(driver, "ol.worklist > li.card")


def test_the_leads_worklist_is_ordered_filtered_and_matches_the_api(driver):
    ensure_signed_in(driver, "klantmanager")
    follow_link(driver, "/worklist")
    assert path_of(driver) == "/worklist"
    check_page(driver, "worklist-lead", "nl")
    cards = _cards(driver)
    assert cards, "the demo lead has work"
    # Most urgent first: due dates never go down; every line has a reason, a date and one action.
    dues = [card.get_attribute("data-due") for card in cards]
    assert dues == sorted(dues), dues
    for card in cards:
        assert card.find_element("css selector", ".reason").text.strip()
        assert card.find_element("css selector", "time").get_attribute("datetime") == card.get_attribute("data-due")
        assert len(card.find_elements("css selector", "a.button")) == 1

    # The API answers the same first page, in the same order.
    token = _api_token(driver.ww_base, "klantmanager")
    api = requests.get(f"{driver.ww_base}/api/v1/worklist", headers={"Authorization": f"Bearer {token}"}, timeout=30).json()
    assert [item["due"] for item in api["items"]] == dues
    assert [item["kind"] for item in api["items"]] == [card.get_attribute("data-kind") for card in cards]

    # A filter shows one kind only, with its count.
    chips = [a for a in many(driver, "ul.chips a") if "kind=" in a.get_attribute("href")]
    assert chips, "one filter per kind"
    kind = chips[0].get_attribute("href").split("kind=")[1]
    follow_link(driver, f"/worklist?kind={kind}")
    assert {card.get_attribute("data-kind") for card in _cards(driver)} == {kind}
    assert one(driver, "ul.chips a[aria-current='page']").get_attribute("href").endswith(f"kind={kind}")
    assert str(api["counts"][kind]) in one(driver, "ul.chips a[aria-current='page'] .count").text

    # The action of a line leads where it is done.
    first = _cards(driver)[0]
    href = first.find_element("css selector", "a.button").get_attribute("href")
    follow_link(driver, href.replace(driver.ww_base, ""))
    assert path_of(driver).startswith(("/families/", "/referrals/")), path_of(driver)


def test_a_family_registered_today_is_not_without_contact(driver):
    base = driver.ww_base
    token = _api_token(base, "klantmanager")
    name = f"Vandaag{uuid.uuid4().hex[:6]}"
    created = requests.post(f"{base}/api/v1/families", headers={"Authorization": f"Bearer {token}"}, timeout=30, json={
        "name": name, "members": [{"role": "parent", "givenName": "Selam", "gender": "female", "languagesSpoken": ["ti"]}]})
    assert created.status_code == 201, created.text
    family = created.json()["id"]
    work = requests.get(f"{base}/api/v1/worklist?kind=no-recent-contact&per=100",
                        headers={"Authorization": f"Bearer {token}"}, timeout=30).json()
    assert family not in [item.get("familyId") for item in work["items"]]
    # Its first screening is due two weeks after registration: on the list a week before, not yet today.
    screening = requests.get(f"{base}/api/v1/worklist?kind=screening-due&per=100",
                             headers={"Authorization": f"Bearer {token}"}, timeout=30).json()
    assert family not in [item.get("familyId") for item in screening["items"]]


MOTHERS_GROUP = "5a0e0c1e-0036-4c3a-9f00-000000000036"


def _refer_habte(base: str) -> str:
    """The lead refers the demo family Habte (who consented to a referral to the JGZ) and sends it."""
    lead = {"Authorization": f"Bearer {_api_token(base, 'klantmanager')}"}
    found = requests.post(f"{base}/api/v1/families/search", json={"name": "Habte"}, headers=lead, timeout=30).json()
    family = next(item for item in found["items"] if item["name"] == "Habte")
    members = [m["id"] for m in family["members"]]
    created = requests.post(f"{base}/api/v1/referrals", headers=lead, timeout=30, json={
        "familyId": family["id"], "offerId": MOTHERS_GROUP, "memberIds": members,
        "reason": "Wil andere moeders ontmoeten", "send": True})
    assert created.status_code == 201, created.text
    return created.json()["id"]


def test_the_partner_starts_with_the_inbox_counts_and_answer_by_dates(driver):
    referral = _refer_habte(driver.ww_base)
    ensure_signed_in(driver, "partner-jgz")
    open_page(driver, "/")
    check_page(driver, "partner-home", "nl")
    summary = one(driver, "#inbox-summary")
    assert t("nl", "home.inbox") in summary.text
    token = _api_token(driver.ww_base, "partner-jgz")
    inbox = requests.get(f"{driver.ww_base}/api/v1/referrals/inbox?per=100",
                         headers={"Authorization": f"Bearer {token}"}, timeout=30).json()
    sent = [item for item in inbox["items"] if item["status"] == "sent"]
    assert referral in [item["id"] for item in sent]
    assert all(item.get("answerBy") for item in sent), sent
    assert t("nl", "referral.answerBy") in summary.text
    assert one(driver, f"#to-answer a[href='/referrals/{referral}']")
    assert len(many(driver, "#to-answer > li")) == min(len(sent), 10)
    assert one(driver, "#inbox-summary li[data-status='sent'] .count").text == str(
        len(sent) if not inbox["hasMore"] else one(driver, "#inbox-summary li[data-status='sent'] .count").text)
    # The partner's worklist: the referrals to answer, each due on its answer-by date.
    follow_link(driver, "/worklist")
    check_page(driver, "worklist-partner", "nl")
    work = requests.get(f"{driver.ww_base}/api/v1/worklist?kind=referral-to-answer&per=100",
                        headers={"Authorization": f"Bearer {token}"}, timeout=30).json()
    assert work["total"] == len(sent) or inbox["hasMore"]
    assert referral in [item["referralId"] for item in work["items"]]
    answer_by = {item["id"]: item["answerBy"] for item in sent}
    for item in work["items"]:
        assert item["action"] == "answer-referral" and "familyId" not in item and "familyName" not in item
        if item["referralId"] in answer_by:
            assert item["due"] == answer_by[item["referralId"]]
