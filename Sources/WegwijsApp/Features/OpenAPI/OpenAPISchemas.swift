import Foundation
import OpenAPIKit
import WegwijsCore

/// The component schemas of `/openapi.json`. Request schemas carry the rules the server enforces (codes, lengths,
/// ranges, formats, required fields); response schemas describe every member the server sends and no other
/// (`additionalProperties: false`). Optional members are left out of an answer when empty (Swift's encoder omits
/// nil), so they are not `required` there.
enum Schemas {
    typealias S = JSONSchema

    static var all: [(String, JSONSchema)] {
        [
            ("Error", error), ("Health", closed(["status": .string(allowedValues: ["ok"])])),
            ("SessionInput", open(["username": .string(minLength: 1, maxLength: 200), "password": .string(minLength: 1, maxLength: 1_000)])),
            ("SessionOutput", closed(["token": .string(minLength: 1), "expiresAt": dateTime])),
            ("FamilyFilter", open(["name": searchName.opt, "language": language.opt,
                                   "situation": code(Situation.self).opt, "status": code(FamilyStatus.self).opt,
                                   "mine": S.boolean.opt, "openNeed": code(Theme.self).opt, "parentLanguage": language.opt])),
            ("FamilyInput", familyInput),
            ("DuplicateCandidates", closed(["candidates": .array(maxItems: FamilyService.duplicatesShown, items: closed([
                "id": uuid, "reference": S.string, "name": S.string,
                "members": .array(items: closed(["givenName": S.string, "birthYear": S.integer.opt])),
                "reasons": .array(minItems: 1, items: .string(allowedValues: ["same-person", "same-names"]))]))])),
            ("CloseFamilyInput", open([
                "reason": code(ClosingReason.self), "note": text(FamilyValidation.maxTextLength).opt, "version": version.opt])),
            ("VersionInput", open(["version": version.opt])),
            ("MemberInput", memberInput), ("Member", member), ("MemberList", .array(items: ref("Member"))),
            ("Family", family), ("FamilyListPage", listPage("Family", next: true)),
            ("ConsentInput", open([
                "purpose": code(ConsentPurpose.self), "organisationId": uuid,
                "dataCategories": codes(DataCategory.self, minItems: 1), "givenBy": name(FamilyValidation.maxNameLength),
                "givenOn": date.opt, "note": text(FamilyValidation.maxTextLength).opt])),
            ("Consent", closed([
                "id": uuid, "familyId": uuid, "purpose": code(ConsentPurpose.self), "organisationId": uuid,
                "organisationName": S.string, "dataCategories": codes(DataCategory.self), "givenBy": S.string, "givenOn": date,
                "withdrawnAt": dateTime.opt, "active": S.boolean, "note": S.string.opt, "recordedAt": dateTime.opt])),
            ("ConsentList", .array(items: ref("Consent"))),
            ("OfferDraft", offerDraft),
            ("OfferInput", open(["organisationId": uuid.opt, "version": version.opt, "offer": ref("OfferDraft")])),
            ("Offer", closed(["id": uuid, "organisationId": uuid, "status": .string(allowedValues: ["active", "retired", "to-classify"]),
                              "version": version, "updatedAt": dateTime.opt, "offer": ref("OfferDraft")])),
            ("OfferPage", closed(["items": .array(items: ref("Offer")), "page": page, "per": per, "total": count])),
            ("ScreeningInstrument", closed(["version": version,
                                            "instrument": .object(description: "Sections of items (Resources/Screening/instrument.json)")])),
            ("ScreeningAnswer", screeningAnswer),
            ("ScreeningInput", open([
                "occasion": .string(allowedValues: ["intake", "guidance"]).opt, "conductedOn": date.opt, "memberId": uuid.opt,
                "answers": .object(minProperties: 1, additionalProperties: .b(ref("ScreeningAnswer")))])),
            ("Screening", closed([
                "id": uuid, "occasion": .string(allowedValues: ["intake", "guidance"]), "conductedOn": date,
                "memberId": uuid.opt, "instrumentVersion": version, "by": S.string,
                "answers": .object(additionalProperties: .b(ref("ScreeningAnswer"))),
                "changes": closed([
                    "confidence": intMap, "newThemes": codes(Theme.self), "themesGone": codes(Theme.self),
                    "themesChanged": intMap, "newStressors": .array(items: .string), "stressorsGone": .array(items: .string),
                    "newlyKnownProvisions": codes(Provision.self), "newlyUsedProvisions": codes(Provision.self),
                ]).opt,
                "provisions": closed([
                    "known": codes(Provision.self).with(description: "Provisions the parent knows (a provision used counts as known), R48"),
                    "used": codes(Provision.self),
                ]).opt])),
            ("ScreeningList", .array(items: ref("Screening"))),
            ("NeedInput", open([
                "theme": code(Theme.self).opt, "priority": .integer(maximum: (3, exclusive: false), minimum: (1, exclusive: false)).opt,
                "note": text(FamilyValidation.maxTextLength).opt, "raisedByMemberId": uuid.opt,
                "status": .string(allowedValues: ["open", "closed"]).opt, "mergeInto": uuid.opt, "version": version.opt])),
            ("Need", closed([
                "id": uuid, "theme": code(Theme.self), "priority": .integer(maximum: (3, exclusive: false), minimum: (1, exclusive: false)),
                "source": .string(allowedValues: ["screening", "staff"]), "raisedByMemberId": uuid.opt,
                "status": .string(allowedValues: ["open", "closed", "merged"]), "mergedInto": uuid.opt, "note": S.string.opt,
                "version": version])),
            ("NeedList", .array(items: ref("Need"))),
            ("PlanAction", open([
                "text": name(500), "who": text(200), "due": date.opt, "done": S.boolean, "kind": S.string.opt])),
            ("PlanInput", open([
                "goals": .array(items: name(500)).opt, "actions": .array(items: ref("PlanAction")).opt,
                "phase": .integer(maximum: (3, exclusive: false), minimum: (1, exclusive: false)).opt,
                "phaseNote": text(FamilyValidation.maxTextLength).opt, "reviewDate": date.opt, "urgent": S.boolean.opt,
                "version": version])),
            ("Plan", plan),
            ("InformationInput", open([
                "pages": .array(minItems: 1, items: .string(minLength: 1)), "language": language,
                "how": .string(allowedValues: ["printed", "sent"]).opt])),
            ("SignalInput", open(["kind": .string(allowedValues: ["concern", "question"]), "text": name(1_000)])),
            ("ContactInput", open([
                "at": dateTime.opt, "mode": .string(allowedValues: IntakeService.contactModes.map { AnyCodable($0) }),
                "memberId": uuid.opt, "language": language.opt, "interpreter": S.boolean.opt, "note": text(2_000).opt,
                "signal": ref("SignalInput", required: false)])),
            ("Contact", closed([
                "id": uuid, "at": dateTime, "by": S.string, "mode": .string(allowedValues: IntakeService.contactModes.map { AnyCodable($0) }),
                "memberId": uuid.opt, "language": S.string.opt, "interpreter": S.boolean, "note": S.string.opt,
                "noteHidden": S.boolean])),
            ("ContactList", .array(items: ref("Contact"))),
            ("Signal", closed([
                "id": uuid, "kind": .string(allowedValues: ["concern", "question"]), "text": S.string, "raisedBy": S.string,
                "raisedByRole": code(Role.self), "status": .string(allowedValues: ["open", "handled"]),
                "handledBy": S.string.opt, "createdAt": dateTime.opt])),
            ("SignalList", .array(items: ref("Signal"))),
            ("MeldcodeOpenInput", open(["colleagueId": uuid, "childMemberId": uuid.opt])),
            ("MeldcodeStepInput", open([
                "step": .integer(maximum: (5, exclusive: false), minimum: (1, exclusive: false)), "note": name(2_000),
                "decision": .string(allowedValues: ["help", "report"]).opt, "version": version.opt])),
            ("Meldcode", closed([
                "id": uuid, "status": .string(allowedValues: ["open", "decided"]),
                "decision": .string(allowedValues: ["help", "report"]).opt, "leadUserId": uuid, "colleagueUserId": uuid,
                "childMemberId": uuid.opt,
                "steps": .array(items: closed([
                    "step": .integer(maximum: (5, exclusive: false), minimum: (1, exclusive: false)), "on": date,
                    "signedBy": S.string, "signedByUserID": uuid, "note": S.string])),
                "nextStep": .integer(maximum: (5, exclusive: false), minimum: (1, exclusive: false)).opt,
                "version": version, "openedAt": dateTime.opt])),
            ("MeldcodeList", .array(items: ref("Meldcode"))),
            ("MatchProfile", matchProfile(input: true)),
            ("FamilyProfile", matchProfile(input: false)),
            ("Explanation", closed(["code": S.string, "nl": S.string, "en": S.string])),
            ("Match", closed([
                "offerId": uuid, "name": S.string, "score": S.integer, "themes": codes(Theme.self),
                "reasons": .array(items: ref("Explanation")), "warnings": .array(items: ref("Explanation"))])),
            ("Exclusion", closed([
                "offerId": uuid, "name": S.string,
                "constraints": .array(items: .string(allowedValues: MatchConstraint.allCases.map { AnyCodable($0.rawValue) }))])),
            // One page of the ranked matches (`limit` / `offset`, best 20 by default); `excluded` only with `excluded=true`.
            ("MatchResult", closed([
                "matches": .array(items: ref("Match")), "total": count, "offset": count, "limit": matchLimit,
                "excluded": .array(items: ref("Exclusion")).opt])),
            ("FamilyMatches", closed([
                "profile": ref("FamilyProfile"), "matches": .array(items: ref("Match")), "total": count, "offset": count,
                "limit": matchLimit, "excluded": .array(items: ref("Exclusion")).opt])),
            ("OfferChoicesInput", open(["discussed": .array(minItems: 1, items: uuid), "chosen": .array(items: uuid).opt])),
            ("ReferralInput", open([
                "familyId": uuid, "offerId": uuid.opt, "organisationId": uuid.opt, "memberIds": .array(items: uuid),
                "needIds": .array(items: uuid).opt, "reason": name(ReferralTransitionInput.maxText),
                "ownWords": text(ReferralTransitionInput.maxText).opt, "language": language.opt,
                "interpreterNeeded": S.boolean.opt, "sharedFields": codes(ReferralSharedField.self).opt, "consentId": uuid.opt,
                "send": S.boolean.opt, "redirectedFrom": uuid.opt])),
            ("TransitionInput", open([
                "to": code(ReferralStatus.self), "from": code(ReferralStatus.self).opt, "version": version.opt,
                "note": text(ReferralTransitionInput.maxText).opt, "reason": text(ReferralTransitionInput.maxText).opt,
                "expectedDate": date.opt, "plannedOn": date.opt, "plannedTime": time.opt,
                "plannedPlace": S.string(description: "Where the first contact is", maxLength: ReferralTransitionInput.maxPlace).opt,
                "companionId": uuid.opt,
                "accompanied": S.boolean.opt, "outcome": code(ReferralOutcome.self).opt,
                "declineReason": code(DeclineReason.self).opt, "madeOn": date.opt])),
            ("HandoverInput", open(["happened": S.boolean, "note": text(ReferralTransitionInput.maxText).opt])),
            ("NoteInput", open(["note": text(ReferralTransitionInput.maxText).opt])),
            ("ReadInput", open(["id": uuid.opt])),
            ("ReferralSettings", closed([
                "answerWorkingDays": .integer(maximum: (60, exclusive: false), minimum: (1, exclusive: false)),
                "firstContactDays": .integer(maximum: (180, exclusive: false), minimum: (1, exclusive: false)),
                "partnerAccessDays": .integer(maximum: (365, exclusive: false), minimum: (0, exclusive: false))])),
            ("NamedRef", closed(["id": uuid, "name": S.string])),
            ("SharedFamilyData", shared),
            ("Referral", referral),
            ("ReferralEvent", closed([
                "at": dateTime, "by": S.string, "role": S.string, "kind": S.string, "from": code(ReferralStatus.self).opt,
                "to": code(ReferralStatus.self).opt, "note": S.string.opt, "detail": S.string])),
            ("ReferralEventList", .array(items: ref("ReferralEvent"))),
            ("ReferralItem", closed([
                "id": uuid, "status": code(ReferralStatus.self), "familyReference": S.string, "familyId": uuid.opt,
                "familyName": S.string.opt, "firstName": S.string.opt, "offerName": S.string.opt, "organisationName": S.string,
                "sentOn": date.opt, "expectedOn": date.opt, "plannedOn": date.opt, "closedOn": date.opt,
                "answerBy": date.with(description: "Waiting for the partner's answer: the day it is due (inbox, worklist)").opt])),
            ("ReferralItemList", .array(items: ref("ReferralItem"))),
            ("ReferralPage", listPage("ReferralItem", next: false)),
            // The worklist: what needs you, most urgent first, plus the group sessions to be reminded of
            // (docs/worklist.md; docs/groups.md, "Calendar").
            ("WorkItem", workItem),
            ("Worklist", worklist),
            ("Report", reportTable),
            ("Notification", closed([
                "id": uuid, "kind": S.string, "referralId": uuid.opt, "familyReference": S.string, "organisationName": S.string,
                "createdAt": dateTime, "read": S.boolean])),
            ("NotificationList", .array(items: ref("Notification"))),
            ("GroupSeriesInput", open([
                "offerId": uuid, "language": language, "interpreter": S.boolean.opt, "audience": code(Audience.self),
                "minSize": seriesSize.opt, "maxSize": seriesSize.opt, "place": name(40).with(description: "A district code, or online"),
                "location": text(200).opt, "time": code(TimeOfDay.self), "childcare": S.boolean.opt, "startsOn": date,
                "endsOn": date, "trainerId": uuid, "keyPersonId": uuid, "status": code(GroupSeriesStatus.self).opt,
                "version": version.opt])),
            ("GroupSeries", closed([
                "id": uuid, "offerId": uuid, "language": language, "interpreter": S.boolean, "audience": code(Audience.self),
                "minSize": seriesSize, "maxSize": seriesSize, "place": S.string, "location": S.string.opt,
                "time": code(TimeOfDay.self), "childcare": S.boolean, "startsOn": date, "endsOn": date,
                "status": code(GroupSeriesStatus.self), "trainerId": uuid, "keyPersonId": uuid, "participantCount": count,
                "sessionCount": count, "version": version])),
            ("GroupSeriesList", .array(items: ref("GroupSeries"))),
            ("GroupSessionInput", open([
                "date": date, "startsAt": time, "endsAt": time, "topic": code(Theme.self), "place": text(200).opt,
                "guestIds": S.array(items: uuid).opt, "version": version.opt])),
            ("GroupParticipantInput", open([
                "memberId": uuid, "source": code(ParticipantSource.self), "waitingEntryId": uuid.opt])),
            ("GroupParticipantUpdate", open([
                "invitation": code(InvitationAnswer.self).opt, "status": code(ParticipantStatus.self).opt,
                "dropOutReason": code(DropOutReason.self).opt, "version": version.opt])),
            ("GroupAttendanceInput", open([
                "records": S.array(items: open([
                    "participantId": uuid, "status": code(AttendanceStatus.self),
                    "childrenBrought": S.integer(maximum: (20, exclusive: false), minimum: (0, exclusive: false)).opt])).opt,
                "childcareHeadcount": S.integer(maximum: (100, exclusive: false), minimum: (0, exclusive: false)).opt])),
            ("GroupSession", closed([
                "id": uuid, "number": page, "date": date, "startsAt": time, "endsAt": time, "topic": code(Theme.self),
                "place": S.string.opt, "guestIds": S.array(items: uuid), "childcareHeadcount": count.opt,
                "attendance": S.array(items: closed([
                    "participantId": uuid, "status": code(AttendanceStatus.self), "childrenBrought": count])),
                "version": version])),
            ("GroupParticipant", closed([
                "id": uuid, "memberId": uuid, "familyId": uuid, "name": S.string, "source": code(ParticipantSource.self),
                "invitation": code(InvitationAnswer.self), "status": code(ParticipantStatus.self),
                "dropOutReason": code(DropOutReason.self).opt, "version": version])),
            // The procurement checklist (docs/procurement.md): the gaps table in the one report shape, and beside it
            // the criteria, the offers scored, the portfolio and the funding.
            ("ProcurementOffer", procurementOffer),
            ("ProcurementPortfolioResult", closed([
                "criterion": .string(allowedValues: PortfolioCriterion.allCases.map { AnyCodable($0.rawValue) }),
                "status": .string(allowedValues: ["met", "partly", "not-met", "not-applicable"]), "met": count, "of": count,
                "missing": .array(items: .string)])),
            ("ProcurementFunding", closed([
                "funding": code(FundingSource.self).with(description: "Absent: offers whose source is not recorded").opt, "offers": count])),
            ("ProcurementMunicipality", procurementTable([
                "name": S.string, "offers": .array(items: ref("ProcurementOffer")),
                "portfolio": .array(items: ref("ProcurementPortfolioResult")), "funding": .array(items: ref("ProcurementFunding"))])),
            ("ProcurementReport", procurementTable([
                "scope": .string(allowedValues: ["municipality", "region"]), "name": S.string,
                "criteria": .array(items: closed([
                    "scope": .string(allowedValues: ["offer", "portfolio", "gap"]), "code": S.string,
                    "sources": .array(items: .string(pattern: "^R[0-9]+$"))])),
                "offers": .array(description: "The municipality's active offers, scored (region: the offers bought for the whole region)",
                                 items: ref("ProcurementOffer")),
                "portfolio": S.array(items: ref("ProcurementPortfolioResult")).opt,
                "funding": S.array(items: ref("ProcurementFunding")).opt,
                "municipalities": S.array(description: "scope=region: each municipality of the region", items: ref("ProcurementMunicipality")).opt])),
            ("GroupPlanRequest", open([
                "offerId": uuid, "minSize": seriesSize.opt, "maxSize": seriesSize.opt,
                "maxSeriesPerFacilitator": S.integer(maximum: (10, exclusive: false), minimum: (1, exclusive: false)).opt,
                "series": count.opt, "startsOn": date.opt, "endsOn": date.opt,
                // Accepting with edits: another trainer, key person, place or time for a new series; a subset of its parents.
                "trainerId": uuid.opt, "keyPersonId": uuid.opt, "place": S.string.opt, "time": code(TimeOfDay.self).opt,
                "parents": S.array(items: uuid).opt])),
            ("GroupInviteRequest", open([
                "offerId": uuid, "settledMonths": S.integer(maximum: (120, exclusive: false), minimum: (1, exclusive: false)).opt])),
            ("GroupInviteResult", closed(["added": count, "waiting": count])),
            ("GroupDistrictsInput", open([
                "districts": S.array(items: open(["code": name(32), "name": name(80), "postcodes": S.array(items: S.string).opt]))])),
            ("GroupDistrictList", closed([
                "districts": S.array(items: closed(["code": S.string, "name": S.string, "postcodes": S.array(items: S.string)]))])),
            ("ParentAvailabilityInput", open([
                "times": codes(TimeOfDay.self, minItems: 1), "online": S.boolean.opt, "mixedOk": S.boolean.opt,
                "districts": S.array(items: S.string).opt])),
            ("ParentAvailability", closed([
                "memberId": uuid, "times": codes(TimeOfDay.self), "online": S.boolean, "mixedOk": S.boolean,
                "districts": S.array(items: S.string)])),
            ("FacilitatorAvailabilityInput", open([
                "times": codes(TimeOfDay.self, minItems: 1),
                "maxSeries": S.integer(maximum: (10, exclusive: false), minimum: (0, exclusive: false))])),
            ("FacilitatorAvailability", closed([
                "userId": uuid, "times": codes(TimeOfDay.self),
                "maxSeries": S.integer(maximum: (10, exclusive: false), minimum: (0, exclusive: false))])),
            ("GroupHandout", closed([
                "seriesId": uuid, "sessionId": uuid, "number": page, "date": date, "startsAt": time, "endsAt": time,
                "topic": code(Theme.self), "topicName": S.string, "seriesLanguage": language, "language": language,
                "whereTitle": S.string, "from": S.string,
                "pages": S.array(items: closed([
                    "slug": S.string, "title": S.string, "summary": S.string, "language": language,
                    "dir": S.string(allowedValues: ["ltr", "rtl"]),
                    "blocks": S.array(items: closed(["kind": S.string, "text": S.string, "items": S.array(items: S.string)]))])),
                "addresses": S.array(items: closed([
                    "offer": S.string, "place": S.string.opt, "address": S.string.opt, "phone": S.string.opt, "url": S.string.opt]))])),
            ("GroupPlanResult", closed([
                "offerId": uuid,
                "plan": closed([
                    "series": S.array(items: closed([
                        "id": S.string.opt, "language": language, "audience": code(Audience.self), "time": code(TimeOfDay.self),
                        "place": S.string, "trainer": S.string, "keyPerson": S.string, "parents": S.array(items: S.string)])),
                    "unplaced": S.array(items: closed([
                        "id": S.string, "reason": code(UnplacedReason.self), "explanation": S.string]))])])),
            ("GroupSeriesDetail", closed([
                "series": ref("GroupSeries"), "sessions": S.array(items: ref("GroupSession")),
                "participants": S.array(items: ref("GroupParticipant"))])),
            // Calendar feed links (docs/groups.md, "Calendar"): the token is in `url` once, on creation, never again.
            ("CalendarLinkInput", open([
                "kind": S.string(allowedValues: CalendarLinkKind.allCases.map { AnyCodable($0.rawValue) }),
                "seriesId": uuid.with(description: "With kind series").opt])),
            ("CalendarLinkCreated", closed([
                "id": uuid, "url": S.string(pattern: "/calendar/[A-Za-z0-9_-]{43}\\.ics$"),
                "kind": S.string(allowedValues: CalendarLinkKind.allCases.map { AnyCodable($0.rawValue) }), "createdAt": dateTime])),
            ("CalendarLink", closed([
                "id": uuid, "kind": S.string(allowedValues: CalendarLinkKind.allCases.map { AnyCodable($0.rawValue) }),
                "seriesId": uuid.opt, "createdAt": dateTime, "revokedAt": dateTime.opt])),
            ("CalendarLinkList", .array(items: ref("CalendarLink"))),
            // The parents' evaluation (docs/groups.md, "Evaluation"): counts only; null (absent) where suppressed.
            ("GroupEvaluationResults", evaluationResults),
            ("GroupEvaluationLink", closed([
                "status": S.string(allowedValues: ["open", "closed"]),
                "path": S.string(pattern: "^/evaluatie/[0-9a-f]{64}$"), "url": S.string, "version": version])),
            ("GroupEvaluationCloseInput", open(["version": version.opt])),
            ("GroupOfferEvaluation", closed([
                "offerId": uuid, "seriesEvaluated": count, "results": ref("GroupEvaluationResults")])),
        ]
    }

