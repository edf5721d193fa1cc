#include "agents/data_parallel.h"

#include <cmath>
#include <sstream>

#include "agents/checkpoint_file.h"
#include "agents/training_session.h"
#include "rundir/crc32c.h"

namespace twinrl {
namespace {

int64_t numel_of(const std::vector<torch::Tensor>& tensors) {
  int64_t total = 0;
  for (const torch::Tensor& tensor : tensors) total += tensor.numel();
  return total;
}

// What makes two replicas of a model the same: its parameters, then its
// buffers (normalizer statistics).
std::vector<torch::Tensor> parameters_and_buffers(const torch::nn::Module& module) {
  std::vector<torch::Tensor> tensors = module.parameters();
  for (const torch::Tensor& buffer : module.buffers()) tensors.push_back(buffer);
  return tensors;
}

// The CRC32C of each parameter's and buffer's bits.
torch::Tensor checksums(const torch::nn::Module& module) {
  const std::vector<torch::Tensor> tensors = parameters_and_buffers(module);
  torch::Tensor result = torch::zeros({static_cast<int64_t>(tensors.size())}, torch::kInt64);
  for (size_t i = 0; i < tensors.size(); ++i) {
    const torch::Tensor values = tensors[i].detach().contiguous();
    result[static_cast<int64_t>(i)] = static_cast<int64_t>(crc32c(std::string_view(
        static_cast<const char*>(values.data_ptr()), values.numel() * values.element_size())));
  }
  return result;
}

}  // namespace

int64_t checkpoint_world_size(const std::filesystem::path& checkpoint) {
  int64_t world_size = 1;
  read_checkpoint_file(checkpoint, [&](torch::serialize::InputArchive& archive) {
    torch::Tensor saved;
    if (archive.try_read("distributed/world_size", saved)) world_size = saved.item<int64_t>();
  });
  return world_size;
}

void require_same_world_size(const std::string& checkpoint, int64_t saved, int64_t now) {
  if (saved != now)
    throw std::invalid_argument(checkpoint + " was written by a run on " + std::to_string(saved) +
                                " process" + (saved == 1 ? "" : "es") + ", not " +
                                std::to_string(now) + ": resume it with " +
                                (saved == 1 ? "one process" : "--nproc " + std::to_string(saved)));
}

void DataParallel::broadcast(torch::nn::Module& module) {
  if (!active()) return;
  torch::NoGradGuard no_grad;
  std::vector<torch::Tensor> tensors = parameters_and_buffers(module);
  communicator_->broadcast(tensors, "broadcasting rank 0's parameters");
}

void DataParallel::average_gradients(torch::optim::Adam& optimizer,
                                     std::initializer_list<double*> scalars) {
  if (!active()) return;
  std::vector<torch::Tensor> parameters;
  for (const auto& group : optimizer.param_groups())
    for (const torch::Tensor& parameter : group.params()) parameters.push_back(parameter);
  const int64_t size = numel_of(parameters) + static_cast<int64_t>(scalars.size());
  if (!gradients_.defined() || gradients_.numel() != size)
    gradients_ = torch::zeros({size}, torch::kFloat32);
  float* flat = gradients_.data_ptr<float>();
  for (const torch::Tensor& parameter : parameters) {
    const torch::Tensor& gradient = parameter.grad();
    const float* values = gradient.defined() ? gradient.data_ptr<float>() : nullptr;
    for (int64_t i = 0; i < parameter.numel(); ++i) *flat++ = values ? values[i] : 0.0f;
  }
  for (const double* scalar : scalars) *flat++ = static_cast<float>(*scalar);
  communicator_->sum(gradients_, "averaging the gradients");
  const float share = 1.0f / static_cast<float>(world_size());
  flat = gradients_.data_ptr<float>();
  for (const torch::Tensor& parameter : parameters) {
    torch::Tensor gradient = parameter.grad();
    if (!gradient.defined()) {
      flat += parameter.numel();
      continue;
    }
    float* values = gradient.data_ptr<float>();
    for (int64_t i = 0; i < parameter.numel(); ++i) values[i] = *flat++ * share;
  }
  for (double* scalar : scalars) *scalar = *flat++ * share;
}

void DataParallel::check_replicas(const torch::nn::Module& module) {
  if (!active()) return;
  const torch::Tensor all = communicator_->all_gather(checksums(module), "comparing parameters");
  for (int r = 1; r < world_size(); ++r)
    if (!all[r].equal(all[0]))
      throw DistributedError("rank " + std::to_string(r) +
                             "'s parameters differ from rank 0's: "
                             "the ranks no longer train one model");
}

std::vector<Moments> DataParallel::merge(const std::vector<Moments>& local) {
  if (!active()) return local;
  std::vector<torch::Tensor> parts;
  for (const Moments& moments : local)
    if (moments.mean.defined())
      parts.insert(parts.end(), {torch::full({1}, moments.count, torch::kFloat64),
                                 moments.mean.reshape({-1}), moments.variance.reshape({-1})});
  if (parts.empty()) return local;
  const torch::Tensor all =
      communicator_->all_gather(torch::cat(parts), "merging normalizer statistics");
  std::vector<Moments> merged(local.size());
  for (int r = 0; r < world_size(); ++r) {
    int64_t offset = 0;
    for (size_t i = 0; i < local.size(); ++i) {
      if (!local[i].mean.defined()) continue;
      const int64_t size = local[i].mean.numel();
      merged[i] =
          combined(merged[i],
                   {.count = all[r][offset].item<double>(),
                    .mean = all[r].slice(0, offset + 1, offset + 1 + size).clone(),
                    .variance = all[r].slice(0, offset + 1 + size, offset + 1 + 2 * size).clone()});
      offset += 1 + 2 * size;
    }
  }
  return merged;
}

std::vector<AdvantageScaling> DataParallel::advantage_scalings(const float* advantages,
                                                               const int64_t* order,
                                                               int64_t minibatch_size,
                                                               int64_t minibatches) {
  if (!active()) return {};
  torch::Tensor mine = torch::zeros({minibatches, 3}, torch::kFloat64);
  auto rows = mine.accessor<double, 2>();
  for (int64_t k = 0; k < minibatches; ++k) {
    const AdvantageMoments moments =
        minibatch_advantage_moments(advantages, order + k * minibatch_size, minibatch_size);
    rows[k][0] = moments.count;
    rows[k][1] = moments.mean;
    rows[k][2] = moments.squared_deviations;
  }
  const torch::Tensor all = communicator_->all_gather(mine, "normalizing the advantages");
  auto ranks = all.accessor<double, 3>();
  std::vector<AdvantageScaling> scalings;
  for (int64_t k = 0; k < minibatches; ++k) {
    AdvantageMoments merged;  // Chan et al.'s merge, ranks in order
    for (int r = 0; r < world_size(); ++r) {
      const double n = ranks[r][k][0], delta = ranks[r][k][1] - merged.mean;
      const double total = merged.count + n;
      merged.mean += delta * n / total;
      merged.squared_deviations += ranks[r][k][2] + delta * delta * merged.count * n / total;
      merged.count = total;
    }
    scalings.push_back(advantage_scaling(merged));
  }
  return scalings;
}

void DataParallel::write_rank_parts(torch::serialize::OutputArchive& archive,
                                    const WritePart& write) {
  if (!active()) {
    write(archive);
    return;
  }
  torch::serialize::OutputArchive mine;
  write(mine);
  std::ostringstream bytes;
  mine.save_to(bytes);
  const std::vector<std::string> all =
      communicator_->all_gather_bytes(bytes.str(), "gathering every rank's checkpoint part");
  archive.write("distributed/world_size", torch::tensor(int64_t{world_size()}));
  for (int r = 0; r < world_size(); ++r)
    archive.write("distributed/rank_" + std::to_string(r),
                  torch::from_blob(const_cast<char*>(all[r].data()),
                                   {static_cast<int64_t>(all[r].size())}, torch::kUInt8)
                      .clone());
}

void DataParallel::read_rank_parts(torch::serialize::InputArchive& archive, const ReadPart& read) {
  torch::Tensor saved_world;
  const bool distributed = archive.try_read("distributed/world_size", saved_world);
  require_same_world_size("the checkpoint", distributed ? saved_world.item<int64_t>() : 1,
                          world_size());
  if (!active()) {
    read(archive);
    return;
  }
  const torch::Tensor part =
      read_tensor(archive, "distributed/rank_" + std::to_string(rank())).contiguous();
  torch::serialize::InputArchive mine;
  mine.load_from(reinterpret_cast<const char*>(part.data_ptr<uint8_t>()),
                 static_cast<size_t>(part.numel()));
  read(mine);
}

}  // namespace twinrl
