# Rule: create_pd hands the new PD the object capabilities its CRD names through the same
# delegation engine: hotspot 0 into a window of all selectors, so the range lands at the new
# PD's selector 0 up, with the rights the masks leave ([C14] §2.3, reference/nova-abi.md).
# Mirrors Delegation_rules.CreatePdUsesTheSameEngine (tests/kernel).
#
# The root (32) holds semaphores 70 and 80..83. translate back to the root shows what each new
# PD holds.
create_sm 70 owner=32                                         -> SUCCESS
create_sm 80 owner=32                                         -> SUCCESS
create_sm 81 owner=32                                         -> SUCCESS
create_sm 82 owner=32                                         -> SUCCESS
create_sm 83 owner=32                                         -> SUCCESS

# One capability with the dn right only: at the new PD's selector 0.
create_pd 66 owner=32 crd=obj:70/0:0x2                        -> SUCCESS
translate src=66 dst=32 crd=obj:0/0 window=obj:0/26           -> SUCCESS crd=obj:70/0:0x2

# A range of four: at 0..3.
create_pd 67 owner=32 crd=obj:80/2                            -> SUCCESS
translate src=67 dst=32 crd=obj:0/0 window=obj:0/26           -> SUCCESS crd=obj:80/0:0x3
translate src=67 dst=32 crd=obj:3/0 window=obj:0/26           -> SUCCESS crd=obj:83/0:0x3
translate src=67 dst=32 crd=obj:4/0 window=obj:0/26           -> SUCCESS crd=null

# The window is an object window: a memory CRD hands over nothing, and the PD is created.
delegate src=32 dst=32 send=mem:0x100/0 window=mem:0x100/0 kernel -> SUCCESS crd=mem:0x100/0
create_pd 68 owner=32 crd=mem:0x100/0                         -> SUCCESS
translate src=68 dst=32 crd=mem:0x0/0 window=mem:0x0/31       -> SUCCESS crd=null
translate src=68 dst=32 crd=mem:0x100/0 window=mem:0x0/31     -> SUCCESS crd=null
