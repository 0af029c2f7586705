# Rule: a sender range larger than the receive window is cut down to the window's size; the
# hotspot picks which part of it is delegated ([C14] spec §3.5, Pd::clamp).
# Mirrors Delegation_rules.HotspotPicksPartOfALargerRangeForASmallWindow (tests/kernel).
#
# Root PD 32; PDs A 64 and B 65 fill selectors 64 and 65 of the root's range 64..71, semaphores
# the rest. translate from B back to the root shows which capability B got.
create_pd 64 owner=32 crd=null                                -> SUCCESS
create_pd 65 owner=32 crd=null                                -> SUCCESS
create_sm 66 owner=32                                         -> SUCCESS
create_sm 67 owner=32                                         -> SUCCESS
create_sm 68 owner=32                                         -> SUCCESS
create_sm 69 owner=32                                         -> SUCCESS
create_sm 70 owner=32                                         -> SUCCESS
create_sm 71 owner=32                                         -> SUCCESS

# Eight selectors into a one-selector window: hotspot bits 2:0 (0x43 & 7 = 3) pick 64 + 3 = 67.
delegate src=32 dst=65 send=obj:64/3 window=obj:200/0 hotspot=0x43 -> SUCCESS crd=obj:200/0
translate src=65 dst=32 crd=obj:200/0 window=obj:0/26         -> SUCCESS crd=obj:67/0:0x3
