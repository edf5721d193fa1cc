#pragma once
// The data of an HTML page (viewer/README.md, "Page data"): a rollout for
// the player, and for a run its learning curves and evaluations.
#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "core/evaluation_result.h"
#include "rundir/rollout.h"
#include "viewer/drawers/scene_drawer.h"

namespace twinrl::viewer {

// The player's part: the rollout's header and, per episode, the pictures
// (null without a drawer) and the per-step figures.
nlohmann::json player_data(const Rollout& rollout, const SceneDrawer* drawer);

// One evaluated policy for the report's table.
struct EvaluationSummary {
  std::string policy;
  EvaluationResult result;
};

// The report's part: metrics.csv of `run_dir` as curves, the evaluations and
// the resolved config.
nlohmann::json report_data(const std::filesystem::path& run_dir,
                           const std::vector<EvaluationSummary>& evaluations);

// "runs/x: trained (step 100000) on Warehouse"
std::string page_title(const std::string& source, const RolloutHeader& header);

}  // namespace twinrl::viewer
