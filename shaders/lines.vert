// Polylines (grid, axes, hemisphere, field lines, trails). Trails fade with distance in log σ
// from the animation's clock; other lines ignore the clock.
layout(location = 0) in vec3 aPosition;
layout(location = 1) in float aLogSigma;
layout(location = 2) in vec4 aColor;

uniform mat4 uViewProjection;
uniform int uTrailMode;        // 0: plain lines; 1: trails behind the clock
uniform float uNowLogSigma;    // the clock, log σ
uniform float uTrailLength;    // in log σ units (> 0)
uniform float uTrailDirection; // +1: backward flow (trail lies at larger σ); −1: forward

out vec4 vColor;

void main() {
    gl_Position = uViewProjection * vec4(aPosition, 1.0);
    vColor = aColor;
    if (uTrailMode == 1) {
        float behind = (aLogSigma - uNowLogSigma) * uTrailDirection;
        float visible = step(-1e-4, behind) * (1.0 - clamp(behind / uTrailLength, 0.0, 1.0));
        vColor.a *= visible * visible;
    }
}
