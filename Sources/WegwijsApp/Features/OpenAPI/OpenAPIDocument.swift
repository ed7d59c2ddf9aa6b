import Foundation
import OpenAPIKit
import WegwijsCore

/// The OpenAPI 3.1 description of every `/api/v1` route (and `/health`), served at `/openapi.json`. Built from typed
/// OpenAPIKit values: vocabulary enums come from the Swift enums of `WegwijsCore`, lengths and ranges from the
/// validation constants, so a code added there is documented at once. Three checks keep it true:
/// `PlatformTests.openAPI` compares its paths with the registered routes, `OpenAPIContractTests` calls every
/// operation and validates each answer against its documented schema, and `.ci/schemathesis.sh` fuzzes it in CI.
///
/// The server ignores unknown members of a request body (Vapor's JSON decoder), so request schemas leave
/// `additionalProperties` open; response schemas close it, so a field added to an answer without a description
/// fails the contract test.
enum OpenAPIDocument {
    struct Operation {
        let method: OpenAPI.HttpMethod
        let path: String
        let summary: String
        var body: String? = nil
        /// The body may be left out (e.g. `reopen`, `retire`: a version may travel in If-Match instead).
        var bodyOptional = false
        var response: String? = nil
        var status: Int = 200
        /// `page`, `per`, `count` and `after` in the query (`PageRequest`).
        var paging = false
        var query: [OpenAPI.Parameter] = []
        /// Takes `If-Match`; answers 409 for a stale version and 428 when none is sent.
        var versioned = false
        var secured = true
        /// Statuses this operation can answer besides the common ones (see `errorStatuses`).
        var extra: [Int] = []
        /// The success answer also comes as `text/csv` (`?format=csv` or `Accept: text/csv`): the reports.
        var csv = false
    }

