"""The catalogue flows of issue 4 (point 7), as a person does them, through the UI only.

(a) A case manager browses the catalogue, filters it (theme, language, child's age) and reads an offer's
culture-sensitivity profile; (b) a partner (the youth health care, partner-jgz) updates the free places of its own
group; (c) is refused another organisation's offer (no edit link, 403 on its edit page); (d) gets the message next to
the field for an age range upside down, with what was typed kept; (e) a stale save (the same offer saved meanwhile in
another tab) is refused with a message; (f) filter values the catalogue cannot use are explained; (g) the
administrator uploads an HSDS file and sees per record what was taken and what was refused, in Dutch and English.
Every page reached goes through check_page (language, axe, layout at 360/1280, keyboard, screenshots) in Dutch, the
import report also in English. The tests run in file order; the import comes last (it updates three demo offers).
"""

from __future__ import annotations

import copy
import json
import re
import uuid

import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select

from conftest import (
    assert_field_error, assert_summary_links_lead_somewhere,
    one, many, text_of, follow_link, flash,
    check_page, click_and_wait, ensure_signed_in, fill, login, open_page, path_of, select_by_text, submit, t,
)

OFFER_PATH = re.compile(r"^/catalog/([0-9A-Fa-f-]{36})$")

# The demo catalogue of Rijnstad (DemoCatalogue.swift): names and organisations as the seed writes them.
JGZ = "GGD Rijnstreek – Jeugdgezondheidszorg"
CJG = "Centrum voor Jeugd en Gezin Rijnstad"
OWN_GROUP = "Groepsspreekuur zwangerschap met een Eritrese verloskundige"  # a JGZ group with counted places
OTHER_OFFER = "Thema-avond: uw kind in de puberteit"  # the CJG's, not partner-jgz's
# theme Pubers + Arabic + a child of 13: exactly these two demo offers.
FILTERED = ["Moederochtend in de moskee: opgroeien, geloof en het leven in Nederland", OTHER_OFFER]


# ---------------------------------------------------------------------------------------------------------------------
# helpers
# ---------------------------------------------------------------------------------------------------------------------


def page_heading(driver) -> str:
    return driver.execute_script(
        "const h = document.querySelector('h1'); const p = document.querySelector('main p.lead');"
        "return (h ? h.textContent.trim() : '(no h1)') + (p ? ' – ' + p.textContent.trim() : '');")


def summary(driver) -> dict[str, str]:
    """The offer page's <dl class=summary> as label → text; tags (themes, forms, situations: sets, whose order
    carries no meaning) sorted and after the plain text."""
    return driver.execute_script("""
        const out = {};
        for (const dt of document.querySelectorAll('main dl.summary > dt')) {
          const dd = dt.nextElementSibling.cloneNode(true);
          const tags = [...dd.querySelectorAll('.tag')].map(tag => { tag.remove(); return tag.textContent.trim(); });
          const text = dd.textContent.trim().replace(/\\s+/g, ' ');
          out[dt.textContent.trim()] = [text, ...tags.sort()].filter(Boolean).join(' | ');
        }
        return out;""")


def catalogue_rows(driver) -> list[dict]:
    return driver.execute_script("""
        return [...document.querySelectorAll('main table tbody tr')].map(tr => {
          const cells = [...tr.querySelectorAll('td')].map(td => td.textContent.trim().replace(/\\s+/g, ' '));
          const link = tr.querySelector('td:first-child a');
          return {name: link ? link.textContent.trim() : cells[0], organisation: cells[1], themes: cells[2],
                  languages: cells[3], ages: cells[4], places: cells[5],
                  href: link ? link.getAttribute('href') : null};
        });""")


def count_text(driver) -> str:
    return text_of(driver, "main p[role=status]")


def search_catalogue(driver, name: str) -> list[dict]:
    """Uses the catalogue's filter form (from a clean list) to find offers by a part of their name."""
    open_page(driver, "/catalog")
    fill(driver, "f-search", name)
    submit(driver, one(driver, "form.filter-form button.button"))
    return catalogue_rows(driver)


def open_offer_by_name(driver, name: str) -> str:
    """Finds the offer through the catalogue's search and follows its link; answers the offer's path."""
    rows = [row for row in search_catalogue(driver, name.split(":")[0]) if row["name"] == name]
    assert len(rows) == 1, f"the catalogue search did not find {name!r} once: {rows}"
    follow_link(driver, rows[0]["href"])
    assert OFFER_PATH.match(path_of(driver)), f"not on an offer page: {driver.current_url}"
    assert one(driver, "h1").text.strip() == name
    return path_of(driver)


