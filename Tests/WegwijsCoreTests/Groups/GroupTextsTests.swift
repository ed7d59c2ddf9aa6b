import Testing
@testable import WegwijsCore

/// The parents' texts of a group series (docs/groups.md): the invitation letter and the evaluation, written out in
/// Dutch, English, Arabic, Tigrinya, Ukrainian, Persian and Somali; any other language falls back to Dutch.
@Suite("Group texts for parents")
struct GroupTextsTests {
    static let details = InvitationText.Details(parentName: "Selam", audience: .mothers, seriesLanguageName: "ትግርኛ",
                                                firstSession: "ረቡዕ 16 ታሕሳስ 09:30", place: "Buurthuis De Brug",
                                                keyPersonName: "Samira")

    @Test("a Tigrinya-speaking parent gets the letter in Tigrinya (Ge'ez script), with her name, the place and the key person")
    func tigrinyaLetter() {
        let letter = InvitationText.letter(in: "ti", Self.details)
        #expect(letter.language == "ti")
        #expect(letter.title == "ዕድመ")
        #expect(letter.greeting == "ሰላም Selam፣")
        #expect(letter.welcome.contains("ኣዴታት") && letter.welcome.contains("ብትግርኛ"))
        #expect(letter.what.contains("ሓበሬታ") && letter.what.contains("ምኽርታት"), "information and tips")
        #expect(letter.message.contains("Buurthuis De Brug") && letter.message.contains("Samira"))
        let fathers = InvitationText.letter(in: "ti", .init(parentName: "Mehari", audience: .fathers, seriesLanguageName: "ትግርኛ",
                                                            firstSession: "", place: "", keyPersonName: ""))
        #expect(fathers.welcome.contains("ኣቦታት"))
        // Every text but the names is in Ge'ez script.
        let ethiopic = Set(letter.title.unicodeScalars).allSatisfy { (0x1200...0x139F).contains($0.value) }
        #expect(ethiopic)
    }

    @Test("Ukrainian, Persian and Somali are written out; Amharic falls back to Dutch")
    func otherLanguages() {
        #expect(InvitationText.letter(in: "uk", Self.details).title == "Запрошення")
        #expect(InvitationText.letter(in: "uk", Self.details).what.contains("інформацією та порадами"))
        #expect(InvitationText.letter(in: "fa", Self.details).title == "دعوت‌نامه")
        #expect(InvitationText.letter(in: "fa", Self.details).what.contains("اطلاعات و نکته‌های مفید"))
        let somali = InvitationText.letter(in: "so", Self.details)
        #expect(somali.language == "so" && somali.title == "Casuumaad" && somali.greeting == "Salaan Selam,")
        #expect(somali.what.contains("macluumaad iyo talooyin"), "information and tips")
        #expect(somali.welcome.contains("hooyooyinka") && somali.message.contains("Buurthuis De Brug") && somali.message.contains("Samira"))
        #expect(EvaluationTexts.texts("so").language == "so")
        #expect(EvaluationTexts.texts("so").questions[.learned] == "Ma heshay talooyin ama macluumaad aad isticmaali karto?")
        #expect(InvitationText.language(forSpeakerOf: ["so", "nl"]) == "so")
        for language in ["am", "zz"] {
            #expect(InvitationText.letter(in: language, Self.details).language == "nl")
            #expect(EvaluationTexts.texts(language).language == "nl")
        }
    }

    @Test("a Dari speaker reads the Persian texts; a parent gets the first spoken language that has a letter")
    func dariAndChoice() {
        #expect(InvitationText.letter(in: "prs", Self.details).language == "fa")
        #expect(EvaluationTexts.texts("prs").language == "fa")
        #expect(InvitationText.language(forSpeakerOf: ["am", "ti"]) == "ti")
        #expect(InvitationText.language(forSpeakerOf: ["prs", "en"]) == "fa")
        #expect(InvitationText.language(forSpeakerOf: ["am"]) == "nl")
        #expect(InvitationText.language(forSpeakerOf: []) == "nl")
    }

    @Test("every written-out evaluation has every question and face, in its own language and direction",
          arguments: EvaluationTexts.languages)
    func evaluationComplete(_ language: String) {
        let texts = EvaluationTexts.texts(language)
        #expect(texts.language == language)
        #expect(Set(texts.questions.keys) == Set(EvaluationQuestion.allCases))
        #expect(Set(texts.faces.keys) == Set(EvaluationFace.allCases))
        #expect(texts.questions.values.allSatisfy { !$0.isEmpty })
        #expect(EvaluationTexts.names.map(\.code) == EvaluationTexts.languages)
        #expect(texts.dir == (["ar", "fa"].contains(language) ? "rtl" : "ltr"))
        for text in [texts.title, texts.intro, texts.anonymous, texts.send, texts.thanks, texts.closed, texts.full, texts.unknown] {
            #expect(!text.isEmpty)
        }
    }

    @Test("the Tigrinya evaluation asks about tips and information, warmly, and says nothing is kept")
    func tigrinyaEvaluation() {
        let texts = EvaluationTexts.texts("ti")
        #expect(texts.questions[.learned] == "ክትጥቀሙሉ እትኽእሉ ምኽሪ ወይ ሓበሬታ ረኺብኩም ዶ?")
        #expect(texts.faces == [.yes: "እወ", .aLittle: "ቁሩብ", .no: "ኣይፋል"])
        #expect(texts.thanks == "የቐንየልና!")
        #expect(texts.anonymous.contains("ኣይንዕቅብን"))
    }
}
