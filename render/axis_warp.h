// Physics → world coordinate warp that fits the data and the PFGM++ hemisphere into one view.
#pragma once

#include <glm/glm.hpp>

namespace psc::render {

// Data live at spread ~1 while the PFGM++ prior reaches radii of σ_max·√D (easily 80), so a
// linear view shows either the data or the hemisphere. This warp is linear near the data and
// logarithmic far away, in both directions:
//
//   horizontal, about the centre c:  world = c + (x − c)·g(ρ)/ρ,  ρ = |x − c|,
//                                    g(ρ) = ρ0·asinh(ρ/ρ0),  g(0)/0 := 1.
//     g(ρ) ≈ ρ for ρ ≪ ρ0 (relative error below 1% for ρ < 0.2·ρ0), ≈ ρ0·ln(2ρ/ρ0) for ρ ≫ ρ0.
//     The direction from c is kept; only distances from c shrink.
//   vertical:                        height(σ) = H·asinh(σ/σ0) / asinh(σmax/σ0).
//     height(0) = 0, height(σmax) = H; linear for σ ≪ σ0, logarithmic above. Physical σ is
//     >= 0; a negative σ maps to −height(|σ|) (the formula is odd), so the map stays invertible.
//
// g, height and their inverses are odd, continuous and strictly increasing over the reals.
// All arithmetic is double; world points are returned as float (what GL draws).
//
// Edge cases: NaN propagates to exactly the outputs it influences — a NaN x1 or x2 makes every
// horizontal output NaN (ρ depends on all of them) and leaves the height alone; a NaN σ makes
// only the height NaN. An infinite horizontal coordinate also yields NaN horizontal outputs;
// σ = ±∞ yields height ±∞. The inverses overflow (±∞, NaN) for world radii or heights beyond
// ~700·ρ0 or ~700·H / asinh(σmax/σ0), far outside anything toWorld produces. Nothing throws.
//
// Plain immutable value type: copyable, thread-safe to share for reading.
struct AxisWarp {
public:
    // Same as forData(glm::vec2(0), 1, 1).
    AxisWarp();
    // rho0, sigma0, sigmaMax, heightMax must be finite and > 0 (asserted: a programmer error).
    // A 2-D centre is (c1, c2) with c3 = 0.
    AxisWarp(glm::vec2 centre, double rho0, double sigma0, double sigmaMax, double heightMax);
    AxisWarp(glm::vec3 centre, double rho0, double sigma0, double sigmaMax, double heightMax);

    // The default framing for a data set of the given spread (a typical distance of the data
    // from its centre, same units as x): ρ0 = 2·spread, σ0 = 0.1·spread, and
    // H = g(σmax) = ρ0·asinh(σmax/ρ0), i.e. the apex at σmax sits as high as a point σmax away
    // from the centre sits far out, so the σmax hemisphere looks like a round dome rather than a
    // tower or a pancake (spread 1, σmax 80: H ≈ 8.8). A spread that is <= 0 or not finite uses 1;
    // a sigmaMax that is <= 0 or not finite uses 1 as well.
    static AxisWarp forData(glm::vec2 centre, double spread, double sigmaMax);
    static AxisWarp forData(glm::vec3 centre, double spread, double sigmaMax);
    // No warp at all (world = physics, height(σ) = σ, to 1e-15 relative for distances below 1e6):
    // the scale of planes and spheres is kept, so the D = ∞ noise plane stays flat and the D = 1
    // hemisphere round; a camera that follows the flow's σ brings the data into view instead.
    static AxisWarp linear(glm::vec3 centre, double sigmaMax);

    glm::dvec3 centre() const { return m_centre; }
    double rho0() const { return m_rho0; }
    double sigma0() const { return m_sigma0; }
    double sigmaMax() const { return m_sigmaMax; }
    double heightMax() const { return m_heightMax; } // H = height(sigmaMax)

    double warpRadius(double rho) const;      // g(ρ)
    double unwarpRadius(double radius) const; // g⁻¹(r) = ρ0·sinh(r/ρ0)
    double height(double sigma) const;
    double sigmaAtHeight(double height) const; // height⁻¹

    // (x1, x2) warped about (c1, c2), and the height of σ: (warped x1, warped x2, height(σ)).
    glm::vec3 toWorld2D(double x1, double x2, double sigma) const;
    // (x1, x2, x3) warped radially about the 3-D centre; there is no σ axis in this view.
    glm::vec3 toWorld3D(double x1, double x2, double x3) const;
    // Inverses of the two maps above, e.g. for picking: (x1, x2, σ) and (x1, x2, x3).
    glm::dvec3 fromWorld2D(glm::vec3 world) const;
    glm::dvec3 fromWorld3D(glm::vec3 world) const;

private:
    glm::dvec3 m_centre{0.0};
    double m_rho0 = 1.0;
    double m_sigma0 = 1.0;
    double m_sigmaMax = 1.0;
    double m_heightMax = 1.0;
    double m_heightScale = 1.0; // asinh(σmax/σ0) / H, cached
};

} // namespace psc::render
