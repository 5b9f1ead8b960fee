import Foundation

extension SyntheticExport.Summary {
    /// What `synth` prints about the export it wrote: the enrollments, and per rep and sequence
    /// the counts written, so that `score` of the file can be checked against them.
    public func text(file: String?, strategy: String?, seed: UInt64) -> String {
        var lines = [
            "\(Format.count(rows)) completed enrollments written\(file.map { " to \($0)" } ?? "")"
                + " (\(strategy ?? Strategy.baselineName), seed \(seed))",
            "rep / sequence        completed  bounced  replied  unsubscribed",
        ]
        for rep in reps.keys.sorted() {
            lines.append(Self.row(rep, reps[rep]!))
            for key in sequences.keys.sorted() where key.hasPrefix(rep + "/") {
                lines.append(Self.row("  " + key.dropFirst(rep.count + 1), sequences[key]!))
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    static func row(_ label: some StringProtocol, _ counts: Counts) -> String {
        String(label).padding(toLength: 22, withPad: " ", startingAt: 0)
            + [counts.completed, counts.bounced, counts.replied, counts.unsubscribed]
            .map { Format.count($0).padding(toLength: 9, withPad: " ", startingAt: 0) + " " }.joined()
    }
}
