import Foundation
import WegwijsCore

/// The municipality's reports (issue 15, docs/reports.md): each a page of tables in the one shape (`ReportTable`), at
/// `GET /api/v1/reports/<name>` (one table, chosen with `by`) and `/reports/<name>` (all of them).
enum ReportName: String, CaseIterable, Sendable, Codable {
    case reach, timings, referrals, groups
    case offerReach = "offer-reach"
    case satisfaction
    case keyPersons = "key-persons"
    case provisions
    case demandSupply = "demand-supply"
    case equity

    /// The tables of the page, in order; the first is the API's default.
    var specs: [ReportTableSpec] { ReportCatalogue.specs(self) }

    /// `origin,language`: how `by` names a table.
    static func tableName(_ spec: ReportTableSpec) -> String { spec.dimensions.joined(separator: ",") }

    var tableNames: [String] { specs.map(Self.tableName) }

    /// The audit action of a request for this report.
    var auditAction: String { "report.\(rawValue)" }
}

/// The tables of every report: dimensions, measures and which sums the reader can rely on.
enum ReportCatalogue {
    static let phases = ["1", "2", "3", "none"]
    static let milestones = ["welcome", "jgz", "support"]
    static let loadBands = ["0", "1-5", "6-10", "11-20", "21+"]
    static let answers = ["yes", "a-little", "no", "skipped"]
    /// What a family said about a provision (R48): uses it, knows it (but does not use it), does not know it.
    static let provisionAnswers = ["uses", "knows", "unknown"]
    /// The screening occasions, each a table of the provisions report: at the intake, later during guidance.
    static let screeningOccasions = ["intake", "guidance"]

    static func specs(_ report: ReportName) -> [ReportTableSpec] {
        typealias M = ReportMeasure
        switch report {
        case .reach:
            return [
                ReportTableSpec(dimensions: ["origin", "language"],
                                measures: [M("families"), M("withParentingModule", .part(of: "families"))], sharedTotal: "known"),
                ReportTableSpec(dimensions: ["situation"], measures: [M("families")], margins: .none),
                ReportTableSpec(dimensions: ["phase"], measures: [M("families")], margins: .total, sharedTotal: "known",
                                order: ["phase": phases]),
            ]
        case .timings:
            var measures = [M("families")]
            for milestone in milestones {
                measures += [M("\(milestone)Reached", .part(of: "families")), .median("\(milestone)MedianDays", of: milestone),
                             .p90("\(milestone)P90Days", of: milestone)]
            }
            return [ReportTableSpec(dimensions: ["origin"], measures: measures, margins: .total)]
        case .referrals:
            return [ReportTableSpec(dimensions: ["organisation"], measures: [
                M("sent"), M("answered", .part(of: "sent")), M("accepted"), M("declined"), M("waitingList"),
                M("connectionProven", .part(of: "answered")), M("accompanied", .part(of: "connectionProven")),
                M("completed", .part(of: "connectionProven")),
                M("goalReached"), M("partlyReached"), M("droppedOut"), M("movedOn"),
                .median("medianDaysToAnswer", of: "answerDays"),
            ], margins: .total, sums: [
                ReportTableSpec.MeasureSum(whole: "answered", parts: ["accepted", "declined", "waitingList"]),
                ReportTableSpec.MeasureSum(whole: "completed", parts: ["goalReached", "partlyReached", "droppedOut", "movedOn"], complete: false),
            ]),
            // The referrals of the period declined now, by the partner's reason (`unknown`: declined before the codes).
            ReportTableSpec(dimensions: ["declineReason"], measures: [M("declined")], margins: .total,
                            order: ["declineReason": DeclineReason.allCodes + ["unknown"]])]
        case .groups:
            return [ReportTableSpec(dimensions: ["language", "audience"], measures: [
                M("series", .fact), M("placed"), M("invited", .part(of: "placed")), M("droppedOut", .part(of: "placed")),
                M("attendances"), M("waiting"), M("settledParents"), M("settledReached", .part(of: "settledParents")),
            ], order: ["audience": Audience.allCodes])]
        case .offerReach:
            return [ReportTableSpec(dimensions: ["kind", "offer"], measures: [M("families"), M("reached", .part(of: "families"))],
                                    margins: .none, order: ["kind": OfferKind.allCodes])]
        case .satisfaction:
            return [
                ReportTableSpec(dimensions: ["question", "answer"], measures: [M("answers")], margins: .sameForEveryFirstValue,
                                order: ["question": EvaluationQuestion.allCases.map(\.rawValue), "answer": answers]),
                ReportTableSpec(dimensions: ["role", "rating"], measures: [M("evaluations")],
                                order: ["role": ["trainer", "key-person", "coordinator"]]),
            ]
        case .keyPersons:
            return [
                ReportTableSpec(dimensions: ["month"], measures: [
                    M("contacts"), M("familiesContacted"), M("accompaniedVisits"), M("groupSessions", .fact)], margins: .total),
                ReportTableSpec(dimensions: ["load"], measures: [M("keyPersons"), M("families")], margins: .total,
                                order: ["load": loadBands]),
            ]
        case .provisions:
            // Per provision, the families screened on that occasion in the period, by what they said: every provision
            // adds up to the same families (one margin figure), so no answer can be worked out from the others.
            return screeningOccasions.map { occasion in
                ReportTableSpec(dimensions: ["provision", occasion], measures: [M("families")], margins: .sameForEveryFirstValue,
                                order: ["provision": Provision.allCodes, occasion: provisionAnswers])
            }
        case .demandSupply:
            return [
                ReportTableSpec(dimensions: ["language", "theme"], measures: [
                    M("families"), M("offers", .fact), M("freePlaces", .fact), M("openEndedOffers", .fact), M("bridgingOffers", .fact)]),
                ReportTableSpec(dimensions: ["language", "theme", "form", "audience"],
                                measures: [M("offers", .fact), M("freePlaces", .fact)], margins: .none,
                                order: ["audience": Audience.allCodes]),
            ]
        case .equity:
            return [
                ReportTableSpec(dimensions: ["origin", "theme"], measures: [M("questions"), M("matched", .part(of: "questions"))],
                                sharedTotal: "questions"),
                ReportTableSpec(dimensions: ["language", "theme"], measures: [M("questions"), M("matched", .part(of: "questions"))],
                                sharedTotal: "questions"),
                ReportTableSpec(dimensions: ["quarter", "origin"], measures: [M("questions"), M("matched", .part(of: "questions"))],
                                sharedTotal: "questions"),
            ]
        }
    }
}
