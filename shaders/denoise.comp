// x̂ for a batch of points at one σ (the `gl` backend's denoise(), and the agreement tests).
layout(local_size_x = PSC_TILE) in;

layout(std430, binding = 1) readonly buffer Points { vec4 points[]; };
layout(std430, binding = 2) writeonly buffer Denoised { vec4 denoised[]; };

uniform int uPointCount;
uniform float uSigma;

void main() {
    uint i = gl_GlobalInvocationID.x;
    bool live = i < uint(uPointCount);
    vec3 x = live ? points[i].xyz : vec3(0.0);
    vec3 xhat = denoiseAt(x, uSigma);
    if (live) denoised[i] = vec4(xhat, 0.0);
}
