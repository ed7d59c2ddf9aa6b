import Foundation
import Testing
@testable import WegwijsCore

@Suite("Sign-in throttle and client address")
struct SignInThrottleTests {
    @Test("no delay within the free failures, then doubling up to the cap")
    func delays() {
        let throttle = SignInThrottle()
        #expect(throttle.delay(afterFailures: 4, free: 5) == 0)
        #expect(throttle.delay(afterFailures: 5, free: 5) == 2)
        #expect(throttle.delay(afterFailures: 6, free: 5) == 4)
        #expect(throttle.delay(afterFailures: 9, free: 5) == 32)
        #expect(throttle.delay(afterFailures: 10_000, free: 5) == throttle.cap)
        let now = Date(timeIntervalSince1970: 1_000)
        let five = SignInThrottle.Tally(failures: 5, latest: now.addingTimeInterval(-1))
        #expect(throttle.wait(account: five, address: .init(failures: 5, latest: now), now: now) == 1)
        #expect(throttle.wait(account: .init(failures: 5, latest: now.addingTimeInterval(-2)), address: .init(failures: 0, latest: nil), now: now) == nil)
    }

    @Test("addresses and ranges, IPv4 and IPv6")
    func networks() throws {
        #expect(IPAddress("10.1.2.3")?.description == "10.1.2.3")
        #expect(IPAddress("::ffff:10.1.2.3") == IPAddress("10.1.2.3"))
        #expect(IPAddress("2001:db8::1")?.description == "2001:db8:0:0:0:0:0:1")
        #expect(IPAddress("[::1]") == IPAddress("0:0:0:0:0:0:0:1"))
        for bad in ["", "10.1.2", "256.1.1.1", "1.2.3.4.5", "2001:db8:::1", "hello", "1.2.3.04444", "::ffff:1.2.3"] {
            #expect(IPAddress(bad) == nil, "\(bad)")
        }
        let range = try #require(IPNetwork("10.0.0.0/8"))
        #expect(range.contains(IPAddress("10.255.0.1")!))
        #expect(!range.contains(IPAddress("11.0.0.1")!))
        let v6 = try #require(IPNetwork("2001:db8::/32"))
        #expect(v6.contains(IPAddress("2001:db8:ffff::1")!))
        #expect(!v6.contains(IPAddress("2001:db9::1")!))
        #expect(IPNetwork("10.0.0.0/33") == nil)
        #expect(IPNetwork.parseList("127.0.0.1, 10.0.0.0/8 ,::1") .map(\.count) == .success(3))
        #expect(IPNetwork.parseList("127.0.0.1, proxy.local") == .failure(.init(entry: "proxy.local")))
    }

    @Test("X-Forwarded-For is believed only from a trusted peer, read from the right")
    func clientAddress() {
        let trusted = [IPNetwork("10.0.0.0/8")!]
        // Untrusted peer: the header is ignored.
        #expect(ClientAddress.resolve(peer: "203.0.113.5", forwardedFor: ["192.0.2.1"], trusted: trusted) == "203.0.113.5")
        // Trusted peer: the client it names.
        #expect(ClientAddress.resolve(peer: "10.0.0.2", forwardedFor: ["192.0.2.1"], trusted: trusted) == "192.0.2.1")
        // A client-written entry on the left is not believed; a second trusted hop is skipped.
        #expect(ClientAddress.resolve(peer: "10.0.0.2", forwardedFor: ["1.1.1.1, 192.0.2.1, 10.0.0.9"], trusted: trusted) == "192.0.2.1")
        #expect(ClientAddress.resolve(peer: "10.0.0.2", forwardedFor: ["192.0.2.7", "192.0.2.8"], trusted: trusted) == "192.0.2.8")
        // Garbage after the proxy: the proxy itself.
        #expect(ClientAddress.resolve(peer: "10.0.0.2", forwardedFor: ["not-an-ip"], trusted: trusted) == "10.0.0.2")
        #expect(ClientAddress.resolve(peer: nil, forwardedFor: ["192.0.2.1"], trusted: trusted) == "unknown")
        #expect(ClientAddress.resolve(peer: "10.0.0.2", forwardedFor: [], trusted: []) == "10.0.0.2")
    }
}
