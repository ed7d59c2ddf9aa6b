import Fluent
import Foundation
import Vapor
import WegwijsCore

// What the planner needs to know about people (issue 14, item 4; docs/groups.md "When parents can come"): when
// each waiting parent can come (times of day, online, a mixed group, the districts they can reach) and when each
// trainer and key person can work and how many series they lead at most, and the municipality's districts.
// Planning rights (`create` `groupSeries`) decide who records them; a parent's availability is personal data of
// the family and every change writes an audit entry naming the family.

/// One district of a municipality: a code the planner uses as a series' place (`OOST`), a name, and the postcode
/// areas (four digits, or a range `2311-2315`) it covers, so a parent's own district follows from the family's
/// postcode.
final class GroupDistrict: Model, @unchecked Sendable {
    static let schema = "group_districts"

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "name") var name: String
    /// Postcode areas, by comma: `2311-2315,2320`.
    @Field(key: "postcodes") var postcodes: String
    @Field(key: "position") var position: Int
    @Parent(key: "municipality_id") var municipality: Municipality

    init() {}

    var areas: [String] { postcodes.split(separator: ",").map(String.init) }

    /// Whether the four digits `pc4` fall in one of the district's postcode areas.
    func covers(_ pc4: Int) -> Bool {
        areas.contains { area in
            let bounds = area.split(separator: "-").compactMap { Int($0) }
            guard let low = bounds.first else { return false }
            return (low...(bounds.last ?? low)).contains(pc4)
        }
    }
}

/// When a waiting parent can come. Personal data of the family: it carries the family and the municipality.
final class GroupParentAvailability: Model, @unchecked Sendable {
    static let schema = "group_parent_availability"

    @ID(key: .id) var id: UUID?
    /// `TimeOfDay` codes (`parent_availability_times`; loaded and written by `GroupService`, not Fluent fields).
    var times: [String] = []
    @Field(key: "online") var online: Bool
    @Field(key: "mixed_ok") var mixedOk: Bool
    /// District codes of the municipality (`parent_availability_districts`; empty: none recorded).
    var districts: [String] = []
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Parent(key: "family_id") var family: Family
    @Parent(key: "member_id") var member: Member

    init() {}
}

/// When a trainer or key person can work, and how many series they lead at most.
final class GroupFacilitatorAvailability: Model, @unchecked Sendable {
    static let schema = "group_facilitator_availability"

    @ID(key: .id) var id: UUID?
    /// `TimeOfDay` codes (`facilitator_availability_times`; loaded and written by `GroupService`).
    var times: [String] = []
    @Field(key: "max_series") var maxSeries: Int
    @Timestamp(key: "updated_at", on: .update) var updatedAt: Date?
    @Parent(key: "municipality_id") var municipality: Municipality
    @Parent(key: "user_id") var user: User

    init() {}
}

struct GroupDistrictDTO: Content, Equatable {
    var code: String
    var name: String
    var postcodes: [String]
}

/// `PUT /api/v1/groups/districts`: the municipality's whole district list (replaces the one before).
struct GroupDistrictsInput: Content {
    var districts: [GroupDistrictInput]?
}

struct GroupDistrictInput: Content {
    var code: String?
    var name: String?
    var postcodes: [String]?
}

struct GroupDistrictList: Content {
    let districts: [GroupDistrictDTO]
}

/// `PUT /api/v1/groups/plan/availability/parents/{memberID}`.
struct ParentAvailabilityInput: Content {
    var times: [String]?
    var online: Bool?
    var mixedOk: Bool?
    var districts: [String]?
}

struct ParentAvailabilityDTO: Content {
    let memberId: UUID
    let times: [String]
    let online: Bool
    let mixedOk: Bool
    let districts: [String]
}

/// `PUT /api/v1/groups/plan/availability/facilitators/{userID}`.
struct FacilitatorAvailabilityInput: Content {
    var times: [String]?
    var maxSeries: Int?
}

