import Foundation
import LeafKit
import Vapor
import WegwijsCore

/// An error with a stable code, a message and, for bad input, the fields it concerns. Rendered as
/// `{"error": {"code", "message", "fields"}}` by the API and as a page (or messages next to fields) by the web UI.
struct AppError: AbortError, Sendable {
    let status: HTTPResponseStatus
    let code: String
    let message: String
    var fields: [String: String] = [:]
    /// The validation problems behind `fields`, so the web UI can word them in the user's language.
    var fieldCodes: [FieldError]? = nil
    /// Seconds for a `Retry-After` header (a throttled sign-in).
    var retryAfter: Int? = nil

    var reason: String { message }

    static func notFound(_ what: String = "resource") -> AppError {
        AppError(status: .notFound, code: "not-found", message: "The \(what) does not exist or is not yours to see.")
    }
    static let unauthorized = AppError(status: .unauthorized, code: "unauthorized",
                                       message: "Sign in first: send a valid bearer token.")
    static let forbidden = AppError(status: .forbidden, code: "forbidden",
                                    message: "Your role may not do this.")
    static let staleVersion = AppError(status: .conflict, code: "stale-version",
                                       message: "Someone else changed this record after you loaded it. Reload and try again.")
    static let versionRequired = AppError(status: .preconditionRequired, code: "version-required",
                                          message: "Send the version you edit: an If-Match header with the ETag, or a \"version\" field.")

    /// Validation failure: 422 with every field's problem, worded by the English catalogue.
    static func invalid(_ errors: [FieldError], catalog: LocaleCatalog) -> AppError {
        var fields: [String: String] = [:]
        for error in errors where fields[error.field] == nil {
            fields[error.field] = catalog.fieldMessage(error)
        }
        let names = fields.keys.sorted().joined(separator: ", ")
        return AppError(status: .unprocessableEntity, code: "invalid-input",
                        message: "Some fields are not valid: \(names).", fields: fields, fieldCodes: errors)
    }

    static func badField(_ field: String, _ message: String) -> AppError {
        AppError(status: .unprocessableEntity, code: "invalid-input", message: "\(field): \(message)",
                 fields: [field: message])
    }
}

struct ErrorBody: Content {
    struct Detail: Content {
        let code: String
        let message: String
        let fields: [String: String]?
    }
    let error: Detail
}

/// Turns every error into the documented JSON shape for `/api`, `/health` and `/openapi.json`, and into a calm,
/// translated page for the web UI. Never leaks internals (or personal data) in a 500: those are logged by type only.
struct AppErrorMiddleware: AsyncMiddleware {
    let environment: Environment
    /// False for the instance outside the sessions middleware: errors that reach it (a refused static path, a
    /// failing session store) come from a request without a session, and reading `request.session` there stops a
    /// debug build (`No SessionsMiddleware detected`). It answers a page that needs no session.
    var insideSessions: Bool = true

