import Foundation
import Testing
import _TestSupport

@testable import SenderScoreKit

#if canImport(FoundationXML)
import FoundationXML
#endif

/// The HTML, CSV and Markdown formats, read back and checked for structure.
@Suite struct ReportFormatTests {
    static func makeReport() async throws -> RunReport {
        let scenario = try Scenario.load(path: TestSupport.path("Scenarios/combined-plan.yaml"))
        let result = try await Simulation.run(
            SimulationPlan(scenario),
            options: SimulationOptions(trials: 1000, seed: 2, threads: 2)
        )
        return RunReport(scenario: scenario, result: result)
    }

    /// Elements of the HTML page with their attributes, in document order.
    final class Collector: NSObject, XMLParserDelegate {
        var elements: [(name: String, attributes: [String: String])] = []
        var text = ""
        func parser(
            _ parser: XMLParser,
            didStartElement name: String,
            namespaceURI: String?,
            qualifiedName: String?,
            attributes: [String: String] = [:]
        ) {
            elements.append((name, attributes))
        }
        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }
    }

    func parse(_ html: String) throws -> Collector {
        // The page is well-formed XML; drop the doctype, which XMLParser would try to resolve.
        let body = html.replacingOccurrences(of: "<!DOCTYPE html>\n", with: "")
        let parser = XMLParser(data: Data(body.utf8))
        let collector = Collector()
        parser.delegate = collector
        #expect(parser.parse(), "not well-formed: \(String(describing: parser.parserError))")
        return collector
    }

    /// A run's report builds each level's report when a format reads it (`LevelReports`), and
    /// the JSON format writes them one at a time: the bytes are those of the report encoded
    /// whole, read back or not, and every format gives the same text from either.
    @Test func levelReportsBuiltOnDemandEncodeAsTheWholeReport() async throws {
        let report = try await Self.makeReport()
        #expect(report.strategies.count > 1 && report.strategies[0].sequences.count > report.strategies[0].reps.count)
        let whole = try JSONOutput.encode(report)
        var pieces: [String] = []
        try report.writeJSON { pieces.append($0) }
        let levels = report.strategies.reduce(0) { $0 + $1.reps.count + $1.sequences.count }
        #expect(pieces.joined() == whole && pieces.count > levels)
        let read = try JSONDecoder().decode(RunReport.self, from: Data(whole.utf8))
        #expect(read == report)
        for format in ReportFormat.allCases {
            #expect(try format.render(read) == format.render(report), "\(format)")
        }
        // The reports built are those the summaries give, each time alike; set, one is held.
        var strategy = report.strategies[1]
        #expect(strategy.repLevels[0] == read.strategies[1].repLevels[0] && strategy.repLevels[0].vsBaseline != nil)
        #expect(strategy.sequenceLevels.names.map(\.rep) == read.strategies[1].sequences.map(\.rep))
        #expect(strategy.reps == Array(strategy.repLevels) && strategy.rows.count == strategy.levelRows.count)
        strategy.reps[0].name = "changed"
        #expect(strategy.reps.map(\.name) == ["changed"] + read.strategies[1].reps.dropFirst().map(\.name))
        #expect(strategy.repLevels.names[0].name == "changed")
    }

    @Test func theHTMLReportHasEveryRepStrategyAndChart() async throws {
        let report = try await Self.makeReport()
        let page = try parse(HTMLReport(report).render())
        let names = report.strategies.map(\.name)
        let reps = report.strategies[0].reps.map(\.name) + ["team"]
        // A band chart per strategy, each with a bar per rep and the team, each bar with data.
        let bandFigures = page.elements.filter {
            $0.name == "figure" && ($0.attributes["class"] ?? "").contains("bands")
        }
        #expect(bandFigures.compactMap { $0.attributes["data-strategy"] } == names)
        let bars = page.elements.filter { $0.name == "g" && $0.attributes["class"] == "bar" }
        #expect(bars.count == names.count * reps.count)
        #expect(Set(bars.compactMap { $0.attributes["data-rep"] }) == Set(reps))
        let segments = page.elements.filter { $0.name == "rect" && $0.attributes["class"] == "band" }
        #expect(segments.count >= bars.count)
        #expect(segments.allSatisfy { Double($0.attributes["width"] ?? "0")! > 0 })
        // Reply and bounce histograms per rep and the team, each with bars and a target zone.
        let rateFigures = page.elements.filter {
            $0.name == "figure" && ($0.attributes["class"] ?? "").contains("rates")
        }
        #expect(rateFigures.count == 2 * reps.count)
        #expect(
            page.elements.filter { $0.name == "rect" && $0.attributes["class"] == "target" }.count == 2 * reps.count
        )
        #expect(page.elements.filter { $0.name == "rect" && $0.attributes["class"] == "bin" }.count > 10 * reps.count)
        #expect(page.elements.filter { $0.name == "polyline" }.count == 2 * reps.count * (names.count - 1))
        // A delta chart per strategy against the baseline, each with a dot per rep and the team.
        let deltaFigures = page.elements.filter {
            $0.name == "figure" && ($0.attributes["class"] ?? "").contains("deltas")
        }
        #expect(deltaFigures.compactMap { $0.attributes["data-strategy"] } == Array(names.dropFirst()))
        #expect(
            page.elements.filter { $0.name == "circle" && $0.attributes["class"] == "dot" }.count == (names.count - 1)
                * reps.count
        )
        // Tables for every strategy; the assumptions with the rule set labelled as a reconstruction.
        #expect(
            page.elements.filter { $0.name == "table" && $0.attributes["data-strategy"] != nil }.count == names.count
        )
        #expect(page.text.contains("our reconstruction from HubSpot's published targets"))
        for section in ["bands", "rates", "strategies", "tables", "assumptions"] {
            #expect(
                page.elements.contains { $0.name == "section" && $0.attributes["id"] == section },
                "missing \(section)"
            )
        }
        // Self-contained: nothing fetched from anywhere.
        #expect(!page.elements.contains { ["script", "link", "img", "iframe"].contains($0.name) })
    }

    /// Tiny and certain probabilities, odd names and many bands: still well-formed, and honest.
    @Test func edgeCasesStayWellFormed() async throws {
        var report = try await Self.makeReport()
        let ana = report.strategies[0].reps[0]
        report.strategies[0].reps[0].bands = [
            "Low": 0.00004, "Fair": 0.99996, "Good": 0, "Excellent": 0, "Ineligible": 0,
        ]
        report.strategies[0].reps[0].bandStdErr["Low"] = 0.00004
        report.strategies[0].reps[1].bands = ["Low": 1, "Fair": 0, "Good": 0, "Excellent": 0, "Ineligible": 0]
        report.strategies[0].reps[1].bandStdErr = ["Low": 0, "Fair": 0, "Good": 0, "Excellent": 0, "Ineligible": 0]
        let html = HTMLReport(report).render()
        let page = try parse(html)
        #expect(html.contains("<td>&lt;0.01<small> ±&lt;0.01</small></td>"))
        #expect(html.contains("<td>100</td>"))
        #expect(page.text.contains(ana.name))
        report.rulesIrregularities = ["points fall | as the reply rate rises"]
        let markdown = MarkdownReport(report).render()
        #expect(markdown.contains("\n\n> **Analysed as written:** points fall \\| as the reply rate rises\n\n"))
        #expect(markdown.contains("| **\(ana.name)** | \\<0.01 ± \\<0.01 |"))
        #expect(markdown.contains("| 100 | 0 |"))
        // Every strategy's deltas share one scale: the same end tick on every chart.
        let ends = html.components(separatedBy: "text-anchor=\"end\" class=\"tick\">").dropFirst().map {
            $0.prefix { $0 != "<" }
        }
        #expect(ends.count == report.strategies.count - 1)
        #expect(Set(ends).count == 1, "\(ends)")
    }

    /// A large team's page, Markdown and text are written in pieces of about 64 KB, which put
    /// together are the document; a writer that fails stops the page with its error.
    @Test func aLargePageIsWrittenInPieces() async throws {
        let reps = (0..<400).map {
            "  - {name: rep\($0), enrollments: [{sequence: out, completed: 150, audience: core}]}"
        }
        let yaml = """
            name: four hundred reps
            segments:
              core: {bounce: 0.02, reply: 0.08}
            interventions:
              tokens: {kind: personalization, replyLift: 1.2, coverage: 0.8}
            strategies:
              - name: personalize
                apply: [tokens]
            reps:

            """ + reps.joined(separator: "\n") + "\n"
        let scenario = try Scenario.parse(yaml, file: "team.yaml")
        let result = try await Simulation.run(
            SimulationPlan(scenario),
            options: SimulationOptions(trials: 200, seed: 3, threads: 2)
        )
        let report = RunReport(scenario: scenario, result: result)
        var pieces: [String] = []
        try ReportFormat.html.write(report) { pieces.append($0) }
        let page = pieces.joined()
        #expect(page == HTMLReport(report).render())
        #expect(pieces.count > 4, "\(page.utf8.count) bytes in \(pieces.count) pieces")
        #expect(pieces.dropLast().allSatisfy { (1 << 16..<1 << 18).contains($0.utf8.count) })
        _ = try parse(page)
        #expect(page.components(separatedBy: "<g class=\"bar\"").count == 1 + 2 * 401)
        // Markdown and text go out in pieces too, which put together are the whole document.
        for (format, whole) in [
            (ReportFormat.markdown, MarkdownReport(report).render()), (.text, TextReport(report).render()),
        ] {
            var parts: [String] = []
            try format.write(report) { parts.append($0) }
            #expect(parts.joined() == whole)
            #expect(parts.count > 2, "\(format): \(whole.utf8.count) bytes in \(parts.count) pieces")
            #expect(parts.dropLast().allSatisfy { (1 << 16..<1 << 18).contains($0.utf8.count) })
        }
        // Each rep in the baseline's band and rate tables, and in the strategy's and its comparison.
        #expect(MarkdownReport(report).render().components(separatedBy: "\n| **rep").count == 1 + 5 * 400)

        struct Full: Error {}
        var written = 0
        #expect(throws: Full.self) {
            try HTMLReport(report).write { piece in
                written += 1
                if written == 2 { throw Full() }
            }
        }
        #expect(written == 2)
    }

    @Test func bandColoursStayDistinctForManyBands() async throws {
        var report = try await Self.makeReport()
        report.bandOrder = ["E", "D", "C", "B", "A", "A+", "A++", "Ineligible"]
        let html = HTMLReport(report).render()
        let legend = try #require(
            html.components(separatedBy: "<p class=\"legend\">").dropFirst().first?.components(separatedBy: "</p>")
                .first
        )
        let colours = legend.components(separatedBy: "fill=\"").dropFirst().map { String($0.prefix(7)) }
        #expect(colours.count == 8)
        #expect(Set(colours).count == 8, "\(colours)")
        #expect(colours[1] == "#d7301f" && colours[7] == "#1a9850")
    }

    @Test func longNamesAreCutWithTheirTooltip() async throws {
        var report = try await Self.makeReport()
        let long = "alexandra-montgomery-smith (EMEA enterprise accounts)"
        report.strategies = report.strategies.map { strategy in
            var strategy = strategy
            strategy.reps[0].name = long
            return strategy
        }
        let html = HTMLReport(report).render()
        _ = try parse(html)
        #expect(html.contains("<title>\(long)</title>alexandra-montgomery-smith (EMEA enterp…</text>"))
    }

    @Test func histogramsSpreadTheLatticeOfRates() {
        // Rates k/300 on bins of 0.0025 fill three bins in four: spread, the bins are smooth.
        var fine = [Double](repeating: 0, count: 40)
        for k in 0..<30 { fine[Int(Double(k) / 300 / 0.0025)] += 1.0 / 30 }
        let bins = HTMLReport.rebin(
            RateDistribution(binWidth: 0.0025, probabilities: fine),
            spread: 3.0 / 300,
            width: 0.0025
        )
        #expect(abs(bins.reduce(0, +) - 1) < 1e-12)
        let middle = bins[6..<30]
        #expect(middle.max()! / middle.min()! < 1.3, "\(bins)")
        #expect(HTMLReport.displayBinWidth(span: 0.2) == 0.0025)
        #expect(HTMLReport.displayBinWidth(span: 0.8) == 0.01)
        #expect(HTMLReport.exactPercent(0.07) == "7%" && HTMLReport.exactPercent(0.125) == "12.5%")
    }

    @Test func savedResultsThatCannotBeRenderedAreRefused() async throws {
        let report = try await Self.makeReport()
        var empty = report
        empty.strategies = []
        var target = report
        target.assumptions.rules.replyTarget = [0.07]
        var bins = report
        bins.strategies[0].team.replyRateDistribution.binWidth = 0
        var tiny = report
        tiny.strategies[0].team.replyRateDistribution.binWidth = 1e-300
        for broken in [empty, target, bins, tiny] {
            #expect(broken.inconsistency != nil)
            #expect(throws: DecodingError.self) { try RunReport(json: Data(try broken.json().utf8)) }
        }
        #expect(report.inconsistency == nil)
    }

    @Test func theCSVIsTidy() async throws {
        let report = try await Self.makeReport()
        let lines = CSVReport(report).render().split(separator: "\n")
        let header =
            "strategy,level,rep,name,band,probability,std_err,score_change,score_change_low95,score_change_high95,"
            + "score_change_p5,score_change_p95,completed_change,completed_change_p5,completed_change_p95"
        #expect(lines.first.map(String.init) == header)
        let levels = report.strategies[0].reps.count + report.strategies[0].sequences.count + 1
        #expect(lines.count == 1 + report.strategies.count * levels * report.bandOrder.count)
        // Probabilities of each strategy × level sum to 1.
        var sums: [String: Double] = [:]
        let reader = CSVReader(text: CSVReport(report).render(), file: "run.csv")
        _ = try reader.next()
        while let record = try reader.next() {
            sums[record.fields[0..<4].joined(separator: "|"), default: 0] += Double(record.fields[5]) ?? -1
        }
        #expect(sums.count == report.strategies.count * levels)
        #expect(sums.values.allSatisfy { abs($0 - 1) < 1e-9 })
        #expect(lines.contains { $0.hasPrefix("\"full plan, chloe keeps her unengaged contacts\",rep,,chloe,") })
        // A strategy's rows carry its paired changes with their spread; the baseline's are empty.
        let reader2 = CSVReader(text: CSVReport(report).render(), file: "run.csv")
        _ = try reader2.next()
        while let record = try reader2.next() {
            let changes = record.fields[7...]
            if record.fields[0] == "baseline" {
                #expect(changes.allSatisfy { $0.isEmpty })
            } else if record.fields[1] == "rep" {
                let values = changes.map { Double($0) }
                #expect(values.allSatisfy { $0 != nil }, "\(record.fields)")
                if let low = values[1], let high = values[2], let p5 = values[3], let p95 = values[4] {
                    #expect(low <= high && p5 <= p95)
                }
            }
        }
    }

    @Test func theMarkdownHasATablePerStrategy() async throws {
        let report = try await Self.makeReport()
        let markdown = MarkdownReport(report).render()
        #expect(markdown.hasPrefix("# Combined plan: personalize, verify and clean\n"))
        for strategy in report.strategies {
            #expect(markdown.contains("\n## \(strategy.name)"))
        }
        #expect(markdown.components(separatedBy: "| vs baseline |").count - 1 == report.strategies.count - 1)
        #expect(markdown.contains("| **team (pooled)** |"))
    }

    @Test func aSavedResultRendersTheSame() async throws {
        let report = try await Self.makeReport()
        let decoded = try RunReport(json: Data(try report.json().utf8))
        #expect(decoded == report)
        #expect(HTMLReport(decoded).render() == HTMLReport(report).render())
    }
}
