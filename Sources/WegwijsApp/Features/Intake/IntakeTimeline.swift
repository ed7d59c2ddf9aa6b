import Fluent
import Foundation
import WegwijsCore

/// Whether the policy table lets `staff` read one section of `family` (its own cell, with the user's relationships to
/// the family): the timeline and the summary show a section only then.
enum TimelineAccess {
    static func may(_ staff: StaffIdentity, _ action: AccessPolicy.Action, _ record: AccessPolicy.RecordType,
                    of family: Family) -> Bool {
        AccessPolicy.decide(role: staff.role, relationships: FamilyAccess.relationships(staff, to: family),
                            action: action, record: record) == .allowed
    }
}

extension IntakeService {
    /// The intake's part of a family's timeline: screenings, contact moments, signals, and from the saved plan its
    /// phase changes, welcome packages, offers discussed and actions with a due day. Each section only where the
    /// policy lets this user read it, noted through the door for the request's one audit entry. No screening answers,
    /// contact notes or signal texts: the timeline says what happened, the intake page holds the content.
    /// `family` is the one the caller read through the family door for this request; `groups` the timeline's filter
    /// (a section left out is not read, so the audit entry does not name it).
    func timelineEvents(of family: Family,
                        groups: Set<FamilyTimelineEvent.Group> = Set(FamilyTimelineEvent.Group.allCases)) async throws -> [FamilyTimelineEvent] {
        let familyID = try family.requireID()
        var events: [FamilyTimelineEvent] = []
        if groups.contains(.screening), TimelineAccess.may(staff, .list, .screening, of: family) {
            _ = try await families.read(familyID, action: "screening.list")
            let rows = try await Screening.query(on: db).filter(\.$family.$id == familyID)
                .sort(\.$conductedOn).sort(\.$createdAt).all()
            for row in rows {
                guard let day = CalendarDate(iso: row.conductedOn) else { continue }
                events.append(FamilyTimelineEvent(kind: .screening, on: day, byName: row.byName, byUserID: row.byUserID,
                                                  vocabulary: "intake.occasion", code: row.occasion))
            }
        }
        if groups.contains(.contact), TimelineAccess.may(staff, .list, .contact, of: family) {
            _ = try await families.read(familyID, action: "contact.list")
            let rows = try await ContactMoment.query(on: db).filter(\.$family.$id == familyID).sort(\.$at).all()
            for row in rows {
                var facts: [String: String] = [:]
                if let language = row.language { facts["language"] = language }
                if row.interpreter { facts["interpreter"] = "true" }
                events.append(FamilyTimelineEvent(kind: .contact, on: CalendarDate.inNetherlands(row.at), at: row.at,
                                                  byName: row.byName, byUserID: row.byUserID,
                                                  vocabulary: "intake.mode", code: row.mode, facts: facts))
            }
        }
        if groups.contains(.contact), TimelineAccess.may(staff, .list, .signal, of: family) {
            _ = try await families.read(familyID, action: "signal.list")
            let rows = try await FamilySignal.query(on: db).filter(\.$family.$id == familyID).sort(\.$createdAt).all()
            for row in rows {
                let raised = row.raisedOn.flatMap(CalendarDate.init(iso:)) ?? row.createdAt.map(CalendarDate.inNetherlands)
                if let raised {
                    events.append(FamilyTimelineEvent(kind: .signal, on: raised, at: row.createdAt, byName: row.raisedByName,
                                                      byUserID: row.raisedByUserID, byRole: Role(rawValue: row.raisedByRole),
                                                      vocabulary: "intake.signal", code: row.kind, facts: ["state": "raised"]))
                }
                if let handled = row.handledAt {
                    events.append(FamilyTimelineEvent(kind: .signal, on: CalendarDate.inNetherlands(handled), at: handled,
                                                      byName: row.handledBy, vocabulary: "intake.signal", code: row.kind,
                                                      facts: ["state": "handled"], sequence: 1))
                }
            }
        }
        if !groups.isDisjoint(with: [.plan, .welcomePackage]), TimelineAccess.may(staff, .read, .plan, of: family) {
            _ = try await families.read(familyID, action: "plan.read")
            // Only a saved plan has a history; a proposal (nothing saved yet) has not happened.
            if let record = try await FamilyPlanRecord.query(on: db).filter(\.$family.$id == familyID).first() {
                events += Self.planEvents(PlanData.decode(record.data)).filter { groups.contains($0.kind.group) }
            }
        }
        return events
    }

    static func planEvents(_ plan: PlanData) -> [FamilyTimelineEvent] {
        var events: [FamilyTimelineEvent] = []
        for (index, change) in plan.phaseHistory.enumerated() {
            guard let day = CalendarDate(iso: change.on) else { continue }
            events.append(FamilyTimelineEvent(kind: .phaseChange, on: day, byName: change.by, vocabulary: "intake.phase",
                                              code: String(change.phase), sequence: index))
        }
        for (index, given) in plan.informationGiven.enumerated() {
            guard let day = CalendarDate(iso: given.on) else { continue }
            events.append(FamilyTimelineEvent(kind: .welcomePackage, on: day, byName: given.by, vocabulary: "intake.how",
                                              code: given.how,
                                              facts: ["pages": String(given.pages.count), "language": given.language],
                                              sequence: index))
        }
        for (index, choice) in plan.offerChoices.enumerated() {
            guard let day = CalendarDate(iso: choice.on) else { continue }
            events.append(FamilyTimelineEvent(kind: .offerChoice, on: day, byName: choice.by, subject: choice.name,
                                              facts: ["chosen": choice.chosen ? "true" : "false"], sequence: index))
        }
        // A plan action stores no day it was made or done: it stands on its due day.
        for (index, action) in plan.actions.enumerated() {
            guard let due = action.due.flatMap(CalendarDate.init(iso:)) else { continue }
            events.append(FamilyTimelineEvent(kind: .planAction, on: due, subject: action.text,
                                              facts: ["done": action.done ? "true" : "false", "who": action.who],
                                              sequence: index))
        }
        return events
    }
}
