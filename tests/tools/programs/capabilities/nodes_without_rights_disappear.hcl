# Rule: a mapping whose last right is revoked disappears: its selector is empty afterwards, and
# nothing derives from it any more ([C14] §3.5). The revoker's own mapping stays without `self`.
# Mirrors Revoke_rules.NodesWithoutRightsDisappear (tests/kernel), with the root as the revoker
# (a program revokes as the root task).
#
# The chain root (32) 70 -> PD A (64) 1 -> PD B (65) 2.
create_pd 64 owner=32 crd=null                                -> SUCCESS
create_pd 65 owner=32 crd=null                                -> SUCCESS
create_sm 70 owner=32                                         -> SUCCESS
delegate src=32 dst=64 send=obj:70/0 window=obj:1/0           -> SUCCESS crd=obj:1/0
delegate src=64 dst=65 send=obj:1/0 window=obj:2/0            -> SUCCESS crd=obj:2/0

# Every right: A's and B's copies go, the root's stays.
revoke crd=obj:70/0                                           -> SUCCESS
translate src=64 dst=32 crd=obj:1/0 window=obj:0/26           -> SUCCESS crd=null
translate src=65 dst=32 crd=obj:2/0 window=obj:0/26           -> SUCCESS crd=null
lookup crd=obj:70/0                                           -> SUCCESS crd=obj:70/0:0x3

# A's selector 1 is empty: a new delegation lands there.
delegate src=32 dst=64 send=obj:70/0:0x1 window=obj:1/0       -> SUCCESS crd=obj:1/0:0x1
translate src=64 dst=32 crd=obj:1/0 window=obj:0/26           -> SUCCESS crd=obj:70/0:0x1
