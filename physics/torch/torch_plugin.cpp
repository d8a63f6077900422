// The LibTorch module's one exported symbol: its table of entry points (torch_plugin.h).
#include "physics/torch/torch_plugin.h"

#include "physics/torch/learned_field_io.h"
#include "physics/torch/network_field.h"
#include "physics/torch/torch_plugin_parts.h"

extern "C" __attribute__((visibility("default"))) const psc::physics::torch_plugin::Api*
psc_torch_plugin_api() {
    namespace physics = psc::physics;
    namespace parts = psc::physics::detail;
    static const physics::torch_plugin::Api api{
        physics::torch_plugin::kAbiVersion,
        sizeof(physics::TrainSettings),
        sizeof(physics::ModelInfo),
        &parts::trainNetwork,
        &parts::loadLearnedField,
        &parts::makeTensorDenoiser,
        &parts::setThreads,
        &parts::buildSummary,
    };
    return &api;
}
