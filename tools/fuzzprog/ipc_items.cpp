#include "ipc_items.hpp"

#include <algorithm>

namespace fuzzprog {

namespace {

std::vector<Ipc_item> first_items(nova::Utcb const& sender, std::size_t count)
{
    std::vector<Ipc_item> items;
    auto& utcb = const_cast<nova::Utcb&>(sender); // item_crd() has no const overload
    for (std::size_t i = 0; i < count; ++i)
        items.push_back({nova::Crd{utcb.item_crd(i)}, utcb.item_flags(i)});
    return items;
}

novamodel::Operation delegation(Ipc_item const& item, nova::Crd window, novamodel::Object_id from,
                                novamodel::Object_id to)
{
    novamodel::Delegate_item d{item.crd,
                               window,
                               nova::item::hotspot(item.flags),
                               (item.flags & nova::item::dma) != 0,
                               (item.flags & nova::item::guest) != 0,
                               (item.flags & nova::item::from_kernel) != 0};
    return novamodel::Delegate_op{from, to, d};
}

} // namespace

Ipc_transfer message_items(nova::Utcb const& sender, nova::Utcb const& receiver)
{
    std::size_t untyped = std::min(sender.untyped(), nova::Utcb::words);
    std::size_t typed = std::min(sender.typed(), (nova::Utcb::words - untyped) / 2);
    return {first_items(sender, typed), receiver.del, receiver.xlt, false};
}

Ipc_transfer event_reply_items(nova::Utcb const& sender)
{
    nova::Crd all_memory{nova::Crd::Type::mem, 0, 31, nova::perm::all};
    std::size_t typed = std::min(sender.typed(), nova::Utcb::max_typed);
    return {first_items(sender, typed), all_memory, nova::Crd{}, true};
}

std::vector<novamodel::Operation> item_operations(Ipc_transfer const& transfer,
                                                  novamodel::Object_id sender,
                                                  novamodel::Object_id receiver)
{
    std::vector<novamodel::Operation> operations;
    for (Ipc_item const& item : transfer.items) {
        if ((item.flags & nova::item::delegate) != 0) {
            operations.push_back(delegation(item, transfer.del, sender, receiver));
        } else if (!transfer.to_event) {
            operations.push_back(novamodel::Translate_op{sender, receiver, item.crd, transfer.xlt});
        }
    }
    return operations;
}

} // namespace fuzzprog