    static var workItem: S {
        closed([
            "kind": code(WorkKind.self), "action": code(WorkAction.self),
            "href": S.string(description: "The page of this application where the action is done", pattern: "^/"),
            "due": date, "overdue": S.boolean(description: "Due before today"), "since": date.opt,
            "familyReference": S.string, "familyId": uuid.opt, "familyName": S.string.opt, "firstName": S.string.opt,
            "referralId": uuid.opt, "offerName": S.string.opt, "organisationName": S.string.opt, "time": time.opt,
            "place": S.string(description: "A first contact: where it is").opt,
            "detail": S.string(description: "A plan action: its text").opt,
        ])
    }

    static var worklist: S {
        var counts = OrderedDictionary<String, S>()
        for kind in WorkKind.allCases { counts[kind.rawValue] = count.opt }
        var members = properties(["items": .array(items: ref("WorkItem")), "page": page, "per": per,
                                  "hasMore": .boolean(description: "Whether a next page exists"),
                                  "total": count.with(description: "Items of the filter (all kinds without one)")])
        members["counts"] = .object(description: "Items of each kind in the whole list, whatever the filter (kinds without items left out)",
                                    properties: counts, additionalProperties: .a(false))
        members["groupSessions"] = S.array(description: "Not paged: tomorrow's sessions of the series you lead, and the sessions in the coming 14 days you join as a guest",
                                           items: closed([
            "reason": S.string(allowedValues: GroupCalendar.WorklistReason.allCases.map { AnyCodable($0.rawValue) }),
            "seriesId": uuid, "sessionId": uuid, "number": page, "date": date, "startsAt": time, "endsAt": time,
            "topic": code(Theme.self), "language": language, "audience": code(Audience.self), "place": S.string]))
        return .object(properties: members, additionalProperties: .a(false))
    }

