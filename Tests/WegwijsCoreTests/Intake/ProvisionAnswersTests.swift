import Testing
@testable import WegwijsCore

/// R48: which provisions a parent knows and uses, read from a screening's answers of any instrument version.
@Suite("Provisions known and used")
struct ProvisionAnswersTests {
    @Test("a provision used is known too; unknown codes stay out of the typed rows; not asked is not 'none'")
    func rows() {
        let answers: [String: ScreeningAnswer] = [
            "provisions.known": .list(["library", "cjg", "bowling"]),
            "provisions.used": .list(["consultatiebureau", "parents-room"]),
        ]
        let provisions = ProvisionAnswers(answers)
        #expect(provisions.asked)
        #expect(provisions.known == [.consultatiebureau, .cjg, .parentsRoom, .library])
        #expect(provisions.used == [.consultatiebureau, .parentsRoom])
        #expect(provisions.rows.first { $0.provision == .library } == .init(provision: .library, known: true, used: false))
        #expect(!ProvisionAnswers(["themes": .priorities(["puberty": 1])]).asked)
        #expect(ProvisionAnswers(["provisions.known": .list([])]).asked)
    }

    @Test("what changed: newly known and newly used, also from a version-1 screening to a version-2 one")
    func change() {
        // Version 1 offered consultatiebureau, gp, cjg, district-team, school, childcare, library, sports-club.
        let intake: [String: ScreeningAnswer] = ["provisions.known": .list(["gp", "school"]), "provisions.used": .list(["gp"])]
        let later: [String: ScreeningAnswer] = ["provisions.known": .list(["gp", "school", "library"]),
                                                "provisions.used": .list(["gp", "school", "parents-room"])]
        let (known, used) = ProvisionAnswers(later).change(since: ProvisionAnswers(intake))
        #expect(known == [.parentsRoom, .library])
        #expect(used == [.school, .parentsRoom])
        let instrument = ScreeningInstrument(version: 2, name: .init(nl: "x", en: "x"), sections: [], optionLabels: [:], priorityLabels: [:])
        let screeningChange = ScreeningChange(from: intake, to: later, instrument: instrument)
        #expect(screeningChange.newlyKnownProvisions == ["parents-room", "library"])
        #expect(screeningChange.newlyUsedProvisions == ["school", "parents-room"])
        #expect(!screeningChange.isEmpty)
        // A screening that did not ask says nothing about change.
        #expect(ScreeningChange(from: [:], to: later, instrument: instrument).newlyKnownProvisions.isEmpty)
    }

    @Test("the vocabulary: lower-case codes, and version 1's options are all still provisions")
    func vocabulary() {
        for code in Provision.allCodes + FundingSource.allCodes { #expect(code == code.lowercased() && code.allSatisfy(\.isASCII)) }
        for code in ["consultatiebureau", "gp", "cjg", "district-team", "school", "childcare", "library", "sports-club"] {
            #expect(Provision.isKnown(code), "\(code)")
        }
        #expect(FundingSource.allCodes == ["civic-integration", "prevention", "health", "participation", "other"])
    }
}
