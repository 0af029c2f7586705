# Rule: with `self`, revoke removes the CRD's rights from the caller's own mapping too, not only
# from the mappings derived from it ([C14] §3.5, the SR bit).
# Mirrors Revoke_rules.SelfRemovesTheRightsFromTheOwnCopyToo (tests/kernel).
#
# The chain root (32) 70 -> PD A (64) 1 -> PD B (65) 2, a semaphore with up|dn = 0x3.
create_pd 64 owner=32 crd=null                                -> SUCCESS
create_pd 65 owner=32 crd=null                                -> SUCCESS
create_sm 70 owner=32                                         -> SUCCESS
delegate src=32 dst=64 send=obj:70/0 window=obj:1/0           -> SUCCESS crd=obj:1/0
delegate src=64 dst=65 send=obj:1/0 window=obj:2/0            -> SUCCESS crd=obj:2/0

revoke crd=obj:70/0:0x2 self                                  -> SUCCESS
lookup crd=obj:70/0                                           -> SUCCESS crd=obj:70/0:0x1
translate src=65 dst=32 crd=obj:2/0 window=obj:0/26           -> SUCCESS crd=obj:70/0:0x1

# Revoking a right that no copy holds any more changes nothing.
revoke crd=obj:70/0:0x2 self                                  -> SUCCESS
lookup crd=obj:70/0                                           -> SUCCESS crd=obj:70/0:0x1