    static var evaluationResults: S {
        let faces = closed(["yes": count.opt, "aLittle": count.opt, "no": count.opt, "skipped": count.opt])
        return closed([
            "status": S.string(allowedValues: ["not-opened", "open", "closed"]),
            "suppressed": S.boolean(description: "Small counts (< 5) and their complements are left out (policy officers)"),
            "responses": count.opt, "answerLimit": count.opt,
            "questions": S.array(items: closed([
                "question": S.string(allowedValues: EvaluationQuestion.allCases.map { AnyCodable($0.rawValue) }), "counts": faces])),
            "topics": S.array(items: closed(["topic": code(Theme.self), "count": count.opt])),
            "noTopic": count.opt,
            "facilitators": S.array(items: closed([
                "authorId": uuid, "role": S.string(allowedValues: ["trainer", "key-person", "coordinator"]),
                "wentWell": text(GroupEvaluation.facilitatorTextLimit), "toChange": text(GroupEvaluation.facilitatorTextLimit),
                "attendance": text(GroupEvaluation.facilitatorTextLimit),
                "rating": S.integer(maximum: (5, exclusive: false), minimum: (1, exclusive: false)),
                "writtenOn": date, "version": version])).opt,
            "version": version.opt])
    }

    // MARK: building blocks

    static func ref(_ name: String, required: Bool = true) -> S { .reference(.component(named: name), required: required) }
    static var uuid: S { .string(format: .uuid) }
    static var date: S { .string(format: .date) }
    static var dateTime: S { .string(format: .dateTime) }
    /// `HH:MM`, 00:00 to 23:59.
    static var time: S { .string(pattern: "^([01][0-9]|2[0-3]):[0-5][0-9]$") }
    static var version: S { .integer(minimum: (0, exclusive: false)) }
    static var page: S { .integer(minimum: (1, exclusive: false)) }
    static var per: S { .integer(maximum: (PageRequest.maxPer, exclusive: false), minimum: (1, exclusive: false)) }
    static var count: S { .integer(minimum: (0, exclusive: false)) }
    /// A count that is null where small counts are suppressed.
    static var nullableCount: S { .integer(nullable: true, minimum: (0, exclusive: false)) }
    static var seriesSize: S { .integer(maximum: (GroupSeriesRules.largestSeries, exclusive: false), minimum: (1, exclusive: false)) }
    static var intMap: S { .object(additionalProperties: .b(.integer)) }
    /// ISO 639-1 or 639-3 (vocabulary.md); the server checks the code against the ISO list.
    static var language: S { .string(pattern: "^[a-z]{2,3}$") }
    static var languages: S { .array(items: language) }
    /// Free text of at most `max` characters.
    static func text(_ max: Int) -> S { .string(maxLength: max) }
    /// A name search: empty (no filter), or at least two characters that are not spaces.
    static var searchName: S { .string(maxLength: FamilyValidation.maxNameLength, pattern: "^\\s*$|\\S[\\s\\S]*\\S") }
    static var matchLimit: S { .integer(maximum: (MatchWindow.maximumLimit, exclusive: false), minimum: (1, exclusive: false)) }
    /// Text that must say something: not empty, not only spaces, at most `max` characters.
    static func name(_ max: Int) -> S { .string(minLength: 1, maxLength: max, pattern: "\\S") }
    static func code<V: VocabularyCode>(_: V.Type) -> S { .string(allowedValues: V.allCodes.map { AnyCodable($0) }) }
    static func codes<V: VocabularyCode>(_: V.Type, minItems: Int? = nil) -> S { .array(minItems: minItems, items: code(V.self)) }

