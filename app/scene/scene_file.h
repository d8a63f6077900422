// Scene files: a scene, its view and optionally a camera pose as versioned JSON (*.json presets).
#pragma once

#include "app/scene/scene_settings.h"
#include "render/camera.h"

#include <glm/glm.hpp>

#include <QByteArray>
#include <QString>

#include <optional>
#include <stdexcept>

namespace psc::app {

// Everything that is wrong with a scene file, on one line: "field.D: must be a number >= 1 or
// \"inf\"", "data.dataset: unknown data set 'moons'", "cannot write 'x': reason". Thrown by every
// function below; loadSceneFile prefixes the file name ("scene.json: field.D: ...").
class SceneFileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// An OrbitCamera pose. Angles in radians, distance in world units (see render::OrbitCamera).
// The defaults are those of a default-constructed OrbitCamera.
struct CameraState {
    glm::vec3 target{0.0f};
    float distance = 1.0f;
    float yaw = 0.0f;
    float pitch = 0.0f;
    float fovY = render::OrbitCamera::kDefaultFovY;
    // The camera follows the flow's clock: only its angles and field of view are the pose's, and
    // the framing (target, distance) comes from the clock. Absent in a file: false, the pose is
    // kept as written.
    bool follow = false;

    bool operator==(const CameraState&) const = default;
};

CameraState cameraState(const render::OrbitCamera& camera);
// Sets target, distance, yaw, pitch and fovY through the camera's setters, so they are clamped
// (and wrapped) as those document and a running animation stops. The scene sphere and the home
// framing are left alone: apply after fitBounds, which would overwrite target and distance.
void applyCameraState(render::OrbitCamera& camera, const CameraState& state);

struct SceneFile {
    SceneSettings scene;
    ViewSettings view;
    std::optional<CameraState> camera; // absent: the viewer frames the data itself
};

inline constexpr int kSceneFileVersion = 1;
inline constexpr qint64 kMaxSceneFileBytes = 4 * 1024 * 1024;

// Indented UTF-8 JSON (Qt writes object keys in alphabetical order):
//   "format": "poissonscope-scene", "version": 1,
//   "data", "field", "view": every key of the key table (scene_keys.h) in its section, in the
//            JSON type of its kind: numbers, D as a number or "inf" (the diffusion limit), seeds
//            as integers (decimal strings above 2^53, where JSON readers stop being exact),
//            choices as their names, layers as an array of names, flags as booleans. Keys that
//            are unset (a data set's own count or noise) are omitted. data.path is present when
//            scene.dataPath is set (it then replaces the data set, which is kept for when it is
//            cleared), and data.charges when scene.editedPositions is: [[x1, x2, weight], ...]
//            ([x1, x2] pairs when editedWeights does not hold one weight per charge),
//   "camera" (only when present): target [x, y, z], distance, yaw, pitch, fovY.
// Floats are written in their shortest form that reads back to the same float.
// With an empty baseDir the data path is written as given. Otherwise it is made absolute (a
// relative one against the working directory) and written relative to baseDir, with '/'
// separators, when it lies below baseDir, else absolute. Symbolic links are not resolved.
// Values are not validated: a NaN or an infinite number other than D becomes null, which
// sceneFromJson rejects.
QByteArray sceneToJson(const SceneFile& file, const QString& baseDir = {});

// Parses a scene file. Strict about what is there, lenient about what is not: unknown keys are
// ignored (newer minor additions), missing keys take the defaults of SceneSettings, ViewSettings
// and CameraState, but a key of the wrong type or outside the range of its row in the key table
// throws SceneFileError naming it ("field.steps: must be an integer in [1, 100000] (got 0)"), as
// does a broken relation ("field.sigmaMax: must be a number > sigmaMin = 100"). Also checked:
//   format == "poissonscope-scene", version == 1 (both required);
//   data.charges a non-empty array of all [x1, x2] or all [x1, x2, weight] with finite numbers
//           and weight > 0 (pairs leave editedWeights empty: uniform);
//   camera: target an array of three numbers, distance > 0, yaw and pitch numbers, fovY in (0, π)
//           (the camera clamps further when applied).
// Integers may be written as 32.0 but not 32.5. A relative data path is resolved against
// baseDir (cleaned, absolute when baseDir is); with an empty baseDir it is kept as written.
SceneFile sceneFromJson(const QByteArray& json, const QString& baseDir);

// Reads and parses path; relative data paths resolve against the file's folder. Refuses files over
// kMaxSceneFileBytes and folders. Every message starts with the file name ("scene.json: ...").
SceneFile loadSceneFile(const QString& path);

// Writes sceneToJson(file, folder of path) atomically (QSaveFile): on failure the old file, or
// none, stays in place and SceneFileError("cannot write 'path': reason") is thrown. A relative
// scene.dataPath is taken relative to the working directory.
void saveSceneFile(const QString& path, const SceneFile& file);

} // namespace psc::app
