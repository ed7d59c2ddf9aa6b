import Foundation

/// A problem with one field of a submitted form or JSON body. `field` is the JSON path (`members[1].birthDate`);
/// `code` selects the message in the locale files (`error.<code>`), so the API and the web UI say the same thing.
public struct FieldError: Hashable, Sendable {
    public let field: String
    public let code: String
    public init(_ field: String, _ code: String) {
        self.field = field
        self.code = code
    }
}

/// One household as submitted: the family's own fields.
public struct HouseholdDraft: Sendable {
    public var name: String
    public var address: String?
    public var postcode: String?
    public var contactPreference: String?
    public var situations: [String]
    public init(name: String, address: String? = nil, postcode: String? = nil, contactPreference: String? = nil,
                situations: [String] = []) {
        self.name = name
        self.address = address
        self.postcode = postcode
        self.contactPreference = contactPreference
        self.situations = situations
    }
}

/// One parent or child as submitted. Only the role and a first name are required (R18: nothing that a registered
/// family has is mandatory for others).
public struct MemberDraft: Sendable {
    public var role: String
    public var givenName: String
    public var familyName: String?
    public var gender: String?
    public var birthDate: String?
    public var birthYear: Int?

    /// The year a person was born: the year given, or else the year of the date given.
    public static func yearOfBirth(year: Int?, date: String?) -> Int? { year ?? date.flatMap(CalendarDate.init(iso:))?.year }
    public var yearOfBirth: Int? { Self.yearOfBirth(year: birthYear, date: birthDate) }
    public var countryOfOrigin: String?
    public var languagesSpoken: [String]
    public var languagesRead: [String]
    public var dutchLevel: String?
    public var arrivalDate: String?
    public var settlementDate: String?
    public var schoolOrChildcare: String?
    public var bsn: String?

    public init(role: String, givenName: String, familyName: String? = nil, gender: String? = nil,
                birthDate: String? = nil, birthYear: Int? = nil, countryOfOrigin: String? = nil,
                languagesSpoken: [String] = [], languagesRead: [String] = [], dutchLevel: String? = nil,
                arrivalDate: String? = nil, settlementDate: String? = nil, schoolOrChildcare: String? = nil,
                bsn: String? = nil) {
        self.role = role
        self.givenName = givenName
        self.familyName = familyName
        self.gender = gender
        self.birthDate = birthDate
        self.birthYear = birthYear
        self.countryOfOrigin = countryOfOrigin
        self.languagesSpoken = languagesSpoken
        self.languagesRead = languagesRead
        self.dutchLevel = dutchLevel
        self.arrivalDate = arrivalDate
        self.settlementDate = settlementDate
        self.schoolOrChildcare = schoolOrChildcare
        self.bsn = bsn
    }

    /// The earliest year the member can have been born in (a full date wins over a year).
    var earliestBirthYear: Int? { birthDate.flatMap(CalendarDate.init(iso:))?.year ?? birthYear }
}

public enum FamilyValidation {
    /// The youngest age at which we accept that someone became a parent: a child born earlier than this is a typo.
    public static let minimumParentAge = 12
    public static let maxNameLength = 120
    public static let maxTextLength = 500

    public static func validate(household: HouseholdDraft) -> [FieldError] {
        var errors: [FieldError] = []
        let name = household.name.trimmed
        if name.isEmpty { errors.append(.init("name", "required")) }
        if name.count > maxNameLength { errors.append(.init("name", "too-long")) }
        if let address = household.address, address.count > maxTextLength { errors.append(.init("address", "too-long")) }
        if let postcode = household.postcode?.trimmed, !postcode.isEmpty, !isDutchPostcode(postcode) {
            errors.append(.init("postcode", "postcode-invalid"))
        }
        if let preference = household.contactPreference, !ContactPreference.isKnown(preference) {
            errors.append(.init("contactPreference", "unknown-code"))
        }
        for (index, code) in household.situations.enumerated() where !Situation.isKnown(code) {
            errors.append(.init("situations[\(index)]", "unknown-code"))
        }
        return errors
    }