struct FacilitatorAvailabilityDTO: Content {
    let userId: UUID
    let times: [String]
    let maxSeries: Int
}

extension GroupService {
    /// The most series one facilitator can be recorded to lead.
    static let maxSeriesLimit = 10

    // MARK: districts

    /// The municipality's districts, in their order.
    func districts() async throws -> [GroupDistrict] {
        try FamilyAccess.require(staff, .create, .groupSeries)
        return try await GroupDistrict.query(on: db).filter(\.$municipality.$id == staff.municipalityID)
            .sort(\.$position).all()
    }

    /// Replaces the municipality's district list. A code is letters, digits, `-` and `_` (at most 32, not `online`),
    /// once; a name at most 80 characters; each postcode area four digits or a range of them.
    func saveDistricts(_ input: GroupDistrictsInput) async throws -> [GroupDistrictDTO] {
        try FamilyAccess.require(staff, .create, .groupSeries)
        guard let list = input.districts else { throw AppError.invalid([.init("districts", "required")], catalog: catalog) }
        var errors: [FieldError] = []
        var seen = Set<String>()
        var clean: [GroupDistrictDTO] = []
        if list.count > 100 { errors.append(.init("districts", "out-of-range")) }
        for (index, district) in list.enumerated() {
            let field = "districts[\(index)]"
            let code = district.code?.trimmed ?? ""
            if code.isEmpty { errors.append(.init("\(field).code", "required")) }
            else if !Self.isDistrictCode(code) { errors.append(.init("\(field).code", "district-code-invalid")) }
            else if !seen.insert(code.lowercased()).inserted { errors.append(.init("\(field).code", "duplicate")) }
            let name = district.name?.trimmed ?? ""
            if name.isEmpty { errors.append(.init("\(field).name", "required")) }
            else if name.count > 80 { errors.append(.init("\(field).name", "too-long")) }
            let areas = (district.postcodes ?? []).map(\.trimmed).filter { !$0.isEmpty }
            if !areas.allSatisfy(Self.isPostcodeArea) { errors.append(.init("\(field).postcodes", "postcode-area-invalid")) }
            clean.append(GroupDistrictDTO(code: code, name: name, postcodes: areas))
        }
        guard errors.isEmpty else { throw AppError.invalid(errors, catalog: catalog) }
        let municipalityID = staff.municipalityID, rows = clean
        try await audit.write(on: db, by: AuditSubject(staff)) { tx, recorder in
            try await GroupDistrict.query(on: tx).filter(\.$municipality.$id == municipalityID).delete()
            for (position, district) in rows.enumerated() {
                let row = GroupDistrict()
                row.id = UUID()
                row.code = district.code
                row.name = district.name
                row.postcodes = district.postcodes.joined(separator: ",")
                row.position = position
                row.$municipality.id = municipalityID
                try await row.create(on: tx)
            }
            recorder.record(AuditEvent(action: "group.districts.update", detail: "districts=\(rows.count)"))
        }
        return clean
    }

    /// The planner's district codes: letters, digits, `-` and `_`, at most 32, not `online`.
    static func isDistrictCode(_ code: String) -> Bool {
        !code.isEmpty && code.count <= 32 && code != onlinePlace
            && code.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-" || $0 == "_") }
    }

