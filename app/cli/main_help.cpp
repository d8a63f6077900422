// The top-level help text.
#include "app/cli/commands.h"

namespace psc::app {

std::string mainHelpText() {
    return "Usage: poissonscope [COMMAND] [options]\n\n"
           "Poissonscope shows PFGM++ (Poisson Flow Generative Models ++, Xu et al. 2023): data\n"
           "points are charges on the plane r = 0 of a space with D extra dimensions, and their\n"
           "field carries a huge hemisphere back onto the data. D = 1 is the original PFGM;\n"
           "D = inf is a diffusion model (EDM).\n\n"
           "Commands:\n"
           "  (none)      open the window on the default scene (two moons, D = 1, flows playing)\n"
           "  sample      flow points with the exact field and write them (no display needed, "
           "except\n"
           "              for --backend gl)\n"
           "  render      a video of a flow, a D sweep, a camera orbit or the 2x2 comparison: "
           "MP4,\n"
           "              WebM, GIF or PNG frames, rendered offscreen (needs a display or "
           "xvfb-run)\n"
           "  datasets    list the built-in data sets and their parameters\n"
           "  train       learn a PFGM++ denoiser from data at one D (LibTorch); sample --model "
           "uses it\n"
           "  experiment  the paper's robustness protocols per D, repeated over seeds: tables with "
           "95%\n              intervals, a figure, samples; --study digits runs the 64-D study\n"
           "  eval        compare samples with data: sliced Wasserstein-2, MMD, memorisation\n\n"
           "Options:\n"
           "  --scene FILE.json   open the window on a scene file (presets in assets/scenes/)\n"
           "  --screenshot FILE.png [--size WxH] [--dataset NAME] [--D VALUE] [--sigma S] [--view "
           "iso|top|side]\n"
           "              [--transparent]\n"
           "              render the scene offscreen into a PNG and exit (needs OpenGL 3.3: a\n"
           "              display or Xvfb, e.g. `xvfb-run -a poissonscope --screenshot out.png`)\n"
           "  --help      this help; `poissonscope COMMAND --help` documents each command\n"
           "  --version   print the version\n";
}

} // namespace psc::app
