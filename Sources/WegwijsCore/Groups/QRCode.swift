/// A QR code (ISO/IEC 18004) for the evaluation link on the paper hand-out: byte mode, error correction level M,
/// versions 1 to 10 (up to 213 bytes), so no package and no outside service is needed to print one. The penalty
/// used to choose the mask counts runs, 2×2 blocks and the dark/light balance (rules 1, 2 and 4); any mask gives a
/// valid code, the choice only helps cameras.
public struct QRCode: Sendable, Equatable {
    public let version: Int
    public let mask: Int
    /// `modules[row][column]`, true = dark.
    public let modules: [[Bool]]

    public var size: Int { modules.count }

    /// Error correction level M per version: EC codewords per block, and (blocks, data codewords) per group.
    static let blocks: [(ec: Int, groups: [(count: Int, data: Int)])] = [
        (10, [(1, 16)]), (16, [(1, 28)]), (26, [(1, 44)]), (18, [(2, 32)]), (24, [(2, 43)]),
        (16, [(4, 27)]), (18, [(4, 31)]), (22, [(2, 38), (2, 39)]), (22, [(3, 36), (2, 37)]), (26, [(4, 43), (1, 44)]),
    ]

    static let alignment: [[Int]] = [
        [], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50],
    ]

    static func dataCodewords(_ version: Int) -> Int { blocks[version - 1].groups.reduce(0) { $0 + $1.count * $1.data } }

    /// The most bytes version `version` holds in byte mode at level M.
    public static func capacity(_ version: Int) -> Int { (dataCodewords(version) * 8 - 4 - (version < 10 ? 8 : 16)) / 8 }

    /// The code for `text` (UTF-8), or nil when it is longer than version 10 holds.
    public static func encode(_ text: String) -> QRCode? {
        let bytes = Array(text.utf8)
        guard let version = (1...10).first(where: { bytes.count <= capacity($0) }) else { return nil }
        let data = dataBits(bytes, version: version)
        let codewords = interleave(data, version: version)
        var best: QRCode?
        var bestPenalty = Int.max
        for mask in 0..<8 {
            var grid = Grid(version: version)
            grid.place(codewords)
            grid.apply(mask: mask)
            grid.drawFormat(mask: mask)
            let penalty = grid.penalty()
            if penalty < bestPenalty {
                bestPenalty = penalty
                best = QRCode(version: version, mask: mask, modules: grid.modules)
            }
        }
        return best
    }

    // MARK: data

    static func dataBits(_ bytes: [UInt8], version: Int) -> [UInt8] {
        var bits: [Bool] = []
        func append(_ value: Int, _ count: Int) { for i in (0..<count).reversed() { bits.append((value >> i) & 1 == 1) } }
        append(0b0100, 4)
        append(bytes.count, version < 10 ? 8 : 16)
        for byte in bytes { append(Int(byte), 8) }
        let capacityBits = dataCodewords(version) * 8
        append(0, min(4, capacityBits - bits.count))
        append(0, (8 - bits.count % 8) % 8)
        var result: [UInt8] = stride(from: 0, to: bits.count, by: 8).map { start in
            (0..<8).reduce(UInt8(0)) { $0 << 1 | (bits[start + $1] ? 1 : 0) }
        }
        var pad: UInt8 = 0xEC
        while result.count < dataCodewords(version) {
            result.append(pad)
            pad = pad == 0xEC ? 0x11 : 0xEC
        }
        return result
    }

    /// Splits the data into blocks, adds each block's Reed–Solomon codewords, and interleaves them.
    static func interleave(_ data: [UInt8], version: Int) -> [UInt8] {
        let spec = blocks[version - 1]
        var blocks: [[UInt8]] = []
        var offset = 0
        for group in spec.groups {
            for _ in 0..<group.count {
                blocks.append(Array(data[offset..<offset + group.data]))
                offset += group.data
            }
        }
        let divisor = ReedSolomon.divisor(degree: spec.ec)
        let ecc = blocks.map { ReedSolomon.remainder($0, divisor: divisor) }
        var result: [UInt8] = []
        for i in 0..<(blocks.map(\.count).max() ?? 0) {
            for block in blocks where i < block.count { result.append(block[i]) }
        }
        for i in 0..<spec.ec {
            for block in ecc { result.append(block[i]) }
        }
        return result
    }

    // MARK: drawing

    /// An SVG picture of the code with the four-module quiet zone, `scale` units per module.
    public func svg(scale: Int = 4) -> String {
        let total = (size + 8) * scale
        var path = ""
        for (y, row) in modules.enumerated() {
            for (x, dark) in row.enumerated() where dark {
                path += "M\((x + 4) * scale) \((y + 4) * scale)h\(scale)v\(scale)h-\(scale)z"
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(total) \(total)\" width=\"\(total)\" height=\"\(total)\">"
            + "<rect width=\"100%\" height=\"100%\" fill=\"#fff\"/><path fill=\"#000\" d=\"\(path)\"/></svg>"
    }

    struct Grid {
        let version: Int
        let size: Int
        var modules: [[Bool]]
        var isFunction: [[Bool]]

        init(version: Int) {
            self.version = version
            size = 17 + 4 * version
            modules = Array(repeating: Array(repeating: false, count: size), count: size)
            isFunction = modules
            for i in 0..<size {
                set(6, i, i % 2 == 0)
                set(i, 6, i % 2 == 0)
            }
            for (x, y) in [(3, 3), (size - 4, 3), (3, size - 4)] {
                for dy in -4...4 {
                    for dx in -4...4 where (0..<size).contains(x + dx) && (0..<size).contains(y + dy) {
                        let distance = max(abs(dx), abs(dy))
                        set(x + dx, y + dy, distance != 2 && distance != 4)
                    }
                }
            }
            let positions = QRCode.alignment[version - 1]
            for (i, y) in positions.enumerated() {
                for (j, x) in positions.enumerated() {
                    let last = positions.count - 1
                    if (i == 0 && j == 0) || (i == 0 && j == last) || (i == last && j == 0) { continue }
                    for dy in -2...2 {
                        for dx in -2...2 { set(x + dx, y + dy, max(abs(dx), abs(dy)) != 1) }
                    }
                }
            }
            drawFormat(mask: 0)
            if version >= 7 {
                var remainder = version
                for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
                let bits = version << 12 | remainder
                for i in 0..<18 {
                    let dark = (bits >> i) & 1 == 1
                    let a = size - 11 + i % 3, b = i / 3
                    set(a, b, dark)
                    set(b, a, dark)
                }
            }
        }

        /// Column `x`, row `y`, as a function module.
        mutating func set(_ x: Int, _ y: Int, _ dark: Bool) {
            modules[y][x] = dark
            isFunction[y][x] = true
        }

        /// The format information (level M, the mask) in both copies, and the dark module.
        mutating func drawFormat(mask: Int) {
            let data = 0 << 3 | mask // level M is 00
            var remainder = data
            for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
            let bits = (data << 10 | remainder) ^ 0x5412
            func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
            for i in 0...5 { set(8, i, bit(i)) }
            set(8, 7, bit(6))
            set(8, 8, bit(7))
            set(7, 8, bit(8))
            for i in 9..<15 { set(14 - i, 8, bit(i)) }
            for i in 0..<8 { set(size - 1 - i, 8, bit(i)) }
            for i in 8..<15 { set(8, size - 15 + i, bit(i)) }
            set(8, size - 8, true)
        }

        /// The codewords in the zigzag order: two columns at a time from the right, up and down, skipping column 6.
        mutating func place(_ codewords: [UInt8]) {
            var i = 0
            var right = size - 1
            while right >= 1 {
                if right == 6 { right = 5 }
                for vertical in 0..<size {
                    for j in 0..<2 {
                        let x = right - j
                        let upward = (right + 1) & 2 == 0
                        let y = upward ? size - 1 - vertical : vertical
                        if !isFunction[y][x] && i < codewords.count * 8 {
                            modules[y][x] = (codewords[i >> 3] >> (7 - (i & 7))) & 1 == 1
                            i += 1
                        }
                    }
                }
                right -= 2
            }
        }

        mutating func apply(mask: Int) {
            for y in 0..<size {
                for x in 0..<size where !isFunction[y][x] {
                    let flip: Bool
                    switch mask {
                    case 0: flip = (x + y) % 2 == 0
                    case 1: flip = y % 2 == 0
                    case 2: flip = x % 3 == 0
                    case 3: flip = (x + y) % 3 == 0
                    case 4: flip = (x / 3 + y / 2) % 2 == 0
                    case 5: flip = x * y % 2 + x * y % 3 == 0
                    case 6: flip = (x * y % 2 + x * y % 3) % 2 == 0
                    default: flip = ((x + y) % 2 + x * y % 3) % 2 == 0
                    }
                    if flip { modules[y][x].toggle() }
                }
            }
        }

        func penalty() -> Int {
            var total = 0
            // Rule 1: runs of five or more of one colour, in rows and columns.
            for line in 0..<size {
                for horizontal in [true, false] {
                    var run = 1
                    for k in 1..<size {
                        let a = horizontal ? modules[line][k - 1] : modules[k - 1][line]
                        let b = horizontal ? modules[line][k] : modules[k][line]
                        if a == b {
                            run += 1
                            if run == 5 { total += 3 } else if run > 5 { total += 1 }
                        } else {
                            run = 1
                        }
                    }
                }
            }
            // Rule 2: 2×2 blocks of one colour.
            for y in 0..<size - 1 {
                for x in 0..<size - 1 {
                    let c = modules[y][x]
                    if c == modules[y][x + 1] && c == modules[y + 1][x] && c == modules[y + 1][x + 1] { total += 3 }
                }
            }
            // Rule 4: how far the share of dark modules is from half.
            let dark = modules.reduce(0) { $0 + $1.filter { $0 }.count }
            let cells = size * size
            total += (abs(dark * 20 - cells * 10) + cells - 1) / cells * 10
            return total
        }
    }
}

/// Reed–Solomon error correction over GF(256) with the QR polynomial x⁸ + x⁴ + x³ + x² + 1.
enum ReedSolomon {
    static func multiply(_ x: UInt8, _ y: UInt8) -> UInt8 {
        var z = 0
        for i in (0..<8).reversed() {
            z = (z << 1) ^ ((z >> 7) * 0x11D)
            z ^= ((Int(y) >> i) & 1) * Int(x)
        }
        return UInt8(z)
    }

    /// The generator polynomial of `degree`, highest coefficient left out (it is 1).
    static func divisor(degree: Int) -> [UInt8] {
        var result = Array(repeating: UInt8(0), count: degree)
        result[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for j in 0..<degree {
                result[j] = multiply(result[j], root)
                if j + 1 < degree { result[j] ^= result[j + 1] }
            }
            root = multiply(root, 0x02)
        }
        return result
    }

    static func remainder(_ data: [UInt8], divisor: [UInt8]) -> [UInt8] {
        var result = Array(repeating: UInt8(0), count: divisor.count)
        for byte in data {
            let factor = byte ^ result.removeFirst()
            result.append(0)
            for i in 0..<result.count { result[i] ^= multiply(divisor[i], factor) }
        }
        return result
    }
}
