#pragma once
// `--nproc N` on one machine, as torchrun does it: N copies of this program,
// each told its place by RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT.
#include <string>
#include <vector>

namespace twinrl {

// A TCP port on the loopback interface that nothing listens on now.
int free_loopback_port();

// Runs `nproc` copies of this program with `arguments` (argv without the
// program) and the rendezvous variables of each rank (MASTER_ADDR 127.0.0.1,
// a free port), and waits for all. When one fails, the others are stopped
// at once (SIGTERM, then SIGKILL after 10 s), so no rank waits on a dead
// peer; SIGINT or SIGTERM to the launcher stops them too (exit code 130),
// and a launcher that is killed takes its ranks with it. Returns 0 when all
// succeed, else the first failure's exit code (1 for a rank killed by a
// signal), after saying on stderr which rank failed.
int run_local_workers(int nproc, const std::vector<std::string>& arguments);

}  // namespace twinrl
