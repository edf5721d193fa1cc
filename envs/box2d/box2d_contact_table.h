#pragma once
// Box2D 2.4 fills its table of contact functions when the first contact of
// the process is created, without synchronization. Envs step on worker
// threads, so every Box2D env calls this before it builds a world: the table
// is filled once, on one thread, before any env can make a contact.
namespace twinrl {

void fill_box2d_contact_table();

}  // namespace twinrl
