#pragma once
// Byte archives of mutable state (envs, runners, random generators), so that a
// checkpoint can restore a run mid-episode and resume the same curve.
#include <cstdint>
#include <cstring>
#include <span>
#include <stdexcept>
#include <type_traits>
#include <utility>
#include <vector>

namespace twinrl {

class StateWriter {
 public:
  template <class T>
  requires std::is_trivially_copyable_v<T>
  void write(const T& value) { write_bytes(&value, sizeof(T)); }
  template <class T>
  requires std::is_trivially_copyable_v<T>
  void write(std::span<const T> values) {
    write(static_cast<uint64_t>(values.size()));
    write_bytes(values.data(), values.size_bytes());
  }
  const std::vector<uint8_t>& bytes() const { return bytes_; }

 private:
  void write_bytes(const void* data, size_t size) {
    const auto* first = static_cast<const uint8_t*>(data);
    bytes_.insert(bytes_.end(), first, first + size);
  }
  std::vector<uint8_t> bytes_;
};

class StateReader {
 public:
  explicit StateReader(std::span<const uint8_t> bytes) : bytes_(bytes) {}

  template <class T>
  requires std::is_trivially_copyable_v<T> T read() {
    T value;
    read_bytes(&value, sizeof(T));
    return value;
  }
  // Reads a span written by StateWriter::write(span) into `values`, whose size must match.
  template <class T>
  requires std::is_trivially_copyable_v<T>
  void read(std::span<T> values) {
    if (read<uint64_t>() != values.size())
      throw std::runtime_error("state archive: array size differs from the saved one");
    read_bytes(values.data(), values.size_bytes());
  }
  bool at_end() const { return position_ == bytes_.size(); }

 private:
  void read_bytes(void* out, size_t size) {
    if (size > bytes_.size() - position_)
      throw std::runtime_error("state archive: truncated (wrong or corrupt checkpoint)");
    std::memcpy(out, bytes_.data() + position_, size);
    position_ += size;
  }
  std::span<const uint8_t> bytes_;
  size_t position_ = 0;
};

// One declaration of an env's mutable state that serves both saving and
// loading, so that no field can be saved and not loaded:
//
//   void archive_state(StateArchive& state) override {
//     state(position_, velocity_, steps_);
//     state(std::span(history_.data(), history_.size()));
//     if (state.loading()) recompute_derived();
//   }
//
// Values are trivially copyable; std::vector and std::span contents keep the
// sizes they have (a different saved size is an error).
class StateArchive {
 public:
  explicit StateArchive(StateWriter& writer) : writer_(&writer) {}
  explicit StateArchive(StateReader& reader) : reader_(&reader) {}

  bool loading() const { return reader_ != nullptr; }

  template <class... T>
  void operator()(T&&... values) {
    (one(values), ...);
  }

 private:
  template <class T>
  static constexpr bool is_span = requires(T value) {
    typename T::element_type;
    value.size_bytes();
  };

  template <class T>
  void one(T& value) {
    if constexpr (is_span<T>) {
      if (reader_)
        reader_->read(value);
      else
        writer_->write(std::span<const typename T::element_type>(value));
    } else if constexpr (!std::is_trivially_copyable_v<T>) {
      std::span values(value);  // a std::vector
      one(values);
    } else if (reader_) {
      value = reader_->template read<T>();
    } else {
      writer_->write(value);
    }
  }

  StateWriter* writer_ = nullptr;
  StateReader* reader_ = nullptr;
};

}  // namespace twinrl
