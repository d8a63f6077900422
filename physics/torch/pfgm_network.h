// Internal to the LibTorch module: F_θ and EDM preconditioning.
#pragma once

#include "physics/torch/learned_field.h"

#include <torch/torch.h>

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace psc::physics::detail {

// EDM's preconditioning at one σ (physics/README.md §5): D_θ = c_skip x + c_out F_θ(c_in x,
// c_noise).
struct Preconditioning {
    double cSkip, cOut, cIn, cNoise;
};
Preconditioning precondition(double sigma, double sigmaData);

// Rows [begin, begin + rows) of s, centred, as the network's input c_in x (float32 B×N), c_noise
// (float32 B) and regression target (y − c_skip x)/c_out (float64 B×N). |F_θ − target|² equals
// the weighted loss λ(σ)|D_θ − y|² (λ = 1/c_out²) without dividing a float32 difference of nearly
// equal numbers by a tiny c_out at small σ.
struct NetBatch {
    torch::Tensor input, cNoise, target;
};
NetBatch toNetBatch(const TrainingSamples& s, std::size_t begin, std::size_t rows,
                    std::span<const double> center, double sigmaData);

// Weights as a flat list (w0, b0, …, w_out, b_out) rather than torch::nn modules: the
// initialisation is seeded locally (torch::nn would draw from LibTorch's global generator), and
// EMA, quantisation and serialisation are loops over one vector.
class PfgmNetwork {
public:
    // PyTorch's nn.Linear law (uniform ±1/√fan_in for weights and biases) from mt19937_64(seed).
    PfgmNetwork(int dim, int width, int depth, int embedding, std::uint64_t seed);

    // F_θ: input B×N, cNoise B (float32) → B×N float32.
    torch::Tensor forward(const torch::Tensor& input, const torch::Tensor& cNoise) const;

    std::vector<torch::Tensor>& parameters() { return m_params; }
    const std::vector<torch::Tensor>& parameters() const { return m_params; }

    // A deep copy without autograd.
    PfgmNetwork clone() const;
    void setRequiresGrad(bool on);
    // this ← decay·this + (1 − decay)·from, in place, no autograd.
    void blendFrom(const PfgmNetwork& from, double decay);
    // Symmetric uniform levels per tensor (see LearnedField::quantized).
    PfgmNetwork quantized(int bits) const;

    // Tensors under the keys "net_0", "net_1", …; read() throws std::runtime_error naming the
    // missing, mis-shaped or non-finite tensor.
    void write(torch::serialize::OutputArchive& archive) const;
    void read(torch::serialize::InputArchive& archive);

private:
    std::vector<std::vector<int64_t>> shapes() const;

    int m_dim = 0, m_width = 0, m_depth = 0, m_embedding = 0;
    std::vector<torch::Tensor> m_params;
    torch::Tensor m_frequencies; // embedding/2 float32, fixed by the format
};

// LibTorch's exceptions carry a backtrace after the first line.
std::string firstLine(const char* text);

// The paper's post-training quantisation (protocol (c)) of one weight tensor, in place:
// symmetric uniform levels k·max|w|/(2^(bits−1) − 1). Throws std::invalid_argument unless
// bits is in [5, 9]. Both kinds of learned field quantise with it.
void quantizeInPlace(torch::Tensor& weights, int bits);

// A saved model's bytes written to a temporary sibling and renamed over path; ModelFileError
// "path: reason" otherwise.
void writeModelFile(const std::string& path, const std::string& bytes);

} // namespace psc::physics::detail
