# Rule: delegation never overmaps. A destination slot that is already occupied is skipped and
# keeps its capability; the rest of the range is delegated ([C14] §3.4).
# Mirrors Delegation_rules.AnOccupiedSlotIsNeverOvermapped (tests/kernel).
#
# Root PD 32, PD A 64. translate from A back to the root shows which capability each slot holds.
create_pd 64 owner=32 crd=null                                -> SUCCESS
create_sm 80 owner=32                                         -> SUCCESS
create_sm 81 owner=32                                         -> SUCCESS
create_sm 82 owner=32                                         -> SUCCESS
create_sm 83 owner=32                                         -> SUCCESS
create_sm 90 owner=32                                         -> SUCCESS

# A's slot 2 is taken first; then 80..83 go to A's 0..3.
delegate src=32 dst=64 send=obj:90/0 window=obj:2/0           -> SUCCESS crd=obj:2/0
delegate src=32 dst=64 send=obj:80/2 window=obj:0/2           -> SUCCESS crd=obj:0/2
translate src=64 dst=32 crd=obj:0/0 window=obj:0/26           -> SUCCESS crd=obj:80/0:0x3
translate src=64 dst=32 crd=obj:1/0 window=obj:0/26           -> SUCCESS crd=obj:81/0:0x3
translate src=64 dst=32 crd=obj:2/0 window=obj:0/26           -> SUCCESS crd=obj:90/0:0x3  # kept
translate src=64 dst=32 crd=obj:3/0 window=obj:0/26           -> SUCCESS crd=obj:83/0:0x3

