import Foundation

/// A JSON value with the distinctions JSON Schema makes: `true` is not `1`, `1.0` is an integer, `null` is a value.
/// Decoded with `JSONDecoder`, which refuses a number where a Bool is asked and the reverse (unlike
/// `JSONSerialization`, whose `NSNumber` blurs them on Linux).
indirect enum JSONValue: Codable, Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Double.self) { self = .number(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSONValue].self) { self = .array(value) }
        else { self = .object(try container.decode([String: JSONValue].self)) }
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .number(let value):
            if value.rounded() == value, abs(value) < 1e15 { try container.encode(Int64(value)) } else { try container.encode(value) }
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    /// The value as JSON text (for a request body built from an answer).
    var jsonText: String { String(decoding: (try? JSONEncoder().encode(self)) ?? Data("null".utf8), as: UTF8.self) }

    static func parse(_ data: Data) throws -> JSONValue { try JSONDecoder().decode(JSONValue.self, from: data) }
    static func parse(_ text: String) throws -> JSONValue { try parse(Data(text.utf8)) }

    subscript(key: String) -> JSONValue? {
        if case .object(let members) = self { return members[key] }
        return nil
    }

    var objectValue: [String: JSONValue]? { if case .object(let value) = self { return value }; return nil }
    var arrayValue: [JSONValue]? { if case .array(let value) = self { return value }; return nil }
    var stringValue: String? { if case .string(let value) = self { return value }; return nil }
    var numberValue: Double? { if case .number(let value) = self { return value }; return nil }
    var boolValue: Bool? { if case .bool(let value) = self { return value }; return nil }

    /// The JSON Schema type names this value has (an integral number is both "integer" and "number").
    var typeNames: Set<String> {
        switch self {
        case .null: return ["null"]
        case .bool: return ["boolean"]
        case .number(let value): return value.rounded() == value && value.isFinite ? ["number", "integer"] : ["number"]
        case .string: return ["string"]
        case .array: return ["array"]
        case .object: return ["object"]
        }
    }

    var description: String {
        switch self {
        case .null: return "null"
        case .bool(let value): return String(value)
        case .number(let value): return value.rounded() == value && abs(value) < 1e15 ? String(Int64(value)) : String(value)
        case .string(let value): return "\"\(value.prefix(60))\""
        case .array(let items): return "[\(items.count) items]"
        case .object(let members): return "{\(members.keys.sorted().prefix(8).joined(separator: ","))}"
        }
    }
}

/// Validates JSON against the subset of JSON Schema 2020-12 that `/openapi.json` uses: `type` (one or a list, with
/// "null"), `properties`, `required`, `additionalProperties` (bool or schema), `minProperties`/`maxProperties`,
/// `items`, `minItems`/`maxItems`/`uniqueItems`,
/// `enum`, `const`, `format` (uuid, date, date-time, email, uri), `minLength`/`maxLength`, `pattern`,
/// `minimum`/`maximum` and their exclusive forms, `oneOf`/`anyOf`/`allOf`, and `$ref` to `#/components/schemas/…`.
/// A keyword outside that subset is itself an error, so the document cannot rely on a rule nobody checks.
struct JSONSchemaValidator {
    /// `components.schemas` of the document, for `$ref`.
    let schemas: [String: JSONValue]

    init(document: JSONValue) {
        schemas = document["components"]?["schemas"]?.objectValue ?? [:]
    }

    init(schemas: [String: JSONValue] = [:]) {
        self.schemas = schemas
    }

    /// Words that describe and constrain nothing.
    static let annotations: Set<String> = ["description", "title", "examples", "example", "default", "deprecated",
                                          "readOnly", "writeOnly", "$comment", "discriminator"]
    static let keywords: Set<String> = ["type", "properties", "required", "additionalProperties", "items", "minItems",
                                       "maxItems", "uniqueItems", "minProperties", "maxProperties", "enum", "const", "format", "minLength", "maxLength",
                                       "pattern", "minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum",
                                       "oneOf", "anyOf", "allOf", "$ref"]
    static let formats: Set<String> = ["uuid", "date", "date-time", "email", "uri"]

    /// Every way `value` breaks `schema`, each as "path: problem"; empty when it conforms.
    func errors(_ value: JSONValue, _ schema: JSONValue, at path: String = "$") -> [String] {
        var errors: [String] = []
        validate(value, schema, at: path, into: &errors, depth: 0)
        return errors
    }

    func isValid(_ value: JSONValue, _ schema: JSONValue) -> Bool { errors(value, schema).isEmpty }

    /// Every keyword, format or `$ref` in the schemas of `document` (components, request bodies, parameters and
    /// responses) that this validator would not check, each with its location; empty when it checks them all.
    func unsupported(in document: JSONValue) -> [String] {
        var problems: [String] = []
        for (name, schema) in schemas { walk(schema, at: "#/components/schemas/\(name)", into: &problems) }
        func visit(_ value: JSONValue, _ path: String) {
            switch value {
            case .object(let members):
                for (key, member) in members {
                    if key == "schema" { walk(member, at: "\(path)/schema", into: &problems) } else { visit(member, "\(path)/\(key)") }
                }
            case .array(let items):
                for (index, item) in items.enumerated() { visit(item, "\(path)/\(index)") }
            default: break
            }
        }
        visit(document["paths"] ?? .null, "#/paths")
        return problems
    }

