import Foundation
import Vapor
import WegwijsCore

/// A parent or child as the API sends and receives it.
struct MemberInput: Content {
    var role: String
    var givenName: String
    var familyName: String?
    var gender: String?
    var birthDate: String?
    var birthYear: Int?
    var countryOfOrigin: String?
    var languagesSpoken: [String]?
    var languagesRead: [String]?
    var dutchLevel: String?
    var arrivalDate: String?
    var settlementDate: String?
    var schoolOrChildcare: String?
    var bsn: String?
    /// On update: the version this edit is based on (or send `If-Match`).
    var version: Int?

    var draft: MemberDraft {
        MemberDraft(role: role, givenName: givenName, familyName: familyName?.trimmed.nilIfEmpty,
                    gender: gender?.nilIfEmpty, birthDate: birthDate?.nilIfEmpty, birthYear: birthYear,
                    countryOfOrigin: countryOfOrigin?.nilIfEmpty, languagesSpoken: languagesSpoken ?? [],
                    languagesRead: languagesRead ?? [], dutchLevel: dutchLevel?.nilIfEmpty,
                    arrivalDate: arrivalDate?.nilIfEmpty, settlementDate: settlementDate?.nilIfEmpty,
                    schoolOrChildcare: schoolOrChildcare, bsn: bsn?.replacingOccurrences(of: " ", with: "").nilIfEmpty)
    }
}

/// A household as the API receives it. `members` only on create; afterwards members have their own routes.
struct FamilyInput: Content {
    var name: String
    var address: String?
    var postcode: String?
    var contactPreference: String?
    var situations: [String]?
    var caseManagerId: UUID?
    var keyPersonId: UUID?
    var socialWorkerId: UUID?
    var members: [MemberInput]?
    var version: Int?

    var household: HouseholdDraft {
        HouseholdDraft(name: name, address: address?.trimmed.nilIfEmpty, postcode: postcode?.trimmed.nilIfEmpty,
                       contactPreference: contactPreference?.nilIfEmpty, situations: situations ?? [])
    }

    var assignment: FamilyAssignment {
        FamilyAssignment(caseManagerID: caseManagerId, keyPersonID: keyPersonId, socialWorkerID: socialWorkerId)
    }
}

struct FamilyAssignment: Sendable {
    var caseManagerID: UUID?
    var keyPersonID: UUID?
    var socialWorkerID: UUID?
}

struct CloseFamilyInput: Content {
    var reason: String
    var note: String?
    var version: Int?
}

struct MemberDTO: Content {
    let id: UUID
    let role: String
    let givenName: String
    let familyName: String?
    let gender: String?
    let birthDate: String?
    let birthYear: Int?
    let countryOfOrigin: String?
    let languagesSpoken: [String]
    let languagesRead: [String]
    let dutchLevel: String?
    let arrivalDate: String?
    let settlementDate: String?
    let schoolOrChildcare: String?
    /// Only shown to the case manager; others see whether one is known.
    let bsn: String?
    let hasBsn: Bool
    let version: Int

    init(_ member: Member, showBSN: Bool) {
        id = member.id ?? UUID()
        role = member.role.rawValue
        givenName = member.givenName
        familyName = member.familyName
        gender = member.gender
        birthDate = member.birthDate
        birthYear = member.birthYear
        countryOfOrigin = member.countryOfOrigin
        languagesSpoken = member.languagesSpoken
        languagesRead = member.languagesRead
        dutchLevel = member.dutchLevel
        arrivalDate = member.arrivalDate
        settlementDate = member.settlementDate
        schoolOrChildcare = member.schoolOrChildcare
        bsn = showBSN ? member.bsn : nil
        hasBsn = member.bsn != nil
        version = member.version
    }
}

struct FamilyDTO: Content {
    let id: UUID
    let reference: String
    let municipality: String
    let name: String
    let status: String
    let closedReason: String?
    let address: String?
    let postcode: String?
    let contactPreference: String?
    let situations: [String]
    let languages: [String]
    let caseManagerId: UUID?
    let keyPersonId: UUID?
    let socialWorkerId: UUID?
    let members: [MemberDTO]
    let version: Int
    let createdAt: Date?
    let updatedAt: Date?

    init(_ family: Family, members: [Member], municipalityCode: String, showBSN: Bool) {
        id = family.id ?? UUID()
        reference = family.reference
        municipality = municipalityCode
        name = family.name
        status = family.status.rawValue
        closedReason = family.closedReason
        address = family.address
        postcode = family.postcode
        contactPreference = family.contactPreference
        situations = family.situations
        languages = family.languages
        caseManagerId = family.$caseManager.id
        keyPersonId = family.$keyPerson.id
        socialWorkerId = family.$socialWorker.id
        self.members = members.map { MemberDTO($0, showBSN: showBSN) }
        version = family.version
        createdAt = family.createdAt
        updatedAt = family.updatedAt
    }
}

