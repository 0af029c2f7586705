// The typed items of one IPC message as the reference model sees them: which of the sender's
// items the kernel transfers, into which windows of the receiver ([C14] §3.4), worked out from
// the two UTCBs independently of the kernel's transfer code. The model then follows each item
// through its own delegate and translate.
#pragma once

#include "nova/utcb.hpp"
#include "operation.hpp"

#include <vector>

namespace fuzzprog {

struct Ipc_item {
    nova::Crd crd;
    nova::mword flags; // delegate bit, D, G, H, hotspot (nova::item)
};

struct Ipc_transfer {
    std::vector<Ipc_item> items;
    nova::Crd del;        // the receiver's delegation window
    nova::Crd xlt;        // the receiver's translation window
    bool to_event{false}; // a reply to an event: no translation, nothing written back
};

// A call's or a reply's items: as many as fit after the untyped words, two words each.
Ipc_transfer message_items(nova::Utcb const& sender, nova::Utcb const& receiver);
// A reply to an event (an exception, STARTUP, RECALL): all of its items, into an implicit
// window over all memory, since the EC that took the event has no receive window.
Ipc_transfer event_reply_items(nova::Utcb const& sender);

// The model's operations for `transfer` from PD `sender` to PD `receiver`, one per item that
// does something: a delegation, or a translation (not for an event).
std::vector<novamodel::Operation> item_operations(Ipc_transfer const& transfer,
                                                  novamodel::Object_id sender,
                                                  novamodel::Object_id receiver);

} // namespace fuzzprog
