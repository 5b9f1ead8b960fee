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
#include <math.h>
#include <stdlib.h>

// GSL's generator types are C globals, which Swift 6 refuses to read;
// these accessors hand them over as ordinary values.
static inline const gsl_rng_type *cgsl_rng_taus2(void) { return gsl_rng_taus2; }
static inline const gsl_rng_type *cgsl_rng_mt19937(void) { return gsl_rng_mt19937; }
static inline const gsl_rng_type *cgsl_rng_ranlxd1(void) { return gsl_rng_ranlxd1; }
static inline const gsl_rng_type *cgsl_rng_ranlxd2(void) { return gsl_rng_ranlxd2; }
static inline const gsl_rng_type *cgsl_rng_gfsr4(void) { return gsl_rng_gfsr4; }

// gsl_rng_set for the taus2 generator (GSL 2.7.1, rng/taus.c: taus2_set) on `count` states laid
// out as GSL's taus_state_t, one seed each: the same three LCG steps and six warm-up steps, in
// 32-bit arithmetic (GSL masks its unsigned longs to 32 bits at every step), sixteen seeds at a
// time so that the compiler can run them side by side, and without the call through the
// generator's function table. RandomLanes uses it only after checking, at start-up, that it leaves
// exactly the states gsl_rng_set leaves; otherwise it calls gsl_rng_set.
typedef struct {
    unsigned long int s1, s2, s3;
} cgsl_taus_state;

static inline void cgsl_taus2_set_all(void *const *states, const unsigned int *seeds, int count) {
    enum { batch = 16 };
    for (int start = 0; start < count; start += batch) {
        const int width = count - start < batch ? count - start : batch;
        unsigned int s1[batch], s2[batch], s3[batch];
        for (int i = 0; i < batch; ++i) s1[i] = i < width ? seeds[start + i] : 1;
        for (int i = 0; i < batch; ++i) {
            unsigned int a = s1[i] == 0 ? 1 : s1[i];
            a = 69069u * a;
            a = a < 2 ? a + 2 : a;
            unsigned int b = 69069u * a;
            b = b < 8 ? b + 8 : b;
            unsigned int c = 69069u * b;
            c = c < 16 ? c + 16 : c;
            for (int warm = 0; warm < 6; ++warm) {
                a = ((a & 4294967294u) << 12) ^ (((a << 13) ^ a) >> 19);
                b = ((b & 4294967288u) << 4) ^ (((b << 2) ^ b) >> 25);
                c = ((c & 4294967280u) << 17) ^ (((c << 3) ^ c) >> 11);
            }
            s1[i] = a;
            s2[i] = b;
            s3[i] = c;
        }
        for (int i = 0; i < width; ++i) {
            cgsl_taus_state *state = (cgsl_taus_state *)states[start + i];
            state->s1 = s1[i];
            state->s2 = s2[i];
            state->s3 = s3[i];
        }
    }
}

static inline size_t cgsl_taus_state_size(void) { return sizeof(cgsl_taus_state); }

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

// GSL's binomial sampler for larger means (n·p ≥ 14 after taking p ≤ 0.5): BTPE (Kachitvichyanukul
// and Schmeiser 1988) as gsl_ran_binomial runs it (GSL 2.7.1, randist/binomial_tpe.c, squeeze
// method with Stirling's corrections), split in two: the set-up, which depends only on (n, p) and
// which callers can keep, and the sampling, which draws the same uniforms and does the same
// arithmetic, so gives the same variate.
typedef struct {
    double p, q, s, npq, fm, xm, p1, xl, xr, c, p2, p3, p4, lambda_l, lambda_r;
    int m;
    unsigned int n;
} cgsl_btpe;

