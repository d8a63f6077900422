// Each segment of a line strip as a screen-space quad uLineWidth pixels wide plus a pixel of
// antialiasing: core profile does not promise glLineWidth above 1 (Mesa's llvmpipe clamps it).
// Segments are clipped to the near plane first, where the perspective divide is safe.
layout(lines) in;
layout(triangle_strip, max_vertices = 4) out;

uniform vec2 uViewportSize; // pixels of the area drawn into
uniform float uLineWidth;   // pixels (device pixels: already scaled by the pixel ratio)

in vec4 vColor[];
out vec4 gColor;
noperspective out float gAcross; // signed distance from the centre line, in pixels

void main() {
    vec4 a = gl_in[0].gl_Position, b = gl_in[1].gl_Position;
    vec4 ca = vColor[0], cb = vColor[1];
    // Distance to the near plane z = −w; both behind it: nothing to draw.
    float da = a.z + a.w, db = b.z + b.w;
    if (da < 0.0 && db < 0.0) return;
    if (da < 0.0) {
        float t = da / (da - db);
        a = mix(a, b, t);
        ca = mix(ca, cb, t);
    } else if (db < 0.0) {
        float t = db / (db - da);
        b = mix(b, a, t);
        cb = mix(cb, ca, t);
    }
    vec2 sa = a.xy / a.w * 0.5 * uViewportSize, sb = b.xy / b.w * 0.5 * uViewportSize;
    vec2 d = sb - sa;
    float len = length(d);
    vec2 dir = len > 1e-6 ? d / len : vec2(1.0, 0.0);
    float halfWidth = 0.5 * uLineWidth + 0.5;
    // The offset in NDC, times w so that it survives the divide.
    vec2 n = vec2(-dir.y, dir.x) * halfWidth * 2.0 / uViewportSize;
    gColor = ca;
    gAcross = -halfWidth;
    gl_Position = vec4(a.xy - n * a.w, a.zw);
    EmitVertex();
    gAcross = halfWidth;
    gl_Position = vec4(a.xy + n * a.w, a.zw);
    EmitVertex();
    gColor = cb;
    gAcross = -halfWidth;
    gl_Position = vec4(b.xy - n * b.w, b.zw);
    EmitVertex();
    gAcross = halfWidth;
    gl_Position = vec4(b.xy + n * b.w, b.zw);
    EmitVertex();
    EndPrimitive();
}
