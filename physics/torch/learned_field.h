// Learned PFGM++ denoisers: trained with LibTorch on a ChargeSet, saved and loaded; std types only.
#pragma once

#include "physics/charge_set.h"
#include "physics/denoiser.h"
#include "physics/progress.h"
#include "physics/samplers.h"

#include <cstdint>
#include <functional>
#include <limits>
#include <memory>
#include <optional>
#include <span>
#include <stdexcept>
#include <string>
#include <vector>

namespace psc::physics {

// The MLP F_θ: `depth` hidden layers of `width` SiLU units; its input is c_in·x (N values) next to
// `embedding` sinusoidal features of c_noise (sin and cos at embedding/2 frequencies, geometric
// from 0.1 to 4 rad per unit of c_noise); its output has N values.
struct NetworkShape {
    int width = 128;    // 1..4096
    int depth = 3;      // 1..32
    int embedding = 32; // even, 2..1024
};

struct TrainSettings {
    double d = 128.0;           // D >= 1 or kInfiniteD (validateExtraDims)
    int steps = 3000;           // optimiser steps, >= 0 (0: the seeded, untrained network)
    int batch = 512;            // samples per step, 1..2^20
    double learningRate = 1e-3; // Adam, > 0
    // EMA of the weights, in [0, 1); the EMA copy is what is used and saved. The decay ramps up
    // as min(emaDecay, (1 + t)/(10 + t)) so short runs are not dominated by the initial weights.
    double emaDecay = 0.999;
    NetworkShape shape;
    // Same seed, settings, data and thread count → the same weights bit for bit.
    std::uint64_t seed = 0;
    // LibTorch intra-op threads, set for the process (at::set_num_threads) at the start of every
    // train(); 0 = std::thread::hardware_concurrency(). The inter-op count is set to the same
    // value once per process if nothing set it before. With more than one thread, a pthread
    // build of OpenBLAS (Debian's) is set to one thread for the process: its spinning workers
    // and LibTorch's OpenMP workers otherwise starve each other (3.4× slower on 2 cores).
    int threads = 0;
    double pMean = -1.2, pStd = 1.2; // ln σ ~ N(pMean, pStd²) (EDM); pStd >= 0
    // The small-D remedy (physics/README.md §5a): the kernel's draws are truncated at this
    // quantile of R/σ (radialQuantile), in (0, 1]; 1 leaves the law whole. A field trained on a
    // truncated kernel is sampled from a prior truncated at the same radius (ModelInfo::noiseCap).
    double tailQuantile = 0.99;
    // σ_d of the preconditioning, >= 0. 0: the data's rmsSpread(), or 0.5 (EDM's value) when
    // the data have no spread (a single point).
    double sigmaData = 0;
};

// Empty when usable; otherwise a one-line reason ("batch must be in [1, 1048576], got 0").
std::optional<std::string> validateTrainSettings(const TrainSettings& settings);

struct TrainProgress {
    int step;    // optimiser steps done
    int steps;   // steps requested
    double loss; // mean weighted loss λ(σ)|D_θ − y|² of the steps since the last report
    double samplesPerSecond; // training throughput so far
    double etaSeconds;       // remaining steps at that throughput
};

// What a learned field was made from: our own network (trained here, saved as a Poissonscope
// archive) or a TorchScript module exported from PyTorch (torch.jit.script or torch.jit.trace).
enum class ModelFormat { Network, TorchScript };

// For a TorchScript module only format, dim, d, sigmaData (from its metadata, else the data's
// spread when scored), dataset and noiseCap (untruncated) mean anything; the rest keep defaults.
struct ModelInfo {
    ModelFormat format = ModelFormat::Network;
    int dim = 0;                // N
    double d = 0;               // D the noise was drawn with (kInfiniteD for EDM)
    double sigmaData = 0;       // σ_d actually used
    std::vector<double> center; // N values: the data's weighted mean; the network sees x − center
    std::string dataset;        // the name given to train(); a TorchScript module's file name
    TrainSettings settings;     // as given (sigmaData possibly 0; see the field above)
    int stepsDone = 0;          // < settings.steps when cancelled
    double finalLoss = 0;       // training loss of the last report window (NaN when no step ran)
    std::vector<double> lossHistory; // the loss of every report window (50 steps), in order
    int quantizedBits = 0;      // 0: full float32 weights; 5..9 after quantized()
    // Largest R/σ of the training noise: radialQuantile(dim, d, settings.tailQuantile), or
    // kUntruncated. Priors for this field use it as their maxRatio.
    double noiseCap = kUntruncated;
};

// The cap of R/σ that settings.tailQuantile gives for data of n coordinates (kUntruncated at 1).
double noiseCapFor(int n, double d, double tailQuantile);

// Whether this build has learned fields: false when configured with -DPSC_WITH_TORCH=OFF, where
// LearnedField::train and load, TorchDenoiser and the robustness experiment then throw
// LearnedFieldsNotBuiltIn with kLearnedFieldsNotBuiltIn as their message.
bool learnedFieldsBuiltIn();
inline constexpr const char* kLearnedFieldsNotBuiltIn =
    "learned fields are not built into this Poissonscope (it was configured with "
    "-DPSC_WITH_TORCH=OFF; build it with LibTorch for training and learned flows)";
inline constexpr const char* kTorchBackendNotBuiltIn =
    "the torch backend needs LibTorch, which this Poissonscope was built without "
    "(-DPSC_WITH_TORCH=OFF)";
class LearnedFieldsNotBuiltIn : public std::runtime_error {
public:
    explicit LearnedFieldsNotBuiltIn(const char* what = kLearnedFieldsNotBuiltIn)
        : std::runtime_error(what) {}
};

// load()/save() failures; what() names the file and the reason.
class ModelFileError : public std::runtime_error {
public:
    using std::runtime_error::runtime_error;
};

// One training draw per row (physics/README.md §5): y from the data with probability q_i,
// ln σ ~ N(pMean, pStd²), x = y + a draw from the PFGM++ kernel at r = σ√D. Exposed for tests and
// for showing the training noise. Deterministic for the rng's state.
struct TrainingSamples {
    std::vector<double> y;     // count*N
    std::vector<double> x;     // count*N
    std::vector<double> sigma; // count
};
TrainingSamples sampleTrainingBatch(const ChargeSet& data, double d, double pMean, double pStd,
                                    std::size_t count, Rng& rng, double maxRatio = kUntruncated);

// x − y for one row per σ (sigmas.size()*N values): finite D: R = σ√D·sqrt(u/(1−u)),
// u ~ Beta(N/2, D/2), uniform direction; D = ∞: σ·N(0, I). The perturbations the trainer uses.
std::vector<double> samplePerturbations(int n, double d, std::span<const double> sigmas, Rng& rng,
                                        double maxRatio = kUntruncated);

// How to read a TorchScript module, whose file need not say what it applies to. A module may
// carry a "poissonscope.json" extra file ({"D": 128, "N": 2, "sigma_data": 0.5}); what it says
// wins, and these fill in what it leaves out. Poissonscope archives carry all of it.
struct LoadOptions {
    int dim = 0;                                         // N; 0: none given
    double d = std::numeric_limits<double>::quiet_NaN(); // D; NaN: none given
};

// A learned denoiser D_θ(x, σ) ≈ x̂. Two implementations, both inside the LibTorch module
// (libpoissonscope-torch.so, loaded on first use, physics/plugin_library.h): our own network with
// EDM's preconditioning (physics/README.md §5), trained here, and a TorchScript module whose
// forward(x: Tensor[B, N] float32, sigma: Tensor[B] float32) -> Tensor[B, N] returns x̂ itself.
class LearnedField;

// Copies of the field while it trains (its EMA weights so far, info().stepsDone telling how far),
// so that a display can show what the network has learned during the wait.
struct TrainSnapshots {
    int every = 0; // optimiser steps between copies; 0: none. None after the last step.
    std::function<void(std::unique_ptr<LearnedField>)> take; // called on the training thread
};

class LearnedField : public Denoiser {
public:
    // Trains our network on the charges (positions; weights as sampling probabilities). progress
    // is called from the calling thread every 50 steps and after the last one; cancel is polled
    // before every step (the model so far is returned, info().stepsDone tells). Throws
    // std::invalid_argument for invalid settings, std::runtime_error for a LibTorch failure.
    static std::unique_ptr<LearnedField>
    train(const ChargeSet& data, const TrainSettings& settings, const std::string& datasetName,
          const std::function<void(const TrainProgress&)>& progress = {},
          const CancelFlag* cancel = nullptr, const TrainSnapshots& snapshots = {});

