// One Runge–Kutta stage of dx/dτ for a batch of curves, in place in storage buffers.
// τ is σ (every curve on the same EDM schedule: uniforms give σ) or log σ (each curve with its
// own start and step, for field lines: its speed in log σ is |x − x̂|). A step of an s-stage
// method is s dispatches; the last one combines the slopes, moves the state and may record it.
layout(local_size_x = PSC_TILE) in;

layout(std430, binding = 1) buffer State { vec4 state[]; };     // xyz, w = τ
layout(std430, binding = 2) buffer Eval { vec4 evalPoint[]; };  // where the next stage evaluates
layout(std430, binding = 3) buffer Slope { vec4 slope[]; };     // Σ b_j k_j so far
layout(std430, binding = 4) buffer StepSize { float stepSize[]; }; // log-σ mode: h per curve, 0 = stopped
layout(std430, binding = 5) writeonly buffer Track { vec4 track[]; }; // [curve * uFrames + frame]: xyz, σ

uniform int uCount;
uniform bool uLogTime;
uniform float uSigmaEval; // σ mode: σ of this stage
uniform float uH;         // σ mode: the step
uniform float uSigmaNext; // σ mode: σ after the step
uniform float uEvalC;     // log-σ mode: this stage evaluates at τ + c·h
uniform float uWeight;    // b of this stage
uniform float uNextC;     // the next stage evaluates at x + a·h·k
uniform bool uFirst;
uniform bool uLast;
uniform bool uLand;       // the final step to σ = 0: x ← x̂(x, σ)
uniform bool uRecordOnly; // only records the state (the start of a track)
uniform int uRecordFrame; // < 0: do not record
uniform int uFrames;
uniform float uSphereR2;  // > 0: log-σ curves stop on the hemisphere |x|² + D σ² = uSphereR2
uniform float uD;

float sphereValue(vec3 x, float sigma) { return dot(x, x) + uD * sigma * sigma - uSphereR2; }

void record(uint i, vec3 x, float sigma) {
    if (uRecordFrame >= 0) track[i * uint(uFrames) + uint(uRecordFrame)] = vec4(x, sigma);
}

void main() {
    uint i = gl_GlobalInvocationID.x;
    bool live = i < uint(uCount);
    vec4 X = live ? state[i] : vec4(0.0, 0.0, 0.0, 1.0);
    if (uRecordOnly) { // uniform: every invocation returns, no barrier is left waiting
        if (live) record(i, X.xyz, uLogTime ? exp(X.w) : X.w);
        return;
    }
    float h = uLogTime ? (live ? stepSize[i] : 0.0) : uH;
    vec3 E = (uFirst || !live) ? X.xyz : evalPoint[i].xyz;
    float sigmaEval = uLogTime ? exp(X.w + uEvalC * h) : uSigmaEval;
    vec3 xhat = denoiseAt(E, sigmaEval);
    if (!live) return;

    if (uLand) {
        state[i] = vec4(xhat, uLogTime ? kNegInf : 0.0);
        record(i, xhat, 0.0);
        return;
    }
    vec3 k = uLogTime ? E - xhat : (E - xhat) / sigmaEval;
    vec3 S = uFirst ? uWeight * k : slope[i].xyz + uWeight * k;
    if (!uLast) {
        slope[i] = vec4(S, 0.0);
        evalPoint[i] = vec4(X.xyz + uNextC * h * k, 0.0);
        return;
    }
    vec3 x = X.xyz + h * S;
    float tau = uLogTime ? X.w + h : uSigmaNext;
    if (uLogTime && uSphereR2 > 0.0 && h != 0.0) {
        float s0 = exp(X.w), s1 = exp(tau);
        if (sphereValue(x, s1) >= 0.0) {
            // The step pierced the hemisphere: bisect the chord for the crossing and stop there.
            float lo = 0.0, hi = 1.0;
            for (int it = 0; it < 24; ++it) {
                float mid = 0.5 * (lo + hi);
                if (sphereValue(mix(X.xyz, x, mid), mix(s0, s1, mid)) < 0.0) lo = mid; else hi = mid;
            }
            x = mix(X.xyz, x, hi);
            tau = log(mix(s0, s1, hi));
            stepSize[i] = 0.0;
        }
    }
    state[i] = vec4(x, tau);
    record(i, x, uLogTime ? exp(tau) : tau);
}
