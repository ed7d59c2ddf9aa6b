import Crypto
import Foundation
import WegwijsCore

/// Offers as Open Referral HSDS 3.0 `service` records (vocabulary.md, "HSDS mapping"). Wegwijs' own attributes
/// travel as HSDS `attributes` pointing at terms of the taxonomy `wegwijs`, whose code is `<attribute>/<code>`;
/// numbers and flags ride in the attribute's `value`. Ids of nested records are derived from the offer's id, so
/// exporting the same catalogue twice gives the same document (and import → export round-trips).
enum HSDS {
    static let taxonomy = "wegwijs"

    struct Organisation {
        let id: UUID
        let name: String
        let description: String
    }

    // MARK: export

    static func service(id: UUID, active: Bool, offer: OfferDraft, organisation: Organisation,
                        municipalityCode: String) -> [String: Any] {
        let key = id.uuidString.lowercased()
        func child(_ role: String) -> String { derivedID(key + "/" + role) }
        var service: [String: Any] = [
            "id": key,
            "name": offer.name,
            "description": offer.description,
            "status": active ? "active" : "inactive",
            "organization_id": organisation.id.uuidString.lowercased(),
            "organization": ["id": organisation.id.uuidString.lowercased(), "name": organisation.name,
                             "description": organisation.description],
        ]
        if let low = offer.minimumAge { service["minimum_age"] = low }
        if let high = offer.maximumAge { service["maximum_age"] = high }
        if let url = offer.url { service["url"] = url }
        if let email = offer.contactEmail { service["email"] = email }
        if let checked = offer.lastChecked { service["assured_date"] = checked }
        service["languages"] = offer.languages.map { ["id": child("language/\($0)"), "code": $0] }
        var bridges: [String] = []
        if offer.bridgeInterpreter { bridges.append("interpreter") }
        if offer.bridgeKeyPerson { bridges.append("key person") }
        if !bridges.isEmpty { service["interpretation_services"] = "Other languages with: " + bridges.joined(separator: ", ") }
        service["service_areas"] = offer.serviceAreas.contains(ServiceArea.nationwide.rawValue)
            ? [["id": child("area/NL"), "extent": "NL", "extent_type": "text"]]
            : [["id": child("area/\(municipalityCode)"), "extent": municipalityCode, "extent_type": "text"]]
        service["service_at_locations"] = offer.locations.enumerated().map { index, location -> [String: Any] in
            var place: [String: Any] = ["id": child("location/\(index)"), "location_type": "physical"]
            if let name = location.name { place["name"] = name }
            if let latitude = location.latitude { place["latitude"] = latitude }
            if let longitude = location.longitude { place["longitude"] = longitude }
            if location.address != nil || location.postcode != nil {
                place["addresses"] = [["id": child("address/\(index)"), "address_1": location.address ?? "",
                                       "city": location.city ?? "", "state_province": "", "postal_code": location.postcode ?? "",
                                       "country": "NL", "address_type": "physical"]]
            }
            return ["id": child("service_at_location/\(index)"), "location": place]
        }
        if !offer.days.isEmpty || offer.opensAt != nil || offer.frequency != nil {
            var schedule: [String: Any] = ["id": child("schedule")]
            switch offer.frequency {
            case "weekly": schedule["freq"] = "WEEKLY"
            case "fortnightly": schedule["freq"] = "WEEKLY"; schedule["interval"] = 2
            case "monthly": schedule["freq"] = "MONTHLY"
            default: break
            }
            if !offer.days.isEmpty { schedule["byday"] = offer.days.joined(separator: ",") }
            if let opens = offer.opensAt { schedule["opens_at"] = opens }
            if let closes = offer.closesAt { schedule["closes_at"] = closes }
            if let from = offer.activeFrom { schedule["valid_from"] = from }
            if let until = offer.activeUntil { schedule["valid_to"] = until }
            if let note = offer.frequencyNote { schedule["description"] = note }
            service["schedules"] = [schedule]
        }
        var cost: [String: Any] = ["id": child("cost"), "currency": "EUR", "amount": offer.cost ?? 0]
        if let note = offer.costNote { cost["option"] = note }
        service["cost_options"] = [cost]
        if let name = offer.contactName {
            var contact: [String: Any] = ["id": child("contact"), "name": name]
            if let email = offer.contactEmail { contact["email"] = email }
            service["contacts"] = [contact]
        }
        if let phone = offer.contactPhone { service["phones"] = [["id": child("phone"), "number": phone]] }
        service["attributes"] = attributes(of: offer).map { code, value -> [String: Any] in
            var attribute: [String: Any] = ["id": child("attribute/\(code)"), "taxonomy_term_id": termID(code),
                                            "taxonomy_term": term(code)]
            if let value { attribute["value"] = value }
            return attribute
        }
        return service
    }

