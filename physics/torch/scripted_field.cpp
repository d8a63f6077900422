// TorchScript modules as learned fields: forward(x[B, N] float32, sigma[B] float32) -> x̂[B, N].
#include "physics/torch/scripted_field.h"

#include "physics/extra_dims.h"
#include "physics/torch/pfgm_network.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <limits>
#include <sstream>

namespace psc::physics::detail {
namespace {

constexpr int64_t kChunk = 8192;

// The value after "key": in a flat JSON object, as text without quotes; empty when absent.
std::string metadataValue(const std::string& json, const std::string& key) {
    const auto at = json.find("\"" + key + "\"");
    if (at == std::string::npos) return {};
    auto i = json.find(':', at + key.size() + 2);
    if (i == std::string::npos) return {};
    ++i;
    while (i < json.size() && std::isspace(static_cast<unsigned char>(json[i]))) ++i;
    if (i < json.size() && json[i] == '"') {
        const auto end = json.find('"', i + 1);
        return end == std::string::npos ? std::string() : json.substr(i + 1, end - i - 1);
    }
    auto end = i;
    while (end < json.size() && json[end] != ',' && json[end] != '}' &&
           !std::isspace(static_cast<unsigned char>(json[end])))
        ++end;
    return json.substr(i, end - i);
}

std::string metadataJson(const ModelInfo& info) {
    std::ostringstream out;
    out.precision(17);
    out << "{\"D\": " << (isInfiniteD(info.d) ? std::string("\"inf\"") : formatExtraDims(info.d))
        << ", \"N\": " << info.dim;
    if (info.sigmaData > 0) out << ", \"sigma_data\": " << info.sigmaData;
    out << "}";
    return out.str();
}

std::string shapeText(const torch::Tensor& t) {
    std::string text = "[";
    for (int64_t i = 0; i < t.dim(); ++i) text += (i ? ", " : "") + std::to_string(t.size(i));
    return text + "]";
}

class ScriptedField final : public LearnedField {
public:
    ScriptedField(ModelInfo info, torch::jit::Module module)
        : LearnedField(std::move(info)), m_module(std::move(module)) {}

    void save(const std::string& path) const override {
        std::ostringstream bytes;
        torch::jit::ExtraFilesMap extra{{kScriptMetadataFile, metadataJson(m_info)}};
        try {
            m_module.save(bytes, extra);
        } catch (const std::exception& e) {
            throw ModelFileError(path + ": cannot write the module: " + firstLine(e.what()));
        }
        writeModelFile(path, bytes.str());
    }

    std::unique_ptr<LearnedField> quantized(int bits) const override {
        auto copy = m_module.deepcopy();
        for (auto p : copy.parameters())
            if (p.is_floating_point()) quantizeInPlace(p, bits);
        ModelInfo info = m_info;
        info.quantizedBits = bits;
        return std::make_unique<ScriptedField>(std::move(info), std::move(copy));
    }

    void denoiseEach(std::span<const double> points, std::span<const double> sigmas,
                     std::span<double> out) const override {
        const int n = m_info.dim;
        const auto count = static_cast<int64_t>(sigmas.size());
        torch::NoGradGuard noGrad;
        std::vector<float> x, s;
        for (int64_t begin = 0; begin < count; begin += kChunk) {
            const int64_t rows = std::min(kChunk, count - begin);
            x.resize(rows * n);
            s.resize(rows);
            for (int64_t r = 0; r < rows; ++r) {
                // The module sees a positive σ even where the limit σ → 0 is asked for; those rows
                // are x itself below, whatever it returns.
                s[r] = sigmas[begin + r] > 0 ? static_cast<float>(sigmas[begin + r]) : 1.0f;
                for (int i = 0; i < n; ++i)
                    x[r * n + i] = static_cast<float>(points[(begin + r) * n + i]);
            }
            torch::Tensor result;
            try {
                result = forward(torch::from_blob(x.data(), {rows, n}, torch::kFloat32),
                                 torch::from_blob(s.data(), {rows}, torch::kFloat32));
            } catch (const c10::Error& e) {
                throw std::runtime_error("the TorchScript module's forward failed: " +
                                         firstLine(e.what()));
            }
            if (result.dim() != 2 || result.size(0) != rows || result.size(1) != n)
                throw std::runtime_error("the TorchScript module returned " + shapeText(result) +
                                         " for " + std::to_string(rows) + " points of " +
                                         std::to_string(n) + " coordinates");
            const auto xhat = result.to(torch::kCPU, torch::kFloat64).contiguous();
            const double* v = xhat.data_ptr<double>();
            for (int64_t r = 0; r < rows; ++r)
                for (int i = 0; i < n; ++i) {
                    const int64_t at = (begin + r) * n + i;
                    out[at] = sigmas[begin + r] > 0 ? v[r * n + i] : points[at];
                }
        }
    }

private:
    torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& sigma) const {
        auto value = m_module.forward({x, sigma});
        if (!value.isTensor())
            throw std::runtime_error("the TorchScript module's forward returned a " +
                                     value.tagKind() + ", not a Tensor");
        return value.toTensor();
    }