    init(environment: Environment, insideSessions: Bool = true) {
        self.environment = environment
        self.insideSessions = insideSessions
    }

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: request)
        } catch {
            let detail = describe(error, request: request)
            if detail.status == .internalServerError {
                // The error's type only: its text may quote data.
                // A template error names the template and the problem, never data: log it to find the bug.
                let reason = error is LeafError ? String(describing: error) : "-"
                request.logger.error("unhandled error", metadata: ["type": "\(type(of: error))", "reason": "\(reason)",
                                                                    "route": "\(request.route?.description ?? "-")"])
            }
            if wantsJSON(request) {
                let body = ErrorBody(error: .init(code: detail.code, message: detail.message,
                                                  fields: detail.fields.isEmpty ? nil : detail.fields))
                let response = Response(status: detail.status)
                try response.content.encode(body, as: .json)
                if detail.status == .unauthorized {
                    response.headers.replaceOrAdd(name: .wwwAuthenticate, value: "Bearer")
                }
                if let seconds = detail.retryAfter {
                    response.headers.replaceOrAdd(name: .retryAfter, value: String(seconds))
                }
                return response
            }
            guard insideSessions else { return Self.plainPage(detail, for: request) }
            do {
                return try await ErrorPage.render(status: detail.status, code: detail.code, for: request)
            } catch {
                // The page itself failed (a template error): still a calm answer with the right status.
                request.logger.error("error page failed", metadata: ["type": "\(type(of: error))"])
                return Self.plainPage(detail, for: request)
            }
        }
    }

    /// A page without layout, session or template: the status and the catalogue's message in Dutch or English
    /// (by the browser's preference alone), and a link to the start page. Escaped, although the texts are ours.
    static func plainPage(_ detail: AppError, for request: Request) -> Response {
        let accept = request.headers.first(name: .acceptLanguage)?.lowercased() ?? ""
        let locale: StaffLocale = accept.hasPrefix("en") ? .en : .nl
        let catalog = request.application.locales
        let key: String
        switch detail.status {
        case .notFound: key = "notFound"
        case .forbidden: key = "forbidden"
        case .payloadTooLarge: key = "tooLarge"
        default: key = detail.status.code >= 500 ? "internal" : "badRequest"
        }
        func escaped(_ text: String) -> String {
            text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
                .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        }
        let title = escaped(catalog.text("error.\(key).title", locale))
        let html = """
            <!DOCTYPE html>
            <html lang="\(locale.rawValue)"><head><meta charset="utf-8"><title>\(title) – Wegwijs</title>
            <link rel="stylesheet" href="/css/wegwijs.css"></head>
            <body><main class="container site-main"><h1>\(title)</h1>
            <p>\(escaped(catalog.text("error.\(key).message", locale)))</p>
            <p>\(escaped(catalog.text("error.status", locale))) \(detail.status.code)</p>
            <p><a href="/">\(escaped(catalog.text("error.home", locale)))</a></p></main></body></html>
            """
        let response = Response(status: detail.status, body: .init(string: html))
        response.headers.contentType = .html
        return response
    }

    private func wantsJSON(_ request: Request) -> Bool {
        let path = request.url.path
        return path.hasPrefix("/api/") || path == "/api" || path == "/health" || path == "/openapi.json"
    }

    private func describe(_ error: any Error, request: Request) -> AppError {
        switch error {
        case let error as AppError:
            return error
        case let error as DecodingError:
            return AppError(status: .badRequest, code: "malformed-body", message: Self.describe(decoding: error))
        case _ where Self.isMultipartError(error):
            // MultipartKit's parser throws its own (private) error type for a body that is not the multipart it
            // claims to be: bad input, not our failure.
            return AppError(status: .badRequest, code: "malformed-body",
                            message: "The body is not valid multipart/form-data.")
        case let abort as any AbortError:
            switch abort.status {
            case .payloadTooLarge:
                return AppError(status: .payloadTooLarge, code: "body-too-large", message: "The body is larger than 1 MiB.")
            case .notFound:
                return .notFound("page")
            case .unsupportedMediaType:
                return AppError(status: .unsupportedMediaType, code: "unsupported-media-type",
                                message: "Send JSON (Content-Type: application/json).")
            case .badRequest:
                return AppError(status: .badRequest, code: "bad-request", message: abort.reason)
            case .unauthorized:
                return .unauthorized
            case .forbidden:
                return .forbidden
            case .methodNotAllowed:
                return AppError(status: .methodNotAllowed, code: "method-not-allowed", message: "Method not allowed.")
            default:
                let code = abort.status.code >= 500 ? "internal-error" : "http-\(abort.status.code)"
                let message = abort.status.code >= 500 ? "Something went wrong on our side." : abort.reason
                return AppError(status: abort.status, code: code, message: message)
            }
        default:
            return AppError(status: .internalServerError, code: "internal-error", message: "Something went wrong on our side.")
        }
    }

    /// Any error type of MultipartKit (`MultipartParser`'s syntax error is private, so it is recognised by module).
    static func isMultipartError(_ error: any Error) -> Bool {
        String(reflecting: type(of: error)).hasPrefix("MultipartKit.")
    }

    /// Names the field without quoting the value that was sent.
    static func describe(decoding error: DecodingError) -> String {
        func path(_ context: DecodingError.Context) -> String {
            let text = context.codingPath.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }
                .joined()
            return text.hasPrefix(".") ? String(text.dropFirst()) : text
        }
        switch error {
        case .keyNotFound(let key, let context):
            let parent = path(context)
            return "Missing field: \(parent.isEmpty ? key.stringValue : parent + "." + key.stringValue)."
        case .typeMismatch(_, let context), .valueNotFound(_, let context):
            return "Wrong type for field: \(path(context))."
        case .dataCorrupted(let context):
            let field = path(context)
            return field.isEmpty ? "The body is not valid JSON." : "Invalid value for field: \(field)."
        @unknown default:
            return "The body could not be read."
        }
    }
}

