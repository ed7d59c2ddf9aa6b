import WegwijsCore
import Foundation
import NIOConcurrencyHelpers

/// Values derived from stored data (a page total, an encoded page), remembered per key together with the
/// version of the data they were derived from. An entry is used while the data's version is unchanged and for at
/// most `ttl` seconds. The caller reads the version before computing, so a write that commits meanwhile makes the
/// entry stale at once. Requests that miss the same key and version together share one computation, so an
/// expired popular page is computed once, not once per waiting connection.
/// Only in memory, never written anywhere. `enabled: false` (`WEGWIJS_LIST_CACHE=off`) always computes.
final class DerivedCache<Value: Sendable>: Sendable {
    private struct Entry { let value: Value; let version: UInt64; let takenAt: Date }
    private struct Flight { let version: UInt64; let id: UUID; let task: Task<Value, any Error> }
    private struct State {
        var entries: [String: Entry] = [:]
        var inFlight: [String: Flight] = [:]
    }
    private enum Lookup { case hit(Value), wait(Task<Value, any Error>, UUID) }
    private let state = NIOLockedValueBox(State())
    let ttl: TimeInterval
    let capacity: Int
    let enabled: Bool

    init(ttl: TimeInterval = 2, capacity: Int, enabled: Bool = true) {
        self.ttl = ttl
        self.capacity = capacity
        self.enabled = enabled
    }

    func value(_ key: String, version: UInt64,
               compute: @escaping @Sendable () async throws -> Value) async throws -> Value {
        guard enabled else { return try await compute() }
        let now = WallClock.system.now
        let lookup: Lookup = state.withLockedValue { state in
            if let hit = state.entries[key], hit.version == version, now.timeIntervalSince(hit.takenAt) < ttl {
                return .hit(hit.value)
            }
            if let flight = state.inFlight[key], flight.version == version { return .wait(flight.task, flight.id) }
            let flight = Flight(version: version, id: UUID(), task: Task { try await compute() })
            state.inFlight[key] = flight
            return .wait(flight.task, flight.id)
        }
        switch lookup {
        case .hit(let value):
            return value
        case .wait(let task, let id):
            let result = await task.result
            state.withLockedValue { state in
                guard state.inFlight[key]?.id == id else { return }
                state.inFlight[key] = nil
                if case .success(let value) = result {
                    if state.entries.count >= capacity { state.entries.removeAll(keepingCapacity: true) }
                    state.entries[key] = Entry(value: value, version: version, takenAt: now)
                }
            }
            return try result.get()
        }
    }
}
