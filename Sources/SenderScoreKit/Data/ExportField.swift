/// The columns of an enrollment export, named after the CRM's sequence-enrollment properties
/// (`hs_enrollment_state`, `hs_unenrolled_source`, `hs_step_error_type`, `hs_email_reply_count`, …)
/// where one exists. `synth` writes them; `score` and `fit` read them under any of their aliases.
public enum ExportField: String, Sendable, Hashable, CaseIterable {
    case id = "hs_enrollment_id"
    case rep = "hs_enrolled_by"
    case sequence = "hs_sequence_name"
    case segment = "segment"
    case contacts = "contact_group"
    case enrolledAt = "hs_enrolled_at"
    case endedAt = "hs_ended_at"
    case state = "hs_enrollment_state"
    case unenrolledSource = "hs_unenrolled_source"
    case stepErrorType = "hs_step_error_type"
    case replyCount = "hs_email_reply_count"
    case bounceCount = "hs_email_bounce_count"
    case meetingCount = "hs_meeting_booked_count"
    case lastStep = "hs_last_executed_step_order"

    /// The short name used in `--columns` and in messages.
    public var key: String {
        switch self {
        case .id: return "id"
        case .rep: return "rep"
        case .sequence: return "sequence"
        case .segment: return "segment"
        case .contacts: return "contacts"
        case .enrolledAt: return "enrolled"
        case .endedAt: return "ended"
        case .state: return "state"
        case .unenrolledSource: return "unenrolledSource"
        case .stepErrorType: return "stepError"
        case .replyCount: return "replies"
        case .bounceCount: return "bounces"
        case .meetingCount: return "meetings"
        case .lastStep: return "lastStep"
        }
    }

    /// Header names this field is recognised by, compared without case, spaces, `_` or `-`.
    public var aliases: [String] {
        let own = [rawValue, key]
        switch self {
        case .id: return own + ["enrollment id", "id", "record id"]
        case .rep: return own + ["enrolled by", "rep", "user", "owner", "sender", "sales rep", "user name"]
        case .sequence: return own + ["sequence", "sequence name", "hs_sequence_id", "sequence id"]
        case .segment: return own + ["list", "audience"]
        case .contacts: return own + ["contact group"]
        case .enrolledAt: return own + ["enrolled at", "enrollment date", "enrolled date", "enrolled on"]
        case .endedAt:
            return own + ["ended at", "end date", "ended date", "hs_finished_at", "finished at", "completed at"]
        case .state: return own + ["enrollment state", "state", "status", "enrollment status"]
        case .unenrolledSource: return own + ["unenrolled source", "unenroll reason", "unenrollment reason", "reason"]
        case .stepErrorType: return own + ["step error type", "step error", "error type", "error"]
        case .replyCount: return own + ["email reply count", "replies", "reply count", "replied"]
        case .bounceCount: return own + ["email bounce count", "bounces", "bounce count", "bounced"]
        case .meetingCount: return own + ["meeting booked count", "meetings", "meetings booked"]
        case .lastStep:
            return own + [
                "last executed step order", "last step", "step", "hs_last_executed_email_step_order",
                "last step reached",
            ]
        }
    }

    /// What the column holds, for docs and `--help`.
    public var meaning: String {
        switch self {
        case .id: return "enrollment id"
        case .rep: return "the rep (user) who enrolled the contact"
        case .sequence: return "the sequence's name"
        case .segment: return "the contact's segment (synthetic exports; used by fit --by segment)"
        case .contacts:
            return "the contact group: regular, unengaged, previouslyBounced, optedOut, unverified (synthetic exports)"
        case .enrolledAt: return "when the contact was enrolled (ISO 8601)"
        case .endedAt: return "when the enrollment ended (ISO 8601); empty while executing"
        case .state: return "EXECUTING, PAUSED, FINISHED or UNENROLLED; FINISHED and UNENROLLED are completed"
        case .unenrolledSource: return "why it was unenrolled: REPLY, MEETING, MANUAL, WORKFLOW, ERROR, …"
        case .stepErrorType: return "for ERROR: BOUNCED or UNSUBSCRIBED"
        case .replyCount: return "emails the contact replied with"
        case .bounceCount: return "emails that bounced"
        case .meetingCount: return "meetings booked"
        case .lastStep: return "the last step (email) executed, from 1"
        }
    }

    /// The position in `allCases`.
    var ordinal: Int {
        switch self {
        case .id: return 0
        case .rep: return 1
        case .sequence: return 2
        case .segment: return 3
        case .contacts: return 4
        case .enrolledAt: return 5
        case .endedAt: return 6
        case .state: return 7
        case .unenrolledSource: return 8
        case .stepErrorType: return 9
        case .replyCount: return 10
        case .bounceCount: return 11
        case .meetingCount: return 12
        case .lastStep: return 13
        }
    }

    static func normalized(_ name: String) -> String {
        name.lowercased().filter { $0.isLetter || $0.isNumber }
    }
}
