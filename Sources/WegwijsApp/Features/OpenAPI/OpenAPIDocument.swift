import Foundation

/// The OpenAPI 3.1 description of every `/api/v1` route, served at `/openapi.json`. A test compares it with the
/// registered routes, so a new route without a description fails the build.
enum OpenAPIDocument {
    struct Operation {
        let method: String
        let path: String
        let summary: String
        var body: String? = nil
        var response: String? = nil
        var status: String = "200"
        var paging = false
        var versioned = false
        var secured = true
    }

    static let operations: [Operation] = [
        .init(method: "post", path: "/api/v1/session", summary: "Sign in: exchange user name and password for a bearer token",
              body: "SessionInput", response: "SessionOutput", status: "201", secured: false),
        .init(method: "delete", path: "/api/v1/session", summary: "Revoke the bearer token of this request", status: "204"),
        .init(method: "get", path: "/api/v1/families", summary: "List the families you may see (filters: language, situation, status, mine)",
              response: "FamilyPage", paging: true),
        .init(method: "post", path: "/api/v1/families/search", summary: "Search families by name and filters (names never go in URLs)",
              body: "FamilyFilter", response: "FamilyPage", paging: true),
        .init(method: "post", path: "/api/v1/families", summary: "Register a family with its members",
              body: "FamilyInput", response: "Family", status: "201"),
        .init(method: "get", path: "/api/v1/families/{familyID}", summary: "Get one family with its members (ETag = version)",
              response: "Family"),
        .init(method: "put", path: "/api/v1/families/{familyID}", summary: "Update the household (If-Match or version required)",
              body: "FamilyInput", response: "Family", versioned: true),
        .init(method: "post", path: "/api/v1/families/{familyID}/close", summary: "Close the family's file with a reason",
              body: "CloseFamilyInput", response: "Family", versioned: true),
        .init(method: "post", path: "/api/v1/families/{familyID}/reopen", summary: "Reopen a closed file",
              body: "VersionInput", response: "Family", versioned: true),
        .init(method: "get", path: "/api/v1/families/{familyID}/members", summary: "List the members of a family",
              response: "MemberList"),
        .init(method: "post", path: "/api/v1/families/{familyID}/members", summary: "Add a parent or child",
              body: "MemberInput", response: "Member", status: "201"),
        .init(method: "get", path: "/api/v1/families/{familyID}/members/{memberID}", summary: "Get one member",
              response: "Member"),
        .init(method: "put", path: "/api/v1/families/{familyID}/members/{memberID}", summary: "Update a member (If-Match or version required)",
              body: "MemberInput", response: "Member", versioned: true),
        .init(method: "delete", path: "/api/v1/families/{familyID}/members/{memberID}", summary: "Remove a member (If-Match or version required)",
              status: "204", versioned: true),
        .init(method: "get", path: "/api/v1/families/{familyID}/consents", summary: "The family's consent register",
              response: "ConsentList"),
        .init(method: "post", path: "/api/v1/families/{familyID}/consents", summary: "Record a consent",
              body: "ConsentInput", response: "Consent", status: "201"),
        .init(method: "post", path: "/api/v1/families/{familyID}/consents/{consentID}/withdraw",
              summary: "Withdraw a consent (takes effect at once)", response: "Consent"),
        .init(method: "get", path: "/api/v1/offers",
              summary: "The catalogue: filter by theme, language (bridged=true adds offers that bridge), form, audience, age, kind, situation, freePlaces, postcode (2 or 4 digits), organisationId, status, search",
              response: "OfferPage", paging: true),
        .init(method: "post", path: "/api/v1/offers", summary: "Add an offer (partners: for their own organisation; admins: any)",
              body: "OfferInput", response: "Offer", status: "201"),
        .init(method: "get", path: "/api/v1/offers/{offerID}", summary: "One offer (ETag = version)", response: "Offer"),
        .init(method: "put", path: "/api/v1/offers/{offerID}", summary: "Update an offer (If-Match or version required)",
              body: "OfferInput", response: "Offer", versioned: true),
        .init(method: "post", path: "/api/v1/offers/{offerID}/retire", summary: "Retire an offer",
              body: "VersionInput", response: "Offer", versioned: true),
        .init(method: "get", path: "/api/v1/screening-instrument", summary: "The current version of the parenting screening (Brede Intake)",
              response: "ScreeningInstrument"),
        .init(method: "post", path: "/api/v1/families/{familyID}/screenings",
              summary: "Record a screening (intake or guidance); its themes open needs, a safety signal reaches the lead",
              body: "ScreeningInput", response: "Screening", status: "201"),
        .init(method: "get", path: "/api/v1/families/{familyID}/screenings",
              summary: "The family's screenings, oldest first, each with what changed since the previous one of the same parent",
              response: "ScreeningList"),
        .init(method: "get", path: "/api/v1/families/{familyID}/needs", summary: "The family's needs (open questions per theme)",
              response: "NeedList"),
        .init(method: "post", path: "/api/v1/families/{familyID}/needs", summary: "Add a need by hand (case manager)",
              body: "NeedInput", response: "Need", status: "201"),
        .init(method: "patch", path: "/api/v1/families/{familyID}/needs/{needID}",
              summary: "Change a need's priority or note, close or reopen it, or merge it into another (version required)",
              body: "NeedInput", response: "Need"),
        .init(method: "get", path: "/api/v1/families/{familyID}/plan",
              summary: "The family plan (a proposal with version 0 until first saved)", response: "Plan"),
        .init(method: "put", path: "/api/v1/families/{familyID}/plan",
              summary: "Save the family plan: goals, actions, phase (one step at a time), review date, urgent (version required)",
              body: "PlanInput", response: "Plan"),
        .init(method: "post", path: "/api/v1/families/{familyID}/plan/information",
              summary: "Record that welcome-package pages were printed or sent in a language", body: "InformationInput", response: "Plan"),
        .init(method: "get", path: "/api/v1/families/{familyID}/contacts",
              summary: "Contact moments, newest first (notes only for the family's lead, key person and social worker)",
              response: "ContactList"),
        .init(method: "post", path: "/api/v1/families/{familyID}/contacts", summary: "Record a contact moment (not in the future)",
              body: "ContactInput", response: "Contact", status: "201"),
        .init(method: "get", path: "/api/v1/families/{familyID}/signals", summary: "Signals raised on the family", response: "SignalList"),
        .init(method: "post", path: "/api/v1/families/{familyID}/signals", summary: "Raise a signal (a concern or a question) for the lead",
              body: "SignalInput", response: "Signal", status: "201"),
        .init(method: "post", path: "/api/v1/families/{familyID}/signals/{signalID}/handled", summary: "Mark a signal as handled (case manager)",
              response: "Signal"),
        .init(method: "get", path: "/api/v1/families/{familyID}/meldcode",
              summary: "The Meldcode records you may see (as their lead or named colleague)", response: "MeldcodeList"),
        .init(method: "post", path: "/api/v1/families/{familyID}/meldcode",
              summary: "Open a Meldcode record (the family's lead), naming the colleague to consult", body: "MeldcodeOpenInput",
              response: "Meldcode", status: "201"),
        .init(method: "post", path: "/api/v1/families/{familyID}/meldcode/{recordID}/steps",
              summary: "Sign the next of the five Meldcode steps (lead or named colleague); step 5 decides: help or report",
              body: "MeldcodeStepInput", response: "Meldcode"),
        .init(method: "post", path: "/api/v1/match",
              summary: "Match a family profile (not stored) to the catalogue: ranked matches with reasons and warnings, and the excluded offers with the constraints they break",
              body: "MatchProfile", response: "MatchResult"),
        .init(method: "get", path: "/api/v1/families/{familyID}/matches",
              summary: "Matches for a stored family, from its open needs, latest screening and members (audited)", response: "FamilyMatches"),
        .init(method: "post", path: "/api/v1/families/{familyID}/matches/choices",
              summary: "Record the offers discussed with the parents and which they chose", body: "OfferChoicesInput", response: "Plan"),
        .init(method: "get", path: "/api/v1/referrals",
              summary: "Referrals you may see (partners: their inbox); filter status = a state or open", response: "ReferralPage", paging: true),
        .init(method: "post", path: "/api/v1/referrals",
              summary: "Refer a family to an offer or organisation (case managers). Needs an active referral consent for that organisation covering the shared fields; send=true sends at once",
              body: "ReferralInput", response: "Referral", status: "201"),
        .init(method: "get", path: "/api/v1/referrals/inbox",
              summary: "The partner inbox: referrals to your organisation, newest first (only the fields each shares)", response: "ReferralPage", paging: true),
        .init(method: "get", path: "/api/v1/referrals/{referralID}",
              summary: "One referral: state, dates, what is shared, history, the steps you may take (audited)", response: "Referral"),
        .init(method: "get", path: "/api/v1/referrals/{referralID}/transitions", summary: "The referral's history", response: "ReferralEventList"),
        .init(method: "post", path: "/api/v1/referrals/{referralID}/transitions",
              summary: "Move the referral to another state; 409 invalid-transition, or stale-state when `from` is not the current state",
              body: "TransitionInput", response: "Referral"),
        .init(method: "post", path: "/api/v1/referrals/{referralID}/handover",
              summary: "The companion records whether the accompanied first contact happened", body: "HandoverInput", response: "Referral"),
        .init(method: "post", path: "/api/v1/referrals/{referralID}/chase", summary: "The lead asks the partner for an answer",
              body: "NoteInput", response: "Referral"),
        .init(method: "get", path: "/api/v1/families/{familyID}/referrals", summary: "A family's referrals (lead side)",
              response: "ReferralItemList"),
        .init(method: "get", path: "/api/v1/worklist",
              summary: "Referrals that need you: past their timers (lead), first contacts you go along to (key person, social worker)",
              response: "ReferralPage", paging: true),
        .init(method: "get", path: "/api/v1/notifications", summary: "Your notifications, newest first (unread=true: only unread)",
              response: "NotificationList"),
        .init(method: "post", path: "/api/v1/notifications/read", summary: "Mark one (id) or all notifications read", status: "204"),
        .init(method: "get", path: "/api/v1/reports/referrals",
              summary: "Referrals per receiving organisation: sent, open, past their timers, outcomes (policy officers: counts under 5 are null)",
              response: "ReferralReport"),
        .init(method: "get", path: "/api/v1/settings/referrals", summary: "The municipality's referral timers", response: "ReferralSettings"),
        .init(method: "put", path: "/api/v1/settings/referrals", summary: "Set the municipality's referral timers (admin)",
              body: "ReferralSettings", response: "ReferralSettings"),
    ]

