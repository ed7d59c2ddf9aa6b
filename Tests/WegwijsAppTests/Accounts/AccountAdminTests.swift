import Fluent
import Foundation
import Testing
import Vapor
import VaporTesting
@testable import WegwijsApp
@testable import WegwijsCore

/// `/admin/users` (issue 16, item 5): the admin manages the municipality's accounts in the browser.
@Suite("Account administration")
struct AccountAdminTests {
    static func location(_ response: TestingHTTPResponse) -> String { response.headers.first(name: .location) ?? "" }

    @Test("create an account with the password policy; it can sign in at once with its role and languages")
    func create() async throws {
        try await withWegwijs(.sqlite) { app in
            let admin = WebClient(app)
            _ = try await admin.signIn("admin")
            let list = try await admin.get("/admin/users")
            #expect(list.status == .ok)
            #expect(list.body.string.contains("sleutelpersoon2"))
            #expect(!list.body.string.contains("klantmanager-beekdal"), "another municipality's accounts are not listed")
            let form = try await admin.get("/admin/users/new")
            #expect(form.status == .ok)
            let organisation = try await app.user("klantmanager").$organisation.id

            // Bad input: every field named, nothing written, what was typed kept (never the password).
            let bad = try await admin.post("/admin/users/new", [
                ("username", "Amina Y"), ("displayName", ""), ("role", "boss"), ("organisationId", UUID().uuidString),
                ("languages", "xx-not"), ("email", "amina@"), ("password", "kort"),
            ])
            #expect(bad.status == .unprocessableEntity)
            let html = bad.body.string
            for field in ["username", "displayName", "role", "organisationId", "languages", "email"] {
                #expect(html.contains(#"id="\#(field)-error""#), "\(field)")
            }
            #expect(html.contains(##"href="#username""##), "the error summary links to the field")
            #expect(html.contains(#"value="Amina Y""#))
            #expect(!html.contains("kort"))
            #expect(try await User.query(on: app.db).filter(\.$username == "amina y").count() == 0)

            let weak = try await admin.post("/admin/users/new", [
                ("username", "amina.yusuf"), ("displayName", "Amina Yusuf"), ("role", "keyPerson"),
                ("organisationId", organisation.uuidString), ("password", "amina.yusuf-2026"),
            ])
            #expect(weak.status == .unprocessableEntity)
            #expect(weak.body.string.contains(app.locales.text("error.password-contains-username", .nl)))

            let created = try await admin.post("/admin/users/new", [
                ("username", "Amina.Yusuf"), ("displayName", "Amina Yusuf"), ("role", "keyPerson"),
                ("organisationId", organisation.uuidString), ("languages", "so"), ("languages", "ar"),
                ("password", "Bloemkool-Zonnig-42"),
            ])
            #expect(created.status == .seeOther)
            let user = try #require(try await User.query(on: app.db).filter(\.$username == "amina.yusuf").first())
            #expect(Self.location(created) == "/admin/users/\(user.id!)")
            #expect(user.role == Role.keyPerson.rawValue)
            #expect(user.$municipality.id == (try await app.user("admin")).$municipality.id)
            #expect(try await Colleagues(on: app.db).languages(of: user.id!) == ["so", "ar"])
            #expect(try await app.auditCount(action: "user.create", detailContains: "account=amina.yusuf role=keyPerson") == 1)

            let taken = try await admin.post("/admin/users/new", [
                ("username", "amina.yusuf"), ("displayName", "Amina"), ("role", "keyPerson"),
                ("organisationId", organisation.uuidString), ("password", "Bloemkool-Zonnig-43"),
            ])
            #expect(taken.status == .unprocessableEntity)
            #expect(taken.body.string.contains(app.locales.text("error.username-taken", .nl)))

            let newcomer = WebClient(app)
            let signIn = try await newcomer.signIn("amina.yusuf", password: "Bloemkool-Zonnig-42")
            #expect(signIn.status == .seeOther)
            #expect(try await newcomer.get("/my-families").status == .ok)
        }
    }

