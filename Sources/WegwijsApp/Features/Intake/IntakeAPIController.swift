import Fluent
import Foundation
import Vapor
import WegwijsCore

/// `/api/v1/families/{id}/…`: screenings, needs, the family plan, contact moments, signals and the Meldcode record;
/// `/api/v1/screening-instrument`: the current instrument.
struct IntakeAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.get("screening-instrument", use: instrument)
        let family = routes.grouped("families", ":familyID")
        family.post("screenings", use: createScreening)
        family.get("screenings", use: screenings)
        family.get("needs", use: needs)
        family.post("needs", use: addNeed)
        family.patch("needs", ":needID", use: changeNeed)
        family.get("plan", use: plan)
        family.put("plan", use: savePlan)
        family.post("plan", "information", use: recordInformation)
        family.get("contacts", use: contacts)
        family.post("contacts", use: addContact)
        family.get("signals", use: signals)
        family.post("signals", use: raiseSignal)
        family.post("signals", ":signalID", "handled", use: handleSignal)
        family.get("meldcode", use: meldcode)
        family.post("meldcode", use: openMeldcode)
        family.post("meldcode", ":recordID", "steps", use: signMeldcodeStep)
    }

    private func familyID(_ request: Request) throws -> UUID { try request.uuidParameter("familyID", what: "family") }

    struct InstrumentView: Content {
        let version: Int
        let instrument: ScreeningInstrument
    }

    func instrument(_ request: Request) async throws -> InstrumentView {
        try FamilyAccess.requireRead(try request.requireStaff())
        let (instrument, version) = try await request.currentScreeningInstrument()
        return InstrumentView(version: version, instrument: instrument)
    }

    func createScreening(_ request: Request) async throws -> Response {
        let service = try IntakeService(request: request)
        let input = try request.content.decode(IntakeService.ScreeningInput.self)
        let screening = try await service.createScreening(try familyID(request), input)
        let views = try await service.screenings(try familyID(request))
        guard let view = views.first(where: { $0.id == screening.id }) else { throw AppError.notFound("screening") }
        return try await view.encodeResponse(status: .created, for: request)
    }

    func screenings(_ request: Request) async throws -> [IntakeService.ScreeningView] {
        try await IntakeService(request: request).screenings(try familyID(request))
    }

    struct NeedView: Content {
        let id: UUID
        let theme: String
        let priority: Int
        let source: String
        let raisedByMemberId: UUID?
        let status: String
        let mergedInto: UUID?
        let note: String?
        let version: Int

        init(_ need: Need) {
            id = need.id!
            theme = need.theme
            priority = need.priority
            source = need.source.rawValue
            raisedByMemberId = need.raisedByMemberID
            status = need.status.rawValue
            mergedInto = need.mergedIntoID
            note = need.note
            version = need.version
        }
    }

    func needs(_ request: Request) async throws -> [NeedView] {
        try await IntakeService(request: request).needs(try familyID(request)).map(NeedView.init)
    }

    func addNeed(_ request: Request) async throws -> Response {
        let service = try IntakeService(request: request)
        let need = try await service.addNeed(try familyID(request), try request.content.decode(IntakeService.NeedInput.self))
        return try await NeedView(need).encodeResponse(status: .created, for: request)
    }

    func changeNeed(_ request: Request) async throws -> NeedView {
        let service = try IntakeService(request: request)
        let needID = try request.uuidParameter("needID", what: "need")
        return NeedView(try await service.changeNeed(try familyID(request), needID, try request.content.decode(IntakeService.NeedInput.self)))
    }

    func plan(_ request: Request) async throws -> IntakeService.PlanView {
        try await IntakeService(request: request).plan(try familyID(request))
    }

    func savePlan(_ request: Request) async throws -> IntakeService.PlanView {
        try await IntakeService(request: request).savePlan(try familyID(request), try request.content.decode(IntakeService.PlanInput.self))
    }

    func recordInformation(_ request: Request) async throws -> IntakeService.PlanView {
        try await IntakeService(request: request).recordInformation(try familyID(request),
                                                                    try request.content.decode(IntakeService.InformationInput.self),
                                                                    content: request.application.parentContent)
    }

    func contacts(_ request: Request) async throws -> [IntakeService.ContactView] {
        try await IntakeService(request: request).contacts(try familyID(request))
    }

    func addContact(_ request: Request) async throws -> Response {
        let contact = try await IntakeService(request: request).addContact(try familyID(request),
                                                                           try request.content.decode(IntakeService.ContactInput.self))
        return try await contact.encodeResponse(status: .created, for: request)
    }

    struct SignalView: Content {
        let id: UUID
        let kind: String
        let text: String
        let raisedBy: String
        let raisedByRole: String
        let status: String
        let handledBy: String?
        let createdAt: Date?

        init(_ signal: FamilySignal) {
            id = signal.id!
            kind = signal.kind
            text = signal.text
            raisedBy = signal.raisedByName
            raisedByRole = signal.raisedByRole
            status = signal.status.rawValue
            handledBy = signal.handledBy
            createdAt = signal.createdAt
        }
    }

    func signals(_ request: Request) async throws -> [SignalView] {
        try await IntakeService(request: request).signals(try familyID(request)).map(SignalView.init)
    }

    func raiseSignal(_ request: Request) async throws -> Response {
        let signal = try await IntakeService(request: request).raiseSignal(try familyID(request),
                                                                           try request.content.decode(IntakeService.SignalInput.self))
        return try await SignalView(signal).encodeResponse(status: .created, for: request)
    }

    func handleSignal(_ request: Request) async throws -> SignalView {
        let signalID = try request.uuidParameter("signalID", what: "signal")
        return SignalView(try await IntakeService(request: request).handleSignal(try familyID(request), signalID))
    }

    func meldcode(_ request: Request) async throws -> [IntakeService.MeldcodeView] {
        try await IntakeService(request: request).meldcode(try familyID(request))
    }

    func openMeldcode(_ request: Request) async throws -> Response {
        let record = try await IntakeService(request: request).openMeldcode(try familyID(request),
                                                                            try request.content.decode(IntakeService.MeldcodeOpenInput.self))
        return try await record.encodeResponse(status: .created, for: request)
    }

    func signMeldcodeStep(_ request: Request) async throws -> IntakeService.MeldcodeView {
        let recordID = try request.uuidParameter("recordID", what: "meldcode")
        return try await IntakeService(request: request).signMeldcodeStep(try familyID(request), recordID,
                                                                         try request.content.decode(IntakeService.MeldcodeStepInput.self))
    }
}
