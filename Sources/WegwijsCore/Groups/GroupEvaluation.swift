/// The parents' evaluation of a group series (R47): a handful of questions answered with three faces, and the meeting
/// they liked most. Anonymous by construction: what is stored is a count per question and answer, never one
/// parent's answers together, so nothing links a set of answers to a person (docs/groups.md, "Evaluation").
public enum EvaluationQuestion: String, CaseIterable, Sendable, Codable {
    /// Tips they can use at home.
    case learned
    /// R48's outcome: they know better where to go with questions about their child.
    case knowWhere = "know-where"
    case atHome = "at-home"
    case recommend
}

/// The three faces. Plain words, no marks: "yes", "a little", "no".
public enum EvaluationFace: String, CaseIterable, Sendable, Codable {
    case yes
    case aLittle = "a-little"
    case no
}

/// Where a count came from: a phone through the link, or a paper form typed in by staff.
public enum EvaluationSource: String, CaseIterable, Sendable, Codable {
    case phone, paper
}

/// One parent's answers as they arrive (every question may stay empty).
public struct EvaluationSubmission: Sendable, Equatable {
    public var faces: [EvaluationQuestion: EvaluationFace]
    /// A theme code of one of the series' sessions.
    public var favouriteTopic: String?

    public init(faces: [EvaluationQuestion: EvaluationFace] = [:], favouriteTopic: String? = nil) {
        self.faces = faces
        self.favouriteTopic = favouriteTopic
    }
}

/// Counts for one series or several (an offer): responses, per question and face, per favourite topic.
public struct EvaluationTally: Sendable, Equatable {
    public var responses = 0
    public var faces: [EvaluationQuestion: [EvaluationFace: Int]] = [:]
    public var topics: [String: Int] = [:]

    public init() {}

    public func count(_ question: EvaluationQuestion, _ face: EvaluationFace) -> Int { faces[question]?[face] ?? 0 }

    /// Responses that left the question empty.
    public func skipped(_ question: EvaluationQuestion) -> Int {
        max(0, responses - EvaluationFace.allCases.reduce(0) { $0 + count(question, $1) })
    }

    public mutating func add(_ submission: EvaluationSubmission) {
        responses += 1
        for (question, face) in submission.faces { faces[question, default: [:]][face, default: 0] += 1 }
        if let topic = submission.favouriteTopic { topics[topic, default: 0] += 1 }
    }

    public mutating func add(_ other: EvaluationTally) {
        responses += other.responses
        for (question, counts) in other.faces {
            for (face, n) in counts { faces[question, default: [:]][face, default: 0] += n }
        }
        for (topic, n) in other.topics { topics[topic, default: 0] += n }
    }
}

/// The tally as published: `nil` where a count is suppressed (small counts for policy officers).
public struct PublishedEvaluation: Sendable, Equatable {
    public struct Question: Sendable, Equatable {
        public let question: EvaluationQuestion
        /// In the order of `EvaluationFace.allCases`.
        public let counts: [EvaluationFace: Int?]
        public let skipped: Int?
    }
    public let responses: Int?
    public let questions: [Question]
    /// By topic code, sorted by code.
    public let topics: [(topic: String, count: Int?)]
    public let noTopic: Int?

    public static func == (a: PublishedEvaluation, b: PublishedEvaluation) -> Bool {
        a.responses == b.responses && a.questions == b.questions && a.noTopic == b.noTopic
            && a.topics.map(\.topic) == b.topics.map(\.topic) && a.topics.map(\.count) == b.topics.map(\.count)
    }
}

public enum GroupEvaluation {
    /// More answers than twice the series' capacity is a flood (a link passed around, a script), not the group.
    public static func answerLimit(maxSize: Int) -> Int { 2 * max(1, maxSize) }

    public static let facilitatorTextLimit = 2_000
    public static let ratings = 1...5

    /// The table with every relation a reader knows (each question's faces and "empty" add up to the responses;
    /// so do the topics and "none chosen"), published whole or through `SmallCountSuppression`.
    public static func publish(_ tally: EvaluationTally, topics: [String], suppress: Bool) -> PublishedEvaluation {
        var table = CountTable()
        let responses = table.cell(tally.responses)
        var questionCells: [(EvaluationQuestion, [EvaluationFace: Int], Int)] = []
        for question in EvaluationQuestion.allCases {
            var cells: [EvaluationFace: Int] = [:]
            for face in EvaluationFace.allCases { cells[face] = table.cell(tally.count(question, face)) }
            let skipped = table.cell(tally.skipped(question))
            table.sum(responses, equals: EvaluationFace.allCases.map { cells[$0]! } + [skipped])
            questionCells.append((question, cells, skipped))
        }
        let allTopics = Array(Set(topics).union(tally.topics.keys)).sorted()
        let topicCells = allTopics.map { table.cell(tally.topics[$0] ?? 0) }
        let chosen = tally.topics.values.reduce(0, +)
        let none = table.cell(max(0, tally.responses - chosen))
        table.sum(responses, equals: topicCells + [none])
        let values: [Int?] = suppress ? SmallCountSuppression.publish(table) : table.values.map { Optional($0) }
        return PublishedEvaluation(
            responses: values[responses],
            questions: questionCells.map { question, cells, skipped in
                PublishedEvaluation.Question(question: question, counts: cells.mapValues { values[$0] }, skipped: values[skipped])
            },
            topics: zip(allTopics, topicCells).map { ($0, values[$1]) },
            noTopic: values[none])
    }
}

