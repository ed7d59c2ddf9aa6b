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

    func match(_ request: Request) async throws -> Response {
        let profile = try request.content.decode(MatchProfile.self)
        let result = try await MatchingService(request: request).match(profile)
        return EncodedJSON.response(ByteBuffer(bytes: result.jsonBytes()))
    }

    func familyMatches(_ request: Request) async throws -> MatchingService.FamilyMatches {
        try await MatchingService(request: request).familyMatches(try request.uuidParameter("familyID", what: "family"))
    }

    func choices(_ request: Request) async throws -> IntakeService.PlanView {
        try await IntakeService(request: request).recordOfferChoices(try request.uuidParameter("familyID", what: "family"),
                                                                     try request.content.decode(IntakeService.OfferChoicesInput.self))
    }
}

extension MatchResult: Content {}
extension MatchProfile: Content {}
