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

extension Collection where Index == Int {
    /// Where each key first appears, by key: what `firstIndex(where:)` finds for it, looked up
    /// rather than searched (names are looked up once per line, entry or listed name).
    func firstIndices<Key: Hashable>(by key: (Element) -> Key) -> [Key: Int] {
        var indices: [Key: Int] = [:]
        for (index, element) in zip(self.indices, self) where indices[key(element)] == nil {
            indices[key(element)] = index
        }
        return indices
    }
}