    static let operations: [Operation] = [
        .init(method: .get, path: "/health", summary: "Liveness and database check (no token)", response: "Health",
              secured: false, extra: [503]),
        .init(method: .post, path: "/api/v1/session", summary: "Sign in: exchange user name and password for a bearer token",
              body: "SessionInput", response: "SessionOutput", status: 201, secured: false, extra: [401, 429]),
        .init(method: .delete, path: "/api/v1/session", summary: "Revoke the bearer token of this request", status: 204),
        .init(method: .get, path: "/api/v1/families",
              summary: "List the families you may see (filters: language, situation, status, mine, openNeed, parentLanguage). Names are searched with POST /search (400 name-in-url)",
              response: "FamilyListPage", paging: true, query: [
                  query("language", language, "A language a member speaks"),
                  query("situation", code(Situation.self)), query("status", code(FamilyStatus.self)),
                  query("mine", flag, "Only the families you are coupled to"),
                  query("openNeed", code(Theme.self), "Families with an open question on this theme (a report's drill-down)"),
                  query("parentLanguage", language, "The first parent's own language, as the reports count a family"),
              ]),
        .init(method: .post, path: "/api/v1/families/search", summary: "Search families by name and filters (names never go in URLs)",
              body: "FamilyFilter", response: "FamilyListPage", paging: true),
        .init(method: .post, path: "/api/v1/families/duplicates",
              summary: "Families of your municipality that may be the household you are about to register (same-sounding names, birth years); audited",
              body: "FamilyInput", response: "DuplicateCandidates"),
        .init(method: .post, path: "/api/v1/families", summary: "Register a family with its members",
              body: "FamilyInput", response: "Family", status: 201),
        .init(method: .get, path: "/api/v1/families/{familyID}", summary: "Get one family with its members (ETag = version)",
              response: "Family"),
        .init(method: .put, path: "/api/v1/families/{familyID}", summary: "Update the household (If-Match or version required)",
              body: "FamilyInput", response: "Family", versioned: true),
        .init(method: .post, path: "/api/v1/families/{familyID}/close", summary: "Close the family's file with a reason",
              body: "CloseFamilyInput", response: "Family", versioned: true),
        .init(method: .post, path: "/api/v1/families/{familyID}/reopen", summary: "Reopen a closed file",
              body: "VersionInput", bodyOptional: true, response: "Family", versioned: true),
        .init(method: .get, path: "/api/v1/families/{familyID}/members", summary: "List the members of a family",
              response: "MemberList"),
        .init(method: .post, path: "/api/v1/families/{familyID}/members", summary: "Add a parent or child",
              body: "MemberInput", response: "Member", status: 201),
        .init(method: .get, path: "/api/v1/families/{familyID}/members/{memberID}", summary: "Get one member",
              response: "Member"),
        .init(method: .put, path: "/api/v1/families/{familyID}/members/{memberID}", summary: "Update a member (If-Match or version required)",
              body: "MemberInput", response: "Member", versioned: true),
        .init(method: .delete, path: "/api/v1/families/{familyID}/members/{memberID}", summary: "Remove a member (If-Match or version required)",
              body: "VersionInput", bodyOptional: true, status: 204, versioned: true),
        .init(method: .get, path: "/api/v1/families/{familyID}/consents", summary: "The family's consent register",
              response: "ConsentList"),
        .init(method: .post, path: "/api/v1/families/{familyID}/consents", summary: "Record a consent",
              body: "ConsentInput", response: "Consent", status: 201),
        .init(method: .post, path: "/api/v1/families/{familyID}/consents/{consentID}/withdraw",
              summary: "Withdraw a consent (takes effect at once)", response: "Consent"),
        .init(method: .get, path: "/api/v1/offers",
              summary: "The catalogue: filter by theme, language (bridged=true adds offers that bridge), form, audience, age, kind, situation, freePlaces, postcode (2 or 4 digits, or a whole postcode), organisationId, status, search",
              response: "OfferPage", paging: true, query: [
                  query("theme", code(Theme.self)), query("language", language), query("bridged", flag),
                  query("form", code(OfferForm.self)), query("audience", code(Audience.self)),
                  query("age", .integer(maximum: (OfferValidation.maxAge, exclusive: false), minimum: (0, exclusive: false)),
                        "A child's age in whole years"),
                  query("kind", code(OfferKind.self)), query("situation", code(Situation.self)),
                  query("freePlaces", flag), query("postcode", .string(pattern: "^([0-9]{2}|[0-9]{4}|[1-9][0-9]{3} ?[A-Za-z]{2})$")),
                  query("organisationId", uuid), query("status", .string(allowedValues: ["active", "retired", "to-classify", "all"])),
                  query("search", .string(maxLength: 200)),
              ]),
        .init(method: .post, path: "/api/v1/offers", summary: "Add an offer (partners: for their own organisation; admins: any)",
              body: "OfferInput", response: "Offer", status: 201),
        .init(method: .get, path: "/api/v1/offers/{offerID}", summary: "One offer (ETag = version)", response: "Offer"),
        .init(method: .put, path: "/api/v1/offers/{offerID}", summary: "Update an offer (If-Match or version required)",
              body: "OfferInput", response: "Offer", versioned: true),
        .init(method: .post, path: "/api/v1/offers/{offerID}/retire", summary: "Retire an offer",
              body: "VersionInput", bodyOptional: true, response: "Offer", versioned: true),
        .init(method: .get, path: "/api/v1/screening-instrument", summary: "The current version of the parenting screening (Brede Intake)",
              response: "ScreeningInstrument"),
        .init(method: .post, path: "/api/v1/families/{familyID}/screenings",
              summary: "Record a screening (intake or guidance); its themes open needs, a safety signal reaches the lead",
              body: "ScreeningInput", response: "Screening", status: 201),
        .init(method: .get, path: "/api/v1/families/{familyID}/screenings",
              summary: "The family's screenings, oldest first, each with what changed since the previous one of the same parent",
              response: "ScreeningList"),
        .init(method: .get, path: "/api/v1/families/{familyID}/needs", summary: "The family's needs (open questions per theme)",
              response: "NeedList"),
        .init(method: .post, path: "/api/v1/families/{familyID}/needs", summary: "Add a need by hand (case manager)",
              body: "NeedInput", response: "Need", status: 201),
        .init(method: .patch, path: "/api/v1/families/{familyID}/needs/{needID}",
              summary: "Change a need's priority or note, close or reopen it, or merge it into another (version required)",
              body: "NeedInput", response: "Need", extra: [409, 428]),
        .init(method: .get, path: "/api/v1/families/{familyID}/plan",
              summary: "The family plan (a proposal with version 0 until first saved)", response: "Plan"),
        .init(method: .put, path: "/api/v1/families/{familyID}/plan",
              summary: "Save the family plan: goals, actions, phase (one step at a time), review date, urgent (version required)",
              body: "PlanInput", response: "Plan", extra: [409, 428]),
        .init(method: .post, path: "/api/v1/families/{familyID}/plan/information",
              summary: "Record that welcome-package pages were printed or sent in a language", body: "InformationInput", response: "Plan"),
        .init(method: .get, path: "/api/v1/families/{familyID}/contacts",
              summary: "Contact moments, newest first (notes only for the family's lead, key person and social worker)",
              response: "ContactList"),
        .init(method: .post, path: "/api/v1/families/{familyID}/contacts", summary: "Record a contact moment (not in the future)",
              body: "ContactInput", response: "Contact", status: 201),
        .init(method: .get, path: "/api/v1/families/{familyID}/signals", summary: "Signals raised on the family", response: "SignalList"),
        .init(method: .post, path: "/api/v1/families/{familyID}/signals", summary: "Raise a signal (a concern or a question) for the lead",
              body: "SignalInput", response: "Signal", status: 201),
        .init(method: .post, path: "/api/v1/families/{familyID}/signals/{signalID}/handled", summary: "Mark a signal as handled (case manager)",
              response: "Signal"),
        .init(method: .get, path: "/api/v1/families/{familyID}/meldcode",
              summary: "The Meldcode records you may see (as their lead or named colleague)", response: "MeldcodeList"),
        .init(method: .post, path: "/api/v1/families/{familyID}/meldcode",
              summary: "Open a Meldcode record (the family's lead), naming the colleague to consult", body: "MeldcodeOpenInput",
              response: "Meldcode", status: 201),
        .init(method: .post, path: "/api/v1/families/{familyID}/meldcode/{recordID}/steps",
              summary: "Sign the next of the five Meldcode steps (lead or named colleague); step 5 decides: help or report",
              body: "MeldcodeStepInput", response: "Meldcode", extra: [409, 428]),
        .init(method: .post, path: "/api/v1/match",
              summary: "Match a family profile (not stored) to the catalogue: ranked matches with reasons and warnings, and the excluded offers with the constraints they break",
              body: "MatchProfile", response: "MatchResult", query: matchWindow),
        .init(method: .get, path: "/api/v1/families/{familyID}/matches",
              summary: "Matches for a stored family, from its open needs, latest screening and members (audited)", response: "FamilyMatches",
              query: matchWindow),
        .init(method: .post, path: "/api/v1/families/{familyID}/matches/choices",
              summary: "Record the offers discussed with the parents and which they chose", body: "OfferChoicesInput", response: "Plan"),
        .init(method: .get, path: "/api/v1/referrals",
              summary: "Referrals you may see (partners: their inbox); filter status = a state or open", response: "ReferralPage",
              paging: true, query: [query("status", referralStatusFilter)]),
        .init(method: .post, path: "/api/v1/referrals",
              summary: "Refer a family to an offer or organisation (case managers). Needs an active referral consent for that organisation covering the shared fields; send=true sends at once",
              body: "ReferralInput", response: "Referral", status: 201, extra: [404]),
        .init(method: .get, path: "/api/v1/referrals/inbox",
              summary: "The partner inbox: referrals to your organisation, newest first (only the fields each shares)", response: "ReferralPage",
              paging: true, query: [query("status", referralStatusFilter)]),
        .init(method: .get, path: "/api/v1/referrals/{referralID}",
              summary: "One referral: state, dates, what is shared, history, the steps you may take (audited)", response: "Referral"),
        .init(method: .get, path: "/api/v1/referrals/{referralID}/transitions", summary: "The referral's history", response: "ReferralEventList"),
        .init(method: .post, path: "/api/v1/referrals/{referralID}/transitions",
              summary: "Move the referral to another state; 409 invalid-transition, or stale-state when `from` is not the current state",
              body: "TransitionInput", response: "Referral", extra: [409]),
        .init(method: .post, path: "/api/v1/referrals/{referralID}/handover",
              summary: "The companion records whether the accompanied first contact happened", body: "HandoverInput", response: "Referral"),
        .init(method: .post, path: "/api/v1/referrals/{referralID}/chase", summary: "The lead asks the partner for an answer",
              body: "NoteInput", bodyOptional: true, response: "Referral"),
        .init(method: .get, path: "/api/v1/families/{familyID}/referrals", summary: "A family's referrals (lead side)",
              response: "ReferralItemList"),
        .init(method: .get, path: "/api/v1/worklist",
              summary: "What needs you, most urgent first: each item's reason (kind), due date and the one action that resolves it; counts per kind; kind= filters; and the group sessions to be reminded of",
              response: "Worklist", paging: true, query: [query("kind", code(WorkKind.self))]),
        .init(method: .get, path: "/api/v1/notifications", summary: "Your notifications, newest first (unread=true: only unread)",
              response: "NotificationList", query: [query("unread", .boolean)]),
        .init(method: .post, path: "/api/v1/notifications/read", summary: "Mark one (id) or all notifications read",
              body: "ReadInput", bodyOptional: true, status: 204),
        .init(method: .get, path: "/api/v1/settings/referrals", summary: "The municipality's referral timers", response: "ReferralSettings"),
        .init(method: .put, path: "/api/v1/settings/referrals", summary: "Set the municipality's referral timers (admin)",
              body: "ReferralSettings", response: "ReferralSettings"),
        // Group series (docs/groups.md).
        .init(method: .get, path: "/api/v1/groups/series",
              summary: "The group series you may see, by start date (case managers: the municipality's; facilitators: their own)",
              response: "GroupSeriesList"),
        .init(method: .post, path: "/api/v1/groups/series",
              summary: "Plan a series of a group offer: language, audience, place, time, dates, trainer and a key person who speaks the language",
              body: "GroupSeriesInput", response: "GroupSeriesDetail", status: 201),
        .init(method: .get, path: "/api/v1/groups/series/{seriesID}",
              summary: "A series with its sessions, parents and attendance (one audit entry names the families shown)",
              response: "GroupSeriesDetail"),
        .init(method: .put, path: "/api/v1/groups/series/{seriesID}",
              summary: "Change a series (If-Match or version required): sessions must stay inside its dates, facilitators not double-booked",
              body: "GroupSeriesInput", response: "GroupSeriesDetail", versioned: true),
        .init(method: .post, path: "/api/v1/groups/series/{seriesID}/sessions",
              summary: "Add a session: inside the series' dates, facilitators free at that time, a topic from the library, partner guests",
              body: "GroupSessionInput", response: "GroupSeriesDetail", status: 201),
        .init(method: .put, path: "/api/v1/groups/series/{seriesID}/sessions/{sessionID}",
              summary: "Change a session (If-Match or version required)",
              body: "GroupSessionInput", response: "GroupSeriesDetail", versioned: true),
        .init(method: .put, path: "/api/v1/groups/series/{seriesID}/sessions/{sessionID}/attendance",
              summary: "Record attendance (present, excused, absent; children brought) and the childcare headcount",
              body: "GroupAttendanceInput", response: "GroupSeriesDetail"),
        .init(method: .post, path: "/api/v1/groups/series/{seriesID}/participants",
              summary: "Add a parent: from the group's waiting list (waitingEntryId) or by invitation; within capacity, one series of an offer at a time",
              body: "GroupParticipantInput", response: "GroupSeriesDetail", status: 201),
        .init(method: .get, path: "/api/v1/reports/procurement",
              summary: "The procurement checklist (R41): what is missing, ranked by the families affected (small counts are null), the offers and the portfolio scored against the culture-sensitivity criteria, the funding of each offer; scope=region for the region's municipalities together (policy officer, admin)",
              response: "ProcurementReport", query: [
                  query("scope", .string(allowedValues: ["municipality", "region"]), "municipality (default) or region"),
                  query("format", .string(allowedValues: ["json", "csv"]), "json (default) or csv: the gaps table (also: Accept: text/csv)"),
              ], csv: true),
        .init(method: .post, path: "/api/v1/groups/plan",
              summary: "The planner's proposal for a group offer's waiting list: series that place as many parents as possible, and why the others cannot be placed (parent ids are member ids)",
              body: "GroupPlanRequest", response: "GroupPlanResult"),
        .init(method: .post, path: "/api/v1/groups/plan/accept",
              summary: "Turn one proposed series (its index in the plan) into a series with its parents from the waiting list",
              body: "GroupPlanRequest", response: "GroupSeriesDetail", status: 201),
        .init(method: .post, path: "/api/v1/groups/plan/invite",
              summary: "Invite everyone: the parents settled in the last months (default 24) who speak one of the group offer's languages and were never in a series go onto its planner input; parents invited this way join a series as invited",
              body: "GroupInviteRequest", response: "GroupInviteResult"),
        // What the planner knows of people (docs/groups.md, "When parents can come").
        .init(method: .get, path: "/api/v1/groups/districts", summary: "The municipality's districts: code, name and the postcode areas they cover",
              response: "GroupDistrictList"),
        .init(method: .put, path: "/api/v1/groups/districts",
              summary: "Replace the municipality's district list (codes: letters, digits, - and _; postcode areas 2311 or 2311-2315)",
              body: "GroupDistrictsInput", response: "GroupDistrictList"),
        .init(method: .put, path: "/api/v1/groups/plan/availability/parents/{memberID}",
              summary: "Record when a waiting parent can come: times of day, online, a mixed group, districts of the municipality (audited)",
              body: "ParentAvailabilityInput", response: "ParentAvailability"),
        .init(method: .put, path: "/api/v1/groups/plan/availability/facilitators/{userID}",
              summary: "Record when a trainer or key person can work and how many series they lead at most (0-10)",
              body: "FacilitatorAvailabilityInput", response: "FacilitatorAvailability"),
        .init(method: .delete, path: "/api/v1/groups/plan/invitees/{inviteeID}",
              summary: "Take a parent that invite-everyone put on the planner input off it again (audited)", status: 204),
        .init(method: .get, path: "/api/v1/groups/series/{seriesID}/sessions/{sessionID}/handout",
              summary: "A session's hand-out: its topic's parents' place pages in the group's language (else Dutch) and the municipality's addresses",
              response: "GroupHandout"),
        .init(method: .put, path: "/api/v1/groups/series/{seriesID}/participants/{participantID}",
              summary: "Record the invitation's answer or a drop-out with its reason (If-Match or version required)",
              body: "GroupParticipantUpdate", response: "GroupSeriesDetail", versioned: true),
        // The parents' evaluation of a series (docs/groups.md, "Evaluation").
        .init(method: .get, path: "/api/v1/groups/series/{seriesID}/evaluation",
              summary: "The anonymous evaluation's counts per question and face, the favourite meetings, and the facilitators' own evaluations (policy officers: counts only, small counts left out)",
              response: "GroupEvaluationResults"),
        .init(method: .post, path: "/api/v1/groups/series/{seriesID}/evaluation",
              summary: "Open the evaluation: 201 with a new unguessable public link (/evaluatie/<token>), given once; 409 already-open while it is open",
              response: "GroupEvaluationLink", status: 201),
        .init(method: .delete, path: "/api/v1/groups/series/{seriesID}/evaluation",
              summary: "Close the evaluation: its link stops working (If-Match or version required)",
              body: "GroupEvaluationCloseInput", bodyOptional: true, response: "GroupEvaluationLink", versioned: true),
        .init(method: .get, path: "/api/v1/groups/evaluation/offers/{offerID}",
              summary: "The evaluation of every series of a group offer added up (policy officers: small counts left out)",
              response: "GroupOfferEvaluation"),
        // Calendar feeds (docs/groups.md, "Calendar"): the feed itself is GET /calendar/<token>.ics, outside the API.
        .init(method: .post, path: "/api/v1/groups/calendar-links",
              summary: "Make a feed link: a series' (its facilitators, the municipality's case managers) or your own (every session of the series you lead or join as a guest); 201 with the url, given once",
              body: "CalendarLinkInput", response: "CalendarLinkCreated", status: 201, extra: [404]),
        .init(method: .get, path: "/api/v1/groups/calendar-links",
              summary: "The feed links you made, newest first, without their tokens",
              response: "CalendarLinkList"),
        .init(method: .delete, path: "/api/v1/groups/calendar-links/{linkID}",
              summary: "Revoke a feed link (its creator, the municipality's case managers or admin): its url answers 404 from now on",
              status: 204),
    ] + reportOperations