_offers: dict = {}


# ---------------------------------------------------------------------------------------------------------------------
# (a) a case manager browses and filters
# ---------------------------------------------------------------------------------------------------------------------

def test_case_manager_browses_filters_and_reads_the_culture_profile(driver):
    ensure_signed_in(driver, "klantmanager")
    follow_link(driver, "/catalog")
    assert path_of(driver) == "/catalog"
    assert one(driver, "h1").text == t("nl", "catalog.title")
    everything = catalogue_rows(driver)
    assert len(everything) >= 20, f"the catalogue shows only {len(everything)} offers"
    assert not many(driver, "a[href='/catalog/new']"), "a case manager is offered to add offers"
    check_page(driver, "catalogue", "nl")

    # Theme, language and the child's age, through the filter form.
    select_by_text(driver, "f-theme", t("nl", "theme.puberty"))
    select_by_text(driver, "f-language", "Arabisch")
    fill(driver, "f-age", "13")
    status = submit(driver, one(driver, "form.filter-form button.button"))
    assert status == 200, f"filtering answered {status}: {page_heading(driver)}"
    path = path_of(driver)
    assert path.startswith("/catalog?"), path
    for part in ("theme=puberty", "language=ar", "age=13"):
        assert part in path, f"the filter is not in the address ({path})"
    # The form shows what was chosen.
    assert Select(one(driver, "#f-theme")).first_selected_option.text == t("nl", "theme.puberty")
    assert Select(one(driver, "#f-language")).first_selected_option.text == "Arabisch"
    assert one(driver, "#f-age").get_attribute("value") == "13"
    rows = catalogue_rows(driver)
    assert sorted(row["name"] for row in rows) == sorted(FILTERED), rows
    for row in rows:
        assert t("nl", "theme.puberty") in row["themes"], row
        assert "Arabisch" in row["languages"], row
        low, high = (int(n) for n in re.findall(r"\d+", row["ages"])[:2])
        assert low <= 13 <= high, row
    assert count_text(driver) == f"{t('nl', 'catalog.count')} {len(FILTERED)}", count_text(driver)
    check_page(driver, "catalogue-filtered", "nl")

    # The offer's page, with its culture-sensitivity profile.
    target = next(row for row in rows if row["name"] == OTHER_OFFER)
    follow_link(driver, target["href"])
    match = OFFER_PATH.match(path_of(driver))
    assert match, driver.current_url
    _offers["other"] = match.group(1)
    assert one(driver, "h1").text.strip() == OTHER_OFFER
    facts = summary(driver)
    assert facts[t("nl", "catalog.col.organisation")] == CJG, facts
    assert t("nl", "theme.puberty") in facts[t("nl", "catalog.theme")], facts
    assert "Arabisch" in facts[t("nl", "catalog.language")], facts
    assert t("nl", "catalog.culture") in [h.text.strip() for h in many(driver, "main h2")]
    items = driver.execute_script("""
        return [...document.querySelectorAll('main ul.checklist > li')].map(li => ({
          text: li.textContent.trim().replace(/\\s+/g, ' '),
          ticked: !!li.querySelector('[aria-hidden=true]') && li.querySelector('[aria-hidden=true]').textContent.trim() === '✔'}));""")
    labels = {code: t("nl", f"culture.{code}") for code in (
        "own-language", "demand-led", "flexible", "refers-on", "familiar-place", "separate-mothers-fathers",
        "childcare", "visual-material", "trained-staff", "involves-fathers")}
    assert len(items) == len(labels), f"the profile lists {len(items)} items, expected {len(labels)}: {items}"
    # What the offer ticks, as the public HSDS record says it (culture/<code> attributes).
    record = requests.get(f"{driver.ww_base}/api/hsds/services/{_offers['other']}", timeout=10).json()
    ticked = {a["taxonomy_term"]["code"].split("/", 1)[1] for a in record["attributes"]
              if a["taxonomy_term"]["code"].startswith("culture/")}
    assert ticked, "the demo offer has no culture-sensitivity profile"
    for code, label in labels.items():
        item = next((i for i in items if i["text"].lstrip("✔– ").startswith(label)), None)
        assert item, f"the profile does not list {label!r}: {items}"
        assert item["ticked"] == (code in ticked), f"{label!r} shown as {'ticked' if item['ticked'] else 'not ticked'}"
        if code not in ticked:
            assert f"({t('nl', 'catalog.no')})" in item["text"], f"{label!r} does not say it is not there: {item}"
    assert not many(driver, "main a[href$='/edit']"), "a case manager is offered to edit an offer"
    assert not many(driver, "main form[action$='/retire']"), "a case manager is offered to retire an offer"
    check_page(driver, "offer", "nl")
    # Back to the list.
    follow_link(driver, "/catalog")
    assert path_of(driver) == "/catalog"


