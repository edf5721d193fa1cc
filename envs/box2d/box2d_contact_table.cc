#include "envs/box2d/box2d_contact_table.h"

#include <box2d/box2d.h>

#include <mutex>

namespace twinrl {

void fill_box2d_contact_table() {
  static std::once_flag once;
  std::call_once(once, [] {
    // Two overlapping discs make one contact, which fills the whole table.
    b2World world(b2Vec2_zero);
    b2CircleShape disc;
    disc.m_radius = 1.0f;
    for (int i = 0; i < 2; ++i) {
      b2BodyDef body;
      body.type = b2_dynamicBody;
      world.CreateBody(&body)->CreateFixture(&disc, 1.0f);
    }
    world.Step(0.0f, 1, 1);
  });
}

}  // namespace twinrl
