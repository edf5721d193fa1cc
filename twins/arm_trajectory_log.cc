#include "twins/arm_trajectory_log.h"

#include <mujoco/mujoco.h>

#include <algorithm>
#include <cmath>
#include <stdexcept>

#include "config/csv_table.h"

namespace twinrl {
namespace {

// Position and velocity coordinates of a MuJoCo joint type.
int position_size(int type) {
  return type == mjJNT_FREE ? 7 : type == mjJNT_BALL ? 4 : 1;
}
int velocity_size(int type) {
  return type == mjJNT_FREE ? 6 : type == mjJNT_BALL ? 3 : 1;
}

// "qpos_<joint>" for one-coordinate joints, "qpos_<joint>[k]" otherwise.
std::string coordinate_name(const std::string& prefix, const char* joint, int size, int k) {
  return prefix + joint + (size == 1 ? "" : "[" + std::to_string(k) + "]");
}

}  // namespace

int64_t ArmTrajectoryLog::transitions() const {
  int64_t count = 0;
  for (const ArmLogEpisode& episode : episodes) count += episode.steps - 1;
  return count;
}

std::vector<std::string> arm_log_columns(const robot::ArmModel& model) {
  const mjModel* m = model.mujoco_model();
  std::vector<std::string> columns = {"episode", "step", "time_s"};
  for (int64_t i = 0; i < model.spec().action_space.size(); ++i)
    columns.push_back("action_" + std::to_string(i));
  for (const std::string prefix : {"qpos_", "qvel_"})
    for (int j = 0; j < m->njnt; ++j) {
      const int size =
          prefix == "qpos_" ? position_size(m->jnt_type[j]) : velocity_size(m->jnt_type[j]);
      for (int k = 0; k < size; ++k)
        columns.push_back(coordinate_name(prefix, mj_id2name(m, mjOBJ_JOINT, j), size, k));
    }
  for (int a = 0; a < m->nu; ++a)
    columns.push_back(std::string("ctrl_") + mj_id2name(m, mjOBJ_ACTUATOR, a));
  return columns;
}

ArmTrajectoryLog read_arm_trajectory_log(const std::filesystem::path& path,
                                         const robot::ArmModel& model) {
  const CsvTable table = CsvTable::read(path);
  const std::vector<std::string> columns = arm_log_columns(model);
  for (const std::string& name : table.header())
    if (std::ranges::find(columns, name) == columns.end())
      throw CsvError(path.string() + ": row 1, column '" + name +
                     "': not a column of the twin's robot (" + model.spec().id + " with " +
                     std::to_string(model.layout().num_arm_joints()) +
                     " arm joints): a log of another robot model?");
  std::vector<size_t> at;  // file column of each of `columns`
  for (const std::string& name : columns) at.push_back(table.column(name));

  const mjModel* m = model.mujoco_model();
  const int64_t actions = model.spec().action_space.size();
  const size_t first_qpos = 3 + actions, first_qvel = first_qpos + m->nq,
               first_ctrl = first_qvel + m->nv;
  const double period = model.spec().control_period_s;
  ArmTrajectoryLog log{.path = path.string()};
  for (size_t row = 0; row < table.rows(); ++row) {
    const int64_t episode = table.count(row, at[0]);
    const int64_t step = table.count(row, at[1]);
    const double time = table.number(row, at[2]);
    const bool continues = !log.episodes.empty() && log.episodes.back().episode == episode;
    if (!continues) {
      if (step != 0) table.fail(row, at[1], "starts an episode; expected step 0");
      log.episodes.push_back({.episode = episode, .first_file_row = table.file_row(row)});
    } else {
      const int previous = log.episodes.back().steps - 1;
      if (step != previous + 1)
        table.fail(row, at[1],
                   "follows step " + std::to_string(previous) + " of episode " +
                       std::to_string(episode) + "; expected step " + std::to_string(previous + 1));
      const double previous_time = table.number(row - 1, at[2]);
      if (std::abs(time - previous_time - period) > 0.01 * period)
        table.fail(row, at[2],
                   "is " + std::to_string(time - previous_time) +
                       " s after the previous row; the twin's control period is " +
                       std::to_string(period) + " s (time must advance by one period per step)");
    }
    ArmLogEpisode& current = log.episodes.back();
    ++current.steps;
    for (int64_t i = 0; i < actions; ++i)
      current.actions.push_back(static_cast<float>(table.number(row, at[3 + i])));
    for (int i = 0; i < m->nq; ++i) current.qpos.push_back(table.number(row, at[first_qpos + i]));
    for (int i = 0; i < m->nv; ++i) current.qvel.push_back(table.number(row, at[first_qvel + i]));
    for (int i = 0; i < m->nu; ++i) current.ctrl.push_back(table.number(row, at[first_ctrl + i]));
  }
  if (log.transitions() == 0)
    throw CsvError(path.string() +
                   ": no episode has two steps, so there is no transition to compare with");
  return log;
}

ArmTrajectoryLogWriter::ArmTrajectoryLogWriter(const std::string& path,
                                               const robot::ArmModel& model)
    : path_(path),
      control_period_s_(model.spec().control_period_s),
      action_size_(model.spec().action_space.size()) {
  const mjModel* m = model.mujoco_model();
  measured_qpos_.assign(m->nq, -1);
  measured_qvel_.assign(m->nv, -1);
  const int n = model.layout().num_arm_joints();
  for (int i = 0; i < n; ++i) {
    measured_qpos_[model.layout().arm[i].qpos] = i;
    measured_qvel_[model.layout().arm[i].dof] = n + i;
  }
  file_.open(path, std::ios::trunc);
  if (!file_) throw std::runtime_error("cannot write the log " + path);
  file_.precision(10);
  const std::vector<std::string> columns = arm_log_columns(model);
  for (size_t c = 0; c < columns.size(); ++c) file_ << (c ? "," : "") << columns[c];
  file_ << '\n';
}

void ArmTrajectoryLogWriter::record(const robot::ArmEnv& arm, int64_t episode, int step,
                                    const float* observation, const float* action) {
  const mjModel* m = arm.mujoco_model();
  const mjData* d = arm.data();
  file_ << episode << ',' << step << ',' << step * control_period_s_;
  for (int64_t i = 0; i < action_size_; ++i) file_ << ',' << action[i];
  for (int i = 0; i < m->nq; ++i)
    file_ << ',' << (measured_qpos_[i] >= 0 ? observation[measured_qpos_[i]] : d->qpos[i]);
  for (int i = 0; i < m->nv; ++i)
    file_ << ',' << (measured_qvel_[i] >= 0 ? observation[measured_qvel_[i]] : d->qvel[i]);
  for (int a = 0; a < m->nu; ++a) file_ << ',' << d->ctrl[a];
  file_ << '\n';
}

void ArmTrajectoryLogWriter::close() {
  file_.flush();
  if (!file_) throw std::runtime_error("writing the log " + path_ + " failed (disk full?)");
  file_.close();
}

}  // namespace twinrl
