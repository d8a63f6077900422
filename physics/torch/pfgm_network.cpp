// The SiLU MLP with a sinusoidal c_noise embedding behind LearnedField.
#include "physics/torch/pfgm_network.h"

#include "physics/file_util.h"
#include "physics/point_io.h"

#include <cmath>
#include <random>
#include <stdexcept>

namespace psc::physics::detail {
namespace {

torch::Tensor frequencies(int embedding) {
    const int half = embedding / 2;
    std::vector<float> f(half);
    // 0.1 to 4 rad per unit of c_noise = ln σ / 4: smooth in σ (the slowest feature is monotone
    // over σ in [1e-4, 1e4]); faster features only slowed the toy fits down in trials.
    for (int k = 0; k < half; ++k)
        f[k] = static_cast<float>(0.1 * std::pow(40.0, half > 1 ? double(k) / (half - 1) : 0.0));
    return torch::tensor(f);
}

} // namespace

Preconditioning precondition(double sigma, double sigmaData) {
    const double s2 = sigma * sigma + sigmaData * sigmaData;
    return {sigmaData * sigmaData / s2, sigma * sigmaData / std::sqrt(s2), 1.0 / std::sqrt(s2),
            std::log(sigma) / 4.0};
}

NetBatch toNetBatch(const TrainingSamples& s, std::size_t begin, std::size_t rows,
                    std::span<const double> center, double sigmaData) {
    const int n = static_cast<int>(center.size());
    std::vector<double> input(rows * n), target(rows * n), cNoise(rows);
    for (std::size_t i = 0; i < rows; ++i) {
        const auto p = precondition(s.sigma[begin + i], sigmaData);
        cNoise[i] = p.cNoise;
        for (int k = 0; k < n; ++k) {
            const std::size_t src = (begin + i) * n + k, dst = i * n + k;
            const double x = s.x[src] - center[k], y = s.y[src] - center[k];
            input[dst] = p.cIn * x;
            target[dst] = (y - p.cSkip * x) / p.cOut;
        }
    }
    const auto r = static_cast<int64_t>(rows);
    // from_blob borrows the vectors: convert or clone before they go.
    return {torch::from_blob(input.data(), {r, n}, torch::kFloat64).to(torch::kFloat32),
            torch::from_blob(cNoise.data(), {r}, torch::kFloat64).to(torch::kFloat32),
            torch::from_blob(target.data(), {r, n}, torch::kFloat64).clone()};
}

PfgmNetwork::PfgmNetwork(int dim, int width, int depth, int embedding, std::uint64_t seed)
    : m_dim(dim), m_width(width), m_depth(depth), m_embedding(embedding),
      m_frequencies(frequencies(embedding)) {
    std::mt19937_64 rng(seed);
    for (const auto& shape : shapes()) {
        const int64_t fanIn = shape.size() == 2 ? shape[1] : m_params.back().size(1);
        const double bound = 1.0 / std::sqrt(static_cast<double>(fanIn));
        std::uniform_real_distribution<double> uniform(-bound, bound);
        int64_t count = 1;
        for (auto s : shape) count *= s;
        std::vector<float> values(count);
        for (auto& v : values) v = static_cast<float>(uniform(rng));
        m_params.push_back(torch::tensor(values).reshape(shape));
    }
}

std::vector<std::vector<int64_t>> PfgmNetwork::shapes() const {
    std::vector<std::vector<int64_t>> result;
    int64_t in = m_dim + m_embedding;
    for (int layer = 0; layer < m_depth; ++layer) {
        result.push_back({m_width, in});
        result.push_back({m_width});
        in = m_width;
    }
    result.push_back({m_dim, in});
    result.push_back({m_dim});
    return result;
}

torch::Tensor PfgmNetwork::forward(const torch::Tensor& input, const torch::Tensor& cNoise) const {
    const auto phase = cNoise.unsqueeze(1) * m_frequencies.unsqueeze(0);
    auto h = torch::cat({input, torch::sin(phase), torch::cos(phase)}, 1);
    const std::size_t hidden = m_params.size() - 2;
    for (std::size_t i = 0; i < hidden; i += 2)
        h = torch::silu(torch::addmm(m_params[i + 1], h, m_params[i].t()));
    return torch::addmm(m_params[hidden + 1], h, m_params[hidden].t());
}

PfgmNetwork PfgmNetwork::clone() const {
    PfgmNetwork copy = *this;
    for (auto& p : copy.m_params) p = p.detach().clone();
    return copy;
}

void PfgmNetwork::setRequiresGrad(bool on) {
    for (auto& p : m_params) p.requires_grad_(on);
}

void PfgmNetwork::blendFrom(const PfgmNetwork& from, double decay) {
    torch::NoGradGuard noGrad;
    for (std::size_t i = 0; i < m_params.size(); ++i)
        m_params[i].mul_(decay).add_(from.m_params[i].detach(), 1.0 - decay);
}

PfgmNetwork PfgmNetwork::quantized(int bits) const {
    torch::NoGradGuard noGrad;
    PfgmNetwork copy = clone();
    for (auto& p : copy.m_params) quantizeInPlace(p, bits);
    return copy;
}

void PfgmNetwork::write(torch::serialize::OutputArchive& archive) const {
    for (std::size_t i = 0; i < m_params.size(); ++i)
        archive.write("net_" + std::to_string(i), m_params[i].detach());
}

void PfgmNetwork::read(torch::serialize::InputArchive& archive) {
    const auto expected = shapes();
    std::vector<torch::Tensor> params;
    for (std::size_t i = 0; i < expected.size(); ++i) {
        const std::string key = "net_" + std::to_string(i);
        torch::Tensor t;
        if (!archive.try_read(key, t)) throw std::runtime_error("tensor '" + key + "' is missing");
        if (t.scalar_type() != torch::kFloat32 || t.sizes() != c10::IntArrayRef(expected[i]))
            throw std::runtime_error("tensor '" + key + "' has the wrong type or shape");
        if (!torch::isfinite(t).all().item<bool>())
            throw std::runtime_error("tensor '" + key + "' has non-finite values");
        params.push_back(t.contiguous());
    }
    m_params = std::move(params);
}

std::string firstLine(const char* text) {
    const std::string s(text);
    return s.substr(0, s.find('\n'));
}

void quantizeInPlace(torch::Tensor& weights, int bits) {
    if (bits < 5 || bits > 9)
        throw std::invalid_argument(
            "physics::LearnedField: quantisation bits must be in [5, 9], got " +
            std::to_string(bits));
    torch::NoGradGuard noGrad;
    const double maxAbs = weights.abs().max().item<double>();
    if (!(maxAbs > 0)) return;
    const double levels = std::ldexp(1.0, bits - 1) - 1;
    const double step = maxAbs / levels;
    weights.div_(step).round_().clamp_(-levels, levels).mul_(step);
}

void writeModelFile(const std::string& path, const std::string& bytes) {
    try {
        writeAtomically(path, [&](std::FILE* file) {
            return std::fwrite(bytes.data(), 1, bytes.size(), file) == bytes.size();
        });
    } catch (const PointIoError& e) {
        throw ModelFileError(e.what());
    }
}

} // namespace psc::physics::detail
