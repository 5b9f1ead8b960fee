import Foundation
import Testing
import _TestSupport

@testable import SenderScoreKit

@Suite struct GoldenCaseTests {
    @Test func theFixtureAgreesWithTheBuiltIn() throws {
        let result = try GoldenCases.check(
            TestSupport.path("Tests/Fixtures/golden-hubspot.csv"),
            rules: RuleSet.load("hubspot")
        )
        #expect(result.cases == 9)
        #expect(result.passed, "\(result.disagreements)")
    }

    @Test func aWrongExpectationNamesItsLine() throws {
        let csv = """
            completed,bounced,replied,band,note
            200,0,14,Excellent,"exactly 7%"
            200,0,13,Excellent,"a wrong expectation, with a comma"
            """
        let result = try GoldenCases.check(CSVReader(text: csv, file: "cases.csv"), rules: RuleSet.load("hubspot"))
        #expect(
            result.disagreements == [
                .init(
                    line: 3,
                    expected: "band Excellent",
                    actual: "band Good",
                    explanation: "reply 13/200 = 6.50% → 25 points; bounce 0/200 = 0.00% → 50 points"
                )
            ]
        )
    }

    @Test func badRowsAreErrorsWithTheirPlace() throws {
        func message(_ csv: String) -> String? {
            do {
                _ = try GoldenCases.check(CSVReader(text: csv, file: "cases.csv"), rules: RuleSet.load("hubspot"))
                return nil
            } catch {
                return error.description
            }
        }
        #expect(
            message("completed,bounced,replied\n1,0,0")
                == "cases.csv:1: the header needs a points or a band column to check"
        )
        #expect(
            message("completed,replied,band\n1,0,Low")
                == "cases.csv:1: the header lacks bounced; found completed, replied, band"
        )
        #expect(
            message("completed,bounced,replied,band\n100,x,0,Low")
                == "cases.csv:2:2: bounced: expected a whole number of 0 or more, found 'x'"
        )
        #expect(
            message("completed,bounced,replied,band\n100,120,0,Low")
                == "cases.csv:2:2: bounced (120) exceeds completed (100)"
        )
        #expect(
            message("completed,bounced,replied,band\n100,0,0")
                == "cases.csv:2: expected 4 fields as in the header, found 3"
        )
        #expect(
            message("completed,bounced,replied,band\n100,0,0,\"Low")
                == "cases.csv:2:4: a quoted field is never closed (field 4)"
        )
        #expect(
            message("")
                == "cases.csv: the file is empty; expected a header with completed, bounced, replied and points or band"
        )
    }
}

extension GoldenCaseTests {
    @Test func aGoldenCaseWithNothingToCheckIsAnError() {
        #expect(
            throws: ScenarioError(
                file: "g.csv",
                line: 2,
                message: "nothing to check: give the expected points, the band or both"
            )
        ) {
            try GoldenCases.check(
                CSVReader(text: "completed,bounced,replied,points,band\n100,0,7,,\n", file: "g.csv"),
                rules: RuleSet.load("hubspot")
            )
        }
    }
}
