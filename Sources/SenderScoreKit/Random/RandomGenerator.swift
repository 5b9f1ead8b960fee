internal import CGSL

/// The GSL generator algorithm behind every stream.
///
/// `taus2` (the default) is fast to draw from and cheap to seed, which matters because every block
/// of trials seeds one stream per lane. All of these pass the usual statistical test batteries.
public enum RandomGenerator: String, Sendable, Hashable, CaseIterable, Codable {
    case taus2
    case mt19937
    case gfsr4
    case ranlxd1
    case ranlxd2

    public static let `default` = RandomGenerator.taus2

    var gslType: UnsafePointer<gsl_rng_type> {
        switch self {
        case .taus2: return cgsl_rng_taus2()
        case .mt19937: return cgsl_rng_mt19937()
        case .gfsr4: return cgsl_rng_gfsr4()
        case .ranlxd1: return cgsl_rng_ranlxd1()
        case .ranlxd2: return cgsl_rng_ranlxd2()
        }
    }
}
