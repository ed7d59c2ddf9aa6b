import Foundation

/// Bad planner input, naming the record (`parents[p4]`, `facilitators[3]`, `rules`) and the field.
public struct GroupPlanInputError: Error, Equatable, Sendable, CustomStringConvertible {
    public var record: String
    public var field: String
    public var message: String
    public init(record: String, field: String, message: String) {
        self.record = record
        self.field = field
        self.message = message
    }
    public var description: String { "\(record).\(field): \(message)" }
}

extension GroupPlanInput {
    /// Reads the planner's JSON by hand rather than through `JSONDecoder`, so that every mistake names its record
    /// and field in words a coordinator can act on (a decoder's coding path and type names do not), and so that a
    /// misspelt field is refused instead of silently ignored. The result is also `validate()`d.
    public static func parse(json data: Data) throws(GroupPlanInputError) -> GroupPlanInput {
        let document: JSONValue
        do {
            document = try JSONValue.parse(data)
        } catch {
            throw GroupPlanInputError(record: "input", field: "(document)", message: "is not valid JSON")
        }
        guard case .object(let root) = document else {
            throw GroupPlanInputError(record: "input", field: "(document)", message: "must be a JSON object")
        }
        let reader = Reader(record: "input", object: root)
        try reader.onlyKeys(["rules", "parents", "facilitators", "existing"])
        var rules = GroupPlanRules()
        if let rulesObject = try reader.optionalObject("rules") {
            let r = Reader(record: "rules", object: rulesObject)
            try r.onlyKeys(["minSize", "maxSize"])
            rules.minSize = try r.optionalInt("minSize") ?? rules.minSize
            rules.maxSize = try r.optionalInt("maxSize") ?? rules.maxSize
        }
        var parents: [WaitingParent] = []
        for (index, item) in try reader.array("parents").enumerated() {
            let r = try Reader.record("parents", index, item)
            try r.onlyKeys(["id", "languages", "audience", "mixedOk", "times", "online", "districts"])
            parents.append(WaitingParent(
                id: try r.string("id"), languages: try r.strings("languages"),
                audience: try r.code("audience", Audience.self), mixedOk: try r.optionalBool("mixedOk") ?? false,
                times: try r.codes("times", TimeOfDay.self), online: try r.optionalBool("online") ?? false,
                districts: try r.optionalStrings("districts") ?? []))
        }
        var facilitators: [Facilitator] = []
        for (index, item) in try reader.array("facilitators").enumerated() {
            let r = try Reader.record("facilitators", index, item)
            try r.onlyKeys(["id", "role", "languages", "times", "maxSeries"])
            facilitators.append(Facilitator(
                id: try r.string("id"), role: try r.code("role", FacilitatorRole.self),
                languages: try r.optionalStrings("languages") ?? [], times: try r.codes("times", TimeOfDay.self),
                maxSeries: try r.int("maxSeries")))
        }
        var existing: [ExistingSeries] = []
        for (index, item) in try reader.optionalArray("existing").enumerated() {
            let r = try Reader.record("existing", index, item)
            try r.onlyKeys(["id", "language", "audience", "time", "place", "trainer", "keyPerson", "parents"])
            existing.append(ExistingSeries(
                id: try r.string("id"), language: try r.string("language"),
                audience: try r.code("audience", Audience.self), time: try r.code("time", TimeOfDay.self),
                place: try r.string("place"), trainer: try r.string("trainer"),
                keyPerson: try r.string("keyPerson"), parents: try r.optionalStrings("parents") ?? []))
        }
        let input = GroupPlanInput(rules: rules, parents: parents, facilitators: facilitators, existing: existing)
        try input.validate()
        return input
    }

