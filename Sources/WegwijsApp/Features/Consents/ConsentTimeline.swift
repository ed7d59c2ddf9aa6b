import Fluent
import Foundation
import WegwijsCore

extension ConsentService {
    /// The consent register's part of a family's timeline: each consent given (on the day it was given) and withdrawn
    /// (at the moment it was), with its purpose and organisation. Through `list`, so the policy's consent cell decides
    /// and the `consent` section is noted for the request's one audit entry.
    func timelineEvents(_ familyID: UUID) async throws -> [FamilyTimelineEvent] {
        var events: [FamilyTimelineEvent] = []
        for (index, (consent, organisation)) in try await list(familyID).reversed().enumerated() {
            if let given = CalendarDate(iso: consent.givenOn) {
                events.append(FamilyTimelineEvent(kind: .consentGiven, on: given, byUserID: consent.$recordedBy.id,
                                                  vocabulary: "consentPurpose", code: consent.purpose, subject: organisation,
                                                  sequence: index))
            }
            if let withdrawn = consent.withdrawnAt {
                events.append(FamilyTimelineEvent(kind: .consentWithdrawn, on: CalendarDate.inNetherlands(withdrawn), at: withdrawn,
                                                  byUserID: consent.$withdrawnBy.id, vocabulary: "consentPurpose",
                                                  code: consent.purpose, subject: organisation, sequence: index))
            }
        }
        return events
    }
}
