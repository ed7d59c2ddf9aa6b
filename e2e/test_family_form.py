"""Registering a family with languages picked by name (issue 16, item 3): the case manager types "Tigr" and picks
"Tigrinya (ti)" from the list, types a Dutch name for a second language, forgets the first name of parent 2 and
sees a message that names the field and the person, linked from the summary; after the correction the family page
shows the languages by name and the date of arrival the Dutch way. The form passes the page checks (axe, language,
layout, keyboard); screenshots at 1280 and 390 px go to e2e/artifacts/family-form-*.png."""
from selenium.webdriver.common.by import By

from conftest import check_page, ensure_signed_in, fill, one, open_page, path_of, screenshot, submit


def test_register_a_family_picking_languages_by_name(driver):
    ensure_signed_in(driver, "klantmanager")
    open_page(driver, "/families/new")
    # The languages fields point at the list of "name (code)" options, named in Dutch.
    spoken = driver.find_element(By.ID, "m0_languagesSpoken")
    assert spoken.get_attribute("list") == "language-list"
    options = [o.get_attribute("value") for o in driver.find_elements(By.CSS_SELECTOR, "#language-list option")]
    assert "Tigrinya (ti)" in options and "Arabisch (ar)" in options
    check_page(driver, "family-form", "nl")

    fill(driver, "name", "Zwierstra-Kidane")
    fill(driver, "m0_givenName", "Feven")
    fill(driver, "m0_languagesSpoken", "Tigrinya (ti), arabisch")
    fill(driver, "m0_arrivalDate", "2022-03-01")
    fill(driver, "m1_familyName", "Kidane")
    submit(driver, one(driver, "form.form button[type=submit].button"))

    error = one(driver, "#m1_givenName-error")
    assert error.text == "Vul de voornaam van ouder 2 in."
    link = one(driver, "#error-summary a")
    assert link.get_attribute("href").endswith("#m1_givenName")
    assert driver.find_element(By.ID, "m0_languagesSpoken").get_attribute("value") == "Tigrinya (ti), arabisch"
    check_page(driver, "family-form-error", "nl")
    screenshot(driver, "family-form-error", widths=(1280, 390))

    fill(driver, "m1_givenName", "Tesfalem")
    submit(driver, one(driver, "form.form button[type=submit].button"))
    if driver.find_elements(By.ID, "duplicates"):
        driver.find_element(By.ID, "duplicateOverride-different-family").click()
        submit(driver, one(driver, "#duplicates button[type=submit]"))
    assert path_of(driver).startswith("/families/")
    page = driver.page_source
    assert "Tigrinya, Arabisch" in page
    assert '<time datetime="2022-03-01">1 maart 2022</time>' in page
    screenshot(driver, "family-form-saved", widths=(1280, 390))
