import Foundation

/// How failed sign-ins slow down further attempts, without letting anyone lock out someone else.
///
/// Failures are counted per (account, client address) and per client address, within `window`. Up to `free`
/// failures cost nothing; after that the next attempt from that address must wait a delay that doubles with each
/// further failure (`base`, 2×`base`, 4×`base` …, at most `cap`). An attempt that comes too early is refused without
/// looking at the password, and is not counted. There is no hard lock on an account: an attacker's failures from
/// one address never slow down the owner signing in from another.
public struct SignInThrottle: Sendable, Equatable {
    public var window: TimeInterval = 15 * 60
    /// Failures of one account from one address before the delay starts.
    public var freePerAccount = 5
    /// Failures from one address over all accounts before the delay starts (many names guessed from one place).
    public var freePerAddress = 20
    public var base: TimeInterval = 2
    public var cap: TimeInterval = 15 * 60

    public init() {}

    /// The delay that `failures` earlier failures impose on the next attempt (0 while within the free ones).
    public func delay(afterFailures failures: Int, free: Int) -> TimeInterval {
        guard failures >= free else { return 0 }
        let doublings = min(failures - free, 30)
        return min(cap, base * pow(2, Double(doublings)))
    }

    /// A counter: how many failures, and when the latest was.
    public struct Tally: Sendable, Equatable {
        public var failures: Int
        public var latest: Date?
        public init(failures: Int, latest: Date?) {
            self.failures = failures
            self.latest = latest
        }
    }

    /// How long the caller still has to wait before this attempt is heard; nil when it may go ahead.
    public func wait(account: Tally, address: Tally, now: Date) -> TimeInterval? {
        func remaining(_ tally: Tally, free: Int) -> TimeInterval {
            guard let latest = tally.latest else { return 0 }
            return latest.addingTimeInterval(delay(afterFailures: tally.failures, free: free)).timeIntervalSince(now)
        }
        let longest = max(remaining(account, free: freePerAccount), remaining(address, free: freePerAddress))
        return longest > 0 ? longest : nil
    }
}

/// An IPv4 or IPv6 address as 16 bytes (IPv4 as the IPv4-mapped IPv6 address, so `1.2.3.4` and `::ffff:1.2.3.4`
/// are the same client).
public struct IPAddress: Sendable, Hashable, CustomStringConvertible {
    public let bytes: [UInt8]
    public let isIPv4: Bool

    public init?(_ text: String) {
        let text = text.trimmingCharacters(in: .whitespaces)
        if let v4 = Self.parseIPv4(Substring(text)) {
            bytes = Array(repeating: 0, count: 10) + [0xff, 0xff] + v4
            isIPv4 = true
            return
        }
        // `[::1]` as some proxies write it; a zone (`%eth0`) is not an address of a client.
        var body = Substring(text)
        if body.hasPrefix("["), body.hasSuffix("]") { body = body.dropFirst().dropLast() }
        guard let v6 = Self.parseIPv6(body) else { return nil }
        bytes = v6
        isIPv4 = v6[0..<10].allSatisfy { $0 == 0 } && v6[10] == 0xff && v6[11] == 0xff
    }

    static func parseIPv4(_ text: Substring) -> [UInt8]? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var result: [UInt8] = []
        for part in parts {
            guard !part.isEmpty, part.count <= 3, part.allSatisfy(\.isASCII), part.allSatisfy(\.isNumber),
                  let value = UInt8(part) else { return nil }
            result.append(value)
        }
        return result
    }

    static func parseIPv6(_ text: Substring) -> [UInt8]? {
        guard !text.isEmpty, text.allSatisfy({ $0.isHexDigit || $0 == ":" || $0 == "." }) else { return nil }
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return nil }
        func groups(_ part: String) -> [UInt8]? {
            guard !part.isEmpty else { return [] }
            var out: [UInt8] = []
            let pieces = part.split(separator: ":", omittingEmptySubsequences: false)
            for (index, piece) in pieces.enumerated() {
                if index == pieces.count - 1, piece.contains(".") {
                    guard let v4 = parseIPv4(piece) else { return nil }
                    out += v4
                } else {
                    guard (1...4).contains(piece.count), let value = UInt16(piece, radix: 16) else { return nil }
                    out += [UInt8(value >> 8), UInt8(value & 0xff)]
                }
            }
            return out
        }
        guard let head = groups(halves[0]) else { return nil }
        if halves.count == 1 { return head.count == 16 ? head : nil }
        guard let tail = groups(halves[1]), head.count + tail.count <= 14 else { return nil }
        return head + Array(repeating: 0, count: 16 - head.count - tail.count) + tail
    }

    public var description: String {
        if isIPv4 { return bytes[12...].map(String.init).joined(separator: ".") }
        return stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
            .joined(separator: ":")
    }
}

/// An address range: `10.0.0.0/8`, `2001:db8::/32`, or a single address.
public struct IPNetwork: Sendable, Hashable, CustomStringConvertible {
    public let address: IPAddress
    /// Prefix length over the 16-byte form.
    public let prefix: Int

    public init?(_ text: String) {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: "/", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let address = IPAddress(String(parts[0])) else { return nil }
        let maximum = address.isIPv4 ? 32 : 128
        var length = maximum
        if parts.count == 2 {
            guard let given = Int(parts[1]), (0...maximum).contains(given) else { return nil }
            length = given
        }
        self.address = address
        prefix = address.isIPv4 ? length + 96 : length
    }

    public func contains(_ other: IPAddress) -> Bool {
        var remaining = prefix
        for index in 0..<16 where remaining > 0 {
            let bits = min(8, remaining)
            let mask = UInt8(truncatingIfNeeded: 0xff << (8 - bits))
            if address.bytes[index] & mask != other.bytes[index] & mask { return false }
            remaining -= bits
        }
        return true
    }

    public var description: String { "\(address)/\(address.isIPv4 ? prefix - 96 : prefix)" }

    /// Reads a comma-separated list (`WEGWIJS_TRUSTED_PROXIES`); nil names the first entry that is not an address or range.
    public static func parseList(_ text: String) -> Result<[IPNetwork], ListError> {
        var networks: [IPNetwork] = []
        for entry in text.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !entry.isEmpty {
            guard let network = IPNetwork(entry) else { return .failure(ListError(entry: entry)) }
            networks.append(network)
        }
        return .success(networks)
    }

    public struct ListError: Error, Equatable { public let entry: String }
}

/// Who the client is. The direct peer, unless that peer is a trusted proxy: then `X-Forwarded-For` is read from
/// the right (the entry the trusted proxy itself added) leftwards, past further trusted proxies, to the first
/// address that is not one: the client. Entries left of it could be written by the client and are never believed.
public enum ClientAddress {
    public static func resolve(peer: String?, forwardedFor: [String], trusted: [IPNetwork]) -> String {
        guard let peerText = peer, let peerAddress = IPAddress(peerText) else { return peer ?? "unknown" }
        guard trusted.contains(where: { $0.contains(peerAddress) }) else { return peerAddress.description }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        var client = peerAddress
        for hop in hops.reversed() {
            guard let address = IPAddress(hop) else { break }
            client = address
            if !trusted.contains(where: { $0.contains(address) }) { break }
        }
        return client.description
    }
}