    /// The taxonomy term of a code: a stable id, the code, a readable name.
    static func term(_ code: String) -> [String: Any] {
        ["id": termID(code), "code": code, "name": code, "description": "Wegwijs attribute \(code)", "taxonomy": taxonomy]
    }

    static func termID(_ code: String) -> String { derivedID("\(taxonomy)/\(code)") }

    /// (code, value) pairs in a fixed order.
    static func attributes(of offer: OfferDraft) -> [(String, String?)] {
        var list: [(String, String?)] = []
        list += offer.themes.map { ("theme/\($0)", nil) }
        list += offer.forms.map { ("form/\($0)", nil) }
        list.append(("kind/\(offer.kind)", nil))
        list.append(("supportType/\(offer.supportType)", nil))
        list.append(("audience/\(offer.audience)", nil))
        if let phase = offer.phase { list.append(("phase/\(phase)", nil)) }
        list += offer.forSituations.map { ("for/\($0)", nil) }
        list += offer.suitsSituations.map { ("suits/\($0)", nil) }
        list += offer.excludesSituations.map { ("excludes/\($0)", nil) }
        list += offer.serviceAreas.map { ("area/\($0)", nil) }
        if offer.bridgeInterpreter { list.append(("bridge/interpreter", nil)) }
        if offer.bridgeKeyPerson { list.append(("bridge/key-person", nil)) }
        if offer.registrationRequired { list.append(("registration/required", nil)) }
        if offer.childcare { list.append(("childcare/provided", nil)) }
        if let capacity = offer.capacity { list.append(("capacity/places", String(capacity))) }
        if let free = offer.freePlaces { list.append(("capacity/free-places", String(free))) }
        list.append(("capacity/waiting-list", offer.waitingList ? "true" : "false"))
        if let sessions = offer.sessions { list.append(("sessions/count", String(sessions))) }
        if let frequency = offer.frequency { list.append(("frequency/\(frequency)", nil)) }
        if let evidence = offer.evidence { list.append(("evidence/\(evidence)", nil)) }
        if let until = offer.activeUntil { list.append(("active/until", until)) }
        if let from = offer.activeFrom { list.append(("active/from", from)) }
        list += offer.culture.map { ("culture/\($0)", nil) }
        // A Wegwijs extension (docs/catalogue.md): which budget pays for the offer (R41).
        if let funding = offer.funding { list.append(("funding/\(funding)", nil)) }
        return list
    }

    /// A UUID derived from a name (SHA-256, shaped as a version-5-style UUID).
    static func derivedID(_ name: String) -> String {
        var bytes = Array(SHA256.hash(data: Data(name.utf8)).prefix(16))
        bytes[6] = (bytes[6] & 0x0F) | 0x50
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        let hex = bytes.hexString
        let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
        return parts.joined(separator: "-")
    }

    // MARK: the Wegwijs extension: an offer's name and description in the parents' languages

    /// HSDS 3.0 has no field for a record's text in other languages; Wegwijs adds one (docs/catalogue.md):
    /// `"x_wegwijs_translations": [{"language": "ar", "name": "...", "description": "..."}]`.
    static let translationsKey = "x_wegwijs_translations"

    struct Translation: Sendable, Equatable {
        let language: String
        let name: String
        let description: String
    }

