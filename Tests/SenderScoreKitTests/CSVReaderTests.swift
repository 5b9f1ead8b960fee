import Foundation
import Testing
import _TestSupport

@testable import SenderScoreKit

@Suite struct CSVReaderTests {
    func records(_ text: String) throws -> [CSVReader.Record] {
        let reader = CSVReader(text: text, file: "t.csv")
        var result: [CSVReader.Record] = []
        while let record = try reader.next() { result.append(record) }
        return result
    }

    @Test func quotesCommasAndLineBreaks() throws {
        let result = try records("a,b,c\n1,\"x, y\",\"say \"\"hi\"\"\"\n2,\"two\nlines\",z\n\n3,,\n")
        #expect(result.map(\.line) == [1, 2, 3, 6])
        #expect(result[1].fields == ["1", "x, y", "say \"hi\""])
        #expect(result[2].fields == ["2", "two\nlines", "z"])
        #expect(result[3].fields == ["3", "", ""])
    }

    @Test func windowsLineEndingsAndByteOrderMark() throws {
        let result = try records("\u{FEFF}a,b\r\n1,2\r\n3,4")
        #expect(result.map(\.fields) == [["a", "b"], ["1", "2"], ["3", "4"]])
        #expect(result.map(\.line) == [1, 2, 3])
    }

    @Test func malformedQuotes() {
        #expect(
            throws: ScenarioError(
                file: "t.csv",
                line: 1,
                column: 1,
                message: "unexpected text after a closing quote in field 1",
                code: .syntax
            )
        ) {
            try records("\"a\"b,c")
        }
    }

    @Test func readsFilesInChunks() throws {
        // Longer than one chunk, with a quoted line break straddling chunk boundaries somewhere.
        var text = "id,note\n"
        for index in 0..<20_000 { text += "\(index),\"line\nbreak \(index)\"\n" }
        let path = try TestSupport.write(text, named: "big.csv")
        let reader = try CSVReader(path: path)
        var count = 0
        var last: CSVReader.Record?
        while let record = try reader.next() {
            count += 1
            last = record
        }
        #expect(count == 20_001)
        #expect(last?.line == 1 + 2 * 19_999 + 1)
        #expect(last?.fields == ["19999", "line\nbreak 19999"])
    }
}
