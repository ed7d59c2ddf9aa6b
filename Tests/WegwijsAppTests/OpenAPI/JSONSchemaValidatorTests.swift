import Foundation
import Testing

/// The validator that checks every API answer against `/openapi.json` is itself tested: each keyword accepts what
/// it should and rejects what it should, so a passing contract test means something.
@Suite("JSON Schema validator")
struct JSONSchemaValidatorTests {
    private func schema(_ text: String) throws -> JSONValue { try JSONValue.parse(text) }
    private func value(_ text: String) throws -> JSONValue { try JSONValue.parse(text) }
    private func valid(_ json: String, _ schemaText: String, schemas: [String: String] = [:]) throws -> Bool {
        let validator = JSONSchemaValidator(schemas: try schemas.mapValues { try JSONValue.parse($0) })
        return validator.isValid(try value(json), try schema(schemaText))
    }

    @Test("type: one name, a list with null, integer versus number, boolean is not a number")
    func types() throws {
        #expect(try valid(#""a""#, #"{"type":"string"}"#))
        #expect(try !valid("1", #"{"type":"string"}"#))
        #expect(try valid("null", #"{"type":["string","null"]}"#))
        #expect(try !valid("null", #"{"type":"string"}"#))
        #expect(try valid("3", #"{"type":"integer"}"#))
        #expect(try valid("3.0", #"{"type":"integer"}"#))
        #expect(try !valid("3.5", #"{"type":"integer"}"#))
        #expect(try valid("3.5", #"{"type":"number"}"#))
        #expect(try !valid("true", #"{"type":"integer"}"#))
        #expect(try !valid("1", #"{"type":"boolean"}"#))
        #expect(try valid("false", #"{"type":"boolean"}"#))
        #expect(try !valid("{}", #"{"type":"array"}"#))
        #expect(try !valid("[]", #"{"type":"object"}"#))
    }

    @Test("objects: required, properties, additionalProperties false or a schema")
    func objects() throws {
        let person = #"{"type":"object","required":["id"],"properties":{"id":{"type":"string","format":"uuid"},"age":{"type":"integer","minimum":0}},"additionalProperties":false}"#
        #expect(try valid(#"{"id":"5f1d3a2c-8b4e-4c1a-9d7e-0a1b2c3d4e5f"}"#, person))
        #expect(try !valid(#"{"age":3}"#, person))
        #expect(try !valid(#"{"id":"5f1d3a2c-8b4e-4c1a-9d7e-0a1b2c3d4e5f","age":-1}"#, person))
        #expect(try !valid(#"{"id":"5f1d3a2c-8b4e-4c1a-9d7e-0a1b2c3d4e5f","name":"x"}"#, person))
        let map = #"{"type":"object","additionalProperties":{"type":"string"}}"#
        #expect(try valid(#"{"a":"x","b":"y"}"#, map))
        #expect(try !valid(#"{"a":1}"#, map))
        #expect(try !valid("{}", #"{"type":"object","minProperties":1}"#))
        #expect(try !valid(#"{"a":1,"b":2}"#, #"{"type":"object","maxProperties":1}"#))
        // Without additionalProperties, unknown members are allowed.
        #expect(try valid(#"{"x":1}"#, #"{"type":"object","properties":{}}"#))
    }

    @Test("arrays: items, minItems, maxItems, uniqueItems")
    func arrays() throws {
        let codes = #"{"type":"array","items":{"type":"string","enum":["a","b"]},"minItems":1,"maxItems":2,"uniqueItems":true}"#
        #expect(try valid(#"["a","b"]"#, codes))
        #expect(try !valid(#"["a","c"]"#, codes))
        #expect(try !valid("[]", codes))
        #expect(try !valid(#"["a","b","a"]"#, codes))
        #expect(try !valid(#"["a","a"]"#, codes))
    }

    @Test("enum and const compare whole values (1 is not true, null must be listed)")
    func enumAndConst() throws {
        #expect(try valid(#""open""#, #"{"enum":["open","closed"]}"#))
        #expect(try !valid(#""shut""#, #"{"enum":["open","closed"]}"#))
        #expect(try !valid("null", #"{"type":["string","null"],"enum":["open"]}"#))
        #expect(try valid("null", #"{"type":["string","null"],"enum":["open",null]}"#))
        #expect(try !valid("1", #"{"enum":[true]}"#))
        #expect(try valid("3", #"{"const":3}"#))
        #expect(try !valid("4", #"{"const":3}"#))
    }

    @Test("formats: uuid, date (a real day), date-time (RFC 3339), email, uri")
    func formats() throws {
        #expect(try valid(#""5F1D3A2C-8B4E-4C1A-9D7E-0A1B2C3D4E5F""#, #"{"type":"string","format":"uuid"}"#))
        #expect(try !valid(#""5f1d3a2c8b4e4c1a9d7e0a1b2c3d4e5f""#, #"{"type":"string","format":"uuid"}"#))
        #expect(try valid(#""2024-02-29""#, #"{"type":"string","format":"date"}"#))
        #expect(try !valid(#""2023-02-29""#, #"{"type":"string","format":"date"}"#))
        #expect(try !valid(#""2024-13-01""#, #"{"type":"string","format":"date"}"#))
        #expect(try !valid(#""1-2-2024""#, #"{"type":"string","format":"date"}"#))
        #expect(try valid(#""2026-11-18T11:00:00Z""#, #"{"type":"string","format":"date-time"}"#))
        #expect(try valid(#""2026-11-18T11:00:00.123+01:00""#, #"{"type":"string","format":"date-time"}"#))
        #expect(try !valid(#""2026-11-18 11:00""#, #"{"type":"string","format":"date-time"}"#))
        #expect(try !valid(#""2026-11-18""#, #"{"type":"string","format":"date-time"}"#))
        #expect(try valid(#""a@b.nl""#, #"{"type":"string","format":"email"}"#))
        #expect(try !valid(#""a.b.nl""#, #"{"type":"string","format":"email"}"#))
        #expect(try valid(#""https://example.org/x""#, #"{"type":"string","format":"uri"}"#))
        #expect(try !valid(#""/relative""#, #"{"type":"string","format":"uri"}"#))
        // A format the validator does not know is an error, not a silent pass.
        #expect(try !valid(#""x""#, #"{"type":"string","format":"hostname"}"#))
        // Formats only constrain strings.
        #expect(try valid("3", #"{"type":["string","integer"],"format":"uuid"}"#))
    }

