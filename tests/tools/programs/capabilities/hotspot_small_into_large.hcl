# Rule: a sender range smaller than the receive window lands inside the window at the position
# the hotspot names: the window is cut down to the sender's size, taking the address bits the
# sizes leave open from the hotspot ([C14] spec §3.5, Pd::clamp). The returned CRD names where
# it landed and carries the combined mask.
# Mirrors Delegation_rules.HotspotPlacesASmallRangeInsideALargerWindow (tests/kernel).
#
# Root PD 32, PD A 64. translate from A back to the root shows what A holds and from where.
create_pd 64 owner=32 crd=null                                -> SUCCESS
create_sm 70 owner=32                                         -> SUCCESS

# One selector into the window 16..31: hotspot 21 puts it at 21.
delegate src=32 dst=64 send=obj:70/0 window=obj:16/4 hotspot=21 -> SUCCESS crd=obj:21/0
translate src=64 dst=32 crd=obj:21/0 window=obj:0/26          -> SUCCESS crd=obj:70/0:0x3
translate src=64 dst=32 crd=obj:16/0 window=obj:0/26          -> SUCCESS crd=null

# The same for memory: one page into the window of pages 0x40..0x4f, at page 0x47.
delegate src=32 dst=32 send=mem:0x100/0 window=mem:0x100/0 kernel -> SUCCESS crd=mem:0x100/0
delegate src=32 dst=64 send=mem:0x100/0 window=mem:0x40/4 hotspot=0x47 -> SUCCESS crd=mem:0x47/0
translate src=64 dst=32 crd=mem:0x47/0 window=mem:0x0/31      -> SUCCESS crd=mem:0x100/0:rwx
