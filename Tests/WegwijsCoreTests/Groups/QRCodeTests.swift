import Foundation
import Testing
@testable import WegwijsCore

/// The QR code of the evaluation link (byte mode, level M, versions 1–10). Checked here against the standard's
/// worked Reed–Solomon example and the code's fixed patterns and format bits; decoded by a real reader in
/// e2e/test_group_evaluation.py (zxing-cpp, when installed).
@Suite("QR code")
struct QRCodeTests {
    @Test("Reed–Solomon: the worked example of version 1-M (HELLO WORLD)")
    func reedSolomon() {
        let data: [UInt8] = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17]
        #expect(ReedSolomon.remainder(data, divisor: ReedSolomon.divisor(degree: 10)) == [196, 35, 39, 119, 235, 215, 231, 226, 93, 23])
    }

    @Test("capacities of level M in byte mode, and the smallest version that holds the text")
    func capacities() {
        #expect((1...10).map(QRCode.capacity) == [14, 26, 42, 62, 84, 106, 122, 152, 180, 213])
        #expect(QRCode.encode(String(repeating: "a", count: 14))?.version == 1)
        #expect(QRCode.encode(String(repeating: "a", count: 15))?.version == 2)
        let link = "https://wegwijs.rijnstad.nl/evaluatie/" + String(repeating: "0f", count: 32)
        #expect(QRCode.encode(link)?.version == 6)
        #expect(QRCode.encode(String(repeating: "a", count: 214)) == nil)
    }

    @Test("finder patterns, timing, the dark module, and format bits that read back as level M and the mask",
          arguments: [1, 6, 7, 10])
    func structure(_ version: Int) throws {
        let code = try #require(QRCode.encode(String(repeating: "x", count: QRCode.capacity(version))))
        #expect(code.version == version)
        let n = code.size
        #expect(n == 17 + 4 * version)
        let m = code.modules
        for (cx, cy) in [(3, 3), (n - 4, 3), (3, n - 4)] {
            #expect(m[cy][cx] && m[cy - 3][cx - 3] && !m[cy - 2][cx - 2] && m[cy - 1][cx - 1])
        }
        for i in 8..<(n - 8) { #expect(m[6][i] == (i % 2 == 0) && m[i][6] == (i % 2 == 0)) }
        #expect(m[n - 8][8])
        // The first copy of the format bits, unmasked: level M (00) and the mask.
        var bits = 0
        for i in 0...5 { bits |= (m[i][8] ? 1 : 0) << i }
        bits |= (m[7][8] ? 1 : 0) << 6 | (m[8][8] ? 1 : 0) << 7 | (m[8][7] ? 1 : 0) << 8
        for i in 9..<15 { bits |= (m[8][14 - i] ? 1 : 0) << i }
        let format = (bits ^ 0x5412) >> 10
        #expect(format >> 3 == 0, "level M")
        #expect(format & 7 == code.mask)
    }

    /// With WEGWIJS_QR_DUMP=dir, writes the matrices as PBM images for an outside decoder.
    @Test("dump for an outside decoder")
    func dump() throws {
        guard let folder = ProcessInfo.processInfo.environment["WEGWIJS_QR_DUMP"] else { return }
        for (name, text) in [("v1", "Wegwijs"), ("v7", "http://127.0.0.1:8080/evaluatie/" + String(repeating: "a1", count: 32)),
                             ("v10", String(repeating: "Tigrinya ትግርኛ ", count: 9))] {
            let code = try #require(QRCode.encode(text))
            let scale = 8, border = 4, side = (code.size + 2 * border) * scale
            var lines = ["P1", "\(side) \(side)"]
            for y in 0..<side {
                let row = (0..<side).map { x -> String in
                    let (mx, my) = (x / scale - border, y / scale - border)
                    return (0..<code.size).contains(mx) && (0..<code.size).contains(my) && code.modules[my][mx] ? "1" : "0"
                }
                lines.append(row.joined(separator: " "))
            }
            try (lines.joined(separator: "\n") + "\n").write(toFile: "\(folder)/\(name).pbm", atomically: true, encoding: .utf8)
            try text.write(toFile: "\(folder)/\(name).txt", atomically: true, encoding: .utf8)
        }
    }
}
