import Testing
@testable import WegwijsCore

@Suite("BSN 11-test")
struct BSNTests {
    @Test("valid numbers pass", arguments: ["111222333", "123456782", "231456785", "12345611"])
    func valid(_ bsn: String) { #expect(BSN.isValid(bsn)) }

    @Test("invalid numbers fail", arguments: ["123456789", "111222334", "000000000", "12345678a", "1234567", "1234567890", "", " 11122233"])
    func invalid(_ bsn: String) { #expect(!BSN.isValid(bsn)) }
}

@Suite("Calendar dates")
struct CalendarDateTests {
    @Test("parses exactly YYYY-MM-DD and refuses impossible dates")
    func parsing() {
        #expect(CalendarDate(iso: "2024-02-29")?.description == "2024-02-29")
        #expect(CalendarDate(iso: "2023-02-29") == nil)
        #expect(CalendarDate(iso: "2015-13-45") == nil)
        #expect(CalendarDate(iso: "2015-6-3") == nil)
        #expect(CalendarDate(iso: "18-03-2024") == nil)
    }

    @Test("ages count whole years")
    func ages() {
        let birth = CalendarDate(iso: "2015-06-30")!
        #expect(birth.years(until: CalendarDate(iso: "2026-06-29")!) == 10)
        #expect(birth.years(until: CalendarDate(iso: "2026-06-30")!) == 11)
    }
}

@Suite("Family validation")
struct FamilyValidationTests {
    let today = CalendarDate(iso: "2026-11-23")!

    func fields(_ members: [MemberDraft]) -> Set<String> {
        Set(FamilyValidation.validate(members: members, today: today).map { "\($0.field):\($0.code)" })
    }

    @Test("only a role and a first name are needed (R18)")
    func minimal() {
        #expect(fields([MemberDraft(role: "parent", givenName: "Amina")]).isEmpty)
        #expect(FamilyValidation.validate(household: HouseholdDraft(name: "Ahmadi")).isEmpty)
    }

    @Test("each rule names its field")
    func rules() {
        #expect(fields([MemberDraft(role: "parent", givenName: " ")]) == ["members[0].givenName:required"])
        #expect(fields([MemberDraft(role: "aunt", givenName: "A")]) == ["members[0].role:unknown-code"])
        #expect(fields([MemberDraft(role: "parent", givenName: "A", languagesSpoken: ["ar", "zz9"])]) == ["members[0].languagesSpoken[1]:unknown-code"])
        #expect(fields([MemberDraft(role: "parent", givenName: "A", countryOfOrigin: "XX")]) == ["members[0].countryOfOrigin:unknown-code"])
        #expect(fields([MemberDraft(role: "parent", givenName: "A", dutchLevel: "C1")]) == ["members[0].dutchLevel:unknown-code"])
        #expect(fields([MemberDraft(role: "parent", givenName: "A", arrivalDate: "2027-01-01")]) == ["members[0].arrivalDate:future-date"])
        #expect(fields([MemberDraft(role: "parent", givenName: "A", arrivalDate: "2024-05-01", settlementDate: "2024-04-30")])
                == ["members[0].settlementDate:before-arrival"])
        #expect(fields([MemberDraft(role: "parent", givenName: "A", bsn: "123456789")]) == ["members[0].bsn:bsn-invalid"])
        #expect(fields([MemberDraft(role: "child", givenName: "A", birthDate: "2015-02-30")]) == ["members[0].birthDate:date-invalid"])
        #expect(fields([MemberDraft(role: "child", givenName: "A", birthDate: "2027-02-01")]) == ["members[0].birthDate:future-date"])
        #expect(fields([MemberDraft(role: "child", givenName: "A", birthYear: 2030)]) == ["members[0].birthYear:year-invalid"])
    }

    @Test("a child cannot be born before its parent could have been")
    func childAfterParent() {
        let parent = MemberDraft(role: "parent", givenName: "P", birthYear: 2000)
        #expect(fields([parent, MemberDraft(role: "child", givenName: "C", birthDate: "2011-05-01")]) == ["members[1].birthDate:born-before-parent"])
        #expect(fields([parent, MemberDraft(role: "child", givenName: "C", birthDate: "2012-05-01")]).isEmpty)
    }

    @Test("household: unknown situation codes, postcode, contact preference")
    func household() {
        let errors = FamilyValidation.validate(household: HouseholdDraft(name: "X", postcode: "0123 AB", contactPreference: "fax",
                                                                         situations: ["status-holder", "tourist"]))
        #expect(Set(errors.map(\.field)) == ["postcode", "contactPreference", "situations[1]"])
        #expect(FamilyValidation.isDutchPostcode("2311ab"))
        #expect(FamilyValidation.normalisedPostcode("2311ab") == "2311 AB")
    }
}

@Suite("Vocabulary")
struct VocabularyTests {
    @Test("codes are lower-case ASCII (or the documented Dutch levels)")
    func codes() {
        for code in Theme.allCodes + Situation.allCodes + OfferForm.allCodes {
            #expect(code == code.lowercased() && code.allSatisfy(\.isASCII))
        }
        #expect(DutchLevel.allCodes == ["none", "A1", "A2", "B1", "B2+"])
        #expect(DutchLevel.b1.countsAsSpoken && !DutchLevel.a2.countsAsSpoken)
    }

    @Test("the ten parent languages are known; Arabic and Persian are right to left")
    func languages() {
        #expect(Languages.parentLanguages.count == 10)
        #expect(Languages.parentLanguages.allSatisfy(Languages.isKnown))
        #expect(Languages.rightToLeft.isSuperset(of: ["ar", "fa"]))
        #expect(!Languages.isKnown("xx9"))
    }

    /// The codes here are the ones of shared/design/vocabulary.md (when the shared folder is beside the checkout).
    @Test("themes and situations match vocabulary.md")
    func matchesSharedVocabulary() throws {
        let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("shared/design/vocabulary.md").path
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return }
        for theme in Theme.allCodes { #expect(text.contains("| `\(theme)` |"), "\(theme)") }
        for situation in Situation.allCodes { #expect(text.contains("`\(situation)`"), "\(situation)") }
        let themeRows = text.components(separatedBy: "\n").filter { $0.hasPrefix("| `") }.count
        #expect(themeRows == Theme.allCases.count)
    }
}

import Foundation

@Suite("Hex")
struct HexTests {
    @Test("bytes as lower-case hex, two digits each")
    func hex() {
        #expect([UInt8]([0x00, 0x0f, 0xa0, 0xff]).hexString == "000fa0ff")
        #expect([UInt8]().hexString == "")
    }
}