/// The parents' texts of the evaluation, in the group's language. Written for parents: warm, plain, no marks or
/// judging words (R31). Dutch, English, Arabic, Tigrinya, Ukrainian, Persian and Somali are written out; any other
/// language (Amharic, …) shows the Dutch text (marked `lang="nl"`) beside the faces, which carry the meaning on their own.
public struct EvaluationTexts: Sendable {
    public let language: String
    public let title: String
    public let intro: String
    public let anonymous: String
    public let questions: [EvaluationQuestion: String]
    public let faces: [EvaluationFace: String]
    public let favourite: String
    public let favouriteNone: String
    public let meeting: String
    public let send: String
    public let thanks: String
    public let thanksMore: String
    public let closed: String
    public let full: String
    public let unknown: String
    public let languageLabel: String

    public var dir: String { Languages.rightToLeft.contains(language) ? "rtl" : "ltr" }

    /// The languages written out here.
    public static let languages = ["nl", "en", "ar", "ti", "uk", "fa", "so"]

    /// Each written-out language in its own name (the form's language switch).
    public static let names: [(code: String, name: String)] = [
        ("nl", "Nederlands"), ("en", "English"), ("ar", "العربية"), ("ti", "ትግርኛ"), ("uk", "Українська"), ("fa", "فارسی"), ("so", "Soomaali"),
    ]

    /// The texts for `language`, or Dutch when they are not written out for it.
    public static func texts(_ language: String) -> EvaluationTexts {
        switch InvitationText.writtenLanguage(for: language) ?? "nl" {
        case "en": return english
        case "ar": return arabic
        case "ti": return tigrinya
        case "uk": return ukrainian
        case "fa": return persian
        case "so": return somali
        default: return dutch
        }
    }

    static let dutch = EvaluationTexts(
        language: "nl",
        title: "Wat vond u van de groep?",
        intro: "Dank u wel dat u naar de groep kwam. We willen graag weten wat u ervan vond, zodat de groep nog beter wordt. Kies bij elke vraag een gezichtje. U mag een vraag ook overslaan.",
        anonymous: "U geeft geen naam. We bewaren niets over u of uw telefoon.",
        questions: [
            .learned: "Heeft u tips of informatie gekregen die u kunt gebruiken?",
            .knowWhere: "Weet u nu beter waar u terecht kunt met vragen over uw kind?",
            .atHome: "Voelde u zich thuis in de groep?",
            .recommend: "Zou u andere ouders vertellen dat ze ook moeten komen?",
        ],
        faces: [.yes: "Ja", .aLittle: "Een beetje", .no: "Nee"],
        favourite: "Welke bijeenkomst vond u het fijnst?",
        favouriteNone: "Weet ik niet",
        meeting: "Bijeenkomst",
        send: "Versturen",
        thanks: "Dank u wel!",
        thanksMore: "Uw antwoorden zijn binnen. Fijn dat u er was.",
        closed: "Deze vragenlijst is gesloten. Dank u wel voor uw tijd.",
        full: "Er zijn al genoeg antwoorden binnen voor deze groep. Dank u wel!",
        unknown: "Deze link werkt niet. Vraag de begeleider van de groep om de goede link.",
        languageLabel: "Taal")

    static let english = EvaluationTexts(
        language: "en",
        title: "What did you think of the group?",
        intro: "Thank you for coming to the group. We would like to know what you thought of it, so the group gets even better. Choose a face for each question. You may also skip a question.",
        anonymous: "You do not give your name. We keep nothing about you or your phone.",
        questions: [
            .learned: "Did you get tips or information you can use?",
            .knowWhere: "Do you know better now where to go with questions about your child?",
            .atHome: "Did you feel at home in the group?",
            .recommend: "Would you tell other parents to come too?",
        ],
        faces: [.yes: "Yes", .aLittle: "A little", .no: "No"],
        favourite: "Which meeting did you like most?",
        favouriteNone: "I don't know",
        meeting: "Meeting",
        send: "Send",
        thanks: "Thank you!",
        thanksMore: "Your answers have arrived. We are glad you came.",
        closed: "This questionnaire is closed. Thank you for your time.",
        full: "We already have enough answers for this group. Thank you!",
        unknown: "This link does not work. Ask the group's trainer for the right link.",
        languageLabel: "Language")

