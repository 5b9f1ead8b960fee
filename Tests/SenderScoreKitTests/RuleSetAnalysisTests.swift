import Foundation
import Testing
import _TestSupport

@testable import SenderScoreKit

@Suite struct RuleSetAnalysisTests {
    func analysis(_ yaml: String) throws -> RuleSetAnalysis {
        RuleSetAnalysis(try RuleSet.load(try TestSupport.write(yaml, named: "rules.yaml"), asIs: true))
    }

    func failed(_ analysis: RuleSetAnalysis) -> [String] {
        analysis.checks.filter { !$0.passed }.map(\.name)
    }

    @Test func theBuiltInPassesAndMapsEveryCell() throws {
        let result = RuleSetAnalysis(try RuleSet.load("hubspot"))
        #expect(result.passed)
        #expect(result.replyRows == ["7% and up", "4%–7%", "2%–4%", "0%–2%", "no delivered"])
        #expect(result.bounceRows == ["0%–3%", "3%–5%", "5%–10%", "10% and up"])
        #expect(result.cells[0][0] == .init(points: 100, band: "Excellent"))
        #expect(result.cells[1][1] == .init(points: 50, band: "Fair"))
        #expect(result.cells[4][0] == .init(points: 50, band: "Fair"))
        #expect(result.checks[3].details == ["inside both targets: Excellent"])
    }

    @Test func unsortedRowsAreAFinding() throws {
        let result = try analysis(
            """
            reply: [{from: 0, points: 0}, {from: 0.07, points: 50}, {from: 0.04, points: 25}]
            bounce: [{from: 0, points: 50}]
            bands: [{from: 0, name: Low}, {from: 90, name: High}]
            """
        )
        #expect(failed(result) == ["rows sorted, from 0, with no gaps"])
        #expect(
            result.checks[0].details.first?.hasSuffix(
                "reply[2].from: rows must be sorted by 'from': 0.04 comes after 0.07"
            ) == true
        )
    }

    @Test func pointsThatAreNotMonotoneAreAFinding() throws {
        let result = try analysis(
            """
            reply: [{from: 0, points: 0}, {from: 0.04, points: 30}, {from: 0.07, points: 25}]
            bounce: [{from: 0, points: 50}]
            bands: [{from: 0, name: Low}, {from: 60, name: High}]
            """
        )
        #expect(
            failed(result) == [
                "points monotone (a higher reply rate never earns fewer points, a higher bounce rate never more)"
            ]
        )
        #expect(
            result.checks[1].details.first?.contains(
                "a reply rate from 0.07 earns 25 points, but from 0.04 it earns 30"
            ) == true
        )
    }

    @Test func anUnreachableBandIsAFinding() throws {
        let result = try analysis(
            """
            reply: [{from: 0, points: 0}, {from: 0.07, points: 50}]
            bounce: [{from: 0, points: 50}, {from: 0.03, points: 0}]
            bands: [{from: 0, name: Low}, {from: 60, name: Mid}, {from: 90, name: High}]
            """
        )
        #expect(failed(result) == ["every band reachable"])
        #expect(
            result.checks[2].details == [
                "band 'Mid' (from 60 points) is never reached: no combination of rows adds up to it"
            ]
        )
    }

    @Test func aGapIsAFinding() throws {
        let result = try analysis(
            """
            reply: [{from: 0.02, points: 10}, {from: 0.07, points: 50}]
            bounce: [{from: 0, points: 50}]
            bands: [{from: 0, name: Low}, {from: 90, name: High}]
            """
        )
        #expect(failed(result) == ["rows sorted, from 0, with no gaps"])
        #expect(
            result.checks[0].details.first?.hasSuffix("reply: rates below 0.02 have no row (a gap); add a row from 0")
                == true
        )
    }

    @Test func targetsMustLeadToTheTopBands() throws {
        let result = try analysis(
            """
            reply: [{from: 0, points: 0}, {from: 0.10, points: 50}]
            bounce: [{from: 0, points: 50}, {from: 0.03, points: 0}]
            bands: [{from: 0, name: Low}, {from: 40, name: Fair}, {from: 70, name: Good}, {from: 90, name: Excellent}]
            """
        )
        let check = try #require(result.checks.first { $0.name.hasPrefix("a rep inside both targets") })
        #expect(!check.passed)
        #expect(check.details.contains("reply 0%–10% with bounce 0%–3% earns 50 points: Fair"))
    }
}
