/// When two rule sets name the same bands, they agree when the names match; otherwise when the
/// bands are at the same rank from the top. Ineligible matches only Ineligible.
struct BandMatching: CustomStringConvertible {
    let first: RuleSet
    let second: RuleSet?

    init(_ first: RuleSet, _ second: RuleSet?) {
        self.first = first
        self.second = second
    }

    var byName: Bool { second.map { $0.bandNames == first.bandNames } ?? true }

    func agree(_ a: Int, _ b: Int) -> Bool {
        guard let second else { return a == b }
        let aIneligible = a == first.bands.count
        let bIneligible = b == second.bands.count
        if aIneligible || bIneligible { return aIneligible && bIneligible }
        return byName ? a == b : first.bands.count - a == second.bands.count - b
    }

    var description: String {
        byName ? "by band name" : "by rank from the top band (the rule sets name their bands differently)"
    }
}
