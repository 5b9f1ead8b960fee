/// Rule sets that ship with the tool, as YAML text in the rules-file format.
///
/// Keeping them as text means `senderscore rules show hubspot` prints exactly what is used, and a
/// user can copy it into a file as a starting point.
public enum BuiltInRuleSets {
    public static let names = ["hubspot"]

    public static func text(named name: String) -> String? {
        name == "hubspot" ? hubspot : nil
    }

    static let hubspotNote = """
        our reconstruction from HubSpot's published targets (a good reply rate is 7–13%, a good \
        bounce rate under 3%, at least 100 completed enrollments); HubSpot does not publish the \
        points, the scale or the band thresholds
        """

    static let hubspot = """
        # hubspot: our reconstruction of HubSpot's sequences sender score.
        # Published (HubSpot help, "Understand your sequences sender score"): the score is the sum
        # of a reply-rate score and a bounce-rate score, in bands from Low to Excellent; a good
        # reply rate is 7-13%, a good bounce rate is under 3%; a user needs at least 100 completed
        # enrollments, a sequence more than 100. Everything else below is an assumption.
        name: hubspot
        replyDenominator: delivered      # "bounces are excluded": replied / (completed - bounced)
        minimumCompleted: {rep: 100, sequence: 101}
        targets: {reply: [0.07, 0.13], bounce: 0.03}
        reply:
          - {from: 0.00, points: 0}
          - {from: 0.02, points: 10}
          - {from: 0.04, points: 25}
          - {from: 0.07, points: 50}     # the published "good" reply rate starts at 7%
        bounce:
          - {from: 0.00, points: 50}
          - {from: 0.03, points: 25}     # exactly 3% is no longer "under 3%"
          - {from: 0.05, points: 10}
          - {from: 0.10, points: 0}
        bands:
          - {from: 0,  name: Low}
          - {from: 40, name: Fair}
          - {from: 70, name: Good}
          - {from: 90, name: Excellent}

        """
}
