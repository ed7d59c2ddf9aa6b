import Fluent
import Foundation
import NIOConcurrencyHelpers
import Vapor
import WegwijsCore

/// Changes in one feature that another feature follows, inside the same transaction. The feature that changes
/// publishes; the one that follows subscribes at start-up (`configure`). So Families and Consents never call
/// Referrals, and features do not call each other in a circle (ARCHITECTURE.md: data flows one way).
enum DomainEvent: Sendable {
    /// A family was registered, re-coupled (lead, key person, social worker), closed or reopened.
    case familyChanged(familyID: UUID)
    /// A family got another lead (case manager).
    case leadChanged(familyID: UUID, newLead: UUID)
    /// A consent was withdrawn: whatever rests on it ends now.
    case consentWithdrawn(consentID: UUID, familyID: UUID)
}

/// What a subscriber gets besides the event: the transaction, the audit recorder of that transaction, and who acted.
struct DomainEventContext: Sendable {
    let tx: any Database
    let recorder: AuditRecorder
    let staff: StaffIdentity
    let clock: WallClock
    let publicURL: String
    let logger: Logger
}

final class DomainEvents: Sendable {
    typealias Subscriber = @Sendable (DomainEvent, DomainEventContext) async throws -> Void
    private let subscribers = NIOLockedValueBox<[Subscriber]>([])

    func subscribe(_ subscriber: @escaping Subscriber) { subscribers.withLockedValue { $0.append(subscriber) } }

    /// Runs every subscriber in the publisher's transaction; one failing fails the whole change.
    func publish(_ event: DomainEvent, _ context: DomainEventContext) async throws {
        for subscriber in subscribers.withLockedValue({ $0 }) { try await subscriber(event, context) }
    }
}

extension Application {
    private struct DomainEventsKey: StorageKey { typealias Value = DomainEvents }

    var domainEvents: DomainEvents {
        if let events = storage[DomainEventsKey.self] { return events }
        let events = DomainEvents()
        storage[DomainEventsKey.self] = events
        return events
    }
}