    private func walk(_ schema: JSONValue, at path: String, into problems: inout [String]) {
        guard let rules = schema.objectValue else {
            if schema.boolValue == nil { problems.append("\(path): not a schema") }
            return
        }
        for key in rules.keys where !Self.keywords.contains(key) && !Self.annotations.contains(key) && !key.hasPrefix("x-") {
            problems.append("\(path): keyword \(key)")
        }
        if let format = rules["format"]?.stringValue, !Self.formats.contains(format) { problems.append("\(path): format \(format)") }
        if let reference = rules["$ref"]?.stringValue {
            let prefix = "#/components/schemas/"
            if !reference.hasPrefix(prefix) || schemas[String(reference.dropFirst(prefix.count))] == nil {
                problems.append("\(path): $ref \(reference)")
            }
        }
        for (name, property) in rules["properties"]?.objectValue ?? [:] { walk(property, at: "\(path)/properties/\(name)", into: &problems) }
        for key in ["items", "additionalProperties"] {
            if let sub = rules[key], sub.boolValue == nil { walk(sub, at: "\(path)/\(key)", into: &problems) }
        }
        for key in ["oneOf", "anyOf", "allOf"] {
            for (index, sub) in (rules[key]?.arrayValue ?? []).enumerated() { walk(sub, at: "\(path)/\(key)/\(index)", into: &problems) }
        }
    }

    private func validate(_ value: JSONValue, _ schema: JSONValue, at path: String, into errors: inout [String], depth: Int) {
        if case .bool(let allowed) = schema {
            if !allowed { errors.append("\(path): no value is allowed here") }
            return
        }
        guard let rules = schema.objectValue else { errors.append("\(path): the schema is not an object"); return }
        guard depth < 64 else { errors.append("\(path): $ref nests too deep"); return }
        for key in rules.keys where !Self.keywords.contains(key) && !Self.annotations.contains(key) && !key.hasPrefix("x-") {
            errors.append("\(path): the validator does not know the keyword \(key)")
        }

        if let reference = rules["$ref"] {
            let prefix = "#/components/schemas/"
            guard let text = reference.stringValue, text.hasPrefix(prefix), let target = schemas[String(text.dropFirst(prefix.count))] else {
                errors.append("\(path): unresolvable $ref \(reference)")
                return
            }
            validate(value, target, at: path, into: &errors, depth: depth + 1)
        }

        if let type = rules["type"] {
            let allowed: Set<String>
            switch type {
            case .string(let name): allowed = [name]
            case .array(let names): allowed = Set(names.compactMap(\.stringValue))
            default: allowed = []; errors.append("\(path): type must be a name or a list of names")
            }
            if allowed.isDisjoint(with: value.typeNames) {
                errors.append("\(path): \(value) is not of type \(allowed.sorted().joined(separator: "|"))")
                return
            }
        }
        if let options = rules["enum"] {
            if !(options.arrayValue ?? []).contains(value) { errors.append("\(path): \(value) is not one of the allowed values") }
        }
        if let constant = rules["const"], constant != value { errors.append("\(path): \(value) is not \(constant)") }

        switch value {
        case .string(let text): checkString(text, rules, at: path, into: &errors)
        case .number(let number): checkNumber(number, rules, at: path, into: &errors)
        case .array(let items):
            if let minimum = rules["minItems"]?.numberValue, Double(items.count) < minimum {
                errors.append("\(path): fewer than \(Int(minimum)) items")
            }
            if let maximum = rules["maxItems"]?.numberValue, Double(items.count) > maximum {
                errors.append("\(path): more than \(Int(maximum)) items")
            }
            if rules["uniqueItems"]?.boolValue == true {
                for (index, item) in items.enumerated() where items[..<index].contains(item) {
                    errors.append("\(path)[\(index)]: repeats an earlier item")
                }
            }
            if let itemSchema = rules["items"] {
                for (index, item) in items.enumerated() {
                    validate(item, itemSchema, at: "\(path)[\(index)]", into: &errors, depth: depth)
                }
            }
        case .object(let members):
            let properties = rules["properties"]?.objectValue ?? [:]
            if let minimum = rules["minProperties"]?.numberValue, Double(members.count) < minimum {
                errors.append("\(path): fewer than \(Int(minimum)) members")
            }
            if let maximum = rules["maxProperties"]?.numberValue, Double(members.count) > maximum {
                errors.append("\(path): more than \(Int(maximum)) members")
            }
            for name in rules["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where members[name] == nil {
                errors.append("\(path): the required property \(name) is missing")
            }
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                if let propertySchema = properties[name] {
                    validate(member, propertySchema, at: "\(path).\(name)", into: &errors, depth: depth)
                } else if let additional = rules["additionalProperties"] {
                    if additional == .bool(false) {
                        errors.append("\(path): the property \(name) is not in the schema")
                    } else {
                        validate(member, additional, at: "\(path).\(name)", into: &errors, depth: depth)
                    }
                }
            }
        case .null, .bool:
            break
        }