    /// Properties in order; a schema marked `.opt` is not required.
    static func properties(_ members: KeyValuePairs<String, S>) -> OrderedDictionary<String, S> {
        var result = OrderedDictionary<String, S>()
        for (key, value) in members { result[key] = value }
        return result
    }
    /// A request body: unknown members are ignored by the server, so they are allowed.
    static func open(_ members: KeyValuePairs<String, S>) -> S { .object(properties: properties(members)) }
    /// An answer: exactly these members.
    static func closed(_ members: KeyValuePairs<String, S>) -> S {
        .object(properties: properties(members), additionalProperties: .a(false))
    }

    static func listPage(_ item: String, next: Bool) -> S {
        var members = properties(["items": .array(items: ref(item)), "page": page, "per": per,
                                  "hasMore": .boolean(description: "Whether a next page exists"),
                                  "total": count.with(description: "Only with count=true").opt])
        if next { members["next"] = uuid.with(description: "The `after` value that fetches the next page").opt }
        return .object(properties: members, additionalProperties: .a(false))
    }

    // MARK: schemas

    static var error: S {
        closed(["error": closed([
            "code": .string(minLength: 1), "message": .string(minLength: 1),
            "fields": S.object(description: "Field → what is wrong with it", additionalProperties: .b(.string)).opt,
        ])])
    }

