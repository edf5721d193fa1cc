#pragma once
// Random variates for demand and lead times, built on Rng::uniform only so that
// draws are identical across compilers and standard libraries (std::
// distributions are not).
#include <cstdint>

#include "core/rng.h"

namespace twinrl {

// Standard normal (Box-Muller, one of the pair).
double standard_normal(Rng& rng);
// Gamma with shape > 0 and the given scale (Marsaglia and Tsang 2000).
double gamma_variate(Rng& rng, double shape, double scale);
// Poisson with mean >= 0: inversion below a mean of 10, Hormann's transformed
// rejection (PTRS, 1993) above, so the cost stays flat as the mean grows.
int64_t poisson_variate(Rng& rng, double mean);
// Negative binomial with the given mean and dispersion r (variance
// mean + mean^2 / r), drawn as a gamma-Poisson mixture.
int64_t negative_binomial_variate(Rng& rng, double mean, double dispersion);
// Uniform integer in [low, high].
int64_t uniform_integer(Rng& rng, int64_t low, int64_t high);

}  // namespace twinrl
