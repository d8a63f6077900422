// Peak resident memory and wall time of a `poissonscope sample` run, measured from outside the
// process (wait4's ru_maxrss), for M = 10,000 charges and P = 100,000 particles by default.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
#include <vector>

int main(int argc, char** argv) {
    if (argc < 2) {
        std::fprintf(stderr, "usage: bench_sample_memory PATH/TO/poissonscope [M] [P] [steps]\n");
        return 2;
    }
    const std::string m = argc > 2 ? argv[2] : "10000";
    const std::string p = argc > 3 ? argv[3] : "100000";
    const std::string steps = argc > 4 ? argv[4] : "4";
    const std::string out = "/tmp/psc_bench_sample_" + std::to_string(getpid()) + ".npy";
    std::vector<std::string> args{argv[1],   "sample",      "--dataset", "two-moons", "--count",
                                  m,         "--particles", p,           "--D",       "128",
                                  "--steps", steps,         "--out",     out,         "--quiet"};
    std::vector<char*> cargs;
    for (auto& a : args) cargs.push_back(a.data());
    cargs.push_back(nullptr);
    const auto start = std::chrono::steady_clock::now();
    const pid_t pid = fork();
    if (pid == 0) {
        execv(cargs[0], cargs.data());
        std::perror("execv");
        _exit(127);
    }
    int status = 0;
    rusage usage{};
    wait4(pid, &status, 0, &usage);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::remove(out.c_str());
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        std::fprintf(stderr, "poissonscope sample failed (status %d)\n", status);
        return 1;
    }
    const double pairs = std::stod(m) * std::stod(p) * (2.0 * std::stod(steps) - 1.0);
    std::printf("poissonscope sample: M = %s, P = %s, heun, %s steps (%.3g pair evaluations)\n",
                m.c_str(), p.c_str(), steps.c_str(), pairs);
    std::printf("peak resident memory: %.1f MB, wall time %.2f s, %.3e pairs/s end to end\n",
                usage.ru_maxrss / 1024.0, seconds, pairs / seconds);
    return 0;
}