    private static var memberFields: KeyValuePairs<String, S> {
        [
            "role": code(MemberRole.self), "givenName": name(FamilyValidation.maxNameLength),
            "familyName": text(FamilyValidation.maxNameLength).opt, "gender": code(Gender.self).opt, "birthDate": date.opt,
            "birthYear": .integer(maximum: (9999, exclusive: false), minimum: (1900, exclusive: false)).opt,
            "countryOfOrigin": S.string(description: "ISO 3166-1 alpha-2", pattern: "^[A-Z]{2}$").opt,
            "languagesSpoken": languages.opt, "languagesRead": languages.opt, "dutchLevel": code(DutchLevel.self).opt,
            "arrivalDate": date.opt, "settlementDate": date.opt,
            "schoolOrChildcare": text(FamilyValidation.maxTextLength).opt,
            "bsn": S.string(description: "Optional; must pass the 11-test. Shown to the case manager only", pattern: "^[0-9 ]*$").opt,
        ]
    }

    static var memberInput: S {
        var members = properties(memberFields)
        members["version"] = version.opt
        return .object(properties: members)
    }

    static var member: S {
        var members = properties(["id": uuid])
        for (key, value) in properties(memberFields) { members[key] = value }
        members["languagesSpoken"] = languages
        members["languagesRead"] = languages
        members["hasBsn"] = .boolean
        members["version"] = version
        return .object(properties: members, additionalProperties: .a(false))
    }

