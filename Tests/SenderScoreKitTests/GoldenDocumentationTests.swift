import Foundation
import Testing
import _TestSupport

@testable import SenderScoreKit

/// Documentation generated from the code: `make golden` rewrites it, this suite keeps it equal.
@Suite struct GoldenDocumentationTests {
    static let levers = TestSupport.path("docs/levers.md")
    static let begin = "<!-- interventions: generated from InterventionKind.all; `make golden` rewrites it -->\n"
    static let end = "<!-- end of interventions -->"

    @Test func theLeversPageListsEveryKindWithItsKeys() throws {
        let page = try String(contentsOfFile: Self.levers, encoding: .utf8)
        let start = try #require(page.range(of: Self.begin), "docs/levers.md lacks the marker \(Self.begin)")
        let stop = try #require(page.range(of: Self.end, range: start.upperBound..<page.endIndex))
        let table = InterventionKind.documentationTable
        if ProcessInfo.processInfo.environment["SENDERSCORE_RECORD_GOLDEN"] == "1" {
            let updated = page.replacingCharacters(in: start.upperBound..<stop.lowerBound, with: table)
            try updated.write(toFile: Self.levers, atomically: true, encoding: .utf8)
            return
        }
        #expect(String(page[start.upperBound..<stop.lowerBound]) == table, "run `make golden` to rewrite it")
    }
}
