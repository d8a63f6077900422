// How long `poissonscope` takes to start and finish the commands that scripts call in loops, and
// what it holds: wall time (median of repeated runs), peak resident memory (wait4's ru_maxrss) and
// the shared objects mapped at exit. The baseline, in the same process: the same commands with the
// LibTorch and video modules forced in at start (LD_PRELOAD), which is what every start paid when
// the binary linked LibTorch and FFmpeg directly. A second binary (say, an older build) may be
// given to time beside them.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <set>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

namespace {

struct Run {
    double seconds = 0;
    long maxRssKb = 0;
    std::size_t libraries = 0;
    bool ok = false;
};

// One run; the libraries are counted by a second run that stops at exit (LD_BIND_NOW is not
// needed: what is mapped at exit is what was loaded).
Run runOnce(const std::vector<std::string>& args, const std::string& preload) {
    std::vector<std::string> owned = args;
    std::vector<char*> argv;
    for (auto& a : owned) argv.push_back(a.data());
    argv.push_back(nullptr);
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid == 0) {
        if (!preload.empty()) setenv("LD_PRELOAD", preload.c_str(), 1);
        const int devnull = open("/dev/null", O_WRONLY);
        dup2(devnull, 1);
        dup2(devnull, 2);
        execv(argv[0], argv.data());
        _exit(127);
    }
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    Run run;
    run.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    run.maxRssKb = usage.ru_maxrss;
    run.ok = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    return run;
}

// Shared objects a run maps: LD_DEBUG=files lists each one as it is loaded.
std::size_t librariesLoaded(const std::vector<std::string>& args, const std::string& preload) {
    const std::string log = "/tmp/psc_bench_startup_" + std::to_string(getpid());
    std::string command = "LD_DEBUG=files LD_DEBUG_OUTPUT=" + log + " ";
    if (!preload.empty()) command += "LD_PRELOAD=" + preload + " ";
    for (const auto& a : args) command += "'" + a + "' ";
    command += ">/dev/null 2>&1";
    if (std::system(command.c_str()) != 0) return 0;
    std::set<std::string> names;
    for (const auto& entry : std::filesystem::directory_iterator("/tmp")) {
        const auto name = entry.path().string();
        if (name.rfind(log, 0) != 0) continue;
        std::ifstream in(name);
        for (std::string line; std::getline(in, line);) {
            const auto at = line.find("file=");
            if (at != std::string::npos && line.find("generating link map") != std::string::npos)
                names.insert(line.substr(at + 5, line.find(' ', at + 5) - at - 5));
        }
        std::filesystem::remove(entry.path());
    }
    return names.size();
}

Run measure(const std::vector<std::string>& args, const std::string& preload, int repeats) {
    std::vector<double> times;
    Run best;
    for (int i = 0; i < repeats; ++i) {
        const Run r = runOnce(args, preload);
        if (!r.ok) return r;
        times.push_back(r.seconds);
        best.maxRssKb = std::max(best.maxRssKb, r.maxRssKb);
    }
    std::sort(times.begin(), times.end());
    best.seconds = times[times.size() / 2];
    best.libraries = librariesLoaded(args, preload);
    best.ok = true;
    return best;
}

void print(const char* label, const Run& r) {
    if (!r.ok) {
        std::printf("  %-28s failed\n", label);
        return;
    }
    std::printf("  %-28s %8.1f ms %8.1f MB %6zu libraries\n", label, r.seconds * 1e3,
                r.maxRssKb / 1024.0, r.libraries);
}

} // namespace

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr,
                     "usage: bench_startup PATH/TO/poissonscope [repeats] [OTHER-BINARY]\n");
        return 2;
    }
    const std::string exe = std::filesystem::absolute(argv[1]).string();
    const int repeats = argc > 2 ? std::max(1, std::atoi(argv[2])) : 21;
    const std::string other = argc > 3 ? std::filesystem::absolute(argv[3]).string() : "";
    const auto dir = std::filesystem::path(exe).parent_path();
    std::string preload;
    for (const char* module : {"libpoissonscope-torch.so", "libpoissonscope-video.so"})
        if (std::filesystem::exists(dir / module))
            preload += (preload.empty() ? "" : ":") + (dir / module).string();
    const std::string out = "/tmp/psc_bench_startup_" + std::to_string(getpid()) + ".npy";
    const std::vector<std::pair<const char*, std::vector<std::string>>> commands{
        {"--version", {"--version"}},
        {"datasets", {"datasets"}},
        {"sample (exact, 50 points)",
         {"sample", "--dataset", "two-moons", "--count", "200", "--particles", "50", "--steps", "8",
          "--quiet", "--out", out}},
    };
    std::printf("bench_startup: %s, median of %d runs (modules preloaded: %s)\n", exe.c_str(),
                repeats, preload.empty() ? "none found" : preload.c_str());
    for (const auto& [label, args] : commands) {
        std::vector<std::string> full{exe};
        full.insert(full.end(), args.begin(), args.end());
        std::printf("%s\n", label);
        const Run lazy = measure(full, "", repeats);
        print("lazy (as shipped)", lazy);
        if (!preload.empty()) {
            const Run eager = measure(full, preload, repeats);
            print("modules loaded at start", eager);
            if (lazy.ok && eager.ok)
                std::printf("  %-28s %8.1fx faster, %.1fx less memory\n", "ratio",
                            eager.seconds / lazy.seconds,
                            static_cast<double>(eager.maxRssKb) / lazy.maxRssKb);
        }
        if (!other.empty()) {
            full[0] = other;
            const Run old = measure(full, "", repeats);
            print(std::filesystem::path(other).filename().c_str(), old);
            if (lazy.ok && old.ok)
                std::printf("  %-28s %8.1fx faster\n", "ratio to it", old.seconds / lazy.seconds);
        }
    }
    std::remove(out.c_str());
    return 0;
}