    static var familyInput: S {
        open([
            "name": name(FamilyValidation.maxNameLength), "address": text(FamilyValidation.maxTextLength).opt,
            "postcode": S.string(description: "A Dutch postcode: 1234 AB", maxLength: 7, pattern: "^[1-9][0-9]{3} ?[A-Za-z]{2}$").opt,
            "contactPreference": code(ContactPreference.self).opt, "situations": codes(Situation.self).opt,
            "caseManagerId": uuid.opt, "keyPersonId": uuid.opt, "socialWorkerId": uuid.opt,
            "members": S.array(description: "Only on create; afterwards members have their own routes", items: ref("MemberInput")).opt,
            "version": version.opt,
        ])
    }

    static var family: S {
        closed([
            "id": uuid, "reference": .string(minLength: 1), "municipality": .string(minLength: 1), "name": S.string,
            "status": code(FamilyStatus.self), "closedReason": code(ClosingReason.self).opt, "address": S.string.opt,
            "postcode": S.string.opt, "contactPreference": code(ContactPreference.self).opt, "situations": codes(Situation.self),
            "languages": languages, "caseManagerId": uuid.opt, "keyPersonId": uuid.opt, "socialWorkerId": uuid.opt,
            "members": .array(items: ref("Member")), "version": version, "createdAt": dateTime.opt, "updatedAt": dateTime.opt,
        ])
    }

