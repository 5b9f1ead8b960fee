extension Sequence where Element: Hashable {
    /// The elements, each once, in order of first appearance.
    ///
    /// - Complexity: O(n) expected: a set of those seen, where testing an array for each would
    ///   make a rep of 100,000 enrollment lines take minutes.
    func uniqued() -> [Element] {
        var seen = Set<Element>()
        return filter { seen.insert($0).inserted }
    }
}
