#include "generator.hpp"

#include "program/form.hpp"

namespace fuzz {

namespace {

hcl::Instruction blank(std::string_view mnemonic)
{
    hcl::Instruction instruction{};
    instruction.call = hcl::blank_call(*hcl::find_form(mnemonic));
    return instruction;
}

} // namespace

void set_operand(hcl::Instruction& instruction, std::size_t index, hcl::Named_value const& value)
{
    instruction.call.operands[index] = value.value;
    instruction.names[1 + index] = value.name;
    auto bit = static_cast<std::uint8_t>(1u << index);
    instruction.relative = static_cast<std::uint8_t>(value.relative ? instruction.relative | bit
                                                                    : instruction.relative & ~bit);
}

void set_selector(hcl::Instruction& instruction, hcl::Named_value const& value)
{
    instruction.call.selector = value.value;
    instruction.names[0] = value.name;
}

void Generator::set(hcl::Instruction& instruction, std::string_view operand,
                    hcl::Named_value const& v)
{
    set_operand(instruction, instruction.call.form->operand_index(operand).value(), v);
}

void Generator::flag(hcl::Instruction& instruction, std::string_view name, bool on)
{
    std::uint8_t bit = instruction.call.form->flag_bit(name).value();
    if (on) instruction.call.flags = static_cast<std::uint8_t>(instruction.call.flags | bit);
}

// A new object gets a fresh name; now and then a number, which may be taken already.
void Generator::bind(hcl::Instruction& instruction, std::string_view stem)
{
    Random& random = choices_.random();
    if (random.one_in(choices_.swarm().numbered_one_in * 2)) {
        instruction.call.selector = choices_.number_selector();
        return;
    }
    instruction.names[0] = choices_.scope().fresh(stem);
}

hcl::Instruction Generator::statement(Place place)
{
    return statement(choices_.swarm().pick(choices_.random(), place), place);
}

hcl::Instruction Generator::statement(Kind kind, Place place)
{
    hcl::Instruction instruction;
    if (kind <= Kind::create_sm) {
        instruction = creation(kind);
    } else if (kind <= Kind::sm_down) {
        instruction = control(kind, place);
    } else if (kind == Kind::call || kind == Kind::reply) {
        instruction = message(kind);
    } else if (kind == Kind::raw) {
        instruction = raw();
    } else if (kind == Kind::delegate || kind == Kind::translate) {
        instruction = function(kind);
    } else if (kind == Kind::assign) {
        instruction = assign();
    } else {
        instruction = declaration(kind);
    }
    choices_.scope().bind(instruction);
    if (instruction.call.form->block) {
        block(instruction, kind == Kind::portal ? Place::handler_block : Place::thread_block, 4);
    }
    return instruction;
}

hcl::Instruction Generator::creation(Kind kind)
{
    Choices& c = choices_;
    hcl::Instruction i = blank(kind_name(kind));
    bind(i, std::string_view{kind_name(kind)}.substr(7)); // create_sm: $sm0
    set(i, "owner", c.selector(of(Resource::pd)));
    switch (kind) {
    case Kind::create_pd:
        set(i, "crd", c.crd());
        break;
    case Kind::create_ec:
        set(i, "utcb", c.utcb());
        set(i, "cpu", c.cpu());
        if (c.random().one_in(4)) set(i, "evt", c.number_selector());
        flag(i, "global", c.random().one_in(2));
        break;
    case Kind::create_sc:
        set(i, "ec", c.selector(of(Resource::global_ec)));
        set(i, "prio", c.prio());
        set(i, "quantum", c.quantum());
        break;
    case Kind::create_pt:
        set(i, "ec", c.selector(of(Resource::local_ec)));
        set(i, "ip", c.word());
        if (c.random().one_in(4)) set(i, "mtd", c.word());
        break;
    default:
        set(i, "count", c.small(3));
        break;
    }
    return i;
}

// The root must not wait for good on a semaphore (the rest of the program would never run),
// so a top-level down mostly has a deadline.
hcl::Instruction Generator::control(Kind kind, Place place)
{
    Choices& c = choices_;
    hcl::Instruction i = blank(kind_name(kind));
    switch (kind) {
    case Kind::revoke:
    case Kind::lookup:
        set(i, "crd", c.crd());
        if (kind == Kind::revoke) flag(i, "self", c.random().one_in(3));
        return i;
    case Kind::ec_ctrl:
        set_selector(i, c.selector(any_ec));
        return i;
    case Kind::sc_ctrl:
        set_selector(i, c.selector(of(Resource::sc)));
        return i;
    case Kind::pt_ctrl:
        set_selector(i, c.selector(of(Resource::pt)));
        set(i, "pid", c.small(20));
        return i;
    default:
        break;
    }
    set_selector(i, c.selector(of(Resource::sm)));
    if (kind == Kind::sm_up) return i;
    flag(i, "zero", c.random().one_in(4));
    std::uint64_t wait = c.deadline();
    if (wait == 0 && place == Place::top_level) wait = 1 + c.small(50'000);
    if (wait != 0) set(i, "deadline", hcl::Named_value{wait, {}, true});
    return i;
}

hcl::Instruction Generator::message(Kind kind)
{
    Choices& c = choices_;
    hcl::Instruction i = blank(kind_name(kind));
    if (!c.random().one_in(4)) i.message.words = c.words();
    i.message.items = c.items();
    if (kind == Kind::reply) return i;
    set_selector(i, c.selector(of(Resource::pt)));
    if (c.random().one_in(3)) set(i, "window", c.window());
    if (c.random().one_in(8)) set(i, "xlt", c.window());
    flag(i, "nonblocking", c.random().one_in(6));
    return i;
}

hcl::Instruction Generator::function(Kind kind)
{
    Choices& c = choices_;
    hcl::Instruction i = blank(kind_name(kind));
    set(i, "src", c.selector(of(Resource::pd)));
    set(i, "dst", c.selector(of(Resource::pd)));
    set(i, kind == Kind::delegate ? "send" : "crd", c.crd());
    set(i, "window", c.window());
    if (kind == Kind::translate) return i;
    if (c.random().one_in(4)) set(i, "hotspot", c.small(0x400));
    flag(i, "dma", c.random().one_in(8));
    flag(i, "guest", c.random().one_in(8));
    flag(i, "kernel", c.random().one_in(4));
    return i;
}

// Any frame: a hypercall number (15 has none), stray flag bits, a small selector.
hcl::Instruction Generator::raw()
{
    Random& random = choices_.random();
    hcl::Instruction i = blank("raw");
    set(i, "rdi", random.below(16) | random.below(16) << 4 | random.below(0x500) << 8);
    for (std::string_view reg : {"rsi", "rdx", "rax", "r8"}) {
        if (random.one_in(2)) set(i, reg, choices_.word());
    }
    return i;
}

hcl::Instruction Generator::assign()
{
    Choices& c = choices_;
    bool pci = c.random().one_in(2);
    hcl::Instruction i = blank(pci ? "assign_pci" : "assign_gsi");
    set_selector(i, c.selector(of(pci ? Resource::pd : Resource::sm)));
    set(i, "dev", c.word());
    return i;
}

hcl::Instruction Generator::declaration(Kind kind)
{
    Choices& c = choices_;
    hcl::Instruction i = blank(kind_name(kind));
    bind(i, kind == Kind::thread ? "t" : kind == Kind::portal ? "p" : kind_name(kind));
    switch (kind) {
    case Kind::ec:
        if (c.random().one_in(3)) set(i, "owner", c.selector(of(Resource::pd)));
        if (c.random().one_in(3)) set(i, "cpu", c.cpu());
        break;
    case Kind::portal:
        set(i, "ec", c.selector(of(Resource::local_ec)));
        if (c.random().one_in(2)) set(i, "pid", c.small(9));
        if (c.random().one_in(8)) set(i, "mtd", c.word());
        return i;
    case Kind::thread:
        set(i, "cpu", c.cpu());
        set(i, "prio", 1 + c.small(9));
        set(i, "quantum", 100 + c.small(3000));
        break;
    default:
        return i; // a slot
    }
    if (c.random().one_in(2)) set(i, "window", c.window());
    if (c.random().one_in(6)) set(i, "xlt", c.window());
    return i;
}

void Generator::block(hcl::Instruction& declaration, Place place, std::size_t most)
{
    std::size_t size = choices_.random().below(most + 1);
    for (std::size_t n = 0; n < size; ++n) declaration.block.push_back(statement(place));
}

hcl::Program Generator::program(std::size_t size)
{
    hcl::Program program;
    std::size_t written = 0;
    while (written < size) {
        program.instructions.push_back(statement(Place::top_level));
        written += 1 + program.instructions.back().block.size();
    }
    return program;
}

} // namespace fuzz
