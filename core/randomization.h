#pragma once
// Domain randomization: `randomize: {key: [low, high], ...}` among an env's
// parameters draws each named real-valued parameter uniformly at every reset,
// so that a policy trained on a twin holds up where the real facility differs.
//
//   struct Params { double demand_mean = 20; ConfigNode randomize; ... visit ...
//     void validate(const ConfigNode&) const { Randomization::parse<Params>(randomize); } };
//   model:     randomization_ = Randomization::parse<Params>(params.randomize);
//   env reset: params_ = model.params(); model.randomization().apply(params_, rng_);
#include <bitset>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/config_node.h"
#include "core/rng.h"
#include "core/schema.h"
#include "core/state_archive.h"

namespace twinrl {

class Randomization {
 public:
  // At most this many parameters per env, so a draw needs no allocation.
  static constexpr size_t kMaxRanges = 64;

  struct Range {
    std::vector<std::string> path;  // "stages.lead_time" as {"stages", "lead_time"}
    double low = 0;
    double high = 0;
  };

  // Reads the `randomize` mapping (absent or null: nothing is randomized).
  // Each key must name a float or double field of Params (dotted for nested
  // structs) and each range must lie within that field's bounds; anything else
  // throws a ConfigError at the offending key.
  template <ConfigStruct Params>
  static Randomization parse(const ConfigNode& node) {
    return parse(node, describe_fields<Params>());
  }
  static Randomization parse(const ConfigNode& node, const std::vector<FieldInfo>& fields);

  bool empty() const { return ranges_.empty(); }
  const std::vector<Range>& ranges() const { return ranges_; }

  // Overwrites each randomized field of `params` with a uniform draw from its
  // range, in the order `visit` lists the fields.
  template <ConfigStruct Params>
  void apply(Params& params, Rng& rng) const {
    if (ranges_.empty()) return;
    Drawer drawer{ranges_, rng, 0, all_ranges()};
    params.visit(drawer);
  }

 private:
  using RangeSet = std::bitset<kMaxRanges>;

  RangeSet all_ranges() const {
    RangeSet all;
    for (size_t i = 0; i < ranges_.size(); ++i) all.set(i);
    return all;
  }

  // Walks the fields, keeping the ranges whose path still matches at this depth.
  struct Drawer {
    const std::vector<Range>& ranges;
    Rng& rng;
    size_t depth;
    RangeSet candidates;

    template <class Field>
    void operator()(std::string_view key, Field& field, const FieldSpec& = {}) {
      RangeSet matching;
      for (size_t i = 0; i < ranges.size(); ++i)
        if (candidates[i] && ranges[i].path.size() > depth && ranges[i].path[depth] == key)
          matching.set(i);
      if (matching.none()) return;
      if constexpr (ConfigStruct<Field>) {
        Drawer nested{ranges, rng, depth + 1, matching};
        field.visit(nested);
      } else if constexpr (std::is_floating_point_v<Field>) {
        for (size_t i = 0; i < ranges.size(); ++i)
          if (matching[i] && ranges[i].path.size() == depth + 1)
            field = static_cast<Field>(rng.uniform(ranges[i].low, ranges[i].high));
      }
    }
  };

  std::vector<Range> ranges_;
};

namespace randomization_detail {

// Writes (StateWriter) or reads (StateReader) each real-valued field.
template <class Archive>
struct RealFieldArchiver {
  Archive& archive;
  template <class Field>
  void operator()(std::string_view, Field& field, const FieldSpec& = {}) {
    if constexpr (ConfigStruct<Field>) {
      field.visit(*this);
    } else if constexpr (std::is_floating_point_v<Field>) {
      if constexpr (std::is_same_v<Archive, StateWriter>)
        archive.write(field);
      else
        field = archive.template read<Field>();
    }
  }
};

}  // namespace randomization_detail

// Every real-valued field of `params`, nested structs included: what
// Randomization::apply may have drawn, for an env's checkpoint.
template <ConfigStruct Params>
void save_real_fields(Params params, StateWriter& out) {  // a copy: visit() is non-const
  randomization_detail::RealFieldArchiver<StateWriter> archiver{out};
  params.visit(archiver);
}
template <ConfigStruct Params>
void load_real_fields(Params& params, StateReader& in) {
  randomization_detail::RealFieldArchiver<StateReader> archiver{in};
  params.visit(archiver);
}

}  // namespace twinrl