    static var offerDraft: S {
        let age = S.integer(maximum: (OfferValidation.maxAge, exclusive: false), minimum: (0, exclusive: false))
        let location = S.object(properties: properties([
            "name": text(200).opt, "address": text(FamilyValidation.maxTextLength).opt,
            "postcode": S.string(pattern: "^([1-9][0-9]{3} ?[A-Za-z]{2})?$").opt, "city": text(200).opt,
            "latitude": S.number(maximum: (90, exclusive: false), minimum: (-90, exclusive: false)).opt,
            "longitude": S.number(maximum: (180, exclusive: false), minimum: (-180, exclusive: false)).opt,
        ]))
        return .object(description: "Every attribute of an offer; the same shape in requests and answers", properties: properties([
            "name": name(200), "description": name(4_000), "kind": code(OfferKind.self), "supportType": code(SupportType.self),
            "forms": codes(OfferForm.self), "themes": codes(Theme.self, minItems: 1), "forSituations": codes(Situation.self),
            "excludesSituations": codes(Situation.self), "suitsSituations": codes(Situation.self), "audience": code(Audience.self),
            "languages": .array(minItems: 1, items: language), "bridgeInterpreter": .boolean, "bridgeKeyPerson": .boolean,
            "minimumAge": age.opt, "maximumAge": age.opt,
            "phase": S.integer(maximum: (3, exclusive: false), minimum: (1, exclusive: false)).opt,
            "serviceAreas": codes(ServiceArea.self), "locations": .array(items: location), "days": codes(Weekday.self),
            "opensAt": time.opt, "closesAt": time.opt, "sessions": S.integer(minimum: (1, exclusive: false)).opt,
            "frequency": code(Frequency.self).opt, "frequencyNote": text(FamilyValidation.maxTextLength).opt,
            "capacity": S.integer(minimum: (0, exclusive: false)).opt, "freePlaces": S.integer(minimum: (0, exclusive: false)).opt,
            "waitingList": .boolean, "cost": S.number(description: "In euros; 0 or absent is free", minimum: (0, exclusive: false)).opt,
            "costNote": text(FamilyValidation.maxTextLength).opt, "registrationRequired": .boolean, "childcare": .boolean,
            "evidence": code(EvidenceLevel.self).opt, "contactName": text(200).opt, "contactPhone": text(50).opt,
            "contactEmail": S.string(format: .email).opt, "url": S.string(format: .uri, pattern: "^https?://").opt,
            "activeFrom": date.opt, "activeUntil": date.opt, "lastChecked": date.opt, "culture": codes(CultureItem.self),
            "funding": code(FundingSource.self).with(description: "Which budget pays for it (R41); absent when not recorded").opt,
        ]))
    }

    /// An offer of the procurement checklist with its score (`OfferScore`).
    static var procurementOffer: S {
        closed([
            "id": uuid, "name": S.string, "organisation": S.string, "kind": code(OfferKind.self),
            "funding": code(FundingSource.self).with(description: "Absent when not recorded").opt,
            "met": count, "applicable": count, "percent": S.integer(maximum: (100, exclusive: false), minimum: (0, exclusive: false)),
            "criteria": S.object(description: "Per applicable criterion (OfferCriterion): met or not", additionalProperties: .b(.boolean)),
        ])
    }

    /// The gaps table in the one report shape (`ReportTable`), plus `extra` members. Dimensions language, theme, form,
    /// audience and kind (`any`: the gap does not depend on it); the measure `families`, null where suppressed.
    static func procurementTable(_ extra: KeyValuePairs<String, S>) -> S {
        let dimension = S.string(minLength: 1)
        var members = properties([
            "report": .string(allowedValues: ["procurement"]),
            "municipality": S.string(description: "The municipality's code; the region's for scope=region, or a municipality of it", minLength: 1),
            "period": closed(["from": date, "to": date]),
            "dimensions": .array(items: .string(allowedValues: GapTable.dimensions.map { AnyCodable($0) })),
            "measures": .array(items: .string(allowedValues: GapTable.measures.map { AnyCodable($0) })),
            "cells": .array(items: closed([
                "language": dimension, "theme": dimension, "form": dimension, "audience": dimension, "kind": dimension,
                "families": nullableCount])),
            "margins": .array(description: "Per language: the families with open questions in it; the last, without a language: all of them",
                              items: closed(["language": dimension.opt, "families": nullableCount])),
        ])
        for (key, value) in properties(extra) { members[key] = value }
        return .object(properties: members, additionalProperties: .a(false))
    }

