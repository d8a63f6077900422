// The real data sets' CSV files (assets/data/sklearn), compiled into the binary.
#pragma once

#include <string_view>

namespace psc::physics {

// The text of the file whose name without extension is `name` ("iris"); empty if there is none.
std::string_view builtinDataFile(std::string_view name);

} // namespace psc::physics