    @Test("change the role and languages, set a password, deactivate: the session and tokens end at once")
    func changeAndDeactivate() async throws {
        try await withWegwijs(.sqlite) { app in
            let target = try await app.user("sleutelpersoon2")
            let id = target.id!
            let token = try await app.token("sleutelpersoon2")
            let colleague = WebClient(app)
            _ = try await colleague.signIn("sleutelpersoon2")
            #expect(try await colleague.get("/my-families").status == .ok)

            let admin = WebClient(app)
            _ = try await admin.signIn("admin")
            let page = try await admin.get("/admin/users/\(id)")
            #expect(page.status == .ok)
            #expect(page.body.string.contains(#"id="account-state-button""#))
            let saved = try await admin.post("/admin/users/\(id)", [
                ("displayName", "Sara Tesfay"), ("role", "socialWorker"), ("organisationId", target.$organisation.id.uuidString),
                ("languages", "ti"), ("languages", "am"), ("email", "sara@example.org"),
            ])
            #expect(saved.status == .seeOther)
            let changed = try #require(try await User.find(id, on: app.db))
            #expect(changed.role == Role.socialWorker.rawValue)
            #expect(changed.displayName == "Sara Tesfay")
            #expect(changed.email == "sara@example.org")
            #expect(try await Colleagues(on: app.db).languages(of: id) == ["ti", "am"])
            #expect(try await app.auditCount(action: "user.update", detailContains: "role=keyPerson->socialWorker") == 1)

            let weak = try await admin.post("/admin/users/\(id)/password", [("password", "welkom")])
            #expect(weak.status == .unprocessableEntity)
            #expect(weak.body.string.contains(#"id="password-error""#))
            let reset = try await admin.post("/admin/users/\(id)/password", [("password", "Nieuw-Begin-Rivier-7")])
            #expect(reset.status == .seeOther)
            #expect(try await app.send(.GET, "/api/v1/worklist", token: token).status == .unauthorized, "tokens revoked")
            #expect(try await app.auditCount(action: "user.password", detailContains: "account=sleutelpersoon2") == 1)
            let fresh = WebClient(app)
            #expect(try await fresh.signIn("sleutelpersoon2", password: "Nieuw-Begin-Rivier-7").status == .seeOther)

            let off = try await admin.post("/admin/users/\(id)/deactivate", [])
            #expect(off.status == .seeOther)
            #expect(try await User.find(id, on: app.db)?.active == false)
            #expect(try await fresh.get("/my-families").status == .seeOther, "the open session ends at the next click")
            #expect(try await WebClient(app).signIn("sleutelpersoon2", password: "Nieuw-Begin-Rivier-7").status != .seeOther)
            let twice = try await admin.post("/admin/users/\(id)/deactivate", [])
            #expect(twice.status == .conflict)
            #expect(twice.body.string.contains(app.locales.text("error.already-inactive", .nl)))
            let on = try await admin.post("/admin/users/\(id)/activate", [])
            #expect(on.status == .seeOther)
            #expect(try await User.find(id, on: app.db)?.active == true)
            #expect(try await app.auditCount(action: "user.deactivate") == 1)
            #expect(try await app.auditCount(action: "user.activate") == 1)
        }
    }

    @Test("the admin cannot lock themselves out, and another municipality's accounts do not exist for them")
    func limits() async throws {
        try await withWegwijs(.sqlite) { app in
            let me = try await app.user("admin")
            let admin = WebClient(app)
            _ = try await admin.signIn("admin")
            #expect(try await admin.get("/admin/users/\(me.id!)").status == .ok)
            let demote = try await admin.post("/admin/users/\(me.id!)", [
                ("displayName", me.displayName), ("role", "caseManager"), ("organisationId", me.$organisation.id.uuidString),
            ])
            #expect(demote.status == .unprocessableEntity)
            #expect(demote.body.string.contains(app.locales.text("error.own-account", .nl)))
            #expect(try await admin.post("/admin/users/\(me.id!)/deactivate", []).status == .conflict)
            #expect(try await User.find(me.id, on: app.db)?.active == true)
            #expect(try await User.find(me.id, on: app.db)?.role == Role.admin.rawValue)

            let elsewhere = try await app.user("klantmanager-beekdal")
            for path in ["/admin/users/\(elsewhere.id!)"] {
                #expect(try await admin.get(path).status == .notFound)
            }
            #expect(try await admin.post("/admin/users/\(elsewhere.id!)/deactivate", []).status == .notFound)
            #expect(try await admin.post("/admin/users/\(elsewhere.id!)/password", [("password", "Nieuw-Begin-Rivier-7")]).status == .notFound)
            #expect(try await User.find(elsewhere.id, on: app.db)?.active == true)
            // An organisation of another municipality cannot be given to an account.
            let foreignOrganisation = elsewhere.$organisation.id
            let moved = try await admin.post("/admin/users/\(try await app.user("sleutelpersoon2").id!)", [
                ("displayName", "x"), ("role", "keyPerson"), ("organisationId", foreignOrganisation.uuidString),
            ])
            #expect(moved.status == .unprocessableEntity)
            #expect(moved.body.string.contains(#"id="organisationId-error""#))
        }
    }
}
