import Foundation
import Vapor
import WegwijsCore

/// What every page of the parents' place needs: language, direction, the fixed strings, the language chooser.
struct ParentLayout: Encodable {
    let lang: String
    let dir: String
    let title: String
    /// The fixed strings of this language, with `.` in keys replaced by `_` (`nav_home`).
    let ui: [String: String]
    let homeHref: String
    let finderHref: String
    let languages: [LanguageLink]
}

struct LanguageLink: Encodable {
    let code: String
    let name: String
    let dir: String
    let href: String
    let current: Bool
}

struct ChooserContext: Encodable {
    let layout: ParentLayout
    let languages: [LanguageLink]
    var unknownLanguage = false
}

struct PageCard: Encodable {
    let slug: String
    let href: String
    let title: String
    let summary: String
    let iconAlt: String
}

struct HomeContext: Encodable {
    let layout: ParentLayout
    let intro: String
    let pages: [PageCard]
    let finderHref: String
}

struct PageContext: Encodable {
    let layout: ParentLayout
    let slug: String
    let title: String
    let iconAlt: String
    /// The language of the text shown: the page's, or Dutch when no translation exists yet.
    let textLang: String
    let textDir: String
    let blocks: [TextBlock]
    /// Not (yet, or no longer) reviewed by a key person: the page says so, discreetly.
    let draft: Bool
    let whereTitle: String
    let offers: [OfferCard]
}

struct FinderContext: Encodable {
    let layout: ParentLayout
    let action: String
    let ages: [Choice]
    let themes: [Choice]
    /// "Any language", then the parents' place's languages by their own names.
    let languages: [LanguageOption]

    struct LanguageOption: Encodable {
        let value: String
        let label: String
        /// The language the label is written in (its own), none for "any language".
        let lang: String?
        let selected: Bool
    }
    /// What the parent typed, and what is wrong with it.
    let postcode: String
    let postcodeError: String?
    let countText: String
    /// "Page 2 of 3" when there is more than one page.
    let pageText: String?
    let previousHref: String?
    let nextHref: String?
    let offers: [OfferCard]
}

/// An offer in plain words, in the parent's language as far as the catalogue allows: the labels are translated;
/// the name and description are the offer's translation into the page's language where one is kept
/// (`OfferTranslation`), else the Dutch text, marked so (`lang="nl" dir="ltr"`: inside an Arabic page it still
/// reads left to right, brackets in their place).
struct OfferCard: Encodable {
    let name: String
    let description: String
    /// The language and direction of the name and description as shown.
    let textLang: String
    let textDir: String
    /// Shown in the page's language.
    let translated: Bool
    /// A translation not (yet, or no longer) reviewed by a key person: the card says so, discreetly.
    let translationDraft: Bool
    let forms: String
    let audience: String?
    /// Days, hours and how often; the hours kept on one line (`keep`).
    let when: [WhenPart]?

    struct WhenPart: Encodable {
        let text: String
        let keep: Bool
    }
    let place: String?
    let cost: String
    let costNote: String?
    let languageNote: String
    let keyPerson: Bool
    let ages: String?
    let join: String
    let childcare: Bool
    let contactName: String?
    let phone: String?
    let phoneHref: String?
    let email: String?
    let url: String?

    init(offer: Offer, language: String, content: ParentContent, translation: OfferTranslation? = nil) {
        let draft = (try? offer.draft)
        if let translation, language != ParentContent.sourceLanguage, translation.revision > 0 {
            name = translation.name
            description = translation.description
            textLang = language
            textDir = Languages.rightToLeft.contains(language) ? "rtl" : "ltr"
            translated = true
            translationDraft = draft.map { translation.state(sourceDigest: OfferTranslation.sourceDigest(of: $0)) != .reviewed } ?? true
        } else {
            name = draft?.name ?? offer.name
            description = draft?.description ?? ""
            textLang = ParentContent.sourceLanguage
            textDir = "ltr"
            translated = language == ParentContent.sourceLanguage
            translationDraft = false
        }
        forms = (draft?.forms ?? []).map { content.label("form", $0, language) }.joined(separator: " · ")
        audience = draft.flatMap { $0.audience == "mixed" ? nil : content.label("audience", $0.audience, language) }
        var when: [WhenPart] = []
        if let days = draft?.days, !days.isEmpty {
            when.append(WhenPart(text: days.map { content.label("weekday", $0, language) }.joined(separator: ", "), keep: false))
        }
        if let opens = draft?.opensAt, let closes = draft?.closesAt { when.append(WhenPart(text: "\(opens)–\(closes)", keep: true)) }
        if let frequency = draft?.frequency { when.append(WhenPart(text: content.label("frequency", frequency, language), keep: false)) }
        self.when = when.isEmpty ? nil : when
        place = draft?.locations.first.map { location in
            [location.name, location.address, [location.postcode, location.city].compactMap { $0 }.joined(separator: " ")]
                .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ")
        }
        if let amount = draft?.cost, amount > 0 {
            cost = String(format: "€ %.2f", amount)
        } else {
            cost = content.ui("offer.free", language)
        }
        costNote = draft?.costNote
        languageNote = (draft?.languages.contains(language) ?? false)
            ? content.ui("offer.givenIn", language) : content.ui("offer.bridged", language)
        keyPerson = draft?.bridgeKeyPerson ?? false
        if let min = draft?.minimumAge, let max = draft?.maximumAge {
            ages = content.ui("offer.ages", language, ["min": String(min), "max": String(max)])
        } else {
            ages = nil
        }
        join = (draft?.registrationRequired ?? true) ? content.ui("offer.registration", language) : content.ui("offer.walkIn", language)
        childcare = draft?.childcare ?? false
        contactName = draft?.contactName
        phone = draft?.contactPhone
        phoneHref = draft?.contactPhone.map { "tel:" + $0.filter { $0.isNumber || $0 == "+" } }
        email = draft?.contactEmail
        // Shown as text without the scheme: shorter on a phone, and nothing on the page points elsewhere.
        url = draft?.url.map { $0.replacingOccurrences(of: "https://", with: "").replacingOccurrences(of: "http://", with: "") }
    }
}

/// A rendered page with its status (200, or 404 for an unknown page or language).
struct RenderedParentPage: Sendable {
    let status: HTTPStatus
    let body: ByteBuffer
}

extension Application {
    private struct ParentPageCacheKey: StorageKey { typealias Value = DerivedCache<RenderedParentPage> }
    var parentPageCache: DerivedCache<RenderedParentPage> {
        get { storage[ParentPageCacheKey.self] ?? DerivedCache(ttl: .infinity, capacity: 2_000, enabled: false) }
        set { storage[ParentPageCacheKey.self] = newValue }
    }
}

extension Application {
    private struct ParentContentVersionsKey: StorageKey { typealias Value = RecentContentVersions }
    /// Set in `configure`; tests and commands without it read the versions every time.
    var parentContentVersions: RecentContentVersions {
        get { storage[ParentContentVersionsKey.self] ?? RecentContentVersions(maxAge: 0) }
        set { storage[ParentContentVersionsKey.self] = newValue }
    }
}

extension Request {
    /// The content versions of the parents' place (its pages and the catalogue), as `RecentContentVersions` keeps them.
    func parentsPlaceVersions() async throws -> [Int: UInt64] {
        try await application.parentContentVersions.current(on: db)
    }
}
