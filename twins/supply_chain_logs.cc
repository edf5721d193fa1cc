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

CsvTable read_log(const std::filesystem::path& directory, const std::string& file) {
  return CsvTable::read(directory / file);
}

}  // namespace

SupplyChainLogs read_supply_chain_logs(const std::filesystem::path& directory,
                                       const SupplyChainLogFiles& files,
                                       const SupplyChainModel& model) {
  SupplyChainLogs logs;
  const std::vector<int>& demand_items = model.demand_items();

  const CsvTable inventory = read_log(directory, files.inventory.file);
  {
    const ItemColumns item{inventory, model, inventory.column(files.inventory.stage),
                           inventory.column(files.inventory.sku)};
    const size_t period = inventory.column(files.inventory.period),
                 on_hand = inventory.column(files.inventory.on_hand);
    PeriodOrder order(inventory, period, true);
    for (size_t row = 0; row < inventory.rows(); ++row) {
      InventoryRow& entry = logs.inventory.emplace_back();
      entry.stage = item.stage(row);
      entry.sku = item.sku(row);
      entry.period = inventory.integer(row, period);
      entry.on_hand = inventory.count(row, on_hand);
      order.check(row, entry.stage, entry.sku, entry.period);
    }
  }
  std::map<std::tuple<int, int, int64_t>, int64_t> stock_at;
  for (const InventoryRow& row : logs.inventory)
    stock_at[{row.stage, row.sku, row.period}] = row.on_hand;

  const CsvTable sales = read_log(directory, files.sales.file);
  {
    const ItemColumns item{sales, model, sales.column(files.sales.stage),
                           sales.column(files.sales.sku)};
    const size_t period = sales.column(files.sales.period), sold = sales.column(files.sales.sales);
    PeriodOrder order(sales, period, true);
    for (size_t row = 0; row < sales.rows(); ++row) {
      SalesRow& entry = logs.sales.emplace_back();
      entry.stage = item.stage(row);
      entry.sku = item.sku(row);
      if (std::ranges::find(demand_items, entry.stage * model.num_skus() + entry.sku) ==
          demand_items.end())
        sales.fail(row, item.stage_column,
                   "has no customer demand in the twin: sales are logged at retailers (stages "
                   "nobody orders from)");
      entry.period = sales.integer(row, period);
      entry.sales = sales.count(row, sold);
      order.check(row, entry.stage, entry.sku, entry.period);
      if (!stock_at.contains({entry.stage, entry.sku, entry.period}))
        sales.fail_row(row, "no on-hand stock for period " + std::to_string(entry.period) +
                                " of this stage and SKU in " + inventory.path() +
                                ": without it a stock-out cannot be told from low demand");
    }
  }

  const CsvTable shipments = read_log(directory, files.shipments.file);
  {
    const ItemColumns item{shipments, model, shipments.column(files.shipments.stage),
                           shipments.column(files.shipments.sku)};
    const size_t shipped = shipments.column(files.shipments.shipped),
                 received = shipments.column(files.shipments.received),
                 quantity = shipments.column(files.shipments.quantity);
    PeriodOrder order(shipments, shipped, false);
    for (size_t row = 0; row < shipments.rows(); ++row) {
      ShipmentRow& entry = logs.shipments.emplace_back();
      entry.stage = item.stage(row);
      entry.sku = item.sku(row);
      entry.shipped = shipments.integer(row, shipped);
      entry.received = shipments.integer(row, received);
      entry.quantity = shipments.count(row, quantity);
      if (entry.received < entry.shipped)
        shipments.fail(row, received, "is before the period the shipment left");
      order.check(row, entry.stage, entry.sku, entry.shipped);
    }
  }
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
