import Foundation

/// The invitation a key person brings to a parent (issue 14, item 2): a printable letter and a short message text,
/// in the parent's language where Wegwijs has the words, else in Dutch (the key person then tells it in the
/// parent's language). Plain and warm: "information and tips", never an assessment (R31). Wegwijs sends nothing to
/// parents by itself.
public struct InvitationText: Codable, Sendable, Equatable {
    public let language: String
    public let title: String
    public let greeting: String
    public let welcome: String
    public let what: String
    public let whenLabel: String
    public let whereLabel: String
    public let childcare: String
    public let free: String
    public let questions: String
    public let message: String

    /// The languages the letter is written in.
    public static let languages = ["nl", "en", "ar"]

    public struct Details: Sendable {
        public var parentName: String
        public var audience: Audience
        /// The series' language, named in the letter's language.
        public var seriesLanguageName: String
        public var firstSession: String
        public var place: String
        public var keyPersonName: String
        public init(parentName: String, audience: Audience, seriesLanguageName: String, firstSession: String, place: String,
                    keyPersonName: String) {
            self.parentName = parentName
            self.audience = audience
            self.seriesLanguageName = seriesLanguageName
            self.firstSession = firstSession
            self.place = place
            self.keyPersonName = keyPersonName
        }
    }

    /// The letter in `language` if it is one of `languages`, else in Dutch.
    public static func letter(in language: String, _ d: Details) -> InvitationText {
        switch language {
        case "en":
            let who = d.audience == .mothers ? "mothers" : d.audience == .fathers ? "fathers" : "parents"
            return InvitationText(
                language: "en", title: "Invitation", greeting: "Dear \(d.parentName),",
                welcome: "You are very welcome to join a group for \(who) in \(d.seriesLanguageName).",
                what: "Together we talk about children growing up in the Netherlands, and share information and tips. You meet other parents.",
                whenLabel: "When", whereLabel: "Where", childcare: "Your children are looked after while we meet.",
                free: "Taking part is free. You do not need to prepare anything.",
                questions: "Questions? \(d.keyPersonName) is happy to help.",
                message: "Hello \(d.parentName), you are welcome in the group for \(who) in \(d.seriesLanguageName). "
                    + "The first meeting is on \(d.firstSession) at \(d.place). Will you come? \(d.keyPersonName)")
        case "ar":
            let who = d.audience == .mothers ? "الأمهات" : d.audience == .fathers ? "الآباء" : "الآباء والأمهات"
            return InvitationText(
                language: "ar", title: "دعوة", greeting: "مرحباً \(d.parentName)،",
                welcome: "يسعدنا أن ندعوك إلى مجموعة \(who) باللغة \(d.seriesLanguageName).",
                what: "نتحدث معاً عن نشأة الأطفال في هولندا، ونتبادل المعلومات والنصائح، وتتعرف على أهالٍ آخرين.",
                whenLabel: "متى", whereLabel: "أين", childcare: "يوجد من يعتني بأطفالك أثناء اللقاء.",
                free: "المشاركة مجانية، ولا تحتاج إلى تحضير أي شيء.",
                questions: "هل لديك أسئلة؟ \(d.keyPersonName) يسعده أن يساعدك.",
                message: "مرحباً \(d.parentName)، أنت مدعو إلى مجموعة \(who) باللغة \(d.seriesLanguageName). "
                    + "اللقاء الأول في \(d.firstSession) في \(d.place). هل ستأتي؟ \(d.keyPersonName)")
        default:
            let who = d.audience == .mothers ? "moeders" : d.audience == .fathers ? "vaders" : "ouders"
            return InvitationText(
                language: "nl", title: "Uitnodiging", greeting: "Beste \(d.parentName),",
                welcome: "U bent van harte welkom in een groep voor \(who) in het \(d.seriesLanguageName).",
                what: "We praten samen over opgroeien in Nederland en delen informatie en tips. U ontmoet andere ouders.",
                whenLabel: "Wanneer", whereLabel: "Waar", childcare: "Er is opvang voor uw kinderen.",
                free: "Meedoen is gratis. U hoeft niets voor te bereiden.",
                questions: "Vragen? \(d.keyPersonName) helpt u graag.",
                message: "Hallo \(d.parentName), u bent welkom in de groep voor \(who) in het \(d.seriesLanguageName). "
                    + "De eerste keer is op \(d.firstSession) in \(d.place). Komt u? Groet, \(d.keyPersonName)")
        }
    }
}
