// The C bridge to the GNU Scientific Library. Only SenderScoreKit/Random and
// SenderScoreKit/Exact import this module.
#ifndef SENDERSCORE_CGSL_SHIM_H
#define SENDERSCORE_CGSL_SHIM_H

#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_sf_gamma.h>

// GSL's generator types are C globals, which Swift 6 refuses to read;
// these accessors hand them over as ordinary values.
static inline const gsl_rng_type *cgsl_rng_taus2(void) { return gsl_rng_taus2; }
static inline const gsl_rng_type *cgsl_rng_mt19937(void) { return gsl_rng_mt19937; }
static inline const gsl_rng_type *cgsl_rng_ranlxd1(void) { return gsl_rng_ranlxd1; }
static inline const gsl_rng_type *cgsl_rng_ranlxd2(void) { return gsl_rng_ranlxd2; }
static inline const gsl_rng_type *cgsl_rng_gfsr4(void) { return gsl_rng_gfsr4; }

#endif
