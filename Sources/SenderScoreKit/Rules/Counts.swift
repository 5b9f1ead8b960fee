/// The outcome counts of a group of completed enrollments: a cohort, a sequence, a rep, a team.
public struct Counts: Sendable, Hashable, Codable {
    /// Enrollments that ended (FINISHED or UNENROLLED), with or without a reply.
    public var completed: Int
    /// Completed enrollments whose email bounced.
    public var bounced: Int
    /// Delivered enrollments whose contact replied at least once.
    public var replied: Int
    /// Delivered enrollments that ended by the contact unsubscribing, without a reply.
    public var unsubscribed: Int

    public init(completed: Int = 0, bounced: Int = 0, replied: Int = 0, unsubscribed: Int = 0) {
        self.completed = completed
        self.bounced = bounced
        self.replied = replied
        self.unsubscribed = unsubscribed
    }

    /// Completed enrollments that did not bounce.
    public var delivered: Int { completed - bounced }

    public static let zero = Counts()

    /// These counts less `other`'s, which they hold.
    public func minus(_ other: Counts) -> Counts {
        Counts(
            completed: completed - other.completed,
            bounced: bounced - other.bounced,
            replied: replied - other.replied,
            unsubscribed: unsubscribed - other.unsubscribed
        )
    }

    public static func += (lhs: inout Counts, rhs: Counts) {
        lhs.completed += rhs.completed
        lhs.bounced += rhs.bounced
        lhs.replied += rhs.replied
        lhs.unsubscribed += rhs.unsubscribed
    }
}