    /// Validates every member on its own and the members against each other (a child cannot be born before its
    /// parent could have been). `fieldPrefix` names each member in the error (`members[2]`).
    public static func validate(members: [MemberDraft], today: CalendarDate,
                                fieldPrefix: (Int) -> String = { "members[\($0)]" }) -> [FieldError] {
        var errors: [FieldError] = []
        for (index, member) in members.enumerated() {
            errors += validate(member: member, today: today, prefix: fieldPrefix(index))
        }
        // Cross-member rule: compare every child with every parent by birth year (dates may be unknown).
        let parentYears = members.filter { $0.role == MemberRole.parent.rawValue }.compactMap(\.earliestBirthYear)
        if let youngestParentYear = parentYears.max() {
            for (index, member) in members.enumerated() where member.role == MemberRole.child.rawValue {
                if let childYear = member.earliestBirthYear, childYear < youngestParentYear + minimumParentAge {
                    let field = member.birthDate != nil ? "birthDate" : "birthYear"
                    errors.append(.init("\(fieldPrefix(index)).\(field)", "born-before-parent"))
                }
            }
        }
        return errors
    }

    static func validate(member: MemberDraft, today: CalendarDate, prefix: String) -> [FieldError] {
        var errors: [FieldError] = []
        func add(_ field: String, _ code: String) { errors.append(.init("\(prefix).\(field)", code)) }

        if !MemberRole.isKnown(member.role) { add("role", "unknown-code") }
        let given = member.givenName.trimmed
        if given.isEmpty { add("givenName", "required") }
        if given.count > maxNameLength { add("givenName", "too-long") }
        if let family = member.familyName, family.count > maxNameLength { add("familyName", "too-long") }
        if let gender = member.gender, !Gender.isKnown(gender) { add("gender", "unknown-code") }
        if let country = member.countryOfOrigin, !Countries.isKnown(country) { add("countryOfOrigin", "unknown-code") }
        if let level = member.dutchLevel, !DutchLevel.isKnown(level) { add("dutchLevel", "unknown-code") }
        for (i, code) in member.languagesSpoken.enumerated() where !Languages.isKnown(code) {
            add("languagesSpoken[\(i)]", "unknown-code")
        }
        for (i, code) in member.languagesRead.enumerated() where !Languages.isKnown(code) {
            add("languagesRead[\(i)]", "unknown-code")
        }
        if let school = member.schoolOrChildcare, school.count > maxTextLength { add("schoolOrChildcare", "too-long") }
        if let bsn = member.bsn, !bsn.isEmpty, !BSN.isValid(bsn) { add("bsn", "bsn-invalid") }

        var birth: CalendarDate?
        if let text = member.birthDate {
            if let date = CalendarDate(iso: text) {
                birth = date
                if date > today { add("birthDate", "future-date") }
                if let year = member.birthYear, year != date.year { add("birthYear", "birth-year-mismatch") }
            } else {
                add("birthDate", "date-invalid")
            }
        }
        if let year = member.birthYear, !(1900...today.year).contains(year) { add("birthYear", "year-invalid") }

        var arrival: CalendarDate?
        if let text = member.arrivalDate {
            if let date = CalendarDate(iso: text) {
                arrival = date
                if date > today { add("arrivalDate", "future-date") }
                if let birth, date < birth { add("arrivalDate", "before-birth") }
            } else {
                add("arrivalDate", "date-invalid")
            }
        }
        if let text = member.settlementDate {
            if let date = CalendarDate(iso: text) {
                if let arrival, date < arrival { add("settlementDate", "before-arrival") }
                if let birth, date < birth { add("settlementDate", "before-birth") }
            } else {
                add("settlementDate", "date-invalid")
            }
        }
        return errors
    }

    /// Dutch postcode: four digits (not starting with 0), optional space, two letters.
    public static func isDutchPostcode(_ text: String) -> Bool {
        let compact = text.replacingOccurrences(of: " ", with: "").uppercased()
        let chars = Array(compact)
        guard chars.count == 6, chars[0] != "0" else { return false }
        return chars[0..<4].allSatisfy(\.isASCIIDigit) && chars[4..<6].allSatisfy { $0.isASCII && $0.isLetter }
    }

    /// `1234 AB` form for storage and display.
    public static func normalisedPostcode(_ text: String) -> String {
        let compact = text.replacingOccurrences(of: " ", with: "").uppercased()
        guard compact.count == 6 else { return compact }
        return "\(compact.prefix(4)) \(compact.suffix(2))"
    }
}

extension String {
    public var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}

/// Why a case manager registers a family although Wegwijs shows it may already be registered (issue 16, item 2):
/// recorded as a code in the audit trail, never as free text.
public enum DuplicateOverride: String, VocabularyCode {
    /// Another family whose names look alike.
    case differentFamily = "different-family"
    /// Part of a known family that now lives apart (a parent and children in a household of their own).
    case separateHousehold = "separate-household"
    case other
    public static let vocabularyName = "duplicateOverride"
}