        if let options = rules["oneOf"]?.arrayValue {
            let matching = options.filter { errorsOf(value, $0, path, depth).isEmpty }.count
            if matching != 1 { errors.append("\(path): matches \(matching) of the oneOf schemas, not exactly 1") }
        }
        if let options = rules["anyOf"]?.arrayValue, !options.contains(where: { errorsOf(value, $0, path, depth).isEmpty }) {
            errors.append("\(path): matches none of the anyOf schemas"
                          + (options.first.map { " (first: \(errorsOf(value, $0, path, depth).prefix(3).joined(separator: "; ")))" } ?? ""))
        }
        for option in rules["allOf"]?.arrayValue ?? [] {
            validate(value, option, at: path, into: &errors, depth: depth + 1)
        }
    }

    private func errorsOf(_ value: JSONValue, _ schema: JSONValue, _ path: String, _ depth: Int) -> [String] {
        var errors: [String] = []
        validate(value, schema, at: path, into: &errors, depth: depth + 1)
        return errors
    }

    private func checkString(_ text: String, _ rules: [String: JSONValue], at path: String, into errors: inout [String]) {
        let length = text.count
        if let minimum = rules["minLength"]?.numberValue, Double(length) < minimum {
            errors.append("\(path): shorter than \(Int(minimum)) characters")
        }
        if let maximum = rules["maxLength"]?.numberValue, Double(length) > maximum {
            errors.append("\(path): longer than \(Int(maximum)) characters")
        }
        if let pattern = rules["pattern"]?.stringValue {
            if let regex = try? NSRegularExpression(pattern: pattern) {
                let range = NSRange(text.startIndex..., in: text)
                if regex.firstMatch(in: text, range: range) == nil { errors.append("\(path): \"\(text.prefix(40))\" does not match \(pattern)") }
            } else {
                errors.append("\(path): the pattern \(pattern) is not a valid regular expression")
            }
        }
        if let format = rules["format"]?.stringValue {
            guard Self.formats.contains(format) else { errors.append("\(path): the validator does not know the format \(format)"); return }
            if !Self.matches(text, format: format) { errors.append("\(path): \"\(text.prefix(40))\" is not a \(format)") }
        }
    }

    private func checkNumber(_ number: Double, _ rules: [String: JSONValue], at path: String, into errors: inout [String]) {
        if let minimum = rules["minimum"]?.numberValue, number < minimum { errors.append("\(path): \(number) is below \(minimum)") }
        if let maximum = rules["maximum"]?.numberValue, number > maximum { errors.append("\(path): \(number) is above \(maximum)") }
        if let minimum = rules["exclusiveMinimum"]?.numberValue, number <= minimum { errors.append("\(path): \(number) is not above \(minimum)") }
        if let maximum = rules["exclusiveMaximum"]?.numberValue, number >= maximum { errors.append("\(path): \(number) is not below \(maximum)") }
    }

    /// RFC 3339 / RFC 4122 shapes, checked strictly (a date must exist on the calendar).
    static func matches(_ text: String, format: String) -> Bool {
        switch format {
        case "uuid":
            return text.count == 36 && UUID(uuidString: text) != nil
        case "date":
            return isDate(text)
        case "date-time":
            // full-date "T" full-time: HH:MM:SS, optional fraction, then Z or ±HH:MM.
            let pattern = #"^(\d{4}-\d{2}-\d{2})[Tt]([01]\d|2[0-3]):[0-5]\d:([0-5]\d|60)(\.\d+)?([Zz]|[+-]([01]\d|2[0-3]):[0-5]\d)$"#
            guard text.range(of: pattern, options: .regularExpression) != nil else { return false }
            return isDate(String(text.prefix(10)))
        case "email":
            let pattern = #"^[^@\s]+@[^@\s]+\.[^@\s]+$"#
            return text.range(of: pattern, options: .regularExpression) != nil
        case "uri":
            guard let components = URLComponents(string: text), let scheme = components.scheme, !scheme.isEmpty else { return false }
            return text.range(of: #"^[A-Za-z][A-Za-z0-9+.-]*:"#, options: .regularExpression) != nil
        default:
            return false
        }
    }

    private static func isDate(_ text: String) -> Bool {
        guard text.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) != nil else { return false }
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3, (1...12).contains(parts[1]), parts[2] >= 1 else { return false }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        guard let date = calendar.date(from: DateComponents(year: parts[0], month: parts[1], day: 1)),
              let days = calendar.range(of: .day, in: .month, for: date) else { return false }
        return days.contains(parts[2])
    }
}
