// Saving and loading our learned fields as LibTorch archives, and telling them apart from
// TorchScript modules.
#include "physics/torch/learned_field_io.h"

#include "physics/extra_dims.h"
#include "physics/torch/network_field.h"
#include "physics/torch/scripted_field.h"

#include <torch/script.h>
#include <torch/torch.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <limits>
#include <sstream>

namespace psc::physics {
namespace {

constexpr int64_t kFormatVersion = 1;

} // namespace

namespace detail {

void NetworkField::save(const std::string& path) const {
    torch::serialize::OutputArchive archive;
    const auto& s = m_info.settings;
    const auto put = [&](const char* key, c10::IValue value) { archive.write(key, value); };
    put("format", std::string(kNetworkFormatTag));
    put("version", kFormatVersion);
    put("dim", int64_t{m_info.dim});
    put("d", m_info.d);
    put("sigma_data", m_info.sigmaData);
    put("dataset", m_info.dataset);
    put("steps_done", int64_t{m_info.stepsDone});
    put("final_loss", m_info.finalLoss);
    put("quantized_bits", int64_t{m_info.quantizedBits});
    put("settings_d", s.d);
    put("settings_steps", int64_t{s.steps});
    put("settings_batch", int64_t{s.batch});
    put("settings_learning_rate", s.learningRate);
    put("settings_ema_decay", s.emaDecay);
    put("settings_width", int64_t{s.shape.width});
    put("settings_depth", int64_t{s.shape.depth});
    put("settings_embedding", int64_t{s.shape.embedding});
    put("settings_seed", static_cast<int64_t>(s.seed));
    put("settings_threads", int64_t{s.threads});
    put("settings_p_mean", s.pMean);
    put("settings_p_std", s.pStd);
    put("settings_sigma_data", s.sigmaData);
    put("settings_tail_quantile", s.tailQuantile);
    archive.write("center", torch::tensor(m_info.center, torch::kFloat64));
    m_net.write(archive);
    std::ostringstream bytes;
    archive.save_to(bytes);
    writeModelFile(path, bytes.str());
}

std::unique_ptr<LearnedField> loadLearnedField(const std::string& path,
                                               const LoadOptions& options) {
    const auto fail = [&](const std::string& reason) {
        throw ModelFileError(path + ": " + reason);
    };
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) fail("no such file");
    if (!std::filesystem::is_regular_file(path, ec)) fail("not a regular file");
    if (!std::ifstream(path, std::ios::binary)) fail("cannot open the file for reading");