    // torch::jit::Module's forward is not const, though it changes nothing here.
    mutable torch::jit::Module m_module;
};

} // namespace

std::unique_ptr<LearnedField> scriptedField(const std::string& path, torch::jit::Module module,
                                            const std::string& json, const LoadOptions& options) {
    const auto fail = [&](const std::string& reason) {
        throw ModelFileError(path + ": " + reason);
    };
    module.eval();
    const auto method = module.find_method("forward");
    if (!method) fail("the TorchScript module has no forward method");
    const auto& args = method->function().getSchema().arguments();
    if (args.size() != 3) {
        std::string found;
        for (std::size_t i = 1; i < args.size(); ++i) found += (i > 1 ? ", " : "") + args[i].name();
        fail("forward must take (x, sigma); this module's takes (" + found + ")");
    }

    ModelInfo info;
    info.format = ModelFormat::TorchScript;
    info.dataset = std::filesystem::path(path).filename().string();
    info.noiseCap = kUntruncated;
    info.finalLoss = std::numeric_limits<double>::quiet_NaN(); // not trained here
    const std::string metadataName = std::string("its ") + kScriptMetadataFile;
    if (const auto text = metadataValue(json, "N"); !text.empty()) {
        char* end = nullptr;
        const long n = std::strtol(text.c_str(), &end, 10);
        if (*end != '\0' || n < 1 || n > 1024) fail("bad \"N\" in " + metadataName + ": " + text);
        info.dim = static_cast<int>(n);
    } else if (options.dim > 0) {
        info.dim = options.dim;
    } else {
        fail("the module does not say its N (no \"N\" in " + metadataName +
             "); give the data it applies to");
    }
    if (auto text = metadataValue(json, "D"); !text.empty()) {
        std::transform(text.begin(), text.end(), text.begin(),
                       [](unsigned char c) { return std::tolower(c); });
        const auto d = parseExtraDims(text);
        if (!d) fail("bad \"D\" in " + metadataName + ": " + text);
        info.d = *d;
    } else if (!std::isnan(options.d)) {
        info.d = options.d;
    } else {
        fail("the module does not say its D (no \"D\" in " + metadataName + "); give it with --D");
    }
    if (auto err = validateExtraDims(info.d)) fail(*err);
    info.settings.d = info.d;
    if (const auto sd = metadataValue(json, "sigma_data"); !sd.empty()) {
        char* end = nullptr;
        const double v = std::strtod(sd.c_str(), &end);
        if (*end == '\0' && v > 0 && std::isfinite(v)) info.sigmaData = v;
    }
    info.center.assign(info.dim, 0.0);

    auto field = std::make_unique<ScriptedField>(std::move(info), std::move(module));
    // A probe batch: two points at different σ, so a module that ignores the batch size or
    // mixes up the arguments is refused here with its own message, not in the middle of a flow.
    const int n = field->dim();
    std::vector<double> probe(2 * static_cast<std::size_t>(n), 0.25), out(probe.size());
    const std::vector<double> sigmas{1.0, 0.1};
    try {
        field->denoiseEach(probe, sigmas, out);
    } catch (const std::exception& e) {
        fail("forward(x[2, " + std::to_string(n) +
             "], sigma[2]) does not give x̂: " + firstLine(e.what()));
    }
    return field;
}

} // namespace psc::physics::detail
