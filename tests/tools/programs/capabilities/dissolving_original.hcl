# Rule: revoking the original capability with `self` dissolves it: every delegated copy in every
# PD goes with it, and the object dies with its last capability ([C14] §3.5).
# Mirrors Translate_rules.DissolvingTheOriginalInvalidatesAllDelegatedCopies and
# Revoke_rules.AnObjectDiesWhenItsLastCapabilityGoes (tests/kernel; a program cannot count
# objects, but the invariant checker that runs after every line recounts every reference).
#
# The chain root (32) 70 -> PD A (64) 10 -> PD B (65) 20, and A's second copy at 11.
create_pd 64 owner=32 crd=null                                -> SUCCESS
create_pd 65 owner=32 crd=null                                -> SUCCESS
create_sm 70 owner=32                                         -> SUCCESS
delegate src=32 dst=64 send=obj:70/0 window=obj:10/0          -> SUCCESS crd=obj:10/0
delegate src=64 dst=65 send=obj:10/0 window=obj:20/0          -> SUCCESS crd=obj:20/0
delegate src=32 dst=64 send=obj:70/0:0x1 window=obj:11/0      -> SUCCESS crd=obj:11/0:0x1

revoke crd=obj:70/0 self                                      -> SUCCESS
lookup crd=obj:70/0                                           -> SUCCESS crd=null
translate src=64 dst=32 crd=obj:10/0 window=obj:0/26          -> SUCCESS crd=null
translate src=64 dst=32 crd=obj:11/0 window=obj:0/26          -> SUCCESS crd=null
translate src=65 dst=32 crd=obj:20/0 window=obj:0/26          -> SUCCESS crd=null

# Nothing is left to pass on.
delegate src=64 dst=65 send=obj:10/0 window=obj:21/0          -> SUCCESS crd=obj:21/0
translate src=65 dst=32 crd=obj:21/0 window=obj:0/26          -> SUCCESS crd=null
