import Fluent
import Foundation
import SQLKit
import Vapor
import WegwijsCore

/// The procurement checklist (R41; docs/procurement.md): each active offer of the municipality scored against the
/// culture-sensitivity profile and the seeds' success factors, the portfolio against what it should hold, the
/// funding source of each offer, and what is missing, ranked by the families affected, per municipality or across
/// the region (joint purchasing, R39). The door: one access decision per municipality shown from the policy table
/// (`procurement`/`read`: the own municipality, and the region's), one audit entry, aggregates only, every count of
/// families through `SmallCountSuppression` (`GapTable`). Offers are no personal data; families are only counted.
struct ProcurementService {
    enum Scope: String, CaseIterable, Sendable {
        case municipality, region
    }

    let request: Request
    let staff: StaffIdentity

    init(request: Request) throws {
        self.request = request
        staff = try request.requireStaff()
    }

    static let reportName = "procurement"

    /// One offer of the municipality, scored.
    struct ScoredOffer: Sendable {
        let id: UUID
        let name: String
        let organisation: String
        let draft: OfferDraft
        let score: OfferScore
    }

    /// One municipality's part: its offers scored, its portfolio, its funding, its gaps.
    struct Part: Sendable {
        let code: String
        let name: String
        let offers: [ScoredOffer]
        let portfolio: [PortfolioResult]
        let funding: [(funding: String?, offers: Int)]
        let gaps: ReportTable
    }

    struct Report: Sendable {
        let scope: Scope
        let period: ReportPeriod
        /// The municipality's page; for the region, the region's (code and name of the region).
        let code: String
        let name: String
        let gaps: ReportTable
        /// The municipality (one part), or each municipality of the region.
        let parts: [Part]
        /// Region: the offers that serve the whole region (service area `region`), scored.
        let regionalOffers: [ScoredOffer]
    }

