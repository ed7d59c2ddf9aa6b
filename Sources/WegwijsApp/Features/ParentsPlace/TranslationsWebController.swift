import Fluent
import Foundation
import Vapor
import WegwijsCore

/// `/admin/translations`: the texts of the parents' place, per page and language, with their review status.
///
/// - Everyone signed in may look (the texts are public).
/// - The functional administrator edits every language, the Dutch source included; a key person edits and reviews
///   the languages on their account (`users.languages`). Only staff of the municipality whose parents' place this
///   is (`WEGWIJS_PARENTS_MUNICIPALITY`) change anything.
/// - Saving a translation makes it a draft again; saving the Dutch source raises its revision, which makes every
///   translation reviewed against an older revision "outdated".
struct TranslationsWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let translations = routes.grouped("admin", "translations")
        translations.get(use: overview)
        translations.get(":slug", ":lang", use: edit)
        translations.post(":slug", ":lang", use: save)
        translations.post(":slug", ":lang", "review", use: review)
    }

    // MARK: permissions

    struct Permissions {
        let mayEdit: Bool
        let mayReview: Bool
    }

    private func permissions(_ request: Request, language: String) async throws -> Permissions {
        let staff = try request.requireStaff()
        let parentsMunicipality = request.application.storage[AppConfigKey.self]?.parentsMunicipality ?? "GM9901"
        // The pages belong to the parents' place's municipality; "speaks the language" counts for translations only.
        var relationships: Set<AccessPolicy.Relationship> = [.otherMunicipality]
        if staff.municipalityCode == parentsMunicipality {
            relationships = [.sameMunicipality]
            let mayUseLanguage = AccessPolicy.grant(role: staff.role, action: .update, record: .parentPage).grants(.speaksLanguage)
                || AccessPolicy.grant(role: staff.role, action: .review, record: .parentPage).grants(.speaksLanguage)
            if mayUseLanguage && language != ParentContent.sourceLanguage,
               try await request.colleagues.languages(of: staff.userID).contains(language) {
                relationships.insert(.speaksLanguage)
            }
        }
        func allowed(_ action: AccessPolicy.Action) -> Bool {
            AccessPolicy.decide(role: staff.role, relationships: relationships, action: action, record: .parentPage) == .allowed
        }
        return Permissions(mayEdit: allowed(.update), mayReview: allowed(.review))
    }

    // MARK: overview

    struct Cell: Encodable {
        let language: String
        let state: String
        let label: String
        let href: String
    }

    struct Row: Encodable {
        let slug: String
        let title: String
        let cells: [Cell]
    }

    struct LanguageSummary: Encodable {
        let code: String
        let name: String
        let open: Int
    }

    struct OverviewContext: Encodable {
        let page: PageInfo
        let languages: [LanguageSummary]
        let rows: [Row]
        /// Offers' translations in the viewer's languages waiting for a review (key persons).
        let offersToReview: [OfferToReview]
        let speaksLanguages: Bool
    }

    struct OfferToReview: Encodable {
        let name: String
        let language: String
        let languageName: String
        let state: String
        let label: String
        let href: String
    }

    /// At most this many offers' translations in the to-review list: the oldest change first.
    static let offersToReviewLimit = 50

    func overview(_ request: Request) async throws -> Response {
        let content = request.application.parentContent
        let locale = request.staffLocale
        let catalog = request.application.locales
        let all = try await request.parentPages.all()
        let byKey = Dictionary(all.map { ("\($0.slug)/\($0.language)", $0) }, uniquingKeysWith: { first, _ in first })
        var open: [String: Int] = [:]
        let rows = content.pages.map { spec -> Row in
            let source = byKey["\(spec.slug)/\(ParentContent.sourceLanguage)"]
            let cells = content.languages.map { language -> Cell in
                let state = byKey["\(spec.slug)/\(language.code)"]?.state(sourceRevision: source?.revision ?? 1) ?? .missing
                if state != .source && state != .reviewed { open[language.code, default: 0] += 1 }
                return Cell(language: language.code, state: state.rawValue,
                            label: catalog.text("translations.state.\(state.rawValue)", locale),
                            href: "/admin/translations/\(spec.slug)/\(language.code)")
            }
            return Row(slug: spec.slug, title: source?.title ?? spec.slug, cells: cells)
        }
        let languages = content.languages.map { LanguageSummary(code: $0.code, name: $0.name, open: open[$0.code] ?? 0) }
        let staff = try request.requireStaff()
        let spoken = Set(try await request.colleagues.languages(of: staff.userID))
            .filter { OfferTranslationLanguages.serves($0, content) }
        let toReview = try await request.offerTranslations.awaitingReview(
            municipalityID: staff.municipalityID, languages: spoken, limit: Self.offersToReviewLimit).map { offer, translation in
            let state = translation.state(sourceDigest: (try? offer.draft).map(OfferTranslation.sourceDigest(of:)) ?? "")
            return OfferToReview(name: offer.name, language: translation.language,
                                 languageName: ParentContent.endonyms[translation.language] ?? translation.language,
                                 state: state.rawValue, label: catalog.text("translations.state.\(state.rawValue)", locale),
                                 href: OfferTranslationWebController.href(offer, translation.language))
        }
        return try await request.render("translations/index", OverviewContext(
            page: PageInfo(request, titleKey: "translations.title"), languages: languages, rows: rows,
            offersToReview: toReview, speaksLanguages: !spoken.isEmpty))
    }

    // MARK: one page in one language

    struct Values: Encodable {
        var title: String
        var summary: String
        var iconAlt: String
        var body: String
    }

    struct EditContext: Encodable {
        let page: PageInfo
        let slug: String
        let language: String
        let languageName: String
        let dir: String
        let isSource: Bool
        let source: Values
        let values: Values
        let revision: Int
        let state: String
        let stateLabel: String
        let reviewedBy: String?
        let reviewedAt: String?
        let mayEdit: Bool
        let mayReview: Bool
        let errors: [String: String]
        let saved: Bool
        let action: String
        let publicHref: String
    }

    struct TextInput: Content {
        var title: String?
        var summary: String?
        var iconAlt: String?
        var body: String?
        var revision: Int?
    }

    func edit(_ request: Request) async throws -> Response {
        let (slug, language) = try target(request)
        return try await renderEdit(request, slug: slug, language: language, input: nil, errors: [:],
                                    saved: request.query[String.self, at: "saved"] == "1")
    }

    func save(_ request: Request) async throws -> Response {
        let (slug, language) = try target(request)
        guard try await permissions(request, language: language).mayEdit else { throw AppError.forbidden }
        let input = try request.content.decode(TextInput.self)
        let values = Values(title: input.title?.trimmed ?? "", summary: input.summary?.trimmed ?? "",
                            iconAlt: input.iconAlt?.trimmed ?? "", body: (input.body ?? "").replacingOccurrences(of: "\r\n", with: "\n").trimmed)
        var errors: [String: String] = [:]
        let locale = request.staffLocale
        let catalog = request.application.locales
        for (field, value, limit) in [("title", values.title, 120), ("summary", values.summary, 300),
                                      ("iconAlt", values.iconAlt, 200), ("body", values.body, 8_000)] {
            if value.isEmpty { errors[field] = catalog.text("error.required", locale) }
            else if value.count > limit { errors[field] = catalog.text("error.too-long", locale) }
        }
        guard errors.isEmpty else {
            return try await renderEdit(request, slug: slug, language: language, input: values, errors: errors, saved: false,
                                        status: .unprocessableEntity)
        }
        let staff = try request.requireStaff()
        let page = try await request.parentPages.page(slug, language: language)
        if let page, let revision = input.revision, revision != page.revision {
            return try await renderEdit(request, slug: slug, language: language, input: values,
                                        errors: ["form": catalog.text("translations.stale", locale)], saved: false,
                                        status: .conflict)
        }
        let row = page ?? ParentPage(ParentContent.PageText(slug: slug, title: "", summary: "", iconAlt: "", body: ""),
                                     language: language)
        let changed = row.title != values.title || row.summary != values.summary || row.iconAlt != values.iconAlt
            || row.body != values.body
        if changed || page == nil {
            row.title = values.title
            row.summary = values.summary
            row.iconAlt = values.iconAlt
            row.body = values.body
            row.revision = page == nil ? 1 : row.revision + 1
            row.updatedBy = staff.username
            // A changed translation needs a new review; the Dutch source stays the source.
            if language != ParentContent.sourceLanguage {
                row.status = ParentPageState.draft.rawValue
                row.reviewedBy = nil
                row.reviewedAt = nil
                row.reviewedSourceRevision = nil
            }
            try await request.parentPages.save(row)
            request.application.parentContentVersions.refresh()
        }
        return request.redirect(to: "/admin/translations/\(slug)/\(language)?saved=1")
    }

    func review(_ request: Request) async throws -> Response {
        let (slug, language) = try target(request)
        guard try await permissions(request, language: language).mayReview else { throw AppError.forbidden }
        let staff = try request.requireStaff()
        let revision = try request.content.decode(TextInput.self).revision
        guard let page = try await request.parentPages.page(slug, language: language),
              let source = try await request.parentPages.page(slug, language: ParentContent.sourceLanguage) else { throw AppError.notFound("page") }
        // The review is of the text the reviewer saw.
        guard revision == page.revision else {
            return try await renderEdit(request, slug: slug, language: language, input: nil,
                                        errors: ["form": request.application.locales.text("translations.stale", request.staffLocale)],
                                        saved: false, status: .conflict)
        }
        page.status = ParentPageState.reviewed.rawValue
        page.reviewedBy = staff.displayName
        page.reviewedAt = request.clock.now
        page.reviewedSourceRevision = source.revision
        try await request.parentPages.save(page)
        request.application.parentContentVersions.refresh()
        return request.redirect(to: "/admin/translations/\(slug)/\(language)?saved=1")
    }

    // MARK: helpers

    private func target(_ request: Request) throws -> (slug: String, language: String) {
        let content = request.application.parentContent
        guard let slug = request.parameters.get("slug"), content.page(slug) != nil,
              let language = request.parameters.get("lang"), content.isLanguage(language) else { throw AppError.notFound("page") }
        return (slug, language)
    }

    private func renderEdit(_ request: Request, slug: String, language: String, input: Values?, errors: [String: String],
                            saved: Bool, status: HTTPStatus = .ok) async throws -> Response {
        let locale = request.staffLocale
        let catalog = request.application.locales
        let pages = try await request.parentPages.languages(of: slug)
        let source = pages.first { $0.language == ParentContent.sourceLanguage }
        let page = pages.first { $0.language == language }
        let state = page?.state(sourceRevision: source?.revision ?? 1) ?? .missing
        let permissions = try await permissions(request, language: language)
        func values(_ row: ParentPage?) -> Values {
            Values(title: row?.title ?? "", summary: row?.summary ?? "", iconAlt: row?.iconAlt ?? "", body: row?.body ?? "")
        }
        let context = EditContext(
            page: PageInfo(request, titleKey: "translations.edit.title"), slug: slug, language: language,
            languageName: ParentContent.endonyms[language] ?? language,
            dir: Languages.rightToLeft.contains(language) ? "rtl" : "ltr",
            isSource: language == ParentContent.sourceLanguage, source: values(source), values: input ?? values(page),
            revision: page?.revision ?? 0, state: state.rawValue,
            stateLabel: catalog.text("translations.state.\(state.rawValue)", locale),
            reviewedBy: state == .reviewed || state == .outdated ? page?.reviewedBy : nil,
            reviewedAt: (state == .reviewed || state == .outdated) ? page?.reviewedAt.map(locale.dateTime) : nil,
            mayEdit: permissions.mayEdit, mayReview: permissions.mayReview && page != nil && state != .reviewed,
            errors: errors, saved: saved, action: "/admin/translations/\(slug)/\(language)",
            publicHref: "/ouders/\(language)/\(slug)")
        return try await request.render("translations/edit", context, status: status)
    }
}
