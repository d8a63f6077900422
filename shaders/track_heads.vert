// One vertex per particle: its position at the clock, interpolated in log σ between the two
// recorded states around it (a binary search over its track); it waits at its start before the
// clock reaches it and at its last computed state after. No vertex buffer: gl_VertexID is the
// particle.
layout(std430, binding = 5) readonly buffer Track { vec4 track[]; };

uniform mat4 uViewProjection;
uniform float uPixelRatio;
uniform float uNowLogSigma;
uniform int uFrames;     // states per particle in the buffer
uniform int uFramesDone; // states computed so far (>= 1)

out vec4 vColor;

void main() {
    int base = gl_VertexID * uFrames;
    int last = uFramesDone - 1;
    float clock = min(uNowLogSigma, trackClock(track[base].w));
    vec3 x;
    if (clock <= trackClock(track[base + last].w)) {
        x = track[base + last].xyz;
        clock = max(clock, trackClock(track[base + last].w));
    } else {
        int lo = 0, hi = last; // clock(lo) >= clock > clock(hi)
        while (hi - lo > 1) {
            int mid = (lo + hi) / 2;
            if (trackClock(track[base + mid].w) >= clock) lo = mid; else hi = mid;
        }
        float a = trackClock(track[base + lo].w), b = trackClock(track[base + hi].w);
        x = mix(track[base + lo].xyz, track[base + hi].xyz, a > b ? (a - clock) / (a - b) : 0.0);
    }
    float sigma = clock <= uClockBottom ? 0.0 : exp(clock);
    gl_Position = uViewProjection * vec4(trackWorld(x, sigma), 1.0);
    gl_PointSize = max(5.0 * uPixelRatio, 1.0);
    vColor = vec4(trackColor(clock), 0.95);
}
