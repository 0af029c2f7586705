// Reading a scenario file: every key is checked for its type and range where it is read, and
// a key that is not known is an error too (a typo must not silently mean a default).
#include "scenarios/scenario.hpp"

#include <fmt/format.h>
#include <fstream>
#include <set>
#include <sstream>
#include <toml++/toml.h>

namespace scenarios {

namespace {

class Reader {
  public:
    explicit Reader(std::string file) : file_{std::move(file)} {}

    [[noreturn]] void fail(toml::node const& at, std::string const& key,
                           std::string const& what) const
    {
        auto const& s = at.source().begin;
        throw Scenario_error(fmt::format("{}:{}:{}: {}: {}", file_, s.line, s.column, key, what));
    }

    // Every key of `table` must be one of `known`.
    void only(toml::table const& table, std::string const& prefix,
              std::set<std::string> const& known) const
    {
        for (auto const& [key, value] : table) {
            if (!known.contains(std::string{key.str()}))
                fail(value, prefix + std::string{key.str()}, "not a key of this table");
        }
    }

    template <typename T>
    T integer(toml::table const& t, std::string const& prefix, char const* key, T fallback,
              std::uint64_t low, std::uint64_t high) const
    {
        toml::node const* n = t.get(key);
        if (n == nullptr) return fallback;
        auto v = n->value<std::int64_t>();
        if (!v || !n->is_integer()) fail(*n, prefix + key, "expected an integer");
        if (*v < 0 || static_cast<std::uint64_t>(*v) < low || static_cast<std::uint64_t>(*v) > high)
            fail(*n, prefix + key, fmt::format("expected {}..{}, got {}", low, high, *v));
        return static_cast<T>(*v);
    }

    std::string text(toml::table const& t, std::string const& prefix, char const* key,
                     std::string fallback) const
    {
        toml::node const* n = t.get(key);
        if (n == nullptr) return fallback;
        if (!n->is_string()) fail(*n, prefix + key, "expected a string");
        return std::string{*n->value<std::string_view>()};
    }

    bool boolean(toml::table const& t, std::string const& prefix, char const* key,
                 bool fallback) const
    {
        toml::node const* n = t.get(key);
        if (n == nullptr) return fallback;
        if (!n->is_boolean()) fail(*n, prefix + key, "expected true or false");
        return *n->value<bool>();
    }

    // A size: bytes as an integer, or a string with a K, M or G suffix ("64M").
    std::uint64_t size(toml::table const& t, std::string const& prefix, char const* key,
                       std::uint64_t fallback) const
    {
        toml::node const* n = t.get(key);
        if (n == nullptr) return fallback;
        if (n->is_integer()) return integer<std::uint64_t>(t, prefix, key, fallback, 1, ~0ull >> 1);
        if (!n->is_string()) fail(*n, prefix + key, "expected a size (bytes, or \"64M\")");
        return parse_size(*n, prefix + key, std::string{*n->value<std::string_view>()});
    }

    toml::table const* table(toml::table const& t, std::string const& prefix, char const* key) const
    {
        toml::node const* n = t.get(key);
        if (n == nullptr) return nullptr;
        if (!n->is_table()) fail(*n, prefix + key, "expected a table");
        return n->as_table();
    }

    std::string const& file() const { return file_; }

  private:
    std::uint64_t parse_size(toml::node const& n, std::string const& key,
                             std::string const& s) const
    {
        std::size_t used = 0;
        std::uint64_t value = 0;
        try {
            value = std::stoull(s, &used, 0);
        } catch (std::exception const&) {
            fail(n, key, fmt::format("expected a size like \"64M\", got \"{}\"", s));
        }
        std::string unit = s.substr(used);
        std::uint64_t scale = unit.empty()  ? 1
                              : unit == "K" ? 1ull << 10
                              : unit == "M" ? 1ull << 20
                              : unit == "G" ? 1ull << 30
                                            : 0;
        if (scale == 0 || value == 0)
            fail(n, key, fmt::format("expected a size like \"64M\", got \"{}\"", s));
        return value * scale;
    }

