import Foundation
import WegwijsCore

/// Words the problems of the family forms so that each names the field and the person it is about ("Vul de voornaam
/// van ouder 2 in.", "Onbekende taal: 'Klingon'. …"): a form with six people on it cannot say "Vul dit veld in.".
/// The sentences are `familyError.<code>` in the locale files, with `{field}`, `{person}`, `{value}` and `{max}`.
struct FamilyFormErrors {
    let catalog: LocaleCatalog
    let locale: StaffLocale
    let today: CalendarDate

    /// Where an error belongs: the form's field id, the field's own name, who it is about, and what was sent.
    struct Place {
        let formField: String
        let field: String
        let person: String
        let member: MemberDraft?
    }

    static let languageFields: Set<String> = ["languagesSpoken", "languagesRead"]

    /// One message per form field, in the order the problems came; unknown languages of one field in one message.
    func messages(_ errors: [FieldError], place: (FieldError) -> Place) -> [(field: String, message: String)] {
        var order: [String] = []
        var found: [String: (place: Place, code: String, values: [String])] = [:]
        for error in errors {
            let where_ = place(error)
            var code = error.code
            if code == "unknown-code", Self.languageFields.contains(where_.field) { code = "unknown-language" }
            // A year after this one is a year in the future, and says so.
            if code == "year-invalid", let year = where_.member?.birthYear, year > today.year { code = "future-date" }
            let value = Self.entry(error.field, where_)
            if var known = found[where_.formField] {
                if known.code == code, let value, !known.values.contains(value) {
                    known.values.append(value)
                    found[where_.formField] = known
                }
                continue
            }
            order.append(where_.formField)
            found[where_.formField] = (where_, code, value.map { [$0] } ?? [])
        }
        return order.compactMap { field in
            found[field].map { (field: field, message: message($0.code, $0.place, values: $0.values)) }
        }
    }

    func message(_ code: String, _ place: Place, values: [String] = []) -> String {
        let plain = catalog.text("error.\(code)", locale)
        guard catalog.has("familyField.\(place.field)", locale) else { return plain }
        let field = catalog.text("familyField.\(place.field)", locale)
        let key = catalog.has("familyError.\(code)", locale) ? "familyError.\(code)" : "familyError.other"
        // What staff typed is quoted, never more than a few words of it (a pasted page is not repeated back).
        let quoted = values.prefix(5).map { value in
            "'" + (value.count > 40 ? String(value.prefix(40)) + "…" : value) + "'"
        }.joined(separator: ", ")
        return catalog.text(key, locale)
            .replacingOccurrences(of: "{Field}", with: Self.capitalised(field))
            .replacingOccurrences(of: "{field}", with: field)
            .replacingOccurrences(of: "{Person}", with: Self.capitalised(place.person))
            .replacingOccurrences(of: "{person}", with: place.person)
            .replacingOccurrences(of: "{value}", with: quoted)
            .replacingOccurrences(of: "{max}", with: String(Self.maxLength(place.field)))
            .replacingOccurrences(of: "{message}", with: plain)
    }

    /// "ouder 2", "kind 1" on the registration form.
    func slotPerson(_ role: MemberRole, number: Int) -> String {
        catalog.text(role == .parent ? "familyPerson.parent" : "familyPerson.child", locale)
            .replacingOccurrences(of: "{n}", with: String(number))
    }

    /// The member form is about one person: their first name when it was given, else "this family member".
    func memberPerson(_ givenName: String) -> String {
        let name = givenName.trimmed
        return (1...40).contains(name.count) ? name : catalog.text("familyPerson.member", locale)
    }

    var householdPerson: String { catalog.text("familyPerson.household", locale) }

    /// The language entry an error is about (`languagesSpoken[1]` → the second entry sent).
    private static func entry(_ path: String, _ place: Place) -> String? {
        guard languageFields.contains(place.field), let member = place.member,
              let open = path.lastIndex(of: "["), let close = path.lastIndex(of: "]"), open < close,
              let index = Int(path[path.index(after: open)..<close]) else { return nil }
        let list = place.field == "languagesSpoken" ? member.languagesSpoken : member.languagesRead
        return list.indices.contains(index) ? list[index] : nil
    }

    static func maxLength(_ field: String) -> Int {
        switch field {
        case "name", "givenName", "familyName": FamilyValidation.maxNameLength
        case "languagesSpoken", "languagesRead": LanguagePicker.maxTextLength
        default: FamilyValidation.maxTextLength
        }
    }

    static func capitalised(_ text: String) -> String { text.prefix(1).uppercased() + text.dropFirst() }
}
