"""A family's timeline and the lead's printable summary (issue 16, item 7): the case manager opens the timeline from the
family page, filters it, and opens the A4 summary. Both pass the checks every staff page passes (language, axe,
layout, keyboard); screenshots at 1280 and 390 px go to e2e/artifacts/timeline-*.png and summary-*.png."""
from selenium.webdriver.common.by import By

from conftest import check_page, ensure_signed_in, follow_link, many, one, open_page, path_of, screenshot, t


def test_the_lead_opens_the_timeline_and_the_summary(driver):
    ensure_signed_in(driver, "klantmanager")
    open_page(driver, "/families")
    family = one(driver, "main table tbody a").get_attribute("href").split("/families/")[1].split("/")[0]
    open_page(driver, f"/families/{family}")
    follow_link(driver, f"/families/{family}/timeline")
    assert path_of(driver) == f"/families/{family}/timeline"
    assert t("nl", "timeline.title") in one(driver, "h1").text
    events = many(driver, "#timeline li")
    assert events, "the timeline shows at least the registration"
    assert t("nl", "timeline.kind.registration") in driver.page_source
    check_page(driver, "timeline", "nl")
    screenshot(driver, "timeline-nl", widths=(1280, 390))

    open_page(driver, f"/families/{family}/timeline?kind=registration&order=oldest")
    assert len(many(driver, "#timeline li")) == 1

    open_page(driver, f"/families/{family}/summary")
    assert t("nl", "summary.title") in one(driver, "h1").text
    headings = [h.text for h in driver.find_elements(By.CSS_SELECTOR, "main h2")]
    for key in ("summary.composition", "summary.screening", "summary.plan", "summary.referrals", "summary.consents",
                "summary.next"):
        assert any(t("nl", key) in h for h in headings), key
    check_page(driver, "summary", "nl")
    screenshot(driver, "summary-nl", widths=(1280, 390))
