import Foundation
import Vapor
import WegwijsCore

/// `GET /api/v1/reports/procurement` (`?scope=region` for the regional view): the procurement checklist as JSON. The
/// gaps are the report table every report has (`ReportTable`: report, municipality, period, dimensions, measures,
/// cells, margins; `null` is a suppressed count); beside it the criteria, the offers scored, the portfolio and the
/// funding (docs/procurement.md). With `?format=csv` (or `Accept: text/csv`) the gaps table as CSV, as every report.
struct ProcurementAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("reports", "procurement", use: report)
    }

    func report(_ request: Request) async throws -> Response {
        let format = try ReportAPIController.format(request)
        let service = try ProcurementService(request: request)
        let report = try await service.report(try ProcurementService.scope(request))
        if format == .csv { return try ReportAPIController.response(report.gaps, format: .csv) }
        let response = Response(status: .ok)
        try response.content.encode(ProcurementJSON(report), as: .json)
        return response
    }
}

/// The JSON of the checklist: the gaps table's members at the top, then the rest.
struct ProcurementJSON: Encodable {
    struct Criterion: Encodable {
        /// `offer`, `portfolio` or `gap`.
        let scope: String
        let code: String
        let sources: [String]
    }

    struct ScoredOffer: Encodable {
        let id: UUID
        let name: String
        let organisation: String
        let kind: String
        /// A `FundingSource` code; absent when not recorded.
        let funding: String?
        let met: Int
        let applicable: Int
        let percent: Int
        /// Per applicable criterion: met or not.
        let criteria: [String: Bool]

        init(_ offer: ProcurementService.ScoredOffer) {
            id = offer.id
            name = offer.name
            organisation = offer.organisation
            kind = offer.draft.kind
            funding = offer.draft.funding
            met = offer.score.met
            applicable = offer.score.applicable
            percent = offer.score.percent
            criteria = Dictionary(uniqueKeysWithValues: offer.score.criteria.map { ($0.key.rawValue, $0.value) })
        }

    }

    struct Funding: Encodable {
        /// Absent: the offers whose source is not recorded.
        let funding: String?
        let offers: Int
    }

    struct Municipality: Encodable {
        let table: ReportTable
        let name: String
        let offers: [ScoredOffer]
        let portfolio: [PortfolioResult]
        let funding: [Funding]

        init(_ part: ProcurementService.Part) {
            table = part.gaps
            name = part.name
            offers = part.offers.map(ScoredOffer.init)
            portfolio = part.portfolio
            funding = part.funding.map { Funding(funding: $0.funding, offers: $0.offers) }
        }

        func encode(to encoder: any Encoder) throws {
            // The table's members and these share one object.
            try table.encode(to: encoder)
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(name, forKey: .name)
            try container.encode(offers, forKey: .offers)
            try container.encode(portfolio, forKey: .portfolio)
            try container.encode(funding, forKey: .funding)
        }

        enum CodingKeys: String, CodingKey { case name, offers, portfolio, funding }
    }

    let report: ProcurementService.Report

    init(_ report: ProcurementService.Report) { self.report = report }

    static var criteria: [Criterion] {
        OfferCriterion.allCases.map { Criterion(scope: "offer", code: $0.rawValue, sources: $0.sources) }
            + PortfolioCriterion.allCases.map { Criterion(scope: "portfolio", code: $0.rawValue, sources: $0.sources) }
            + Gap.Kind.allCases.map { Criterion(scope: "gap", code: $0.rawValue, sources: $0.sources) }
    }

    func encode(to encoder: any Encoder) throws {
        try report.gaps.encode(to: encoder)
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(report.scope.rawValue, forKey: .scope)
        try container.encode(report.name, forKey: .name)
        try container.encode(Self.criteria, forKey: .criteria)
        switch report.scope {
        case .municipality:
            let part = Municipality(report.parts[0])
            try container.encode(part.offers, forKey: .offers)
            try container.encode(part.portfolio, forKey: .portfolio)
            try container.encode(part.funding, forKey: .funding)
        case .region:
            try container.encode(report.regionalOffers.map(ScoredOffer.init), forKey: .offers)
            try container.encode(report.parts.map(Municipality.init), forKey: .municipalities)
        }
    }

    enum CodingKeys: String, CodingKey { case scope, name, criteria, offers, portfolio, funding, municipalities }
}
