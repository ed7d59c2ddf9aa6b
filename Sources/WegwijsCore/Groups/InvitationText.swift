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
    public static let languages = ["nl", "en", "ar", "ti", "uk", "fa", "so"]

    /// The written language that serves a parent who speaks `code`, if the letter is written in it. Dari (`prs`) is
    /// written as Persian (`fa`, "Persian/Dari" in vocabulary.md): the same script and written language.
    public static func writtenLanguage(for code: String) -> String? {
        let written = code == "prs" ? "fa" : code
        return languages.contains(written) ? written : nil
    }

    /// The first of a parent's spoken languages that the letter is written in, else Dutch.
    public static func language(forSpeakerOf spoken: [String]) -> String {
        spoken.lazy.compactMap(writtenLanguage(for:)).first ?? "nl"
    }

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

    /// The letter in `language` if it is one of `languages` (Dari as Persian), else in Dutch.
    public static func letter(in language: String, _ d: Details) -> InvitationText {
        switch writtenLanguage(for: language) ?? "nl" {
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
        case "ti":
            // Addressed with the polite plural (ንስኹም), as a Tigrinya letter is: the same for a mother and a father.
            let who = d.audience == .mothers ? "ኣዴታት" : d.audience == .fathers ? "ኣቦታት" : "ወለዲ"
            return InvitationText(
                language: "ti", title: "ዕድመ", greeting: "ሰላም \(d.parentName)፣",
                welcome: "ኣብ ጉጅለ \(who) ብ\(d.seriesLanguageName) ክትሳተፉ ብሓጐስ ንዕድመኩም።",
                what: "ብዛዕባ ምዕባይ ቆልዑ ኣብ ኔዘርላንድ ብሓባር ንዘራረብ፣ ሓበሬታን ጠቓሚ ምኽርታትን ንካፈል። ምስ ካልኦት ወለዲ ድማ ትላለዩ።",
                whenLabel: "መዓስ", whereLabel: "ኣበይ", childcare: "ኣብ እዋን ርክብና ንቆልዑኹም ዝከናኸኑ ሰባት ኣለዉ።",
                free: "ምስታፍ ብነጻ እዩ። ገለ ነገር ምድላው ኣየድልየኩምን።",
                questions: "ሕቶ እንተሃልዩኩም ን\(d.keyPersonName) ሕተቱ።",
                message: "ሰላም \(d.parentName)፣ ኣብ ጉጅለ \(who) ብ\(d.seriesLanguageName) ብሓጐስ ንዕድመኩም። "
                    + "እቲ ቀዳማይ ርክብ \(d.firstSession) ኣብ \(d.place) እዩ። ክትመጹ ዶ ኢኹም? \(d.keyPersonName)")
        case "uk":
            let who = d.audience == .mothers ? "для мам" : d.audience == .fathers ? "для татів" : "для батьків"
            return InvitationText(
                language: "uk", title: "Запрошення", greeting: "Доброго дня, \(d.parentName)!",
                welcome: "Щиро запрошуємо вас до групи \(who) мовою: \(d.seriesLanguageName).",
                what: "Разом ми говоримо про те, як діти ростуть у Нідерландах, і ділимося інформацією та порадами. Ви познайомитеся з іншими батьками.",
                whenLabel: "Коли", whereLabel: "Де", childcare: "Поки ми зустрічаємося, за вашими дітьми доглядають.",
                free: "Участь безкоштовна. Нічого готувати не потрібно.",
                questions: "Маєте запитання? \(d.keyPersonName) охоче допоможе.",
                message: "Доброго дня, \(d.parentName)! Запрошуємо вас до групи \(who) мовою: \(d.seriesLanguageName). "
                    + "Перша зустріч — \(d.firstSession), місце: \(d.place). Чи прийдете ви? \(d.keyPersonName)")
        case "fa":
            // Plain Persian, as Dari-speaking parents read it too; the polite "شما".
            let who = d.audience == .mothers ? "مادران" : d.audience == .fathers ? "پدران" : "پدران و مادران"
            return InvitationText(
                language: "fa", title: "دعوت‌نامه", greeting: "سلام \(d.parentName) عزیز،",
                welcome: "خوشحال می‌شویم که در گروه \(who) به زبان \(d.seriesLanguageName) شرکت کنید.",
                what: "با هم دربارهٔ بزرگ شدن کودکان در هلند صحبت می‌کنیم و اطلاعات و نکته‌های مفید را با هم در میان می‌گذاریم. با پدران و مادران دیگر هم آشنا می‌شوید.",
                whenLabel: "زمان", whereLabel: "مکان", childcare: "در زمان جلسه از کودکان شما نگهداری می‌شود.",
                free: "شرکت رایگان است. لازم نیست چیزی آماده کنید.",
                questions: "سؤالی دارید؟ \(d.keyPersonName) با کمال میل به شما کمک می‌کند.",
                message: "سلام \(d.parentName)، شما به گروه \(who) به زبان \(d.seriesLanguageName) دعوت شده‌اید. "
                    + "اولین جلسه \(d.firstSession) در \(d.place) است. می‌آیید؟ \(d.keyPersonName)")
        case "so":
            // Plain Somali (Latin script), addressing the parent warmly as "you" (adiga).
            let who = d.audience == .mothers ? "hooyooyinka" : d.audience == .fathers ? "aabayaasha" : "waalidiinta"
            return InvitationText(
                language: "so", title: "Casuumaad", greeting: "Salaan \(d.parentName),",
                welcome: "Aad baad ugu soo dhowdahay kooxda \(who) ee ku hadasha \(d.seriesLanguageName).",
                what: "Waxaan si wadajir ah uga sheekeysanaynaa sida carruurtu ugu koraan Nederland, waxaana is weydaarsanaynaa macluumaad iyo talooyin. Waxaad la kulmaysaa waalidiin kale.",
                whenLabel: "Goorma", whereLabel: "Xagee", childcare: "Inta aan kulanka ku jirno, carruurtaada waa la xannaaneynayaa.",
                free: "Ka qaybgalku waa bilaash. Waxba uma baahnid inaad diyaariso.",
                questions: "Su'aalo ma qabtaa? \(d.keyPersonName) ayaa si farxad leh kuu caawinaya.",
                message: "Salaan \(d.parentName), waxaad ku soo dhowdahay kooxda \(who) ee ku hadasha \(d.seriesLanguageName). "
                    + "Kulanka koowaad waa \(d.firstSession), meesha: \(d.place). Ma iman doontaa? \(d.keyPersonName)")
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
