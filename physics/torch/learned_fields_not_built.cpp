// The learned-field interface of a build configured with -DPSC_WITH_TORCH=OFF: everything that
// needs LibTorch throws LearnedFieldsNotBuiltIn, so the window, the commands and the tests say so
// in one sentence instead of failing to link or offering what cannot run.
#include "physics/torch/learned_field.h"
#include "physics/torch/torch_denoiser.h"

namespace psc::physics {

struct LearnedField::Impl {};
struct TorchDenoiser::Impl {};

bool learnedFieldsBuiltIn() {
    return false;
}

LearnedField::LearnedField(ModelInfo info, std::unique_ptr<Impl> impl)
    : m_info(std::move(info)), m_impl(std::move(impl)) {}

LearnedField::~LearnedField() = default;

std::unique_ptr<LearnedField> LearnedField::train(const ChargeSet&, const TrainSettings&,
                                                  const std::string&,
                                                  const std::function<void(const TrainProgress&)>&,
                                                  const CancelFlag*, const TrainSnapshots&) {
    throw LearnedFieldsNotBuiltIn();
}

void LearnedField::save(const std::string&) const {
    throw LearnedFieldsNotBuiltIn();
}

std::unique_ptr<LearnedField> LearnedField::load(const std::string&) {
    throw LearnedFieldsNotBuiltIn();
}

std::unique_ptr<LearnedField> LearnedField::quantized(int) const {
    throw LearnedFieldsNotBuiltIn();
}

void LearnedField::denoise(std::span<const double>, double, std::span<double>) const {
    throw LearnedFieldsNotBuiltIn();
}

void LearnedField::denoiseEach(std::span<const double>, std::span<const double>,
                               std::span<double>) const {
    throw LearnedFieldsNotBuiltIn();
}

double LearnedField::evaluationLoss(const ChargeSet&, int, std::uint64_t) const {
    throw LearnedFieldsNotBuiltIn();
}

TorchDenoiser::TorchDenoiser(const ChargeSet& charges, double, int, std::size_t)
    : m_dim(charges.dim()) {
    throw LearnedFieldsNotBuiltIn(kTorchBackendNotBuiltIn);
}

TorchDenoiser::~TorchDenoiser() = default;

void TorchDenoiser::denoise(std::span<const double>, double, std::span<double>) const {
    throw LearnedFieldsNotBuiltIn(kTorchBackendNotBuiltIn);
}

std::string TorchDenoiser::device() const {
    return "none";
}

void setLibTorchThreads(int) {}

std::string torchBuildSummary() {
    return "LibTorch: not built in (PSC_WITH_TORCH=OFF)";
}

} // namespace psc::physics
