// libFuzzer target for the XYZ point cloud reader: any bytes either parse into a valid table
// or throw physics::PointIoError; anything else (another exception, a crash, a sanitizer report)
// is a bug.
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
            psc::physics::parseXyz(psc::fuzz::asText(data, size), "fuzz.xyz", limits), limits);
    } catch (const psc::physics::PointIoError&) {
    }
    return 0;
}
