// Eight-lane float log/log1p/exp on GCC vector extensions, branch-free so loops stay in SIMD
// registers.
#pragma once

#include <cstdint>

#if defined(__x86_64__)
#include <xmmintrin.h>
#endif

namespace psc::physics::simd {

using VFloat = float __attribute__((vector_size(32)));
using VInt = std::int32_t __attribute__((vector_size(32)));
inline constexpr int kLanes = 8;

#define PSC_SIMD_INLINE inline __attribute__((always_inline))

PSC_SIMD_INLINE VFloat splat(float v) {
    return VFloat{} + v;
}

// Natural log for x > 0 (Cephes logf polynomial, ~1 ulp on normal floats).
PSC_SIMD_INLINE VFloat log(VFloat x) {
    VInt bits = (VInt)x;
    VInt exponent = ((bits >> 23) & 0xff) - 126;
    VInt mantissaBits = (bits & 0x007fffff) | 0x3f000000; // mantissa in [0.5, 1)
    VFloat m = (VFloat)mantissaBits;
    VFloat e = __builtin_convertvector(exponent, VFloat);
    // Fold m into [sqrt(0.5), sqrt(2)) so the polynomial argument stays small.
    VInt small = m < 0.707106781186547524f;
    VFloat adjust = small ? m : splat(0.0f);
    e = small ? e - 1.0f : e;
    m = m - 1.0f + adjust;
    const VFloat z = m * m;
    VFloat y = splat(7.0376836292E-2f);
    y = y * m - 1.1514610310E-1f;
    y = y * m + 1.1676998740E-1f;
    y = y * m - 1.2420140846E-1f;
    y = y * m + 1.4249322787E-1f;
    y = y * m - 1.6668057665E-1f;
    y = y * m + 2.0000714765E-1f;
    y = y * m - 2.4999993993E-1f;
    y = y * m + 3.3333331174E-1f;
    y = y * m * z;
    y = y + e * -2.12194440e-4f;
    y = y - 0.5f * z;
    return m + y + e * 0.693359375f;
}

// log(1 + u) for 0 <= u <= 1e30 (larger u are clamped), accurate for tiny u: the rounding of 1 + u
// is undone by the factor u / ((1 + u) − 1) (Goldberg's trick), and u itself is returned where 1 +
// u rounds to 1.
PSC_SIMD_INLINE VFloat log1p(VFloat u) {
    // Beyond 1e30 the result is only needed to be large and finite (those weights vanish);
    // the clamp keeps inf/inf out of the correction factor.
    u = u > 1e30f ? splat(1e30f) : u;
    const VFloat w = 1.0f + u;
    const VFloat wm1 = w - 1.0f;
    const VInt exact = wm1 == 0.0f;
    const VFloat safe = exact ? splat(1.0f) : wm1;
    const VFloat corrected = log(w) * (u / safe);
    return exact ? u : corrected;
}

// e^x, with x clamped to [-87.3, 88.3] (so e^x never becomes a denormal or infinity).
PSC_SIMD_INLINE VFloat exp(VFloat x) {
    x = x > 88.3762626647949f ? splat(88.3762626647949f) : x;
    x = x < -87.3365478515625f ? splat(-87.3365478515625f) : x;
    VFloat fx = x * 1.44269504088896341f + 0.5f;
    VInt truncated = __builtin_convertvector(fx, VInt);
    VFloat t = __builtin_convertvector(truncated, VFloat);
    const VInt over = t > fx;
    t = over ? t - 1.0f : t; // floor
    truncated = __builtin_convertvector(t, VInt);
    x = x - t * 0.693359375f;
    x = x - t * -2.12194440e-4f;
    const VFloat z = x * x;
    VFloat y = splat(1.9875691500E-4f);
    y = y * x + 1.3981999507E-3f;
    y = y * x + 8.3334519073E-3f;
    y = y * x + 4.1665795894E-2f;
    y = y * x + 1.6666665459E-1f;
    y = y * x + 5.0000001201E-1f;
    y = y * z + x + 1.0f;
    VInt scaleBits = (truncated + 127) << 23;
    return y * (VFloat)scaleBits;
}

PSC_SIMD_INLINE VFloat max(VFloat a, VFloat b) {
    return a > b ? a : b;
}

PSC_SIMD_INLINE float horizontalMax(VFloat v) {
    float m = v[0];
    for (int i = 1; i < kLanes; ++i) m = v[i] > m ? v[i] : m;
    return m;
}

PSC_SIMD_INLINE float horizontalSum(VFloat v) {
    float s = 0;
    for (int i = 0; i < kLanes; ++i) s += v[i];
    return s;
}

// Four-lane double accumulators for sums too long for float.
using VDouble = double __attribute__((vector_size(32)));

// The eight lanes of v folded into four doubles (lanes i and i + 4 added), exactly.
PSC_SIMD_INLINE VDouble widenPairs(VFloat v) {
    using VHalf = float __attribute__((vector_size(16)));
    const VHalf lo = __builtin_shufflevector(v, v, 0, 1, 2, 3);
    const VHalf hi = __builtin_shufflevector(v, v, 4, 5, 6, 7);
    return __builtin_convertvector(lo, VDouble) + __builtin_convertvector(hi, VDouble);
}

PSC_SIMD_INLINE double horizontalSum(VDouble v) {
    return (v[0] + v[1]) + (v[2] + v[3]);
}

// Tiny weights times coordinates, and the online rescaling of log-sum-exps, produce denormals;
// each costs a microcode assist of ~100 cycles. Flushing them to zero (FTZ | DAZ) changes no
// result at float precision. Scoped: the caller's floating-point environment is restored.
class DenormalsAreZero {
public:
#if defined(__x86_64__)
    DenormalsAreZero() : m_saved(_mm_getcsr()) {
        _mm_setcsr(m_saved | 0x8040);
    }
    ~DenormalsAreZero() {
        _mm_setcsr(m_saved);
    }
    DenormalsAreZero(const DenormalsAreZero&) = delete;
    DenormalsAreZero& operator=(const DenormalsAreZero&) = delete;

private:
    unsigned m_saved;
#endif
};

#undef PSC_SIMD_INLINE

} // namespace psc::physics::simd