    static let json: Data = {
        let data = try? JSONSerialization.data(withJSONObject: document, options: [.sortedKeys, .prettyPrinted])
        return data ?? Data("{}".utf8)
    }()

    private static func ref(_ name: String) -> [String: Any] { ["$ref": "#/components/schemas/\(name)"] }
    private static var string: [String: Any] { ["type": "string"] }
    private static var nullableString: [String: Any] { ["type": ["string", "null"]] }
    private static var uuid: [String: Any] { ["type": "string", "format": "uuid"] }
    private static var nullableUUID: [String: Any] { ["type": ["string", "null"], "format": "uuid"] }
    private static var date: [String: Any] { ["type": ["string", "null"], "format": "date"] }
    private static var codes: [String: Any] { ["type": "array", "items": ["type": "string"]] }
    private static var errorResponse: [String: Any] { [
        "description": "Error", "content": ["application/json": ["schema": ref("Error")]],
    ] }

    static var document: [String: Any] {
        var paths: [String: [String: Any]] = [:]
        for op in operations {
            var operation: [String: Any] = ["summary": op.summary, "operationId": "\(op.method)\(op.path)"]
            var parameters: [[String: Any]] = op.path.split(separator: "/").filter { $0.hasPrefix("{") }.map {
                ["name": String($0.dropFirst().dropLast()), "in": "path", "required": true, "schema": uuid]
            }
            if op.paging {
                parameters.append(["name": "page", "in": "query", "schema": ["type": "integer", "minimum": 1]])
                parameters.append(["name": "per", "in": "query", "schema": ["type": "integer", "minimum": 1, "maximum": 100]])
            }
            let filters: [String: [String]] = [
                "/api/v1/families": ["language", "situation", "status", "mine"],
                "/api/v1/offers": ["theme", "language", "bridged", "form", "audience", "age", "kind", "situation",
                                   "freePlaces", "postcode", "organisationId", "status", "search"],
            ]
            if op.method == "get", ["/api/v1/referrals", "/api/v1/referrals/inbox"].contains(op.path) {
                parameters.append(["name": "status", "in": "query", "schema": ["type": "string",
                    "enum": ["open"] + ["draft", "sent", "accepted", "declined", "waiting-list", "first-contact-planned",
                                        "first-contact-made", "active", "completed", "cancelled"]]])
            }
            if op.method == "get", op.path == "/api/v1/notifications" {
                parameters.append(["name": "unread", "in": "query", "schema": ["type": "boolean"]])
            }
            if op.method == "get", let names = filters[op.path] {
                for name in names {
                    parameters.append(["name": name, "in": "query", "schema": string])
                }
            }
            if op.versioned {
                parameters.append(["name": "If-Match", "in": "header", "schema": string,
                                   "description": "The ETag of the version you edit (or send a version field)"])
            }
            if !parameters.isEmpty { operation["parameters"] = parameters }
            if let body = op.body {
                operation["requestBody"] = ["required": true, "content": ["application/json": ["schema": ref(body)]]]
            }
            var responses: [String: Any] = [:]
            if let response = op.response {
                responses[op.status] = ["description": "OK", "content": ["application/json": ["schema": ref(response)]]]
            } else {
                responses[op.status] = ["description": "Done"]
            }
            for code in ["400", "401", "403", "404", "409", "413", "422", "428", "429"] { responses[code] = errorResponse }
            operation["responses"] = responses
            if !op.secured { operation["security"] = [[String: Any]]() }
            paths[op.path, default: [:]][op.method] = operation
        }
        return [
            "openapi": "3.1.0",
            "info": ["title": "Wegwijs API", "version": "1.0.0",
                     "description": "Families, members, consents, the catalogue, the intake (screenings, needs, plan, contacts, signals, Meldcode), matching and referrals. Every call except POST /api/v1/session needs Authorization: Bearer <token>. Errors: {\"error\": {\"code\", \"message\", \"fields\"}}."],
            "servers": [["url": "/"]],
            "security": [["bearer": [String]()]],
            "paths": paths,
            "components": ["securitySchemes": ["bearer": ["type": "http", "scheme": "bearer"]], "schemas": schemas],
        ]
    }

