import Foundation
import Vapor
import WegwijsCore

/// `POST /api/v1/match` (a profile in the body, not stored), `GET /api/v1/families/{id}/matches` (a stored family,
/// audited) and `POST /api/v1/families/{id}/matches/choices` (offers discussed with the parents, and chosen).
struct MatchingAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.post("match", use: match)
        routes.get("families", ":familyID", "matches", use: familyMatches)
        routes.post("families", ":familyID", "matches", "choices", use: choices)
    }

    /// The best 20 matches unless `limit` / `offset` ask for others; the excluded offers with `excluded=true`.
    func match(_ request: Request) async throws -> Response {
        let window = try Self.window(from: request)
        let profile = try request.content.decode(MatchProfile.self)
        let result = try await MatchingService(request: request).match(profile)
        return EncodedJSON.response(ByteBuffer(bytes: result.jsonBytes(window)))
    }

    func familyMatches(_ request: Request) async throws -> MatchingService.FamilyMatches {
        let window = try Self.window(from: request)
        return try await MatchingService(request: request).familyMatches(try request.uuidParameter("familyID", what: "family"),
                                                                         window: window)
    }

    private struct RawWindow: Decodable {
        var limit: String?
        var offset: String?
        var excluded: String?
    }

    /// `limit` 1…200 (default 20), `offset` from 0, `excluded` true/false; anything else is a 400 naming the field.
    static func window(from request: Request) throws -> MatchWindow {
        let raw = try request.query.decode(RawWindow.self)
        var window = MatchWindow()
        if let text = raw.limit {
            guard let limit = Int(text), (1...MatchWindow.maximumLimit).contains(limit) else {
                throw AppError.badField("limit", "must be a whole number from 1 to \(MatchWindow.maximumLimit)")
            }
            window.limit = limit
        }
        if let text = raw.offset {
            guard let offset = Int(text), (0...1_000_000).contains(offset) else {
                throw AppError.badField("offset", "must be a whole number from 0")
            }
            window.offset = offset
        }
        if let text = raw.excluded {
            guard let flag = ["true": true, "1": true, "false": false, "0": false][text] else {
                throw AppError.badField("excluded", "must be true or false")
            }
            window.includeExcluded = flag
        }
        return window
    }

    func choices(_ request: Request) async throws -> IntakeService.PlanView {
        try await IntakeService(request: request).recordOfferChoices(try request.uuidParameter("familyID", what: "family"),
                                                                     try request.content.decode(IntakeService.OfferChoicesInput.self))
    }
}

extension MatchResult: Content {}
extension MatchProfile: Content {}
