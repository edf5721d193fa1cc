#pragma once
// Runs one of our programs as a user would, for end-to-end tests: the exit
// code and everything it printed.
#include <sys/wait.h>

#include <cstdio>
#include <cstdlib>
#include <string>

namespace twinrl::test_support {

struct Outcome {
  int exit_code;
  std::string output;  // stdout and stderr together
};

inline Outcome run_program(const std::string& program, const std::string& arguments) {
  const std::string command = program + " " + arguments + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  if (!pipe) return {-1, "popen failed"};
  std::string output;
  char buffer[4096];
  while (size_t n = fread(buffer, 1, sizeof buffer, pipe)) output.append(buffer, n);
  const int status = pclose(pipe);
  return {WIFEXITED(status) ? WEXITSTATUS(status) : -1, output};
}

// A file of the source tree (ctest sets TWINRL_SOURCE_DIR).
inline std::string source_path(const std::string& relative) {
  const char* root = std::getenv("TWINRL_SOURCE_DIR");
  return std::string(root ? root : ".") + "/" + relative;
}

}  // namespace twinrl::test_support
