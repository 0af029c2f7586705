# Rule: a delegation whose rights come to nothing is not performed ([C14] §3.3): when the sender's
# and the window's masks have no bit in common the engine returns a null CRD, and when they meet
# only on rights the source does not hold, the receiver gets no capability.
# Mirrors Delegation_rules.NothingIsDelegatedWhenTheRightsAreEmpty (tests/kernel).
#
# Root PD 32, PD A 64. translate from A back to the root shows what A holds (null: nothing).
create_pd 64 owner=32 crd=null                                -> SUCCESS
create_sm 70 owner=32                                         -> SUCCESS  # rights up|dn = 0x3

# Masks up (0x1) and dn (0x2) do not meet.
delegate src=32 dst=64 send=obj:70/0:0x1 window=obj:5/0:0x2   -> SUCCESS crd=null
translate src=64 dst=32 crd=obj:5/0 window=obj:0/26           -> SUCCESS crd=null

# Masks meet on 0x10, a right a semaphore capability never has: the returned CRD is not null,
# but nothing lands in A.
delegate src=32 dst=64 send=obj:70/0:0x10 window=obj:5/0:0x10 -> SUCCESS crd=obj:5/0:0x10
translate src=64 dst=32 crd=obj:5/0 window=obj:0/26           -> SUCCESS crd=null
