import Fluent
import Foundation
import Vapor
import WegwijsCore

/// `/catalog/:offerID/translations/:lang`: an offer's name and description in a parent language, beside the Dutch
/// source, with its review status.
struct OfferTranslationWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let translations = routes.grouped("catalog", ":offerID", "translations")
        translations.get(":lang", use: edit)
        translations.post(":lang", use: save)
        translations.post(":lang", "review", use: review)
    }

    struct TextInput: Content {
        var name: String?
        var description: String?
        var revision: Int?
    }

    struct Values: Encodable {
        var name: String
        var description: String
    }

    struct EditContext: Encodable {
        let page: PageInfo
        let offerID: UUID
        let language: String
        let languageName: String
        let dir: String
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

    func edit(_ request: Request) async throws -> Response {
        let service = try OfferTranslationService(request: request)
        let (offer, language) = try await target(request, service)
        return try await renderEdit(request, service, offer: offer, language: language, input: nil, errors: [:],
                                    saved: request.query[String.self, at: "saved"] == "1")
    }

    func save(_ request: Request) async throws -> Response {
        let service = try OfferTranslationService(request: request)
        try service.gate(.update)
        let (offer, language) = try await target(request, service)
        let input = try request.content.decode(TextInput.self)
        let values = Values(name: (input.name ?? "").trimmed,
                            description: (input.description ?? "").replacingOccurrences(of: "\r\n", with: "\n").trimmed)
        let outcome = try await service.save(offer, language: language, name: values.name, description: values.description,
                                             revision: input.revision, languageName: Self.languageName(language, request))
        return try await answer(outcome, request, service, offer: offer, language: language, input: values)
    }

    func review(_ request: Request) async throws -> Response {
        let service = try OfferTranslationService(request: request)
        try service.gate(.review)
        let (offer, language) = try await target(request, service)
        let revision = try request.content.decode(TextInput.self).revision
        let outcome = try await service.review(offer, language: language, revision: revision)
        return try await answer(outcome, request, service, offer: offer, language: language, input: nil)
    }

    /// Saved: back to the page, which says so. Stale (409) or invalid (422): the form again, with the messages.
    private func answer(_ outcome: OfferTranslationService.SaveOutcome, _ request: Request, _ service: OfferTranslationService,
                        offer: Offer, language: String, input: Values?) async throws -> Response {
        switch outcome {
        case .saved:
            request.application.parentContentVersions.refresh()
            return request.redirect(to: Self.href(offer, language) + "?saved=1")
        case .stale:
            return try await renderEdit(request, service, offer: offer, language: language, input: input,
                                        errors: ["form": request.application.locales.text("translations.stale", request.staffLocale)],
                                        saved: false, status: .conflict)
        case .invalid(let errors):
            return try await renderEdit(request, service, offer: offer, language: language, input: input, errors: errors,
                                        saved: false, status: .unprocessableEntity)
        }
    }

    // MARK: helpers

    static func href(_ offer: Offer, _ language: String) -> String {
        "/catalog/\(offer.id?.uuidString ?? "")/translations/\(language)"
    }

    static func languageName(_ code: String, _ request: Request) -> String {
        NameResolver.languageNames([code], request.staffLocale)
    }

    private func target(_ request: Request, _ service: OfferTranslationService) async throws -> (Offer, String) {
        let offerID = try request.uuidParameter("offerID", what: "offer")
        let language = request.parameters.get("lang") ?? ""
        return (try await service.target(offerID, language: language), language)
    }

    private func renderEdit(_ request: Request, _ service: OfferTranslationService, offer: Offer, language: String,
                            input: Values?, errors: [String: String], saved: Bool,
                            status: HTTPStatus = .ok) async throws -> Response {
        let locale = request.staffLocale
        let catalog = request.application.locales
        let draft = try offer.draft
        let translation = try await request.offerTranslations.one(try offer.requireID(), language: language)
        let state = translation?.state(sourceDigest: OfferTranslation.sourceDigest(of: draft)) ?? .missing
        let permissions = try await service.permissions(offer, language: language)
        let shownReview = state == .reviewed || state == .outdated
        let context = EditContext(
            page: PageInfo(request, titleKey: "offerTranslation.title"), offerID: try offer.requireID(), language: language,
            languageName: ParentContent.endonyms[language] ?? language,
            dir: Languages.rightToLeft.contains(language) ? "rtl" : "ltr",
            source: Values(name: draft.name, description: draft.description),
            values: input ?? Values(name: translation?.name ?? "", description: translation?.description ?? ""),
            revision: translation?.revision ?? 0, state: state.rawValue,
            stateLabel: catalog.text("translations.state.\(state.rawValue)", locale),
            reviewedBy: shownReview ? translation?.reviewedBy : nil,
            reviewedAt: shownReview ? translation?.reviewedAt.map(locale.dateTime) : nil,
            mayEdit: permissions.mayEdit, mayReview: permissions.mayReview && translation != nil && state != .reviewed,
            errors: errors, saved: saved, action: Self.href(offer, language),
            publicHref: "/ouders/\(language)/\(ParentsPlaceController.finderPath)")
        return try await request.render("catalog/translation", context, status: status)
    }
}
