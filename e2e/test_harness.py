"""The harness catches what it is there to catch (issue 3, "Done when"): a form field that loses its label fails axe,
and a translation that goes missing fails the language check. Also shown once: the keyboard, layout and direction
checks fail on the faults they look for, and the raw-key finder leaves ordinary text alone.
"""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import (
    REPO, check_keyboard, check_language, check_no_horizontal_scroll, check_words_not_broken, ensure_signed_in,
    make_driver, open_page, raw_keys, run_axe, start_server,
)


@pytest.fixture
def families_list(driver):
    ensure_signed_in(driver, "klantmanager")
    open_page(driver, "/families")
    return driver


def test_axe_fails_when_a_form_field_loses_its_label(families_list):
    driver = families_list
    run_axe(driver, "harness-filter-form-intact")  # the real page passes
    driver.execute_script("document.querySelector(\"label[for='filter-name']\").remove()")
    with pytest.raises(AssertionError) as caught:
        run_axe(driver, "harness-filter-form-without-label")
    message = str(caught.value)
    assert "label" in message and "#filter-name" in message, message


def test_language_check_fails_on_a_raw_translation_key(families_list):
    driver = families_list
    check_language(driver, "nl")  # the real page passes
    driver.execute_script("document.querySelector(\"label[for='filter-name']\").textContent = 'families.filter.name'")
    with pytest.raises(AssertionError, match=r"families\.filter\.name"):
        check_language(driver, "nl")


def test_language_check_fails_on_a_key_missing_from_the_catalogue(tmp_path):
    """The real thing: a server whose Dutch catalogue lacks two keys renders them raw, and the check says which."""
    resources = tmp_path / "Resources"
    shutil.copytree(REPO / "Resources", resources)
    catalogue_path = resources / "Locales" / "nl.json"
    catalogue = json.loads(catalogue_path.read_text(encoding="utf-8"))
    for key in ("login.intro", "login.username"):
        del catalogue[key]
    catalogue_path.write_text(json.dumps(catalogue, ensure_ascii=False, indent=2), encoding="utf-8")
    server = start_server("wegwijs-missing-keys", WEGWIJS_RESOURCES=str(resources))
    browser = make_driver()
    try:
        browser.ww_base, browser.ww_user = server.base_url, None
        open_page(browser, "/login")
        with pytest.raises(AssertionError) as caught:
            check_language(browser, "nl")
        assert "login.intro" in str(caught.value) and "login.username" in str(caught.value), str(caught.value)
    finally:
        browser.quit()
        server.stop()


def test_language_check_fails_on_a_wrong_lang_or_dir(families_list):
    driver = families_list
    with pytest.raises(AssertionError, match="lang"):
        check_language(driver, "en")
    driver.execute_script("document.documentElement.lang = 'ar'")
    with pytest.raises(AssertionError, match="dir"):
        check_language(driver, "ar")  # Arabic must be laid out right to left


def test_keyboard_check_fails_without_visible_focus(families_list):
    driver = families_list
    check_keyboard(driver, "harness-intact")
    # Through the CSSOM: the page's Content-Security-Policy refuses inline <style>.
    driver.execute_script("document.styleSheets[0].insertRule("
                          "'*:focus { outline: none !important; box-shadow: none !important }', 0)")
    with pytest.raises(AssertionError, match="no visible focus"):
        check_keyboard(driver, "harness-focus-removed")


def test_keyboard_check_fails_on_a_control_out_of_the_tab_order(families_list):
    driver = families_list
    driver.execute_script("document.getElementById('filter-name').tabIndex = -1")
    with pytest.raises(AssertionError, match="not reached with Tab.*filter-name"):
        check_keyboard(driver, "harness-untabbable")


def test_layout_checks_fail_on_sideways_scrolling_and_cut_words(families_list):
    driver = families_list
    check_no_horizontal_scroll(driver)
    driver.execute_script("document.querySelector('main h1').style.minWidth = '700px'")
    with pytest.raises(AssertionError, match="at 360 px"):
        check_no_horizontal_scroll(driver)
    open_page(driver, "/families")
    driver.execute_script("const h = document.querySelector('main h1'); h.textContent = 'Gezinsbegeleiding';"
                          "h.style.width = '4em'; h.style.overflowWrap = 'anywhere'")
    with pytest.raises(AssertionError, match="Gezinsbegeleiding"):
        check_words_not_broken(driver)


@pytest.mark.parametrize("text", [
    "Mail info@rijnstad.nl of kijk op www.rijnstad.nl",
    "Kenmerk W-7K3M-Q9PX, bijv. o.a. d.w.z. m.b.t. het gezin",
    "Versie 1.2.3, 12.30 uur, € 1.250,00",
    "Niveau B2+ of hoger. Zie ook: Arabisch, Koerdisch.",
])
def test_raw_key_finder_leaves_ordinary_text_alone(text):
    assert raw_keys([text]) == []


@pytest.mark.parametrize("text,key", [
    ("families.filter.name", "families.filter.name"),
    ("Naam: closingReason.moved-away", "closingReason.moved-away"),
    ("error.date-invalid", "error.date-invalid"),
    ("(nav.myFamilies)", "nav.myFamilies"),
])
def test_raw_key_finder_finds_keys(text, key):
    assert raw_keys([text]) == [key]
