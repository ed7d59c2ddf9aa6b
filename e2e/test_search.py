"""Finding people (issue 16, item 2): the family list's search box finds a name in another spelling and in three other
scripts (Arabic, Ge'ez, Cyrillic), and registering a family that may exist already shows the existing one first."""
from __future__ import annotations

from selenium.webdriver.support.ui import Select

from conftest import (check_page, click_and_wait, ensure_signed_in, fill, many, one, open_page, submit, t)


def search(driver, name: str) -> list[str]:
    """Searches the family list by name (the form posts it: names stay out of the URL); the names listed."""
    open_page(driver, "/families")
    fill(driver, "filter-name", name)
    Select(one(driver, "#filter-language")).select_by_value("")
    submit(driver, one(driver, "form.filter-form button.button"))
    assert name not in driver.current_url
    return [row.text for row in many(driver, "main table tbody tr td:first-child")]


def test_search_finds_names_in_other_spellings_and_scripts(driver):
    ensure_signed_in(driver, "klantmanager")
    # Another Latin spelling of a demo family (Ahmad Haddad).
    assert any("Haddad" in name for name in search(driver, "Ahmed Hadad"))
    # The same names in Arabic, Ge'ez and Cyrillic script.
    assert any("Haddad" in name for name in search(driver, "حداد"))
    assert any("Tesfay" in name for name in search(driver, "ተስፋይ"))
    found = search(driver, "Олена Коваленко")
    assert any("Kovalenko" in name for name in found), found
    check_page(driver, "families-search-variants", "nl")
    # One letter is too little: the message stands next to the field.
    search(driver, "K")
    assert t("nl", "error.search-too-short") in one(driver, "main").text
    open_page(driver, "/families")
    fill(driver, "filter-name", "")
    submit(driver, one(driver, "form.filter-form button.button"))


def test_registering_a_family_that_may_exist_shows_it_first(driver):
    ensure_signed_in(driver, "klantmanager")
    open_page(driver, "/families/new")
    fill(driver, "name", "Hadad")
    fill(driver, "m0_givenName", "Ahmed")
    fill(driver, "m0_birthYear", "1985")
    status = submit(driver, one(driver, "main form button[type=submit]:not([class*=secondary])"))
    assert status == 409
    panel = one(driver, "#duplicates")
    assert t("nl", "duplicates.title") in panel.text
    assert "Haddad" in panel.text
    check_page(driver, "family-possible-duplicates", "nl")
    # Going on without a reason says what is missing, next to the question.
    submit(driver, one(driver, "#duplicates button[type=submit]"))
    assert t("nl", "error.duplicate-reason-required") in one(driver, "#duplicateOverride").text
    # Opening the existing record registers nothing.
    haddad = [li for li in many(driver, "#duplicates li") if "Haddad" in li.text][0]
    click_and_wait(driver, haddad.find_element("css selector", "a[href^='/families/']"))
    assert "Haddad" in one(driver, "main h1").text