    func report(_ scope: Scope) async throws -> Report {
        // The role gate first: no lookup for a role that never sees the checklist.
        try FamilyAccess.require(staff, .read, .procurement)
        let db = request.reportDB
        let today = request.clock.today
        let period = ReportPeriod(from: today, to: today)
        guard let own = try await Tenancy(on: db).municipality(staff.municipalityID) else { throw AppError.notFound("municipality") }
        let region = try await Tenancy(on: db).region(of: own)
        var members: [Municipality] = [own]
        if scope == .region {
            // A municipality without a region is a region of its own (the view shows it alone).
            let ids = try await Tenancy(on: db).regionMunicipalities(of: staff.municipalityID).subtracting([staff.municipalityID])
            for id in ids {
                guard let municipality = try await Tenancy(on: db).municipality(id) else { continue }
                // Each neighbour shown is its own decision: the region's, for joint purchasing (aggregates only).
                try FamilyAccess.require(staff, .read, .procurement, relationships: [.sameRegion], notFound: "municipality")
                members.append(municipality)
            }
            members.sort { $0.code < $1.code }
        }
        try FamilyAccess.require(staff, .read, .procurement, relationships: [.sameMunicipality], notFound: "municipality")

        // The supply: every active offer that is active today, with its owner (a region's offers serve its
        // neighbours when their service area says so; online and nationwide offers serve everyone).
        let memberIDs = Set(members.compactMap(\.id))
        let offers = try await Offer.query(on: db).filter(\.$status == OfferStatus.active).sort(\.$name).sort(\.$id).all()
        let regionIDs = try await Self.regionIDs(offers.map(\.$municipality.id), on: db)
        let organisations = Dictionary(try await Tenancy(on: db).organisations(in: memberIDs).compactMap { org in org.id.map { ($0, org.name) } },
                                       uniquingKeysWith: { a, _ in a })
        var supply: [(offer: Offer, draft: OfferDraft)] = []
        for offer in offers {
            guard let draft = try? offer.draft, Gaps.isActive(draft, on: today) else { continue }
            supply.append((offer, draft))
        }
        func serving(_ municipality: Municipality) -> [OfferDraft] {
            let target = municipality.id!.uuidString, targetRegion = municipality.$region.id?.uuidString
            return supply.filter {
                Gaps.serves($0.draft, owner: $0.offer.$municipality.id.uuidString,
                            ownerRegion: regionIDs[$0.offer.$municipality.id]?.uuidString, municipality: target, region: targetRegion)
            }.map(\.draft)
        }
        func scored(_ list: [(offer: Offer, draft: OfferDraft)]) -> [ScoredOffer] {
            list.map { ScoredOffer(id: $0.offer.id!, name: $0.offer.name, organisation: organisations[$0.offer.$organisation.id] ?? "",
                                   draft: $0.draft, score: OfferScore($0.draft)) }
        }

        var pages: [(municipality: Municipality, page: GapTable.Page, own: [(offer: Offer, draft: OfferDraft)])] = []
        for municipality in members {
            let (demand, families) = try await ProcurementDemand.load(municipalityID: municipality.id!, on: db)
            let gaps = Gaps.find(demand, supply: serving(municipality)).map(\.gap)
            pages.append((municipality, GapTable.Page(gaps: gaps, demand: demand, families: families),
                          supply.filter { $0.offer.$municipality.id == municipality.id }))
        }
        func part(_ entry: (municipality: Municipality, page: GapTable.Page, own: [(offer: Offer, draft: OfferDraft)]),
                  gaps: ReportTable) -> Part {
            Part(code: entry.municipality.code, name: entry.municipality.name, offers: scored(entry.own),
                 portfolio: Portfolio.evaluate(entry.own.map { ($0.offer.id!.uuidString.lowercased(), $0.draft) },
                                               demandLanguages: entry.page.demand.languagesWithFamilies),
                 funding: Portfolio.funding(entry.own.map(\.draft)), gaps: gaps)
        }

        let report: Report
        switch scope {
        case .municipality:
            let entry = pages[0]
            let table = GapTable.publish(report: Self.reportName, municipality: own.code, period: period, page: entry.page)
            report = Report(scope: scope, period: period, code: own.code, name: own.name, gaps: table,
                            parts: [part(entry, gaps: table)], regionalOffers: [])
        case .region:
            // The region's supply: whatever serves any of its municipalities; its demand: theirs together.
            var regional: [OfferDraft] = []
            var seen = Set<Int>()
            for municipality in members {
                for (index, entry) in supply.enumerated() where !seen.contains(index) {
                    if Gaps.serves(entry.draft, owner: entry.offer.$municipality.id.uuidString,
                                   ownerRegion: regionIDs[entry.offer.$municipality.id]?.uuidString,
                                   municipality: municipality.id!.uuidString, region: municipality.$region.id?.uuidString) {
                        seen.insert(index)
                        regional.append(entry.draft)
                    }
                }
            }
            let demand = pages.reduce(Demand()) { $0 + $1.page.demand }
            let regionGaps = Gaps.find(demand, supply: regional).map(\.gap)
            let (regionTable, partTables) = GapTable.publishRegion(
                report: Self.reportName, region: region?.code ?? own.code, period: period, regionGaps: regionGaps,
                municipalities: pages.map { ($0.municipality.code, $0.page) })
            let shared = supply.filter { memberIDs.contains($0.offer.$municipality.id) && $0.draft.serviceAreas.contains(ServiceArea.region.rawValue) }
            report = Report(scope: scope, period: period, code: region?.code ?? own.code, name: region?.name ?? own.name,
                            gaps: regionTable, parts: zip(pages, partTables).map { part($0.0, gaps: $0.1) },
                            regionalOffers: scored(shared))
        }
        try await request.audit.record([AuditEvent(action: "report.procurement", purpose: AuditPurpose.administration,
                                                   detail: "scope=\(scope.rawValue) municipalities=\(members.count)")],
                                       by: AuditSubject(staff), on: request.db)
        return report
    }

    /// The region of each offer's municipality.
    private static func regionIDs(_ municipalityIDs: [UUID], on db: any Database) async throws -> [UUID: UUID] {
        var result: [UUID: UUID] = [:]
        for id in Set(municipalityIDs) {
            if let municipality = try await Tenancy(on: db).municipality(id), let region = municipality.$region.id { result[id] = region }
        }
        return result
    }

    /// `scope` from the query: `municipality` (default) or `region`; anything else names the parameter.
    static func scope(_ request: Request) throws -> Scope {
        guard let text = request.query[String.self, at: "scope"]?.trimmed.nilIfEmpty else { return .municipality }
        guard let scope = Scope(rawValue: text) else {
            throw AppError.invalid([FieldError("scope", "unknown-code")], catalog: request.application.locales)
        }
        return scope
    }
}
