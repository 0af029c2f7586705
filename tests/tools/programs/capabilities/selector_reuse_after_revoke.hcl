# Rule: a selector emptied by revoke can be used again: a delegation lands there, and a new
# object can be created there ([C14] §3.5).
# Mirrors Translate_rules.ASelectorIsReusableAfterRevoke (tests/kernel), with the root revoking.
#
# The chain root (32) 70 -> PD A (64) 10 -> PD B (65) 20, and a second semaphore at 71.
create_pd 64 owner=32 crd=null                                -> SUCCESS
create_pd 65 owner=32 crd=null                                -> SUCCESS
create_sm 70 owner=32                                         -> SUCCESS
create_sm 71 owner=32                                         -> SUCCESS
delegate src=32 dst=64 send=obj:70/0 window=obj:10/0          -> SUCCESS crd=obj:10/0
delegate src=64 dst=65 send=obj:10/0 window=obj:20/0          -> SUCCESS crd=obj:20/0

# While B's 20 is taken, nothing else lands there.
delegate src=32 dst=65 send=obj:71/0 window=obj:20/0          -> SUCCESS crd=obj:20/0
translate src=65 dst=32 crd=obj:20/0 window=obj:0/26          -> SUCCESS crd=obj:70/0:0x3

# Revoked, B's 20 takes the other semaphore.
revoke crd=obj:70/0                                           -> SUCCESS
translate src=65 dst=32 crd=obj:20/0 window=obj:0/26          -> SUCCESS crd=null
delegate src=32 dst=65 send=obj:71/0 window=obj:20/0          -> SUCCESS crd=obj:20/0
translate src=65 dst=32 crd=obj:20/0 window=obj:0/26          -> SUCCESS crd=obj:71/0:0x3

# The root's own selector, revoked with self, takes a new object.
create_sm 70 owner=32                                         -> BAD_CAP  # still taken
revoke crd=obj:70/0 self                                      -> SUCCESS
lookup crd=obj:70/0                                           -> SUCCESS crd=null
create_sm 70 owner=32                                         -> SUCCESS