    /// The error statuses an operation documents: what any authenticated request can meet (400 bad header or
    /// query, 401, 403, 422 bad query value), what a body can meet (413, 415, 422), what a path id can meet (404) and
    /// what a change can meet (409).
    static func errorStatuses(_ op: Operation) -> [Int] {
        var statuses: Set<Int> = [400, 422]
        if op.secured { statuses.formUnion([401, 403]) }
        if op.body != nil { statuses.formUnion([413, 415]) }
        if op.path.contains("{") { statuses.insert(404) }
        if op.method != .get { statuses.insert(409) }
        if op.versioned { statuses.formUnion([409, 428]) }
        if op.path == "/health" { statuses = [] }
        statuses.formUnion(op.extra)
        return statuses.sorted()
    }

    static let json: Data = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
        return (try? encoder.encode(document)) ?? Data("{}".utf8)
    }()

    static var document: OpenAPI.Document {
        var paths: OrderedDictionary<OpenAPI.Path, Either<OpenAPI.Reference<OpenAPI.PathItem>, OpenAPI.PathItem>> = [:]
        for op in operations {
            let key = OpenAPI.Path(rawValue: op.path)
            var item = paths[key]?.pathItemValue ?? OpenAPI.PathItem()
            item[op.method] = operation(op)
            paths[key] = .b(item)
        }
        var schemas: OpenAPI.ComponentDictionary<JSONSchema> = [:]
        for (name, schema) in Schemas.all { schemas[OpenAPI.ComponentKey(rawValue: name)!] = schema }
        return OpenAPI.Document(
            openAPIVersion: .v3_1_0,
            info: .init(title: "Wegwijs API", description: """
                Families, members, consents, the catalogue, the intake (screenings, needs, plan, contacts, signals, \
                Meldcode), matching and referrals. Every call except POST /api/v1/session and GET /health needs \
                Authorization: Bearer <token>. Errors: {"error": {"code", "message", "fields"}}. Generated from typed \
                values and checked against the server's answers in its tests and by Schemathesis in CI.
                """, version: "1.0.0"),
            servers: [.init(url: URL(string: "/")!)],
            paths: paths,
            components: .init(schemas: schemas,
                              securitySchemes: ["bearer": .b(.http(scheme: "bearer", description: "A token from POST /api/v1/session"))]),
            security: [[.component(named: "bearer"): []]]
        )
    }

    private static func operation(_ op: Operation) -> OpenAPI.Operation {
        var parameters: OpenAPI.Parameter.Array = op.path.split(separator: "/").filter { $0.hasPrefix("{") }.map {
            .b(OpenAPI.Parameter(name: String($0.dropFirst().dropLast()), context: .path(schema: uuid)))
        }
        if op.paging {
            parameters.append(.b(query("page", .integer(maximum: (1_000_000, exclusive: false), minimum: (1, exclusive: false)))))
            parameters.append(.b(query("per", .integer(maximum: (PageRequest.maxPer, exclusive: false), minimum: (1, exclusive: false)))))
            parameters.append(.b(query("count", flag, "Also count every match (total)")))
            parameters.append(.b(query("after", uuid, "The id of the last item of the previous page")))
        }
        parameters += op.query.map { .b($0) }
        if op.versioned {
            parameters.append(.b(OpenAPI.Parameter(name: "If-Match", context: .header(schema: .string(pattern: #"^(W/)?"?[0-9]+"?$"#)),
                                                   description: "The ETag of the version you edit (or send a version field)")))
        }
        var responses: OpenAPI.Response.Map = [:]
        let success = OpenAPI.Response.StatusCode(integerLiteral: op.status)
        if let response = op.response {
            var content = json(response)
            if op.csv { content[OpenAPI.ContentType(rawValue: "text/csv")!] = .b(.init(schema: .string(description: "The table as CSV (docs/reports.md)"))) }
            responses[success] = .b(.init(description: "OK", content: content))
        } else {
            responses[success] = .b(.init(description: "Done, no body"))
        }
        for status in errorStatuses(op) {
            responses[OpenAPI.Response.StatusCode(integerLiteral: status)] =
                .b(.init(description: errorDescription(status), content: json("Error")))
        }
        let body = op.body.map {
            OpenAPI.Request(content: json($0), required: !op.bodyOptional)
        }
        return OpenAPI.Operation(summary: op.summary, operationId: "\(op.method.rawValue.lowercased())\(op.path)",
                                 parameters: parameters, requestBody: body, responses: responses,
                                 security: op.secured ? nil : [])
    }

    private static func json(_ schema: String) -> OpenAPI.Content.Map {
        let content: OpenAPI.Content = .init(schema: Schemas.ref(schema))
        return [.json: .b(content)]
    }

    private static func errorDescription(_ status: Int) -> String {
        switch status {
        case 400: return "Malformed request (body, header or query)"
        case 401: return "No valid bearer token (or wrong credentials)"
        case 403: return "Your role may not do this"
        case 404: return "Does not exist or is not yours to see"
        case 409: return "Conflict: a stale version or state, or a step the record does not allow now"
        case 413: return "Body larger than 1 MiB"
        case 415: return "Not JSON"
        case 422: return "Invalid input: fields names each problem"
        case 428: return "Send the version you edit (If-Match or a version field)"
        case 429: return "Too many attempts"
        case 503: return "The database does not answer"
        default: return "Error"
        }
    }

    // MARK: building blocks

    fileprivate static func query(_ name: String, _ schema: JSONSchema, _ description: String? = nil) -> OpenAPI.Parameter {
        OpenAPI.Parameter(name: name, context: .query(schema: schema), description: description)
    }

    /// The page of a match result: the best 20 unless asked otherwise, the excluded offers only when asked.
    fileprivate static var matchWindow: [OpenAPI.Parameter] {
        [query("limit", .integer(maximum: (MatchWindow.maximumLimit, exclusive: false), minimum: (1, exclusive: false)),
               "How many matches (default \(MatchWindow.defaultLimit))"),
         query("offset", .integer(maximum: (1_000_000, exclusive: false), minimum: (0, exclusive: false)),
               "Skip this many of the ranked matches (default 0)"),
         query("excluded", flag, "Also list the offers on the family's themes that break a hard constraint")]
    }

    fileprivate static var uuid: JSONSchema { .string(format: .uuid) }
    /// Query flags: the server reads `true`/`1` as yes.
    fileprivate static var flag: JSONSchema { .string(allowedValues: ["true", "false", "1", "0"]) }
    /// ISO 639-1 or 639-3 codes (vocabulary.md); the server checks them against the ISO list.
    fileprivate static var language: JSONSchema { .string(pattern: "^[a-z]{2,3}$") }
    fileprivate static var referralStatusFilter: JSONSchema { .string(allowedValues: (ReferralStatus.allCodes + ["open"]).map { AnyCodable($0) }) }
    fileprivate static func code<V: VocabularyCode>(_: V.Type) -> JSONSchema { .string(allowedValues: V.allCodes.map { AnyCodable($0) }) }
}

private extension Either where A == OpenAPI.Reference<OpenAPI.PathItem>, B == OpenAPI.PathItem {
    var pathItemValue: OpenAPI.PathItem? { if case .b(let item) = self { return item }; return nil }
}
