/// Lower-case hexadecimal text of bytes. Written out by hand: `String(format: "%02x")` costs microseconds a byte
/// on Linux, and hashes are formatted on every request (tokens, the audit chain, HSDS ids).
extension Sequence where Element == UInt8 {
    public var hexString: String {
        let digits: [UInt8] = Array("0123456789abcdef".utf8)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            bytes.append(digits[Int(byte >> 4)])
            bytes.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