    /// The translations a record carries; one for a language the parents' place does not serve, or with an empty
    /// or too long text, is left out with a warning.
    static func translations(in json: Any) -> (texts: [Translation], issues: [FieldIssue]) {
        guard let list = (json as? [String: Any])?[translationsKey] else { return ([], []) }
        guard let items = list as? [Any] else {
            return ([], [FieldIssue(field: translationsKey, code: "translation-invalid", value: nil, outcome: .dropped)])
        }
        var texts: [Translation] = [], issues: [FieldIssue] = [], seen = Set<String>()
        for item in items {
            guard let object = item as? [String: Any], let language = object["language"] as? String else {
                issues.append(FieldIssue(field: translationsKey, code: "translation-invalid", value: nil, outcome: .dropped))
                continue
            }
            let field = "\(translationsKey).\(language)"
            guard language != "nl", Languages.parentLanguages.contains(language) else {
                issues.append(FieldIssue(field: field, code: "translation-language", value: String(language.prefix(20)), outcome: .dropped))
                continue
            }
            let name = ((object["name"] as? String) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            let description = ((object["description"] as? String) ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
            guard !name.isEmpty, !description.isEmpty, name.count <= OfferTranslation.nameLimit,
                  description.count <= OfferTranslation.descriptionLimit, seen.insert(language).inserted else {
                issues.append(FieldIssue(field: field, code: "translation-invalid", value: nil, outcome: .dropped))
                continue
            }
            texts.append(Translation(language: language, name: name, description: description))
        }
        return (texts, issues)
    }

    // MARK: import

    struct Record: Sendable {
        let id: UUID
        let active: Bool
        let offer: OfferDraft
        let organisationID: UUID?
        let organisationName: String?
        let organisationKind: String?
        /// Whether the record carries terms of the `wegwijs` taxonomy: another publisher's record does not, and then
        /// an existing offer keeps the classification the catalogue's editors gave it.
        let hasWegwijsAttributes: Bool
        /// What was left out or assumed while reading (per field; `CatalogExchange` adds the value checks).
        let issues: [FieldIssue]
    }

    /// A value the import did not take as it was, and what it did instead; the record itself is kept.
    struct FieldIssue: Sendable, Equatable {
        enum Outcome: String, Sendable {
            /// The value is left out.
            case dropped
            /// Wegwijs' default is used instead.
            case defaulted
            case truncated
            /// The offer waits for an editor to give it a theme (`OfferStatus.toClassify`).
            case toClassify
            /// The classification the offer already has in the catalogue stays.
            case kept
        }
        let field: String
        /// `import.why.<code>` in the locale files.
        let code: String
        /// The value at fault, as the file had it (never personal data: this is a catalogue of services).
        let value: String?
        let outcome: Outcome
    }

    /// Reads one service record. Fields Wegwijs does not use are ignored; what it uses is read leniently: a value
    /// Wegwijs cannot use is reported as a `FieldIssue` and left out. Only a record that is not an object, has no
    /// id or name, or whose references contradict each other is refused (`RecordError`).
    static func record(from json: Any) -> Result<Record, RecordError> {
        guard let service = json as? [String: Any] else { return .failure(.init(field: "", code: "not-object")) }
        guard let rawID = service["id"] as? String else { return .failure(.init(field: "id", code: "missing")) }
        // HSDS 3.0 ids are UUIDs; an id that is not one cannot be matched again on the next import.
        guard let id = UUID(uuidString: rawID) else { return .failure(.init(field: "id", code: "not-uuid")) }
        guard let name = (service["name"] as? String)?.trimmed, !name.isEmpty else {
            return .failure(.init(field: "name", code: "missing"))
        }
        var issues: [FieldIssue] = []
        func issue(_ field: String, _ code: String, _ value: Any?, _ outcome: FieldIssue.Outcome = .dropped) {
            issues.append(.init(field: field, code: code, value: value.map { "\($0)" }, outcome: outcome))
        }
        let status = service["status"] as? String
        if status == nil { issue("status", "required", nil, .defaulted) }
        var offer = OfferDraft(name: name, description: (service["description"] as? String) ?? "",
                               kind: "", supportType: "", audience: Audience.mixed.rawValue, languages: [])
        func integer(_ key: String) -> Int? {
            guard let raw = service[key], !(raw is NSNull) else { return nil }
            if let number = raw as? Int { return number }
            issue(key, "not-number", raw)
            return nil
        }
        offer.minimumAge = integer("minimum_age")
        offer.maximumAge = integer("maximum_age")
        offer.url = (service["url"] as? String)?.trimmed.nilIfEmpty
        offer.contactEmail = (service["email"] as? String)?.trimmed.nilIfEmpty
        offer.lastChecked = (service["assured_date"] as? String)?.nilIfEmpty
        offer.languages = (service["languages"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
        for (index, place) in (service["service_at_locations"] as? [[String: Any]] ?? []).enumerated() {
            guard let location = place["location"] as? [String: Any] else {
                return .failure(.init(field: "service_at_locations[\(index)].location", code: "broken-reference"))
            }
            let address = (location["addresses"] as? [[String: Any]])?.first
            func coordinate(_ key: String) -> Double? {
                guard let raw = location[key], !(raw is NSNull) else { return nil }
                if let number = raw as? Double { return number }
                issue("locations[\(index)].\(key)", "not-number", raw)
                return nil
            }
            offer.locations.append(OfferLocation(
                name: location["name"] as? String, address: (address?["address_1"] as? String)?.nilIfEmpty,
                postcode: (address?["postal_code"] as? String)?.trimmed.nilIfEmpty, city: (address?["city"] as? String)?.nilIfEmpty,
                latitude: coordinate("latitude"), longitude: coordinate("longitude")))
        }
        if let schedule = (service["schedules"] as? [[String: Any]])?.first {
            offer.days = (schedule["byday"] as? String)?.split(separator: ",").map { String($0).trimmed } ?? []
            offer.opensAt = (schedule["opens_at"] as? String).map { String($0.prefix(5)) }
            offer.closesAt = (schedule["closes_at"] as? String).map { String($0.prefix(5)) }
            offer.frequencyNote = schedule["description"] as? String
            if offer.activeFrom == nil { offer.activeFrom = schedule["valid_from"] as? String }
        }
        if let cost = (service["cost_options"] as? [[String: Any]])?.first {
            let amount = (cost["amount"] as? Double) ?? (cost["amount"] as? Int).map(Double.init)
            // Wegwijs counts in euros; an amount in another currency would tell parents the wrong price.
            if let currency = (cost["currency"] as? String)?.trimmed.nilIfEmpty, currency.uppercased() != "EUR", (amount ?? 0) != 0 {
                issue("cost", "currency", "\(amount.map { String($0) } ?? "") \(currency)")
            } else {
                offer.cost = (amount ?? 0) == 0 ? nil : amount
            }
            offer.costNote = cost["option"] as? String
        }
        if let contact = (service["contacts"] as? [[String: Any]])?.first { offer.contactName = contact["name"] as? String }
        if let phone = (service["phones"] as? [[String: Any]])?.first { offer.contactPhone = phone["number"] as? String }

        // Attributes of the wegwijs taxonomy; terms of other taxonomies are another publisher's and are skipped.
        var kind: String?, support: String?, wegwijs = false
        for (index, attribute) in (service["attributes"] as? [[String: Any]] ?? []).enumerated() {
            let term = attribute["taxonomy_term"] as? [String: Any]
            if term == nil, attribute["taxonomy_term_id"] != nil {
                return .failure(.init(field: "attributes[\(index)].taxonomy_term", code: "broken-reference"))
            }
            guard let term, (term["taxonomy"] as? String) == taxonomy || (term["code"] as? String)?.contains("/") == true,
                  let code = term["code"] as? String else { continue }
            if let id = attribute["taxonomy_term_id"] as? String, let termID = term["id"] as? String, id != termID {
                return .failure(.init(field: "attributes[\(index)].taxonomy_term_id", code: "broken-reference"))
            }
            wegwijs = true
            let parts = code.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { issue("attributes[\(index)]", "unknown-attribute", code); continue }
            let value = attribute["value"] as? String
            switch parts[0] {
            case "theme": offer.themes.append(parts[1])
            case "form": offer.forms.append(parts[1])
            case "kind": kind = parts[1]
            case "supportType": support = parts[1]
            case "audience": offer.audience = parts[1]
            case "phase": offer.phase = Int(parts[1]) ?? -1
            case "for": offer.forSituations.append(parts[1])
            case "suits": offer.suitsSituations.append(parts[1])
            case "excludes": offer.excludesSituations.append(parts[1])
            case "area": offer.serviceAreas.append(parts[1])
            case "bridge": if parts[1] == "interpreter" { offer.bridgeInterpreter = true } else { offer.bridgeKeyPerson = true }
            case "registration": offer.registrationRequired = true
            case "childcare": offer.childcare = true
            case "capacity":
                switch parts[1] {
                case "places": offer.capacity = value.flatMap { Int($0) } ?? -1
                case "free-places": offer.freePlaces = value.flatMap { Int($0) } ?? -1
                default: offer.waitingList = value == "true"
                }
            case "sessions": offer.sessions = value.flatMap { Int($0) } ?? 0
            case "frequency": offer.frequency = parts[1]
            case "evidence": offer.evidence = parts[1]
            case "active": if parts[1] == "until" { offer.activeUntil = value } else { offer.activeFrom = value }
            case "culture": offer.culture.append(parts[1])
            case "funding": offer.funding = parts[1]
            default: issue("attributes[\(index)]", "unknown-attribute", code)
            }
        }
        offer.kind = kind ?? OfferKind.formal.rawValue
        offer.supportType = support ?? SupportType.information.rawValue
        if offer.serviceAreas.isEmpty { offer.serviceAreas = [ServiceArea.municipality.rawValue] }

        let organisation = service["organization"] as? [String: Any]
        let organisationID = (service["organization_id"] as? String).flatMap(UUID.init(uuidString:))
        if let nestedID = (organisation?["id"] as? String).flatMap(UUID.init(uuidString:)), let organisationID,
           nestedID != organisationID {
            return .failure(.init(field: "organization_id", code: "broken-reference"))
        }
        return .success(Record(id: id, active: (status ?? "active") == "active", offer: offer,
                               organisationID: organisationID ?? (organisation?["id"] as? String).flatMap(UUID.init(uuidString:)),
                               organisationName: (organisation?["name"] as? String)?.trimmed.nilIfEmpty, organisationKind: kind,
                               hasWegwijsAttributes: wegwijs, issues: issues))
    }

    /// Makes a read record fit the catalogue's rules (`OfferValidation`) by leaving out, per field, what does not
    /// fit: a latitude of 100, a postcode that is not Dutch, an age of 100, a `javascript:` address (never stored),
    /// an unknown code. What is left passes `OfferValidation.validate`, except the themes and description an editor
    /// must still give (then the offer waits to be classified: `needsClassification`).
    static func fitted(_ input: OfferDraft) -> (offer: OfferDraft, issues: [FieldIssue]) {
        var offer = input
        var issues: [FieldIssue] = []
        func issue(_ field: String, _ code: String, _ value: Any?, _ outcome: FieldIssue.Outcome = .dropped) {
            issues.append(.init(field: field, code: code, value: value.map { "\($0)" }, outcome: outcome))
        }
        func known(_ list: inout [String], _ field: String, _ isKnown: (String) -> Bool) {
            var seen = Set<String>()
            list = list.filter { code in
                guard isKnown(code) else { issue(field, "unknown-code", code); return false }
                return seen.insert(code).inserted
            }
        }
        known(&offer.themes, "themes", Theme.isKnown)
        known(&offer.forms, "forms", OfferForm.isKnown)
        known(&offer.forSituations, "forSituations", Situation.isKnown)
        known(&offer.excludesSituations, "excludesSituations", Situation.isKnown)
        known(&offer.suitsSituations, "suitsSituations", Situation.isKnown)
        known(&offer.serviceAreas, "serviceAreas", ServiceArea.isKnown)
        known(&offer.days, "days", Weekday.isKnown)
        known(&offer.culture, "culture", CultureItem.isKnown)
        known(&offer.languages, "languages", Languages.isKnown)
        if offer.serviceAreas.isEmpty { offer.serviceAreas = [ServiceArea.municipality.rawValue] }
        if offer.languages.isEmpty {
            // A Dutch municipality's offer that names no language we know is given in Dutch; said, not hidden.
            issue("languages", "required", nil, .defaulted)
            offer.languages = ["nl"]
        }
        // The rest field by field; a fix never makes another field wrong, so two passes settle it.
        for _ in 0..<2 {
            for problem in OfferValidation.validate(offer) {
                let field = problem.field, code = problem.code
                switch field {
                case "name": issue(field, code, nil, .truncated); offer.name = String(offer.name.trimmed.prefix(200))
                case "description" where code == "too-long":
                    issue(field, code, nil, .truncated); offer.description = String(offer.description.prefix(4000))
                case "kind": issue(field, code, offer.kind, .defaulted); offer.kind = OfferKind.formal.rawValue
                case "supportType": issue(field, code, offer.supportType, .defaulted); offer.supportType = SupportType.information.rawValue
                case "audience": issue(field, code, offer.audience, .defaulted); offer.audience = Audience.mixed.rawValue
                case "phase": issue(field, code, offer.phase); offer.phase = nil
                case "frequency": issue(field, code, offer.frequency); offer.frequency = nil
                case "evidence": issue(field, code, offer.evidence); offer.evidence = nil
                case "funding": issue(field, code, offer.funding); offer.funding = nil
                case "minimumAge": issue(field, code, offer.minimumAge); offer.minimumAge = nil
                case "maximumAge":
                    if code == "age-range-upside-down" {
                        issue("minimumAge", code, offer.minimumAge); offer.minimumAge = nil
                    }
                    issue(field, code, offer.maximumAge); offer.maximumAge = nil
                case "capacity": issue(field, code, offer.capacity); offer.capacity = nil
                case "freePlaces": issue(field, code, offer.freePlaces); offer.freePlaces = nil
                case "sessions": issue(field, code, offer.sessions); offer.sessions = nil
                case "cost": issue(field, code, offer.cost); offer.cost = nil
                case "url": issue(field, code, offer.url); offer.url = nil
                case "contactEmail": issue(field, code, offer.contactEmail); offer.contactEmail = nil
                case "opensAt": issue(field, code, offer.opensAt); offer.opensAt = nil
                case "closesAt": issue(field, code, offer.closesAt); offer.closesAt = nil
                case "activeFrom": issue(field, code, offer.activeFrom); offer.activeFrom = nil
                case "activeUntil": issue(field, code, offer.activeUntil); offer.activeUntil = nil
                case "lastChecked": issue(field, code, offer.lastChecked); offer.lastChecked = nil
                default:
                    // locations[i].postcode / .latitude / .longitude: one coordinate without the other is no place.
                    guard field.hasPrefix("locations["), let close = field.firstIndex(of: "]"),
                          let index = Int(field[field.index(field.startIndex, offsetBy: 10)..<close]),
                          offer.locations.indices.contains(index) else { continue }
                    if field.hasSuffix(".postcode") {
                        issue(field, code, offer.locations[index].postcode); offer.locations[index].postcode = nil
                    } else if field.hasSuffix(".latitude") || field.hasSuffix(".longitude") {
                        let location = offer.locations[index]
                        if field.hasSuffix(".latitude") { issue(field, code, location.latitude) } else { issue(field, code, location.longitude) }
                        offer.locations[index].latitude = nil
                        offer.locations[index].longitude = nil
                    }
                }
            }
        }
        if offer.themes.isEmpty { issue("themes", "no-theme", nil, .toClassify) }
        if offer.description.trimmed.isEmpty { issue("description", "required", nil, .toClassify) }
        return (offer, issues)
    }

    /// An offer Wegwijs cannot match or show to parents yet: no theme, or no description.
    static func needsClassification(_ offer: OfferDraft) -> Bool {
        offer.themes.isEmpty || offer.description.trimmed.isEmpty
    }

    /// The classification of `existing` (the attributes only Wegwijs knows) on the fields of `incoming`, for a
    /// record from a publisher that does not carry the `wegwijs` taxonomy: a sync must not undo an editor's work.
    static func keepingClassification(_ incoming: OfferDraft, from existing: OfferDraft) -> OfferDraft {
        var offer = incoming
        offer.themes = existing.themes
        offer.forms = existing.forms
        offer.kind = existing.kind
        offer.supportType = existing.supportType
        offer.audience = existing.audience
        offer.phase = existing.phase
        offer.forSituations = existing.forSituations
        offer.suitsSituations = existing.suitsSituations
        offer.excludesSituations = existing.excludesSituations
        offer.serviceAreas = existing.serviceAreas
        offer.bridgeInterpreter = existing.bridgeInterpreter
        offer.bridgeKeyPerson = existing.bridgeKeyPerson
        offer.registrationRequired = existing.registrationRequired
        offer.childcare = existing.childcare
        offer.capacity = existing.capacity
        offer.freePlaces = existing.freePlaces
        offer.waitingList = existing.waitingList
        offer.sessions = existing.sessions
        offer.frequency = existing.frequency
        offer.evidence = existing.evidence
        offer.culture = existing.culture
        offer.funding = existing.funding
        if offer.description.trimmed.isEmpty { offer.description = existing.description }
        return offer
    }

    /// Why a record was refused: the field, a code (`import.reason.<code>` in the locale files), and the value
    /// at fault where that helps.
    struct RecordError: Error, Sendable {
        let field: String
        let code: String
        var value: String? = nil
    }
}
