// Flat colour with alpha; fully transparent fragments are dropped so they leave no depth.
in vec4 vColor;
out vec4 fragColor;

void main() {
    if (vColor.a < 0.004) discard;
    fragColor = vColor;
}
