# Rule: a delegated capability carries the rights of its source AND the sender's mask AND the
# receive window's mask ([C14] §3.4, Pd::del_crd). The CRD the engine returns carries only the
# combined mask of the two CRDs; what the receiver really got is limited by the source too.
# Mirrors Delegation_rules.RightsAreSourceAndSenderMaskAndWindowMask (tests/kernel).
#
# The root PD is 32; it creates PDs A (64) and B (65). lookup sees the root's own spaces only;
# `translate src=X dst=32 ... window=obj:0/26` names what PD X holds by the root's selector and
# shows X's rights.
create_pd 64 owner=32 crd=null                                -> SUCCESS
create_pd 65 owner=32 crd=null                                -> SUCCESS
create_sm 70 owner=32                                         -> SUCCESS
lookup crd=obj:70/0                                           -> SUCCESS crd=obj:70/0:0x3  # up|dn

# Sender mask dn|0x10, window mask dn|0x8: only dn is in both.
delegate src=32 dst=64 send=obj:70/0:0x12 window=obj:5/0:0xa  -> SUCCESS crd=obj:5/0:0x2
translate src=64 dst=32 crd=obj:5/0 window=obj:0/26           -> SUCCESS crd=obj:70/0:0x2

# A passes its copy on with every bit in both masks: B still gets only what A holds.
delegate src=64 dst=65 send=obj:5/0 window=obj:7/0            -> SUCCESS crd=obj:7/0
translate src=65 dst=32 crd=obj:7/0 window=obj:0/26           -> SUCCESS crd=obj:70/0:0x2