/// Refuses the NUL character (U+0000) anywhere in a request's text: PostgreSQL cannot store it in `text` (the
/// insert fails, which was a 500) and SQLite stores it as is, where it later cuts strings short in other tools.
/// No field of Wegwijs has a use for it, so the request is refused as a whole (422 `invalid-input`) before any
/// route reads it: the query, a form or multipart body (`%00` or a raw NUL byte) and a JSON body (a raw NUL byte
/// or the escape `\u0000`).
struct RefuseNULMiddleware: AsyncMiddleware {
    static let refusal = AppError(status: .unprocessableEntity, code: "invalid-input",
                                  message: "Text may not contain the NUL character (U+0000).")

    /// The URL alone (placed before the file middleware, which would serve `wegwijs.css%00.txt` as
    /// `wegwijs.css`), or the body too (placed after the body limit).
    enum Scope: Sendable { case url, body }
    let scope: Scope

    func respond(to request: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        if scope == .url {
            if let query = request.url.query, Self.containsEncodedNUL(query.utf8) { throw Self.refusal }
            if Self.containsEncodedNUL(request.url.path.utf8) { throw Self.refusal }
        } else if request.method != .GET && request.method != .HEAD {
            // A body that arrives in pieces is not read yet: read it (within the same limit) to look at it.
            if request.body.data == nil {
                let limit = request.url.path == BodyLimitMiddleware.uploadPath ? BodyLimitMiddleware.uploadLimit : 1 << 20
                _ = try await request.body.collect(max: limit).get()
            }
            if let body = request.body.data, Self.containsNUL(body.readableBytesView, contentType: request.headers.contentType) {
                throw Self.refusal
            }
        }
        return try await next.respond(to: request)
    }

    /// A raw NUL byte in any body; in form bodies also `%00`; in JSON also the escape `\u0000` (a backslash that is
    /// itself escaped, `\\u0000`, is the literal text and passes).
    static func containsNUL<Bytes: Collection>(_ bytes: Bytes, contentType: HTTPMediaType?) -> Bool where Bytes.Element == UInt8 {
        if bytes.contains(0) { return true }
        switch (contentType?.type, contentType?.subType) {
        case ("application", "x-www-form-urlencoded"): return containsEncodedNUL(bytes)
        case ("application", "json"): return containsJSONEscapedNUL(bytes)
        default: return false
        }
    }

    /// `%00` in percent-encoded text.
    static func containsEncodedNUL<Bytes: Collection>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        let array = Array(bytes)
        guard array.count >= 3 else { return false }
        for index in 0..<(array.count - 2) where array[index] == UInt8(ascii: "%")
            && array[index + 1] == UInt8(ascii: "0") && array[index + 2] == UInt8(ascii: "0") {
            return true
        }
        return false
    }

    /// `\u0000` preceded by an even number of further backslashes (so the first one starts an escape).
    static func containsJSONEscapedNUL<Bytes: Collection>(_ bytes: Bytes) -> Bool where Bytes.Element == UInt8 {
        let array = Array(bytes)
        let needle = Array("u0000".utf8)
        var index = 0
        var backslashes = 0
        while index < array.count {
            let byte = array[index]
            if byte == UInt8(ascii: "\\") {
                backslashes += 1
            } else {
                if backslashes % 2 == 1, byte == UInt8(ascii: "u"), index + needle.count <= array.count,
                   Array(array[index..<(index + needle.count)]) == needle {
                    return true
                }
                backslashes = 0
            }
            index += 1
        }
        return false
    }
}
