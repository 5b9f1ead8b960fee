import ArgumentParser
import SenderScoreKit

extension ReportFormat: ExpressibleByArgument {}
extension ScenarioFit.Grouping: ExpressibleByArgument {}
extension ScenarioFit.Pooling: ExpressibleByArgument {}
extension SenderScoreKit.Sensitivity.OutputFormat: ExpressibleByArgument {}
extension PeriodLength: ExpressibleByArgument {}
extension BandEstimator: ExpressibleByArgument {}
