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
                return response
            }
            return try await ErrorPage.render(status: detail.status, code: detail.code, for: request)
        }
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