    /// The rules a plan relies on; the first problem found, in input order, is thrown.
    public func validate() throws(GroupPlanInputError) {
        func fail(_ record: String, _ field: String, _ message: String) -> GroupPlanInputError {
            GroupPlanInputError(record: record, field: field, message: message)
        }
        guard rules.minSize >= 1 else { throw fail("rules", "minSize", "must be at least 1 (it is \(rules.minSize))") }
        guard rules.maxSize >= rules.minSize else {
            throw fail("rules", "maxSize", "must not be below minSize (\(rules.maxSize) < \(rules.minSize))")
        }
        guard rules.maxSize <= 1_000 else { throw fail("rules", "maxSize", "must be at most 1000") }

        var parentIDs = Set<String>()
        for (index, parent) in parents.enumerated() {
            let record = Self.recordName("parents", index, parent.id)
            try Self.checkID(parent.id, record)
            guard parentIDs.insert(parent.id).inserted else { throw fail(record, "id", "duplicate id") }
            try Self.checkLanguages(parent.languages, record, required: true)
            guard !parent.times.isEmpty else { throw fail(record, "times", "must name at least one time of day") }
            guard Set(parent.times).count == parent.times.count else { throw fail(record, "times", "lists a time twice") }
            for district in parent.districts { try Self.checkDistrict(district, record, "districts") }
            guard Set(parent.districts).count == parent.districts.count else {
                throw fail(record, "districts", "lists a district twice")
            }
        }
        var facilitatorIDs: [String: Facilitator] = [:]
        for (index, facilitator) in facilitators.enumerated() {
            let record = Self.recordName("facilitators", index, facilitator.id)
            try Self.checkID(facilitator.id, record)
            guard facilitatorIDs[facilitator.id] == nil else { throw fail(record, "id", "duplicate id") }
            facilitatorIDs[facilitator.id] = facilitator
            try Self.checkLanguages(facilitator.languages, record, required: facilitator.role == .keyPerson)
            guard !facilitator.times.isEmpty else { throw fail(record, "times", "must name at least one time of day") }
            guard Set(facilitator.times).count == facilitator.times.count else {
                throw fail(record, "times", "lists a time twice")
            }
            guard facilitator.maxSeries >= 0 else { throw fail(record, "maxSeries", "must not be negative") }
            guard facilitator.maxSeries <= 1_000 else { throw fail(record, "maxSeries", "must be at most 1000") }
        }
        var seriesIDs = Set<String>()
        var inSeries: [String: String] = [:]
        var led: [String: Int] = [:]
        for (index, series) in existing.enumerated() {
            let record = Self.recordName("existing", index, series.id)
            try Self.checkID(series.id, record)
            guard seriesIDs.insert(series.id).inserted else { throw fail(record, "id", "duplicate id") }
            try Self.checkLanguages([series.language], record, required: true, field: "language")
            if series.place != onlinePlace { try Self.checkDistrict(series.place, record, "place") }
            guard let trainer = facilitatorIDs[series.trainer] else {
                throw fail(record, "trainer", "names no facilitator of the input")
            }
            guard trainer.role == .trainer else { throw fail(record, "trainer", "is a key person, not a trainer") }
            guard trainer.times.contains(series.time) else {
                throw fail(record, "trainer", "does not work in the \(series.time.rawValue)")
            }
            guard let key = facilitatorIDs[series.keyPerson] else {
                throw fail(record, "keyPerson", "names no facilitator of the input")
            }
            guard key.role == .keyPerson else { throw fail(record, "keyPerson", "is a trainer, not a key person") }
            guard key.languages.contains(series.language) else {
                throw fail(record, "keyPerson", "does not speak the series' language \(series.language)")
            }
            guard key.times.contains(series.time) else {
                throw fail(record, "keyPerson", "does not work in the \(series.time.rawValue)")
            }
            for person in [trainer, key] {
                led[person.id, default: 0] += 1
                guard led[person.id]! <= person.maxSeries else {
                    throw fail(record, person.role == .trainer ? "trainer" : "keyPerson",
                               "leads more series than maxSeries (\(person.maxSeries)) allows")
                }
            }
            guard series.parents.count <= rules.maxSize else {
                throw fail(record, "parents", "has \(series.parents.count) participants, above maxSize \(rules.maxSize)")
            }
            for parent in series.parents {
                try Self.checkID(parent, record, field: "parents")
                if let other = inSeries[parent] {
                    throw fail(record, "parents", "parent \(parent) is already a participant of series \(other)")
                }
                inSeries[parent] = series.id
            }
        }
    }

