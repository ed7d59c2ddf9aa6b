"""The parents' place (/ouders, issue 5): every page in every language, as a parent on a phone would meet it.

Each page goes through check_page: <html lang>/dir (right to left for Arabic and Persian), no raw translation keys,
axe (WCAG 2.1 A/AA, serious/critical = 0), no horizontal scrolling and no words cut in two at 360 and 1280 px, and
screenshots. The keyboard check runs on a sample (it tabs through every link). Then the flow of the issue: a
Tigrinya-speaking mother on a phone, the printed hand-out, no cookies and nothing from other sites.
"""

from __future__ import annotations

import json

import pytest
from selenium.webdriver.common.by import By

from conftest import REPO, check_page, ensure_signed_in, open_page, set_width, reset_viewport, submit, wait_loaded

CONTENT = REPO / "Resources" / "ParentsPlace"
LANGUAGES = ["nl", "en", "ar", "ti", "fa", "so", "tr", "pl", "bg", "uk"]
SLUGS = [page["slug"] for page in json.loads((CONTENT / "pages.json").read_text())["pages"]]
KEYBOARD_SAMPLE = {"nl", "ar"}


def ui(lang: str, key: str) -> str:
    return json.loads((CONTENT / f"{lang}.json").read_text())["ui"][key]


def page_title(lang: str, slug: str) -> str:
    pages = json.loads((CONTENT / f"{lang}.json").read_text())["pages"]
    return next(page["title"] for page in pages if page["slug"] == slug)


CASES = [("chooser", "nl", "/ouders")]
for _lang in LANGUAGES:
    CASES.append(("home", _lang, f"/ouders/{_lang}"))
    CASES.append(("finder", _lang, f"/ouders/{_lang}/activiteiten?age=6"))
    CASES += [(slug, _lang, f"/ouders/{_lang}/{slug}") for slug in SLUGS]


@pytest.mark.parametrize("name,lang,path", CASES, ids=[f"{lang}-{name}" for name, lang, _ in CASES])
def test_every_page_every_language(driver, name, lang, path):
    assert open_page(driver, path) == 200, f"{path} did not answer 200"
    check_page(driver, f"parents-{name}", lang, keyboard=lang in KEYBOARD_SAMPLE)


def test_unknown_language_and_page(driver):
    # An unknown language: the chooser (404), never a blank page.
    assert open_page(driver, "/ouders/xx/school") == 404
    links = driver.find_elements(By.CSS_SELECTOR, "main a[hreflang]")
    assert {link.get_attribute("hreflang") for link in links} >= set(LANGUAGES)
    check_page(driver, "parents-unknown-language", "nl", keyboard=False)
    # An unknown page: a friendly 404 in the chosen language, with the way back.
    assert open_page(driver, "/ouders/ar/no-such-page") == 404
    assert ui("ar", "notFound.title") in driver.find_element(By.TAG_NAME, "h1").text
    check_page(driver, "parents-not-found", "ar", keyboard=False)


def test_tigrinya_mother_on_a_phone(driver):
    """Opens /ouders, picks ትግርኛ, reads what the consultatiebureau does, finds the mothers' group in Tigrinya."""
    driver.delete_all_cookies()
    set_width(driver, 360)
    try:
        open_page(driver, "/ouders")
        submit(driver, driver.find_element(By.CSS_SELECTOR, "main a[hreflang='ti']"))
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ti"
        submit(driver, driver.find_element(By.LINK_TEXT, page_title("ti", "who-helps")))
        body = driver.find_element(By.CSS_SELECTOR, ".p-body").text
        assert "consultatiebureau" in body, "the page names the consultatiebureau as parents see it on the door"
        # Ethiopic script, not a fallback to Dutch.
        assert sum(0x1200 <= ord(c) <= 0x137F for c in body) > len(body) // 3
        submit(driver, driver.find_element(By.LINK_TEXT, ui("ti", "nav.finder")))
        driver.find_element(By.CSS_SELECTOR, "#age option[value='4']").click()
        driver.find_element(By.CSS_SELECTOR, "#theme option[value='child-health']").click()
        # submit() waits until the old page is gone, so the offers read are those of the new page.
        submit(driver, driver.find_element(By.CSS_SELECTOR, "form.p-form button[type=submit]"))
        offers = driver.find_elements(By.CSS_SELECTOR, ".p-offer")
        group = next((offer for offer in offers if "Moedergroep in het Tigrinya" in offer.text), None)
        assert group is not None, "the mothers' group given in Tigrinya is found"
        assert ui("ti", "offer.join") in group.text and ui("ti", "offer.registration") in group.text
        assert ui("ti", "offer.givenIn") in group.text
        assert group.find_element(By.CSS_SELECTOR, "a[href^='tel:']").is_displayed()
        check_page(driver, "parents-finder-tigrinya-mothers", "ti", keyboard=False)
        # Nothing remembered about her: no cookie at all.
        assert driver.get_cookies() == [], f"cookies were set: {driver.get_cookies()}"
    finally:
        reset_viewport(driver)


