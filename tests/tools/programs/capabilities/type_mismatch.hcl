# Rule: a sender CRD and a receive window of different types delegate nothing; the receiver gets
# a null CRD ([C14] §3.4). A null window takes nothing either.
# Mirrors Delegation_rules.DifferentTypesOfRangeAndWindowDelegateNothing (tests/kernel).
#
# Root PD 32, PD A 64. translate from A back to the root shows what A holds (null: nothing).
create_pd 64 owner=32 crd=null                                -> SUCCESS
create_sm 70 owner=32                                         -> SUCCESS
delegate src=32 dst=32 send=mem:0x100/0 window=mem:0x100/0 kernel -> SUCCESS crd=mem:0x100/0

# Object range into a memory window, into a null window; memory into an object window.
delegate src=32 dst=64 send=obj:70/0 window=mem:0x5/0         -> SUCCESS crd=null
delegate src=32 dst=64 send=obj:70/0 window=null              -> SUCCESS crd=null
delegate src=32 dst=64 send=mem:0x100/0 window=obj:5/0        -> SUCCESS crd=null
translate src=64 dst=32 crd=obj:5/0 window=obj:0/26           -> SUCCESS crd=null
translate src=64 dst=32 crd=mem:0x5/0 window=mem:0x0/31       -> SUCCESS crd=null