    static func recordName(_ list: String, _ index: Int, _ id: String) -> String {
        let printable = !id.isEmpty && id.count <= 100 && id.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0 != "]" }
        return printable ? "\(list)[\(id)]" : "\(list)[\(index)]"
    }

    private static func checkID(_ id: String, _ record: String, field: String = "id") throws(GroupPlanInputError) {
        guard !id.isEmpty else { throw GroupPlanInputError(record: record, field: field, message: "must not be empty") }
        guard id.count <= 100, id.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
            throw GroupPlanInputError(record: record, field: field,
                                      message: "must be at most 100 printable characters")
        }
    }

    private static func checkLanguages(_ codes: [String], _ record: String, required: Bool,
                                       field: String = "languages") throws(GroupPlanInputError) {
        if required && codes.isEmpty {
            throw GroupPlanInputError(record: record, field: field, message: "must name at least one language")
        }
        for code in codes where !Languages.isKnown(code) {
            throw GroupPlanInputError(record: record, field: field,
                                      message: "unknown language code '\(code.prefix(20))' (ISO 639-1, else 639-3)")
        }
        if Set(codes).count != codes.count {
            throw GroupPlanInputError(record: record, field: field, message: "lists a language twice")
        }
    }

    /// Districts are the municipality's own codes: letters, digits, `-` and `_`, at most 32; `online` is reserved.
    private static func checkDistrict(_ code: String, _ record: String,
                                      _ field: String) throws(GroupPlanInputError) {
        let allowed = !code.isEmpty && code.count <= 32
            && code.utf8.allSatisfy { byte in
                (byte >= 0x30 && byte <= 0x39) || (byte | 0x20 >= 0x61 && byte | 0x20 <= 0x7A) || byte == 0x2D || byte == 0x5F
            }
        guard allowed else {
            throw GroupPlanInputError(record: record, field: field,
                                      message: "'\(code.prefix(32))' is not a district code (letters, digits, - and _)")
        }
        guard code != onlinePlace else {
            throw GroupPlanInputError(record: record, field: field,
                                      message: "'online' is not a district: set online to true instead")
        }
    }
}

/// A JSON document as values, so that `true` is never read as 1 nor 1 as `true`.
enum JSONValue {
    case null, bool(Bool), number(Double), string(String), array([JSONValue]), object([String: JSONValue])

    struct Malformed: Error {}

    /// A small strict parser over the UTF-8 bytes (RFC 8259): Foundation's JSONSerialization and JSONDecoder
    /// take seconds on a waiting list of 100,000 parents on Linux; this takes a fraction of that.
    static func parse(_ data: Data) throws(Malformed) -> JSONValue {
        var parser = JSONBytes(bytes: [UInt8](data))
        parser.skipSpace()
        let value = try parser.value(depth: 0)
        parser.skipSpace()
        guard parser.index == parser.bytes.count else { throw Malformed() }
        return value
    }
}

private struct JSONBytes {
    let bytes: [UInt8]
    var index = 0

    mutating func skipSpace() {
        while index < bytes.count, bytes[index] == 0x20 || bytes[index] == 0x0A || bytes[index] == 0x0D || bytes[index] == 0x09 {
            index += 1
        }
    }

