// Training and evaluation of our own learned PFGM++ denoiser with LibTorch.
#include "physics/torch/network_field.h"

#include "physics/extra_dims.h"
#include "physics/torch/training_draws.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <dlfcn.h>
#include <limits>
#include <sstream>
#include <thread>

namespace psc::physics {
namespace {

constexpr int kReportEvery = 50;
constexpr int64_t kEvalChunk = 8192;

// LibTorch's OpenMP workers and the pthread build of OpenBLAS (Debian's default) both spin while
// waiting for work; with both pools at the core count they starve each other (a 128×3 MLP trained
// 3.4× slower on 2 cores). So OpenBLAS gets one thread when LibTorch has several. Looked up at run
// time: other BLAS builds (and OpenBLAS's OpenMP build, which follows LibTorch) are left alone.
void keepOpenBlasOffTorchThreads(int torchThreads) {
    if (torchThreads <= 1) return;
    const auto parallel = reinterpret_cast<int (*)()>(dlsym(RTLD_DEFAULT, "openblas_get_parallel"));
    const auto setThreads =
        reinterpret_cast<void (*)(int)>(dlsym(RTLD_DEFAULT, "openblas_set_num_threads"));
    if (parallel && setThreads && parallel() == 1) setThreads(1);
}

} // namespace

namespace detail {

std::unique_ptr<LearnedField>
trainNetwork(const ChargeSet& data, const TrainSettings& settings, const std::string& datasetName,
             const std::function<void(const TrainProgress&)>& progress, const CancelFlag* cancel,
             const TrainSnapshots& snapshots) {
    if (auto err = validateTrainSettings(settings))
        throw std::invalid_argument("physics::LearnedField: " + *err);
    const int threads = settings.threads > 0
                            ? settings.threads
                            : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
    at::set_num_threads(threads);
    keepOpenBlasOffTorchThreads(threads);
    // LibTorch accepts the inter-op count once per process, before its pool starts; a second
    // attempt throws, and then the first setting stands.
    try {
        at::set_num_interop_threads(threads);
    } catch (const c10::Error&) {
    }

    ModelInfo info;
    info.dim = data.dim();
    info.d = settings.d;
    const double spread = data.rmsSpread();
    info.sigmaData = settings.sigmaData > 0 ? settings.sigmaData : (spread > 0 ? spread : 0.5);
    info.center = data.mean();
    info.dataset = datasetName;
    info.settings = settings;
    info.finalLoss = std::numeric_limits<double>::quiet_NaN();
    info.noiseCap = noiseCapFor(info.dim, settings.d, settings.tailQuantile);

    try {
        const auto& shape = settings.shape;
        // The initial weights get their own stream so they do not depend on the batch draws.
        detail::PfgmNetwork net(info.dim, shape.width, shape.depth, shape.embedding,
                                settings.seed ^ 0x5851F42D4C957F2Dull);
        detail::PfgmNetwork ema = net.clone();
        net.setRequiresGrad(true);
        torch::optim::Adam adam(net.parameters(), torch::optim::AdamOptions(settings.learningRate));

        Rng rng(settings.seed);
        TrainingRowPicker pick(data);
        const auto start = std::chrono::steady_clock::now();
        double windowLoss = 0;
        int windowSteps = 0;
        for (int step = 0; step < settings.steps; ++step) {
            if (cancel && cancel->load()) break;
            const auto samples =
                drawTrainingBatch(data, pick, settings.d, settings.pMean, settings.pStd,
                                  settings.batch, rng, info.noiseCap);
            const auto b =
                detail::toNetBatch(samples, 0, settings.batch, info.center, info.sigmaData);
            adam.zero_grad();
            auto loss = (net.forward(b.input, b.cNoise) - b.target.to(torch::kFloat32))
                            .square()
                            .sum(1)
                            .mean();
            loss.backward();
            adam.step();
            const double t = step;
            ema.blendFrom(net, std::min(settings.emaDecay, (1 + t) / (10 + t)));

            windowLoss += loss.item<double>();
            ++windowSteps;
            info.stepsDone = step + 1;
            if (info.stepsDone % kReportEvery == 0 || info.stepsDone == settings.steps) {
                info.finalLoss = windowLoss / windowSteps;
                info.lossHistory.push_back(info.finalLoss);
                if (progress) {
                    const double seconds =
                        std::chrono::duration<double>(std::chrono::steady_clock::now() - start)
                            .count();
                    const double rate =
                        seconds > 0 ? info.stepsDone * double(settings.batch) / seconds : 0;
                    const double left = double(settings.steps - info.stepsDone) * settings.batch;
                    progress({info.stepsDone, settings.steps, info.finalLoss, rate,
                              rate > 0 ? left / rate : 0});
                }
                windowLoss = 0;
                windowSteps = 0;
            }
            if (snapshots.every > 0 && snapshots.take && info.stepsDone % snapshots.every == 0 &&
                info.stepsDone < settings.steps)
                snapshots.take(std::make_unique<NetworkField>(info, ema.clone()));
        }
        if (windowSteps > 0) info.finalLoss = windowLoss / windowSteps;
        return std::make_unique<NetworkField>(std::move(info), std::move(ema));
    } catch (const c10::Error& err) {
        throw std::runtime_error("physics::LearnedField: LibTorch failed: " +
                                 detail::firstLine(err.what()));
    }
}

void NetworkField::denoiseEach(std::span<const double> points, std::span<const double> sigmas,
                               std::span<double> out) const {
    const int n = m_info.dim;
    const auto count = static_cast<int64_t>(sigmas.size());
    torch::NoGradGuard noGrad;
    const auto& c = m_info.center;
    std::vector<float> input, cNoise;
    std::vector<detail::Preconditioning> pre;
    for (int64_t begin = 0; begin < count; begin += kEvalChunk) {
        const int64_t rows = std::min(kEvalChunk, count - begin);
        input.resize(rows * n);
        cNoise.resize(rows);
        pre.resize(rows);
        for (int64_t r = 0; r < rows; ++r) {
            const double sigma = sigmas[begin + r];
            // σ <= 0 (or NaN) is the σ → 0 limit: c_skip = 1, c_out = 0, whatever F_θ says.
            pre[r] = sigma > 0 ? detail::precondition(sigma, m_info.sigmaData)
                               : detail::Preconditioning{1.0, 0.0, 0.0, 0.0};
            cNoise[r] = static_cast<float>(pre[r].cNoise);
            for (int i = 0; i < n; ++i)
                input[r * n + i] =
                    static_cast<float>(pre[r].cIn * (points[(begin + r) * n + i] - c[i]));
        }
        const auto f = m_net
                           .forward(torch::from_blob(input.data(), {rows, n}, torch::kFloat32),
                                    torch::from_blob(cNoise.data(), {rows}, torch::kFloat32))
                           .to(torch::kFloat64)
                           .contiguous();
        const double* fv = f.data_ptr<double>();
        // Element by element, reading x before writing x̂, so points and out may alias.
        for (int64_t r = 0; r < rows; ++r)
            for (int i = 0; i < n; ++i) {
                const int64_t at = (begin + r) * n + i;
                if (!(sigmas[begin + r] > 0)) {
                    out[at] = points[at]; // whatever F_θ says, even NaN
                    continue;
                }
                const double x = points[at] - c[i];
                out[at] = c[i] + pre[r].cSkip * x + pre[r].cOut * fv[r * n + i];
            }
    }
}

double NetworkField::evaluationLoss(const ChargeSet& data, int samples, std::uint64_t seed) const {
    if (data.dim() != m_info.dim)
        throw std::invalid_argument("physics::LearnedField: data have " +
                                    std::to_string(data.dim()) + " coordinates, the model " +
                                    std::to_string(m_info.dim));
    if (samples <= 0) return std::numeric_limits<double>::quiet_NaN();
    torch::NoGradGuard noGrad;
    Rng rng(seed);
    const auto& s = m_info.settings;
    const auto batch =
        sampleTrainingBatch(data, m_info.d, s.pMean, s.pStd, samples, rng, m_info.noiseCap);
    double total = 0;
    for (std::size_t begin = 0; begin < std::size_t(samples); begin += kEvalChunk) {
        const auto rows = std::min<std::size_t>(kEvalChunk, samples - begin);
        const auto b = detail::toNetBatch(batch, begin, rows, m_info.center, m_info.sigmaData);
        total += (m_net.forward(b.input, b.cNoise).to(torch::kFloat64) - b.target)
                     .square()
                     .sum()
                     .item<double>();
    }
    return total / samples;
}

std::unique_ptr<LearnedField> NetworkField::quantized(int bits) const {
    auto net = m_net.quantized(bits);
    ModelInfo info = m_info;
    info.quantizedBits = bits;
    return std::make_unique<NetworkField>(std::move(info), std::move(net));
}

} // namespace detail
} // namespace psc::physics
