#include "agents/distributed/local_launch.h"

#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <stdexcept>
#include <system_error>
#include <thread>

extern char** environ;

namespace twinrl {
namespace {

// This process's environment without the rendezvous variables, plus each
// rank's own.
std::vector<std::string> worker_environment(int rank, int nproc, int port) {
  std::vector<std::string> variables;
  for (char** entry = environ; *entry != nullptr; ++entry) {
    const std::string variable = *entry;
    const std::string name = variable.substr(0, variable.find('='));
    if (name != "RANK" && name != "WORLD_SIZE" && name != "MASTER_ADDR" && name != "MASTER_PORT" &&
        name != "LOCAL_RANK")
      variables.push_back(variable);
  }
  variables.push_back("RANK=" + std::to_string(rank));
  variables.push_back("LOCAL_RANK=" + std::to_string(rank));
  variables.push_back("WORLD_SIZE=" + std::to_string(nproc));
  variables.push_back("MASTER_ADDR=127.0.0.1");
  variables.push_back("MASTER_PORT=" + std::to_string(port));
  return variables;
}

std::vector<char*> pointers(std::vector<std::string>& strings) {
  std::vector<char*> result;
  for (std::string& s : strings) result.push_back(s.data());
  result.push_back(nullptr);
  return result;
}

// A rank's exit status as an exit code, and what to tell the user.
int exit_code(int status) {
  return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

std::string describe(int rank, int status) {
  if (WIFSIGNALED(status))
    return "rank " + std::to_string(rank) + " was killed by signal " +
           std::to_string(WTERMSIG(status)) + " (" + strsignal(WTERMSIG(status)) + ")";
  return "rank " + std::to_string(rank) + " exited with code " +
         std::to_string(WEXITSTATUS(status));
}

// Set by SIGINT or SIGTERM to the launcher: the ranks are stopped with it.
volatile sig_atomic_t interrupted = 0;

void on_interrupt(int) {
  interrupted = 1;
}

// Starts a rank that dies with the launcher, however the launcher ends
// (PR_SET_PDEATHSIG survives the exec), so no rank outlives it.
pid_t start_rank(std::vector<std::string> argv, std::vector<std::string> environment) {
  std::vector<char*> arguments = pointers(argv), variables = pointers(environment);
  const pid_t launcher = ::getpid();
  const pid_t pid = ::fork();
  if (pid == 0) {  // only async-signal-safe calls until the exec
    ::prctl(PR_SET_PDEATHSIG, SIGTERM);
    if (::getppid() != launcher) ::_exit(1);
    ::execve("/proc/self/exe", arguments.data(), variables.data());
    ::_exit(127);
  }
  return pid;
}

}  // namespace

int free_loopback_port() {
  const int socket_fd = ::socket(AF_INET, SOCK_STREAM, 0);
  if (socket_fd < 0) throw std::system_error(errno, std::generic_category(), "socket");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;  // the kernel picks a free one
  socklen_t length = sizeof(address);
  const bool ok = ::bind(socket_fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
                  ::getsockname(socket_fd, reinterpret_cast<sockaddr*>(&address), &length) == 0;
  const int error = errno;
  ::close(socket_fd);
  if (!ok) throw std::system_error(error, std::generic_category(), "finding a free port");
  return ntohs(address.sin_port);
}

int run_local_workers(int nproc, const std::vector<std::string>& arguments) {
  if (nproc < 1)
    throw std::invalid_argument("--nproc must be at least 1, not " + std::to_string(nproc));
  const int port = free_loopback_port();
  std::vector<pid_t> ranks;
  auto stop_all = [&](int signal) {
    for (const pid_t pid : ranks)
      if (pid > 0) ::kill(pid, signal);
  };
  // Ctrl-C or a kill of the launcher stops the ranks (without SA_RESTART,
  // so that waitpid returns to look).
  struct sigaction action = {};
  action.sa_handler = on_interrupt;
  ::sigaction(SIGINT, &action, nullptr);
  ::sigaction(SIGTERM, &action, nullptr);
  for (int rank = 0; rank < nproc; ++rank) {
    std::vector<std::string> argv{"/proc/self/exe"};
    argv.insert(argv.end(), arguments.begin(), arguments.end());
    const pid_t pid = start_rank(argv, worker_environment(rank, nproc, port));
    if (pid < 0) {
      const int error = errno;
      stop_all(SIGKILL);
      for (const pid_t started : ranks) ::waitpid(started, nullptr, 0);
      throw std::system_error(error, std::generic_category(),
                              "starting rank " + std::to_string(rank));
    }
    ranks.push_back(pid);
  }

  int result = 0;
  int running = nproc;
  std::chrono::steady_clock::time_point stop_deadline{};
  bool stopping = false;
  while (running > 0) {
    int status = 0;
    if (interrupted && !stopping) {
      std::fprintf(stderr, "interrupted: stopping the %d rank%s\n", running,
                   running == 1 ? "" : "s");
      result = 130;
      stopping = true;
      stop_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      stop_all(SIGTERM);
    }
    const pid_t pid = ::waitpid(-1, &status, stopping ? WNOHANG : 0);
    if (pid < 0) {
      if (errno == EINTR) continue;
      break;  // no children left
    }
    if (pid == 0) {  // stopping, and some rank is still shutting down
      if (std::chrono::steady_clock::now() > stop_deadline) stop_all(SIGKILL);
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      continue;
    }
    int rank = 0;
    while (rank < nproc && ranks[rank] != pid) ++rank;
    if (rank == nproc) continue;
    ranks[rank] = -1;
    --running;
    const bool failed = !(WIFEXITED(status) && WEXITSTATUS(status) == 0);
    if (failed && !stopping) {
      result = exit_code(status);
      std::fprintf(stderr, "error: %s; stopping the other %d rank%s\n",
                   describe(rank, status).c_str(), running, running == 1 ? "" : "s");
      stopping = true;
      stop_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
      stop_all(SIGTERM);
    }
  }
  return result;
}

}  // namespace twinrl