    /// A number (scale), a code (choice, language), codes (multi), yes/no, or theme → priority 0-3 (themes).
    static var screeningAnswer: S {
        .one(of: [.integer, .string, .array(items: .string), .boolean,
                  .object(additionalProperties: .b(.integer(maximum: (3, exclusive: false), minimum: (0, exclusive: false))))])
    }

    static var plan: S {
        let planned = closed([
            "goals": .array(items: .string), "actions": .array(items: closed([
                "text": S.string, "who": S.string, "due": date.opt, "done": S.boolean, "kind": S.string.opt])),
            "phase": S.integer(maximum: (3, exclusive: false), minimum: (1, exclusive: false)),
            "phaseHistory": .array(items: closed([
                "phase": S.integer(maximum: (3, exclusive: false), minimum: (1, exclusive: false)), "on": date, "by": S.string,
                "note": S.string.opt])),
            "reviewDate": date.opt, "urgent": S.boolean, "activeSupportFrom": date.opt,
            "informationGiven": .array(items: closed([
                "pages": .array(items: .string), "language": language, "how": .string(allowedValues: ["printed", "sent"]),
                "on": date, "by": S.string, "referralId": uuid.opt])),
            "offerChoices": .array(items: closed([
                "offerId": uuid, "name": S.string, "chosen": S.boolean, "on": date, "by": S.string, "referralId": uuid.opt])),
        ])
        return closed(["plan": planned, "version": version, "proposed": S.boolean, "lead": uuid.opt, "keyPerson": uuid.opt])
    }

    /// The body of `POST /match` needs a parent and a theme; the profile built from a stored family may have neither
    /// yet (no screening, no open need).
    static func matchProfile(input: Bool) -> S {
        let needed = input ? 1 : nil
        // A request body may carry members the server ignores; an answer holds exactly these.
        let childAge = S.integer(maximum: (OfferValidation.maxAge, exclusive: false), minimum: (0, exclusive: false))
        func object(_ members: KeyValuePairs<String, S>) -> S { input ? open(members) : closed(members) }
        return object([
            "parents": .array(minItems: needed, items: object([
                "gender": code(Gender.self).opt, "languages": languages, "dutchLevel": code(DutchLevel.self).opt])),
            "children": S.array(items: object(["age": childAge])).opt,
            "situations": codes(Situation.self).opt,
            "themes": .array(minItems: needed, items: object([
                "code": code(Theme.self), "priority": S.string(allowedValues: ["high", "normal", "low"]).opt])),
            "preferences": object([
                "forms": codes(OfferForm.self).opt, "audience": code(Audience.self).opt,
                "online": S.string(allowedValues: ["yes", "no", "any"]).opt,
                "time": S.string(allowedValues: ["daytime", "evening", "any"]).opt, "childcare": S.boolean.opt,
                "postcode": S.string(description: "Four digits (or the first two) of the family's postcode", pattern: "^[1-9][0-9]([0-9]{2})?$").opt,
            ]).opt,
            "settledOn": date.opt, "urgent": S.boolean.opt,
        ])
    }

    static var shared: S {
        closed([
            "parents": .array(items: closed(["firstName": S.string.opt, "familyName": S.string.opt])),
            "language": S.string.opt, "interpreterNeeded": S.boolean,
            "childrenAges": S.array(items: .integer(minimum: (0, exclusive: false))).opt,
            "question": closed(["themes": codes(Theme.self), "reason": S.string, "ownWords": S.string.opt]).opt,
            "contactDetails": closed(["address": S.string.opt, "postcode": S.string.opt,
                                      "contactPreference": code(ContactPreference.self).opt]).opt,
            "situations": codes(Situation.self).opt,
            "screening": closed(["conductedOn": date.opt, "themes": codes(Theme.self)]).opt,
        ])
    }

    static var referral: S {
        closed([
            "id": uuid, "version": version, "status": code(ReferralStatus.self), "statusChangedAt": dateTime,
            "familyReference": S.string, "familyId": uuid.opt, "familyName": S.string.opt,
            "memberIds": S.array(items: uuid).opt, "needIds": S.array(items: uuid).opt, "consentId": uuid.opt,
            "consentActive": S.boolean, "offer": ref("NamedRef", required: false), "organisation": ref("NamedRef"),
            "referredBy": S.string, "lead": ref("NamedRef"), "sharedFields": codes(ReferralSharedField.self),
            "shared": ref("SharedFamilyData"), "sentOn": date.opt, "expectedOn": date.opt, "plannedOn": date.opt,
            "plannedTime": time.opt, "plannedPlace": S.string.opt, "companion": ref("NamedRef", required: false),
            "handoverHappened": S.boolean.opt,
            "accompanied": S.boolean.opt, "firstContactOn": date.opt, "outcome": code(ReferralOutcome.self).opt,
            "closingReason": S.string.opt, "declineReason": code(DeclineReason.self).opt, "closedOn": date.opt, "redirectedFrom": uuid.opt,
            "next": S.array(description: "The states you may move it to", items: code(ReferralStatus.self)),
            "mayRecordHandover": S.boolean, "mayChase": S.boolean, "events": .array(items: ref("ReferralEvent")),
        ])
    }
}

extension JSONSchema {
    /// Not required in its object.
    var opt: JSONSchema { optionalSchemaObject() }
}
