#include "envs/warehouse/order_book.h"

#include <algorithm>
#include <stdexcept>

namespace twinrl::warehouse {

OrderBook::OrderBook(int num_shelves, int capacity, int max_backlog, bool replace_on_fulfil)
    : replace_on_fulfil_(replace_on_fulfil),
      shelf_of_slot_(capacity, -1),
      arrival_of_slot_(capacity, 0.0),
      slot_of_shelf_(num_shelves, -1),
      backlog_arrivals_(max_backlog, 0.0) {
  if (capacity >= num_shelves)
    throw std::invalid_argument("requested shelves must be fewer than the shelves");
}

void OrderBook::clear() {
  std::fill(slot_of_shelf_.begin(), slot_of_shelf_.end(), -1);
  open_ = 0;
  backlog_head_ = 0;
  backlog_size_ = 0;
}

void OrderBook::request(size_t slot, double arrival_s, Rng& rng) {
  // The k-th shelf among those not requested, so every candidate is equally likely.
  uint64_t k = rng.below(slot_of_shelf_.size() - open_);
  int shelf = 0;
  while (slot_of_shelf_[shelf] >= 0 || k-- > 0) ++shelf;
  shelf_of_slot_[slot] = shelf;
  arrival_of_slot_[slot] = arrival_s;
  slot_of_shelf_[shelf] = static_cast<int>(slot);
}

int OrderBook::add(double now_s, Rng& rng) {
  if (open_ < shelf_of_slot_.size()) {
    request(open_, now_s, rng);
    return shelf_of_slot_[open_++];
  }
  if (backlog_size_ < std::ssize(backlog_arrivals_)) {
    backlog_arrivals_[(backlog_head_ + backlog_size_) % backlog_arrivals_.size()] = now_s;
    ++backlog_size_;
  }
  return -1;
}

void OrderBook::fill(double now_s, Rng& rng) {
  while (open_ < shelf_of_slot_.size()) add(now_s, rng);
}

double OrderBook::fulfil(int shelf, double now_s, Rng& rng) {
  const auto slot = static_cast<size_t>(slot_of_shelf_[shelf]);
  const double cycle_time = now_s - arrival_of_slot_[slot];
  if (replace_on_fulfil_ || backlog_size_ > 0) {
    double arrival_s = now_s;
    if (backlog_size_ > 0) {
      arrival_s = backlog_arrivals_[backlog_head_];
      backlog_head_ = (backlog_head_ + 1) % static_cast<int>(backlog_arrivals_.size());
      --backlog_size_;
    }
    // Drawn while `shelf` still counts as requested, so that it is not
    // requested again while it stands on the pick station.
    request(slot, arrival_s, rng);
    slot_of_shelf_[shelf] = -1;
  } else {
    --open_;
    shelf_of_slot_[slot] = shelf_of_slot_[open_];
    arrival_of_slot_[slot] = arrival_of_slot_[open_];
    slot_of_shelf_[shelf_of_slot_[slot]] = static_cast<int>(slot);
    slot_of_shelf_[shelf] = -1;
  }
  return cycle_time;
}

void OrderBook::archive(StateArchive& state) {
  state(shelf_of_slot_, arrival_of_slot_, slot_of_shelf_, open_, backlog_arrivals_, backlog_head_,
        backlog_size_);
}

}  // namespace twinrl::warehouse
