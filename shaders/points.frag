// uStyle 0: a lit sphere with a dark rim, so overlapping charges stay distinguishable;
// uStyle 1: a Gaussian glow that adds up where many particles land;
// uStyle 2: a flat square dot (tens of thousands of charges and more: a picture, a scan).
in vec4 vColor;
out vec4 fragColor;

uniform int uStyle;

void main() {
    if (uStyle == 2) {
        fragColor = vColor;
        return;
    }
    vec2 p = gl_PointCoord * 2.0 - 1.0;
    float r2 = dot(p, p);
    if (r2 > 1.0) discard;
    if (uStyle == 0) {
        vec3 normal = vec3(p.x, -p.y, sqrt(1.0 - r2));
        float light = 0.35 + 0.65 * max(dot(normal, normalize(vec3(-0.4, 0.5, 0.8))), 0.0);
        float rim = smoothstep(0.75, 1.0, r2);
        fragColor = vec4(mix(vColor.rgb * light, vColor.rgb * 0.25, rim), vColor.a);
    } else {
        fragColor = vec4(vColor.rgb, vColor.a * exp(-3.0 * r2));
    }
}
