internal import CGSL

/// Process-wide GSL set-up: the default error handler aborts the process, so it is turned off
/// once, before any GSL call, and status codes are checked instead.
enum GSLRuntime {
    private static let prepared: Bool = {
        gsl_set_error_handler_off()
        return true
    }()

    static func prepare() {
        _ = prepared
    }
}
