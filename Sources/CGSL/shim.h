// The C bridge to the GNU Scientific Library. Only SenderScoreKit/Random and
// SenderScoreKit/Exact import this module.
#ifndef SENDERSCORE_CGSL_SHIM_H
#define SENDERSCORE_CGSL_SHIM_H

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>
#include <gsl/gsl_pow_int.h>

// GSL's generator types are C globals, which Swift 6 refuses to read;
// these accessors hand them over as ordinary values.
static inline const gsl_rng_type *cgsl_rng_taus2(void) { return gsl_rng_taus2; }
static inline const gsl_rng_type *cgsl_rng_mt19937(void) { return gsl_rng_mt19937; }
static inline const gsl_rng_type *cgsl_rng_ranlxd1(void) { return gsl_rng_ranlxd1; }
static inline const gsl_rng_type *cgsl_rng_ranlxd2(void) { return gsl_rng_ranlxd2; }
static inline const gsl_rng_type *cgsl_rng_gfsr4(void) { return gsl_rng_gfsr4; }

// GSL's binomial sampler for small means, as gsl_ran_binomial (GSL 2.7.1, randist/binomial_tpe.c)
// runs it when n·p < 14 after taking p ≤ 0.5: the distribution function inverted term by term
// ("BINV", Kachitvichyanukul and Schmeiser 1988), the same arithmetic on the same uniforms from the
// same generator, so the same variate. What differs is only that its set-up, f0 = q^n (GSL's
// gsl_pow_uint), is passed in, so that callers can reuse it for a (q, n) they have seen.
static inline unsigned int cgsl_binomial_inversion(const gsl_rng *rng, double p, unsigned int n, double f0) {
    const double q = 1 - p;
    const double s = p / q;
    while (1) {
        double f = f0;
        double u = rng->type->get_double(rng->state);
        for (int ix = 0; ix <= 110; ++ix) {
            if (u < f) return (unsigned int)ix;
            u -= f;
            f *= s * (n - ix) / (ix + 1);
        }
        // As in GSL: rounding kept u above every term (u within a few ulps of 1); draw again.
    }
}

#endif
