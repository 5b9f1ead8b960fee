import Foundation
import Testing
import _TestSupport

@testable import SenderScoreKit

/// Every message a user can meet when a scenario is wrong: file, line, column, key path, and what
/// to do about it.
@Suite struct ScenarioErrorTests {
    static let valid = """
        segments:
          core: {bounce: 0.02, reply: 0.08}
          bought: {bounce: 0.1, reply: 0.02}
        reps:
          - name: ana
            enrollments:
              - {sequence: outbound, completed: 200, audience: {core: 0.7, bought: 0.3}}
        """

    func message(_ yaml: String) -> String? {
        TestSupport.scenarioError(yaml)?.description
    }

    func message(replacing old: String, with new: String) -> String? {
        precondition(Self.valid.contains(old))
        return message(Self.valid.replacingOccurrences(of: old, with: new))
    }

    @Test func theValidScenarioReads() throws {
        let scenario = try Scenario.parse(Self.valid, file: "test.yaml")
        #expect(scenario.segments.map(\.name) == ["core", "bought"])
        #expect(
            scenario.reps[0].enrollments[0].audience == [.init(segment: 0, share: 0.7), .init(segment: 1, share: 0.3)]
        )
        #expect(scenario.rules.name == "hubspot")
        #expect(scenario.name == "test")
    }

    @Test func missingKey() {
        #expect(
            message(replacing: "{bounce: 0.02, reply: 0.08}", with: "{bounce: 0.02}")
                == "test.yaml:2:9: segments.core: missing key 'reply'"
        )
        #expect(
            message("segments: {core: {bounce: 0.02, reply: 0.1}}")
                == "test.yaml:1:1: missing key 'reps'"
        )
    }

    @Test func wrongType() {
        #expect(
            message(replacing: "completed: 200", with: "completed: lots")
                == "test.yaml:7:41: reps[0].enrollments[0].completed: expected a whole number, found the text 'lots'"
        )
        #expect(
            message(replacing: "completed: 200", with: "completed: 200.5")
                == "test.yaml:7:41: reps[0].enrollments[0].completed: expected a whole number, found the number 200.5"
        )
        #expect(
            message(replacing: "reply: 0.08", with: "reply: [0.08]")
                == "test.yaml:2:31: segments.core.reply: expected a number or a distribution, found a list"
        )
        #expect(
            message(replacing: "reply: 0.08", with: "reply: ")
                == "test.yaml:2:31: segments.core.reply: 'reply' has no value"
        )
    }

    @Test func sharesMustSumToOne() {
        #expect(
            message(replacing: "bought: 0.3}", with: "bought: 0.2}")
                == "test.yaml:7:56: reps[0].enrollments[0].audience: shares sum to 0.9, expected 1"
        )
        #expect(message(replacing: "{core: 0.7, bought: 0.3}", with: "{core: 70%, bought: 30%}") == nil)
        #expect(
            message(replacing: "bought: 0.3}", with: "bought: -0.3}")
                == "test.yaml:7:76: reps[0].enrollments[0].audience.bought: a share must be from 0 to 1, found -0.3"
        )
    }

    @Test func probabilityOutsideTheUnitInterval() {
        #expect(
            message(replacing: "reply: 0.08", with: "reply: 1.08")
                == "test.yaml:2:31: segments.core.reply: 1.08 is not a probability; expected a value from 0 to 1 (or 0% to 100%)"
        )
        #expect(
            message(replacing: "reply: 0.08", with: "reply: {uniform: [0.05, 1.2]}")
                == "test.yaml:2:41: segments.core.reply.uniform: values of a probability must lie from 0 to 1 (or 0% to 100%)"
        )
        #expect(
            message(replacing: "reply: 0.08", with: "reply: {lognormal: {median: 0.1, sd: 0.01}}")?
                .hasSuffix(
                    "segments.core.reply.lognormal: lognormal is unbounded, but a probability must lie from 0 to 1 (or 0% to 100%); use beta, uniform, triangular or normal (truncated to [0, 1])"
                ) == true
        )
    }

    @Test func unknownSegment() {
        #expect(
            message(replacing: "bought: 0.3", with: "bougth: 0.3")
                == "test.yaml:7:68: reps[0].enrollments[0].audience: unknown segment 'bougth' (did you mean 'bought'?); the segments are core, bought"
        )
        #expect(
            message(replacing: "audience: {core: 0.7, bought: 0.3}", with: "audience: nobody")
                == "test.yaml:7:56: reps[0].enrollments[0].audience: unknown segment 'nobody'; the segments are core, bought"
        )
    }

    @Test func unknownRuleSet() {
        #expect(
            message("rules: hubsopt\n" + Self.valid)
                == "test.yaml:1:8: rules: unknown rule set 'hubsopt' (did you mean 'hubspot'?); built-in rule sets: hubspot, or give the path of a rules file"
        )
        #expect(
            message("rules: missing/rules.yaml\n" + Self.valid)
                == "test.yaml:1:8: rules: rules file 'missing/rules.yaml': cannot read the file: no such file"
        )
    }

    @Test func yamlSyntaxError() {
        #expect(
            message(replacing: "{core: 0.7, bought: 0.3}", with: "{core: 0.7, bought: 0.3")
                == "test.yaml:8:1: YAML syntax error: did not find expected ',' or '}' (while parsing a flow mapping at line 7, column 9)"
        )
        #expect(
            message(replacing: "  bought:", with: "  core:")
                == "test.yaml:2:3: duplicate key 'core' in the same mapping"
        )
        #expect(message("") == "test.yaml: the file is empty")
    }

    @Test func unreadableFile() throws {
        #expect(
            throws: ScenarioError(
                file: "/no/such/file.yaml",
                message: "cannot read the file: no such file",
                code: .unreadable
            )
        ) {
            try Scenario.load(path: "/no/such/file.yaml")
        }
        let folder = try TestSupport.temporaryDirectory().path
        #expect(
            throws: ScenarioError(file: folder, message: "cannot read the file: it is a folder", code: .unreadable)
        ) {
            try Scenario.load(path: folder)
        }
        let binary = try TestSupport.write("", named: "binary.yaml")
        try Data([0xff, 0xfe, 0x00]).write(to: URL(fileURLWithPath: binary))
        #expect(
            throws: ScenarioError(
                file: binary,
                message: "cannot read the file: it is not UTF-8 text",
                code: .unreadable
            )
        ) {
            try Scenario.load(path: binary)
        }
    }

    @Test func unknownKeysAreTyposWithSuggestions() {
        #expect(
            message(replacing: "enrollments:", with: "enrolments:")
                == "test.yaml:6:5: reps[0]: unknown key 'enrolments' (did you mean 'enrollments'?); allowed here: name, skill, enrollments"
        )
        #expect(
            message("trails: 100\n" + Self.valid)
                == "test.yaml:1:1: unknown key 'trails' (did you mean 'trials'?); allowed here: name, description, trials, seed, generator, rules, segments, reps, sequences, interventions, strategies, plan, timeline"
        )
        #expect(
            message(replacing: "reply: 0.08", with: "reply: {gama: 3}")
                == "test.yaml:2:32: segments.core.reply: unknown key 'gama' (did you mean 'gamma'?); allowed here: beta, uniform, triangular, normal, lognormal, gamma"
        )
        #expect(
            message(replacing: "reply: 0.08", with: "reply: 0.08, colour: red")
                == "test.yaml:2:37: segments.core: unknown key 'colour'; allowed here: bounce, reply, unsubscribe, contacts, rates, observed, description"
        )
    }

    @Test func distributionsAreChecked() {
        #expect(
            message(replacing: "reply: 0.08", with: "reply: {beta: {mean: 0.5, sd: 0.6}}")
                == "test.yaml:2:38: segments.core.reply.beta: a beta distribution with mean 0.5 needs sd below 0.5, found 0.6"
        )
        #expect(
            message(replacing: "reply: 0.08", with: "reply: {beta: {alpha: 2, beta: 30, mean: 0.1}}")?
                .contains("'alpha' cannot be combined with mean and sd") == true
        )
        #expect(
            message(replacing: "reply: 0.08", with: "reply: {triangular: [0.1, 0.05, 0.2]}")
                == "test.yaml:2:44: segments.core.reply.triangular: expected [min, mode, max] with min <= mode <= max and min < max"
        )
        #expect(
            message(replacing: "reply: 0.08", with: "reply: {normal: {mean: 5, sd: 0.01}}")?
                .contains("has almost no mass from 0 to 1") == true
        )
        #expect(
            message(replacing: "completed: 200", with: "completed: {negativeBinomial: {mean: 100, sd: 5}}")?
                .hasSuffix(
                    "completed.negativeBinomial: a negative binomial needs a variance above its mean: sd must exceed 10 (for less spread use poisson or a fixed count)"
                ) == true
        )
        #expect(
            message(replacing: "completed: 200", with: "completed: {beta: {mean: 0.1, sd: 0.01}}")
                == "test.yaml:7:42: reps[0].enrollments[0].completed: unknown key 'beta'; allowed here: poisson, negativeBinomial"
        )
    }

    @Test func repsAndGenerators() {
        #expect(
            message(Self.valid + "\n  - name: ana\n    enrollments: [{sequence: s, completed: 1, audience: core}]")
                == "test.yaml:8:11: reps[1].name: rep 'ana' is listed twice"
        )
        #expect(
            message("generator: mt1993\n" + Self.valid)
                == "test.yaml:1:12: generator: unknown generator 'mt1993' (did you mean 'mt19937'?); expected one of taus2, mt19937, gfsr4, ranlxd1, ranlxd2"
        )
    }
}
