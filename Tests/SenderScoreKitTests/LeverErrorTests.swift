import Testing
import _TestSupport

@testable import SenderScoreKit

/// Messages for the what-if parts of a scenario: sequences, contact groups, interventions, strategies.
@Suite struct LeverErrorTests {
    static let valid = """
        segments:
          core:
            bounce: 0.02
            reply: 0.08
            contacts:
              unengaged: {share: 0.2}
        sequences:
          outbound:
            steps: [{replyShare: 0.6}, {replyShare: 0.4}]
          single: {}
        reps:
          - name: ana
            enrollments:
              - {sequence: outbound, completed: 200, audience: core}
              - {sequence: single, completed: 100, audience: core}
        interventions:
          tokens: {kind: personalization, replyLift: 1.2}
          clean: {kind: filterUnengaged, efficacy: 0.8}
          short: {kind: dropLastStep}
        strategies:
          - {name: s1, apply: [tokens]}
        """

    func message(replacing old: String, with new: String) -> String? {
        precondition(Self.valid.contains(old), old)
        return TestSupport.scenarioError(Self.valid.replacingOccurrences(of: old, with: new))?.description
    }

    @Test func theValidScenarioReads() throws {
        let scenario = try Scenario.parse(Self.valid, file: "test.yaml")
        #expect(scenario.sequences.map(\.name) == ["outbound", "single"])
        #expect(scenario.sequences[0].steps.map(\.unsubscribeShare) == [0.5, 0.5])
        #expect(scenario.segments[0].contacts == [.init(kind: .unengaged, share: 0.2)])
        #expect(scenario.interventions.map(\.kind) == [.personalization, .filterUnengaged, .dropLastStep])
        #expect(scenario.strategies == [Strategy(name: "s1", applications: [.init(intervention: 0)])])
    }

    @Test func interventions() {
        #expect(
            message(replacing: "kind: personalization", with: "kind: personalisation")
                == "test.yaml:17:18: interventions.tokens.kind: unknown intervention kind 'personalisation' (did you mean 'personalization'?); expected one of personalization, content, segmentation, removeBounced, filterUnengaged, suppressOptOuts, verification, addFollowUp, dropLastStep"
        )
        #expect(
            message(replacing: "replyLift: 1.2", with: "efficacy: 0.5")
                == "test.yaml:17:35: interventions.tokens: unknown key 'efficacy'; allowed here: kind, description, coverage, cost, start, ramp, replyLift"
        )
        #expect(
            message(replacing: "kind: filterUnengaged", with: "kind: verification")
                == "test.yaml:18:10: interventions.clean: verification acts on unverified contacts, but no segment has any; add `contacts: {unverified: {share: …}}` to the segments it should clean"
        )
        #expect(
            message(replacing: "efficacy: 0.8", with: "efficacy: 1.8")?
                .contains("interventions.clean.efficacy: 1.8 is not a probability") == true
        )
        #expect(
            message(
                replacing: "kind: personalization, replyLift: 1.2",
                with: "kind: segmentation, replyLift: 1.2, segments: [cor]"
            )
                == "test.yaml:17:59: interventions.tokens.segments[0]: unknown segment 'cor' (did you mean 'core'?); the segments are core"
        )
    }

    @Test func strategies() {
        #expect(
            message(replacing: "apply: [tokens]", with: "apply: [tokenz]")
                == "test.yaml:21:24: strategies[0].apply[0]: unknown intervention 'tokenz' (did you mean 'tokens'?); the interventions are tokens, clean, short"
        )
        #expect(
            message(replacing: "name: s1", with: "name: baseline")
                == "test.yaml:21:12: strategies[0].name: 'baseline' is the implicit strategy of every scenario; choose another name"
        )
        #expect(
            message(replacing: "apply: [tokens]", with: "apply: [{intervention: tokens, reps: [anna]}]")
                == "test.yaml:21:54: strategies[0].apply[0].reps[0]: unknown rep 'anna' (did you mean 'ana'?); the reps are ana"
        )
        #expect(
            message(replacing: "apply: [tokens]", with: "apply: []")
                == "test.yaml:21:23: strategies[0].apply: apply at least one intervention"
        )
        #expect(
            message(replacing: "apply: [tokens]", with: "apply: [short]")
                == "test.yaml:21:5: strategies[0]: strategy 's1' drops the last step of 'single', which has only one email; limit it with `sequences:` or give the sequence steps"
        )
        #expect(
            message(replacing: "apply: [tokens]", with: "apply: [{intervention: short, sequences: [outbound]}]") == nil
        )
    }

    @Test func sequencesAndContacts() {
        #expect(
            message(replacing: "sequence: single", with: "sequence: singel")
                == "test.yaml:15:20: reps[0].enrollments[1].sequence: unknown sequence 'singel' (did you mean 'single'?); the sequences are outbound, single (list a one-email sequence as `singel: {}`)"
        )
        #expect(
            message(replacing: "  single: {}", with: "  single: {}\n  other: {}")
                == "test.yaml:11:3: sequences: sequence 'other' is listed but no rep enrolls contacts in it"
        )
        #expect(
            message(replacing: "replyShare: 0.4", with: "replyShare: 0.3")
                == "test.yaml:9:12: sequences.outbound.steps: the steps' replyShare values sum to 0.9, expected 1"
        )
        #expect(
            message(replacing: "unengaged: {share", with: "unengagd: {share")
                == "test.yaml:6:7: segments.core.contacts: unknown kind of contacts 'unengagd' (did you mean 'unengaged'?); expected unengaged, previouslyBounced, optedOut, unverified"
        )
        #expect(
            message(replacing: "unengaged: {share: 0.2}", with: "unengaged: {share: 0.7}\n      optedOut: {share: 0.5}")
                == "test.yaml:6:7: segments.core.contacts: the shares of these contacts sum to 1.2, more than the whole segment"
        )
    }
}

extension LeverErrorTests {
    @Test func anInterventionAppliedTwiceToTheSameEnrollmentsIsRefused() {
        let yaml = """
            segments: {core: {bounce: 0.02, reply: 0.08}}
            reps: [{name: ana, enrollments: [{sequence: s, completed: 100, audience: core}]}]
            interventions: {tokens: {kind: personalization, replyLift: 1.2}}
            strategies:
              - {name: twice, apply: [tokens, tokens]}
            """
        #expect(
            TestSupport.scenarioError(yaml)?.description
                == "test.yaml:5:35: strategies[0].apply[1]: 'tokens' is applied twice to the same enrollments (apply[0] and apply[1]); apply it once, or give the entries reps or sequences that do not overlap"
        )
        let separate = yaml.replacingOccurrences(
            of: "apply: [tokens, tokens]",
            with: "apply: [{intervention: tokens, reps: [ana]}, {intervention: tokens, sequences: [other]}]"
        )
        #expect(TestSupport.scenarioError(separate)?.description.contains("unknown sequence 'other'") == true)
    }

    @Test func multipliersStayFinite() {
        let yaml = """
            segments: {core: {bounce: 0.02, reply: 0.08}}
            reps: [{name: ana, skill: 1e300, enrollments: [{sequence: s, completed: 100, audience: core}]}]
            """
        #expect(
            TestSupport.scenarioError(yaml)?.description.contains(
                "is not a multiplier; expected a value from 0 to 1,000"
            ) == true
        )
        #expect(
            TestSupport.scenarioError(
                yaml.replacingOccurrences(of: "skill: 1e300", with: "skill: {lognormal: {median: 1, sigma: 40}}")
            )?
            .description.contains("has a mean of") == true
        )
    }
}
