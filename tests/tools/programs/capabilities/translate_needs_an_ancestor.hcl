# Rule: translate only walks up the derivation chain. Without an ancestor in the receiver's space
# (the receiver holds only descendants, or the sender's selector is empty) or with a window of
# another type, the result is a null CRD ([C14] §3.4).
# Mirrors Translate_rules.IsNullWithoutAnAncestorInTheReceiver (tests/kernel).
#
# The chain root (32) 70 -> PD A (64) 10 -> PD B (65) 20.
create_pd 64 owner=32 crd=null                                -> SUCCESS
create_pd 65 owner=32 crd=null                                -> SUCCESS
create_sm 70 owner=32                                         -> SUCCESS
delegate src=32 dst=64 send=obj:70/0 window=obj:10/0          -> SUCCESS crd=obj:10/0
delegate src=64 dst=65 send=obj:10/0 window=obj:20/0          -> SUCCESS crd=obj:20/0

translate src=32 dst=65 crd=obj:70/0 window=obj:0/26          -> SUCCESS crd=null  # descendants
translate src=65 dst=32 crd=obj:21/0 window=obj:0/26          -> SUCCESS crd=null  # empty
translate src=65 dst=32 crd=obj:20/0 window=mem:0x0/26        -> SUCCESS crd=null  # other type
translate src=65 dst=32 crd=obj:20/0 window=null              -> SUCCESS crd=null
