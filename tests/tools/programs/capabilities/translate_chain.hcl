# Rule: translate gives the receiver its own name for a capability the sender holds: the kernel
# walks up the sender's derivation chain to the first mapping in the receiver's space ([C14]
# §3.4, Pd::xlt_crd). The result carries the sender's rights; memory keeps its page offset.
# Mirrors Translate_rules.FindsTheReceiversOwnSelectorUpTheChain, .CarriesTheSendersRights and
# .TranslatesMemoryWithItsOffset (tests/kernel).
#
# Genode's session capability: the server (the root, 32) holds 70, its client A (64) got it at
# 10, and A's client B (65) at 20. window=obj:0/26 is the receiver's whole object space.
create_pd 64 owner=32 crd=null                                -> SUCCESS
create_pd 65 owner=32 crd=null                                -> SUCCESS
create_sm 70 owner=32                                         -> SUCCESS
delegate src=32 dst=64 send=obj:70/0 window=obj:10/0          -> SUCCESS crd=obj:10/0
delegate src=64 dst=65 send=obj:10/0 window=obj:20/0          -> SUCCESS crd=obj:20/0

translate src=65 dst=32 crd=obj:20/0 window=obj:0/26          -> SUCCESS crd=obj:70/0:0x3
translate src=65 dst=64 crd=obj:20/0 window=obj:0/26          -> SUCCESS crd=obj:10/0:0x3
translate src=64 dst=32 crd=obj:10/0 window=obj:0/26          -> SUCCESS crd=obj:70/0:0x3

# A copy with fewer rights translates with those rights.
delegate src=32 dst=64 send=obj:70/0:0x1 window=obj:11/0      -> SUCCESS crd=obj:11/0:0x1
translate src=64 dst=32 crd=obj:11/0 window=obj:0/26          -> SUCCESS crd=obj:70/0:0x1

# Memory: A's pages 0x40..0x43 are the root's 0x104..0x107, so A's page 0x42 is the root's 0x106.
delegate src=32 dst=32 send=mem:0x100/4 window=mem:0x100/4 kernel -> SUCCESS crd=mem:0x100/4
delegate src=32 dst=64 send=mem:0x104/2 window=mem:0x40/2     -> SUCCESS crd=mem:0x40/2
translate src=64 dst=32 crd=mem:0x42/0 window=mem:0x0/20      -> SUCCESS crd=mem:0x106/0:rwx