    static let arabic = EvaluationTexts(
        language: "ar",
        title: "ما رأيك في المجموعة؟",
        intro: "شكرًا لأنك جئت إلى المجموعة. نودّ أن نعرف رأيك لكي تصبح المجموعة أفضل. اختر وجهًا لكل سؤال. يمكنك أيضًا ترك أي سؤال.",
        anonymous: "لا تكتب اسمك. لا نحتفظ بأي شيء عنك أو عن هاتفك.",
        questions: [
            .learned: "هل حصلت على نصائح أو معلومات يمكنك استخدامها؟",
            .knowWhere: "هل تعرف الآن بشكل أفضل إلى أين تتوجّه بأسئلتك عن طفلك؟",
            .atHome: "هل شعرت بالراحة في المجموعة؟",
            .recommend: "هل ستقول لآباء وأمهات آخرين أن يأتوا أيضًا؟",
        ],
        faces: [.yes: "نعم", .aLittle: "قليلًا", .no: "لا"],
        favourite: "أي لقاء أعجبك أكثر؟",
        favouriteNone: "لا أعرف",
        meeting: "اللقاء",
        send: "إرسال",
        thanks: "شكرًا لك!",
        thanksMore: "وصلتنا إجاباتك. سعدنا بحضورك.",
        closed: "هذا الاستبيان مغلق. شكرًا لوقتك.",
        full: "لدينا ما يكفي من الإجابات لهذه المجموعة. شكرًا لك!",
        unknown: "هذا الرابط لا يعمل. اطلب الرابط الصحيح من مدرّب المجموعة.",
        languageLabel: "اللغة")

    /// Tigrinya (Ge'ez script), in the polite plural a parent is addressed with.
    static let tigrinya = EvaluationTexts(
        language: "ti",
        title: "እቲ ጉጅለ ከመይ ረኺብኩምዎ?",
        intro: "ናብቲ ጉጅለ ስለ ዝመጻእኩም የቐንየልና። እቲ ጉጅለ ንኽመሓየሽ፣ ርእይቶኹም ክንፈልጥ ንደሊ። ኣብ ነፍሲ ወከፍ ሕቶ ሓደ ገጽ ምረጹ። ሕቶ ክትሓልፍዎ እውን ትኽእሉ ኢኹም።",
        anonymous: "ስምኩም ኣይትጽሕፉን። ብዛዕባኹም ወይ ብዛዕባ ተሌፎንኩም ዝኾነ ነገር ኣይንዕቅብን።",
        questions: [
            .learned: "ክትጥቀሙሉ እትኽእሉ ምኽሪ ወይ ሓበሬታ ረኺብኩም ዶ?",
            .knowWhere: "ብዛዕባ ቆልዓኹም ሕቶ እንተሃልዩኩም፣ ናበይ ከም እትኸዱ ሕጂ ዝበለጸ ትፈልጡ ዶ?",
            .atHome: "ኣብቲ ጉጅለ ከም ኣብ ገዛኹም ተሰሚዑኩም ዶ?",
            .recommend: "ንካልኦት ወለዲ እውን ክመጹ ክትመኽርዎም ዶ ኢኹም?",
        ],
        faces: [.yes: "እወ", .aLittle: "ቁሩብ", .no: "ኣይፋል"],
        favourite: "ካብቶም ርክባት እየናይ ኣዝዩ ኣሕጒሱኩም?",
        favouriteNone: "ኣይፈልጥን",
        meeting: "ርክብ",
        send: "ስደዱ",
        thanks: "የቐንየልና!",
        thanksMore: "መልስታትኩም በጺሑና። ብምምጻእኩም ተሓጒስና።",
        closed: "እዚ ሕቶታት ተዓጽዩ እዩ። ንግዜኹም የቐንየልና።",
        full: "ነዚ ጉጅለ እኹል መልስታት በጺሑና እዩ። የቐንየልና!",
        unknown: "እዚ መላግቦ ኣይሰርሕን እዩ። ንመራሒ ናይቲ ጉጅለ ቅኑዕ መላግቦ ሕተትዎ።",
        languageLabel: "ቋንቋ")