    // A Poissonscope archive, or else a TorchScript module (see LoadOptions). Throws
    // ModelFileError "path: reason": missing, neither format, corrupt, a TorchScript version
    // LibTorch 1.13 cannot read, no forward(x, sigma), a forward that fails or returns the wrong
    // shape on a probe batch, N or D neither given nor in the metadata. Like train(), throws
    // PluginError when the LibTorch module cannot be loaded, LearnedFieldsNotBuiltIn without one.
    static std::unique_ptr<LearnedField> load(const std::string& path,
                                              const LoadOptions& options = {});

    // Writes the field so that load() gives it back: a Poissonscope archive, or the TorchScript
    // module with its N and D in its metadata. A temporary sibling is renamed over path. Throws
    // ModelFileError.
    virtual void save(const std::string& path) const = 0;

    // A copy with every floating-point weight tensor quantised to `bits` (5..9): symmetric uniform
    // levels k·max|w|/(2^(bits−1) − 1), |k| <= 2^(bits−1) − 1 (the paper's post-training
    // quantisation, protocol (c)). Throws std::invalid_argument for other bit counts.
    virtual std::unique_ptr<LearnedField> quantized(int bits) const = 0;

    const ModelInfo& info() const { return m_info; }

    // Any number of points, no autograd; σ <= 0 or NaN returns x unchanged (the σ → 0 limit).
    // Thread-compatible: one caller at a time (LibTorch may use its threads inside).
    int dim() const override { return m_info.dim; }
    void denoise(std::span<const double> points, double sigma,
                 std::span<double> out) const override;
    // One batched evaluation with its own σ per row (no per-point calls).
    void denoiseEach(std::span<const double> points, std::span<const double> sigmas,
                     std::span<double> out) const override = 0;
    const char* name() const override { return "learned"; }
    double noiseCap() const override { return m_info.noiseCap; }

    // The mean weighted loss λ(σ)|D_θ − y|², λ = (σ² + σ_d²)/(σσ_d)² (EDM's weighting), over
    // `samples` fresh draws of sampleTrainingBatch with this model's D, pMean and pStd from
    // Rng(seed). data must have dim() coordinates (std::invalid_argument otherwise).
    virtual double evaluationLoss(const ChargeSet& data, int samples, std::uint64_t seed) const;

protected:
    explicit LearnedField(ModelInfo info) : m_info(std::move(info)) {}
    ModelInfo m_info;
};

} // namespace psc::physics