static inline void cgsl_btpe_setup(cgsl_btpe *b, double p, unsigned int n) {
    double q = 1 - p;
    double s = p / q;
    double np = n * p;
    double ffm = np + p;
    int m = (int)ffm;
    double fm = m;
    double xm = fm + 0.5;
    double npq = np * q;
    double p1 = floor(2.195 * sqrt(npq) - 4.6 * q) + 0.5;
    double xl = xm - p1;
    double xr = xm + p1;
    double c = 0.134 + 20.5 / (15.3 + fm);
    double p2 = p1 * (1.0 + c + c);
    double al = (ffm - xl) / (ffm - xl * p);
    double lambda_l = al * (1.0 + 0.5 * al);
    double ar = (xr - ffm) / (xr * q);
    double lambda_r = ar * (1.0 + 0.5 * ar);
    double p3 = p2 + c / lambda_l;
    double p4 = p3 + c / lambda_r;
    b->p = p; b->q = q; b->s = s; b->npq = npq; b->fm = fm; b->xm = xm; b->p1 = p1; b->xl = xl;
    b->xr = xr; b->c = c; b->p2 = p2; b->p3 = p3; b->p4 = p4; b->lambda_l = lambda_l;
    b->lambda_r = lambda_r; b->m = m; b->n = n;
}

static inline double cgsl_btpe_stirling(double y1) {
    double y2 = y1 * y1;
    return (13860.0 - (462.0 - (132.0 - (99.0 - 140.0 / y2) / y2) / y2) / y2) / y1 / 166320.0;
}

static inline unsigned int cgsl_btpe_sample(const gsl_rng *rng, const cgsl_btpe *b) {
    const double p = b->p, q = b->q, s = b->s, npq = b->npq, fm = b->fm, xm = b->xm, p1 = b->p1;
    const double xl = b->xl, xr = b->xr, c = b->c, p2 = b->p2, p3 = b->p3, p4 = b->p4;
    const double lambda_l = b->lambda_l, lambda_r = b->lambda_r;
    const int m = b->m;
    const unsigned int n = b->n;
    int ix;
    while (1) {
        double u = rng->type->get_double(rng->state) * p4;
        double v = rng->type->get_double(rng->state);
        double var, accept;
        if (u <= p1) {
            return (unsigned int)(int)(xm - p1 * v + u);
        } else if (u <= p2) {
            double x = xl + (u - p1) / c;
            v = v * c + 1.0 - fabs(x - xm) / p1;
            if (v > 1.0 || v <= 0.0) continue;
            ix = (int)x;
        } else if (u <= p3) {
            ix = (int)(xl + log(v) / lambda_l);
            if (ix < 0) continue;
            v *= ((u - p2) * lambda_l);
        } else {
            ix = (int)(xr - log(v) / lambda_r);
            if (ix > (double)n) continue;
            v *= ((u - p3) * lambda_r);
        }
        int k = abs(ix - m);
        if (k <= 20) {
            double g = (n + 1) * s;
            double f = 1.0;
            var = v;
            if (m < ix) {
                for (int i = m + 1; i <= ix; i++) f *= (g / i - s);
            } else if (m > ix) {
                for (int i = ix + 1; i <= m; i++) f /= (g / i - s);
            }
            accept = f;
        } else {
            var = log(v);
            if (k < npq / 2 - 1) {
                double amaxp = k / npq * ((k * (k / 3.0 + 0.625) + (1.0 / 6.0)) / npq + 0.5);
                double ynorm = -(k * k / (2.0 * npq));
                if (var < ynorm - amaxp) return (unsigned int)ix;
                if (var > ynorm + amaxp) continue;
            }
            double x1 = ix + 1.0;
            double w1 = n - ix + 1.0;
            double f1 = fm + 1.0;
            double z1 = n + 1.0 - fm;
            accept = xm * log(f1 / x1) + (n - m + 0.5) * log(z1 / w1) + (ix - m) * log(w1 * p / (x1 * q))
                + cgsl_btpe_stirling(f1) + cgsl_btpe_stirling(z1) - cgsl_btpe_stirling(x1) - cgsl_btpe_stirling(w1);
        }
        if (var <= accept) return (unsigned int)ix;
    }
}

#endif
