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
    bool onCuda() const { return m_device.is_cuda(); }

private:
    int m_dim;
    torch::Device m_device{torch::kCPU};
    torch::Tensor m_charges;     // M × N, float32
    torch::Tensor m_chargeNorm2; // M
    torch::Tensor m_logQ;        // M
    torch::Tensor m_center;      // N, float64: charges are stored relative to their mean
    double m_d = 1;
    std::size_t m_chunk = 1024;
};

TensorDenoiser::TensorDenoiser(const ChargeSet& charges, double d, int threads, std::size_t chunk)
    : m_dim(charges.dim()) {
    if (auto err = validateExtraDims(d)) throw std::invalid_argument(*err);
    if (threads > 0) torch::set_num_threads(threads);
    m_device = torch::cuda::is_available() ? torch::Device(torch::kCUDA) : torch::kCPU;
    m_d = d;
    m_chunk = std::max<std::size_t>(1, chunk);
    const auto m = static_cast<int64_t>(charges.size());
    auto pos = torch::from_blob(const_cast<double*>(charges.positions().data()), {m, m_dim},
                                torch::kFloat64);
    auto logq =
        torch::from_blob(const_cast<double*>(charges.logWeights().data()), {m}, torch::kFloat64);
    const auto mean = charges.mean();
    auto center = torch::from_blob(const_cast<double*>(mean.data()), {m_dim}, torch::kFloat64);
    m_center = center.to(m_device).clone(); // from_blob borrows `mean`
    m_charges = (pos - center).to(m_device, torch::kFloat32);
    m_chargeNorm2 = m_charges.square().sum(1);
    m_logQ = logq.to(m_device, torch::kFloat32);
}

void TensorDenoiser::denoise(std::span<const double> points, double sigma,
                             std::span<double> out) const {
    torch::NoGradGuard noGrad;
    const auto count = static_cast<int64_t>(points.size() / m_dim);
    const bool infinite = isInfiniteD(m_d);
    const double a = 0.5 * (m_dim + m_d);
    const double invR2 = infinite ? 0.0 : 1.0 / (sigma * sigma * m_d);
    for (int64_t begin = 0; begin < count; begin += static_cast<int64_t>(m_chunk)) {
        const int64_t rows = std::min<int64_t>(m_chunk, count - begin);
        auto x = (torch::from_blob(const_cast<double*>(points.data()) + begin * m_dim,
                                   {rows, m_dim}, torch::kFloat64)
                      .to(m_device) -
                  m_center)
                     .to(torch::kFloat32);
        auto d2 =
            (x.square().sum(1, true) + m_chargeNorm2.unsqueeze(0) - 2.0 * x.matmul(m_charges.t()))
                .clamp_min(0.0);
        auto logW =
            infinite ? m_logQ - d2 / (2.0 * sigma * sigma) : m_logQ - a * torch::log1p(d2 * invR2);
        auto xhat = torch::softmax(logW, 1).matmul(m_charges).to(torch::kFloat64) + m_center;
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