    mutating func value(depth: Int) throws(JSONValue.Malformed) -> JSONValue {
        guard depth < 64, index < bytes.count else { throw .init() }
        switch bytes[index] {
        case UInt8(ascii: "{"):
            index += 1
            var object: [String: JSONValue] = [:]
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "}") { index += 1; return .object(object) }
            while true {
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw .init() }
                let key = try string()
                skipSpace()
                guard index < bytes.count, bytes[index] == UInt8(ascii: ":") else { throw .init() }
                index += 1
                skipSpace()
                object[key] = try value(depth: depth + 1)
                skipSpace()
                guard index < bytes.count else { throw .init() }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "}") { index += 1; return .object(object) }
                throw .init()
            }
        case UInt8(ascii: "["):
            index += 1
            var array: [JSONValue] = []
            skipSpace()
            if index < bytes.count, bytes[index] == UInt8(ascii: "]") { index += 1; return .array(array) }
            while true {
                skipSpace()
                array.append(try value(depth: depth + 1))
                skipSpace()
                guard index < bytes.count else { throw .init() }
                if bytes[index] == UInt8(ascii: ",") { index += 1; continue }
                if bytes[index] == UInt8(ascii: "]") { index += 1; return .array(array) }
                throw .init()
            }
        case UInt8(ascii: "\""):
            return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        default:
            return .number(try number())
        }
    }

    mutating func literal(_ word: String) throws(JSONValue.Malformed) {
        let expected = Array(word.utf8)
        guard index + expected.count <= bytes.count, Array(bytes[index..<(index + expected.count)]) == expected else {
            throw .init()
        }
        index += expected.count
    }

    mutating func number() throws(JSONValue.Malformed) -> Double {
        let start = index
        if index < bytes.count, bytes[index] == UInt8(ascii: "-") { index += 1 }
        func digits(_ parser: inout JSONBytes) -> Int {
            let from = parser.index
            while parser.index < parser.bytes.count, parser.bytes[parser.index] >= 0x30, parser.bytes[parser.index] <= 0x39 {
                parser.index += 1
            }
            return parser.index - from
        }
        guard digits(&self) > 0 else { throw .init() }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard digits(&self) > 0 else { throw .init() }
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard digits(&self) > 0 else { throw .init() }
        }
        guard let value = Double(String(decoding: bytes[start..<index], as: UTF8.self)) else { throw .init() }
        return value
    }

    mutating func string() throws(JSONValue.Malformed) -> String {
        index += 1   // the opening quote
        let start = index
        // Fast path: no escapes.
        while index < bytes.count, bytes[index] != UInt8(ascii: "\""), bytes[index] != UInt8(ascii: "\\") {
            guard bytes[index] >= 0x20 else { throw .init() }
            index += 1
        }
        guard index < bytes.count else { throw .init() }
        if bytes[index] == UInt8(ascii: "\"") {
            defer { index += 1 }
            return try validUTF8(bytes[start..<index])
        }
        var scalars = [UInt8](bytes[start..<index])
        while true {
            guard index < bytes.count else { throw .init() }
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") { index += 1; return try validUTF8(scalars[...]) }
            guard byte >= 0x20 else { throw .init() }
            if byte != UInt8(ascii: "\\") { scalars.append(byte); index += 1; continue }
            index += 1
            guard index < bytes.count else { throw .init() }
            let escape = bytes[index]
            index += 1
            switch escape {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scalars.append(escape)
            case UInt8(ascii: "b"): scalars.append(0x08)
            case UInt8(ascii: "f"): scalars.append(0x0C)
            case UInt8(ascii: "n"): scalars.append(0x0A)
            case UInt8(ascii: "r"): scalars.append(0x0D)
            case UInt8(ascii: "t"): scalars.append(0x09)
            case UInt8(ascii: "u"):
                var code = try hex4()
                if code >= 0xD800 && code < 0xDC00 {
                    guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                        throw .init()
                    }
                    index += 2
                    let low = try hex4()
                    guard low >= 0xDC00 && low < 0xE000 else { throw .init() }
                    code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                } else if code >= 0xDC00 && code < 0xE000 {
                    throw .init()
                }
                guard let scalar = Unicode.Scalar(code) else { throw .init() }
                scalars += Array(String(Character(scalar)).utf8)
            default:
                throw .init()
            }
        }
    }

    mutating func hex4() throws(JSONValue.Malformed) -> UInt32 {
        guard index + 4 <= bytes.count else { throw .init() }
        var code: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            index += 1
            let digit: UInt32
            switch byte {
            case 0x30...0x39: digit = UInt32(byte - 0x30)
            case 0x41...0x46: digit = UInt32(byte - 0x41 + 10)
            case 0x61...0x66: digit = UInt32(byte - 0x61 + 10)
            default: throw .init()
            }
            code = code << 4 | digit
        }
        return code
    }

    func validUTF8(_ slice: ArraySlice<UInt8>) throws(JSONValue.Malformed) -> String {
        guard let string = String(validating: slice, as: UTF8.self) else { throw .init() }
        return string
    }
}