/// A page of results: `items`, the 1-based `page`, `per` page and the `total` count.
struct Page<Item: Content>: Content {
    let items: [Item]
    let page: Int
    let per: Int
    let total: Int
}

/// A page of a list that is not counted unless asked (`count=true`): `hasMore` says whether a next page exists,
/// `next` is the `after` value that fetches it. `total` is left out unless counted.
struct ListPage<Item: Content>: Content {
    let items: [Item]
    let page: Int
    let per: Int
    let hasMore: Bool
    let next: UUID?
    let total: Int?
}

/// Filters of the family list. The name travels in a POST body (web: the session), never in a URL.
struct FamilyFilter: Content, Sendable, Equatable {
    var name: String?
    var language: String?
    var situation: String?
    var status: String?
    var mine: Bool?
    /// Families with an open question on this theme (the reports' demand-against-supply drill-down).
    var openNeed: String?
    /// Families whose first parent's own language (their first spoken language) is this one: the language the
    /// reports count a family under (docs/reports.md), not every language a member speaks (`language`).
    var parentLanguage: String?

    func validate() -> [FieldError] {
        var errors: [FieldError] = []
        if let language, !language.isEmpty, !Languages.isKnown(language) { errors.append(.init("language", "unknown-code")) }
        if let situation, !situation.isEmpty, !Situation.isKnown(situation) { errors.append(.init("situation", "unknown-code")) }
        if let status, !status.isEmpty, !FamilyStatus.isKnown(status) { errors.append(.init("status", "unknown-code")) }
        if let openNeed, !openNeed.isEmpty, !Theme.isKnown(openNeed) { errors.append(.init("openNeed", "unknown-code")) }
        if let parentLanguage, !parentLanguage.isEmpty, !Languages.isKnown(parentLanguage) {
            errors.append(.init("parentLanguage", "unknown-code"))
        }
        if let name, name.count > 120 { errors.append(.init("name", "too-long")) }
        // One letter finds half the municipality: a search needs two.
        else if let name = name?.trimmed, !name.isEmpty, name.count < 2 { errors.append(.init("name", "search-too-short")) }
        return errors
    }
}

struct PageRequest: Sendable {
    static let defaultPer = 25
    static let maxPer = 100
    var page: Int = 1
    var per: Int = defaultPer
    /// `count=true`: also count every match (`total`). Off by default: counting reads every matching row, which
    /// costs more than the page itself on a large list; `hasMore` says whether there is a next page.
    var count: Bool = false
    /// `after=<id>`: the page after this item (keyset paging). Cheaper than `page` deep in a list, and stable while
    /// items are added. An id, never a name, so nothing personal travels in the URL.
    var after: UUID? = nil

    /// With `after`, the page starts right after that item.
    var offset: Int { after == nil ? (page - 1) * per : 0 }

    /// Reads `page`, `per`, `count` and `after` from a query string, refusing nonsense with a field error.
    static func from(_ request: Request) throws -> PageRequest {
        let raw = try request.query.decode(RawPaging.self)
        return try parse(page: raw.page, per: raw.per, count: raw.count, after: raw.after)
    }

    private struct RawPaging: Decodable {
        var page: String?
        var per: String?
        var count: String?
        var after: String?
    }

    static func parse(page rawPage: String?, per rawPer: String?, count rawCount: String? = nil,
                      after rawAfter: String? = nil) throws -> PageRequest {
        var result = PageRequest()
        if let raw = rawCount {
            guard let count = ["true": true, "1": true, "false": false, "0": false][raw] else {
                throw AppError.badField("count", "must be true or false")
            }
            result.count = count
        }
        if let raw = rawAfter {
            guard let after = UUID(uuidString: raw) else { throw AppError.badField("after", "must be an id from the list") }
            result.after = after
        }
        if let raw = rawPage {
            guard let page = Int(raw), page >= 1, page <= 1_000_000 else {
                throw AppError.badField("page", "must be a whole number from 1")
            }
            result.page = page
        }
        if let raw = rawPer {
            guard let per = Int(raw), (1...maxPer).contains(per) else {
                throw AppError.badField("per", "must be a whole number from 1 to \(maxPer)")
            }
            result.per = per
        }
        return result
    }
}
