import Foundation
import Testing
import _TestSupport

@testable import SenderScoreKit

/// `senderscore report` reads a saved result a rep and a sequence at a time
/// (`RunReport.init(levelsApart:)`), so that a large team's result is never one tree in memory;
/// it must read exactly what decoding the whole document reads, and refuse what that refuses with
/// the same message.
@Suite struct SavedResultTests {
    static func savedResult() async throws -> (report: RunReport, bytes: [UInt8]) {
        let report = try await ReportFormatTests.makeReport()
        return (report, Array(try report.json().utf8))
    }

    /// A result decoded a level at a time, indented as `run` writes it or compact, is the result
    /// decoded whole, and is what was saved.
    @Test func aResultReadALevelAtATimeIsTheWholeResult() async throws {
        let (report, bytes) = try await Self.savedResult()
        #expect(try RunReport(levelsApart: bytes) == report)
        #expect(try RunReport(json: Data(bytes)) == report)
        let compact = try JSONEncoder().encode(report)
        #expect(try RunReport(levelsApart: Array(compact)) == report)
        // Read as a result too large to decode whole.
        #expect(try RunReport.decode(bytes, path: "result.json", wholeUpTo: 0) == report)
        #expect(try RunReport.decode(Array(" \n".utf8) + bytes + Array("\n\n".utf8), path: "r", wholeUpTo: 0) == report)
    }

    /// Every problem in a result read a level at a time has the message it has when the result
    /// is decoded whole: a wrong value in a rep's report names its key path.
    @Test func aProblemInALevelHasTheWholeDocumentsMessage() async throws {
        let (_, bytes) = try await Self.savedResult()
        var object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        var strategies = try #require(object["strategies"] as? [[String: Any]])
        var reps = try #require(strategies[1]["sequences"] as? [[String: Any]])
        reps[1]["bands"] = "many"
        strategies[1]["sequences"] = reps
        object["strategies"] = strategies
        let wrong = Array(try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]))
        func message(_ bytes: [UInt8], wholeUpTo limit: Int) -> String {
            do {
                _ = try RunReport.decode(bytes, path: "result.json", wholeUpTo: limit)
                return "read"
            } catch {
                return error.description
            }
        }
        let apart = message(wrong, wholeUpTo: 0)
        #expect(apart.contains("'strategies.Index 1.sequences.Index 1.bands'"), "\(apart)")
        #expect(apart == message(wrong, wholeUpTo: .max))
        // A report that decodes but does not hold together (its band probabilities sum to 2).
        var inconsistent = try await ReportFormatTests.makeReport()
        inconsistent.strategies[0].reps[2].bands[inconsistent.bandOrder[0], default: 0] += 1
        let sums = Array(try inconsistent.json().utf8)
        #expect(message(sums, wholeUpTo: 0).contains("band probabilities"))
        #expect(message(sums, wholeUpTo: 0) == message(sums, wholeUpTo: .max))
    }

    /// A result too large to decode whole must be laid out as `run` writes it: cut short, or with
    /// its keys escaped, it is refused with one message; a small one is decoded whole as before.
    @Test func aLargeResultNotLaidOutAsRunWritesItIsRefused() async throws {
        let (report, bytes) = try await Self.savedResult()
        for cut in [bytes.count / 2, bytes.count - 2, 1] {
            let message = #expect(throws: ScenarioError.self) {
                try RunReport.decode(Array(bytes[..<cut]), path: "result.json", wholeUpTo: 0)
            }
            #expect(message?.description.contains("cut short, malformed, or not laid out") == true)
            // The same bytes, small enough to decode whole, say where the JSON ends.
            let whole = #expect(throws: ScenarioError.self) {
                try RunReport.decode(Array(bytes[..<cut]), path: "result.json")
            }
            #expect(whole?.description.contains("not valid JSON") == true)
        }
        let text = String(decoding: bytes, as: UTF8.self)
        let escaped = Array(text.replacingOccurrences(of: "\"sequences\" :", with: "\"sequence\\u0073\" :").utf8)
        #expect(escaped != bytes)
        #expect(throws: ScenarioError.self) { try RunReport.decode(escaped, path: "result.json", wholeUpTo: 0) }
        #expect(try RunReport.decode(escaped, path: "result.json") == report)
    }
}
