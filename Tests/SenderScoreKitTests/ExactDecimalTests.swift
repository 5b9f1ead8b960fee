import Testing
import _TestSupport

@testable import SenderScoreKit

@Suite struct ExactDecimalTests {
    @Test(arguments: [
        ("0.07", 7, 2), ("7%", 7, 2), ("2.5%", 25, 3), ("1e-2", 1, 2), (".5", 5, 1), ("-3", -3, 0),
        ("0.070", 7, 2), ("12.5", 125, 1), ("0", 0, 0), ("1.0", 1, 0), ("+0.25", 25, 2), ("7 %", 7, 2),
    ])
    func parses(text: String, units: Int64, scale: Int) {
        let value = ExactDecimal(parsing: text)
        #expect(value?.units == units)
        #expect(value?.scale == scale)
    }

    @Test(arguments: ["", "abc", "0.0.1", "1e", "%", "1e-2%", "0x10", "1,5", "1000000000", "1e9", "0.0000000001"])
    func rejects(text: String) {
        #expect(ExactDecimal(parsing: text) == nil)
    }

    @Test func describesItself() {
        #expect(ExactDecimal(parsing: "0.07")?.description == "0.07")
        #expect(ExactDecimal(parsing: "-0.5")?.description == "-0.5")
        #expect(ExactDecimal(parsing: "40")?.description == "40")
    }

    @Test func comparesRatesExactly() throws {
        let seven = try #require(ExactDecimal(parsing: "0.07"))
        #expect(seven.signOfRate(14, over: 200) == 0)
        #expect(seven.signOfRate(13, over: 200) == -1)
        #expect(seven.signOfRate(15, over: 200) == 1)
        // 7 of 100 and 70,000,000 of 1,000,000,000 are both exactly 7%.
        #expect(seven.signOfRate(7, over: 100) == 0)
        #expect(seven.signOfRate(70_000_000, over: 1_000_000_000) == 0)
        #expect(seven.signOfRate(69_999_999, over: 1_000_000_000) == -1)
    }

    @Test func largeValuesCompareAndAddWithoutOverflow() throws {
        let big = try #require(ExactDecimal(parsing: "999999999.999999999"))
        let small = try #require(ExactDecimal(parsing: "-999999999.5"))
        #expect(small < big)
        #expect(!(big < big))
        #expect((big + big) == nil)
        #expect((big + small) == ExactDecimal(parsing: "0.499999999"))
        #expect(try #require(ExactDecimal(parsing: "200")) > ExactDecimal(parsing: "171.5")!)
    }

    @Test func ordersAndAdds() throws {
        let a = try #require(ExactDecimal(parsing: "0.1"))
        let b = try #require(ExactDecimal(parsing: "0.2"))
        #expect(a < b)
        #expect((a + b) == ExactDecimal(parsing: "0.3"))
    }
}
