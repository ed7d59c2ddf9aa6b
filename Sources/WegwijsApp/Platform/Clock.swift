import Foundation
import Vapor
import WegwijsCore

extension Application {
    private struct ClockKey: StorageKey { typealias Value = WallClock }

    /// The one clock of this application (see `WallClock`): the system clock unless a test or a benchmark sets
    /// another before the first request.
    public var clock: WallClock {
        get { storage[ClockKey.self] ?? .system }
        set { storage[ClockKey.self] = newValue }
    }
}

extension Request {
    /// The application's clock: what every date rule of a request reads.
    var clock: WallClock { application.clock }
}
