import Foundation
import Testing
import _TestSupport

/// `senderscore run` end to end, through the built executable.
@Suite struct RunCommandTests {
    @Test func runsTheBaselineAsText() throws {
        let outcome = try TestSupport.run(["run", "Scenarios/baseline.yaml", "--trials", "2000"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("our reconstruction"))
        for name in ["ana", "ben", "chloe", "dev", "team", "  outbound", "  inbound-follow-up"] {
            #expect(outcome.stdout.contains("\n\(name) "), "missing row \(name)")
        }
        #expect(outcome.stderr.isEmpty)
    }

    @Test func sameSeedSameBytesForAnyThreadCount() throws {
        let arguments = ["run", "Scenarios/baseline.yaml", "--trials", "5500", "--seed", "99", "--format", "json"]
        let one = try TestSupport.run(arguments + ["--threads", "1"])
        let two = try TestSupport.run(arguments + ["--threads", "2"])
        let three = try TestSupport.run(arguments + ["--threads", "3"])
        #expect(one.status == 0)
        #expect(!one.stdout.isEmpty)
        #expect(one.stdout == two.stdout)
        #expect(one.stdout == three.stdout)
        let other = try TestSupport.run([
            "run", "Scenarios/baseline.yaml", "--trials", "5500", "--seed", "100", "--format", "json",
        ])
        #expect(other.stdout != one.stdout)
    }

    @Test func strategiesAreReportedWithPairedComparisons() throws {
        let arguments = ["run", "Scenarios/combined-plan.yaml", "--trials", "2500", "--format", "json"]
        let one = try TestSupport.run(arguments + ["--threads", "1"])
        let two = try TestSupport.run(arguments + ["--threads", "2"])
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stdout == two.stdout)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [String: Any])
        let strategies = try #require(report["strategies"] as? [[String: Any]])
        #expect(
            strategies.map { $0["name"] as? String } == [
                "baseline", "reply levers", "list cleaning", "full plan",
                "full plan, chloe keeps her unengaged contacts",
            ]
        )
        #expect((strategies[0]["team"] as? [String: Any])?["vsBaseline"] == nil)
        let change = try #require((strategies[3]["team"] as? [String: Any])?["vsBaseline"] as? [String: Any])
        for key in [
            "pImproves", "pWorsens", "scoreChange", "pEligibleChange", "pReplyInTargetChange",
            "pBounceInTargetChange", "completedChange",
        ] {
            #expect(change[key] != nil, "missing \(key)")
        }
        #expect(strategies[3]["cost"] as? Double == 3900)
        let text = try TestSupport.run(["run", "Scenarios/combined-plan.yaml", "--trials", "1000"])
        #expect(text.stdout.contains("== full plan (cost 3900)"))
        #expect(text.stdout.contains("vs baseline"))
        #expect(text.stdout.contains("replies by step"))
    }

    @Test func addingAStrategyLeavesTheBaselineUnchanged() throws {
        // Trial t draws each purpose from a stream of (seed, t, purpose): strategies and
        // interventions added to a scenario move none of the baseline's numbers.
        let original = try String(contentsOfFile: TestSupport.path("Scenarios/baseline.yaml"), encoding: .utf8)
        let extended = try TestSupport.write(
            original + """

                interventions:
                  tokens: {kind: personalization, replyLift: {triangular: [1.05, 1.2, 1.5]}, coverage: 0.8}
                  nudge: {kind: addFollowUp, replyHazard: {uniform: [0.4, 0.9]}}
                strategies:
                  - {name: personalize, apply: [tokens]}
                  - {name: nudge ana, apply: [{intervention: nudge, reps: [ana]}, tokens]}

                """,
            named: "extended.yaml"
        )
        func baseline(_ path: String) throws -> NSDictionary {
            let outcome = try TestSupport.run(["run", path, "--trials", "1500", "--format", "json"])
            #expect(outcome.status == 0, "\(outcome.stderr)")
            let report = try #require(
                try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
            )
            return try #require((report["strategies"] as? [[String: Any]])?.first.map { $0 as NSDictionary })
        }
        let before = try baseline("Scenarios/baseline.yaml")
        let after = try baseline(extended)
        #expect(before == after)
    }

    @Test func strategyShowsSomeStrategiesWithTheirOwnNumbers() throws {
        let arguments = ["run", "Scenarios/combined-plan.yaml", "--trials", "1200", "--format", "json"]
        let all = try TestSupport.run(arguments)
        let some = try TestSupport.run(arguments + ["--strategy", "FULL plan", "--strategy", "reply levers"])
        #expect(some.status == 0, "\(some.stderr)")
        func strategies(_ text: String) throws -> [String: NSDictionary] {
            let report = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
            let list = try #require(report["strategies"] as? [[String: Any]])
            return Dictionary(uniqueKeysWithValues: list.map { ($0["name"] as! String, $0 as NSDictionary) })
        }
        let full = try strategies(all.stdout)
        let kept = try strategies(some.stdout)
        #expect(Set(kept.keys) == ["baseline", "reply levers", "full plan"])
        for (name, strategy) in kept { #expect(strategy == full[name], "\(name)") }
        let text = try TestSupport.run(["run", "Scenarios/combined-plan.yaml", "--trials", "1000"])
        #expect(text.stdout.contains("Strategies at a glance"))
        #expect(text.stdout.contains("reps at Good or better: "))
        let unknown = try TestSupport.run(["run", "Scenarios/combined-plan.yaml", "--strategy", "ful plan"])
        #expect(unknown.status != 0 && unknown.stdout.isEmpty)
        #expect(unknown.stderr.contains("--strategy: unknown strategy 'ful plan' (did you mean 'full plan'?)"))
    }

    @Test func planRecommendsAPlanWithinBudget() throws {
        // Four team-wide levers of the budget scenario (16 plans), so that a debug build is quick.
        let original = try String(contentsOfFile: TestSupport.path("Scenarios/plan-budget.yaml"), encoding: .utf8)
        let small = try TestSupport.write(
            original.replacingOccurrences(of: "    verify: rep ", with: "    verify: team")
                .replacingOccurrences(of: "    case-studies: team\n", with: "")
                .replacingOccurrences(of: "    suppress: team\n", with: "")
                .replacingOccurrences(
                    of: "    indifference: 0.05 ",
                    with: "    firstStage: 300\n    outOfSample: 500\n    indifference: 0.05 "
                ),
            named: "small-plan.yaml"
        )
        let arguments = ["plan", small, "--max-trials", "2000", "--budget", "3000", "--format", "json"]
        let one = try TestSupport.run(arguments + ["--threads", "1"])
        let two = try TestSupport.run(arguments + ["--threads", "2"])
        #expect(one.status == 0, "\(one.stderr)")
        #expect(one.stdout == two.stdout)
        let report = try #require(try JSONSerialization.jsonObject(with: Data(one.stdout.utf8)) as? [String: Any])
        for key in ["budget", "frontier", "pCorrectSelection", "outOfSample", "plans", "limits", "strategyYAML"] {
            #expect(report[key] != nil, "missing \(key)")
        }
        let recommended = try #require(report["recommended"] as? [String: Any])
        #expect(try #require(recommended["cost"] as? Double) <= 3000)
        for rep in try #require(recommended["reps"] as? [[String: Any]]) {
            let p = try #require(rep["pEligible"] as? Double)
            let base = try #require(rep["baselinePEligible"] as? Double)
            #expect(p >= min(0.95, base))
        }
        let bad = try TestSupport.run(["plan", small, "--budget", "10"])
        #expect(bad.status != 0 && bad.stdout.isEmpty)
        #expect(bad.stderr.contains("below every plan"))
        // Flags are checked like the file's keys, with the flag as the place.
        for (flags, message) in [
            (["--objective", "nope Good"], "--objective: unknown objective 'nope'"),
            (["--objective", "repsAtLeast \"Go"], "--objective: unknown band '\"Go'"),
            (["--objective", "pRepsAtLeast Good 9"], "--objective: at least 9 reps cannot be met"),
            (["--budget", "nan"], "--budget: a budget is a number of at least 0"),
            (["--max-trials", "10"], "--max-trials: must be from the first stage's"),
        ] {
            let outcome = try TestSupport.run(["plan", small] + flags)
            #expect(outcome.status != 0 && outcome.stdout.isEmpty)
            #expect(outcome.stderr.contains(message), "\(outcome.stderr)")
        }
    }

    @Test func badInputGivesOneMessageAndWritesNothing() throws {
        let scenario = try TestSupport.write(
            """
            segments:
              core: {bounce: 1.5, reply: 0.1}
            reps: [{name: a, enrollments: [{sequence: s, completed: 100, audience: core}]}]
            """
        )
        let output = URL(fileURLWithPath: scenario).deletingLastPathComponent().appendingPathComponent("out.json").path
        let outcome = try TestSupport.run(["run", scenario, "--format", "json", "--output", output])
        #expect(outcome.status == 1)
        #expect(outcome.stdout.isEmpty)
        #expect(
            outcome.stderr
                == "error: \(scenario):2:18: segments.core.bounce: 1.5 is not a probability; expected a value from 0 to 1 (or 0% to 100%)\n"
        )
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}

