import Vapor

/// JSON encoded once and sent many times (remembered pages): the same encoder Vapor uses for `Content`, so the
/// bytes are exactly what returning the value itself would send.
enum EncodedJSON {
    static func encode<T: Encodable>(_ value: T) throws -> ByteBuffer {
        var buffer = ByteBuffer()
        var headers = HTTPHeaders()
        try ContentConfiguration.global.requireEncoder(for: .json).encode(value, to: &buffer, headers: &headers)
        return buffer
    }

    static func response(_ body: ByteBuffer, status: HTTPStatus = .ok) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: status, headers: headers, body: .init(buffer: body))
    }
}