    private static var offerDraft: [String: Any] {
        let int: [String: Any] = ["type": ["integer", "null"]]
        let bool: [String: Any] = ["type": "boolean"]
        var properties: [String: Any] = [:]
        for name in ["name", "description", "kind", "supportType", "audience"] { properties[name] = string }
        for name in ["forms", "themes", "forSituations", "excludesSituations", "suitsSituations", "languages",
                     "serviceAreas", "days", "culture"] { properties[name] = codes }
        for name in ["bridgeInterpreter", "bridgeKeyPerson", "waitingList", "registrationRequired", "childcare"] { properties[name] = bool }
        for name in ["minimumAge", "maximumAge", "phase", "sessions", "capacity", "freePlaces"] { properties[name] = int }
        for name in ["opensAt", "closesAt", "frequency", "frequencyNote", "costNote", "evidence", "contactName",
                     "contactPhone", "contactEmail", "url"] { properties[name] = nullableString }
        for name in ["activeFrom", "activeUntil", "lastChecked"] { properties[name] = date }
        properties["cost"] = ["type": ["number", "null"]]
        properties["locations"] = ["type": "array", "items": ["type": "object", "properties": [
            "name": nullableString, "address": nullableString, "postcode": nullableString, "city": nullableString,
            "latitude": ["type": ["number", "null"]], "longitude": ["type": ["number", "null"]]]]]
        return ["type": "object", "required": ["name", "description", "kind", "supportType", "forms", "themes",
                                               "forSituations", "excludesSituations", "suitsSituations", "audience",
                                               "languages", "bridgeInterpreter", "bridgeKeyPerson", "serviceAreas",
                                               "locations", "days", "waitingList", "registrationRequired", "childcare", "culture"],
                "properties": properties]
    }

