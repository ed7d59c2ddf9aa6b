import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

/// Every registered route, web and API, × every demo account and an anonymous caller: exactly one expected status
/// per cell (security-model.md, "The policy table"). A route registered without a row here fails the suite, so a new
/// route cannot ship unchecked.
///
/// The target family is Habte: coupled to `sleutelpersoon` (key person) and `begeleider` (social worker), its lead is
/// `klantmanager`, and it has a referral sent to the JGZ (`partner-jgz`). `sleutelpersoon2` is a key person of other
/// families; `klantmanager-beekdal` works in the neighbouring municipality. Path parameters take the ids of that set-up
/// (`Fixture`). Writes send a stale version or an invalid body (named in the row), so an allowed cell answers
/// 409/422 without changing anything and every cell can share one seeded app per database; the few allowed writes
/// that do succeed (201/200/303) change nothing another row reads.
@Suite("Access matrix")
struct AccessMatrixTests {
    /// The columns of `Row.expect`, in order.
    static let accounts = ["klantmanager", "sleutelpersoon", "sleutelpersoon2", "begeleider", "partner-jgz", "trainer",
                           "beleid", "admin", "klantmanager-beekdal", "anonymous"]

    enum Body {
        case none
        case json(String)
        case form([(String, String)])
    }

    struct Row {
        /// `METHOD /path/:param` as registered.
        let route: String
        let body: Body
        /// One status per account, in the order of `accounts`.
        let expect: String
        /// A query string to add, or "fresh": a new sign-in for each cell (the route ends the session).
        let options: String

        init(_ route: String, _ body: Body, _ expect: String, _ options: String = "") {
            self.route = route
            self.body = body
            self.expect = expect
            self.options = options
        }

        init(_ route: String, _ expect: String, _ options: String = "") {
            self.init(route, .none, expect, options)
        }

        var method: HTTPMethod { HTTPMethod(rawValue: String(route.split(separator: " ")[0])) }
        var pattern: String { String(route.split(separator: " ")[1]) }
        var isAPI: Bool { pattern.hasPrefix("/api/") }
        var fresh: Bool { options == "fresh" }
        var statuses: [UInt] { expect.split(separator: " ").map { UInt($0)! } }
    }

