import Foundation
import Synchronization

extension Sensitivity {
    /// Where an analysis's rows of metric values come from: computed here, all of them or a
    /// shard's share (kept for its part), or saved by the shards and joined in shard order.
    ///
    /// Every analysis is a fixed design of rows (row j is trial j, with trial N + j for the
    /// indices' B), and a row's values depend only on the seed and j, so the rows of shards 1 … N,
    /// joined in order, are the rows of the single analysis, and so is everything estimated
    /// from them.
    final class DesignRows: Sendable {
        private enum Source {
            case all
            case shard(Shard)
            /// Per matrix (the design's, then the decision's), each shard's rows in shard order.
            case saved([[[Double]]])
        }
        private let source: Source
        private let kept = Mutex<[[Double]]>([])

        init() { source = .all }
        init(shard: Shard) { source = .shard(shard) }
        init(saved: [[[Double]]]) { source = .saved(saved) }

        var isShard: Bool {
            if case .shard = source { return true }
            return false
        }

        /// The matrices computed for a shard, in the order they were asked for.
        var values: [[Double]] { kept.withLock { $0 } }

        /// Matrix `matrix`: `count` rows of `width` values, `row(j, &runner)` giving row j.
        ///
        /// - Throws: `ScenarioError` when saved rows do not have the design's shape.
        func values(
            _ matrix: Int,
            _ plan: SimulationPlan,
            options: SimulationOptions,
            count: Int,
            width: Int,
            progress: Simulation.Progress?,
            _ row: @escaping @Sendable (Int, inout TrialRunner) -> [Double]
        ) async throws(ScenarioError) -> [Double] {
            switch source {
            case .all:
                return await Simulation.rows(
                    plan,
                    options: options,
                    rows: 0..<count,
                    width: width,
                    progress: progress,
                    row
                )
            case .shard(let shard):
                let values = await Simulation.rows(
                    plan,
                    options: options,
                    rows: shard.blocks(of: 0..<count),
                    width: width,
                    progress: progress,
                    row
                )
                kept.withLock { $0.append(values) }
                return values
            case .saved(let matrices):
                let shards = matrices.first?.count ?? 0
                guard matrix < matrices.count, shards > 0 else {
                    throw ScenarioError(
                        location: .run,
                        message: "the parts hold fewer sets of rows than the analysis needs"
                    )
                }
                var joined: [Double] = []
                joined.reserveCapacity(count * width)
                for (index, values) in matrices[matrix].enumerated() {
                    let rows = try Shard(index + 1, of: shards).blocks(of: 0..<count).count
                    guard values.count == rows * width else {
                        throw ScenarioError(
                            location: .run,
                            message: "shard \(index + 1)/\(shards) holds \(Format.count(values.count)) values where "
                                + "the analysis has \(Format.count(rows * width)) (\(Format.count(rows)) rows of \(width))"
                        )
                    }
                    joined += values
                }
                return joined
            }
        }
    }

    /// A part of a sensitivity analysis: what `sensitivity --shard K/N` writes and `merge` reads.
    public struct Part: Sendable, Codable {
        /// The command line that made the part, as far as it decides the result.
        public struct Invocation: Sendable, Hashable, Codable {
            public var scenario: String
            public var rules: String?
            public var rulesAsIs: Bool
            /// `--metric` as given (mean-score, at-least:BAND, reps:BAND).
            public var metric: String
            public var level: String?
            public var strategy: String?
            public var change: Bool
            public var analyses: [Analysis]
            public var resamples: Int
            public var options: SimulationOptions

            public init(
                scenario: String,
                rules: String?,
                rulesAsIs: Bool,
                metric: String,
                level: String?,
                strategy: String?,
                change: Bool,
                analyses: Set<Analysis>,
                resamples: Int,
                options: SimulationOptions
            ) {
                self.scenario = scenario
                self.rules = rules
                self.rulesAsIs = rulesAsIs
                self.metric = metric
                self.level = level
                self.strategy = strategy
                self.change = change
                self.analyses = Analysis.allCases.filter(analyses.contains)
                self.resamples = resamples
                self.options = options
                self.options.threads = 1  // never part of an analysis's identity
            }

            enum CodingKeys: String, CodingKey {
                case scenario, rules, rulesAsIs, metric, level, strategy, change, analyses, resamples, options
            }

            /// A saved invocation, checked as the command line is.
            public init(from decoder: any Decoder) throws {
                let container = try decoder.container(keyedBy: CodingKeys.self)
                let resamples = try container.decode(Int.self, forKey: .resamples)
                let analyses = try container.decode([Analysis].self, forKey: .analyses)
                guard (1...10_000).contains(resamples) else {
                    throw DecodingError.dataCorruptedError(
                        forKey: .resamples,
                        in: container,
                        debugDescription: "1 to 10000"
                    )
                }
                guard !analyses.isEmpty else {
                    throw DecodingError.dataCorruptedError(forKey: .analyses, in: container, debugDescription: "none")
                }
                self.init(
                    scenario: try container.decode(String.self, forKey: .scenario),
                    rules: try container.decodeIfPresent(String.self, forKey: .rules),
                    rulesAsIs: try container.decode(Bool.self, forKey: .rulesAsIs),
                    metric: try container.decode(String.self, forKey: .metric),
                    level: try container.decodeIfPresent(String.self, forKey: .level),
                    strategy: try container.decodeIfPresent(String.self, forKey: .strategy),
                    change: try container.decode(Bool.self, forKey: .change),
                    analyses: Set(analyses),
                    resamples: resamples,
                    options: try container.decode(SimulationOptions.self, forKey: .options)
                )
            }

