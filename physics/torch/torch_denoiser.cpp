// LibTorch implementation of the exact denoiser: the "straightforward" baseline and the torch
// backend (TorchDenoiser reaches it through the module's table).
#include "physics/torch/torch_plugin_parts.h"

#include "physics/extra_dims.h"

#include <torch/torch.h>

#include <algorithm>
#include <stdexcept>
#include <thread>

namespace psc::physics::detail {
namespace {

class TensorDenoiser final : public Denoiser {
public:
    TensorDenoiser(const ChargeSet& charges, double d, int threads, std::size_t chunk);
    int dim() const override { return m_dim; }
    void denoise(std::span<const double> points, double sigma,
                 std::span<double> out) const override;
    const char* name() const override { return "torch"; }
    bool onCuda() const { return m_impl->device.is_cuda(); }

private:
    struct Impl {
        torch::Device device{torch::kCPU};
        torch::Tensor charges;     // M × N, float32
        torch::Tensor chargeNorm2; // M
        torch::Tensor logQ;        // M
        torch::Tensor center;      // N, float64: charges are stored relative to their mean
        double d = 1;
        std::size_t chunk = 1024;
    };
    int m_dim;
    std::unique_ptr<Impl> m_impl;
};

TensorDenoiser::TensorDenoiser(const ChargeSet& charges, double d, int threads, std::size_t chunk)
    : m_dim(charges.dim()), m_impl(std::make_unique<Impl>()) {
    if (auto err = validateExtraDims(d)) throw std::invalid_argument(*err);
    if (threads > 0) torch::set_num_threads(threads);
    m_impl->device = torch::cuda::is_available() ? torch::Device(torch::kCUDA) : torch::kCPU;
    m_impl->d = d;
    m_impl->chunk = std::max<std::size_t>(1, chunk);
    const auto m = static_cast<int64_t>(charges.size());
    auto pos = torch::from_blob(const_cast<double*>(charges.positions().data()), {m, m_dim},
                                torch::kFloat64);
    auto logq =
        torch::from_blob(const_cast<double*>(charges.logWeights().data()), {m}, torch::kFloat64);
    const auto mean = charges.mean();
    auto center = torch::from_blob(const_cast<double*>(mean.data()), {m_dim}, torch::kFloat64);
    m_impl->center = center.to(m_impl->device).clone(); // from_blob borrows `mean`
    m_impl->charges = (pos - center).to(m_impl->device, torch::kFloat32);
    m_impl->chargeNorm2 = m_impl->charges.square().sum(1);
    m_impl->logQ = logq.to(m_impl->device, torch::kFloat32);
}

void TensorDenoiser::denoise(std::span<const double> points, double sigma,
                             std::span<double> out) const {
    torch::NoGradGuard noGrad;
    const auto count = static_cast<int64_t>(points.size() / m_dim);
    const bool infinite = isInfiniteD(m_impl->d);
    const double a = 0.5 * (m_dim + m_impl->d);
    const double invR2 = infinite ? 0.0 : 1.0 / (sigma * sigma * m_impl->d);
    for (int64_t begin = 0; begin < count; begin += static_cast<int64_t>(m_impl->chunk)) {
        const int64_t rows = std::min<int64_t>(m_impl->chunk, count - begin);
        auto x = (torch::from_blob(const_cast<double*>(points.data()) + begin * m_dim,
                                   {rows, m_dim}, torch::kFloat64)
                      .to(m_impl->device) -
                  m_impl->center)
                     .to(torch::kFloat32);
        auto d2 = (x.square().sum(1, true) + m_impl->chargeNorm2.unsqueeze(0) -
                   2.0 * x.matmul(m_impl->charges.t()))
                      .clamp_min(0.0);
        auto logW = infinite ? m_impl->logQ - d2 / (2.0 * sigma * sigma)
                             : m_impl->logQ - a * torch::log1p(d2 * invR2);
        auto xhat =
            torch::softmax(logW, 1).matmul(m_impl->charges).to(torch::kFloat64) + m_impl->center;
        auto result = xhat.to(torch::kCPU).contiguous();
        std::copy_n(result.data_ptr<double>(), rows * m_dim, out.data() + begin * m_dim);
    }
}

} // namespace

std::unique_ptr<Denoiser> makeTensorDenoiser(const ChargeSet& charges, double d, int threads,
                                             std::size_t chunk, std::string& device) {
    auto denoiser = std::make_unique<TensorDenoiser>(charges, d, threads, chunk);
    device = denoiser->onCuda() ? "cuda" : "cpu";
    return denoiser;
}

void setThreads(int threads) {
    torch::set_num_threads(
        threads > 0 ? threads
                    : static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
}

std::string buildSummary() {
    return "LibTorch " + std::string(TORCH_VERSION) + ", " +
           std::to_string(torch::get_num_threads()) + " intra-op threads";
}

} // namespace psc::physics::detail
