// libFuzzer target for scene files: any bytes either parse or throw app::SceneFileError, and a
// parsed scene written back with sceneToJson reads back as the same scene.
#include "app/scene/scene_file.h"
#include "tests/fuzz/fuzz_support.h"

#include <QByteArray>
#include <QString>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace psc::app;
    if (size > psc::fuzz::kMaxInput) return 0;
    const QByteArray json =
        QByteArray::fromRawData(reinterpret_cast<const char*>(data), static_cast<qsizetype>(size));
    SceneFile file;
    try {
        file = sceneFromJson(json, QStringLiteral("/fuzz/scenes"));
    } catch (const SceneFileError&) {
        return 0;
    }
    // Not caught: the writer's output of an accepted scene must be accepted again.
    const SceneFile again = sceneFromJson(sceneToJson(file), QString());
    if (!(again.scene == file.scene && again.view == file.view && again.camera == file.camera)) {
        std::fprintf(stderr, "fuzz: scene changed in a write/read round trip:\n%s\n",
                     sceneToJson(file).constData());
        std::abort();
    }
    return 0;
}
