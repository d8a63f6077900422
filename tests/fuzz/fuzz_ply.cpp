// libFuzzer target for the PLY point reader (ASCII and binary): any bytes either parse into a valid
// table or throw physics::PointIoError; anything else (another exception, a crash, a sanitizer
// report) is a bug.
#include "physics/point_io.h"
#include "tests/fuzz/fuzz_support.h"

#include <cstddef>
#include <cstdint>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size > psc::fuzz::kMaxInput) return 0;
    // Small limits so that the row and dimension checks are reachable with short inputs.
    const psc::physics::LoadLimits limits{.maxFileBytes = psc::fuzz::kMaxInput, .maxRows = 1000};
    try {
        psc::fuzz::checkTable(
            psc::physics::parsePly(psc::fuzz::asText(data, size), "fuzz.ply", limits), limits);
    } catch (const psc::physics::PointIoError&) {
    }
    return 0;
}