    static let ukrainian = EvaluationTexts(
        language: "uk",
        title: "Як вам група?",
        intro: "Дякуємо, що ви приходили до групи. Ми хочемо знати вашу думку, щоб група стала ще кращою. Виберіть обличчя для кожного запитання. Запитання можна й пропустити.",
        anonymous: "Ви не пишете свого імені. Ми нічого не зберігаємо про вас чи ваш телефон.",
        questions: [
            .learned: "Чи отримали ви поради або інформацію, які можете використати?",
            .knowWhere: "Чи знаєте ви тепер краще, куди звернутися із запитаннями про вашу дитину?",
            .atHome: "Чи почувалися ви в групі як удома?",
            .recommend: "Чи порадили б ви іншим батькам теж прийти?",
        ],
        faces: [.yes: "Так", .aLittle: "Трохи", .no: "Ні"],
        favourite: "Яка зустріч сподобалася вам найбільше?",
        favouriteNone: "Не знаю",
        meeting: "Зустріч",
        send: "Надіслати",
        thanks: "Дякуємо!",
        thanksMore: "Ваші відповіді надійшли. Добре, що ви були з нами.",
        closed: "Це опитування закрите. Дякуємо за ваш час.",
        full: "Для цієї групи вже досить відповідей. Дякуємо!",
        unknown: "Це посилання не працює. Попросіть у тренера групи правильне посилання.",
        languageLabel: "Мова")

    /// Plain Persian (right to left), as Dari-speaking parents read it too.
    static let persian = EvaluationTexts(
        language: "fa",
        title: "نظر شما دربارهٔ گروه چیست؟",
        intro: "از اینکه به گروه آمدید سپاسگزاریم. دوست داریم نظر شما را بدانیم تا گروه بهتر شود. برای هر سؤال یک چهره را انتخاب کنید. می‌توانید از هر سؤالی هم بگذرید.",
        anonymous: "نام خود را نمی‌نویسید. ما هیچ چیزی دربارهٔ شما یا تلفن شما نگه نمی‌داریم.",
        questions: [
            .learned: "آیا نکته‌ها یا اطلاعاتی گرفتید که بتوانید از آن‌ها استفاده کنید؟",
            .knowWhere: "آیا حالا بهتر می‌دانید برای سؤال‌هایتان دربارهٔ فرزندتان به کجا مراجعه کنید؟",
            .atHome: "آیا در گروه احساس راحتی کردید؟",
            .recommend: "آیا به پدران و مادران دیگر می‌گویید که آن‌ها هم بیایند؟",
        ],
        faces: [.yes: "بله", .aLittle: "کمی", .no: "نه"],
        favourite: "کدام جلسه را بیشتر از همه دوست داشتید؟",
        favouriteNone: "نمی‌دانم",
        meeting: "جلسه",
        send: "فرستادن",
        thanks: "سپاسگزاریم!",
        thanksMore: "پاسخ‌های شما رسید. خوشحالیم که آمدید.",
        closed: "این پرسشنامه بسته شده است. از وقتی که گذاشتید سپاسگزاریم.",
        full: "برای این گروه به اندازهٔ کافی پاسخ رسیده است. سپاسگزاریم!",
        unknown: "این پیوند کار نمی‌کند. پیوند درست را از مربی گروه بخواهید.",
        languageLabel: "زبان")
    /// Plain Somali (Latin script), warm and simple.
    static let somali = EvaluationTexts(
        language: "so",
        title: "Sidee baad u aragtay kooxda?",
        intro: "Waad ku mahadsan tahay inaad timid kooxda. Waxaan jeclaan lahayn inaan ogaanno fikradaada, si kooxdu u sii fiicnaato. Su'aal kasta weji u dooro. Su'aal waad ka boodi kartaa.",
        anonymous: "Magacaaga ma qortid. Waxba kama kaydinno adiga ama taleefankaaga.",
        questions: [
            .learned: "Ma heshay talooyin ama macluumaad aad isticmaali karto?",
            .knowWhere: "Hadda ma si fiican u garanaysaa meesha aad u tagi karto marka aad su'aalo ka qabto ilmahaaga?",
            .atHome: "Kooxda dhexdeeda ma ku dareentay sidii adigoo gurigaaga jooga?",
            .recommend: "Ma u sheegi lahayd waalidiin kale inay iyaguna yimaadaan?",
        ],
        faces: [.yes: "Haa", .aLittle: "Wax yar", .no: "Maya"],
        favourite: "Kulankee baad ugu jeclayd?",
        favouriteNone: "Ma garanayo",
        meeting: "Kulan",
        send: "Dir",
        thanks: "Mahadsanid!",
        thanksMore: "Jawaabahaagii waa na soo gaareen. Waan ku faraxsanahay inaad timid.",
        closed: "Su'aalahan waa la xiray. Waad ku mahadsan tahay waqtigaaga.",
        full: "Kooxdan jawaabo ku filan ayaa hore noo soo gaaray. Mahadsanid!",
        unknown: "Linkigan ma shaqaynayo. Tababaraha kooxda weydii linkiga saxda ah.",
        languageLabel: "Luqadda")
}
