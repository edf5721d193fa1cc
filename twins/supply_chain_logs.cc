#include "twins/supply_chain_logs.h"

#include <algorithm>
#include <map>
#include <sstream>
#include <utility>

#include "config/csv_table.h"
#include "envs/supply_chain/supply_chain_env.h"
#include "rundir/atomic_file.h"

namespace twinrl {
namespace {

// Reads a stage name and a SKU index, checked against the model.
struct ItemColumns {
  const CsvTable& table;
  const SupplyChainModel& model;
  size_t stage_column, sku_column;

  int stage(size_t row) const {
    const auto& names = model.params().stages.names;
    const std::string_view name = table.cell(row, stage_column);
    const auto found = std::ranges::find(names, name);
    if (found == names.end()) {
      std::string known;
      for (const std::string& stage : names) known += (known.empty() ? "" : ", ") + stage;
      table.fail(row, stage_column, "is not a stage of the twin (" + known + ")");
    }
    return static_cast<int>(found - names.begin());
  }
  int sku(size_t row) const {
    const int64_t sku = table.count(row, sku_column);
    if (sku >= model.num_skus())
      table.fail(
          row, sku_column,
          "is not a SKU of the twin (indices 0 to " + std::to_string(model.num_skus() - 1) + ")");
    return static_cast<int>(sku);
  }
};

// Periods must increase per stage and SKU: a duplicate or an unsorted row
// is a mistake in an export, not something to guess around.
class PeriodOrder {
 public:
  PeriodOrder(const CsvTable& table, size_t column, bool strictly)
      : table_(table), column_(column), strictly_(strictly) {}
  void check(size_t row, int stage, int sku, int64_t period) {
    const auto [last, inserted] = last_.try_emplace({stage, sku}, period);
    if (inserted) return;
    if (period < last->second || (strictly_ && period == last->second))
      table_.fail(row, column_,
                  period == last->second
                      ? "repeats the period of an earlier row for this stage and SKU"
                      : "comes before the period of an earlier row for this stage and SKU (rows "
                        "must be sorted by period)");
    last->second = period;
  }

 private:
  const CsvTable& table_;
  size_t column_;
  bool strictly_;
  std::map<std::pair<int, int>, int64_t> last_;
};

// Reads a log's rows in order: each row's stage, SKU and period (checked
// against the model and for order), then `on_row(row, stage, sku, period)`
// reads the rest.
template <class OnRow>
void read_item_rows(const CsvTable& table, const SupplyChainModel& model,
                    const std::string& stage_column, const std::string& sku_column,
                    const std::string& period_column, bool strictly_increasing, OnRow on_row) {
  const ItemColumns item{table, model, table.column(stage_column), table.column(sku_column)};
  const size_t period = table.column(period_column);
  PeriodOrder order(table, period, strictly_increasing);
  for (size_t row = 0; row < table.rows(); ++row) {
    const int stage = item.stage(row), sku = item.sku(row);
    const int64_t at = table.integer(row, period);
    order.check(row, stage, sku, at);
    on_row(row, stage, sku, at);
  }
}

}  // namespace

SupplyChainLogs read_supply_chain_logs(const std::filesystem::path& directory,
                                       const SupplyChainLogFiles& files,
                                       const SupplyChainModel& model) {
  SupplyChainLogs logs;
  const std::vector<int>& demand_items = model.demand_items();

  const CsvTable inventory = CsvTable::read(directory / files.inventory.file);
  const size_t on_hand = inventory.column(files.inventory.on_hand);
  read_item_rows(inventory, model, files.inventory.stage, files.inventory.sku,
                 files.inventory.period, true, [&](size_t row, int stage, int sku, int64_t period) {
                   logs.inventory.push_back({.period = period,
                                             .stage = stage,
                                             .sku = sku,
                                             .on_hand = inventory.count(row, on_hand)});
                 });
  std::map<std::tuple<int, int, int64_t>, int64_t> stock_at;
  for (const InventoryRow& row : logs.inventory)
    stock_at[{row.stage, row.sku, row.period}] = row.on_hand;

  const CsvTable sales = CsvTable::read(directory / files.sales.file);
  const size_t sold = sales.column(files.sales.sales),
               sales_stage = sales.column(files.sales.stage);
  read_item_rows(
      sales, model, files.sales.stage, files.sales.sku, files.sales.period, true,
      [&](size_t row, int stage, int sku, int64_t period) {
        if (std::ranges::find(demand_items, stage * model.num_skus() + sku) == demand_items.end())
          sales.fail(row, sales_stage,
                     "has no customer demand in the twin: sales are logged at retailers (stages "
                     "nobody orders from)");
        if (!stock_at.contains({stage, sku, period}))
          sales.fail_row(row, "no on-hand stock for period " + std::to_string(period) +
                                  " of this stage and SKU in " + inventory.path() +
                                  ": without it a stock-out cannot be told from low demand");
        logs.sales.push_back(
            {.period = period, .stage = stage, .sku = sku, .sales = sales.count(row, sold)});
      });

  const CsvTable shipments = CsvTable::read(directory / files.shipments.file);
  const size_t received = shipments.column(files.shipments.received),
               quantity = shipments.column(files.shipments.quantity);
  read_item_rows(shipments, model, files.shipments.stage, files.shipments.sku,
                 files.shipments.shipped, false,
                 [&](size_t row, int stage, int sku, int64_t shipped) {
                   const int64_t arrival = shipments.integer(row, received);
                   if (arrival < shipped)
                     shipments.fail(row, received, "is before the period the shipment left");
                   logs.shipments.push_back({.stage = stage,
                                             .sku = sku,
                                             .shipped = shipped,
                                             .received = arrival,
                                             .quantity = shipments.count(row, quantity)});
                 });
  return logs;
}

void write_supply_chain_logs(const std::filesystem::path& directory, const SupplyChainLogs& logs,
                             const SupplyChainModel& model) {
  const auto& names = model.params().stages.names;
  std::filesystem::create_directories(directory);
  std::ostringstream sales, inventory, shipments;
  sales << "period,stage,sku,sales\n";
  for (const SalesRow& row : logs.sales)
    sales << row.period << ',' << names[row.stage] << ',' << row.sku << ',' << row.sales << '\n';
  inventory << "period,stage,sku,on_hand\n";
  for (const InventoryRow& row : logs.inventory)
    inventory << row.period << ',' << names[row.stage] << ',' << row.sku << ',' << row.on_hand
              << '\n';
  shipments << "stage,sku,shipped_period,received_period,quantity\n";
  for (const ShipmentRow& row : logs.shipments)
    shipments << names[row.stage] << ',' << row.sku << ',' << row.shipped << ',' << row.received
              << ',' << row.quantity << '\n';
  const SupplyChainLogFiles files;
  write_file_atomically(directory / files.sales.file, sales.str());
  write_file_atomically(directory / files.inventory.file, inventory.str());
  write_file_atomically(directory / files.shipments.file, shipments.str());
}

}  // namespace twinrl
