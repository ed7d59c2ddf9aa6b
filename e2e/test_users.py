"""User management in the browser (issue 16, item 5): the admin creates an account with the password policy, changes
its role and languages, sets a new password and deactivates it; the new colleague signs in, and is out once
deactivated. The pages pass the same checks as every staff page (language, axe, layout at 360 and 1280, keyboard)."""
import uuid

from selenium.webdriver.common.by import By

from conftest import check_page, ensure_signed_in, fill, follow_link, login, one, open_page, path_of, select_by_text, submit, t


def test_the_admin_manages_an_account_in_the_browser(driver):
    ensure_signed_in(driver, "admin")
    follow_link(driver, "/admin/users")
    assert path_of(driver) == "/admin/users"
    follow_link(driver, "/admin/users/new")
    check_page(driver, "user-new-form", "nl")

    username = f"e2e-{uuid.uuid4().hex[:8]}"
    # A weak password is refused next to its field, with the summary linking to it; nothing is created.
    fill(driver, "username", username)
    fill(driver, "displayName", "Amina Yusuf")
    select_by_text(driver, "role", t("nl", "role.keyPerson"))
    select_by_text(driver, "organisationId", "Gemeente Rijnstad")
    one(driver, "#language-so").click()
    fill(driver, "password", "welkom123")
    assert submit(driver, one(driver, "form[action='/admin/users/new'] button[type=submit]")) == 422
    assert one(driver, "#password-error").is_displayed()
    assert one(driver, "#error-summary a[href='#password']")
    assert one(driver, "#username").get_attribute("value") == username
    assert one(driver, "#language-so").is_selected()
    check_page(driver, "user-new-errors", "nl")

    fill(driver, "password", "Bloemkool-Zonnig-42")
    assert submit(driver, one(driver, "form[action='/admin/users/new'] button[type=submit]")) == 200
    assert path_of(driver).startswith("/admin/users/"), driver.current_url
    account_path = path_of(driver)
    assert t("nl", "flash.userCreated") in driver.page_source
    check_page(driver, "user-edit", "nl")

    # A change of role and languages.
    select_by_text(driver, "role", t("nl", "role.socialWorker"))
    one(driver, "#language-ar").click()
    assert submit(driver, one(driver, f"form[action='{account_path}'] button[type=submit]")) == 200
    assert t("nl", "flash.userSaved") in driver.page_source
    open_page(driver, "/admin/users")
    row = [r for r in driver.find_elements(By.CSS_SELECTOR, "table tbody tr") if username in r.text]
    assert row and t("nl", "role.socialWorker") in row[0].text and "Arabisch" in row[0].text

    # The new colleague signs in with the first password.
    login(driver, username, password="Bloemkool-Zonnig-42", expect_success=False)
    assert path_of(driver) in ("/", "/my-families"), driver.current_url
    assert "Amina Yusuf" in one(driver, ".nav-user-name").text
    driver.ww_user = username
    login(driver, "admin")
    open_page(driver, account_path)
    assert submit(driver, one(driver, "#account-state-button")) == 200
    assert t("nl", "flash.userDeactivated") in driver.page_source
    assert one(driver, "#account-state").text == t("nl", "users.inactive")
    login(driver, username, password="Bloemkool-Zonnig-42", expect_success=False)
    assert path_of(driver).startswith("/login"), "a deactivated account cannot sign in"
    login(driver, "admin")