    /// `2311` or `2311-2315` (1000–9999, low to high).
    static func isPostcodeArea(_ text: String) -> Bool {
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), parts.allSatisfy({ $0.count == 4 && $0.allSatisfy(\.isASCII) && $0.allSatisfy(\.isNumber) }) else {
            return false
        }
        let numbers = parts.compactMap { Int($0) }
        return numbers.allSatisfy { $0 >= 1000 } && numbers.first! <= numbers.last!
    }

    // MARK: parents

    /// The recorded availability of these parents (member ids).
    func parentAvailability(_ members: [UUID]) async throws -> [UUID: GroupParentAvailability] {
        guard !members.isEmpty else { return [:] }
        let rows = try await GroupParentAvailability.query(on: db).filter(\.$member.$id ~~ members)
            .filter(\.$municipality.$id == staff.municipalityID).all()
        let ids = rows.compactMap(\.id)
        let times = try await CodeTables.parentAvailabilityTimes.load(ids, on: db)
        let districts = try await CodeTables.parentAvailabilityDistricts.load(ids, on: db)
        for row in rows {
            row.times = times[row.id!] ?? []
            row.districts = districts[row.id!] ?? []
        }
        return Dictionary(rows.map { ($0.$member.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Each family's own district: the district whose postcode areas hold the family's postcode.
    func ownDistricts(_ families: [UUID], districts: [GroupDistrict]) async throws -> [UUID: String] {
        guard !families.isEmpty, !districts.isEmpty else { return [:] }
        let rows = try await Family.query(on: db).filter(\.$id ~~ Set(families)).all()
        var result: [UUID: String] = [:]
        for family in rows {
            guard let digits = family.postcode.map({ String($0.filter(\.isNumber).prefix(4)) }), digits.count == 4,
                  let pc4 = Int(digits), let district = districts.first(where: { $0.covers(pc4) }) else { continue }
            result[family.id!] = district.code
        }
        return result
    }

    /// Records when a waiting parent can come. `times` at least one of `daytime`, `evening`; `districts` codes of the
    /// municipality's district list. One audit entry names the family.
    func setParentAvailability(_ memberID: UUID, _ input: ParentAvailabilityInput) async throws -> ParentAvailabilityDTO {
        try FamilyAccess.require(staff, .create, .groupSeries)
        guard let card = try await MemberCards.load([memberID], on: db)[memberID], card.municipalityID == staff.municipalityID,
              card.role == .parent else { throw AppError.notFound("member") }
        var errors: [FieldError] = []
        let timeCodes = CodeList.unique((input.times ?? []).map(\.trimmed))
        if timeCodes.isEmpty { errors.append(.init("times", "required")) }
        else if timeCodes.contains(where: { TimeOfDay(rawValue: $0) == nil }) { errors.append(.init("times", "unknown-code")) }
        let known = Set(try await districts().map(\.code))
        let districtCodes = CodeList.unique((input.districts ?? []).map(\.trimmed).filter { !$0.isEmpty })
        if districtCodes.contains(where: { !known.contains($0) }) { errors.append(.init("districts", "unknown-district")) }
        guard errors.isEmpty else { throw AppError.invalid(errors, catalog: catalog) }
        let times = TimeOfDay.allCases.filter { timeCodes.contains($0.rawValue) }.map(\.rawValue)
        let online = input.online ?? false, mixedOk = input.mixedOk ?? false
        let existing = try await GroupParentAvailability.query(on: db).filter(\.$member.$id == memberID).first()
        try await audit.write(on: db, by: AuditSubject(staff)) { tx, recorder in
            let row = existing ?? GroupParentAvailability()
            if existing == nil {
                row.id = UUID()
                row.$municipality.id = card.municipalityID
                row.$family.id = card.familyID
                row.$member.id = memberID
            }
            row.times = times
            row.online = online
            row.mixedOk = mixedOk
            row.districts = districtCodes
            if existing == nil { try await row.create(on: tx) } else { try await row.update(on: tx) }
            try await CodeTables.parentAvailabilityTimes.replace(row.id!, with: times, on: tx)
            try await CodeTables.parentAvailabilityDistricts.replace(row.id!, with: districtCodes, on: tx)
            recorder.record(AuditEvent(action: "group.availability.update", familyID: card.familyID,
                                       detail: "member=\(memberID.uuidString) times=\(times.joined(separator: ",")) online=\(online) mixed=\(mixedOk) districts=\(districtCodes.count)"))
        }
        return ParentAvailabilityDTO(memberId: memberID, times: times, online: online, mixedOk: mixedOk, districts: districtCodes)
    }

    // MARK: facilitators

    func facilitatorAvailability() async throws -> [UUID: GroupFacilitatorAvailability] {
        let rows = try await GroupFacilitatorAvailability.query(on: db).filter(\.$municipality.$id == staff.municipalityID).all()
        let times = try await CodeTables.facilitatorAvailabilityTimes.load(rows.compactMap(\.id), on: db)
        for row in rows { row.times = times[row.id!] ?? [] }
        return Dictionary(rows.map { ($0.$user.id, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// Records when a trainer or key person of the municipality can work and how many series they lead at most
    /// (0–10; running series count).
    func setFacilitatorAvailability(_ userID: UUID, _ input: FacilitatorAvailabilityInput) async throws -> FacilitatorAvailabilityDTO {
        try FamilyAccess.require(staff, .create, .groupSeries)
        guard let user = try await Colleagues(on: db).named([userID]).first, user.active, user.$municipality.id == staff.municipalityID,
              [Role.facilitator.rawValue, Role.keyPerson.rawValue].contains(user.role) else { throw AppError.notFound("colleague") }
        var errors: [FieldError] = []
        let timeCodes = CodeList.unique((input.times ?? []).map(\.trimmed))
        if timeCodes.isEmpty { errors.append(.init("times", "required")) }
        else if timeCodes.contains(where: { TimeOfDay(rawValue: $0) == nil }) { errors.append(.init("times", "unknown-code")) }
        if input.maxSeries == nil { errors.append(.init("maxSeries", "required")) }
        else if !(0...Self.maxSeriesLimit).contains(input.maxSeries!) { errors.append(.init("maxSeries", "out-of-range")) }
        guard errors.isEmpty, let maxSeries = input.maxSeries else { throw AppError.invalid(errors, catalog: catalog) }
        let times = TimeOfDay.allCases.filter { timeCodes.contains($0.rawValue) }.map(\.rawValue)
        let existing = try await GroupFacilitatorAvailability.query(on: db).filter(\.$user.$id == userID).first()
        let municipalityID = staff.municipalityID
        try await audit.write(on: db, by: AuditSubject(staff)) { tx, recorder in
            let row = existing ?? GroupFacilitatorAvailability()
            if existing == nil {
                row.id = UUID()
                row.$municipality.id = municipalityID
                row.$user.id = userID
            }
            row.times = times
            row.maxSeries = maxSeries
            if existing == nil { try await row.create(on: tx) } else { try await row.update(on: tx) }
            try await CodeTables.facilitatorAvailabilityTimes.replace(row.id!, with: times, on: tx)
            recorder.record(AuditEvent(action: "group.facilitator.availability",
                                       detail: "user=\(userID.uuidString) times=\(times.joined(separator: ",")) maxSeries=\(maxSeries)"))
        }
        return FacilitatorAvailabilityDTO(userId: userID, times: times, maxSeries: maxSeries)
    }

    // MARK: taking a parent off the planner input

    /// Takes a parent that "invite everyone" put on an offer's planner input off it again (they are `left`, so
    /// pressing "invite everyone" again does not bring them back). One audit entry names the family.
    func removeInvitee(_ inviteeID: UUID) async throws -> UUID {
        try FamilyAccess.require(staff, .create, .groupSeries)
        guard let invitee = try await GroupInvitee.query(on: db).filter(\.$id == inviteeID)
            .filter(\.$municipality.$id == staff.municipalityID).first() else { throw AppError.notFound("invitee") }
        guard invitee.status == .waiting else { throw AppError.invalid([.init("inviteeId", "not-waiting")], catalog: catalog) }
        let offerID = invitee.$offer.id
        try await audit.write(on: db, by: AuditSubject(staff)) { tx, recorder in
            invitee.status = .left
            try await invitee.update(on: tx)
            recorder.record(AuditEvent(action: "group.plan.remove", familyID: invitee.$family.id,
                                       detail: "offer=\(offerID.uuidString) member=\(invitee.$member.id.uuidString)"))
        }
        return offerID
    }
}
