# Rule: revoke removes the CRD's rights from every mapping derived from the caller's, in every
# PD and recursively; without `self` the caller's own copy keeps them ([C14] §3.5).
# Mirrors Revoke_rules.RevokeRemovesRightsFromEveryDescendantAcrossPds (tests/kernel).
#
# The chain: root (32) selector 70 -> PD A (64) selector 1 -> PD B (65) selector 2, every right
# of a semaphore (up|dn = 0x3) all along. translate back to the root shows each copy's rights.
create_pd 64 owner=32 crd=null                                -> SUCCESS
create_pd 65 owner=32 crd=null                                -> SUCCESS
create_sm 70 owner=32                                         -> SUCCESS
delegate src=32 dst=64 send=obj:70/0 window=obj:1/0           -> SUCCESS crd=obj:1/0
delegate src=64 dst=65 send=obj:1/0 window=obj:2/0            -> SUCCESS crd=obj:2/0
translate src=65 dst=32 crd=obj:2/0 window=obj:0/26           -> SUCCESS crd=obj:70/0:0x3

# Take dn (0x2) away from everything derived from the root's 70.
revoke crd=obj:70/0:0x2                                       -> SUCCESS
lookup crd=obj:70/0                                           -> SUCCESS crd=obj:70/0:0x3  # kept
translate src=64 dst=32 crd=obj:1/0 window=obj:0/26           -> SUCCESS crd=obj:70/0:0x1
translate src=65 dst=32 crd=obj:2/0 window=obj:0/26           -> SUCCESS crd=obj:70/0:0x1
