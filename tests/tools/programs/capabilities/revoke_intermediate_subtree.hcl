# Rule: revoking a mapping in the middle of a derivation tree cuts off its subtree only: what
# lies above it and in sibling branches keeps its rights ([C14] §3.5).
# Mirrors Revoke_rules.RevokingAnIntermediateCutsOffItsSubtreeOnly (tests/kernel), with the root
# in the middle (a program revokes as the root task).
#
# The tree: root (32) 70 -> PD A (64) 1 -> root 75 -> PD B (65) 2, and root 70 -> B 3 beside it.
create_pd 64 owner=32 crd=null                                -> SUCCESS
create_pd 65 owner=32 crd=null                                -> SUCCESS
create_sm 70 owner=32                                         -> SUCCESS
delegate src=32 dst=64 send=obj:70/0 window=obj:1/0           -> SUCCESS crd=obj:1/0
delegate src=64 dst=32 send=obj:1/0 window=obj:75/0           -> SUCCESS crd=obj:75/0
delegate src=32 dst=65 send=obj:75/0 window=obj:2/0           -> SUCCESS crd=obj:2/0
delegate src=32 dst=65 send=obj:70/0 window=obj:3/0           -> SUCCESS crd=obj:3/0
translate src=65 dst=64 crd=obj:2/0 window=obj:0/26           -> SUCCESS crd=obj:1/0:0x3

revoke crd=obj:75/0 self                                      -> SUCCESS
lookup crd=obj:75/0                                           -> SUCCESS crd=null
translate src=65 dst=64 crd=obj:2/0 window=obj:0/26           -> SUCCESS crd=null  # cut off
translate src=64 dst=32 crd=obj:1/0 window=obj:0/26           -> SUCCESS crd=obj:70/0:0x3
translate src=65 dst=32 crd=obj:3/0 window=obj:0/26           -> SUCCESS crd=obj:70/0:0x3