@Suite struct CommandLineTests {
    static let scenarios =
        (try? FileManager.default.contentsOfDirectory(atPath: TestSupport.path("Scenarios")))?
        .filter { $0.hasSuffix(".yaml") }.sorted() ?? []

    @Test func thereAreExampleScenarios() {
        #expect(Self.scenarios.count >= 3)
        #expect(Self.scenarios.contains("baseline.yaml"))
    }

    @Test(arguments: scenarios)
    func everyExampleScenarioRuns(file: String) throws {
        let outcome = try TestSupport.run(["run", "Scenarios/\(file)", "--trials", "1000", "--format", "json"])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        let report = try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any]
        #expect(report?["trials"] as? Int == 1000)
    }

    @Test func jsonKeepsTheDesignedShape() throws {
        let outcome = try TestSupport.run(["run", "Scenarios/baseline.yaml", "--trials", "1000", "--format", "json"])
        let report = try #require(try JSONSerialization.jsonObject(with: Data(outcome.stdout.utf8)) as? [String: Any])
        #expect(report["scenario"] as? String == "Baseline outbound team, one quarter")
        #expect(report["rules"] as? String == "hubspot")
        #expect(report["seed"] as? Int == 7)
        let strategy = try #require((report["strategies"] as? [[String: Any]])?.first)
        #expect(strategy["name"] as? String == "baseline")
        let rep = try #require((strategy["reps"] as? [[String: Any]])?.first)
        for key in [
            "name", "bands", "bandStdErr", "score", "replyRate", "bounceRate", "pReplyInTarget",
            "pBounceInTarget", "pEligible",
        ] {
            #expect(rep[key] != nil, "missing \(key)")
        }
        let bands = try #require(rep["bands"] as? [String: Double])
        #expect(Set(bands.keys) == ["Low", "Fair", "Good", "Excellent", "Ineligible"])
        let sequence = try #require((strategy["sequences"] as? [[String: Any]])?.first)
        #expect(sequence["rep"] as? String == "ana")
        #expect((strategy["team"] as? [String: Any])?["name"] as? String == "team")
    }

    @Test func writesTheOutputFileWhenAsked() throws {
        let output = try TestSupport.temporaryDirectory().appendingPathComponent("result.json").path
        let outcome = try TestSupport.run([
            "run", "Scenarios/baseline.yaml", "--trials", "1000", "--format", "json", "-o", output,
        ])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.isEmpty)
        #expect(FileManager.default.contents(atPath: output)?.isEmpty == false)
    }

    @Test func reportRendersASavedResult() throws {
        let folder = try TestSupport.temporaryDirectory()
        let result = folder.appendingPathComponent("result.json").path
        let page = folder.appendingPathComponent("report.html").path
        let run = try TestSupport.run([
            "run", "Scenarios/personalization.yaml", "--trials", "500", "--format", "json", "-o", result,
        ])
        #expect(run.status == 0)
        let report = try TestSupport.run(["report", result, "-o", page])
        #expect(report.status == 0, "\(report.stderr)")
        let html = try String(contentsOfFile: page, encoding: .utf8)
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<svg"))
        #expect(!html.contains("src=\"http") && !html.contains("href=\"http"))
        let direct = try TestSupport.run([
            "run", "Scenarios/personalization.yaml", "--trials", "500", "--format", "html",
        ])
        #expect(direct.stdout == html)
        let text = try TestSupport.run(["report", result, "--format", "text"])
        #expect(text.stdout.contains("tokens for everyone"))
        let notJSON = try TestSupport.run(["report", "Scenarios/baseline.yaml"])
        #expect(notJSON.status != 0)
        #expect(notJSON.stderr.hasPrefix("error: Scenarios/baseline.yaml"), "\(notJSON.stderr)")
    }

    /// The bar appears only on a terminal: `script` gives the command one, a pipe does not.
    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/script")))
    func progressOnlyOnATerminal() throws {
        let output = try TestSupport.temporaryDirectory().appendingPathComponent("result.json").path
        let command = "\(TestSupport.executable.path) run Scenarios/baseline.yaml --trials 2000 -o \(output)"
        let onTerminal = try TestSupport.runProgram("/usr/bin/script", ["-qefc", command, "/dev/null"])
        #expect(onTerminal.status == 0)
        #expect(
            onTerminal.stdout.contains("2,000/2,000 trials") && onTerminal.stdout.contains("left"),
            "\(onTerminal.stdout)"
        )
        let quiet = try TestSupport.runProgram("/usr/bin/script", ["-qefc", command + " --quiet", "/dev/null"])
        #expect(quiet.status == 0)
        #expect(!quiet.stdout.contains("trials/s"))
        let piped = try TestSupport.run(["run", "Scenarios/baseline.yaml", "--trials", "2000", "-o", output])
        #expect(piped.stderr.isEmpty)
    }

    @Test func refusesAnOutputInAMissingFolderBeforeRunning() throws {
        let outcome = try TestSupport.run(["run", "Scenarios/baseline.yaml", "-o", "/no/such/folder/result.json"])
        #expect(outcome.status == 1)
        #expect(
            outcome.stderr
                == "error: /no/such/folder/result.json: cannot write the output: the folder /no/such/folder does not exist\n"
        )
    }

    @Test func refusesAnOutputThatIsAFolder() throws {
        let folder = try TestSupport.temporaryDirectory().path
        let outcome = try TestSupport.run(["run", "Scenarios/baseline.yaml", "--trials", "10", "-o", folder])
        #expect(outcome.status == 1)
        #expect(outcome.stderr == "error: \(folder): cannot write the output: it is a folder\n")
    }

    @Test func rulesFromAFileReplaceTheScenarios() throws {
        let rules = try TestSupport.write(
            """
            name: strict
            reply: [{from: 0, points: 0}, {from: 0.10, points: 50}]
            bounce: [{from: 0, points: 50}, {from: 0.01, points: 0}]
            bands: [{from: 0, name: Poor}, {from: 100, name: Perfect}]
            """,
            named: "strict.yaml"
        )
        let outcome = try TestSupport.run(["run", "Scenarios/baseline.yaml", "--trials", "1000", "--rules", rules])
        #expect(outcome.status == 0, "\(outcome.stderr)")
        #expect(outcome.stdout.contains("rules: strict (\(rules))"))
        #expect(outcome.stdout.contains("Poor"))
        #expect(outcome.stdout.contains("Perfect"))
    }

    @Test func irregularRulesNeedRulesAsIs() throws {
        let rules = try TestSupport.write(
            """
            reply: [{from: 0, points: 0}, {from: 0.04, points: 25}, {from: 0.02, points: 30}]
            bounce: [{from: 0, points: 50}]
            bands: [{from: 0, name: Low}, {from: 60, name: High}]
            """,
            named: "odd.yaml"
        )
        let rejected = try TestSupport.run(["run", "Scenarios/baseline.yaml", "--trials", "100", "--rules", rules])
        #expect(rejected.status == 1)
        #expect(
            rejected.stderr.hasSuffix(
                "reply[2].from: rows must be sorted by 'from': 0.02 comes after 0.04 (to analyse the rule set as written, use --rules-as-is)\n"
            )
        )
        // score has no --rules-as-is, so it does not suggest it.
        let score = try TestSupport.run(["score", "Tests/Fixtures/export-small.csv", "--rules", rules])
        #expect(score.status == 1)
        #expect(score.stderr.hasSuffix("rows must be sorted by 'from': 0.02 comes after 0.04\n"), "\(score.stderr)")
        let accepted = try TestSupport.run([
            "run", "Scenarios/baseline.yaml", "--trials", "100", "--rules", rules, "--rules-as-is",
        ])
        #expect(accepted.status == 0, "\(accepted.stderr)")
    }

    @Test func unknownRuleSetOnTheCommandLine() throws {
        let outcome = try TestSupport.run(["run", "Scenarios/baseline.yaml", "--rules", "hubsopt"])
        #expect(outcome.status == 1)
        #expect(
            outcome.stderr
                == "error: --rules: unknown rule set 'hubsopt' (did you mean 'hubspot'?); built-in rule sets: hubspot, or give the path of a rules file\n"
        )
    }

    @Test func badFlagsAreUsageErrors() throws {
        for arguments in [["--trials", "0"], ["--threads", "0"], ["--generator", "best"], ["--format", "xml"]] {
            let outcome = try TestSupport.run(["run", "Scenarios/baseline.yaml"] + arguments)
            #expect(outcome.status == 64, "\(arguments)")
            #expect(outcome.stdout.isEmpty)
            #expect(outcome.stderr.hasPrefix("Error: "), "\(outcome.stderr)")
        }
    }

    @Test func printsTheBuiltInRuleSet() throws {
        let outcome = try TestSupport.run(["rules", "hubspot"])
        #expect(outcome.status == 0)
        #expect(outcome.stdout.contains("name: hubspot"))
        #expect(outcome.stdout.contains("our reconstruction"))
        // What it prints is a valid rules file.
        let path = try TestSupport.write(outcome.stdout, named: "copy.yaml")
        let copy = try TestSupport.run(["run", "Scenarios/baseline.yaml", "--trials", "100", "--rules", path])
        #expect(copy.status == 0, "\(copy.stderr)")
    }
}
