import Crypto
import Foundation
import Vapor
import WegwijsCore

/// `ETag`, `Cache-Control` and `304 Not Modified` for pages that are remembered per content version (the HSDS API,
/// the parents' place, the catalogue list). The tag is a hash of the body itself, so it is right whatever the
/// page depends on (content versions, language, query): a client that sends it back in `If-None-Match` gets 304
/// without the body when, and only when, it would have received the same bytes. `no-cache` makes every client ask
/// again each time (a catalogue change shows at once); the answer is then mostly a 304 of a few hundred bytes.
struct ConditionalGetMiddleware: AsyncMiddleware {
    enum Audience {
        /// No account, no cookies: shared caches may keep it too.
        case `public`
        /// Behind a sign-in: only the client's own cache.
        case `private`
        var cacheControl: String {
            switch self {
            case .public: "public, no-cache"
            case .private: "private, no-cache"
            }
        }
    }

    let audience: Audience

    init(_ audience: Audience) { self.audience = audience }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: request)
        // Only whole, successful reads; an ETag already set means something else (an edit's version, `If-Match`).
        guard request.method == .GET || request.method == .HEAD, response.status == .ok,
              response.headers.first(name: .eTag) == nil, let body = response.body.buffer else { return response }
        let tag = "\"" + String(SHA256.hash(data: body.readableBytesView).hexString.prefix(32)) + "\""
        response.headers.replaceOrAdd(name: .eTag, value: tag)
        if response.headers.first(name: .cacheControl) == nil {
            response.headers.replaceOrAdd(name: .cacheControl, value: audience.cacheControl)
        }
        guard Self.matches(request.headers[.ifNoneMatch], tag) else { return response }
        let notModified = Response(status: .notModified, headers: response.headers)
        notModified.headers.remove(name: .contentLength)
        notModified.headers.remove(name: .contentType)
        return notModified
    }

    /// `If-None-Match` compares weakly (RFC 9110 §13.1.2): `W/` is ignored, `*` matches any.
    static func matches(_ values: [String], _ tag: String) -> Bool {
        for value in values {
            for candidate in value.split(separator: ",") {
                let trimmed = candidate.trimmingCharacters(in: .whitespaces)
                if trimmed == "*" { return true }
                let bare = trimmed.hasPrefix("W/") ? String(trimmed.dropFirst(2)) : trimmed
                if bare == tag { return true }
            }
        }
        return false
    }
}
