// Trails straight from a GPU track bound as a vertex buffer; they fade with distance in log σ
// from the clock exactly as lines.vert's trail mode.
layout(location = 0) in vec4 aState;

uniform mat4 uViewProjection;
uniform float uNowLogSigma;
uniform float uTrailLength;
uniform float uTrailDirection;

out vec4 vColor;

void main() {
    gl_Position = uViewProjection * vec4(trackWorld(aState.xyz, aState.w), 1.0);
    float clock = trackClock(aState.w);
    float behind = (clock - uNowLogSigma) * uTrailDirection;
    float visible = step(-1e-4, behind) * (1.0 - clamp(behind / uTrailLength, 0.0, 1.0));
    vColor = vec4(trackColor(clock), 0.75 * visible * visible);
}
