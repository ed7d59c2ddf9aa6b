/// The Dutch citizen service number. Wegwijs never requires one (R18); one that is given must pass the 11-test.
public enum BSN {
    /// The 11-test: 9 digits d1…d9 with 9·d1 + 8·d2 + … + 2·d8 − 1·d9 divisible by 11, and not all zeros.
    /// Eight-digit numbers are historic BSNs with a leading zero dropped.
    public static func isValid(_ raw: String) -> Bool {
        var digits = Array(raw).compactMap(\.wholeNumberValue)
        guard digits.count == raw.count, digits.count == 8 || digits.count == 9 else { return false }
        if digits.count == 8 { digits.insert(0, at: 0) }
        guard digits.contains(where: { $0 != 0 }) else { return false }
        var sum = 0
        for (index, digit) in digits.enumerated() {
            sum += index == 8 ? -digit : digit * (9 - index)
        }
        return sum % 11 == 0
    }
}