            /// What decides the numbers beyond the scenario and the run's options.
            var fingerprintLines: [String] {
                [
                    "sensitivity \(metric) level \(level ?? "team") strategy \(strategy ?? "baseline") "
                        + "change \(change) analyses \(analyses.map(\.rawValue).joined(separator: ",")) resamples \(resamples)"
                ]
            }

            /// The scenario and metric, rebuilt from `documents`.
            func read(_ documents: [RunPart.Document]) throws(ScenarioError) -> (Scenario, Metric) {
                let scenario = try RunPart.scenario(
                    at: self.scenario,
                    rules: rules,
                    rulesAsIs: rulesAsIs,
                    documents: documents
                )
                let metric = Metric(
                    kind: try Metric.kind(self.metric, rules: scenario.rules),
                    level: level,
                    strategy: strategy,
                    change: change
                )
                return (scenario, metric)
            }
        }

        /// A shard's rows of values, saved as the bits of each number (exact, and NaN for an
        /// undefined value).
        struct Rows: Sendable, Hashable, Codable {
            var values: [Double]

            init(_ values: [Double]) { self.values = values }

            init(from decoder: any Decoder) throws {
                let container = try decoder.singleValueContainer()
                guard let data = Data(base64Encoded: try container.decode(String.self)), data.count % 8 == 0 else {
                    throw DecodingError.dataCorruptedError(in: container, debugDescription: "not rows of values")
                }
                values = stride(from: 0, to: data.count, by: 8).map { offset in
                    var bits: UInt64 = 0
                    for byte in data[data.startIndex + offset..<data.startIndex + offset + 8].reversed() {
                        bits = bits << 8 | UInt64(byte)
                    }
                    return Double(bitPattern: bits)
                }
            }

            func encode(to encoder: any Encoder) throws {
                var data = Data(capacity: values.count * 8)
                for value in values {
                    var bits = value.bitPattern
                    for _ in 0..<8 {
                        data.append(UInt8(truncatingIfNeeded: bits))
                        bits >>= 8
                    }
                }
                var container = encoder.singleValueContainer()
                try container.encode(data.base64EncodedString())
            }
        }

        public var fingerprint: RunFingerprint
        public var shard: Shard
        public var run: Invocation
        public var documents: [RunPart.Document]
        /// The shard's rows of each matrix: the design's, then the decision's when it has one.
        var rows: [Rows]

        /// Runs `shard` of the analysis `run` describes and returns its part; `documents` are the
        /// texts the scenario was read from (`RunPart.documents(recorded:)`), rebuilt as merge
        /// rebuilds them.
        public static func run(
            _ run: Invocation,
            documents: [RunPart.Document],
            shard: Shard,
            threads: Int,
            progress: Simulation.Progress? = nil
        ) async throws(ScenarioError) -> Part {
            let (scenario, metric) = try run.read(documents)
            var options = run.options
            options.threads = threads
            let source = DesignRows(shard: shard)
            _ = try await Sensitivity.evaluate(
                scenario,
                options: options,
                metric: metric,
                analyses: Set(run.analyses),
                resamples: run.resamples,
                samplesOut: nil,
                progress: progress,
                rows: source
            )
            return Part(
                fingerprint: RunFingerprint(
                    plan: SimulationPlan(scenario),
                    options: run.options,
                    extra: run.fingerprintLines
                ),
                shard: shard,
                run: run,
                documents: documents,
                rows: source.values.map(Rows.init)
            )
        }

        /// The part as its file holds it.
        public func encoded() throws(ScenarioError) -> Data {
            try PartFile.seal(command: "sensitivity", self)
        }

        /// The analysis the parts are the shards of, exactly as the single analysis computes it.
        ///
        /// - Throws: `ScenarioError` as `RunPart.merge` does.
        public static func merge(
            _ parts: [(path: String, part: Part)]
        ) async throws(ScenarioError) -> (scenario: Scenario, sensitivity: Sensitivity) {
            let parts = try RunPart.shards(parts, fingerprint: \.fingerprint, shard: \.shard)
            let (firstPath, first) = parts[0]
            let scenario: Scenario
            let metric: Metric
            do {
                (scenario, metric) = try first.run.read(first.documents)
            } catch {
                throw ScenarioError(
                    file: firstPath,
                    message: "the scenario the part carries no longer reads: \(error.description)"
                )
            }
            let fingerprint = RunFingerprint(
                plan: SimulationPlan(scenario),
                options: first.run.options,
                extra: first.run.fingerprintLines
            )
            for (path, part) in parts {
                guard part.fingerprint == fingerprint, part.run == first.run, part.documents == first.documents,
                    part.rows.count == first.rows.count
                else {
                    throw ScenarioError(
                        file: path,
                        message: "the part's scenario and options do not give its fingerprint: it was changed, or "
                            + "written by another build of senderscore"
                    )
                }
            }
            let saved = first.rows.indices.map { matrix in parts.map { $0.part.rows[matrix].values } }
            let result = try await Sensitivity.evaluate(
                scenario,
                options: first.run.options,
                metric: metric,
                analyses: Set(first.run.analyses),
                resamples: first.run.resamples,
                samplesOut: nil,
                progress: nil,
                rows: DesignRows(saved: saved)
            )
            guard let result else { throw ScenarioError(location: .run, message: "the parts hold no rows") }
            return (scenario, result)
        }
    }
}
