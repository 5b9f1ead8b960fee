import Foundation
import SenderScoreKit
import Synchronization

/// A progress bar on standard error: trials done, rate and time left. Silent unless standard
/// error is a terminal, and with --quiet.
final class ProgressBar: Sendable {
    private struct State {
        var done = 0
        var lastDraw: ContinuousClock.Instant?
    }

    private let total: Int
    private let start = ContinuousClock.now
    private let enabled: Bool
    private let state = Mutex(State())

    /// With `open`, `total` is only the most trials there may be (a run to a precision stops
    /// when it is reached): no bar and no time left, the trials done and their rate.
    private let open: Bool

    init(total: Int, quiet: Bool, open: Bool = false) {
        self.total = total
        self.open = open
        enabled = !quiet && isatty(STDERR_FILENO) == 1
    }

    /// Adds finished trials; redraws at most ten times a second.
    func add(_ trials: Int) {
        guard enabled else { return }
        let line: String? = state.withLock { state in
            state.done += trials
            let now = ContinuousClock.now
            if let last = state.lastDraw, now - last < .milliseconds(100), state.done < total { return nil }
            state.lastDraw = now
            return render(done: state.done, elapsed: now - start)
        }
        if let line { Console.control(line) }
    }

    /// Clears the bar.
    func finish() {
        guard enabled else { return }
        Console.control("\r\u{1B}[2K")
    }

    private func render(done: Int, elapsed: Duration) -> String {
        let fraction = total > 0 ? Double(done) / Double(total) : 1
        let width = 30
        let filled = Int((fraction * Double(width)).rounded(.down))
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
        let rate = seconds > 0 ? Double(done) / seconds : 0
        if open {
            return "\r\u{1B}[2K\(Format.count(done)) trials so far, until the precision is reached (at most "
                + "\(Format.count(total)))  \(Format.count(Int(rate))) trials/s"
        }
        let left = rate > 0 ? Double(total - done) / rate : 0
        return "\r\u{1B}[2K[" + String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            + "] "
            + String(format: "%3.0f%%", fraction * 100)
            + "  \(Format.count(done))/\(Format.count(total)) trials  \(Format.count(Int(rate))) trials/s  \(Self.clock(left)) left"
    }

    private static func clock(_ seconds: Double) -> String {
        let whole = Int(seconds.rounded(.up))
        return whole >= 3600
            ? String(format: "%d:%02d:%02d", whole / 3600, whole / 60 % 60, whole % 60)
            : String(format: "%d:%02d", whole / 60, whole % 60)
    }
}
