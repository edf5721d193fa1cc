#pragma once
// Opens an HTML page of `twinrl view` in Chromium (tests/player_check.mjs
// under Node) and returns what the checks found, as JSON.
#include <gtest/gtest.h>

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>

#include "tests/command_line.h"

namespace twinrl::test_support {

// `checks` as tests/player_check.mjs documents them.
inline nlohmann::json check_page(const std::filesystem::path& page, const nlohmann::json& checks) {
  const std::string arguments = checks.dump();
  EXPECT_EQ(arguments.find('\''), std::string::npos);
  const Outcome outcome =
      run_program("cd " + source_path("") + " && node",
                  "tests/player_check.mjs " + page.string() + " '" + arguments + "'");
  EXPECT_EQ(outcome.exit_code, 0) << outcome.output;
  const size_t line = outcome.output.rfind("\n{");
  try {
    return nlohmann::json::parse(outcome.output.substr(line == std::string::npos ? 0 : line + 1));
  } catch (const nlohmann::json::exception&) {
    ADD_FAILURE() << "no JSON result from player_check.mjs:\n" << outcome.output;
    return nlohmann::json::object();
  }
}

}  // namespace twinrl::test_support
