/// Lists of rates and volumes given on the command line.
package enum RateList {
    /// `START:STOP:STEP` (inclusive, exact decimal steps) or a comma list; rates as fractions or
    /// percentages (`0.07`, `7%`); `option` names the setting in messages (`replyRates`).
    package static func parse(_ text: String, option: String) throws(ScenarioError) -> [ExactDecimal] {
        func rate(_ part: Substring) throws(ScenarioError) -> ExactDecimal {
            guard let value = ExactDecimal(parsing: String(part)), ExactDecimal.zero <= value, value <= .one else {
                throw ScenarioError(
                    option: option,
                    message: "\(Format.quoted(part)) is not a rate from 0 to 1 (or 0% to 100%)"
                )
            }
            return value
        }
        if text.contains(":") {
            let parts = text.split(separator: ":", omittingEmptySubsequences: false)
            guard parts.count == 3 else {
                throw ScenarioError(
                    option: option,
                    message: "expected START:STOP:STEP such as 0:0.2:0.01, found \(Format.quoted(text))"
                )
            }
            let start = try rate(parts[0])
            let stop = try rate(parts[1])
            let step = try rate(parts[2])
            guard ExactDecimal.zero < step, start <= stop else {
                throw ScenarioError(
                    option: option,
                    message: "expected START <= STOP and a STEP above 0, found \(Format.quoted(text))"
                )
            }
            var values: [ExactDecimal] = []
            var value = start
            while value <= stop {
                values.append(value)
                guard values.count <= 1000, let next = value + step else { break }
                value = next
            }
            guard values.count <= 1000 else {
                throw ScenarioError(option: option, message: "more than 1,000 rates; use a larger step")
            }
            return values
        }
        var values: [ExactDecimal] = []
        for part in text.split(separator: ",") {
            values.append(try rate(Substring(part.trimmingCharacters(in: .whitespaces))))
        }
        guard !values.isEmpty else { throw ScenarioError(option: option, message: "give at least one rate") }
        return values
    }

    /// A true rate pair `REPLY,BOUNCE` such as `7.5%,2%`.
    package static func pair(
        _ text: String,
        option: String
    ) throws(ScenarioError) -> (reply: ExactDecimal, bounce: ExactDecimal) {
        let rates = try parse(text, option: option)
        guard rates.count == 2, !text.contains(":") else {
            throw ScenarioError(
                option: option,
                message: "expected REPLY,BOUNCE such as 7.5%,2%, found \(Format.quoted(text))"
            )
        }
        return (rates[0], rates[1])
    }

    /// A comma list of volumes (whole numbers from 1 to 1,000,000), in increasing order; `option`
    /// names the setting in messages.
    package static func volumes(_ text: String, option: String = "volumes") throws(ScenarioError) -> [Int] {
        var values: [Int] = []
        for part in text.split(separator: ",") {
            let trimmed = part.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: "_", with: "")
            guard let value = WholeNumber.parse(trimmed), (1...1_000_000).contains(value) else {
                throw ScenarioError(
                    option: option,
                    message: "\(Format.quoted(part)) is not a volume from 1 to 1,000,000"
                )
            }
            values.append(value)
        }
        guard !values.isEmpty else { throw ScenarioError(option: option, message: "give at least one volume") }
        let sorted = values.sorted()
        if let repeated = zip(sorted, sorted.dropFirst()).first(where: { $0 == $1 })?.0 {
            throw ScenarioError(
                option: option,
                message: "\(Format.count(repeated)) is listed twice; list each volume once"
            )
        }
        return sorted
    }
}
