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

    // MARK: import

    struct Record: Sendable {
        let id: UUID
        let active: Bool
        let offer: OfferDraft
        let organisationID: UUID?
        let organisationName: String?
        let organisationKind: String?
    }

    /// Reads one service record. Fields Wegwijs does not use are ignored; what it uses is checked and reported.
    static func record(from json: Any) -> Result<Record, RecordError> {
        guard let service = json as? [String: Any] else { return .failure(.init(field: "", code: "not-object")) }
        guard let rawID = service["id"] as? String else { return .failure(.init(field: "id", code: "missing")) }
        guard let id = UUID(uuidString: rawID) else { return .failure(.init(field: "id", code: "not-uuid")) }
        guard let name = (service["name"] as? String)?.trimmed, !name.isEmpty else {
            return .failure(.init(field: "name", code: "missing"))
        }
        guard let status = service["status"] as? String else { return .failure(.init(field: "status", code: "missing")) }
        var offer = OfferDraft(name: name, description: (service["description"] as? String) ?? "",
                               kind: "", supportType: "", audience: Audience.mixed.rawValue, languages: [])
        offer.minimumAge = service["minimum_age"] as? Int
        offer.maximumAge = service["maximum_age"] as? Int
        offer.url = service["url"] as? String
        offer.contactEmail = service["email"] as? String
        offer.lastChecked = service["assured_date"] as? String
        offer.languages = (service["languages"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String }
        for (index, place) in (service["service_at_locations"] as? [[String: Any]] ?? []).enumerated() {
            guard let location = place["location"] as? [String: Any] else {
                return .failure(.init(field: "service_at_locations[\(index)].location", code: "broken-reference"))
            }
            let address = (location["addresses"] as? [[String: Any]])?.first
            offer.locations.append(OfferLocation(
                name: location["name"] as? String, address: (address?["address_1"] as? String)?.nilIfEmpty,
                postcode: (address?["postal_code"] as? String)?.nilIfEmpty, city: (address?["city"] as? String)?.nilIfEmpty,
                latitude: location["latitude"] as? Double, longitude: location["longitude"] as? Double))
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
            offer.cost = (amount ?? 0) == 0 ? nil : amount
            offer.costNote = cost["option"] as? String
        }
        if let contact = (service["contacts"] as? [[String: Any]])?.first { offer.contactName = contact["name"] as? String }
        if let phone = (service["phones"] as? [[String: Any]])?.first { offer.contactPhone = phone["number"] as? String }

        // Attributes of the wegwijs taxonomy; terms of other taxonomies are another publisher's and are skipped.
        var kind: String?, support: String?
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
            let parts = code.split(separator: "/", maxSplits: 1).map(String.init)
            guard parts.count == 2 else { return .failure(.init(field: "attributes[\(index)]", code: "unknown-attribute", value: code)) }
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
            default: return .failure(.init(field: "attributes[\(index)]", code: "unknown-attribute", value: code))
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
        return .success(Record(id: id, active: status == "active", offer: offer,
                               organisationID: organisationID ?? (organisation?["id"] as? String).flatMap(UUID.init(uuidString:)),
                               organisationName: (organisation?["name"] as? String)?.trimmed.nilIfEmpty, organisationKind: kind))
    }

    /// Why a record was refused: the field, a code (`import.reason.<code>` in the locale files), and the value
    /// at fault where that helps (an unknown attribute code).
    struct RecordError: Error, Sendable {
        let field: String
        let code: String
        var value: String? = nil
    }
}
