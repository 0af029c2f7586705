#include "parsed_corpus.hpp"

#include "program/parser.hpp"

#include <utility>

namespace fuzz {

hcl::Program const* Parsed_corpus::program(std::string_view text)
{
    if (auto found = by_text_.find(text); found != by_text_.end()) {
        entries_.splice(entries_.begin(), entries_, found->second);
        return found->second->parses ? &found->second->program : nullptr;
    }
    if (entries_.size() == capacity_) {
        by_text_.erase(entries_.back().text);
        entries_.pop_back();
    }
    hcl::Parse_result result = hcl::parse_program(text, "input");
    auto* parsed = std::get_if<hcl::Program>(&result);
    Entry& entry = entries_.emplace_front(
        Entry{std::string(text), parsed != nullptr, parsed ? std::move(*parsed) : hcl::Program{}});
    by_text_.emplace(entry.text, entries_.begin());
    return entry.parses ? &entry.program : nullptr;
}

Parsed_corpus& parsed_corpus()
{
    thread_local Parsed_corpus corpus{4096};
    return corpus;
}

} // namespace fuzz