# ---------------------------------------------------------------------------------------------------------------------
# (b) a partner updates the free places of its own group
# ---------------------------------------------------------------------------------------------------------------------

def test_partner_updates_free_places_of_its_own_group(driver):
    login(driver, "partner-jgz")
    follow_link(driver, "/catalog")
    assert many(driver, "a[href='/catalog/new']"), "a partner is not offered to add offers"
    rows = search_catalogue(driver, "Groepsspreekuur")
    assert [row["name"] for row in rows] == [OWN_GROUP], rows
    assert rows[0]["organisation"] == JGZ, rows
    check_page(driver, "catalogue-partner-search", "nl")
    follow_link(driver, rows[0]["href"])
    path = path_of(driver)
    match = OFFER_PATH.match(path)
    assert match, driver.current_url
    _offers["own"] = match.group(1)
    before = summary(driver)
    assert before[t("nl", "catalog.col.organisation")] == JGZ
    check_page(driver, "offer-own", "nl")

    follow_link(driver, f"{path}/edit")
    assert path_of(driver) == f"{path}/edit"
    assert one(driver, "h1").text == t("nl", "catalog.editTitle")
    assert one(driver, "#name").get_attribute("value") == OWN_GROUP
    # The organisation can only be its own.
    options = [o.text.strip() for o in Select(one(driver, "#organisationId")).options]
    assert options == [JGZ], f"a partner may choose other organisations: {options}"
    old = one(driver, "#freePlaces").get_attribute("value")
    capacity = int(one(driver, "#capacity").get_attribute("value") or 10)
    new = str(next(n for n in (7, 6, 5, 4, 2) if str(n) != old and n <= capacity))
    check_page(driver, "offer-edit", "nl")
    fill(driver, "freePlaces", new)
    status = submit(driver, one(driver, "main form button[type=submit]"))
    assert status == 200, f"saving answered {status}: {page_heading(driver)}"
    assert path_of(driver) == path, f"saving did not return to the offer page: {driver.current_url}"
    assert flash(driver) == t("nl", "flash.offerSaved")
    after = summary(driver)
    places = after[t("nl", "catalog.col.places")]
    assert places.startswith(f"{new} {t('nl', 'catalog.placesFree')}"), places
    # Nothing else changed by going through the form.
    changed = {label: (before.get(label), value) for label, value in after.items()
               if label != t("nl", "catalog.col.places") and before.get(label) != value}
    assert not changed, f"saving the form changed more than the free places: {changed}"
    changes = driver.execute_script("""
        const h = [...document.querySelectorAll('main h2')].find(h => h.textContent.trim() === arguments[0]);
        const list = h && h.nextElementSibling;
        return list ? [...list.querySelectorAll('li')].map(li => li.textContent.trim()) : [];""",
                                    t("nl", "catalog.changes"))
    assert changes and "partner-jgz" in changes[0], f"the change is not recorded with who made it: {changes}"
    check_page(driver, "offer-saved", "nl")
    # The list shows the new number too.
    rows = search_catalogue(driver, "Groepsspreekuur")
    assert rows[0]["places"].startswith(f"{new} "), rows


# ---------------------------------------------------------------------------------------------------------------------
# (c) ... and is refused another organisation's offer
# ---------------------------------------------------------------------------------------------------------------------

