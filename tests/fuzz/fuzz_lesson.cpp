// libFuzzer target for lesson files: any bytes either parse into a lesson of 1 to 64 steps or
// throw app::LessonError (scene errors inside steps included); anything else is a bug.
#include "app/scene/lesson.h"
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
    try {
        const Lesson lesson = parseLesson(json, QStringLiteral("/fuzz/lessons"));
        if (lesson.steps.empty() || lesson.steps.size() > 64) {
            std::fprintf(stderr, "fuzz: accepted lesson has %zu steps\n", lesson.steps.size());
            std::abort();
        }
    } catch (const LessonError&) {
    }
    return 0;
}
