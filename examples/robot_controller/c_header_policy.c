/* The exported C policy compiled into the controller, exactly as it would be
 * on a microcontroller: POLICY_HEADER names the header `twinrl export
 * --format c` wrote. */
#include POLICY_HEADER

int controller_policy_observation_size(void) {
  return POLICY_OBSERVATION_SIZE;
}
int controller_policy_action_size(void) {
  return POLICY_ACTION_SIZE;
}
void controller_policy_act(const float* observation, float* action) {
  policy_act(observation, action);
}
