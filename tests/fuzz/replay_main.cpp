// Replays fuzz inputs without libFuzzer: each file named on the command line, and each file in each
// folder named there (README* skipped, in name order), goes once through LLVMFuzzerTestOneInput.
// An exception that escapes fails the run with the file's name; a crash fails it after the
// "replay: <file>" line that names the input.
#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>
#include <system_error>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size);

namespace {

namespace fs = std::filesystem;

bool replay(const fs::path& file) {
    std::printf("replay: %s\n", file.string().c_str());
    std::fflush(stdout);
    std::error_code ec;
    const std::uintmax_t size = fs::file_size(file, ec);
    std::vector<char> bytes(ec ? 0 : static_cast<std::size_t>(size));
    std::ifstream in(file, std::ios::binary);
    if (ec || !in.read(bytes.data(), static_cast<std::streamsize>(bytes.size()))) {
        std::fprintf(stderr, "replay: cannot read %s\n", file.string().c_str());
        return false;
    }
    try {
        LLVMFuzzerTestOneInput(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
    } catch (const std::exception& e) {
        std::fprintf(stderr, "replay: %s: uncaught exception: %s\n", file.string().c_str(),
                     e.what());
        return false;
    } catch (...) {
        std::fprintf(stderr, "replay: %s: uncaught non-std exception\n", file.string().c_str());
        return false;
    }
    return true;
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: %s FILE_OR_FOLDER...\n", argv[0]);
        return 2;
    }
    std::size_t count = 0;
    bool ok = true;
    for (int i = 1; i < argc; ++i) {
        const fs::path arg(argv[i]);
        std::vector<fs::path> files;
        std::error_code ec;
        if (fs::is_directory(arg, ec)) {
            for (const auto& entry : fs::directory_iterator(arg, ec))
                if (entry.is_regular_file() &&
                    !entry.path().filename().string().starts_with("README"))
                    files.push_back(entry.path());
            std::sort(files.begin(), files.end());
        } else if (fs::is_regular_file(arg, ec)) {
            files.push_back(arg);
        } else {
            std::fprintf(stderr, "replay: no such file or folder: %s\n", argv[i]);
            return 2;
        }
        for (const fs::path& file : files) {
            ok = replay(file) && ok;
            ++count;
        }
    }
    std::printf("replay: %zu inputs, %s\n", count, ok ? "all passed" : "FAILED");
    return ok ? 0 : 1;
}