    // One parse: a Poissonscope archive is itself a TorchScript module whose attributes are the
    // archive's keys, so the format tag is read off the module; only our own (small) archives
    // are then read again, as an archive.
    torch::jit::ExtraFilesMap extra{{kScriptMetadataFile, ""}};
    torch::jit::Module module;
    try {
        module = torch::jit::load(path, torch::kCPU, extra);
    } catch (const std::exception& e) {
        const std::string why = firstLine(e.what());
        // PyTorch newer than 1.13 writes archive versions this LibTorch refuses by number.
        if (why.find("version") != std::string::npos)
            fail("a file that LibTorch " TORCH_VERSION " cannot read (saved by a newer PyTorch? "
                 "export it with PyTorch 1.13): " +
                 why);
        fail("neither a Poissonscope model nor a TorchScript module (LibTorch: " + why + ")");
    }
    bool tagged = false;
    try {
        tagged = module.hasattr("format") && module.attr("format").isString() &&
                 module.attr("format").toStringRef() == kNetworkFormatTag;
    } catch (const std::exception&) {
    }
    if (!tagged) return scriptedField(path, std::move(module), extra[kScriptMetadataFile], options);
    torch::serialize::InputArchive archive;
    try {
        archive.load_from(path);
    } catch (const std::exception& e) {
        fail("corrupt model file: " + firstLine(e.what()));
    }
    return readNetworkField(archive, path);
}

std::unique_ptr<LearnedField> readNetworkField(torch::serialize::InputArchive& archive,
                                               const std::string& path) {
    const auto fail = [&](const std::string& reason) {
        throw ModelFileError(path + ": " + reason);
    };
    try {
        const auto get = [&](const char* key) {
            c10::IValue v;
            if (!archive.try_read(key, v))
                throw std::runtime_error(std::string("'") + key + "' is missing");
            return v;
        };
        const auto getInt = [&](const char* key) {
            const auto v = get(key);
            if (!v.isInt() || v.toInt() < std::numeric_limits<int>::min() ||
                v.toInt() > std::numeric_limits<int>::max())
                throw std::runtime_error(std::string("'") + key + "' is not an int");
            return static_cast<int>(v.toInt());
        };
        const auto getDouble = [&](const char* key) {
            const auto v = get(key);
            if (!v.isDouble())
                throw std::runtime_error(std::string("'") + key + "' is not a number");
            return v.toDouble();
        };
        const auto version = get("version");
        if (!version.isInt() || version.toInt() != kFormatVersion)
            throw std::runtime_error("unsupported format version (this build reads version " +
                                     std::to_string(kFormatVersion) + ")");
        ModelInfo info;
        auto& s = info.settings;
        info.dim = getInt("dim");
        info.d = getDouble("d");
        info.sigmaData = getDouble("sigma_data");
        const auto name = get("dataset");
        if (!name.isString()) throw std::runtime_error("'dataset' is not a string");
        info.dataset = name.toStringRef();
        info.stepsDone = getInt("steps_done");
        info.finalLoss = getDouble("final_loss");
        info.quantizedBits = getInt("quantized_bits");
        s.d = getDouble("settings_d");
        s.steps = getInt("settings_steps");
        s.batch = getInt("settings_batch");
        s.learningRate = getDouble("settings_learning_rate");
        s.emaDecay = getDouble("settings_ema_decay");
        s.shape = {getInt("settings_width"), getInt("settings_depth"),
                   getInt("settings_embedding")};
        const auto seed = get("settings_seed");
        if (!seed.isInt()) throw std::runtime_error("'settings_seed' is not an int");
        s.seed = static_cast<std::uint64_t>(seed.toInt());
        s.threads = getInt("settings_threads");
        s.pMean = getDouble("settings_p_mean");
        s.pStd = getDouble("settings_p_std");
        s.sigmaData = getDouble("settings_sigma_data");
        // Files written before the small-D remedy have no key: their noise was whole.
        c10::IValue tail;
        s.tailQuantile = archive.try_read("settings_tail_quantile", tail) && tail.isDouble()
                             ? tail.toDouble()
                             : 1.0;

        if (auto err = validateTrainSettings(s)) throw std::runtime_error("settings: " + *err);
        if (auto err = validateExtraDims(info.d)) throw std::runtime_error(*err);
        if (info.dim < 1 || info.dim > 1024) throw std::runtime_error("bad dimension");
        if (!(info.sigmaData > 0) || !std::isfinite(info.sigmaData))
            throw std::runtime_error("bad sigma_data");
        if (info.stepsDone < 0 || info.stepsDone > s.steps)
            throw std::runtime_error("bad step count");
        if (info.quantizedBits != 0 && (info.quantizedBits < 5 || info.quantizedBits > 9))
            throw std::runtime_error("bad quantisation bits");
        info.noiseCap = noiseCapFor(info.dim, info.d, s.tailQuantile);
        torch::Tensor center;
        if (!archive.try_read("center", center)) throw std::runtime_error("'center' is missing");
        if (center.scalar_type() != torch::kFloat64 || center.dim() != 1 ||
            center.size(0) != info.dim || !torch::isfinite(center).all().item<bool>())
            throw std::runtime_error("bad 'center'");
        center = center.contiguous();
        info.center.assign(center.data_ptr<double>(), center.data_ptr<double>() + info.dim);

        PfgmNetwork net(info.dim, s.shape.width, s.shape.depth, s.shape.embedding, 0);
        net.read(archive);
        return std::make_unique<NetworkField>(std::move(info), std::move(net));
    } catch (const std::exception& e) {
        fail("corrupt model file: " + firstLine(e.what()));
    }
    return nullptr; // unreachable: fail() throws
}

} // namespace detail
} // namespace psc::physics