    @Test("lengths, patterns and ranges")
    func bounds() throws {
        #expect(try valid(#""abc""#, #"{"type":"string","minLength":1,"maxLength":3}"#))
        #expect(try !valid(#""""#, #"{"type":"string","minLength":1}"#))
        #expect(try !valid(#""abcd""#, #"{"type":"string","maxLength":3}"#))
        #expect(try valid(#""09:30""#, #"{"type":"string","pattern":"^\\d{2}:\\d{2}$"}"#))
        #expect(try !valid(#""9:30""#, #"{"type":"string","pattern":"^\\d{2}:\\d{2}$"}"#))
        #expect(try valid("60", #"{"type":"integer","minimum":1,"maximum":60}"#))
        #expect(try !valid("61", #"{"type":"integer","minimum":1,"maximum":60}"#))
        #expect(try !valid("0", #"{"type":"integer","minimum":1}"#))
        #expect(try !valid("0", #"{"type":"number","exclusiveMinimum":0}"#))
        #expect(try !valid("10", #"{"type":"number","exclusiveMaximum":10}"#))
    }

    @Test("oneOf needs exactly one match, anyOf at least one, allOf every one")
    func combinations() throws {
        let oneOf = #"{"oneOf":[{"type":"integer"},{"type":"number"}]}"#
        #expect(try valid("1.5", oneOf))
        #expect(try !valid("1", oneOf)) // both match
        #expect(try !valid(#""x""#, oneOf))
        let anyOf = ##"{"anyOf":[{"type":"null"},{"$ref":"#/components/schemas/Id"}]}"##
        let id = #"{"type":"string","format":"uuid"}"#
        #expect(try valid("null", anyOf, schemas: ["Id": id]))
        #expect(try valid(#""5f1d3a2c-8b4e-4c1a-9d7e-0a1b2c3d4e5f""#, anyOf, schemas: ["Id": id]))
        #expect(try !valid(#""nope""#, anyOf, schemas: ["Id": id]))
        #expect(try !valid("2", #"{"allOf":[{"type":"integer"},{"minimum":3}]}"#))
    }

    @Test("$ref resolves components, nests, and an unknown one is an error")
    func references() throws {
        let schemas = ["Page": ##"{"type":"object","required":["items"],"properties":{"items":{"type":"array","items":{"$ref":"#/components/schemas/Item"}}}}"##,
                       "Item": #"{"type":"object","required":["n"],"properties":{"n":{"type":"integer"}},"additionalProperties":false}"#]
        #expect(try valid(##"{"items":[{"n":1},{"n":2}]}"##, ##"{"$ref":"#/components/schemas/Page"}"##, schemas: schemas))
        #expect(try !valid(##"{"items":[{"n":1},{"m":2}]}"##, ##"{"$ref":"#/components/schemas/Page"}"##, schemas: schemas))
        #expect(try !valid("{}", ##"{"$ref":"#/components/schemas/Missing"}"##))
        // A self-referencing schema stops rather than looping forever.
        #expect(try !valid("{}", ##"{"$ref":"#/components/schemas/Loop"}"##, schemas: ["Loop": ##"{"$ref":"#/components/schemas/Loop"}"##]))
    }

    @Test("an unknown keyword is an error; annotations and boolean schemas are understood")
    func keywords() throws {
        #expect(try !valid("1", #"{"type":"integer","multipleOf":2}"#))
        #expect(try valid("1", #"{"type":"integer","description":"a count","examples":[1]}"#))
        #expect(try valid("1", "true"))
        #expect(try !valid("1", "false"))
    }

    @Test("unsupported(in:) finds keywords, formats and references nested anywhere in a document")
    func unsupportedKeywords() throws {
        let document = try JSONValue.parse(#"""
            {"paths":{"/x":{"get":{"responses":{"200":{"content":{"application/json":{"schema":
              {"type":"object","properties":{"a":{"type":"array","items":{"type":"string","format":"hostname"}}}}}}}}}}},
             "components":{"schemas":{"A":{"type":"object","properties":{"b":{"oneOf":[{"type":"integer","multipleOf":2},
               {"$ref":"#/components/schemas/Gone"}]}}},"B":{"type":"string","minLength":1}}}}
            """#)
        let problems = JSONSchemaValidator(document: document).unsupported(in: document)
        #expect(problems.count == 3, "\(problems)")
        #expect(problems.contains { $0.contains("format hostname") })
        #expect(problems.contains { $0.contains("keyword multipleOf") })
        #expect(problems.contains { $0.contains("$ref #/components/schemas/Gone") })
    }

    @Test("errors name the path of the offending value")
    func paths() throws {
        let validator = JSONSchemaValidator()
        let errors = validator.errors(try value(#"{"a":[{"b":"x"}]}"#),
                                      try schema(#"{"type":"object","properties":{"a":{"type":"array","items":{"type":"object","properties":{"b":{"type":"integer"}}}}}}"#))
        #expect(errors.count == 1)
        #expect(errors.first?.hasPrefix("$.a[0].b:") == true)
    }
}
