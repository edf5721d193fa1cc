#pragma once
// The open orders of a warehouse: which shelves are requested and since when,
// and the orders waiting for a request slot when every slot is taken.
#include <span>
#include <vector>

#include "core/rng.h"
#include "core/state_archive.h"

namespace twinrl::warehouse {

class OrderBook {
 public:
  // `capacity` shelves are requested at once at most. With `replace_on_fulfil`
  // (RWARE's rule) every fulfilled request is replaced at once by a new one.
  OrderBook(int num_shelves, int capacity, int max_backlog, bool replace_on_fulfil);

  void clear();
  // An order arriving at `now_s`: requests a random shelf not requested yet
  // and returns it, or waits in the backlog if every slot is taken (dropped
  // if that is full) and returns -1.
  int add(double now_s, Rng& rng);
  // Fills every free slot with a new request arriving at `now_s`.
  void fill(double now_s, Rng& rng);
  // Fulfils the request of `shelf` (which must be requested) at `now_s` and
  // returns the order's cycle time (s). The slot goes to the next waiting
  // order, if any, for a shelf other than this one.
  double fulfil(int shelf, double now_s, Rng& rng);

  bool is_requested(int shelf) const { return slot_of_shelf_[shelf] >= 0; }
  std::span<const int> requested_shelves() const { return {shelf_of_slot_.data(), open_}; }
  int waiting() const { return backlog_size_; }

  void archive(StateArchive& state);

 private:
  // Puts a random shelf not requested yet into `slot`, arrived at `arrival_s`.
  void request(size_t slot, double arrival_s, Rng& rng);

  bool replace_on_fulfil_;
  std::vector<int> shelf_of_slot_;  // the first open_ slots are in use
  std::vector<double> arrival_of_slot_;
  std::vector<int> slot_of_shelf_;  // -1: not requested
  size_t open_ = 0;
  std::vector<double> backlog_arrivals_;  // a ring of arrival times, oldest at backlog_head_
  int backlog_head_ = 0;
  int backlog_size_ = 0;
};

}  // namespace twinrl::warehouse