    private static var schemas: [String: Any] {
        let member: [String: Any] = ["type": "object", "required": ["role", "givenName"], "properties": [
            "role": ["type": "string", "enum": ["parent", "child"]], "givenName": string, "familyName": nullableString,
            "gender": ["type": ["string", "null"], "enum": ["female", "male", "x", NSNull()]], "birthDate": date,
            "birthYear": ["type": ["integer", "null"]], "countryOfOrigin": nullableString, "languagesSpoken": codes,
            "languagesRead": codes, "dutchLevel": ["type": ["string", "null"], "enum": ["none", "A1", "A2", "B1", "B2+", NSNull()]],
            "arrivalDate": date, "settlementDate": date, "schoolOrChildcare": nullableString,
            "bsn": ["type": ["string", "null"], "description": "Optional; must pass the 11-test"],
            "version": ["type": ["integer", "null"]],
        ]]
        var memberOut = member
        var memberOutProps = member["properties"] as! [String: Any]
        memberOutProps["id"] = uuid
        memberOutProps["hasBsn"] = ["type": "boolean"]
        memberOut["properties"] = memberOutProps
        memberOut["required"] = ["id", "role", "givenName", "version"]
        let familyInput: [String: Any] = ["type": "object", "required": ["name"], "properties": [
            "name": string, "address": nullableString, "postcode": nullableString,
            "contactPreference": ["type": ["string", "null"], "enum": ["phone", "messaging", "via-key-person", NSNull()]],
            "situations": codes, "caseManagerId": ["type": ["string", "null"], "format": "uuid"],
            "keyPersonId": ["type": ["string", "null"], "format": "uuid"],
            "socialWorkerId": ["type": ["string", "null"], "format": "uuid"],
            "members": ["type": "array", "items": ref("MemberInput")], "version": ["type": ["integer", "null"]],
        ]]
        let family: [String: Any] = ["type": "object", "required": ["id", "reference", "name", "status", "members", "version"],
                                     "properties": [
            "id": uuid, "reference": string, "municipality": string, "name": string,
            "status": ["type": "string", "enum": ["active", "closed"]], "closedReason": nullableString,
            "address": nullableString, "postcode": nullableString, "contactPreference": nullableString,
            "situations": codes, "languages": codes, "caseManagerId": ["type": ["string", "null"], "format": "uuid"],
            "keyPersonId": ["type": ["string", "null"], "format": "uuid"],
            "socialWorkerId": ["type": ["string", "null"], "format": "uuid"],
            "members": ["type": "array", "items": ref("Member")], "version": ["type": "integer"],
            "createdAt": ["type": ["string", "null"], "format": "date-time"],
            "updatedAt": ["type": ["string", "null"], "format": "date-time"],
        ]]
        let consent: [String: Any] = ["type": "object", "properties": [
            "id": uuid, "familyId": uuid, "purpose": string, "organisationId": uuid, "organisationName": string,
            "dataCategories": codes, "givenBy": string, "givenOn": ["type": "string", "format": "date"],
            "withdrawnAt": ["type": ["string", "null"], "format": "date-time"], "active": ["type": "boolean"],
            "note": nullableString, "recordedAt": ["type": ["string", "null"], "format": "date-time"],
        ]]
        return [
            "Error": ["type": "object", "required": ["error"], "properties": ["error": [
                "type": "object", "required": ["code", "message"],
                "properties": ["code": string, "message": string,
                               "fields": ["type": "object", "additionalProperties": ["type": "string"]]],
            ]]],
            "SessionInput": ["type": "object", "required": ["username", "password"],
                             "properties": ["username": string, "password": string]],
            "SessionOutput": ["type": "object", "required": ["token", "expiresAt"],
                              "properties": ["token": string, "expiresAt": ["type": "string", "format": "date-time"]]],
            "FamilyFilter": ["type": "object", "properties": ["name": nullableString, "language": nullableString,
                                                              "situation": nullableString, "status": nullableString,
                                                              "mine": ["type": ["boolean", "null"]]]],
            "FamilyInput": familyInput,
            "CloseFamilyInput": ["type": "object", "required": ["reason"], "properties": [
                "reason": ["type": "string", "enum": ["moved-away", "support-completed", "family-declined", "regular-services", "duplicate", "other"]],
                "note": nullableString, "version": ["type": ["integer", "null"]]]],
            "VersionInput": ["type": "object", "properties": ["version": ["type": ["integer", "null"]]]],
            "MemberInput": member,
            "Member": memberOut,
            "MemberList": ["type": "array", "items": ref("Member")],
            "Family": family,
            "FamilyPage": ["type": "object", "required": ["items", "page", "per", "total"], "properties": [
                "items": ["type": "array", "items": ref("Family")], "page": ["type": "integer"],
                "per": ["type": "integer"], "total": ["type": "integer"]]],
            "ConsentInput": ["type": "object", "required": ["purpose", "organisationId", "dataCategories", "givenBy"],
                             "properties": ["purpose": string, "organisationId": uuid, "dataCategories": codes,
                                            "givenBy": string, "givenOn": date, "note": nullableString]],
            "Consent": consent,
            "ConsentList": ["type": "array", "items": ref("Consent")],
            "OfferDraft": offerDraft,
            "OfferInput": ["type": "object", "required": ["offer"], "properties": [
                "organisationId": ["type": ["string", "null"], "format": "uuid"], "version": ["type": ["integer", "null"]],
                "offer": ref("OfferDraft")]],
            "Offer": ["type": "object", "required": ["id", "organisationId", "status", "version", "offer"], "properties": [
                "id": uuid, "organisationId": uuid, "status": ["type": "string", "enum": ["active", "retired"]],
                "version": ["type": "integer"], "updatedAt": ["type": ["string", "null"], "format": "date-time"],
                "offer": ref("OfferDraft")]],
            "OfferPage": ["type": "object", "required": ["items", "page", "per", "total"], "properties": [
                "items": ["type": "array", "items": ref("Offer")], "page": ["type": "integer"],
                "per": ["type": "integer"], "total": ["type": "integer"]]],
            "ScreeningInstrument": ["type": "object", "required": ["version", "instrument"], "properties": [
                "version": ["type": "integer"], "instrument": ["type": "object", "description": "sections of items (Resources/Screening/instrument.json)"]]],
            "ScreeningInput": ["type": "object", "required": ["answers"], "properties": [
                "occasion": ["type": ["string", "null"], "enum": ["intake", "guidance", NSNull()]], "conductedOn": date,
                "memberId": ["type": ["string", "null"], "format": "uuid"],
                "answers": ["type": "object", "description": "item id → number (scale), code (choice, language), codes (multi), boolean (yesno), or {theme: 0-3} (themes)"]]],
            "Screening": ["type": "object", "required": ["id", "occasion", "conductedOn", "instrumentVersion", "answers"], "properties": [
                "id": uuid, "occasion": string, "conductedOn": ["type": "string", "format": "date"], "memberId": ["type": ["string", "null"], "format": "uuid"],
                "instrumentVersion": ["type": "integer"], "by": string, "answers": ["type": "object"],
                "changes": ["type": ["object", "null"], "description": "confidence (item → difference), newThemes, themesGone, themesChanged, newStressors, stressorsGone"]]],
            "ScreeningList": ["type": "array", "items": ref("Screening")],
            "NeedInput": ["type": "object", "properties": [
                "theme": nullableString, "priority": ["type": ["integer", "null"], "minimum": 1, "maximum": 3], "note": nullableString,
                "raisedByMemberId": ["type": ["string", "null"], "format": "uuid"],
                "status": ["type": ["string", "null"], "enum": ["open", "closed", NSNull()]],
                "mergeInto": ["type": ["string", "null"], "format": "uuid"], "version": ["type": ["integer", "null"]]]],
            "Need": ["type": "object", "required": ["id", "theme", "priority", "source", "status", "version"], "properties": [
                "id": uuid, "theme": string, "priority": ["type": "integer"], "source": ["type": "string", "enum": ["screening", "staff"]],
                "raisedByMemberId": ["type": ["string", "null"], "format": "uuid"],
                "status": ["type": "string", "enum": ["open", "closed", "merged"]], "mergedInto": ["type": ["string", "null"], "format": "uuid"],
                "note": nullableString, "version": ["type": "integer"]]],
            "NeedList": ["type": "array", "items": ref("Need")],
            "PlanInput": ["type": "object", "properties": [
                "goals": codes, "actions": ["type": "array", "items": ["type": "object"]],
                "phase": ["type": ["integer", "null"], "minimum": 1, "maximum": 3], "phaseNote": nullableString, "reviewDate": date,
                "urgent": ["type": ["boolean", "null"]], "version": ["type": ["integer", "null"]]]],
            "Plan": ["type": "object", "required": ["plan", "version", "proposed"], "properties": [
                "plan": ["type": "object", "description": "goals, actions (text, who, due, done, kind), phase, phaseHistory, reviewDate, urgent, activeSupportFrom, informationGiven"],
                "version": ["type": "integer"], "proposed": ["type": "boolean"],
                "lead": ["type": ["string", "null"], "format": "uuid"], "keyPerson": ["type": ["string", "null"], "format": "uuid"]]],
            "InformationInput": ["type": "object", "required": ["pages", "language"], "properties": [
                "pages": codes, "language": string, "how": ["type": ["string", "null"], "enum": ["printed", "sent", NSNull()]]]],
            "ContactInput": ["type": "object", "required": ["mode"], "properties": [
                "at": ["type": ["string", "null"], "format": "date-time"],
                "mode": ["type": "string", "enum": ["home-visit", "phone", "location", "group", "via-key-person"]],
                "memberId": ["type": ["string", "null"], "format": "uuid"], "language": nullableString,
                "interpreter": ["type": ["boolean", "null"]], "note": nullableString, "signal": ["type": ["object", "null"]]]],
            "Contact": ["type": "object", "required": ["id", "at", "mode", "interpreter", "noteHidden"], "properties": [
                "id": uuid, "at": ["type": "string", "format": "date-time"], "by": string, "mode": string,
                "memberId": ["type": ["string", "null"], "format": "uuid"], "language": nullableString,
                "interpreter": ["type": "boolean"], "note": nullableString, "noteHidden": ["type": "boolean"]]],
            "ContactList": ["type": "array", "items": ref("Contact")],
            "SignalInput": ["type": "object", "required": ["kind", "text"], "properties": [
                "kind": ["type": "string", "enum": ["concern", "question"]], "text": string]],
            "Signal": ["type": "object", "required": ["id", "kind", "text", "status"], "properties": [
                "id": uuid, "kind": string, "text": string, "raisedBy": string, "raisedByRole": string,
                "status": ["type": "string", "enum": ["open", "handled"]], "handledBy": nullableString,
                "createdAt": ["type": ["string", "null"], "format": "date-time"]]],
            "SignalList": ["type": "array", "items": ref("Signal")],
            "MeldcodeOpenInput": ["type": "object", "required": ["colleagueId"], "properties": [
                "colleagueId": uuid, "childMemberId": ["type": ["string", "null"], "format": "uuid"]]],
            "MeldcodeStepInput": ["type": "object", "required": ["step", "note"], "properties": [
                "step": ["type": "integer", "minimum": 1, "maximum": 5], "note": string,
                "decision": ["type": ["string", "null"], "enum": ["help", "report", NSNull()]], "version": ["type": ["integer", "null"]]]],
            "Meldcode": ["type": "object", "required": ["id", "status", "steps", "version"], "properties": [
                "id": uuid, "status": ["type": "string", "enum": ["open", "decided"]],
                "decision": ["type": ["string", "null"], "enum": ["help", "report", NSNull()]],
                "leadUserId": uuid, "colleagueUserId": uuid, "childMemberId": ["type": ["string", "null"], "format": "uuid"],
                "steps": ["type": "array", "items": ["type": "object"]], "nextStep": ["type": ["integer", "null"]],
                "version": ["type": "integer"], "openedAt": ["type": ["string", "null"], "format": "date-time"]]],
            "MeldcodeList": ["type": "array", "items": ref("Meldcode")],
            "MatchProfile": ["type": "object", "required": ["parents", "themes"], "properties": [
                "parents": ["type": "array", "items": ["type": "object", "required": ["languages"], "properties": [
                    "gender": nullableString, "languages": codes, "dutchLevel": nullableString]]],
                "children": ["type": "array", "items": ["type": "object", "required": ["age"], "properties": ["age": ["type": "integer", "minimum": 0]]]],
                "situations": codes,
                "themes": ["type": "array", "items": ["type": "object", "required": ["code"], "properties": [
                    "code": string, "priority": ["type": ["string", "null"], "enum": ["high", "normal", "low", NSNull()]]]]],
                "preferences": ["type": ["object", "null"], "properties": [
                    "forms": codes, "audience": nullableString, "online": ["type": ["string", "null"], "enum": ["yes", "no", "any", NSNull()]],
                    "time": ["type": ["string", "null"], "enum": ["daytime", "evening", "any", NSNull()]],
                    "childcare": ["type": ["boolean", "null"]], "postcode": nullableString]],
                "settledOn": date, "urgent": ["type": ["boolean", "null"]]]],
            "Explanation": ["type": "object", "required": ["code", "nl", "en"], "properties": ["code": string, "nl": string, "en": string]],
            "MatchResult": ["type": "object", "required": ["matches", "excluded"], "properties": [
                "matches": ["type": "array", "items": ["type": "object", "required": ["offerId", "name", "score", "themes", "reasons", "warnings"],
                    "properties": ["offerId": uuid, "name": string, "score": ["type": "integer"], "themes": codes,
                                   "reasons": ["type": "array", "items": ref("Explanation")],
                                   "warnings": ["type": "array", "items": ref("Explanation")]]]],
                "excluded": ["type": "array", "items": ["type": "object", "required": ["offerId", "name", "constraints"],
                    "properties": ["offerId": uuid, "name": string, "constraints": ["type": "array", "items": ["type": "string",
                        "enum": ["area", "inactive", "language", "age", "audience", "situation", "registration", "capacity"]]]]]]]],
            "FamilyMatches": ["type": "object", "required": ["profile", "matches", "excluded"], "properties": [
                "profile": ref("MatchProfile"), "matches": ["type": "array", "items": ["type": "object"]],
                "excluded": ["type": "array", "items": ["type": "object"]]]],
            "OfferChoicesInput": ["type": "object", "required": ["discussed"], "properties": [
                "discussed": ["type": "array", "items": uuid], "chosen": ["type": "array", "items": uuid]]],
            "ReferralInput": ["type": "object", "required": ["familyId", "memberIds", "reason"], "properties": [
                "familyId": uuid, "offerId": nullableUUID, "organisationId": nullableUUID, "memberIds": ["type": "array", "items": uuid],
                "needIds": ["type": "array", "items": uuid], "reason": string, "ownWords": nullableString, "language": nullableString,
                "interpreterNeeded": ["type": "boolean"],
                "sharedFields": ["type": "array", "items": ["type": "string", "enum": ["first-name", "language", "children-ages", "question",
                                                                                      "family-name", "contact-details", "situations", "screening"]]],
                "consentId": nullableUUID, "send": ["type": "boolean"], "redirectedFrom": nullableUUID]],
            "TransitionInput": ["type": "object", "required": ["to"], "properties": [
                "to": string, "from": string, "version": ["type": "integer"], "note": nullableString, "reason": nullableString,
                "expectedDate": date, "plannedOn": date, "plannedTime": nullableString, "companionId": nullableUUID,
                "accompanied": ["type": ["boolean", "null"]],
                "outcome": ["type": ["string", "null"], "enum": ["goal-reached", "partly-reached", "dropped-out", "moved-on", NSNull()]]]],
            "HandoverInput": ["type": "object", "required": ["happened"], "properties": ["happened": ["type": "boolean"], "note": nullableString]],
            "NoteInput": ["type": "object", "properties": ["note": nullableString]],
            "ReferralSettings": ["type": "object", "required": ["answerWorkingDays", "firstContactDays", "partnerAccessDays"], "properties": [
                "answerWorkingDays": ["type": "integer", "minimum": 1, "maximum": 60],
                "firstContactDays": ["type": "integer", "minimum": 1, "maximum": 180],
                "partnerAccessDays": ["type": "integer", "minimum": 0, "maximum": 365]]],
            "Referral": ["type": "object", "required": ["id", "version", "status", "familyReference", "organisation", "sharedFields", "shared", "next", "events"],
                         "properties": [
                "id": uuid, "version": ["type": "integer"], "status": string, "statusChangedAt": string, "familyReference": string,
                "familyId": nullableUUID, "familyName": nullableString, "memberIds": ["type": ["array", "null"], "items": uuid],
                "needIds": ["type": ["array", "null"], "items": uuid], "consentId": nullableUUID, "consentActive": ["type": "boolean"],
                "offer": ["type": ["object", "null"]], "organisation": ["type": "object"], "referredBy": string, "lead": ["type": "object"],
                "sharedFields": codes,
                "shared": ["type": "object", "description": "Only the shared fields: parents (firstName, familyName), language, interpreterNeeded, childrenAges, question (themes, reason, ownWords), contactDetails, situations, screening"],
                "sentOn": date, "expectedOn": date, "plannedOn": date, "plannedTime": nullableString, "companion": ["type": ["object", "null"]],
                "handoverHappened": ["type": ["boolean", "null"]], "accompanied": ["type": ["boolean", "null"]], "firstContactOn": date,
                "outcome": nullableString, "closingReason": nullableString, "closedOn": date, "redirectedFrom": nullableUUID,
                "next": codes, "mayRecordHandover": ["type": "boolean"], "mayChase": ["type": "boolean"],
                "events": ["type": "array", "items": ref("ReferralEvent")]]],
            "ReferralEvent": ["type": "object", "properties": [
                "at": string, "by": string, "role": string, "kind": string, "from": nullableString, "to": nullableString,
                "note": nullableString, "detail": string]],
            "ReferralEventList": ["type": "array", "items": ref("ReferralEvent")],
            "ReferralItem": ["type": "object", "required": ["id", "status", "familyReference", "organisationName"], "properties": [
                "id": uuid, "status": string, "familyReference": string, "familyId": nullableUUID, "familyName": nullableString,
                "firstName": nullableString, "offerName": nullableString, "organisationName": string, "sentOn": date, "expectedOn": date,
                "plannedOn": date, "closedOn": date, "attention": ["type": ["string", "null"],
                    "enum": ["no-answer", "no-first-contact", "waiting-past-expected", "handover", NSNull()]], "since": date]],
            "ReferralItemList": ["type": "array", "items": ref("ReferralItem")],
            "ReferralPage": ["type": "object", "required": ["items", "page", "per", "total"], "properties": [
                "items": ["type": "array", "items": ref("ReferralItem")], "page": ["type": "integer"], "per": ["type": "integer"],
                "total": ["type": "integer"]]],
            "ReferralReport": ["type": "object", "required": ["municipality", "on", "settings", "rows"], "properties": [
                "municipality": string, "on": string, "settings": ref("ReferralSettings"),
                "rows": ["type": "array", "items": ["type": "object", "properties": [
                    "organisation": string, "sent": ["type": ["integer", "null"]], "open": ["type": ["integer", "null"]],
                    "noAnswer": ["type": ["integer", "null"]], "noFirstContact": ["type": ["integer", "null"]],
                    "waitingPastExpected": ["type": ["integer", "null"]], "declined": ["type": ["integer", "null"]],
                    "completed": ["type": ["integer", "null"]], "cancelled": ["type": ["integer", "null"]],
                    "accompaniedFirstContacts": ["type": ["integer", "null"]], "outcomes": ["type": "object"]]]]]],
            "NotificationList": ["type": "array", "items": ["type": "object", "properties": [
                "id": uuid, "kind": string, "referralId": nullableUUID, "familyReference": string, "organisationName": string,
                "createdAt": string, "read": ["type": "boolean"]]]],
        ]
    }
}
