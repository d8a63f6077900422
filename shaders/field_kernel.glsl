// The exact PFGM++ denoiser x̂(x, σ) on the GPU (physics.md §2), shared by every compute
// program. Why it looks like this:
// - log, log1p and exp are our own Cephes polynomials, not the driver's: GLSL allows log an
//   absolute error of 2^-21 near 1, which the factor (N+D)/2 would blow up to whole units of
//   log-weight at large D, and exp a relative error growing with |x|.
// - charges are staged through shared memory one tile at a time; every invocation of the work
//   group reads the same tile entry at once (a broadcast), so the inner loop is arithmetic only.
// - the log-sum-exp is online: the running maximum only moves when a heavier charge appears,
//   which after the first tiles is rare, so most pairs cost one log1p and one exp.

#ifndef PSC_TILE
#define PSC_TILE 256
#endif

// xyz: charge position relative to the charges' mean (unused coordinates 0); w: log q.
layout(std430, binding = 0) readonly buffer Charges { vec4 charges[]; };

uniform int uChargeCount; // int: Qt sets GLuint uniforms with glUniform1i
uniform float uHalfNPlusD; // (N + D) / 2
uniform float uInvD;       // 1 / D
uniform bool uGaussian;    // D = ∞ (or so large that the Student-t kernel is Gaussian in float)

shared vec4 sTile[PSC_TILE];

const float kNegInf = -3.0e38;

// Natural log for x > 0 (Cephes logf, ~1 ulp on normal floats).
float pscLog(float x) {
    int bits = floatBitsToInt(x);
    float e = float(((bits >> 23) & 0xff) - 126);
    float m = intBitsToFloat((bits & 0x007fffff) | 0x3f000000); // mantissa in [0.5, 1)
    if (m < 0.707106781186547524) {
        e -= 1.0;
        m = m + m - 1.0;
    } else {
        m = m - 1.0;
    }
    float z = m * m;
    float y = 7.0376836292E-2;
    y = y * m - 1.1514610310E-1;
    y = y * m + 1.1676998740E-1;
    y = y * m - 1.2420140846E-1;
    y = y * m + 1.4249322787E-1;
    y = y * m - 1.6668057665E-1;
    y = y * m + 2.0000714765E-1;
    y = y * m - 2.4999993993E-1;
    y = y * m + 3.3333331174E-1;
    y = y * m * z;
    y += e * -2.12194440e-4;
    y -= 0.5 * z;
    return m + y + e * 0.693359375;
}

// log(1 + u) for u >= 0, exact for tiny u: the rounding of 1 + u is undone by u / ((1 + u) − 1).
float pscLog1p(float u) {
    u = min(u, 1e30);
    float w = 1.0 + u;
    float wm1 = w - 1.0;
    return wm1 == 0.0 ? u : pscLog(w) * (u / wm1);
}

// e^x; 0 below −87.3 (no denormals), clamped above 88.3.
float pscExp(float x) {
    if (x < -87.3365478515625) return 0.0;
    x = min(x, 88.3762626647949);
    float t = floor(x * 1.44269504088896341 + 0.5);
    x -= t * 0.693359375;
    x -= t * -2.12194440e-4;
    float z = x * x;
    float y = 1.9875691500E-4;
    y = y * x + 1.3981999507E-3;
    y = y * x + 8.3334519073E-3;
    y = y * x + 4.1665795894E-2;
    y = y * x + 1.6666665459E-1;
    y = y * x + 5.0000001201E-1;
    y = y * z + x + 1.0;
    return y * intBitsToFloat((int(t) + 127) << 23);
}

// x̂(x, σ) relative to the charges' mean. Every invocation of the work group must call it the
// same number of times (it contains barriers); idle invocations pass any finite x and σ.
vec3 denoiseAt(vec3 x, float sigma) {
    float inv2S2 = 0.5 / (sigma * sigma);
    float invR2 = 2.0 * inv2S2 * uInvD; // 1 / r², r = σ√D
    float top = kNegInf;
    float sum = 0.0;
    vec3 acc = vec3(0.0);
    for (uint base = 0u; base < uint(uChargeCount); base += uint(PSC_TILE)) {
        uint j = base + gl_LocalInvocationIndex;
        sTile[gl_LocalInvocationIndex] = j < uint(uChargeCount) ? charges[j] : vec4(0.0);
        barrier();
        uint count = min(uint(PSC_TILE), uint(uChargeCount) - base);
        for (uint k = 0u; k < count; ++k) {
            vec4 c = sTile[k];
            vec3 delta = x - c.xyz;
            float d2 = dot(delta, delta);
            float lw = c.w - (uGaussian ? d2 * inv2S2 : uHalfNPlusD * pscLog1p(d2 * invR2));
            if (lw > top) {
                float scale = pscExp(top - lw);
                sum *= scale;
                acc *= scale;
                top = lw;
            }
            float e = pscExp(lw - top);
            sum += e;
            acc += e * c.xyz;
        }
        barrier();
    }
    return acc / sum;
}
