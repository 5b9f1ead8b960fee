/// A segment with contact groups is a mixture: its regular contacts and each group, with their
/// shares and rates. This solves calibrated groups (`rates: overall`) and gives the mixture's
/// overall rates, for the engine (per trial, per drawn value) and for the checks of a scenario.
///
/// Each rate mixes over whom it is a rate of: bounce over the completed enrollments, reply over
/// the delivered ones, unsubscribe over the delivered ones that did not reply. So a member's
/// weight is its share for bounce, share × (1 − bounce) for reply, and share × (1 − bounce) ×
/// (1 − reply) for unsubscribe: the counts the CRM divides by.
public enum ContactMixture {
    /// The regular contacts' rate x in [0, 1] for which the mixture's rate is `overall`:
    /// Σ wₖ rₖ(x) = overall × Σ wₖ, where rₖ(x) = min(1, fₖ x) for a member with a factor fₖ
    /// (the regular contacts have 1) and a fixed aₖ for one with an absolute rate.
    ///
    /// The left side only grows with x, so the solution is unique where it exists. When none
    /// does (the absolute groups alone exceed `overall`, or even x = 1 falls short), x is held at
    /// 0 or 1, the nearest the mixture can come, and `exact` is false.
    @inline(__always)
    public static func regularRate(
        overall: Double,
        count: Int,
        weight: (Int) -> Double,
        factor: (Int) -> Double?,
        absolute: (Int) -> Double
    ) -> (rate: Double, exact: Bool) {
        var total = 0.0
        var target = 0.0
        var scaled = 0.0
        for member in 0..<count {
            let w = weight(member)
            total += w
            if let f = factor(member) { scaled += w * f } else { target -= w * absolute(member) }
        }
        target += overall * total
        guard total > 0 else { return (min(1, max(0, overall)), true) }
        if target < 0 { return (0, target > -1e-12 * total) }
        guard scaled > 0 else { return (min(1, max(0, overall)), abs(target) <= 1e-12 * total) }
        // A member whose rate reaches 1 contributes its weight instead of wₖ fₖ x. Capping one
        // only raises x, so recomputing x with the members capped at the last x converges in at
        // most one pass per member.
        var x = target / scaled
        var capped = -1.0
        for _ in 0...count {
            var cappedWeight = 0.0
            var free = 0.0
            for member in 0..<count {
                guard let f = factor(member) else { continue }
                if f * x >= 1 { cappedWeight += weight(member) } else { free += weight(member) * f }
            }
            guard cappedWeight != capped else { break }
            capped = cappedWeight
            // Every member with a factor is at 1, the regular contacts too: x is at least 1.
            guard free > 0 else { return (1, abs(target - cappedWeight) <= 1e-12 * total) }
            x = (target - cappedWeight) / free
        }
        return x > 1 + 1e-12 ? (1, false) : (min(1, max(0, x)), true)
    }
}

extension Scenario.Segment {
    /// A member's bounce, reply and unsubscribe rates (unsubscribe nil when not modelled).
    public struct MemberRates: Sendable, Hashable {
        public var bounce: Double
        public var reply: Double
        public var unsubscribe: Double?
    }

    /// The shares of the regular contacts and of each group, in that order.
    public var memberShares: [Double] { [1 - contacts.reduce(0) { $0 + $1.share }] + contacts.map(\.share) }

    /// Member `member`'s rate `rate` (0 bounce, 1 reply, 2 unsubscribe): the regular contacts'
    /// (member 0) is their own, 1 × themselves; a group's is its own or its kind's default.
    func memberRate(_ member: Int, _ rate: Int) -> Scenario.GroupRate {
        guard member > 0 else { return .times(1) }
        let group = contacts[member - 1]
        return [group.bounceRate, group.replyRate, group.unsubscribeRate][rate]
    }

    /// The weights rate `rate` mixes its members by: the shares for bounce, the delivered
    /// shares for reply, and the delivered shares that did not reply for unsubscribe.
    static func weights(_ rate: Int, shares: [Double], bounces: [Double], replies: [Double]) -> [Double] {
        shares.indices.map { member in
            switch rate {
            case 0: return shares[member]
            case 1: return shares[member] * (1 - bounces[member])
            default: return shares[member] * (1 - bounces[member]) * (1 - replies[member])
            }
        }
    }

