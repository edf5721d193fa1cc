#pragma once
// A supply chain's logs as a facility keeps them (twins/README.md, "Supply
// chain logs"): sales per period, retailer and SKU (sales, not demand: at a
// stock-out the demand is unseen), on-hand stock at the end of each period,
// and shipments with the periods they left and arrived. Read from CSV files
// with located errors, and written in the same format by `twin synth`.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "config/config_node.h"
#include "config/schema.h"

namespace twinrl {

class SupplyChainModel;

struct SalesRow {
  int64_t period = 0;
  int stage = 0, sku = 0;
  int64_t sales = 0;
};

struct InventoryRow {
  int64_t period = 0;
  int stage = 0, sku = 0;
  int64_t on_hand = 0;
};

// Units the stage's supplier shipped to it in period `shipped`, received in
// period `received` (lead time received - shipped).
struct ShipmentRow {
  int stage = 0, sku = 0;
  int64_t shipped = 0, received = 0, quantity = 0;
};

struct SupplyChainLogs {
  std::vector<SalesRow> sales;
  std::vector<InventoryRow> inventory;
  std::vector<ShipmentRow> shipments;
};

// Where each log is and what its columns are called (the `twin.logs` section).
struct SupplyChainLogFiles {
  struct Sales {
    std::string file = "sales.csv";
    std::string period = "period", stage = "stage", sku = "sku", sales = "sales";
    template <class Visitor>
    void visit(Visitor& v) {
      v("file", file, {.doc = "CSV, relative to the logs directory"});
      v("period", period, {.doc = "column: period number (a whole number, e.g. the day)"});
      v("stage", stage, {.doc = "column: the retailer's stage name"});
      v("sku", sku, {.doc = "column: SKU index, from 0"});
      v("sales", sales, {.doc = "column: units sold"});
    }
  } sales;
  struct Inventory {
    std::string file = "inventory.csv";
    std::string period = "period", stage = "stage", sku = "sku", on_hand = "on_hand";
    template <class Visitor>
    void visit(Visitor& v) {
      v("file", file, {.doc = "CSV, relative to the logs directory"});
      v("period", period, {.doc = "column: period number"});
      v("stage", stage, {.doc = "column: stage name"});
      v("sku", sku, {.doc = "column: SKU index, from 0"});
      v("on_hand", on_hand, {.doc = "column: units on hand at the end of the period"});
    }
  } inventory;
  struct Shipments {
    std::string file = "shipments.csv";
    std::string stage = "stage", sku = "sku", shipped = "shipped_period",
                received = "received_period", quantity = "quantity";
    template <class Visitor>
    void visit(Visitor& v) {
      v("file", file, {.doc = "CSV, relative to the logs directory"});
      v("stage", stage, {.doc = "column: the receiving stage's name"});
      v("sku", sku, {.doc = "column: SKU index, from 0"});
      v("shipped", shipped, {.doc = "column: period the supplier shipped"});
      v("received", received, {.doc = "column: period the stage received"});
      v("quantity", quantity, {.doc = "column: units"});
    }
  } shipments;

  template <class Visitor>
  void visit(Visitor& v) {
    v("sales", sales);
    v("inventory", inventory);
    v("shipments", shipments);
  }
};

// Reads the three logs from `directory`. Every row is checked against the
// model (stage names, SKUs, retailers for sales), periods must increase per
// stage and SKU, counts be whole and non-negative, and every sales row needs
// the on-hand stock of its period (to tell a stock-out); a CsvError names
// the file, row and column otherwise.
SupplyChainLogs read_supply_chain_logs(const std::filesystem::path& directory,
                                       const SupplyChainLogFiles& files,
                                       const SupplyChainModel& model);

// Writes the logs in the default column names, atomically per file.
void write_supply_chain_logs(const std::filesystem::path& directory, const SupplyChainLogs& logs,
                             const SupplyChainModel& model);

}  // namespace twinrl