    // Columns: klantmanager sleutelpersoon sleutelpersoon2 begeleider partner-jgz trainer beleid admin klantmanager-beekdal anonymous
    static let matrix: [Row] = [
        // Machine routes and the public catalogue and parents' place: no account needed.
        Row("GET /health", "200 200 200 200 200 200 200 200 200 200"),
        Row("GET /openapi.json", "200 200 200 200 200 200 200 200 200 200"),
        Row("GET /api/hsds", "200 200 200 200 200 200 200 200 200 200"),
        Row("GET /api/hsds/services", "200 200 200 200 200 200 200 200 200 200"),
        Row("GET /api/hsds/services/:id", "200 200 200 200 200 200 200 200 200 200"),
        Row("GET /api/hsds/organizations", "200 200 200 200 200 200 200 200 200 200"),
        Row("GET /api/hsds/taxonomy_terms", "200 200 200 200 200 200 200 200 200 200"),
        Row("GET /ouders", "200 200 200 200 200 200 200 200 200 200"),
        Row("GET /ouders/:lang", "200 200 200 200 200 200 200 200 200 200"),
        Row("GET /ouders/:lang/:page", "200 200 200 200 200 200 200 200 200 200"),
        // API sign-in with the caller's own credentials (anonymous: an unknown name); revoking ends the caller's own token.
        Row("POST /api/v1/session", .json(#"{"username":":username","password":":password"}"#), "201 201 201 201 201 201 201 201 201 401"),
        Row("DELETE /api/v1/session", "204 204 204 204 204 204 204 204 204 401", "fresh"),
        // API: families. Writes carry a stale version (409) or an empty required field (422).
        Row("GET /api/v1/families", "200 200 200 200 200 403 403 403 200 401"),
        Row("POST /api/v1/families", .json(#"{"name":""}"#), "422 403 403 403 403 403 403 403 422 401"),
        Row("POST /api/v1/families/search", .json(#"{"name":"Habte"}"#), "200 200 200 200 200 403 403 403 200 401"),
        Row("POST /api/v1/families/duplicates", .json(#"{"name":"Habte","members":[{"role":"parent","givenName":"Senait"}]}"#), "200 403 403 403 403 403 403 403 200 401"),
        Row("GET /api/v1/families/:familyID", "200 200 404 200 404 403 403 403 404 401"),
        Row("PUT /api/v1/families/:familyID", .json(#"{"name":"Changed","version":999}"#), "409 403 403 403 403 403 403 403 404 401"),
        Row("POST /api/v1/families/:familyID/close", .json(#"{"reason":"moved-away","version":999}"#), "409 403 403 403 403 403 403 403 404 401"),
        Row("POST /api/v1/families/:familyID/reopen", .json(#"{"version":999}"#), "409 403 403 403 403 403 403 403 404 401"),
        Row("GET /api/v1/families/:familyID/members", "200 200 404 200 404 403 403 403 404 401"),
        Row("POST /api/v1/families/:familyID/members", .json(#"{"role":"child","givenName":""}"#), "422 403 403 403 403 403 403 403 404 401"),
        Row("GET /api/v1/families/:familyID/members/:memberID", "200 200 404 200 404 403 403 403 404 401"),
        Row("PUT /api/v1/families/:familyID/members/:memberID", .json(#"{"role":"parent","givenName":"Senait","version":999}"#), "409 403 403 403 403 403 403 403 404 401"),
        Row("DELETE /api/v1/families/:familyID/members/:memberID", .json(#"{"version":999}"#), "409 403 403 403 403 403 403 403 404 401"),
        // API: consents. The withdraw target was withdrawn in the set-up (409 already-withdrawn).
        Row("GET /api/v1/families/:familyID/consents", "200 200 404 200 404 403 403 403 404 401"),
        Row("POST /api/v1/families/:familyID/consents", .json(#"{"purpose":"nonsense","givenBy":"","dataCategories":[]}"#), "422 403 403 403 403 403 403 403 404 401"),
        Row("POST /api/v1/families/:familyID/consents/:consentID/withdraw", "409 403 403 403 403 403 403 403 404 401"),
        // API: intake.
        Row("GET /api/v1/screening-instrument", "200 200 200 200 200 403 403 403 200 401"),
        Row("GET /api/v1/families/:familyID/screenings", "200 200 404 200 403 403 403 403 404 401"),
        // Answers are validated before the family is looked up: 422 for every role past the field-work gate.
        Row("POST /api/v1/families/:familyID/screenings", .json(#"{"answers":{}}"#), "422 422 422 422 403 403 403 403 422 401"),
        Row("GET /api/v1/families/:familyID/needs", "200 200 404 200 404 403 403 403 404 401"),
        Row("POST /api/v1/families/:familyID/needs", .json(#"{"theme":"child-health","priority":2}"#), "201 403 403 403 403 403 403 403 404 401"),
        Row("PATCH /api/v1/families/:familyID/needs/:needID", .json(#"{"status":"open","version":999}"#), "409 403 403 403 403 403 403 403 404 401"),
        Row("GET /api/v1/families/:familyID/plan", "200 200 404 200 404 403 403 403 404 401"),
        Row("PUT /api/v1/families/:familyID/plan", .json(#"{"goals":[],"version":999}"#), "409 403 403 403 403 403 403 403 404 401"),
        Row("POST /api/v1/families/:familyID/plan/information", .json(#"{"pages":[":slug"],"language":"ti"}"#), "200 200 404 403 403 403 403 403 404 401"),
        Row("GET /api/v1/families/:familyID/contacts", "200 200 404 200 404 403 403 403 404 401"),
        Row("POST /api/v1/families/:familyID/contacts", .json(#"{"mode":"phone"}"#), "201 201 404 201 403 403 403 403 404 401"),
        Row("GET /api/v1/families/:familyID/signals", "200 200 404 200 404 403 403 403 404 401"),
        Row("POST /api/v1/families/:familyID/signals", .json(#"{"kind":"question","text":"Vraag over school"}"#), "201 201 404 201 404 403 403 403 404 401"),
        Row("POST /api/v1/families/:familyID/signals/:signalID/handled", "200 403 403 403 403 403 403 403 404 401"),
        Row("GET /api/v1/families/:familyID/meldcode", "200 200 404 200 404 403 403 403 404 401"),
        Row("POST /api/v1/families/:familyID/meldcode", .json(#"{"colleagueId":":klantmanagerID"}"#), "422 403 403 403 403 403 403 403 404 401"),
        Row("POST /api/v1/families/:familyID/meldcode/:recordID/steps", .json(#"{"step":99,"note":"x"}"#), "422 404 404 422 404 403 403 403 404 401"),
        // API: matching.
        Row("POST /api/v1/match", .json(#"{"parents":[],"children":[],"themes":[{"code":"nonsense"}]}"#), "422 422 422 422 422 403 403 403 422 401"),
        Row("GET /api/v1/families/:familyID/matches", "200 200 404 200 404 403 403 403 404 401"),
        Row("POST /api/v1/families/:familyID/matches/choices", .json(#"{"discussed":["00000000-0000-0000-0000-000000000001"]}"#), "422 422 404 403 403 403 403 403 404 401"),
        // API: offers.
        Row("GET /api/v1/offers", "200 200 200 200 200 200 200 200 200 401"),
        Row("POST /api/v1/offers", .json(":offerInvalid"), "403 403 403 403 422 403 403 422 403 401"),
        Row("GET /api/v1/offers/:offerID", "200 200 200 200 200 200 200 200 404 401"),
        Row("PUT /api/v1/offers/:offerID", .json(":offerStale"), "403 403 403 403 409 403 403 409 403 401"),
        Row("POST /api/v1/offers/:offerID/retire", .json(#"{"version":999}"#), "403 403 403 403 409 403 403 409 403 401"),
        // API: referrals. Declining without a reason: 422 for the receiving partner, whose step it is.
        Row("GET /api/v1/referrals", "200 200 200 200 200 403 403 403 200 401"),
        Row("POST /api/v1/referrals", .json(#"{"familyId":":familyID"}"#), "422 403 403 403 403 403 403 403 404 401"),
        Row("GET /api/v1/referrals/inbox", "403 403 403 403 200 403 403 403 403 401"),
        Row("GET /api/v1/referrals/:referralID", "200 200 404 200 200 403 403 403 404 401"),
        Row("GET /api/v1/referrals/:referralID/transitions", "200 200 404 200 200 403 403 403 404 401"),
        Row("POST /api/v1/referrals/:referralID/transitions", .json(#"{"to":"declined","from":"sent"}"#), "403 403 404 403 422 403 403 403 404 401"),
        // A handover before a first contact is planned: the lead's 409.
        Row("POST /api/v1/referrals/:referralID/handover", .json(#"{"happened":true}"#), "409 403 404 403 403 403 403 403 404 401"),
        Row("POST /api/v1/referrals/:referralID/chase", "200 403 404 403 403 403 403 403 404 401"),
        Row("GET /api/v1/families/:familyID/referrals", "200 200 404 200 404 403 403 403 404 401"),
        Row("GET /api/v1/worklist", "200 200 200 200 200 403 403 403 200 401"),
        Row("GET /api/v1/notifications", "200 200 200 200 200 403 403 403 200 401"),
        Row("POST /api/v1/notifications/read", "204 204 204 204 204 403 403 403 204 401"),
        Row("GET /api/v1/reports/referrals", "200 403 403 403 403 403 200 200 200 401"),
        Row("GET /api/v1/settings/referrals", "200 403 403 403 403 403 403 200 200 401"),
        Row("PUT /api/v1/settings/referrals", .json(#"{"answerWorkingDays":-1,"firstContactDays":-1,"partnerAccessDays":-1}"#), "403 403 403 403 403 403 403 422 403 401"),
        // Web: signing in and out, the language switch.
        Row("GET /login", "303 303 303 303 303 303 303 303 303 200"),
        Row("POST /login", .form([("username", ":username"), ("password", ":password")]), "303 303 303 303 303 303 303 303 303 401", "fresh"),
        Row("POST /logout", "303 303 303 303 303 303 303 303 303 303", "fresh"),
        Row("POST /language", .form([("locale", "nl")]), "303 303 303 303 303 303 303 303 303 303"),
        // The start page: family roles go to their families, a trainer to their group series.
        Row("GET /", "303 303 303 303 200 303 200 200 303 303"),
        // Web: families.
        Row("GET /my-families", "200 200 200 200 200 403 403 403 200 303"),
        Row("GET /families", "200 200 200 200 200 403 403 403 200 303"),
        Row("POST /families/search", .form([("name", "Habte")]), "303 303 303 303 303 403 403 403 303 303"),
        Row("GET /families/new", "200 403 403 403 403 403 403 403 200 303"),
        Row("POST /families/new", .form([("name", "")]), "422 403 403 403 403 403 403 403 422 303"),
        Row("GET /families/:familyID", "200 200 404 200 404 403 403 403 404 303"),
        // The timeline: as the family page (each section then by its own cell); the summary to print: case managers only.
        Row("GET /families/:familyID/timeline", "200 200 404 200 404 403 403 403 404 303"),
        Row("GET /families/:familyID/summary", "200 403 403 403 403 403 403 403 404 303"),
        Row("GET /families/:familyID/edit", "200 403 403 403 403 403 403 403 404 303"),
        Row("POST /families/:familyID/edit", .form([("name", "Changed"), ("version", "999")]), "409 403 403 403 403 403 403 403 404 303"),
        Row("GET /families/:familyID/close", "200 403 403 403 403 403 403 403 404 303"),
        Row("POST /families/:familyID/close", .form([("reason", "moved-away"), ("version", "999")]), "409 403 403 403 403 403 403 403 404 303"),
        // Stale version: back to the family page with a message.
        Row("POST /families/:familyID/reopen", .form([("version", "999")]), "303 403 403 403 403 403 403 403 404 303"),
        Row("GET /families/:familyID/members/new", "200 403 403 403 403 403 403 403 404 303"),
        Row("POST /families/:familyID/members/new", .form([("m_role", "child"), ("m_givenName", "")]), "422 403 403 403 403 403 403 403 404 303"),
        Row("GET /families/:familyID/members/:memberID/edit", "200 403 403 403 403 403 403 403 404 303"),
        Row("POST /families/:familyID/members/:memberID/edit", .form([("m_role", "parent"), ("m_givenName", "Senait"), ("version", "999")]), "409 403 403 403 403 403 403 403 404 303"),
        Row("GET /families/:familyID/members/:memberID/delete", "200 403 403 403 403 403 403 403 404 303"),
        Row("POST /families/:familyID/members/:memberID/delete", .form([("version", "999")]), "303 403 403 403 403 403 403 403 404 303"),
        Row("GET /families/:familyID/consents", "200 200 404 200 404 403 403 403 404 303"),
        Row("POST /families/:familyID/consents", .form([("purpose", "nonsense")]), "422 403 403 403 403 403 403 403 404 303"),
        // Already withdrawn: back to the register with a message.
        Row("POST /families/:familyID/consents/:consentID/withdraw", "303 403 403 403 403 403 403 403 404 303"),
        // Web: intake.
        // A trainer has no families, but group sessions to be reminded of (docs/groups.md, "Calendar").
        Row("GET /worklist", "200 200 200 200 200 200 403 403 200 303"),
        Row("GET /families/:familyID/intake", "200 200 404 200 404 403 403 403 404 303"),
        Row("GET /families/:familyID/intake/screening", "200 200 404 200 403 403 403 403 404 303"),
        Row("POST /families/:familyID/intake/screening", .form([("occasion", "nonsense")]), "422 422 404 422 403 403 403 403 404 303"),
        Row("POST /families/:familyID/intake/needs", .form([("theme", "nonsense")]), "422 403 403 403 403 403 403 403 404 303"),
        Row("POST /families/:familyID/intake/needs/:needID", .form([("status", "nonsense")]), "422 403 403 403 403 403 403 403 404 303"),
        Row("POST /families/:familyID/intake/plan", .form([("version", "999")]), "409 403 403 403 403 403 403 403 404 303"),
        Row("POST /families/:familyID/intake/information", .form([("language", "ti")]), "422 422 404 403 403 403 403 403 404 303"),
        Row("POST /families/:familyID/intake/contacts", .form([("mode", "nonsense")]), "422 422 404 422 403 403 403 403 404 303"),
        Row("POST /families/:familyID/intake/signals", .form([("kind", "nonsense"), ("text", "x")]), "422 422 404 422 404 403 403 403 404 303"),
        Row("POST /families/:familyID/intake/signals/:signalID/handled", "303 403 403 403 403 403 403 403 404 303"),
        Row("POST /families/:familyID/intake/meldcode", .form([("colleagueId", ":klantmanagerID")]), "422 403 403 403 403 403 403 403 404 303"),
        Row("POST /families/:familyID/intake/meldcode/:recordID/steps", .form([("step", "99"), ("note", "x")]), "422 404 404 422 404 403 403 403 404 303"),
        Row("POST /families/:familyID/intake/offers", .form([("discussed", "00000000-0000-0000-0000-000000000001")]), "422 422 404 403 403 403 403 403 404 303"),
        // Web: referrals, notifications, the timers.
        Row("GET /referrals", "200 200 200 200 200 403 403 403 200 303"),
        Row("GET /referrals/:referralID", "200 200 404 200 200 403 403 403 404 303"),
        Row("POST /referrals/:referralID/transitions", .form([("to", "declined"), ("from", "sent")]), "403 403 404 403 422 403 403 403 404 303"),
        Row("POST /referrals/:referralID/handover", .form([("happened", "yes")]), "409 403 404 403 403 403 403 403 404 303"),
        Row("POST /referrals/:referralID/chase", "303 403 404 403 403 403 403 403 404 303"),
        Row("GET /families/:familyID/referrals", "200 200 404 200 404 403 403 403 404 303"),
        Row("GET /families/:familyID/referrals/new", "200 403 403 403 403 403 403 403 404 303"),
        Row("POST /families/:familyID/referrals/new", .form([("offerId", "")]), "422 403 403 403 403 403 403 403 404 303"),
        Row("GET /notifications", "200 200 200 200 200 403 403 403 200 303"),
        Row("POST /notifications/read", "303 303 303 303 303 403 403 403 303 303"),
        Row("GET /admin/referral-settings", "403 403 403 403 403 403 403 200 403 303"),
        Row("POST /admin/referral-settings", .form([("answerWorkingDays", "-1"), ("firstContactDays", "-1"), ("partnerAccessDays", "-1")]), "403 403 403 403 403 403 403 422 403 303"),
        // Web: audit, catalogue editing, the HSDS import.
        Row("GET /admin/audit", "403 403 403 403 403 403 403 200 403 303"),
        Row("GET /admin/audit/export.csv", "403 403 403 403 403 403 403 200 403 303"),
        // Accounts (admin only, own municipality), on the admin's own account: writes send an invalid form, or
        // (de)activate oneself, so the allowed cell answers 422/409 and nothing changes.
        Row("GET /admin/users", "403 403 403 403 403 403 403 200 403 303"),
        Row("GET /admin/users/new", "403 403 403 403 403 403 403 200 403 303"),
        Row("POST /admin/users/new", .form([("username", "x"), ("displayName", "")]), "403 403 403 403 403 403 403 422 403 303"),
        Row("GET /admin/users/:accountID", "403 403 403 403 403 403 403 200 403 303"),
        Row("POST /admin/users/:accountID", .form([("displayName", ""), ("role", "caseManager")]), "403 403 403 403 403 403 403 422 403 303"),
        Row("POST /admin/users/:accountID/password", .form([("password", "kort")]), "403 403 403 403 403 403 403 422 403 303"),
        Row("POST /admin/users/:accountID/deactivate", "403 403 403 403 403 403 403 409 403 303"),
        Row("POST /admin/users/:accountID/activate", "403 403 403 403 403 403 403 409 403 303"),
        Row("GET /catalog", "200 200 200 200 200 200 200 200 200 303"),
        Row("GET /catalog/new", "403 403 403 403 200 403 403 200 403 303"),
        Row("POST /catalog/new", .form([("name", "")]), "403 403 403 403 422 403 403 422 403 303"),
        Row("GET /catalog/:offerID", "200 200 200 200 200 200 200 200 404 303"),
        Row("GET /catalog/:offerID/edit", "403 403 403 403 200 403 403 200 403 303"),
        // The stale version is checked before the fields.
        Row("POST /catalog/:offerID/edit", .form([("name", ""), ("version", "999")]), "403 403 403 403 409 403 403 409 403 303"),
        Row("POST /catalog/:offerID/retire", .form([("version", "999")]), "403 403 403 403 303 403 403 303 403 303"),
        Row("GET /admin/catalog/import", "403 403 403 403 403 403 403 200 403 303"),
        Row("POST /admin/catalog/import", .form([("replace", "")]), "403 403 403 403 403 403 403 422 403 303"),
        // Web: translations of the parents' place (`ti`: sleutelpersoon speaks it, sleutelpersoon2 does not).
        Row("GET /admin/translations", "200 200 200 200 200 200 200 200 200 303"),
        Row("GET /admin/translations/:slug/:lang", "200 200 200 200 200 200 200 200 200 303"),
        // An empty title is refused before the revision is compared.
        Row("POST /admin/translations/:slug/:lang", .form([("title", ""), ("revision", "999")]), "403 422 403 403 403 403 403 422 403 303"),
        Row("POST /admin/translations/:slug/:lang/review", .form([("revision", "999")]), "403 409 403 403 403 403 403 403 403 303"),
        // An offer's translation (the JGZ's offer, into Tigrinya: no translation yet, so nothing to review).
        Row("GET /catalog/:offerID/translations/:lang", "200 200 200 200 200 200 200 200 404 303"),
        Row("POST /catalog/:offerID/translations/:lang", .form([("name", ""), ("revision", "999")]), "403 422 403 403 422 403 403 422 403 303"),
        Row("POST /catalog/:offerID/translations/:lang/review", .form([("revision", "999")]), "403 409 403 403 403 403 403 403 403 303"),
        // API: group series. The target series is led by `trainer` with `sleutelpersoon` as its key person; writes carry
        // a stale version (409) or an invalid body (422).
        Row("GET /api/v1/groups/series", "200 200 200 403 403 200 403 403 200 401"),
        Row("POST /api/v1/groups/series", .json(#"{"language":"zz"}"#), "422 403 403 403 403 422 403 403 422 401"),
        Row("GET /api/v1/groups/series/:seriesID", "200 200 404 403 403 200 403 403 404 401"),
        Row("PUT /api/v1/groups/series/:seriesID", .json(":seriesStale"), "409 403 403 403 403 409 403 403 404 401"),
        Row("POST /api/v1/groups/series/:seriesID/sessions", .json(#"{"date":"someday"}"#), "422 403 403 403 403 422 403 403 404 401"),
        Row("PUT /api/v1/groups/series/:seriesID/sessions/:sessionID",
            .json(#"{"date":"2027-01-06","startsAt":"10:00","endsAt":"12:00","topic":"school-system","version":999}"#),
            "409 403 403 403 403 409 403 403 404 401"),
        Row("PUT /api/v1/groups/series/:seriesID/sessions/:sessionID/attendance", .json(#"{"records":[]}"#),
            "422 422 404 403 403 422 403 403 404 401"),
        Row("POST /api/v1/groups/series/:seriesID/participants", .json(#"{"source":"invitation"}"#),
            "422 403 403 403 403 422 403 403 404 401"),
        Row("PUT /api/v1/groups/series/:seriesID/participants/:participantID", .json(#"{"invitation":"maybe","version":999}"#),
            "422 422 404 403 403 422 403 403 404 401"),
        Row("POST /api/v1/groups/plan", .json(#"{"minSize":0}"#), "422 403 403 403 403 422 403 403 422 401"),
        Row("GET /api/v1/reports/groups", "200 403 403 403 403 403 200 200 200 401"),
        // The municipality's reports (docs/reports.md): aggregates for case managers, policy officers and admins.
        Row("GET /api/v1/reports/reach", "200 403 403 403 403 403 200 200 200 401"),
        Row("GET /api/v1/reports/timings", "200 403 403 403 403 403 200 200 200 401"),
        Row("GET /api/v1/reports/offer-reach", "200 403 403 403 403 403 200 200 200 401"),
        Row("GET /api/v1/reports/satisfaction", "200 403 403 403 403 403 200 200 200 401"),
        Row("GET /api/v1/reports/key-persons", "200 403 403 403 403 403 200 200 200 401"),
        Row("GET /api/v1/reports/provisions", "200 403 403 403 403 403 200 200 200 401"),
        Row("GET /api/v1/reports/demand-supply", "200 403 403 403 403 403 200 200 200 401"),
        Row("GET /api/v1/reports/equity", "200 403 403 403 403 403 200 200 200 401"),
        Row("GET /reports", "200 403 403 403 403 403 200 200 200 303"),
        Row("GET /reports/reach", "200 403 403 403 403 403 200 200 200 303"),
        Row("GET /reports/timings", "200 403 403 403 403 403 200 200 200 303"),
        Row("GET /reports/referrals", "200 403 403 403 403 403 200 200 200 303"),
        Row("GET /reports/groups", "200 403 403 403 403 403 200 200 200 303"),
        Row("GET /reports/offer-reach", "200 403 403 403 403 403 200 200 200 303"),
        Row("GET /reports/satisfaction", "200 403 403 403 403 403 200 200 200 303"),
        Row("GET /reports/key-persons", "200 403 403 403 403 403 200 200 200 303"),
        Row("GET /reports/provisions", "200 403 403 403 403 403 200 200 200 303"),
        Row("GET /reports/demand-supply", "200 403 403 403 403 403 200 200 200 303"),
        Row("GET /reports/equity", "200 403 403 403 403 403 200 200 200 303"),
        // The procurement checklist (R41): the policy officer and the admin, own municipality and region.
        Row("GET /api/v1/reports/procurement", "403 403 403 403 403 403 200 200 403 401"),
        Row("GET /procurement", "403 403 403 403 403 403 200 200 403 303"),
        Row("GET /procurement/region", "403 403 403 403 403 403 200 200 403 303"),
        Row("POST /api/v1/groups/plan/accept", .json(#"{"minSize":0}"#), "422 403 403 403 403 422 403 403 422 401"),
        Row("POST /api/v1/groups/plan/invite", .json(#"{"settledMonths":0}"#), "422 403 403 403 403 422 403 403 422 401"),
        // What the planner knows of people: the planners record it; a parent or colleague of another municipality is 404.
        Row("GET /api/v1/groups/districts", "200 403 403 403 403 200 403 403 200 401"),
        Row("PUT /api/v1/groups/districts", .json(#"{"districts":[{"code":"online","name":"x"}]}"#), "422 403 403 403 403 422 403 403 422 401"),
        Row("PUT /api/v1/groups/plan/availability/parents/:memberID", .json(#"{"times":["night"]}"#),
            "422 403 403 403 403 422 403 403 404 401"),
        Row("PUT /api/v1/groups/plan/availability/facilitators/:userID", .json(#"{"times":["night"],"maxSeries":1}"#),
            "422 403 403 403 403 422 403 403 404 401"),
        Row("DELETE /api/v1/groups/plan/invitees/:inviteeID", "404 403 403 403 403 404 403 403 404 401"),
        Row("GET /api/v1/groups/series/:seriesID/sessions/:sessionID/handout", "200 200 404 403 403 200 403 403 404 401"),
        // Web: group series (the same series).
        Row("GET /groups", "200 200 200 403 403 200 403 403 200 303"),
        Row("GET /groups/new", "200 403 403 403 403 200 403 403 200 303"),
        Row("POST /groups/new", .form([("language", "zz")]), "422 403 403 403 403 422 403 403 422 303"),
        Row("GET /groups/:seriesID", "200 200 404 403 403 200 403 403 404 303"),
        Row("GET /groups/plan", "200 403 403 403 403 200 403 403 200 303"),
        Row("GET /groups/:seriesID/participants/:participantID/invitation", "200 200 404 403 403 200 403 403 404 303"),
        Row("POST /groups/plan/accept", .form([("series", "x")]), "422 403 403 403 403 422 403 403 422 303"),
        Row("POST /groups/plan/invite", .form([("settledMonths", "0")]), "422 403 403 403 403 422 403 403 422 303"),
        Row("POST /groups/plan/availability/:memberID", .form([("times", "night")]), "422 403 403 403 403 422 403 403 404 303"),
        Row("POST /groups/plan/facilitators/:userID", .form([("times", "night"), ("maxSeries", "1")]),
            "422 403 403 403 403 422 403 403 404 303"),
        Row("POST /groups/plan/districts", .form([("districts", "online x")]), "422 403 403 403 403 422 403 403 422 303"),
        Row("POST /groups/plan/invitees/:inviteeID/remove", "404 403 403 403 403 404 403 403 404 303"),
        Row("GET /groups/:seriesID/sessions/:sessionID/handout", "200 200 404 403 403 200 403 403 404 303"),
        Row("POST /groups/:seriesID/sessions", .form([("date", "someday")]), "422 403 403 403 403 422 403 403 404 303"),
        Row("POST /groups/:seriesID/participants", .form([("memberId", "")]), "422 403 403 403 403 422 403 403 404 303"),
        Row("POST /groups/:seriesID/participants/:participantID", .form([("invitation", "maybe"), ("version", "999")]),
            "422 422 404 403 403 422 403 403 404 303"),
        Row("POST /groups/:seriesID/sessions/:sessionID/attendance", .form([("childcareHeadcount", "")]),
            "422 422 404 403 403 422 403 403 404 303"),
        // The parents' evaluation of the series, opened in the set-up (opening again: 409 through the API). The public
        // link needs no account; each POST stores one anonymous answer (10 of the limit of 30).
        Row("GET /api/v1/groups/series/:seriesID/evaluation", "200 200 404 403 403 200 200 403 404 401"),
        Row("POST /api/v1/groups/series/:seriesID/evaluation", "409 403 403 403 403 409 403 403 404 401"),
        Row("DELETE /api/v1/groups/series/:seriesID/evaluation", .json(#"{"version":999}"#), "409 403 403 403 403 409 403 403 404 401"),
        Row("GET /api/v1/groups/evaluation/offers/:offerID", "200 403 403 403 403 403 200 403 404 401"),
        Row("GET /evaluatie/:token", "200 200 200 200 200 200 200 200 200 200"),
        Row("POST /evaluatie/:token", .form([("q-learned", "yes")]), "200 200 200 200 200 200 200 200 200 200"),
        Row("GET /groups/:seriesID/evaluation", "200 200 404 403 403 200 200 403 404 303"),
        Row("GET /groups/:seriesID/evaluation/print", "200 200 404 403 403 200 403 403 404 303"),
        Row("POST /groups/:seriesID/evaluation/open", "303 403 403 403 403 303 403 403 404 303"),
        Row("POST /groups/:seriesID/evaluation/close", .form([("version", "999")]), "409 403 403 403 403 409 403 403 404 303"),
        Row("POST /groups/:seriesID/evaluation/paper", .form([("forms", "")]), "422 422 404 403 403 422 403 403 404 303"),
        Row("POST /groups/:seriesID/evaluation/facilitator", .form([("rating", "")]), "403 422 404 403 403 422 403 403 403 303"),
        // Calendar feeds. The links were made by `trainer` for the target series; `:file` is one's feed, `:linkID` another
        // (revoked by the first allowed cell; revoking again answers the same 204).
        Row("POST /api/v1/groups/calendar-links", .json(#"{"kind":"nonsense"}"#), "422 422 422 422 422 422 403 403 422 401"),
        Row("GET /api/v1/groups/calendar-links", "200 200 200 200 200 200 403 403 200 401"),
        Row("DELETE /api/v1/groups/calendar-links/:linkID", "204 404 404 404 404 204 403 204 404 401"),
        // The same on the series page: making one shows the page with the address once; revoking goes back to it.
        Row("POST /groups/:seriesID/calendar-link", "200 200 404 404 404 200 403 403 404 303"),
        Row("POST /groups/:seriesID/calendar-links/:linkID/revoke", "303 404 404 404 404 303 403 303 404 303"),
        // The public feed: the token is the key, no account or session involved.
        Row("GET /calendar/:file", "200 200 200 200 200 200 200 200 200 200"),
    ]

    /// Which cell of the policy table each route reads (AccessPolicy): `policyAgreesWithMatrix` checks that the
    /// route's expected statuses are the policy's decisions for each account's relationship to the target. Left out:
    /// public and session routes; `POST …/screenings`, which validates the answers before the family is looked up; and
    /// the referral transitions, where ReferralLifecycle decides which step each part may make.
    static let policyCells: [String: (AccessPolicy.Action, AccessPolicy.RecordType)] = [
        "GET /api/v1/families": (.list, .family), "POST /api/v1/families": (.create, .family),
        "POST /api/v1/families/search": (.list, .family), "POST /api/v1/families/duplicates": (.create, .family), "GET /api/v1/families/:familyID": (.read, .family),
        "PUT /api/v1/families/:familyID": (.update, .family), "POST /api/v1/families/:familyID/close": (.close, .family),
        "POST /api/v1/families/:familyID/reopen": (.close, .family),
        "GET /families/:familyID/timeline": (.read, .family), "GET /families/:familyID/summary": (.read, .caseSummary),
        "GET /api/v1/families/:familyID/members": (.list, .member), "POST /api/v1/families/:familyID/members": (.create, .member),
        "GET /api/v1/families/:familyID/members/:memberID": (.read, .member),
        "PUT /api/v1/families/:familyID/members/:memberID": (.update, .member),
        "DELETE /api/v1/families/:familyID/members/:memberID": (.delete, .member),
        "GET /api/v1/families/:familyID/consents": (.list, .consent), "POST /api/v1/families/:familyID/consents": (.create, .consent),
        "POST /api/v1/families/:familyID/consents/:consentID/withdraw": (.update, .consent),
        "GET /api/v1/families/:familyID/screenings": (.list, .screening),
        "GET /api/v1/families/:familyID/needs": (.list, .need), "POST /api/v1/families/:familyID/needs": (.create, .need),
        "PATCH /api/v1/families/:familyID/needs/:needID": (.update, .need),
        "GET /api/v1/families/:familyID/plan": (.read, .plan), "PUT /api/v1/families/:familyID/plan": (.update, .plan),
        "POST /api/v1/families/:familyID/plan/information": (.create, .planProgress),
        "GET /api/v1/families/:familyID/contacts": (.list, .contact), "POST /api/v1/families/:familyID/contacts": (.create, .contact),
        "GET /api/v1/families/:familyID/signals": (.list, .signal), "POST /api/v1/families/:familyID/signals": (.create, .signal),
        "POST /api/v1/families/:familyID/signals/:signalID/handled": (.update, .signal),
        "GET /api/v1/families/:familyID/meldcode": (.list, .meldcode), "POST /api/v1/families/:familyID/meldcode": (.create, .meldcode),
        "POST /api/v1/families/:familyID/meldcode/:recordID/steps": (.update, .meldcode),
        "POST /api/v1/match": (.read, .matches), "GET /api/v1/families/:familyID/matches": (.read, .matches),
        "POST /api/v1/families/:familyID/matches/choices": (.create, .planProgress),
        "GET /api/v1/offers": (.list, .offer), "POST /api/v1/offers": (.create, .offer), "GET /api/v1/offers/:offerID": (.read, .offer),
        "PUT /api/v1/offers/:offerID": (.update, .offer), "POST /api/v1/offers/:offerID/retire": (.close, .offer),
        "GET /api/v1/referrals": (.list, .referral), "POST /api/v1/referrals": (.refer, .referral),
        "GET /api/v1/referrals/inbox": (.list, .partnerInbox), "GET /api/v1/referrals/:referralID": (.read, .referral),
        "GET /api/v1/referrals/:referralID/transitions": (.read, .referral),

        "POST /api/v1/referrals/:referralID/handover": (.handover, .referral),
        "POST /api/v1/referrals/:referralID/chase": (.chase, .referral),
        // A family's referrals are shown to those who see the family.
        "GET /api/v1/families/:familyID/referrals": (.read, .family), "GET /api/v1/worklist": (.list, .worklist),
        "GET /api/v1/notifications": (.list, .notification), "POST /api/v1/notifications/read": (.update, .notification),
        "GET /api/v1/reports/referrals": (.read, .report), "GET /api/v1/settings/referrals": (.read, .settings),
        "PUT /api/v1/settings/referrals": (.update, .settings),
        "GET /families/:familyID": (.read, .family), "GET /families/:familyID/edit": (.update, .family),
        "GET /families/new": (.create, .family), "GET /families/:familyID/consents": (.list, .consent),
        "GET /families/:familyID/intake/screening": (.create, .screening),
        "GET /admin/users": (.list, .account), "GET /admin/users/new": (.create, .account),
        "POST /admin/users/new": (.create, .account), "GET /admin/users/:accountID": (.read, .account),
        "POST /admin/users/:accountID": (.update, .account), "POST /admin/users/:accountID/password": (.update, .account),
        "POST /admin/users/:accountID/deactivate": (.close, .account), "POST /admin/users/:accountID/activate": (.close, .account),
        "GET /admin/audit": (.read, .auditLog), "GET /admin/audit/export.csv": (.read, .auditLog),
        "GET /admin/referral-settings": (.update, .settings),
        "GET /catalog/new": (.create, .offer), "GET /catalog/:offerID/edit": (.update, .offer),
        "GET /admin/catalog/import": (.importFile, .offer),
        "POST /admin/translations/:slug/:lang": (.update, .parentPage),
        "POST /admin/translations/:slug/:lang/review": (.review, .parentPage),
        "GET /catalog/:offerID/translations/:lang": (.read, .offerTranslation),
        "POST /catalog/:offerID/translations/:lang": (.update, .offerTranslation),
        "POST /catalog/:offerID/translations/:lang/review": (.review, .offerTranslation),
        "GET /api/v1/groups/series": (.list, .groupSeries), "POST /api/v1/groups/series": (.create, .groupSeries),
        "GET /api/v1/groups/series/:seriesID": (.read, .groupSeries), "PUT /api/v1/groups/series/:seriesID": (.update, .groupSeries),
        "POST /api/v1/groups/series/:seriesID/sessions": (.update, .groupSeries),
        "PUT /api/v1/groups/series/:seriesID/sessions/:sessionID": (.update, .groupSeries),
        "PUT /api/v1/groups/series/:seriesID/sessions/:sessionID/attendance": (.update, .attendance),
        "POST /api/v1/groups/series/:seriesID/participants": (.create, .groupParticipant),
        "PUT /api/v1/groups/series/:seriesID/participants/:participantID": (.update, .groupParticipant),
        "GET /groups": (.list, .groupSeries), "GET /groups/new": (.create, .groupSeries),
        "GET /api/v1/reports/groups": (.read, .report),
        "GET /api/v1/reports/reach": (.read, .report),
        "GET /api/v1/reports/timings": (.read, .report),
        "GET /api/v1/reports/offer-reach": (.read, .report),
        "GET /api/v1/reports/satisfaction": (.read, .report),
        "GET /api/v1/reports/key-persons": (.read, .report),
        "GET /api/v1/reports/provisions": (.read, .report),
        "GET /api/v1/reports/demand-supply": (.read, .report),
        "GET /api/v1/reports/equity": (.read, .report),
        "GET /reports": (.read, .report),
        "GET /reports/reach": (.read, .report),
        "GET /reports/timings": (.read, .report),
        "GET /reports/referrals": (.read, .report),
        "GET /reports/groups": (.read, .report),
        "GET /reports/offer-reach": (.read, .report),
        "GET /reports/satisfaction": (.read, .report),
        "GET /reports/key-persons": (.read, .report),
        "GET /reports/provisions": (.read, .report),
        "GET /reports/demand-supply": (.read, .report),
        "GET /reports/equity": (.read, .report),
        "GET /api/v1/reports/procurement": (.read, .procurement), "GET /procurement": (.read, .procurement),
        "GET /procurement/region": (.read, .procurement),
        "GET /groups/:seriesID/participants/:participantID/invitation": (.update, .groupParticipant),
        "POST /api/v1/groups/plan": (.create, .groupSeries), "POST /api/v1/groups/plan/accept": (.create, .groupSeries),
        "GET /groups/plan": (.create, .groupSeries), "POST /groups/plan/accept": (.create, .groupSeries),
        "POST /api/v1/groups/plan/invite": (.create, .groupSeries), "POST /groups/plan/invite": (.create, .groupSeries),
        "GET /groups/:seriesID": (.read, .groupSeries), "POST /groups/:seriesID/sessions": (.update, .groupSeries),
        "POST /groups/:seriesID/participants": (.create, .groupParticipant),
        "POST /groups/:seriesID/participants/:participantID": (.update, .groupParticipant),
        "POST /groups/:seriesID/sessions/:sessionID/attendance": (.update, .attendance),
        "GET /api/v1/groups/series/:seriesID/evaluation": (.read, .evaluation),
        "POST /api/v1/groups/series/:seriesID/evaluation": (.create, .evaluation),
        "DELETE /api/v1/groups/series/:seriesID/evaluation": (.close, .evaluation),
        "GET /api/v1/groups/evaluation/offers/:offerID": (.list, .evaluation),
        "GET /groups/:seriesID/evaluation": (.read, .evaluation), "GET /groups/:seriesID/evaluation/print": (.update, .evaluation),
        "POST /groups/:seriesID/evaluation/open": (.create, .evaluation), "POST /groups/:seriesID/evaluation/close": (.close, .evaluation),
        "POST /groups/:seriesID/evaluation/paper": (.update, .evaluation),
        "POST /groups/:seriesID/evaluation/facilitator": (.update, .facilitatorEvaluation),
        "POST /api/v1/groups/calendar-links": (.create, .calendarLink), "GET /api/v1/groups/calendar-links": (.list, .calendarLink),
        "DELETE /api/v1/groups/calendar-links/:linkID": (.delete, .calendarLink),
        "POST /groups/:seriesID/calendar-link": (.create, .calendarLink),
        "POST /groups/:seriesID/calendar-links/:linkID/revoke": (.delete, .calendarLink),
    ]

    /// How each account stands to the matrix's target records (Habte, its referral to the JGZ, its meldcode with
    /// `begeleider` as colleague, a JGZ offer, a Tigrinya page).
    static func relationships(_ account: String, _ record: AccessPolicy.RecordType) -> Set<AccessPolicy.Relationship> {
        var result: Set<AccessPolicy.Relationship>
        switch account {
        case "klantmanager": result = [.sameMunicipality, .lead]
        case "sleutelpersoon": result = [.sameMunicipality, .coupledKeyPerson]
        case "begeleider": result = [.sameMunicipality, .coupledSocialWorker]
        case "partner-jgz": result = record == .referral ? [.sameMunicipality, .partnerWithOpenReferral] : [.sameMunicipality]
        case "klantmanager-beekdal": result = [.otherMunicipality]
        default: result = [.sameMunicipality]
        }
        if record == .meldcode && ["klantmanager", "begeleider"].contains(account) { result.insert(.assigned) }
        if record == .offer && account == "partner-jgz" { result.insert(.ownOrganisation) }
        if record == .parentPage && account == "sleutelpersoon" { result.insert(.speaksLanguage) }
        if record == .offerTranslation && account == "partner-jgz" { result.insert(.ownOrganisation) }
        if record == .offerTranslation && account == "sleutelpersoon" { result.insert(.speaksLanguage) }
        if [.groupSeries, .groupParticipant, .attendance, .evaluation, .facilitatorEvaluation].contains(record)
            && ["sleutelpersoon", "trainer"].contains(account) {
            result.insert(.assigned)
        }
        // The matrix's calendar links were made by the trainer.
        if record == .calendarLink && account == "trainer" { result.insert(.own) }
        return result
    }

    @Test("The matrix's statuses are the policy table's decisions")
    func policyAgreesWithMatrix() {
        let roles: [String: Role] = ["klantmanager": .caseManager, "sleutelpersoon": .keyPerson, "sleutelpersoon2": .keyPerson,
                                     "begeleider": .socialWorker, "partner-jgz": .partner, "trainer": .facilitator,
                                     "beleid": .policyOfficer, "admin": .admin, "klantmanager-beekdal": .caseManager]
        let rows = Dictionary(uniqueKeysWithValues: Self.matrix.map { ($0.route, $0) })
        for (route, (action, record)) in Self.policyCells {
            guard let row = rows[route] else {
                Issue.record("policyCells names \(route), which has no row")
                continue
            }
            // A route without a record in its path (a list, a new record, an anonymous profile) has only the role
            // gate; referring names the family in its body.
            let targeted = route.contains(":") || route == "POST /api/v1/referrals"
            for (column, account) in Self.accounts.enumerated() where account != "anonymous" {
                let role = roles[account]!
                var relationships = Self.relationships(account, record)
                // Making a series' calendar link: the series' trainer and key person lead it.
                if record == .calendarLink && action == .create && route.contains(":seriesID")
                    && ["sleutelpersoon", "trainer"].contains(account) {
                    relationships.insert(.assigned)
                }
                let decision = targeted
                    ? AccessPolicy.decide(role: role, relationships: relationships, action: action, record: record)
                    : AccessPolicy.mayAttempt(role: role, action: action, record: record) ? .allowed : .forbidden
                let status = row.statuses[column]
                let answered: AccessPolicy.Decision = status == 403 ? .forbidden : status == 404 ? .hidden : .allowed
                #expect(answered == decision, "\(account) \(route): the matrix says \(status), the policy \(decision)")
            }
        }
    }

    /// The ids the rows' path parameters and bodies stand for.
    struct Fixture {
        var values: [String: String] = [:]

        func fill(_ text: String) -> String {
            var result = text
            // Longest names first, so `:offerStale` is not read as `:offerID`-something.
            for (name, value) in values.sorted(by: { $0.key.count > $1.key.count }) {
                result = result.replacingOccurrences(of: ":" + name, with: value)
            }
            return result
        }
    }

    /// Builds what the rows point at, through the API as the case manager (each step is itself asserted).
    static func fixture(_ app: Application) async throws -> (Fixture, Family) {
        let family = try await Family.query(on: app.db).filter(\.$name == "Habte").first()!
        let id = family.id!
        let lead = try await app.token("klantmanager")
        let mother = try await Member.query(on: app.db).filter(\.$family.$id == id).filter(\.$role == .parent).first()!
        let jgz = try await app.user("partner-jgz").$organisation.id
        func created(_ path: String, _ json: String) async throws -> String {
            let response = try await app.send(.POST, path, token: lead, json: json)
            guard [.created, .ok].contains(response.status), let created = response.json["id"] as? String else {
                throw TestFailure("set-up \(path) answered \(response.status): \(response.body.string)")
            }
            return created
        }
        var fixture = Fixture()
        fixture.values["familyID"] = id.uuidString
        fixture.values["memberID"] = mother.id!.uuidString
        // A consent withdrawn already: withdrawing it again is the allowed cell's 409.
        let consent = try await created("/api/v1/families/\(id)/consents",
                                        #"{"purpose":"information-exchange","organisationId":"\#(jgz)","dataCategories":["languages"],"givenBy":"Senait"}"#)
        let withdrawn = try await app.send(.POST, "/api/v1/families/\(id)/consents/\(consent)/withdraw", token: lead)
        #expect(withdrawn.status == .ok, "set-up withdraw: \(withdrawn.status)")
        fixture.values["consentID"] = consent
        fixture.values["needID"] = try await created("/api/v1/families/\(id)/needs", #"{"theme":"child-health","priority":1}"#)
        fixture.values["signalID"] = try await created("/api/v1/families/\(id)/signals", #"{"kind":"concern","text":"Slaapt slecht"}"#)
        let colleague = try await app.user("begeleider").id!
        fixture.values["klantmanagerID"] = try await app.user("klantmanager").id!.uuidString
        // The admin's own account: every write on it is refused (invalid form 422, never deactivating oneself 409).
        fixture.values["accountID"] = try await app.user("admin").id!.uuidString
        let meldcode = try await app.send(.POST, "/api/v1/families/\(id)/meldcode", token: lead, json: #"{"colleagueId":"\#(colleague)"}"#)
        guard meldcode.status == .created, let record = meldcode.json["id"] as? String else {
            throw TestFailure("set-up meldcode answered \(meldcode.status): \(meldcode.body.string)")
        }
        fixture.values["recordID"] = record
        fixture.values["referralID"] = try await created("/api/v1/referrals", """
            {"familyId":"\(id)","offerId":"5a0e0c1e-0036-4c3a-9f00-000000000036","memberIds":["\(mother.id!)"],"reason":"Moedergroep","send":true}
            """)
        // An offer of the JGZ: partner-jgz's own organisation.
        let offer = try await Offer.query(on: app.db).filter(\.$organisation.$id == jgz).sort(\.$id).first()!
        fixture.values["offerID"] = offer.id!.uuidString
        fixture.values["id"] = offer.id!.uuidString
        // The offer as the API shows it, with a stale version: the editors' 409.
        var draft = try await app.send(.GET, "/api/v1/offers/\(offer.id!)", token: lead).json
        draft["version"] = 999
        fixture.values["offerStale"] = String(decoding: try JSONSerialization.data(withJSONObject: draft), as: UTF8.self)
        // A well-formed offer without a name: the editors' 422.
        var nameless = try JSONSerialization.jsonObject(with: try JSONEncoder().encode(try offer.draft)) as! [String: Any]
        nameless["name"] = ""
        fixture.values["offerInvalid"] = String(decoding: try JSONSerialization.data(withJSONObject: ["offer": nameless]), as: UTF8.self)
        let page = try await ParentPage.query(on: app.db).filter(\.$language == "ti").sort(\.$slug).first()!
        fixture.values["slug"] = page.slug
        fixture.values["lang"] = "ti"
        fixture.values["page"] = page.slug
        // A Tigrinya mothers' series led by `trainer` and `sleutelpersoon`, with one session and the mother in it.
        let trainer = try await app.user("trainer").id!, keyPerson = try await app.user("sleutelpersoon").id!
        let seriesBody = #"{"offerId":"5a0e0c1e-0036-4c3a-9f00-000000000036","language":"ti","audience":"mothers","place":"D03","time":"daytime","startsOn":"2027-01-04","endsOn":"2027-02-28","trainerId":"\#(trainer)","keyPersonId":"\#(keyPerson)""#
        let series = try await app.send(.POST, "/api/v1/groups/series", token: lead, json: seriesBody + "}")
        guard series.status == .created, let seriesID = (series.json["series"] as? [String: Any])?["id"] as? String else {
            throw TestFailure("set-up series answered \(series.status): \(series.body.string)")
        }
        fixture.values["seriesID"] = seriesID
        fixture.values["seriesStale"] = seriesBody + #","version":999}"#
        let session = try await app.send(.POST, "/api/v1/groups/series/\(seriesID)/sessions", token: lead,
                                         json: #"{"date":"2027-01-06","startsAt":"10:00","endsAt":"12:00","topic":"school-system"}"#)
        let participant = try await app.send(.POST, "/api/v1/groups/series/\(seriesID)/participants", token: lead,
                                             json: #"{"memberId":"\#(mother.id!)","source":"invitation"}"#)
        guard let sessionID = (session.json["sessions"] as? [[String: Any]])?.first?["id"] as? String,
              let participantID = (participant.json["participants"] as? [[String: Any]])?.first?["id"] as? String else {
            throw TestFailure("set-up session/participant answered \(session.status)/\(participant.status)")
        }
        fixture.values["sessionID"] = sessionID
        // A trainer of the municipality (availability) and an invitee that does not exist (taking off: 404).
        fixture.values["userID"] = trainer.uuidString
        fixture.values["inviteeID"] = UUID().uuidString
        fixture.values["participantID"] = participantID
        // The series' evaluation, open: its public link's token.
        let evaluation = try await app.send(.POST, "/api/v1/groups/series/\(seriesID)/evaluation", token: lead)
        guard evaluation.status == .created, let path = evaluation.json["path"] as? String else {
            throw TestFailure("set-up evaluation answered \(evaluation.status): \(evaluation.body.string)")
        }
        fixture.values["token"] = String(path.split(separator: "/").last!)
        // Two feed links of the series, made by its trainer: one to read, one to revoke.
        let trainerToken = try await app.token("trainer")
        var links: [(id: String, url: String)] = []
        for _ in 0..<2 {
            let link = try await app.send(.POST, "/api/v1/groups/calendar-links", token: trainerToken,
                                          json: #"{"kind":"series","seriesId":"\#(seriesID)"}"#)
            guard link.status == .created, let id = link.json["id"] as? String, let url = link.json["url"] as? String else {
                throw TestFailure("set-up calendar link answered \(link.status): \(link.body.string)")
            }
            links.append((id, url))
        }
        fixture.values["file"] = String(links[0].url.split(separator: "/").last!)
        fixture.values["linkID"] = links[1].id
        return (fixture, family)
    }

    static func registeredRoutes(_ app: Application) -> Set<String> {
        Set(app.routes.all.map { route in
            "\(route.method.rawValue) /" + route.path.map(\.description).joined(separator: "/")
        })
    }

    @Test("Every registered route has exactly one row", arguments: TestDatabase.available.prefix(1))
    func everyRouteHasARow(_ database: TestDatabase) async throws {
        try await withWegwijs(database, seed: false) { app in
            let rows = Self.matrix.map(\.route)
            let registered = Self.registeredRoutes(app)
            let missing = registered.subtracting(rows).sorted()
            #expect(missing.isEmpty, "routes without a row in AccessMatrixTests.matrix: \(missing)")
            let stale = Set(rows).subtracting(registered).sorted()
            #expect(stale.isEmpty, "rows for routes that are not registered: \(stale)")
            let duplicates = Dictionary(grouping: rows, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
            #expect(duplicates.isEmpty, "routes with two rows: \(duplicates)")
            for row in Self.matrix {
                #expect(row.statuses.count == Self.accounts.count, "\(row.route): \(row.statuses.count) statuses")
            }
        }
    }

    /// A caller of one column: a bearer token for the API, a signed-in browser for the web UI.
    final class Caller: @unchecked Sendable {
        let account: String
        let app: Application
        var token: String?
        var web: WebClient

        init(_ account: String, app: Application) async throws {
            self.account = account
            self.app = app
            web = WebClient(app)
            try await connect()
        }

        func connect() async throws {
            web = WebClient(app)
            if account == "anonymous" {
                token = nil
                // A browser that opened the sign-in page: a session and a CSRF token, nobody signed in.
                try await web.get("/login")
            } else {
                token = try await app.token(account)
                let signIn = try await web.signIn(account)
                guard signIn.status == .seeOther else { throw TestFailure("\(account) web sign-in: \(signIn.status)") }
                try await web.get("/notifications")
            }
        }

        func send(_ row: Row, fixture shared: Fixture) async throws -> TestingHTTPResponse {
            // The caller's own credentials (anonymous: a name no account has).
            var fixture = shared
            fixture.values["username"] = account == "anonymous" ? "nobody-here" : account
            fixture.values["password"] = demoPassword
            let path = fixture.fill(row.pattern) + (row.options.hasPrefix("?") ? row.options : "")
            if row.isAPI || row.pattern == "/health" || row.pattern == "/openapi.json" {
                var json: String?
                if case .json(let text) = row.body { json = fixture.fill(text) }
                return try await app.send(row.method, path, token: token, json: json)
            }
            switch (row.method, row.body) {
            case (.GET, _):
                return try await web.get(path)
            case (.POST, .form(let fields)):
                return try await web.post(path, fields.map { ($0.0, fixture.fill($0.1)) })
            case (.POST, _):
                return try await web.post(path, [])
            default:
                throw TestFailure("\(row.route): no way to send this")
            }
        }
    }

    @Test("Every route × every account answers exactly its one status", arguments: TestDatabase.available)
    func matrixCells(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let (fixture, family) = try await Self.fixture(app)
            var callers: [Caller] = []
            for account in Self.accounts { callers.append(try await Caller(account, app: app)) }
            var observed: [String] = []
            var failures: [String] = []
            for row in Self.matrix {
                var line: [String] = []
                for (column, caller) in callers.enumerated() {
                    if row.fresh { try await caller.connect() }
                    let response = try await caller.send(row, fixture: fixture)
                    let expected = row.statuses.indices.contains(column) ? row.statuses[column] : 0
                    line.append(String(response.status.code))
                    if response.status.code != expected {
                        failures.append("\(caller.account) \(row.route): expected \(expected), got \(response.status.code) \(response.body.string.prefix(160))")
                    }
                    // A refused answer never names the family.
                    if [403, 404].contains(response.status.code) {
                        #expect(!response.body.string.contains(family.name), "\(caller.account) \(row.route) names the family")
                    }
                    #expect(response.status.code < 500, "\(caller.account) \(row.route): \(response.status)")
                    if row.fresh { try await caller.connect() }
                }
                observed.append("\(row.route) \"\(line.joined(separator: " "))\"")
            }
            if ProcessInfo.processInfo.environment["WEGWIJS_PRINT_MATRIX"] == "1" {
                print("OBSERVED MATRIX (\(database)):\n" + observed.joined(separator: "\n"))
            }
            #expect(failures.isEmpty, "\(failures.count) cells differ:\n\(failures.joined(separator: "\n"))")
            // Nothing a refused or stale write touched has changed the family.
            let after = try await Family.find(family.id!, on: app.db)!
            #expect(after.version == family.version)
            #expect(after.name == family.name)
        }
    }

    @Test("Lists show exactly the families in the account's scope", arguments: TestDatabase.available)
    func listsShowTheScope(_ database: TestDatabase) async throws {
        try await withWegwijs(database) { app in
            let family = try await app.demoFamily(keyPerson: "sleutelpersoon", socialWorker: "begeleider")
            let id = family.id!.uuidString
            let sees: [String: Bool] = ["klantmanager": true, "sleutelpersoon": true, "begeleider": true,
                                        "sleutelpersoon2": false, "partner-jgz": false, "klantmanager-beekdal": false]
            for (user, shown) in sees {
                let token = try await app.token(user)
                let list = try await app.send(.GET, "/api/v1/families?per=100", token: token)
                #expect(list.status == .ok)
                let ids = (list.json["items"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                #expect(ids.contains(id) == shown, "\(user) API list shows the family: \(!shown)")
                let client = WebClient(app)
                #expect(try await client.signIn(user).status == .seeOther)
                let page = try await client.get("/families")
                #expect(page.status == .ok)
                #expect(page.body.string.contains(id) == shown, "\(user) web list shows the family: \(!shown)")
            }
        }
    }
}
