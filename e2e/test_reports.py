"""The municipality's view in the browser (issue 15): the policy officer of Rijnstad opens the reports from her home
page, sees in Dutch where demand has no supply and whom the offers reach, picks a period and the regional view
(Rijnstad and Beekdal together), and reads the same numbers the API gives. Every page goes through check_page
(language, axe, widths, keyboard); charts are SVG with a title, a description and a table beside them."""

from __future__ import annotations

import requests

from conftest import PASSWORD, check_page, ensure_signed_in, fill, follow_link, many, one, path_of, submit, switch_language, t

REPORTS = ["reach", "timings", "referrals", "groups", "offer-reach", "satisfaction", "key-persons", "provisions", "demand-supply", "equity"]


def _api_token(base: str, user: str) -> str:
    answer = requests.post(f"{base}/api/v1/session", json={"username": user, "password": PASSWORD}, timeout=30)
    assert answer.status_code == 201, answer.text
    return answer.json()["token"]


def _table_figures(driver, table_id: str) -> list[list[str]]:
    """The rows of a report table as text (headings and figures), cells first, then the margins."""
    rows = many(driver, f"#{table_id} tbody tr") + many(driver, f"#{table_id} tfoot tr")
    return [[cell.text.strip() for cell in row.find_elements("css selector", "th, td")] for row in rows]


def test_policy_officer_reads_the_dashboard(driver):
    base = driver.ww_base
    ensure_signed_in(driver, "beleid")
    follow_link(driver, "/reports")
    assert path_of(driver) == "/reports"
    check_page(driver, "reports", "nl")
    for report in REPORTS:
        links = [a for a in many(driver, "#report-list a") if a.get_attribute("href").split("?")[0].endswith(f"/reports/{report}")]
        assert links, f"no link to {report} on the overview"

    # Every report page, in Dutch: tables with charts (role=img, title, description), no JavaScript.
    for report in REPORTS:
        driver.get(f"{base}/reports/{report}")
        assert one(driver, "h1").text == t("nl", f"reports.{report}.title")
        assert not many(driver, "script")
        for chart in many(driver, "svg.report-chart"):
            assert chart.get_attribute("role") == "img"
            labelled = chart.get_attribute("aria-labelledby").split()
            assert len(labelled) == 2 and all(many(driver, f"[id='{i}']") for i in labelled)
            assert one(driver, "title", chart).get_attribute("textContent").strip()
            assert one(driver, "desc", chart).get_attribute("textContent").strip()
        check_page(driver, f"report-{report}", "nl")

    # Where demand has no supply: the ranked gaps.
    driver.get(f"{base}/reports/demand-supply")
    assert one(driver, "#gaps-title").text == t("nl", "reports.gaps.title")
    assert many(driver, "#gap-list li") or many(driver, "#no-gaps")

    # The same numbers as the API: the reach table by origin and language.
    driver.get(f"{base}/reports/reach")
    page_rows = _table_figures(driver, "table-0")
    token = _api_token(base, "beleid")
    api = requests.get(f"{base}/api/v1/reports/reach", headers={"Authorization": f"Bearer {token}"}, timeout=30).json()
    hidden = t("nl", "reports.hidden")
    expected = [["" if v is None else str(v) for v in (cell[m] for m in api["measures"])] for cell in api["cells"]]
    assert [row[len(api["dimensions"]):] for row in page_rows[:len(expected)]] == \
        [[hidden if v == "" else v for v in row] for row in expected]
    csv_link = one(driver, "#table-0").find_element("xpath", "ancestor::section").find_element("css selector", "a[href*='format=csv']")
    assert "by=origin%2Clanguage" in csv_link.get_attribute("href") or "by=origin,language" in csv_link.get_attribute("href")

    # A period and the regional view with a plain form: Rijnstad and Beekdal together.
    fill(driver, "from", "2025-01-01")
    fill(driver, "to", "2026-12-31")
    one(driver, "#scope option[value='region']").click()
    submit(driver, one(driver, "form.report-period button[type=submit]"))
    assert "scope=region" in driver.current_url and "from=2025-01-01" in driver.current_url
    assert "GM9901, GM9902" in one(driver, "#report-scope").text
    check_page(driver, "report-reach-region", "nl")

    # In English too.
    switch_language(driver, "en")
    assert one(driver, "h1").text == t("en", "reports.reach.title")
    check_page(driver, "report-reach", "en")
    switch_language(driver, "nl")


def test_reports_are_not_for_partners(driver):
    ensure_signed_in(driver, "partner-jgz")
    driver.get(f"{driver.ww_base}/reports/reach")
    assert one(driver, "h1").text == t("nl", "error.forbidden.title")


def test_case_manager_opens_the_families_behind_a_gap(driver):
    """A case manager (not a policy officer) goes from a gap in demand against supply to the families behind it:
    through the family list, whose filters are kept in the session (no codes or names in the URL)."""
    ensure_signed_in(driver, "klantmanager")
    follow_link(driver, "/reports")
    driver.get(f"{driver.ww_base}/reports/demand-supply")
    # The demo's open questions include some with no offer in the family's own language (Romanian, for one).
    drills = many(driver, "form.gap-drill")
    assert drills, "no drill-down on the gaps for the case manager"
    submit(driver, one(driver, "button", drills[0]))
    assert path_of(driver) == "/families"
    assert one(driver, "#drill-down").text.startswith(t("nl", "families.filter.openNeed"))
    assert many(driver, "#families-caption") and many(driver, "table.table tbody tr")
    check_page(driver, "families-drill-down", "nl")


def test_policy_officer_has_no_drill_down(driver):
    ensure_signed_in(driver, "beleid")
    driver.get(f"{driver.ww_base}/reports/demand-supply")
    assert not many(driver, "form.gap-drill")