    /// The rates of the regular contacts and of each group (in that order) at the parameters'
    /// means, and the rates ("bounce", "reply", "unsubscribe") that calibrated groups could not
    /// reproduce there.
    public func memberRatesAtMeans() -> (rates: [MemberRates], unsolved: [String]) {
        let shares = memberShares
        func factor(_ member: Int, _ rate: Int) -> Double? {
            if case .times(let f) = memberRate(member, rate) { return f }
            return nil
        }
        func absolute(_ member: Int, _ rate: Int) -> Double {
            if case .absolute(let parameter) = memberRate(member, rate) { return parameter.mean }
            return 0
        }
        var unsolved: [String] = []
        /// Member values of rate `rate` for the regular contacts' rate `x`.
        func values(_ rate: Int, regular x: Double) -> [Double] {
            shares.indices.map { member in factor(member, rate).map { min(1, $0 * x) } ?? absolute(member, rate) }
        }
        func solve(_ rate: Int, stated: Double, weights: [Double]) -> [Double] {
            guard isCalibrated else { return values(rate, regular: stated) }
            let solved = ContactMixture.regularRate(
                overall: stated,
                count: shares.count,
                weight: { weights[$0] },
                factor: { factor($0, rate) },
                absolute: { absolute($0, rate) }
            )
            if !solved.exact { unsolved.append(["bounce", "reply", "unsubscribe"][rate]) }
            return values(rate, regular: solved.rate)
        }
        let bounces = solve(0, stated: bounce.mean, weights: shares)
        let replies = solve(
            1,
            stated: reply.mean,
            weights: Self.weights(1, shares: shares, bounces: bounces, replies: [])
        )
        var unsubscribes: [Double?] = Array(repeating: nil, count: shares.count)
        if let unsubscribe {
            let weights = Self.weights(2, shares: shares, bounces: bounces, replies: replies)
            unsubscribes = solve(2, stated: unsubscribe.mean, weights: weights)
        } else {
            // Without a segment rate only groups with an absolute rate of their own unsubscribe.
            for member in shares.indices.dropFirst() where factor(member, 2) == nil {
                unsubscribes[member] = absolute(member, 2)
            }
        }
        return (
            shares.indices.map { MemberRates(bounce: bounces[$0], reply: replies[$0], unsubscribe: unsubscribes[$0]) },
            unsolved
        )
    }

    /// For a calibrated segment: per rate, the overall rates the groups can reach (with the
    /// regular contacts at 0 and at 1, the other rates at their means) and the probability that a
    /// draw of the segment's rate falls outside, where the regular contacts are held at 0 or 1.
    public func calibrationRisks() -> [(rate: String, reachable: ClosedRange<Double>, probability: Double)] {
        guard isCalibrated else { return [] }
        let members = memberRatesAtMeans().rates
        let shares = memberShares
        var risks: [(String, ClosedRange<Double>, Double)] = []
        let parameters: [(String, Parameter?)] = [("bounce", bounce), ("reply", reply), ("unsubscribe", unsubscribe)]
        for (index, (name, parameter)) in parameters.enumerated() {
            guard let parameter else { continue }
            let weights = Self.weights(
                index,
                shares: shares,
                bounces: members.map(\.bounce),
                replies: members.map(\.reply)
            )
            let total = weights.reduce(0, +)
            guard total > 0 else { continue }
            func mixture(regular x: Double) -> Double {
                shares.indices.reduce(0.0) { sum, member in
                    switch memberRate(member, index) {
                    case .times(let f): return sum + weights[member] * min(1, f * x)
                    case .absolute(let p): return sum + weights[member] * p.mean
                    }
                } / total
            }
            let reachable = mixture(regular: 0)...mixture(regular: 1)
            let distribution = parameter.distribution
            let outside =
                Densities.cdf(distribution, at: reachable.lowerBound.nextDown)
                + (1 - Densities.cdf(distribution, at: reachable.upperBound))
            risks.append((name, reachable, max(0, outside)))
        }
        return risks
    }

    /// The segment's rates over all its contacts at the parameters' means: what a run of it
    /// should reproduce (before skill and strategies).
    public func overallRatesAtMeans() -> MemberRates {
        let members = memberRatesAtMeans().rates
        let shares = memberShares
        func mix(_ value: (MemberRates) -> Double?, weight: (Int) -> Double) -> Double? {
            var total = 0.0
            var sum = 0.0
            var any = false
            for member in shares.indices {
                let w = weight(member)
                total += w
                if let v = value(members[member]) {
                    sum += w * v
                    any = true
                }
            }
            return any ? (total > 0 ? sum / total : 0) : nil
        }
        let weights = (0..<3).map {
            Self.weights($0, shares: shares, bounces: members.map(\.bounce), replies: members.map(\.reply))
        }
        let bounce = mix(\.bounce) { weights[0][$0] }!
        let reply = mix(\.reply) { weights[1][$0] }!
        let unsubscribe = mix(\.unsubscribe) { weights[2][$0] }
        return MemberRates(bounce: bounce, reply: reply, unsubscribe: unsubscribe)
    }
}
