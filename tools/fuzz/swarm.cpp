#include "swarm.hpp"

#include <fmt/format.h>

namespace fuzz {

namespace {

constexpr std::array<char const*, kind_count> names{
    "create_pd", "create_ec", "create_sc", "create_pt", "create_sm", "revoke", "lookup", "ec_ctrl",
    "sc_ctrl",   "pt_ctrl",   "sm_up",     "sm_down",   "call",      "reply",  "raw",    "delegate",
    "translate", "assign",    "ec",        "portal",    "thread",    "slot"};

constexpr std::array creating{Kind::create_pd, Kind::create_sm, Kind::ec,
                              Kind::portal,    Kind::thread,    Kind::create_ec};

Kind kind_at(std::size_t index)
{
    return static_cast<Kind>(index);
}

bool is_declaration(Kind kind)
{
    return kind >= Kind::ec;
}

} // namespace

bool fits(Kind kind, Place place)
{
    if (is_declaration(kind)) return place == Place::top_level;
    if (kind == Kind::reply) return place == Place::handler_block;
    return true;
}

char const* kind_name(Kind kind)
{
    return names[static_cast<std::size_t>(kind)];
}

Swarm Swarm::uniform()
{
    Swarm swarm;
    swarm.weights_.fill(1);
    return swarm;
}

Swarm Swarm::from_seed(std::uint64_t seed)
{
    Random random{seed};
    Swarm swarm;
    for (std::uint32_t& weight : swarm.weights_) {
        weight = random.one_in(2) ? 1u << random.below(7) : 0;
    }
    std::size_t maker = static_cast<std::size_t>(random.pick(creating));
    if (swarm.weights_[maker] == 0) swarm.weights_[maker] = 1u << random.below(7);
    swarm.numbered_one_in = static_cast<std::uint32_t>(random.between(3, 30));
    swarm.masked_one_in = static_cast<std::uint32_t>(random.between(1, 8));
    return swarm;
}

Kind Swarm::pick(Random& random, Place place) const
{
    std::uint64_t total = 0;
    for (std::size_t i = 0; i < kind_count; ++i) {
        if (fits(kind_at(i), place)) total += weights_[i];
    }
    if (total == 0) return uniform().pick(random, place);
    std::uint64_t ticket = random.below(total);
    for (std::size_t i = 0; i < kind_count; ++i) {
        if (!fits(kind_at(i), place)) continue;
        if (ticket < weights_[i]) return kind_at(i);
        ticket -= weights_[i];
    }
    __builtin_unreachable();
}

std::string Swarm::describe() const
{
    std::string text;
    for (std::size_t i = 0; i < kind_count; ++i) {
        if (weights_[i] != 0)
            text += fmt::format("{}{}:{}", text.empty() ? "" : " ", names[i], weights_[i]);
    }
    return text;
}

} // namespace fuzz