    std::string file_;
};

void read_machine(Reader const& r, toml::table const& root, Scenario& s)
{
    toml::table const* m = r.table(root, "", "machine");
    if (m == nullptr) return;
    r.only(*m, "machine.", {"cpus", "memory", "time", "tsc_khz"});
    s.machine.cpus = r.integer<std::uint32_t>(*m, "machine.", "cpus", 1, 1, 64);
    s.machine.memory = r.size(*m, "machine.", "memory", 0);
    s.machine.tsc_khz =
        r.integer<std::uint32_t>(*m, "machine.", "tsc_khz", 2'000'000, 1'000, 10'000'000);
    std::string time = r.text(*m, "machine.", "time", "deterministic");
    if (time != "deterministic" && time != "real-time")
        r.fail(*m->get("time"), "machine.time", "expected \"deterministic\" or \"real-time\"");
    s.machine.time = time == "real-time" ? Time_mode::real_time : Time_mode::deterministic;
}

Image read_image(Reader const& r, toml::table const& t, std::string const& prefix)
{
    r.only(t, prefix, {"kind", "path", "guest", "load", "mode", "entry"});
    Image image;
    std::string kind = r.text(t, prefix, "kind", "flat");
    if (kind != "flat" && kind != "elf" && kind != "multiboot")
        r.fail(*t.get("kind"), prefix + "kind", "expected \"flat\", \"elf\" or \"multiboot\"");
    image.kind = kind == "elf"         ? Image_kind::elf
                 : kind == "multiboot" ? Image_kind::multiboot
                                       : Image_kind::flat;
    image.path = r.text(t, prefix, "path", "");
    image.guest = r.text(t, prefix, "guest", "");
    if (image.path.empty() == image.guest.empty())
        r.fail(t, prefix.substr(0, prefix.size() - 1), "needs exactly one of path and guest");
    image.load = r.integer<std::uint64_t>(t, prefix, "load", 0x1000, 0, 0xffff'ffff);
    std::string mode = r.text(t, prefix, "mode", "real16");
    if (mode != "real16" && mode != "protected32" && mode != "long64")
        r.fail(*t.get("mode"), prefix + "mode",
               "expected \"real16\", \"protected32\" or \"long64\"");
    image.mode = mode == "protected32" ? Cpu_mode::protected32
                 : mode == "long64"    ? Cpu_mode::long64
                                       : Cpu_mode::real16;
    if (t.contains("entry"))
        image.entry = r.integer<std::uint64_t>(t, prefix, "entry", 0, 0, ~0ull >> 1);
    return image;
}

std::vector<Module> read_modules(Reader const& r, toml::table const& vm, std::string const& prefix)
{
    std::vector<Module> out;
    toml::node const* n = vm.get("modules");
    if (n == nullptr) return out;
    toml::array const* a = n->as_array();
    if (a == nullptr) r.fail(*n, prefix + "modules", "expected an array of tables");
    for (std::size_t i = 0; i < a->size(); ++i) {
        std::string p = fmt::format("{}modules[{}].", prefix, i);
        toml::table const* t = (*a)[i].as_table();
        if (t == nullptr) r.fail((*a)[i], p.substr(0, p.size() - 1), "expected a table");
        r.only(*t, p, {"path", "guest", "cmdline"});
        Module m{r.text(*t, p, "path", ""), r.text(*t, p, "guest", ""),
                 r.text(*t, p, "cmdline", "")};
        if (m.path.empty() == m.guest.empty())
            r.fail(*t, p.substr(0, p.size() - 1), "needs exactly one of path and guest");
        out.push_back(std::move(m));
    }
    return out;
}

std::vector<std::uint32_t> read_cpus(Reader const& r, toml::table const& vm,
                                     std::string const& prefix, unsigned vcpus,
                                     std::uint32_t machine_cpus)
{
    std::vector<std::uint32_t> cpus(vcpus, 0);
    toml::node const* n = vm.get("cpus");
    if (n == nullptr) return cpus;
    toml::array const* a = n->as_array();
    if (a == nullptr || a->size() != vcpus)
        r.fail(*n, prefix + "cpus",
               fmt::format("expected an array of {} CPU numbers, one per vCPU", vcpus));
    for (std::size_t i = 0; i < a->size(); ++i) {
        auto v = (*a)[i].value<std::int64_t>();
        if (!v || *v < 0 || *v >= machine_cpus)
            r.fail((*a)[i], fmt::format("{}cpus[{}]", prefix, i),
                   fmt::format("expected a CPU 0..{}", machine_cpus - 1));
        cpus[i] = static_cast<std::uint32_t>(*v);
    }
    return cpus;
}

Vm_description read_vm(Reader const& r, toml::table const& t, std::string const& prefix,
                       Scenario const& s)
{
    r.only(t, prefix,
           {"name", "vcpus", "cpus", "priority", "quantum_us", "ram", "lapic", "cmdline", "image",
            "modules"});
    Vm_description vm;
    vm.name = r.text(t, prefix, "name", "vm");
    vm.vcpus = r.integer<unsigned>(t, prefix, "vcpus", 1, 1, 64);
    vm.cpus = read_cpus(r, t, prefix, vm.vcpus, s.machine.cpus);
    vm.priority = r.integer<std::uint8_t>(t, prefix, "priority", 1, 1, 126);
    vm.quantum_us = r.integer<std::uint64_t>(t, prefix, "quantum_us", 10'000, 1, 10'000'000);
    vm.ram = r.size(t, prefix, "ram", 64ull << 20);
    if (vm.ram < (1ull << 20) || vm.ram > (3ull << 30))
        r.fail(*t.get("ram"), prefix + "ram", "expected 1M..3G");
    vm.lapic = r.boolean(t, prefix, "lapic", true);
    vm.cmdline = r.text(t, prefix, "cmdline", "");
    toml::table const* image = r.table(t, prefix, "image");
    if (image == nullptr) r.fail(t, prefix + "image", "every VM needs an image");
    vm.image = read_image(r, *image, prefix + "image.");
    vm.modules = read_modules(r, t, prefix);
    return vm;
}

} // namespace

Scenario parse_scenario(std::string_view text, std::string const& file)
{
    toml::table root;
    try {
        root = toml::parse(text, file);
    } catch (toml::parse_error const& e) {
        auto const& b = e.source().begin;
        throw Scenario_error(fmt::format("{}:{}:{}: {}", file, b.line, b.column, e.description()));
    }
    Reader r{file};
    Scenario s;
    s.file = file;
    s.text = text;
    r.only(root, "", {"machine", "vm", "limits"});
    read_machine(r, root, s);
    toml::node const* vms = root.get("vm");
    if (vms == nullptr)
        throw Scenario_error(fmt::format("{}:1:1: vm: a scenario needs at least one [[vm]]", file));
    toml::array const* list = vms->as_array();
    if (list == nullptr)
        r.fail(*vms, "vm",
               vms->is_table() ? "expected [[vm]] tables, not one [vm]" : "expected [[vm]] tables");
    if (list->empty()) r.fail(*vms, "vm", "a scenario needs at least one [[vm]]");
    for (std::size_t i = 0; i < list->size(); ++i) {
        toml::table const* t = (*list)[i].as_table();
        std::string prefix = fmt::format("vm[{}].", i);
        if (t == nullptr)
            r.fail((*list)[i], prefix.substr(0, prefix.size() - 1), "expected a table");
        s.vms.push_back(read_vm(r, *t, prefix, s));
    }
    if (toml::table const* limits = r.table(root, "", "limits")) {
        r.only(*limits, "limits.", {"timeout_s"});
        if (toml::node const* n = limits->get("timeout_s")) {
            auto v = n->value<double>();
            if (!v || *v <= 0)
                r.fail(*n, "limits.timeout_s", "expected a positive number of seconds");
            s.limits.timeout_s = *v;
        }
    }
    return s;
}

Scenario load_scenario(std::string const& file)
{
    std::ifstream in{file, std::ios::binary};
    if (!in) throw Scenario_error(fmt::format("{}: cannot read the file", file));
    std::stringstream text;
    text << in.rdbuf();
    return parse_scenario(text.str(), file);
}

} // namespace scenarios