def test_nothing_from_other_sites(driver):
    for path in ["/ouders", "/ouders/ar/youth-care", "/ouders/ti/activiteiten"]:
        open_page(driver, path)
        origin = driver.execute_script("return location.origin")
        resources = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
        foreign = [url for url in resources if not url.startswith(origin)]
        assert not foreign, f"{path} loads from other sites: {foreign}"
        assert not driver.find_elements(By.TAG_NAME, "script"), f"{path} has scripts (it must work without)"


def test_printed_handout(driver):
    """A key person prints the page: no navigation, the text, where to go with contact details, where it came from."""
    open_page(driver, "/ouders/ti/who-helps")
    driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
    try:
        hidden = driver.execute_script("""
            return ['.p-header', '.p-languages', '.skip-link'].map(s => {
              const e = document.querySelector(s); return e ? getComputedStyle(e).display : 'none'; });""")
        assert hidden == ["none", "none", "none"], f"navigation shows in print: {hidden}"
        assert driver.find_element(By.CSS_SELECTOR, ".p-body").is_displayed()
        assert driver.find_element(By.CSS_SELECTOR, ".p-print-only").is_displayed()
        contacts = driver.find_elements(By.CSS_SELECTOR, ".p-where a[href^='tel:'], .p-where a[href^='mailto:']")
        assert contacts and all(contact.is_displayed() for contact in contacts), "contact details are on the hand-out"
        pdf = driver.execute_cdp_cmd("Page.printToPDF", {"paperWidth": 8.27, "paperHeight": 11.69, "printBackground": False})
        assert len(pdf["data"]) > 1000
    finally:
        driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": ""})


def test_arabic_reads_right_to_left(driver):
    open_page(driver, "/ouders/ar/school")
    assert driver.execute_script("return getComputedStyle(document.querySelector('.p-body')).direction") == "rtl"
    # The Dutch description of an offer stays left to right, marked as Dutch.
    dutch = driver.find_elements(By.CSS_SELECTOR, ".p-offer [lang='nl']")
    assert all(driver.execute_script("return getComputedStyle(arguments[0]).direction", d) == "ltr" for d in dutch)


def test_key_person_reviews_a_translation(driver):
    """The draft note shows until a key person who speaks the language reviews the page."""
    open_page(driver, "/ouders/ti/leisure")
    assert ui("ti", "page.draftNote") in driver.find_element(By.TAG_NAME, "main").text
    ensure_signed_in(driver, "sleutelpersoon")
    open_page(driver, "/admin/translations/leisure/ti")
    button = driver.find_element(By.CSS_SELECTOR, "form[action$='/review'] button[type=submit]")
    assert submit(driver, button) == 200
    assert "/admin/translations/leisure/ti" in driver.current_url
    # A new URL, so the browser's own copy (kept for a minute) is not what we look at.
    open_page(driver, "/ouders/ti/leisure?after-review")
    assert ui("ti", "page.draftNote") not in driver.find_element(By.TAG_NAME, "main").text
