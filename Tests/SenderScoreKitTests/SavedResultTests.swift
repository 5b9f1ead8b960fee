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

    /// A timeline's reps and sequences are written and read a level at a time too: the result of
    /// a timeline with strategies reads back whole, its JSON written in pieces is the encoding of
    /// the whole report, and a wrong value in a rep's timeline names its key path.
    @Test func aTimelineIsWrittenAndReadALevelAtATime() async throws {
        let scenario = try Scenario.load(path: TestSupport.path("Scenarios/quarter-ramp.yaml"))
        #expect(scenario.timeline != nil && !scenario.strategies.isEmpty)
        let result = try await Simulation.run(
            SimulationPlan(scenario),
            options: SimulationOptions(trials: 300, seed: 5, threads: 2)
        )
        let report = RunReport(scenario: scenario, result: result)
        var pieces = ""
        try report.writeJSON { pieces += $0 }
        #expect(pieces == (try JSONOutput.encode(report)))
        let bytes = Array(pieces.utf8)
        #expect(try RunReport.decode(bytes, path: "result.json", wholeUpTo: 0) == report)
        #expect(try RunReport(levelsApart: bytes)?.timeline == report.timeline)

        var object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        var timeline = try #require(object["timeline"] as? [String: Any])
        var strategies = try #require(timeline["strategies"] as? [[String: Any]])
        var reps = try #require(strategies[1]["reps"] as? [[String: Any]])
        reps[0]["periods"] = "many"
        strategies[1]["reps"] = reps
        timeline["strategies"] = strategies
        object["timeline"] = timeline
        let wrong = Array(try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]))
        var messages: [String] = []
        for limit in [0, Int.max] {
            do {
                _ = try RunReport.decode(wrong, path: "result.json", wholeUpTo: limit)
                messages.append("read")
            } catch {
                messages.append(error.description)
            }
        }
        #expect(messages[0].contains("'timeline.strategies.Index 1.reps.Index 0.periods'"), "\(messages[0])")
        #expect(messages[0] == messages[1])
    }

    /// Every problem in a result read a level at a time has the message it has when the result
    /// is decoded whole: a wrong value in a rep's report names its key path.
    @Test func aProblemInALevelHasTheWholeDocumentsMessage() async throws {
        let (_, bytes) = try await Self.savedResult()
        var object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        var strategies = try #require(object["strategies"] as? [[String: Any]])
        var sequences = try #require(strategies[1]["sequences"] as? [[String: Any]])
        sequences[1]["bands"] = "many"
        strategies[1]["sequences"] = sequences
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

    /// Whatever order a strategy's keys come in, and whatever line breaks, the result is the same.
    @Test func keysInAnyOrderAndCRLFLineBreaksReadAlike() async throws {
        let (report, bytes) = try await Self.savedResult()
        let spans = try #require(JSONSpans(bytes, 0..<bytes.count))
        let strategies = try #require(spans.members(ofObjectAt: 0)?["strategies"])
        let first = try #require(spans.elements(ofArrayAt: strategies.lowerBound)?.first)
        let members = try #require(spans.members(ofObjectAt: first.lowerBound))
        let order =
            ["sequences", "team", "reps"] + members.keys.filter { !["sequences", "team", "reps"].contains($0) }
        let object =
            "{"
            + order.map { "\"\($0)\": " + String(decoding: bytes[members[$0]!], as: UTF8.self) }.joined(separator: ",")
            + "}"
        let reordered = Array(bytes[..<first.lowerBound]) + Array(object.utf8) + Array(bytes[first.upperBound...])
        #expect(reordered != bytes)
        #expect(try RunReport.decode(reordered, path: "result.json", wholeUpTo: 0) == report)
        let crlf = Array(String(decoding: bytes, as: UTF8.self).replacingOccurrences(of: "\n", with: "\r\n").utf8)
        #expect(try RunReport.decode(crlf, path: "result.json", wholeUpTo: 0) == report)
    }

    /// Malformed or hostile documents get one message, small or large: a number with a quote in
    /// it (which once let two readings of the same bytes disagree, and trapped), strategies that
    /// are not objects, an escaped key, an array of 200,000 zeros where reports belong, and
    /// nesting thousands deep.
    @Test func malformedResultsAreRefusedWithOneMessage() {
        let zeros = "[" + Array(repeating: "0", count: 200_000).joined(separator: ",") + "]"
        let cases: [(String, String)] = [
            (#"{"strategies":[{"a":1","},{":":0","reps":[],"sequences":[]}"}]}"#, "not valid JSON"),
            (#"{"strategies":[1]}"#, "not a result"),
            (#"{"str\u0061tegies":[{"reps":[],"sequences":[]}]}"#, "not a result"),
            (#"{"strategies":[{"reps":"# + zeros + #","sequences":[]}]}"#, "not a result"),
            (String(repeating: "[", count: 5_000) + String(repeating: "]", count: 5_000), "too many nested"),
        ]
        for (text, words) in cases {
            for limit in [0, Limits.documentBytes] {
                let error = #expect(throws: ScenarioError.self) {
                    try RunReport.decode(Array(text.utf8), path: "result.json", wholeUpTo: limit)
                }
                let message = error?.description ?? ""
                let expected = limit == 0 ? "not a result of `senderscore run --format json`" : words
                #expect(message.contains(expected), "\(text.prefix(60)) (whole up to \(limit)): \(message)")
                #expect(message.count < 1_000)
            }
        }
    }
}