def test_partner_cannot_edit_another_organisations_offer(driver):
    ensure_signed_in(driver, "partner-jgz")
    path = open_offer_by_name(driver, OTHER_OFFER)
    assert summary(driver)[t("nl", "catalog.col.organisation")] == CJG
    assert not many(driver, "main a[href$='/edit']"), "the partner is offered to edit another organisation's offer"
    assert not many(driver, "main form[action$='/retire']"), "the partner is offered to retire another's offer"
    check_page(driver, "offer-other-organisation", "nl")
    status = open_page(driver, f"{path}/edit")
    assert status == 403, f"the edit page of another organisation's offer answered {status}"
    assert one(driver, "h1").text == t("nl", "error.forbidden.title")
    assert text_of(driver, "main p.lead") == t("nl", "error.forbidden.message")
    assert not many(driver, "main form#name, main input#name"), "the no-access page shows the offer form"
    check_page(driver, "offer-edit-no-access", "nl")


# ---------------------------------------------------------------------------------------------------------------------
# (d) an age range upside down
# ---------------------------------------------------------------------------------------------------------------------

def test_age_range_upside_down_is_explained_next_to_the_field(driver):
    ensure_signed_in(driver, "partner-jgz")
    path = open_offer_by_name(driver, OWN_GROUP)
    before = summary(driver)
    follow_link(driver, f"{path}/edit")
    typed = {"minimumAge": "12", "maximumAge": "4", "freePlaces": "1", "name": OWN_GROUP + " (test)"}
    for field, value in typed.items():
        fill(driver, field, value)
    culture_box = one(driver, "#culture-childcare")
    was_ticked = culture_box.is_selected()
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", culture_box)
    culture_box.click()
    status = submit(driver, one(driver, "main form button[type=submit]"))
    assert status == 422, f"an age range upside down answered {status}: {page_heading(driver)}"
    assert path_of(driver) == f"{path}/edit"
    assert_field_error(driver, "maximumAge", t("nl", "error.age-range-upside-down"))
    assert len(many(driver, "main .field-error")) == 1, \
        [e.text for e in many(driver, "main .field-error")]
    for field, value in typed.items():
        assert one(driver, f"#{field}").get_attribute("value") == value, f"{field} lost what was typed"
    assert one(driver, "#culture-childcare").is_selected() != was_ticked, "the ticked box was lost"
    check_page(driver, "offer-edit-errors", "nl")
    # Nothing was saved.
    open_page(driver, path)
    assert one(driver, "h1").text.strip() == OWN_GROUP
    assert summary(driver) == before


# ---------------------------------------------------------------------------------------------------------------------
# (e) two people edit the same offer
# ---------------------------------------------------------------------------------------------------------------------

def test_stale_edit_is_refused_with_a_clear_message(driver):
    """The partner has the edit form open in two tabs; the second save is refused (409) with a message, keeps what
    was typed and overwrites nothing."""
    ensure_signed_in(driver, "partner-jgz")
    path = open_offer_by_name(driver, "Moeders informeren Moeders")
    follow_link(driver, f"{path}/edit")
    first = driver.current_window_handle
    old = one(driver, "#freePlaces").get_attribute("value")
    first_value, second_value = ("3", "9") if old not in ("3", "9") else ("2", "8")
    fill(driver, "freePlaces", first_value)
    driver.switch_to.new_window("tab")
    try:
        open_page(driver, f"{path}/edit")
        fill(driver, "freePlaces", second_value)
        status = submit(driver, one(driver, "main form button[type=submit]"))
        assert status == 200 and path_of(driver) == path, f"the first save answered {status}"
    finally:
        driver.close()
        driver.switch_to.window(first)
    status = submit(driver, one(driver, "main form button[type=submit]"))
    assert status == 409, f"a stale save answered {status}: {page_heading(driver)}"
    assert path_of(driver) == f"{path}/edit"
    alerts = [a.text for a in many(driver, "main [role=alert]")]
    assert any(t("nl", "error.stale-version") in text for text in alerts), alerts
    assert one(driver, "#freePlaces").get_attribute("value") == first_value, "what was typed was lost"
    check_page(driver, "offer-edit-stale", "nl")
    try:
        assert_summary_links_lead_somewhere(driver)
    finally:
        # The first save stands.
        open_page(driver, path)
        assert summary(driver)[t("nl", "catalog.col.places")].startswith(f"{second_value} "), summary(driver)


# ---------------------------------------------------------------------------------------------------------------------
# (f) filter values the catalogue cannot use
# ---------------------------------------------------------------------------------------------------------------------

