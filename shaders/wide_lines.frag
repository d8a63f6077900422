// Wide lines' coverage: full inside uLineWidth, falling to 0 over the outer pixel.
uniform float uLineWidth;

in vec4 gColor;
noperspective in float gAcross;
out vec4 fragColor;

void main() {
    float coverage = clamp(0.5 * uLineWidth + 0.5 - abs(gAcross), 0.0, 1.0);
    float alpha = gColor.a * coverage;
    if (alpha < 0.004) discard;
    fragColor = vec4(gColor.rgb, alpha);
}
