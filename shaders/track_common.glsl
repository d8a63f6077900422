// Tracks computed on the GPU (render/compute/gl_curves.h), drawn without leaving the GPU: the
// same view warp, clock and colours as the CPU-built vertices (app/scene_geometry_builder.cpp).
// A state is vec4(x − uTrackOffset, σ).

uniform vec3 uTrackOffset;  // the charges' mean (third coordinate 0 for N = 2)
uniform int uTrackDim;      // 2: σ is the third world coordinate; 3: x3 is
uniform vec3 uWarpCentre;   // render::AxisWarp: radial asinh warp about the centre
uniform float uWarpRho0;
uniform float uClockTop;    // log σ_max
uniform float uClockBottom; // the clock value that stands for σ = 0
uniform vec3 uColorLut[32]; // the colour map from uClockBottom to uClockTop

vec3 trackWorld(vec3 relative, float sigma) {
    vec3 x = relative + uTrackOffset;
    vec3 p = uTrackDim == 2 ? vec3(x.xy, sigma) : x;
    vec3 offset = p - uWarpCentre;
    // asinh(u)/u, by its series where u is small: float asinh(u) = log(u + √(u² + 1)) rounds to 0
    // there, and the linear view (AxisWarp::linear) has u ≈ 1e-13.
    float u = length(offset) / uWarpRho0;
    float shrink = u < 1e-3 ? 1.0 - u * u / 6.0 : asinh(u) / u;
    return uWarpCentre + offset * shrink;
}

float trackClock(float sigma) { return sigma > 0.0 ? max(log(sigma), uClockBottom) : uClockBottom; }

vec3 trackColor(float clock) {
    float t = clamp((clock - uClockBottom) / (uClockTop - uClockBottom), 0.0, 1.0) * 31.0;
    int i = min(int(t), 30);
    return mix(uColorLut[i], uColorLut[i + 1], t - float(i));
}
