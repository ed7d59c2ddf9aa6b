import Fluent
import Foundation
import Vapor
import WegwijsCore

/// A session's printable hand-out (issue 14, item 1; docs/groups.md "Hand-outs"): the parents' place pages that go
/// with the session's topic, in the group's language where they are translated (else in Dutch, marked so), and the
/// municipality's own addresses for the topic, taken from the catalogue. No personal data: no audit entry.
struct GroupHandout: Content {
    struct Page: Content {
        let slug: String
        let title: String
        let summary: String
        /// The language the text is in: the group's, or Dutch when it is not translated yet.
        let language: String
        let dir: String
        let blocks: [TextBlock]
    }

    struct Address: Content {
        let offer: String
        let place: String?
        let address: String?
        let phone: String?
        let url: String?
    }

    let seriesId: UUID
    let sessionId: UUID
    let number: Int
    let date: String
    let startsAt: String
    let endsAt: String
    let topic: String
    /// The topic's name in the hand-out's language.
    let topicName: String
    /// The series' language, and the written language of the hand-out's own words (Dutch if the parents' place
    /// has no texts in it).
    let seriesLanguage: String
    let language: String
    let whereTitle: String
    let from: String
    let pages: [Page]
    let addresses: [Address]
}

/// The topic library's hand-outs: each topic links the parents' place pages on its theme, and the four standard
/// topics of R22 the pages that serve them.
enum GroupTopicHandouts {
    static let extra: [Theme: [String]] = [
        .sexualHealth: ["health"],
        .parentingConfidence: ["who-helps", "worries"],
        .twoCultures: ["two-languages", "school"],
        .boundariesBehaviour: ["worries"],
        .emotionalDevelopment: ["worries"],
        .fathers: ["who-helps"],
    ]

    /// The page slugs for `topic`: those whose themes hold it, then the extra ones; else "who helps".
    static func pages(for topic: String, in content: ParentContent) -> [String] {
        var slugs = content.pages.filter { $0.themes.contains(topic) }.map(\.slug)
        for slug in Theme(rawValue: topic).flatMap({ extra[$0] }) ?? [] where !slugs.contains(slug) && content.page(slug) != nil {
            slugs.append(slug)
        }
        return slugs.isEmpty ? ["who-helps"] : slugs
    }
}

extension GroupService {
    /// The hand-out of one session of a series the user may see.
    func handout(_ sessionID: UUID, of seriesID: UUID, content: ParentContent) async throws -> GroupHandout {
        let series = try await series(seriesID, .read, .groupSeries)
        let sessions = try await GroupSession.query(on: db).filter(\.$series.$id == seriesID).sort(\.$date).sort(\.$startsAt).all()
        guard let index = sessions.firstIndex(where: { $0.id == sessionID }) else { throw AppError.notFound("session") }
        let session = sessions[index]
        let written = series.language == "prs" ? "fa" : series.language
        let language = content.isLanguage(written) ? written : ParentContent.sourceLanguage
        let slugs = GroupTopicHandouts.pages(for: session.topic, in: content)
        let stored = try await ParentPages(on: db).pages(slugs, in: [ParentContent.sourceLanguage, language])
        let pages = slugs.compactMap { slug -> GroupHandout.Page? in
            let translated = stored.first { $0.slug == slug && $0.language == language }
            guard let shown = translated ?? stored.first(where: { $0.slug == slug && $0.language == ParentContent.sourceLanguage }) else {
                return nil
            }
            let lang = translated == nil ? ParentContent.sourceLanguage : language
            return GroupHandout.Page(slug: slug, title: shown.title, summary: shown.summary, language: lang,
                                     dir: Languages.rightToLeft.contains(lang) ? "rtl" : "ltr",
                                     blocks: TextBlock.parse(shown.body))
        }
        // The municipality's own addresses: its active offers on the topic and the pages' themes (the catalogue's own
        // query), those in the group's language (or bridged to it) first.
        let themes = CodeList.unique([session.topic] + slugs.compactMap { content.page($0)?.themes }.flatMap { $0 })
        let query = OfferService.query(OfferFilter(), municipalityID: staff.municipalityID, on: db)
        query.group(.or) { group in for theme in themes { group.filter(OfferCodes.theme(theme)) } }
        let offers = try await query.sort(\.$name).limit(100).all()
        func reaches(_ offer: Offer) -> Bool { offer.bridges || ((try? offer.draft.languages.contains(series.language)) ?? false) }
        var seen = Set<String>()
        let addresses = (offers.filter(reaches) + offers.filter { !reaches($0) }).compactMap { offer -> GroupHandout.Address? in
            guard let draft = try? offer.draft else { return nil }
            let location = draft.locations.first
            let address = location.map { [$0.address, [$0.postcode, $0.city].compactMap { $0 }.joined(separator: " ")]
                .compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: ", ") }
            guard seen.insert(offer.name + (address ?? "")).inserted else { return nil }
            return GroupHandout.Address(offer: offer.name, place: location?.name, address: address?.nilIfEmpty,
                                        phone: draft.contactPhone, url: draft.url)
        }.prefix(8)
        let municipality = try await Tenancy(on: db).municipality(staff.municipalityID)?.name ?? ""
        return GroupHandout(
            seriesId: seriesID, sessionId: sessionID, number: index + 1, date: session.date, startsAt: session.startsAt,
            endsAt: session.endsAt, topic: session.topic, topicName: content.label("theme", session.topic, language),
            seriesLanguage: series.language, language: language,
            whereTitle: content.ui("page.whereTitle", language, ["municipality": municipality]),
            from: content.ui("print.from", language, ["municipality": municipality]),
            pages: pages, addresses: Array(addresses))
    }
}
