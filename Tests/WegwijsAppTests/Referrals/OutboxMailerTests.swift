import Fluent
import Foundation
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import Testing
import Vapor
@testable import WegwijsApp

/// A fake SMTP relay: answers the dialogue and keeps each message it receives.
final class FakeSMTPHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer
    let received: NIOLockedValueBox<[String]>
    private var pending = ""
    private var inData = false
    private var message = ""

    init(_ received: NIOLockedValueBox<[String]>) { self.received = received }

    func channelActive(context: ChannelHandlerContext) { reply(context, "220 fake relay") }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        pending += buffer.readString(length: buffer.readableBytes) ?? ""
        while let range = pending.range(of: "\r\n") {
            let line = String(pending[..<range.lowerBound])
            pending.removeSubrange(..<range.upperBound)
            if inData {
                if line == "." {
                    inData = false
                    received.withLockedValue { $0.append(message) }
                    message = ""
                    reply(context, "250 queued")
                } else {
                    message += line + "\n"
                }
                continue
            }
            switch line.prefix(4).uppercased() {
            case "EHLO": reply(context, "250-fake\r\n250 8BITMIME")
            case "MAIL", "RCPT": reply(context, "250 ok")
            case "DATA": inData = true; reply(context, "354 go ahead")
            case "QUIT": reply(context, "221 bye"); context.close(promise: nil)
            default: reply(context, "500 what")
            }
        }
    }

    private func reply(_ context: ChannelHandlerContext, _ text: String) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text + "\r\n")), promise: nil)
    }
}

@Suite("E-mail outbox")
struct OutboxMailerTests {
    @Test("Notifications go to the outbox; the SMTP sender delivers them to the relay, without personal data")
    func sendsThroughTheRelay() async throws {
        try await withWegwijs(.sqlite) { app in
            let received = NIOLockedValueBox<[String]>([])
            let server = try await ServerBootstrap(group: app.eventLoopGroup)
                .childChannelInitializer { channel in channel.pipeline.addHandler(FakeSMTPHandler(received)) }
                .bind(host: "127.0.0.1", port: 0).get()
            defer { server.close(promise: nil) }
            let port = server.localAddress!.port!

            let s = try await ReferralAPITests.habte(app)
            let created = try await app.send(.POST, "/api/v1/referrals", token: s.lead, json: ReferralAPITests.referBody(s))
            #expect(created.status == .created)
            let id = created.json["id"] as! String
            #expect(try await ReferralAPITests.step(app, id, token: s.partner, #"{"to":"accepted"}"#).status == .ok)
            let waiting = try await OutboxEmail.query(on: app.db).filter(\.$sentAt == nil).count()
            #expect(waiting >= 2)  // the partner heard of the new referral; the lead of its acceptance

            let settings = SMTPSettings(host: "127.0.0.1", port: port, from: "wegwijs@rijnstad.example")
            let sent = try await OutboxMailer.sendPending(app, settings: settings)
            #expect(sent == waiting)
            #expect(try await OutboxEmail.query(on: app.db).filter(\.$sentAt == nil).count() == 0)
            let messages = received.withLockedValue { $0 }
            #expect(messages.count == waiting)
            #expect(messages.contains { $0.contains("To: klantmanager@rijnstad.example") && $0.contains("geaccepteerd") })
            #expect(messages.allSatisfy { !$0.contains("Senait") && !$0.contains("Habte") })
        }
    }

    @Test("A relay that does not answer: the e-mail stays in the outbox with the error, and is tried again later")
    func keepsWhatFailed() async throws {
        try await withWegwijs(.sqlite) { app in
            let s = try await ReferralAPITests.habte(app)
            #expect(try await app.send(.POST, "/api/v1/referrals", token: s.lead, json: ReferralAPITests.referBody(s)).status == .created)
            // A port nobody listens on.
            let closed = try await ServerBootstrap(group: app.eventLoopGroup).bind(host: "127.0.0.1", port: 0).get()
            let port = closed.localAddress!.port!
            try await closed.close()
            let sent = try await OutboxMailer.sendPending(app, settings: SMTPSettings(host: "127.0.0.1", port: port, from: "w@x.example"))
            #expect(sent == 0)
            let mails = try await OutboxEmail.query(on: app.db).all()
            #expect(!mails.isEmpty && mails.allSatisfy { $0.sentAt == nil && $0.attempts == 1 && $0.lastError != nil })
        }
    }

    @Test("WEGWIJS_SMTP_URL is read as smtp://host:port")
    func parsesTheURL() throws {
        #expect(try SMTPSettings.parse("smtp://relay.rijnstad.example:2525", from: nil)
                == SMTPSettings(host: "relay.rijnstad.example", port: 2525, from: "wegwijs@localhost"))
        #expect(try SMTPSettings.parse("smtp://relay", from: "noreply@rijnstad.example").port == 25)
        #expect(throws: (any Error).self) { try SMTPSettings.parse("http://relay", from: nil) }
    }
}
