// Round sprites: charges (shaded spheres), particles and the end-point cloud (soft glows).
layout(location = 0) in vec3 aPosition;
layout(location = 1) in float aSize; // diameter in logical pixels
layout(location = 2) in vec4 aColor;

uniform mat4 uViewProjection;
uniform float uPixelRatio;

out vec4 vColor;

void main() {
    gl_Position = uViewProjection * vec4(aPosition, 1.0);
    gl_PointSize = max(aSize * uPixelRatio, 1.0);
    vColor = aColor;
}