def test_bad_filter_values_are_explained(driver):
    """An age that is not a number and a postcode area that is no postcode: a message next to the field, in the
    user's language, that asks for something the field accepts; what was typed and chosen stays. A whole postcode
    is taken as its area."""
    ensure_signed_in(driver, "klantmanager")
    problems = []
    open_page(driver, "/catalog")
    select_by_text(driver, "f-theme", t("nl", "theme.puberty"))
    fill(driver, "f-age", "dertien")
    submit(driver, one(driver, "form.filter-form button.button"))
    errors = [e.text.strip() for e in many(driver, "main .field-error")]
    age = one(driver, "#f-age")
    if age.get_attribute("aria-invalid") != "true" or not many(driver, "#f-age-error"):
        problems.append("the age field is not marked invalid with its message")
    elif one(driver, "#f-age-error").text.strip() != t("nl", "error.age-invalid"):
        problems.append(f"the age message is {one(driver, '#f-age-error').text.strip()!r}, "
                        f"expected {t('nl', 'error.age-invalid')!r}")
    if age.get_attribute("value") != "dertien":
        problems.append(f"the typed age is gone (the field shows {age.get_attribute('value')!r})")
    if Select(one(driver, "#f-theme")).first_selected_option.text != t("nl", "theme.puberty"):
        problems.append("the chosen theme is gone")
    rows = catalogue_rows(driver)
    if any(t("nl", "theme.puberty") not in row["themes"] for row in rows):
        problems.append(f"the list ignores the theme filter ({len(rows)} offers shown)")
    check_page(driver, "catalogue-bad-age", "nl")

    # A whole postcode is taken as its area (2311); something that is no postcode at all gets a message that
    # says what the field takes.
    open_page(driver, "/catalog")
    fill(driver, "f-postcode", "2311 AB")
    submit(driver, one(driver, "form.filter-form button.button"))
    postcode = one(driver, "#f-postcode")
    if many(driver, "#f-postcode-error"):
        problems.append("a whole postcode was refused instead of being taken as its area")
    if postcode.get_attribute("value") != "2311 AB":
        problems.append("the typed postcode is gone")
    open_page(driver, "/catalog")
    fill(driver, "f-postcode", "Rijnstad")
    submit(driver, one(driver, "form.filter-form button.button"))
    postcode = one(driver, "#f-postcode")
    message = one(driver, "#f-postcode-error").text.strip() if many(driver, "#f-postcode-error") else ""
    if postcode.get_attribute("aria-invalid") != "true" or not message:
        problems.append("the postcode field is not marked invalid with its message")
    elif message != t("nl", "error.postcode-area-invalid"):
        problems.append(f"the postcode message is {message!r}")
    if postcode.get_attribute("value") != "Rijnstad":
        problems.append("the typed postcode is gone")
    check_page(driver, "catalogue-bad-postcode", "nl")
    assert not problems, f"bad filter values ({errors}): " + "; ".join(problems)


# ---------------------------------------------------------------------------------------------------------------------
# (g) the administrator imports an HSDS file
# ---------------------------------------------------------------------------------------------------------------------

def hsds_file(base_url: str, folder) -> tuple:
    """Three services from the public HSDS API, one record whose id is not a UUID and one with an unknown theme."""
    response = requests.get(f"{base_url}/api/hsds/services", params={"per_page": 3}, timeout=10)
    assert response.status_code == 200, response.status_code
    contents = response.json()["contents"]
    assert len(contents) == 3
    broken = copy.deepcopy(contents[0])
    broken["id"] = "not-a-uuid"
    cooking = copy.deepcopy(contents[1])
    cooking["id"] = str(uuid.uuid4())
    term_id = str(uuid.uuid4())
    attribute = cooking["attributes"][0]
    attribute["taxonomy_term"].update({"code": "theme/cooking", "name": "theme/cooking", "id": term_id})
    attribute["taxonomy_term_id"] = term_id
    path = folder / "andere-sociale-kaart.json"
    path.write_text(json.dumps(contents + [broken, cooking], ensure_ascii=False), encoding="utf-8")
    return path, contents, cooking["id"]


def report_texts(driver) -> dict:
    """What the report says in words (not ids or field names): per refused record its reason, per taken one what
    was done with it."""
    return driver.execute_script("""
        const refused = {};
        for (const tr of document.querySelectorAll('#refused-table tbody tr')) {
          const c = [...tr.querySelectorAll('td')].map(td => td.textContent.trim());
          refused[c[1].toLowerCase()] = c[3];
        }
        const taken = {};
        for (const a of document.querySelectorAll('#taken-list a[href^="/catalog/"]'))
          taken[a.getAttribute('href').split('/').pop().toLowerCase()] =
            a.parentElement.textContent.replace(a.textContent, '').trim();
        return {refused, taken};""")


