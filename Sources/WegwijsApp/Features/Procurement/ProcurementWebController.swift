import Foundation
import Vapor
import WegwijsCore

/// The procurement checklist for the policy officer (R41): `/procurement` for the own municipality, `/procurement/region`
/// across the region. Printable on A4 (the page's print style); the same figures as the API. Everything comes from
/// `ProcurementService`, which decides access and writes the audit entry.
struct ProcurementWebController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let procurement = routes.grouped("procurement")
        procurement.get(use: municipality)
        procurement.get("region", use: region)
    }

    // MARK: contexts

    struct GapRow: Encodable {
        let rank: Int
        let text: String
        /// "12", or "<5" where the count is suppressed.
        let families: String
        let suppressed: Bool
        let sources: String
        /// The regional view: per municipality, in the order of the header.
        let parts: [String]
    }

    struct PortfolioRow: Encodable {
        let code: String
        let label: String
        let help: String
        let sources: String
        let status: String
        let statusLabel: String
        let detail: String
        /// The regional view: the status per municipality.
        let parts: [StatusCell]
    }

    struct StatusCell: Encodable {
        let status: String
        let label: String
        let detail: String
    }

    struct FundingRow: Encodable {
        let label: String
        let offers: Int
        let parts: [Int]
    }

    struct OfferRow: Encodable {
        let id: UUID
        let name: String
        let organisation: String
        let kind: String
        let funding: String
        let fundingKnown: Bool
        let score: String
        let percent: Int
        let missing: [String]
    }

    struct CriterionRow: Encodable {
        let code: String
        let label: String
        let help: String
        let sources: String
    }

    struct Context: Encodable {
        let page: PageInfo
        let municipalityName: String
        let municipalityCode: String
        let regionName: String?
        let on: String
        let gaps: [GapRow]
        let gapsSuppressed: Bool
        let familiesTotal: String
        let portfolio: [PortfolioRow]
        let funding: [FundingRow]
        let offers: [OfferRow]
        let offerCriteria: [CriterionRow]
        let portfolioCriteria: [CriterionRow]
        let gapRules: [CriterionRow]
        /// The regional view only.
        let municipalities: [String]
        let regionalOffers: [OfferRow]
    }

    // MARK: pages

    func municipality(_ request: Request) async throws -> Response {
        let report = try await ProcurementService(request: request).report(.municipality)
        return try await request.render("procurement/index", context(request, report))
    }

    func region(_ request: Request) async throws -> Response {
        let report = try await ProcurementService(request: request).report(.region)
        return try await request.render("procurement/region", context(request, report))
    }

    // MARK: words

    func context(_ request: Request, _ report: ProcurementService.Report) throws -> Context {
        let locale = request.staffLocale
        let catalog = request.application.locales
        func t(_ key: String) -> String { catalog.text(key, locale) }
        func sources(_ list: [String]) -> String { list.joined(separator: ", ") }
        func count(_ value: Int?) -> String { value.map(String.init) ?? "<\(SmallCountSuppression.minimumCount)" }
        func language(_ code: String) -> String { catalog.languageName(code, locale) }
        let offerNames = Dictionary(report.parts.flatMap(\.offers).map { ($0.id.uuidString.lowercased(), $0.name) }, uniquingKeysWith: { a, _ in a })

        func status(_ result: PortfolioResult) -> StatusCell {
            let symbol: String
            switch result.status {
            case .met: symbol = "✔"
            case .partly: symbol = "◐"
            case .notMet: symbol = "✘"
            case .notApplicable: symbol = "–"
            }
            var detail = ""
            if result.status == .notApplicable {
                return StatusCell(status: result.status.rawValue, label: "\(symbol) " + t("procurement.status.\(result.status.rawValue)"),
                                  detail: "")
            }
            if result.of > 1 || [.languages, .informalLanguages, .welcomePackage, .themes, .fundingRecorded, .openToAll].contains(result.criterion) {
                detail = t("procurement.portfolio.count").replacingOccurrences(of: "{met}", with: String(result.met))
                    .replacingOccurrences(of: "{of}", with: String(result.of))
            }
            if !result.missing.isEmpty {
                let names: [String]
                switch result.criterion {
                case .languages, .informalLanguages, .welcomePackage: names = result.missing.map(language)
                case .themes: names = result.missing.map { catalog.label("theme", $0, locale) }
                case .fundingMix: names = result.missing.map { catalog.label("funding", $0, locale) }
                case .fundingRecorded, .openToAll: names = result.missing.map { offerNames[$0] ?? $0 }
                default: names = []
                }
                if !names.isEmpty {
                    detail += (detail.isEmpty ? "" : "; ") + t("procurement.portfolio.missing") + " " + names.joined(separator: ", ")
                }
            }
            return StatusCell(status: result.status.rawValue, label: "\(symbol) " + t("procurement.status.\(result.status.rawValue)"),
                              detail: detail)
        }

        func offerRow(_ offer: ProcurementService.ScoredOffer) -> OfferRow {
            OfferRow(id: offer.id, name: offer.name, organisation: offer.organisation, kind: catalog.label("kind", offer.draft.kind, locale),
                     funding: offer.draft.funding.map { catalog.label("funding", $0, locale) } ?? t("catalog.funding.unknown"),
                     fundingKnown: offer.draft.funding != nil,
                     score: "\(offer.score.met)/\(offer.score.applicable)", percent: offer.score.percent,
                     missing: offer.score.missing.map { t("procurement.criterion.\($0.rawValue)") })
        }

        let isRegion = report.scope == .region
        let gaps = report.gaps
        let parts = report.parts
        let gapRows: [GapRow] = gaps.cells.enumerated().compactMap { index, cell in
            guard let gap = GapTable.gap(cell.keys) else { return nil }
            let text = t("procurement.gap.\(gap.kind.rawValue)")
                .replacingOccurrences(of: "{language}", with: gap.language.map(language) ?? "")
                .replacingOccurrences(of: "{theme}", with: gap.theme.map { catalog.label("theme", $0, locale) } ?? "")
            let partCounts: [String] = isRegion ? parts.map { part in
                count(part.gaps.cells.first { $0.keys == cell.keys }.flatMap { $0.values.first ?? nil })
            } : []
            let value = cell.values.first ?? nil
            return GapRow(rank: index + 1, text: text, families: count(value), suppressed: value == nil,
                          sources: sources(gap.kind.sources), parts: partCounts)
        }

        let portfolio: [PortfolioRow] = PortfolioCriterion.allCases.map { criterion in
            let cells = parts.map { part in part.portfolio.first { $0.criterion == criterion }.map(status) }
            let own = cells.first ?? nil
            return PortfolioRow(code: criterion.rawValue, label: t("procurement.portfolio.\(criterion.rawValue)"),
                                help: t("procurement.portfolio.\(criterion.rawValue).help"), sources: sources(criterion.sources),
                                status: own?.status ?? "", statusLabel: own?.label ?? "", detail: own?.detail ?? "",
                                parts: cells.compactMap { $0 })
        }

        var fundingRows: [FundingRow] = []
        for (index, code) in (FundingSource.allCodes.map(Optional.some) + [nil]).enumerated() {
            let perPart = parts.map { $0.funding[index].offers }
            let total = perPart.reduce(0, +)
            if code == nil && total == 0 { continue }
            fundingRows.append(FundingRow(label: code.map { catalog.label("funding", $0, locale) } ?? t("catalog.funding.unknown"),
                                          offers: total, parts: perPart))
        }

        return Context(
            page: PageInfo(request, titleKey: isRegion ? "procurement.region.title" : "procurement.title"),
            municipalityName: report.name, municipalityCode: report.code,
            regionName: isRegion ? report.name : nil, on: locale.date(report.period.to.iso),
            gaps: gapRows, gapsSuppressed: gaps.cells.contains { ($0.values.first ?? nil) == nil },
            familiesTotal: count(gaps.total?.values.first ?? nil),
            portfolio: portfolio, funding: fundingRows,
            offers: isRegion ? [] : (parts.first?.offers ?? []).map(offerRow),
            offerCriteria: OfferCriterion.allCases.map {
                CriterionRow(code: $0.rawValue, label: t("procurement.criterion.\($0.rawValue)"),
                             help: t("procurement.criterion.\($0.rawValue).help"), sources: sources($0.sources))
            },
            portfolioCriteria: PortfolioCriterion.allCases.map {
                CriterionRow(code: $0.rawValue, label: t("procurement.portfolio.\($0.rawValue)"),
                             help: t("procurement.portfolio.\($0.rawValue).help"), sources: sources($0.sources))
            },
            gapRules: Gap.Kind.allCases.map {
                CriterionRow(code: $0.rawValue, label: t("procurement.rule.\($0.rawValue)"), help: "", sources: sources($0.sources))
            },
            municipalities: isRegion ? parts.map(\.name) : [],
            regionalOffers: report.regionalOffers.map(offerRow))
    }
}