/// Reads one JSON object's fields with errors that name the record and field.
private struct Reader {
    let record: String
    let object: [String: JSONValue]

    static func record(_ list: String, _ index: Int, _ item: JSONValue) throws(GroupPlanInputError) -> Reader {
        guard case .object(let object) = item else {
            throw GroupPlanInputError(record: "\(list)[\(index)]", field: "(record)", message: "must be a JSON object")
        }
        var id = ""
        if case .string(let value)? = object["id"] { id = value }
        return Reader(record: GroupPlanInput.recordName(list, index, id), object: object)
    }

    private func fail(_ field: String, _ message: String) -> GroupPlanInputError {
        GroupPlanInputError(record: record, field: field, message: message)
    }

    func onlyKeys(_ keys: Set<String>) throws(GroupPlanInputError) {
        if let unknown = object.keys.sorted().first(where: { !keys.contains($0) }) {
            throw fail(String(unknown.prefix(40)), "unknown field (expected one of: \(keys.sorted().joined(separator: ", ")))")
        }
    }

    private func present(_ key: String) -> JSONValue? {
        guard let value = object[key] else { return nil }
        if case .null = value { return nil }
        return value
    }

    func string(_ key: String) throws(GroupPlanInputError) -> String {
        guard let value = present(key) else { throw fail(key, "is missing") }
        guard case .string(let string) = value else { throw fail(key, "must be a string") }
        return string
    }

    func optionalInt(_ key: String) throws(GroupPlanInputError) -> Int? {
        guard let value = present(key) else { return nil }
        guard case .number(let double) = value, double.rounded() == double, abs(double) < 1e9 else {
            throw fail(key, "must be a whole number")
        }
        return Int(double)
    }

    func int(_ key: String) throws(GroupPlanInputError) -> Int {
        guard let value = try optionalInt(key) else { throw fail(key, "is missing") }
        return value
    }

    func optionalBool(_ key: String) throws(GroupPlanInputError) -> Bool? {
        guard let value = present(key) else { return nil }
        guard case .bool(let bool) = value else { throw fail(key, "must be true or false") }
        return bool
    }

    func optionalStrings(_ key: String) throws(GroupPlanInputError) -> [String]? {
        guard let value = present(key) else { return nil }
        guard case .array(let array) = value else { throw fail(key, "must be an array of strings") }
        var strings: [String] = []
        for item in array {
            guard case .string(let string) = item else { throw fail(key, "must be an array of strings") }
            strings.append(string)
        }
        return strings
    }

    func strings(_ key: String) throws(GroupPlanInputError) -> [String] {
        guard let value = try optionalStrings(key) else { throw fail(key, "is missing") }
        return value
    }

    func code<C: VocabularyCode>(_ key: String, _ type: C.Type) throws(GroupPlanInputError) -> C {
        let raw = try string(key)
        guard let code = C(rawValue: raw) else {
            throw fail(key, "unknown \(C.vocabularyName) '\(raw.prefix(20))' (use \(C.allCodes.joined(separator: ", ")))")
        }
        return code
    }

    func codes<C: VocabularyCode>(_ key: String, _ type: C.Type) throws(GroupPlanInputError) -> [C] {
        var result: [C] = []
        for raw in try strings(key) {
            guard let code = C(rawValue: raw) else {
                throw fail(key, "unknown \(C.vocabularyName) '\(raw.prefix(20))' (use \(C.allCodes.joined(separator: ", ")))")
            }
            result.append(code)
        }
        return result
    }

    func array(_ key: String) throws(GroupPlanInputError) -> [JSONValue] {
        guard let value = present(key) else { throw fail(key, "is missing") }
        guard case .array(let array) = value else { throw fail(key, "must be an array") }
        return array
    }

    func optionalArray(_ key: String) throws(GroupPlanInputError) -> [JSONValue] {
        guard present(key) != nil else { return [] }
        return try array(key)
    }

    func optionalObject(_ key: String) throws(GroupPlanInputError) -> [String: JSONValue]? {
        guard let value = present(key) else { return nil }
        guard case .object(let object) = value else { throw fail(key, "must be a JSON object") }
        return object
    }
}