def refused_rows(driver) -> list[dict]:
    return driver.execute_script("""
        return [...document.querySelectorAll('#refused-table tbody tr')].map(tr => {
          const c = [...tr.querySelectorAll('td')].map(td => td.textContent.trim());
          return {record: c[0], id: c[1], field: c[2], reason: c[3]};
        });""")


_import: dict = {}


def test_admin_imports_an_hsds_file_and_sees_the_report(driver, tmp_path):
    login(driver, "admin")
    follow_link(driver, "/admin/catalog/import")
    assert path_of(driver) == "/admin/catalog/import"
    assert one(driver, "h1").text == t("nl", "import.title")
    check_page(driver, "catalogue-import", "nl")
    path, contents, cooking_id = hsds_file(driver.ww_base, tmp_path)
    _import.update(path=path, contents=contents, cooking_id=cooking_id)
    one(driver, "#file").send_keys(str(path))
    assert not one(driver, "#replace").is_selected(), "a full sync is ticked by default"
    status = submit(driver, one(driver, "main form button[type=submit]"))
    assert status == 200, f"the import answered {status}: {page_heading(driver)}"
    assert path_of(driver) == "/admin/catalog/import"
    assert one(driver, "#report-heading").text == t("nl", "import.report")
    expected = f"4 {t('nl', 'import.taken')}, 1 {t('nl', 'import.refused')}, 0 {t('nl', 'import.retired')}."
    assert text_of(driver, "main p[role=status]") == expected
    refused = refused_rows(driver)
    assert len(refused) == 1, refused
    by_id = {row["id"]: row for row in refused}
    assert "not-a-uuid" in by_id, refused
    assert by_id["not-a-uuid"]["field"] == "id", by_id["not-a-uuid"]
    assert by_id["not-a-uuid"]["reason"], "no reason given for the broken id"
    # The unknown theme is left out with a warning naming the record and the field; the record is kept.
    warnings = driver.execute_script("""
        return [...document.querySelectorAll('#warnings-table tbody tr')].map(tr =>
          [...tr.querySelectorAll('td')].map(td => td.textContent.trim()));""")
    assert any(cooking_id in row[1].lower() and "theme" in row[2] and "cooking" in row[3] for row in warnings), warnings
    # The three good records and the one with the unknown theme were taken, each linked to its offer.
    taken = [a.get_attribute("href").rsplit("/", 1)[1].lower() for a in many(driver, "#taken-list a[href^='/catalog/']")]
    assert sorted(taken) == sorted([record["id"].lower() for record in contents] + [cooking_id]), taken
    _import["nl"] = report_texts(driver)
    check_page(driver, "catalogue-import-report", "nl")
    # The record with the unknown theme was written, without that theme.
    status = open_page(driver, f"/catalog/{cooking_id}")
    assert status == 200, f"the kept record's id answered {status}"


def test_import_report_in_english(driver):
    """The same file again, the page in English: the records are updated (never duplicated), and the report says
    what happened in the user's language, as the rest of the page does."""
    if "path" not in _import:
        pytest.skip("the Dutch import did not run")
    ensure_signed_in(driver, "admin", "en")
    open_page(driver, "/admin/catalog/import")
    one(driver, "#file").send_keys(str(_import["path"]))
    status = submit(driver, one(driver, "main form button[type=submit]"))
    assert status == 200, f"the import answered {status}: {page_heading(driver)}"
    expected = f"4 {t('en', 'import.taken')}, 1 {t('en', 'import.refused')}, 0 {t('en', 'import.retired')}."
    assert text_of(driver, "main p[role=status]") == expected
    check_page(driver, "catalogue-import-report", "en")
    english = report_texts(driver)
    dutch = _import.get("nl")
    assert dutch, "the Dutch report was not read"
    assert english["refused"].keys() == dutch["refused"].keys() and english["taken"].keys() == dutch["taken"].keys()
    same = [f"refused {i}: {text!r}" for i, text in english["refused"].items() if dutch["refused"][i] == text] + \
           [f"taken {i}: {text!r}" for i, text in english["taken"].items() if dutch["taken"][i] == text]
    assert not same, "the import report reads the same in Dutch and English (not translated): " + "; ".join(same)
